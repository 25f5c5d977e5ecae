"""The attainment row contract, shared by the API, the management command and the exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.serializers import Serializer

from indicators.models import Indicator
from tracker.api.fields import ExactDecimalField, MonthField
from tracker.api.representation import PlainRepresentation
from tracker.api.serializers import JurisdictionBriefSerializer
from tracker.attainment.rules import (
    AttainmentRules,
    Flag,
    GrowthSource,
    Progress,
    Status,
    rules_get,
)
from tracker.models import Actual, Target
from tracker.numbers import plain_float


def rules_of(field: serializers.Field) -> AttainmentRules:
    """The rules a row serializer was built with (see row_writer), else those in force."""
    return field.context.get("rules") or rules_get()


@extend_schema_field(OpenApiTypes.DOUBLE)
class RoundedField(serializers.Field):
    """A float rounded for people: ratios to 4 places, percentages to 2 (see settings)."""

    def __init__(self, *, kind: str = "ratio", **kwargs):
        self.kind = kind
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent) -> None:
        super().bind(field_name, parent)
        # Once per serializer, not per figure: a page rounds about 600 of them.
        rules = rules_of(self)
        self.places = rules.ratio_places if self.kind == "ratio" else rules.growth_places

    def to_representation(self, value) -> float | None:
        if value is None:
            return None
        return round(float(value), self.places)


@extend_schema_field(OpenApiTypes.DECIMAL)
class BaseUnitField(serializers.Field):
    """A computed amount in the indicator's base unit, as a decimal string (6 places at most)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        if value is None:
            return None
        return plain_float(round(float(value), 6))


class AttainmentIndicatorSerializer(PlainRepresentation, serializers.ModelSerializer):
    """The indicator of a target, with what decides how it is judged."""

    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "unit", "nature", "direction"]


class FactProvenanceSerializer(PlainRepresentation, serializers.Serializer):
    """Where a number came from and who vouched for it."""

    document = serializers.IntegerField(source="source_document_id", allow_null=True)
    # Annotations of the evaluation's querysets (selectors.with_provenance), not relations.
    document_title = serializers.CharField(allow_null=True, default=None)
    published = serializers.DateField(source="document_published", allow_null=True, default=None)
    quote = serializers.CharField()
    span = serializers.SerializerMethodField()
    entered_by = serializers.CharField(source="entered_by_name", read_only=True, allow_null=True)
    reviewed_by = serializers.CharField(source="reviewed_by_name", read_only=True, allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)

    def get_span(self, fact) -> list[int] | None:
        return None if fact.span_start is None else [fact.span_start, fact.span_end]


class AttainmentTargetSerializer(PlainRepresentation, serializers.ModelSerializer):
    """The target being evaluated."""

    jurisdiction = JurisdictionBriefSerializer()
    indicator = AttainmentIndicatorSerializer()
    value = ExactDecimalField()
    period_start = MonthField()
    period_end = MonthField()
    period_months = serializers.IntegerField()
    provenance = FactProvenanceSerializer(source="*")

    class Meta:
        model = Target
        fields = [
            "id",
            "jurisdiction",
            "indicator",
            "measure",
            "comparator",
            "value",
            "unit",
            "period_start",
            "period_end",
            "period_months",
            "review_state",
            "provenance",
        ]
        read_only_fields = fields


class AttainmentActualSerializer(PlainRepresentation, serializers.ModelSerializer):
    """An accepted actual the evaluation used (the one judged, or a baseline)."""

    value = ExactDecimalField()
    period_start = MonthField()
    period_end = MonthField()
    months = serializers.IntegerField()
    known = serializers.DateField(help_text="Publication date of its document, else entry date.")
    provenance = FactProvenanceSerializer(source="*")

    class Meta:
        model = Actual
        fields = [
            "id",
            "measure",
            "value",
            "unit",
            "period_start",
            "period_end",
            "months",
            "known",
            "provenance",
        ]
        read_only_fields = fields


class SupersededActualSerializer(PlainRepresentation, serializers.ModelSerializer):
    """An accepted actual for the same period that a later publication revised."""

    value = ExactDecimalField()
    known = serializers.DateField()
    source_document = serializers.IntegerField(
        source="source_document_id", allow_null=True, read_only=True
    )

    class Meta:
        model = Actual
        fields = ["id", "value", "known", "source_document"]
        read_only_fields = fields


class PointSerializer(PlainRepresentation, serializers.Serializer):
    """A level actual used in growth arithmetic."""

    id = serializers.IntegerField(allow_null=True)
    value = BaseUnitField()
    period_end = MonthField(source="end")


class ProgressSerializer(PlainRepresentation, serializers.Serializer):
    """SDG progress category of a multi-year target: R = observed / required annual growth."""

    category = serializers.ChoiceField(choices=Progress.choices)
    ratio = RoundedField(allow_null=True)
    observed_growth = RoundedField(kind="growth", allow_null=True)
    required_growth = RoundedField(kind="growth", allow_null=True)
    baseline = PointSerializer()
    current = PointSerializer()


class TrajectoryYearSerializer(PlainRepresentation, serializers.Serializer):
    """One year of a CAGR target's path: baseline × (1 + r)^k against that year's actual."""

    year = serializers.IntegerField()
    k = serializers.IntegerField()
    expected = BaseUnitField()
    actual = PointSerializer(allow_null=True)
    ratio = RoundedField(allow_null=True)
    gap = BaseUnitField(allow_null=True)


class ConsistencySerializer(PlainRepresentation, serializers.Serializer):
    """A level target and a growth target for the same period, checked against the baseline."""

    level_target = BaseUnitField()
    stated_growth = RoundedField(kind="growth")
    baseline = PointSerializer()
    implied_growth = RoundedField(kind="growth")
    difference = RoundedField(kind="growth", help_text="implied - stated, percentage points")
    tolerance = serializers.FloatField()
    consistent = serializers.BooleanField()


class BasisSerializer(PlainRepresentation, serializers.Serializer):
    """The values an evaluation used, so that an auditor can redo it by hand."""

    as_of = serializers.DateField()
    compared_with = BaseUnitField(
        source="compare_to",
        help_text="The target value the actual was compared with (pro-rated for part periods).",
    )
    elapsed_months = serializers.IntegerField(source="e_months", allow_null=True)
    period_months = serializers.IntegerField()
    partial = serializers.BooleanField()
    derived_from_levels = serializers.BooleanField(source="derived")
    tolerance = serializers.SerializerMethodField()
    horizon_months = serializers.IntegerField(
        source="months_b_to_t",
        allow_null=True,
        help_text="Months from the baseline's last month to the target's last month.",
    )

    def get_tolerance(self, target) -> float | None:
        rules = rules_of(self)
        return {"eq": rules.eq_tolerance, "approx": rules.approx_tolerance}.get(target.comparator)


class GrowthGapRowSerializer(PlainRepresentation, serializers.Serializer):
    """The growth view of an evaluation: what growth the target needs and what was achieved."""

    target = AttainmentTargetSerializer(source="*")
    baseline = AttainmentActualSerializer(source="baseline_actual", allow_null=True)
    required_growth = RoundedField(kind="growth", allow_null=True)
    achieved_growth = RoundedField(kind="growth", allow_null=True)
    growth_gap = RoundedField(kind="growth", allow_null=True)
    growth_source = serializers.ChoiceField(choices=GrowthSource.choices, allow_null=True)
    progress = ProgressSerializer(allow_null=True)
    trajectory = TrajectoryYearSerializer(many=True, allow_null=True)
    consistency = ConsistencySerializer(allow_null=True)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Flag.choices))


class AttainmentRowSerializer(GrowthGapRowSerializer):
    """One target, the actual that counts for it, and how it stands."""

    actual = AttainmentActualSerializer(source="actual_used", allow_null=True)
    superseded = SupersededActualSerializer(many=True)
    status = serializers.ChoiceField(choices=Status.choices)
    attainment_ratio = RoundedField(allow_null=True)
    gap = BaseUnitField(
        allow_null=True, help_text="target - actual, in the base unit (percentage points for %)."
    )
    projection = BaseUnitField(
        allow_null=True, help_text="Full-period projection of a part-period flow."
    )
    basis = BasisSerializer(source="*")


def row_writer(
    *, rules: AttainmentRules, serializer: type[Serializer] = AttainmentRowSerializer
) -> Callable[[Any], dict]:
    """What writes an evaluated target as the serializer's row, rounded by these rules."""
    return _row_writer(serializer, rules).to_representation


def represent_rows(
    rows: Iterable,
    *,
    rules: AttainmentRules,
    serializer: type[Serializer] = AttainmentRowSerializer,
) -> list[dict]:
    """The rows of these evaluated targets, as the serializer writes them."""
    write = row_writer(rules=rules, serializer=serializer)
    return [write(row) for row in rows]


@lru_cache(maxsize=16)
def _row_writer(serializer: type[Serializer], rules: AttainmentRules) -> Serializer:
    # Built once per rules (they decide the rounding), not per page: binding a row
    # serializer's ~150 nested fields (deep copies, model introspection) cost a quarter of a
    # page's serialization. The fields keep no state of a request or a row between calls.
    return serializer(context={"rules": rules})
