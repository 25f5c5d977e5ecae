"""Site-wide pages outside the API's data: the favicon and the API documentation, offline."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

FAVICON = Path(__file__).resolve().parent / "static" / "tracker" / "favicon.ico"

# The documentation pages may load from this host only. ReDoc's sidebar links to its maker
# with a logo from cdn.redoc.ly (no option turns it off): the browser is told not to fetch it.
# Scripts and styles inline as the bundles write them; ReDoc's search runs in a blob worker.
OFFLINE_DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class OfflineDocsMixin:
    """Serve a documentation page with a policy that keeps the browser on this host."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = OFFLINE_DOCS_POLICY
        return response


class RedocView(OfflineDocsMixin, SpectacularRedocView):
    """ReDoc from the sidecar app, loading nothing from another host."""


class SwaggerView(OfflineDocsMixin, SpectacularSwaggerView):
    """Swagger UI from the sidecar app, loading nothing from another host."""


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """The tracker's icon, where browsers look for it."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
