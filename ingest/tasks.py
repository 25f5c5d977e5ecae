"""Celery tasks of the ingest pipeline; they load by id and call a service."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# Errors that may pass on their own: the database or the broker was briefly unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def extract_document(self, document_id: int) -> str:
    """Extract and store the facts of one document; idempotent, retried on transient errors."""
    # Imported here, not at the top: the services queue this task (the HackSoft way of
    # breaking the services <-> tasks import cycle).
    from ingest import services

    try:
        return services.document_extract(document_id=document_id).status
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.document_mark_failed(document_id=document_id, error=f"gave up: {exc}")
            raise
        # Exponential backoff: 2, 4, 8, 16, 32 seconds.
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
    except SoftTimeLimitExceeded:
        services.document_mark_failed(document_id=document_id, error="extraction timed out")
        raise
    except Exception as exc:
        # A bug or unreadable input: keep the document, say why, and let an admin retry.
        logger.exception("extraction of document %s failed", document_id)
        services.document_mark_failed(
            document_id=document_id, error=f"{exc.__class__.__name__}: {exc}"
        )
        raise


@shared_task
def requeue_documents() -> dict[str, int]:
    """Queue again documents left waiting by a broker outage or lost with a worker (beat)."""
    from ingest import services

    stale_after = timedelta(minutes=settings.INGEST_REQUEUE_STALE_MINUTES)
    outcome = services.documents_requeue(stale_after=stale_after)
    if outcome.requeued or outcome.waiting:
        logger.warning(
            "re-queued %s documents; %s still waiting", outcome.requeued, outcome.waiting
        )
    return {"requeued": outcome.requeued, "waiting": outcome.waiting}
