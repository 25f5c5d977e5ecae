"""URLs of the webhooks' API (mounted under /api/v1/)."""

from tracker.webhooks.api.views import WebhookSubscriptionViewSet

# (prefix, viewset, basename): registered on the API's router (tracker/urls.py).
ROUTES = [("webhooks", WebhookSubscriptionViewSet, "webhook")]
urlpatterns: list = []
