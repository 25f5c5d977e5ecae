"""Serve generated data with gunicorn and load the attainment page from concurrent clients."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from tracker.attainment.services import evaluations_rebuild
from tracker.bench.data import generate
from tracker.bench.database import bench_database
from tracker.bench.load import run_load
from tracker.bench.run import analyze


class Command(BaseCommand):
    help = (
        "Generate data in a separate bench database, serve it with gunicorn on a free "
        "loopback port, request the attainment page from concurrent clients, stop gunicorn "
        "and drop the database. Reports requests/s, p50/p99 latency and errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--targets", type=int, default=10000, help="Targets to generate.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients.")
        parser.add_argument("--requests", type=int, default=500, help="Requests at most.")
        parser.add_argument("--seconds", type=float, default=60, help="Time limit of the run.")
        parser.add_argument("--database-url", help="Server to bench on (default: DATABASE_URL).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options) -> None:
        with bench_database(database_url=options["database_url"]):
            generated = generate(targets=options["targets"])
            evaluations_rebuild(as_of=generated.as_of)
            if connection.vendor == "postgresql":
                analyze()
            figures = {"database": connection.vendor, "targets": generated.targets}
            figures |= run_load(
                token=generated.token,
                as_of=generated.as_of,
                workers=options["workers"],
                clients=options["clients"],
                requests=options["requests"],
                seconds=options["seconds"],
            )
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:<16} {value}")
        if figures["errors"]:
            self.stderr.write(f"{figures['errors']} requests failed: {figures['error_kinds']}")
