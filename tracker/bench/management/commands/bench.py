"""Time the evaluations' API at a data scale, next to hand-written SQL, in a separate database."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from tracker.bench.run import run

ROWS = [
    ("targets", "targets (generated)", ""),
    ("actuals", "actuals (generated)", ""),
    ("evaluations", "evaluations (stored)", ""),
    ("generation_s", "generation", "s"),
    ("rebuild_s", "rebuild of every evaluation", "s"),
    ("attainment_page_ms", "attainment page (100 rows, API)", "ms"),
    ("attainment_page_sql_ms", "attainment page (hand-written SQL)", "ms"),
    ("page_ratio", "page API / SQL", "×"),
    ("queries_per_page", "queries per page", ""),
    ("status_page_ms", "page filtered by status", "ms"),
    ("ratio_page_ms", "page ordered by -attainment_ratio", "ms"),
    ("growth_gaps_page_ms", "growth-gap page", "ms"),
    ("live_page_ms", "page evaluated live (another day)", "ms"),
    ("summary_ms", "summary by jurisdiction (API)", "ms"),
    ("summary_sql_ms", "summary by jurisdiction (SQL)", "ms"),
    ("summary_ratio", "summary API / SQL", "×"),
    ("summary_indicator_ms", "summary by indicator", "ms"),
    ("summary_year_ms", "summary by year", "ms"),
    ("target_detail_ms", "target detail (API)", "ms"),
    ("target_write_ms", "target write (PATCH, series refreshed)", "ms"),
    ("csv_first_chunk_ms", "CSV export, first chunk", "ms"),
    ("export_rows_per_s", "CSV export", "rows/s"),
    ("xlsx_first_chunk_ms", "XLSX export, first chunk", "ms"),
    ("xlsx_rows_per_s", "XLSX export", "rows/s"),
    ("export_peak_mb", "CSV export, peak Python memory", "MB"),
    ("extract_seed_kb_per_s", "extraction, seed reports", "KB/s"),
    ("extract_kb_per_s", "extraction, synthetic corpus", "KB/s"),
    ("extract_long_report_kb_per_s", "extraction, that corpus as one report", "KB/s"),
]


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set in a separate database (a temporary SQLite file, or "
        "<name>_bench on PostgreSQL), rebuild its evaluations, time the attainment endpoints "
        "(against hand-written SQL), a write and the exports, and drop the database. The "
        "configured database is never read or written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--targets", type=int, default=10000, help="Targets to generate.")
        parser.add_argument("--runs", type=int, default=5, help="Timed runs (median).")
        parser.add_argument("--export-runs", type=int, default=1, help="Timed CSV exports.")
        parser.add_argument(
            "--extract-mb", type=float, default=5.0, help="Size of the synthetic corpus (MB)."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed of the data.")
        parser.add_argument(
            "--database-url",
            help="Server to bench on (default: DATABASE_URL); PostgreSQL gets <name>_bench.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options) -> None:
        figures = run(
            targets=options["targets"],
            runs=options["runs"],
            export_runs=options["export_runs"],
            extract_mb=options["extract_mb"],
            database_url=options["database_url"],
            seed=options["seed"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(f"database: {figures['database']}, as of {figures['as_of']}")
        for key, label, unit in ROWS:
            self.stdout.write(f"{label:<38} {figures[key]:>12} {unit}")
