from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: other systems told of documents, evaluations and claims as they change."""

    name = "tracker.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"
