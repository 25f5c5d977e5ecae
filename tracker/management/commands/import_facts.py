"""python manage.py import_facts FILE [--dry-run] [--user NAME]: targets and actuals from a
CSV or XLSX file, all or nothing, through the same services as the API."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.imports import NOT_IMPORTED, ImportFailed, facts_import, file_rows
from tracker.planner import FACT_TABLES, tables_analyze


class Command(BaseCommand):
    help = (
        "Import targets and actuals from a .csv or .xlsx file (columns kind, jurisdiction, "
        "indicator, measure, value, unit, comparator, period_start, period_end, and "
        "optionally published, note). Nothing is stored if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8 or GBK) or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and store nothing."
        )
        parser.add_argument("--user", help="Username recorded as the importer.")

    def handle(self, *args, file: str, dry_run: bool, user: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            rows = file_rows(content=path.read_bytes(), filename=path.name)
            report = facts_import(rows=rows, filename=path.name, user=importer, dry_run=dry_run)
        except ImportFailed as exc:
            for line in exc.messages:
                self.stderr.write(line)
            bad = len([row for row in exc.row_errors if row])
            raise CommandError(NOT_IMPORTED.format(count=bad) if bad else exc.messages[0]) from exc
        if not dry_run:
            tables_analyze(models=FACT_TABLES)
        for outcome in report.rows:
            self.stdout.write(
                f"row {outcome.row}: {outcome.action} {outcome.kind} {outcome.summary}"
            )
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{path.name}: {verb} {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged" + (" (dry run: nothing stored)" if dry_run else "")
        )
