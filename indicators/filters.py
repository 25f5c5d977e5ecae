"""Query filters of the indicator list."""

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from indicators.models import Direction, Indicator, Nature, Unit


class IndicatorFilter(filters.FilterSet):
    """Filters of the indicator list."""

    q = filters.CharFilter(method="filter_q", label="Code or name (Chinese or English) contains")
    unit = filters.ChoiceFilter(choices=Unit.choices)
    nature = filters.ChoiceFilter(choices=Nature.choices)
    direction = filters.ChoiceFilter(choices=Direction.choices)

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(code__icontains=value) | Q(name_zh__contains=value) | Q(name_en__icontains=value)
        )
