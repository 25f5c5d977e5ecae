"""Webhook subscriptions and the log of their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Event(models.TextChoices):
    """What a subscriber can be told of."""

    DOCUMENT_DONE = "document.done", "a report was extracted"
    DOCUMENT_FAILED = "document.failed", "a report's extraction failed"
    EVALUATION_STATUS_CHANGED = (
        "evaluation.status_changed",
        "a target's status changed (with the old and new status)",
    )
    CLAIM_CONTRADICTED = (
        "claim.contradicted",
        "a report's claim of attainment became contradicted by the computed figure",
    )


class WebhookSubscription(models.Model):
    """A URL another system gave to be told of some events, and the secret that signs them."""

    url = models.URLField(max_length=500, help_text="Where the events are posted (http or https).")
    secret = models.CharField(
        max_length=200, help_text="Signs every delivery (HMAC-SHA256); never shown again."
    )
    events = models.JSONField(default=list, help_text="The events to deliver, e.g. document.done.")
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class DeliveryStatus(models.TextChoices):
    """Where a delivery stands: waiting (or retrying), delivered, or given up."""

    PENDING = "pending", "pending (queued or retrying)"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed (gave up after the last attempt)"


class WebhookDelivery(models.Model):
    """One event posted (or to be posted) to one subscription, with its attempts."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField(help_text="The event's data, as posted under `data`.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="delivery_subscription"),
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="delivery_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="delivery_event_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription_id}: {self.status}"
