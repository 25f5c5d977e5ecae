"""`manage.py extract PATH [--published YYYY-MM-DD] [--jurisdiction NAME] [--format json|table]`."""

import io
import sys

from django.core.management.base import BaseCommand, CommandError

from ingest.extraction.cli import main
from tracker.divisions import read_divisions


def _gazetteer() -> list[str]:
    """Division names from the data set (no database needed) to recognise the jurisdiction."""
    try:
        return [division.name_zh for division in read_divisions()]
    except OSError:
        return []


class Command(BaseCommand):
    help = "Extract targets and actuals from one report file (prints the facts as JSON)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--published", help="YYYY-MM-DD")
        parser.add_argument("--jurisdiction")
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def run_from_argv(self, argv):
        # Same arguments, output and exit codes as `python -m ingest.extraction`.
        code = main(argv[2:], gazetteer=_gazetteer())
        if code:
            sys.exit(code)

    def handle(self, *args, path, published=None, jurisdiction=None, format="json", **options):
        argv = [path, "--format", format]
        argv += ["--published", published] if published else []
        argv += ["--jurisdiction", jurisdiction] if jurisdiction else []
        err = io.StringIO()
        code = main(argv, stdout=self.stdout, stderr=err, gazetteer=_gazetteer())
        if code:
            raise CommandError(err.getvalue().strip().removeprefix("error: "), returncode=code)
