"""URLs: admin, the versioned JSON API and its documentation, the auditor's pages."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from indicators.api import urls as indicators_api
from ingest.api import urls as ingest_api
from tracker import site
from tracker.api import urls as tracker_api
from tracker.attainment import views as attainment_pages
from tracker.attainment.api import urls as attainment_api
from tracker.webhooks.api import urls as webhooks_api

# Each app's API names its routes; one router serves them all (and the API root).
APP_APIS = [tracker_api, indicators_api, ingest_api, attainment_api, webhooks_api]
router = DefaultRouter()
for app_api in APP_APIS:
    for prefix, viewset, basename in app_api.ROUTES:
        router.register(prefix, viewset, basename=basename)

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", site.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", site.RedocView.as_view(url_name="schema"), name="redoc"),
    *(pattern for app_api in APP_APIS for pattern in app_api.urlpatterns),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/docs/", permanent=False)),
    path("favicon.ico", site.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("reports/", attainment_pages.reports_index, name="report-index"),
    path(
        "reports/<str:code>/<int:year>/",
        attainment_pages.attainment_report,
        name="attainment-report",
    ),
    path("reports/quote/<str:kind>/<int:pk>/", attainment_pages.fact_quote, name="fact-quote"),
]

# Errors outside DRF's views (an id the URL patterns refuse) keep the API's JSON shape.
handler404 = "tracker.rest.errors.not_found"
handler500 = "tracker.rest.errors.server_error"
