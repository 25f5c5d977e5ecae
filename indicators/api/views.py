from rest_framework import viewsets

from indicators import selectors, services
from indicators.api.serializers import IndicatorSerializer
from indicators.filters import IndicatorFilter
from tracker.rest.parsers import BoundedJSONParser
from tracker.rest.permissions import Role


class IndicatorViewSet(viewsets.ModelViewSet):
    """The indicator catalogue, addressed by code. Admins write; everyone with a role reads."""

    queryset = selectors.indicator_list()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    ordering_fields = ["code", "name_en", "unit"]
    write_role = Role.ADMIN
    # JSON only: a form cannot tell the list `aliases` from one alias ("{}" became ["{}"]).
    parser_classes = [BoundedJSONParser]

    def perform_create(self, serializer):
        serializer.instance, _ = services.indicator_upsert(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.indicator_update(
            indicator=serializer.instance, data=serializer.validated_data
        )
