"""Query filters of the attainment, summary, growth-gap and export endpoints."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from tracker.attainment.rules import Status
from tracker.filters import FactFilter
from tracker.models import Target

AS_OF_HELP = "Evaluate as if today were this date (YYYY-MM-DD): later actuals are ignored."


class AttainmentFilter(FactFilter):
    """Filters of the evaluation rows (the target filters, status and as_of)."""

    status = filters.MultipleChoiceFilter(
        choices=Status.choices, label="Status (repeatable)", method="filter_status"
    )
    as_of = filters.DateFilter(method="filter_as_of", label=AS_OF_HELP)
    # Filters that never change the rows (see tracker.filters.FilterBackend): as_of is read,
    # and checked, by the evaluation itself.
    passive_filters = frozenset({"as_of"})

    class Meta:
        model = Target
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # One IN test, without DISTINCT: the default, an OR of one test per status, writes
        # the status expression out once per status asked for, and its DISTINCT made the
        # database sort every evaluated row (a row has one status; nothing joins it twice).
        return queryset.filter(status__in=value)

    def filter_as_of(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # The evaluation itself reads as_of (see as_of_from_query); nothing to filter here.
        return queryset


def as_of_from_query(params) -> object:
    """The as_of date of a request's query, None when absent; raises ValidationError if bad."""
    raw = params.get("as_of")
    if not raw:
        return None
    field = forms.DateField(input_formats=["%Y-%m-%d"])
    return field.clean(raw)
