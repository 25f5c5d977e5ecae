from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from indicators.selectors import indicator_list
from ingest import selectors, services
from ingest.models import AttainmentClaim, IngestStatus, SourceDocument
from tracker.planner import FACT_TABLES, tables_analyze
from tracker.progress import progress_bar, say

EMPTY_CATALOGUE = _(
    "The indicator catalogue is empty, so nothing could be extracted: run "
    "`python manage.py migrate` (it loads the catalogue) or `python manage.py load_catalogue`."
)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--published {value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Ingest report files through the extraction pipeline (Celery; eager by default)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--jurisdiction", help="id, division code or Chinese name")
        parser.add_argument("--published", type=_date, help="YYYY-MM-DD")
        parser.add_argument(
            "--accept", action="store_true", help="accept the extracted facts (trusted reports)"
        )

    def handle(self, *args, paths, jurisdiction=None, published=None, accept=False, **options):
        if not indicator_list().exists():
            raise CommandError(EMPTY_CATALOGUE)
        try:
            place = services.jurisdiction_resolve(value=jurisdiction, may_propose=True)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        failures = 0
        with progress_bar(
            stdout=self.stdout, total=len(paths), unit="report", description="ingest"
        ) as self.bar:
            for path in paths:
                failures += not self._ingest(path, place, published, accept)
                self.bar.update()
        # Extracted in this process (without a broker) or soon by the workers: either way
        # the tables grew in bulk, and PostgreSQL's planner should know before the next query.
        tables_analyze(models=[SourceDocument, AttainmentClaim, *FACT_TABLES])
        if failures:
            raise CommandError(f"{failures} of {len(paths)} documents failed")

    def _ingest(self, path: Path, place, published, accept: bool) -> bool:
        try:
            text = services.document_text_from_upload(raw=path.read_bytes(), filename=path.name)
            submission = services.document_submit(
                text=text, jurisdiction=place, published=published, filename=path.name
            )
        except OSError as exc:
            say(self.bar, self.stderr, f"{path}: cannot read: {exc.strerror or exc}", error=True)
            return False
        except ValidationError as exc:
            say(self.bar, self.stderr, f"{path}: {'; '.join(exc.messages)}", error=True)
            return False
        if not submission.created and submission.document.status == IngestStatus.FAILED:
            # A known document that failed before: try again, with the jurisdiction if given.
            services.document_reextract(document=submission.document, jurisdiction=place)
        document = selectors.document_list().get(pk=submission.document.pk)
        if accept and document.status == IngestStatus.DONE:
            services.document_facts_accept(document=document)
        known = "" if submission.created else " (already stored)"
        if document.status == IngestStatus.FAILED:
            failed = f"{path}: document {document.pk} failed: {document.error}"
            say(self.bar, self.stderr, failed, error=True)
            return False
        place = document.jurisdiction.name_zh if document.jurisdiction else "?"
        say(
            self.bar,
            self.stdout,
            f"{path}: document {document.pk}{known} {document.status}, {place}, "
            f"{document.target_count} targets, {document.actual_count} actuals",
        )
        return True
