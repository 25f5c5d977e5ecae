"""Admin of webhooks: subscriptions (written through the services) and the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from tracker.webhooks import services
from tracker.webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookSubscription


class SubscriptionForm(forms.ModelForm):
    """A subscription: its events as check boxes; the secret is asked for, never shown."""

    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(choices=Event.choices, widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Signs every delivery (HMAC-SHA256). Leave empty to keep the current one.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["url", "secret", "events", "active", "description"]

    def clean_secret(self) -> str:
        secret = self.cleaned_data.get("secret", "")
        if not secret and self.instance.pk is None:
            raise forms.ValidationError("A new subscription needs a secret.")
        return secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["id", "url", "events", "active", "created_by", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name] for name in ("url", "events", "active", "description")
        }
        if form.cleaned_data.get("secret"):
            data["secret"] = form.cleaned_data["secret"]
        if change:
            stored = WebhookSubscription.objects.get(pk=obj.pk)
            saved = services.webhook_subscription_update(subscription=stored, data=data)
        else:
            saved = services.webhook_subscription_create(user=request.user, **data)
        obj.pk = saved.pk


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent where, how often, and what came back."""

    list_display = [
        "id",
        "event",
        "subscription",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    actions = ["deliver_again"]

    def has_add_permission(self, request) -> bool:
        return False  # deliveries come from events

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log

    @admin.action(description="Deliver the selected deliveries again", permissions=["view"])
    def deliver_again(self, request, queryset):
        redone = 0
        for delivery in queryset.exclude(status=DeliveryStatus.DELIVERED):
            services.webhook_delivery_retry(delivery=delivery)
            redone += 1
        self.message_user(request, f"{redone} deliveries queued again.", messages.SUCCESS)
