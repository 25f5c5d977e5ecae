"""Celery tasks of webhooks: post one delivery, retried with backoff; sweep waiting ones."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


def backoff_seconds(retries: int) -> float:
    """Seconds before the next attempt: the base, doubled after each failed attempt."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2**retries


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    """Post one delivery; retried with exponential backoff until it is delivered or given up."""
    # Imported here, not at the top: the services queue this task.
    from tracker.webhooks import services

    attempt = services.webhook_deliver(delivery_id=delivery_id)
    if attempt.retry:
        raise self.retry(countdown=backoff_seconds(self.request.retries))
    return attempt.delivery.status


@shared_task
def webhooks_redeliver() -> int:
    """Queue again deliveries still pending after a while (beat)."""
    from tracker.webhooks import services

    return services.webhooks_redeliver(older_than_seconds=settings.WEBHOOK_REDELIVER_AFTER_SECONDS)
