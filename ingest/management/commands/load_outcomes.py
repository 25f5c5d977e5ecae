"""python manage.py load_outcomes [FILE]: the published outcomes of the seed targets."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ingest.services import outcomes_load

OUTCOMES_PATH = Path(settings.BASE_DIR) / "seeds" / "outcomes.yaml"


class Command(BaseCommand):
    help = (
        "Load reported outcomes (seeds/outcomes.yaml): each source page stored as a document "
        "with its URL, each figure as an accepted actual quoting it. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(OUTCOMES_PATH))

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            sources = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}: not an outcomes file ({exc}).") from exc
        try:
            loaded = outcomes_load(sources=sources, origin=path.name)
        except ValidationError as exc:
            raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
        self.stdout.write(
            f"outcomes: {loaded.created} actuals stored from {len(sources)} sources "
            f"({loaded.documents} new documents), {loaded.unchanged} already stored"
        )
