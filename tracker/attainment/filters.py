"""Query filters of the attainment, summary, growth-gap and export endpoints."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.lookups import IsNull
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from tracker.attainment.models import DEFAULT_ORDER, Evaluation, Status
from tracker.filters import FactFilter, IdFilter
from tracker.models import Measure, ReviewState

AS_OF_HELP = "Evaluate as if today were this date (YYYY-MM-DD): later actuals are ignored."
AS_OF_INVALID = _("Enter a date as YYYY-MM-DD.")
# The orderings a client may ask for, by the names the API has always used.
ORDERINGS = {
    "period_end": "period_end",
    "period_start": "period_start",
    "id": "target_id",
    "status": "status",
    "attainment_ratio": "attainment_ratio",
    "gap": "gap",
    "growth_gap": "growth_gap",
    "indicator__code": "indicator_code",
    "jurisdiction__code": "jurisdiction_code",
}
# Figures some targets have none of: rows without one come last, whichever the direction.
NULLABLE = frozenset({"attainment_ratio", "gap", "growth_gap"})


class EvaluationOrdering(filters.OrderingFilter):
    """Orders by the fields asked for, rows without a value last, ties broken by target id."""

    def __init__(self, **kwargs):
        fields = [(field, param) for param, field in ORDERINGS.items()]
        # Every label given: django-filter writes the descending ones once, at import, in the
        # language active then (Chinese by default), which the English schema must not catch.
        labels = {field: param.replace("_", " ").capitalize() for param, field in ORDERINGS.items()}
        labels["target_id"] = "Target id"
        labels["indicator_code"] = "Indicator code"
        labels["jurisdiction_code"] = "Jurisdiction code"
        super().__init__(fields=fields, field_labels=labels, **kwargs)

    def get_ordering_value(self, param: str):
        descending = param.startswith("-")
        name = self.param_map[param.removeprefix("-")]
        figure = F(name).desc() if descending else F(name).asc()
        # (figure IS NULL) first: the order the table's indexes of the figures keep.
        return [IsNull(F(name), True), figure] if name in NULLABLE else [figure]

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        ordering = [part for param in value for part in self.get_ordering_value(param)]
        return qs.order_by(*ordering, "target_id")


class EvaluationFilter(FactFilter):
    """Filters of the evaluations: the target filters, its status, and the day.

    The target's own fields are those of the target list (FactFilter); those the
    evaluation keeps a copy of are read from it (its indexes), the others through the target.
    """

    indicator = filters.CharFilter(field_name="indicator_code", label="Indicator code")
    measure = filters.ChoiceFilter(field_name="target__measure", choices=Measure.choices)
    review_state = filters.ChoiceFilter(
        field_name="target__review_state", choices=ReviewState.choices
    )
    source_document = IdFilter(field_name="target__source_document_id")
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, label="Status (repeatable)", method="filter_status"
    )
    claim_contradicted = filters.BooleanFilter(
        label="A report's claim of attainment is contradicted by the computed figure"
    )
    as_of = filters.DateFilter(method="filter_as_of", label=AS_OF_HELP)
    ordering = EvaluationOrdering(label="Order by (prefix - for descending)")

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # One IN test: the default, an OR of one test per status, adds a DISTINCT.
        return queryset.filter(status__in=value)

    def filter_as_of(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # The day decides which rows answer (stored or live), not which of them match.
        return queryset


DEFAULT_ORDERING = list(DEFAULT_ORDER)


def as_of_from_query(params: QueryDict) -> date | None:
    """The as_of date of a request's query, None when absent; raises ValidationError if bad."""
    raw = params.get("as_of")
    if not raw:
        return None
    try:
        return forms.DateField(input_formats=["%Y-%m-%d"]).clean(raw)
    except ValidationError as exc:
        raise ValidationError({"as_of": [AS_OF_INVALID]}) from exc
