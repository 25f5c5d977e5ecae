"""Query filters of the jurisdiction, target and actual list endpoints."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from tracker.models import Actual, Jurisdiction, Level, Measure, ReviewState, Target
from tracker.rest.fields import MONTH_FORMAT_ERROR
from tracker.selectors import PERIOD_KINDS, facts_of_period_kind

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]
# The largest id a BIGINT column holds; SQLite raises OverflowError on larger ones.
ID_MAX = 2**63 - 1


class MonthFormField(forms.DateField):
    """A form field for a month written YYYY-MM."""

    input_formats = MONTH_FORMATS
    default_error_messages = {"invalid": MONTH_FORMAT_ERROR}


class MonthFilter(filters.DateFilter):
    """Filter on a month written YYYY-MM."""

    field_class = MonthFormField


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": ID_MAX})
class IdFilter(filters.NumberFilter):
    """Filter on a row id: a whole number the database can compare (else 400, not 500)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=ID_MAX, **kwargs)

    def get_max_validator(self):
        return None  # max_value above already bounds it


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    """Filter on a calendar year a date can hold (1..9999; else 400, not 500)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=9999, **kwargs)

    def get_max_validator(self):
        return None  # max_value above already bounds it


class PeriodKind(filters.ChoiceFilter):
    """Full calendar year, part of a year (year to date), or several years."""

    def __init__(self, **kwargs):
        super().__init__(choices=PERIOD_KINDS, method=self.filter_kind, **kwargs)

    @staticmethod
    def filter_kind(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return facts_of_period_kind(queryset, kind=value)


def filter_jurisdiction(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Match a jurisdiction by division code, Chinese name or English name."""
    prefix = f"{name}__" if name else ""
    value = value.strip()
    return queryset.filter(
        Q(**{f"{prefix}code": value})
        | Q(**{f"{prefix}name_zh": value})
        | Q(**{f"{prefix}name_en__iexact": value})
    )


def jurisdiction_and_descendants(jurisdictions: QuerySet[Jurisdiction]) -> QuerySet:
    """The ids of these jurisdictions and of every jurisdiction under them (three levels:
    a province, its prefectures, their counties)."""
    roots = jurisdictions.values("pk")
    return Jurisdiction.objects.filter(
        Q(pk__in=roots) | Q(parent__in=roots) | Q(parent__parent__in=roots)
    ).values("pk")


class FactFilter(filters.FilterSet):
    """Filters shared by targets and actuals."""

    jurisdiction_id = IdFilter(field_name="jurisdiction_id", method="filter_jurisdiction_id")
    jurisdiction = filters.CharFilter(
        field_name="jurisdiction",
        method="filter_jurisdiction_named",
        label="Jurisdiction by division code, Chinese or English name",
    )
    include_descendants = filters.BooleanFilter(
        method="filter_include_descendants",
        label="With jurisdiction or jurisdiction_id: also every jurisdiction under it",
    )
    indicator = filters.CharFilter(field_name="indicator__code", label="Indicator code")
    measure = filters.ChoiceFilter(choices=Measure.choices)
    review_state = filters.ChoiceFilter(choices=ReviewState.choices)
    year = YearFilter(method="filter_year", label="Period includes this year")
    period_after = MonthFilter(
        field_name="period_start",
        lookup_expr="gte",
        label="Period starts in or after this month (YYYY-MM)",
    )
    period_before = MonthFilter(
        field_name="period_end",
        lookup_expr="lte",
        label="Period ends in or before this month (YYYY-MM)",
    )
    period_kind = PeriodKind(label="Kind of period")
    source_document = IdFilter(field_name="source_document_id")

    def filter_year(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(period_start__year__lte=value, period_end__year__gte=value)

    def _descendants(self) -> bool:
        return bool(self.form.cleaned_data.get("include_descendants"))

    def filter_jurisdiction_named(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self._descendants():
            named = filter_jurisdiction(Jurisdiction.objects.all(), "", value)
            return queryset.filter(jurisdiction_id__in=jurisdiction_and_descendants(named))
        return filter_jurisdiction(queryset, name, value)

    def filter_jurisdiction_id(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if self._descendants():
            chosen = Jurisdiction.objects.filter(pk=value)
            return queryset.filter(jurisdiction_id__in=jurisdiction_and_descendants(chosen))
        return queryset.filter(jurisdiction_id=value)

    def filter_include_descendants(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Read by the jurisdiction filters: alone it selects nothing.
        return queryset


class JurisdictionFilter(filters.FilterSet):
    """Filters of the jurisdiction list."""

    q = filters.CharFilter(method="filter_q", label="Name (Chinese or English) contains")
    code = filters.CharFilter()
    name = filters.CharFilter(field_name="", method=filter_jurisdiction, label="Exact name or code")
    level = filters.ChoiceFilter(choices=Level.choices)
    parent = filters.CharFilter(field_name="parent", method=filter_jurisdiction)
    parent_id = IdFilter(field_name="parent_id")
    review_state = filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = Jurisdiction
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name_zh__contains=value) | Q(name_en__icontains=value))


class TargetFilter(FactFilter):
    """Filters of the target list."""

    class Meta:
        model = Target
        fields: list[str] = []


class ActualFilter(FactFilter):
    """Filters of the actual list."""

    class Meta:
        model = Actual
        fields: list[str] = []
