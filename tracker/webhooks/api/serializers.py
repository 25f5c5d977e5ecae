"""Serializers of webhook subscriptions and their deliveries."""

from __future__ import annotations

from rest_framework import serializers

from tracker.rest.input import TextField
from tracker.webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as the API shows it (never its secret)."""

    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "active", "description", "created_by", "created_at"]
        read_only_fields = fields


class WebhookSubscriptionInputSerializer(serializers.Serializer):
    """What a client sends to subscribe a URL, or to change a subscription."""

    url = serializers.URLField(max_length=500)
    secret = TextField(
        max_length=200, min_length=16, write_only=True, help_text="Signs every delivery."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.choices), allow_empty=False
    )
    active = serializers.BooleanField(default=True)
    description = TextField(max_length=200, allow_blank=True, default="")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One delivery of an event: its data, attempts and outcome."""

    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    event = serializers.ChoiceField(choices=Event.choices)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "payload",
            "status",
            "attempts",
            "response_status",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields
