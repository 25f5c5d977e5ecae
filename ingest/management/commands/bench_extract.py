"""`manage.py bench_extract [--size-mb N] [--seed N] [--runs N] [--json]`: extractor throughput."""

import json

from django.core.management.base import BaseCommand

from ingest.extraction.bench import run


class Command(BaseCommand):
    help = "Measure extraction throughput (KB/s, median of runs) on seed and synthetic corpora."

    def add_arguments(self, parser):
        parser.add_argument("--size-mb", type=float, default=5.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, size_mb, seed, runs, as_json=False, **options):
        result = run(size_mb=size_mb, seed=seed, runs=runs)
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"seed corpus      {result['seed_kb']:>8.1f} KB  {result['seed_kb_per_s']:>8.1f} KB/s\n"
            f"synthetic corpus {result['synthetic_kb']:>8.1f} KB  "
            f"{result['synthetic_kb_per_s']:>8.1f} KB/s\n"
            f"as one report    {result['synthetic_kb']:>8.1f} KB  "
            f"{result['long_report_kb_per_s']:>8.1f} KB/s"
        )
