"""URLs of the indicator catalogue's API (mounted under /api/v1/)."""

from indicators.api.views import IndicatorViewSet

# (prefix, viewset, basename): registered on the API's router (tracker/urls.py).
ROUTES = [("indicators", IndicatorViewSet, "indicator")]
urlpatterns: list = []
