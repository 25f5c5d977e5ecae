"""Webhook subscriptions and the log of their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a subscriber can be told of."""

    DOCUMENT_DONE = "document.done", _("a report was extracted")
    DOCUMENT_FAILED = "document.failed", _("a report's extraction failed")
    EVALUATION_STATUS_CHANGED = (
        "evaluation.status_changed",
        _("a target's status changed (with the old and new status)"),
    )
    CLAIM_CONTRADICTED = (
        "claim.contradicted",
        _("a report's claim of attainment became contradicted by the computed figure"),
    )


class WebhookSubscription(models.Model):
    """A URL another system gave to be told of some events, and the secret that signs them."""

    url = models.URLField(
        max_length=500,
        help_text="Where the events are posted (http or https).",
        verbose_name=_("url"),
    )
    secret = models.CharField(
        max_length=200,
        help_text="Signs every delivery (HMAC-SHA256); never shown again.",
        verbose_name=_("secret"),
    )
    events = models.JSONField(
        default=list,
        help_text="The events to deliver, e.g. document.done.",
        verbose_name=_("events"),
    )
    active = models.BooleanField(default=True, verbose_name=_("active"))
    description = models.CharField(max_length=200, blank=True, verbose_name=_("description"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class DeliveryStatus(models.TextChoices):
    """Where a delivery stands: waiting (or retrying), delivered, or given up."""

    PENDING = "pending", _("pending (queued or retrying)")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed (gave up after the last attempt)")


class WebhookDelivery(models.Model):
    """One event posted (or to be posted) to one subscription, with its attempts."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(max_length=40, choices=Event.choices, verbose_name=_("event"))
    payload = models.JSONField(
        help_text="The event's data, as posted under `data`.", verbose_name=_("payload")
    )
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        verbose_name=_("status"),
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    response_status = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("response status")
    )
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last attempt at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
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
