"""URLs: admin, the versioned JSON API and its documentation."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import DefaultRouter

from indicators.api.views import IndicatorViewSet
from ingest.api.views import DocumentViewSet
from tracker.api.attainment import (
    AttainmentExportView,
    AttainmentViewSet,
    AttainmentXlsxExportView,
    GrowthGapViewSet,
)
from tracker.api.views import (
    ActualViewSet,
    AuthTokenView,
    HealthView,
    JurisdictionViewSet,
    TargetViewSet,
)
from tracker.attainment.views import attainment_report, fact_quote

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("actuals", ActualViewSet, basename="actual")
router.register("documents", DocumentViewSet, basename="document")
router.register("attainment", AttainmentViewSet, basename="attainment")
router.register("growth-gaps", GrowthGapViewSet, basename="growth-gap")

api_v1 = [
    path("health/", HealthView.as_view(), name="health"),
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("attainment/export.csv", AttainmentExportView.as_view(), name="attainment-export-csv"),
    path(
        "attainment/export.xlsx",
        AttainmentXlsxExportView.as_view(),
        name="attainment-export-xlsx",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/docs/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("api/v1/", include(api_v1)),
    path("reports/<str:code>/<int:year>/", attainment_report, name="attainment-report"),
    path("reports/quote/<str:kind>/<int:pk>/", fact_quote, name="fact-quote"),
]

# Errors outside DRF's views (an id the URL patterns refuse) keep the API's JSON shape.
handler404 = "tracker.api.errors.not_found"
handler500 = "tracker.api.errors.server_error"
