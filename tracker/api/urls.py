"""URLs of the jurisdiction, target and actual API (mounted under /api/v1/)."""

from django.urls import path

from tracker.api.views import (
    ActualViewSet,
    AuthTokenView,
    HealthView,
    JurisdictionViewSet,
    TargetViewSet,
)

# (prefix, viewset, basename): registered on the API's router (tracker/urls.py).
ROUTES = [
    ("jurisdictions", JurisdictionViewSet, "jurisdiction"),
    ("targets", TargetViewSet, "target"),
    ("actuals", ActualViewSet, "actual"),
]
urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
]
