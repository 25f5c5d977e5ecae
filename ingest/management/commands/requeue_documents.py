"""Hand documents left waiting (broker outage, lost worker) to the extraction queue again."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest import services


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Queue again documents whose extraction never reached the task queue, and those "
        "queued or processing longer than --stale-minutes (their task was lost); with "
        "--failed, failed documents too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=settings.INGEST_REQUEUE_STALE_MINUTES,
            help="re-queue queued/processing documents untouched this long "
            "(default INGEST_REQUEUE_STALE_MINUTES, %(default)s)",
        )
        parser.add_argument(
            "--failed",
            action="store_true",
            help="also re-extract failed documents (after fixing the cause, e.g. a bug)",
        )

    def handle(self, *args, stale_minutes: int, failed: bool, **options):
        if stale_minutes < 0:
            raise CommandError("--stale-minutes must be 0 or more")
        outcome = services.documents_requeue(
            stale_after=timedelta(minutes=stale_minutes), failed=failed
        )
        if outcome.waiting:
            raise CommandError(
                f"the task queue is unreachable: re-queued {_documents(outcome.requeued)}, "
                f"{_documents(outcome.waiting)} still waiting; run again when it is back"
            )
        self.stdout.write(f"re-queued {_documents(outcome.requeued)}")
