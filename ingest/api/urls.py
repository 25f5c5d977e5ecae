"""URLs of the source documents' API (mounted under /api/v1/)."""

from ingest.api.views import DocumentViewSet

# (prefix, viewset, basename): registered on the API's router (tracker/urls.py).
ROUTES = [("documents", DocumentViewSet, "document")]
urlpatterns: list = []
