from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.divisions import read_divisions
from tracker.services import divisions_load


class Command(BaseCommand):
    help = "Load China's provinces, prefectures and counties (GB/T 2260) from the cpca data set."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, help="an adcodes.csv (default: cpca's own)")

    def handle(self, *args, path: Path | None = None, **options):
        try:
            created, updated = divisions_load(divisions=read_divisions(path))
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"cannot load divisions: {exc}") from exc
        self.stdout.write(f"jurisdictions: {created} created, {updated} updated")
