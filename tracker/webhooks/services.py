"""Writes of webhooks: subscriptions, the deliveries events create, and their attempts.

Events are emitted inside the transaction of the write that caused them; the deliveries
are stored there too and handed to Celery only once it commits, so a rolled-back write
tells no one and a request never waits for a receiver.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from tracker.webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookSubscription
from tracker.webhooks.signing import SIGNATURE_HEADER, signature_header
from tracker.webhooks.tasks import deliver_webhook

logger = logging.getLogger(__name__)

NO_EVENTS = "Choose at least one event."
UNKNOWN_EVENT = "Unknown event {event!r}; choose from: {choices}."
SUBSCRIPTION_FIELDS = frozenset({"url", "secret", "events", "active", "description"})


def _check_events(events: list[str]) -> None:
    if not events:
        raise ValidationError({"events": NO_EVENTS})
    for event in events:
        if event not in Event.values:
            message = UNKNOWN_EVENT.format(event=event, choices=", ".join(Event.values))
            raise ValidationError({"events": message})


@transaction.atomic
def webhook_subscription_create(
    *,
    url: str,
    secret: str,
    events: list[str],
    active: bool = True,
    description: str = "",
    user: AbstractBaseUser | None = None,
) -> WebhookSubscription:
    """Subscribe a URL to some events."""
    _check_events(events)
    subscription = WebhookSubscription(
        url=url,
        secret=secret,
        events=sorted(set(events)),
        active=active,
        description=description,
        created_by=user,
    )
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, data: dict[str, Any]
) -> WebhookSubscription:
    """Change a subscription's URL, secret, events, description or whether it is active."""
    unknown = set(data) - SUBSCRIPTION_FIELDS
    if unknown:
        raise ValidationError(f"Fields not editable: {', '.join(sorted(unknown))}.")
    if "events" in data:
        _check_events(data["events"])
        data = {**data, "events": sorted(set(data["events"]))}
    for name, value in data.items():
        setattr(subscription, name, value)
    subscription.full_clean()
    subscription.save()
    return subscription


def subscribed_events() -> set[str]:
    """The events some active subscription wants (emitting others costs nothing more)."""
    wanted: set[str] = set()
    for events in WebhookSubscription.objects.filter(active=True).values_list("events", flat=True):
        wanted.update(events)
    return wanted


def webhook_events_emit(*, event: str, payloads: Iterable[dict[str, Any]]) -> int:
    """Store a delivery of each payload to every active subscription of the event, and queue
    them once the current transaction commits; returns how many deliveries were stored."""
    payloads = list(payloads)
    if not payloads:
        return 0
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if event in s.events
    ]
    if not subscriptions:
        return 0
    encoded = [json.loads(json.dumps(p, cls=DjangoJSONEncoder)) for p in payloads]
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, event=event, payload=p)
        for s in subscriptions
        for p in encoded
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: deliveries_enqueue(ids=ids))
    return len(ids)


def deliveries_enqueue(*, ids: Iterable[int]) -> int:
    """Hand deliveries to the task queue; if it is unreachable they wait for the next sweep."""
    queued = 0
    for delivery_id in ids:
        try:
            deliver_webhook.delay(delivery_id)
        except BrokerError as exc:
            # Kept pending: `webhooks_redeliver` (beat) queues them again later.
            logger.error("could not queue webhook delivery %s: %s", delivery_id, exc)
            return queued
        queued += 1
    return queued


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body posted for a delivery: its id, event, time and data."""
    document = {
        "id": delivery.pk,
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class Attempt:
    """The outcome of one attempt: delivered, to be retried, or given up."""

    delivery: WebhookDelivery
    retry: bool


def webhook_deliver(*, delivery_id: int) -> Attempt:
    """Post a delivery once, signed; record the attempt and say whether to retry."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .get(pk=delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING:
            return Attempt(delivery, retry=False)  # delivered meanwhile, or given up
        subscription = delivery.subscription
        body = delivery_body(delivery)
        request = urllib.request.Request(
            subscription.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "tracker-webhooks/1",
                "X-Tracker-Event": delivery.event,
                "X-Tracker-Delivery": str(delivery.pk),
                SIGNATURE_HEADER: signature_header(secret=subscription.secret, body=body),
            },
        )
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        try:
            with urllib.request.urlopen(
                request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
            ) as response:
                delivery.response_status = response.status
        except urllib.error.HTTPError as exc:
            delivery.response_status = exc.code
            delivery.last_error = f"HTTP {exc.code} {exc.reason}"[:2000]
        except (OSError, ValueError) as exc:  # refused, timed out, unreachable, bad URL
            delivery.response_status = None
            delivery.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        else:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        retry = delivery.status == DeliveryStatus.PENDING
        if retry and delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status, retry = DeliveryStatus.FAILED, False
        delivery.save()
    return Attempt(delivery, retry=retry)


@transaction.atomic
def webhook_delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Deliver a failed delivery again (an admin's action), with a fresh count of attempts."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: deliveries_enqueue(ids=[delivery.pk]))
    return delivery


def webhooks_redeliver(*, older_than_seconds: int) -> int:
    """Queue again pending deliveries left waiting (a broker outage, a lost task)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return deliveries_enqueue(ids=list(ids))
