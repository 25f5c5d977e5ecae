from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.services import CATALOGUE_PATH, catalogue_load


class Command(BaseCommand):
    help = "Load (or refresh) the indicator catalogue from seeds/indicators.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=CATALOGUE_PATH)

    def handle(self, *args, path: Path, **options):
        try:
            created, updated = catalogue_load(path=path)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"indicators: {created} created, {updated} updated")
