"""Query filters of the document list."""

from django_filters import rest_framework as filters

from ingest.models import IngestStatus, SourceDocument
from tracker.filters import IdFilter, filter_jurisdiction


class DocumentFilter(filters.FilterSet):
    """Filters of the document list."""

    jurisdiction_id = IdFilter(field_name="jurisdiction_id")
    jurisdiction = filters.CharFilter(field_name="jurisdiction", method=filter_jurisdiction)
    status = filters.ChoiceFilter(choices=IngestStatus.choices)
    published_after = filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published", lookup_expr="lte")
    sha256 = filters.CharFilter()

    class Meta:
        model = SourceDocument
        fields: list[str] = []
