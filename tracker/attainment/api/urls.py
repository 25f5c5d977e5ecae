"""URLs of the evaluations' API (mounted under /api/v1/)."""

from django.urls import path

from tracker.attainment.api.views import (
    AttainmentExportView,
    AttainmentViewSet,
    AttainmentXlsxExportView,
    GrowthGapViewSet,
)

# (prefix, viewset, basename): registered on the API's router (tracker/urls.py).
ROUTES = [
    ("attainment", AttainmentViewSet, "attainment"),
    ("growth-gaps", GrowthGapViewSet, "growth-gap"),
]
urlpatterns = [
    path("attainment/export.csv", AttainmentExportView.as_view(), name="attainment-export-csv"),
    path(
        "attainment/export.xlsx", AttainmentXlsxExportView.as_view(), name="attainment-export-xlsx"
    ),
]
