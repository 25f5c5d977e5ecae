"""The attainment row contract, shared by the API, the management command and the pages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator
from ingest.models import ClaimStatus
from tracker.api.serializers import JurisdictionBriefSerializer
from tracker.attainment.models import Evaluation, Flag, GrowthSource, Progress, Status
from tracker.attainment.rules import AttainmentRules, entered_on, period_months, rules_get
from tracker.attainment.selectors import SUMMARY_GROUPS
from tracker.models import Actual, Comparator, Fact, Level, Measure, Target
from tracker.numbers import plain_float
from tracker.rest.fields import DECIMAL_STRING, ExactDecimalField, MonthField


def rules_of(field: serializers.Field) -> AttainmentRules:
    """The rules the rows were judged by (the serializer's context), else those in force."""
    return field.context.get("rules") or rules_get()


def fact_known(fact: Fact):
    """When a fact became known: its document's publication date, else the day it was entered."""
    document = fact.source_document
    if document is not None and document.published is not None:
        return document.published
    if fact.published is not None:  # imported with its publication date
        return fact.published
    return entered_on(fact.created_at)


@extend_schema_field(OpenApiTypes.DOUBLE)
class RoundedField(serializers.Field):
    """A float rounded for people: ratios to 4 places, percentages to 2 (see the rules)."""

    def __init__(self, *, kind: str = "ratio", **kwargs):
        self.kind = kind
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> float | None:
        rules = rules_of(self)
        places = rules.ratio_places if self.kind == "ratio" else rules.growth_places
        return round(float(value), places)


@extend_schema_field(DECIMAL_STRING)
class BaseUnitField(serializers.Field):
    """A computed amount in the indicator's base unit, as a decimal string (6 places at most)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return plain_float(round(float(value), 6))


class AttainmentIndicatorSerializer(serializers.ModelSerializer):
    """The indicator of a target, with what decides how it is judged."""

    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "unit", "nature", "direction"]


class FactProvenanceSerializer(serializers.Serializer):
    """Where a number came from and who vouched for it."""

    document = serializers.IntegerField(source="source_document_id", allow_null=True)
    document_title = serializers.CharField(
        source="source_document.title", allow_null=True, default=None
    )
    published = serializers.DateField(
        source="source_document.published", allow_null=True, default=None
    )
    quote = serializers.CharField()
    span = serializers.SerializerMethodField()
    entered_by = serializers.CharField(
        source="entered_by.username", read_only=True, allow_null=True, default=None
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True, default=None
    )
    reviewed_at = serializers.DateTimeField(allow_null=True)
    origin = serializers.CharField(
        help_text="Where a fact not extracted from a document came from (an import's file "
        "and row, and who imported it)."
    )

    def get_span(self, fact) -> list[int] | None:
        return None if fact.span_start is None else [fact.span_start, fact.span_end]


class AttainmentTargetSerializer(serializers.ModelSerializer):
    """The target being evaluated."""

    jurisdiction = JurisdictionBriefSerializer()
    indicator = AttainmentIndicatorSerializer()
    value = ExactDecimalField()
    period_start = MonthField()
    period_end = MonthField()
    period_months = serializers.SerializerMethodField()
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

    def get_period_months(self, target) -> int:
        return period_months(target.period_start, target.period_end)


class AttainmentActualSerializer(serializers.ModelSerializer):
    """An accepted actual the evaluation used (the one judged, or a baseline)."""

    value = ExactDecimalField()
    period_start = MonthField()
    period_end = MonthField()
    months = serializers.SerializerMethodField()
    known = serializers.SerializerMethodField(
        help_text="Publication date of its document, else entry date."
    )
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

    def get_months(self, actual) -> int:
        return period_months(actual.period_start, actual.period_end)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_known(self, actual) -> str:
        return fact_known(actual).isoformat()


class SupersededActualSerializer(serializers.Serializer):
    """An accepted actual for the same period that a later publication revised."""

    id = serializers.IntegerField()
    value = ExactDecimalField()
    known = serializers.DateField()
    source_document = serializers.IntegerField(allow_null=True)


class PointSerializer(serializers.Serializer):
    """A level actual used in growth arithmetic."""

    id = serializers.IntegerField(allow_null=True)
    value = BaseUnitField()
    period_end = MonthField(source="end")


class ProgressSerializer(serializers.Serializer):
    """SDG progress category of a multi-year target: R = observed / required annual growth."""

    category = serializers.ChoiceField(choices=Progress.choices)
    ratio = RoundedField(allow_null=True)
    observed_growth = RoundedField(kind="growth", allow_null=True)
    required_growth = RoundedField(kind="growth", allow_null=True)
    baseline = PointSerializer()
    current = PointSerializer()


class TrajectoryYearSerializer(serializers.Serializer):
    """One year of a CAGR target's path: baseline × (1 + r)^k against that year's actual."""

    year = serializers.IntegerField()
    k = serializers.IntegerField()
    expected = BaseUnitField()
    actual = PointSerializer(allow_null=True)
    ratio = RoundedField(allow_null=True)
    gap = BaseUnitField(allow_null=True)


class ConsistencySerializer(serializers.Serializer):
    """A level target and a growth target for the same period, checked against the baseline."""

    level_target = BaseUnitField()
    stated_growth = RoundedField(kind="growth")
    baseline = PointSerializer()
    implied_growth = RoundedField(kind="growth")
    difference = RoundedField(kind="growth", help_text="implied - stated, percentage points")
    tolerance = serializers.FloatField()
    consistent = serializers.BooleanField()


class IncrementSerializer(serializers.Serializer):
    """A later part-period actual of a flow added to the year-to-date figure."""

    id = serializers.IntegerField()
    value = serializers.CharField(help_text="As stated, in the base unit (a decimal string).")
    period_start = MonthField()
    period_end = MonthField()


class ClaimCheckSerializer(serializers.Serializer):
    """A report's claim of attainment beside the figure the tracker computed."""

    claim = serializers.IntegerField(help_text="The claim's id.")
    document = serializers.IntegerField(help_text="The report that makes the claim.")
    quote = serializers.CharField()
    blanket = serializers.BooleanField(help_text="A claim about every target of the year.")
    claimed_status = serializers.ChoiceField(choices=ClaimStatus.choices)
    claimed_ratio = serializers.FloatField(
        allow_null=True, help_text="The claimed share of the target, in percent."
    )
    computed_status = serializers.ChoiceField(choices=Status.choices)
    computed_ratio = RoundedField(
        kind="growth", allow_null=True, help_text="The attainment ratio computed, in percent."
    )
    difference = RoundedField(
        kind="growth", allow_null=True, help_text="claimed - computed, percentage points."
    )
    tolerance = serializers.FloatField(help_text="Allowed difference, percentage points.")
    checked = serializers.BooleanField(
        help_text="Whether the target is judged on its whole period (met or missed)."
    )
    contradicted = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class RollupJurisdictionSerializer(serializers.Serializer):
    """A child jurisdiction of a roll-up."""

    jurisdiction = serializers.IntegerField(help_text="The child's id.")
    code = serializers.CharField(allow_null=True)
    name_zh = serializers.CharField()


class RollupChildSerializer(RollupJurisdictionSerializer):
    """A child's figure summed into its parent's."""

    actual = serializers.IntegerField(help_text="The child's accepted actual that was summed.")
    value = serializers.CharField(help_text="As stated, in the base unit (a decimal string).")


class RollupCoverageSerializer(serializers.Serializer):
    """How many of the parent's children reported (DHIS2's coverage)."""

    reporting = serializers.IntegerField()
    expected = serializers.IntegerField()
    ratio = RoundedField(help_text="reporting / expected")
    min_ratio = serializers.FloatField(help_text="Below it the parent is not judged on the sum.")
    missing = RollupJurisdictionSerializer(many=True)


class RollupSerializer(serializers.Serializer):
    """A parent's figure derived from its children's (summed flows and stocks), never reported."""

    derived = serializers.BooleanField()
    value = BaseUnitField(help_text="The sum of the children's figures, in the base unit.")
    period_start = MonthField()
    period_end = MonthField()
    coverage = RollupCoverageSerializer()
    children = RollupChildSerializer(many=True)


class BasisSerializer(serializers.Serializer):
    """The values an evaluation used, so that an auditor can redo it by hand."""

    as_of = serializers.DateField()
    compared_with = BaseUnitField(
        allow_null=True,
        help_text="The target value the actual was compared with (pro-rated for part periods).",
    )
    elapsed_months = serializers.IntegerField(allow_null=True)
    period_months = serializers.IntegerField()
    partial = serializers.BooleanField()
    derived_from_levels = serializers.BooleanField()
    tolerance = serializers.SerializerMethodField()
    horizon_months = serializers.IntegerField(
        allow_null=True,
        help_text="Months from the baseline's last month to the target's last month.",
    )
    year_to_date = BaseUnitField(
        allow_null=True,
        help_text="The counted actual plus its increments (the figure judged), when any.",
    )
    increments = IncrementSerializer(many=True)
    rollup = RollupSerializer(
        allow_null=True,
        help_text="The children's summed figure, judged when the target has no actual of its "
        "own (flag rolled_up), or too incomplete to judge (flag rollup_incomplete).",
    )

    def get_tolerance(self, evaluation) -> float | None:
        return rules_of(self).tolerance(evaluation.target.comparator)


class GrowthGapRowSerializer(serializers.ModelSerializer):
    """The growth view of an evaluation: what growth the target needs and what was achieved."""

    target = AttainmentTargetSerializer()
    baseline = AttainmentActualSerializer(allow_null=True)
    required_growth = RoundedField(kind="growth", allow_null=True)
    achieved_growth = RoundedField(kind="growth", allow_null=True)
    growth_gap = RoundedField(kind="growth", allow_null=True)
    growth_source = serializers.ChoiceField(choices=GrowthSource.choices, allow_null=True)
    progress = ProgressSerializer(allow_null=True)
    trajectory = TrajectoryYearSerializer(many=True, allow_null=True)
    consistency = ConsistencySerializer(allow_null=True)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Flag.choices))

    class Meta:
        model = Evaluation
        fields = [
            "target",
            "baseline",
            "required_growth",
            "achieved_growth",
            "growth_gap",
            "growth_source",
            "progress",
            "trajectory",
            "consistency",
            "flags",
        ]
        read_only_fields = fields


class AttainmentRowSerializer(GrowthGapRowSerializer):
    """One target, the actual that counts for it, and how it stands."""

    actual = AttainmentActualSerializer(allow_null=True)
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
    claims = ClaimCheckSerializer(many=True)
    claim_contradicted = serializers.BooleanField()

    class Meta(GrowthGapRowSerializer.Meta):
        fields = [
            "target",
            "actual",
            "superseded",
            "status",
            "attainment_ratio",
            "gap",
            "projection",
            "baseline",
            "required_growth",
            "achieved_growth",
            "growth_gap",
            "growth_source",
            "progress",
            "trajectory",
            "consistency",
            "flags",
            "basis",
            "claims",
            "claim_contradicted",
        ]
        read_only_fields = fields


class SummaryGroupSerializer(serializers.Serializer):
    """Counts by status and the mean attainment ratio of one group of evaluations."""

    group = serializers.DictField()
    total = serializers.IntegerField()
    mean_attainment = RoundedField(allow_null=True)
    by_status = serializers.DictField(child=serializers.IntegerField())


class SummarySerializer(serializers.Serializer):
    """The summary of the evaluations a query selects, grouped one way."""

    group_by = serializers.ChoiceField(choices=list(SUMMARY_GROUPS))
    as_of = serializers.DateField()
    evaluation = serializers.ChoiceField(
        choices=["stored", "live"],
        help_text="stored: read from the evaluations kept current; live: evaluated for this "
        "request (another day or other rules).",
    )
    results = SummaryGroupSerializer(many=True)


class CompareQuerySerializer(serializers.Serializer):
    """What a comparison compares: one indicator, one year, the jurisdictions of a level."""

    indicator = serializers.CharField(help_text="Indicator code.")
    year = serializers.IntegerField(min_value=1, max_value=9999)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.PREFECTURE)
    parent = serializers.CharField(
        required=False, help_text="Only under this jurisdiction (name or division code)."
    )
    measure = serializers.ChoiceField(choices=Measure.choices, default=Measure.LEVEL)


class TrajectoryQuerySerializer(serializers.Serializer):
    """Whose indicator to follow across the years."""

    jurisdiction = serializers.CharField(help_text="Name or division code.")
    indicator = serializers.CharField(help_text="Indicator code.")
    measure = serializers.ChoiceField(choices=Measure.choices, default=Measure.LEVEL)


VALUE_SOURCES = [
    ("actual", "the jurisdiction's own accepted actual"),
    ("year_to_date", "its part-period actuals summed (increments)"),
    ("rollup", "its children's figures summed (derived, see coverage)"),
]


class ComparedTargetSerializer(serializers.Serializer):
    """The target of a comparison row."""

    id = serializers.IntegerField()
    value = ExactDecimalField()
    comparator = serializers.ChoiceField(choices=Comparator.choices)


class ComparisonRowSerializer(serializers.Serializer):
    """One jurisdiction's target for the indicator and year, and its ranks."""

    jurisdiction = JurisdictionBriefSerializer()
    target = ComparedTargetSerializer()
    value = BaseUnitField(allow_null=True, help_text="The figure the target was judged on.")
    value_source = serializers.ChoiceField(choices=VALUE_SOURCES, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    attainment_ratio = RoundedField(allow_null=True)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Flag.choices))
    rank_by_ratio = serializers.IntegerField(allow_null=True, help_text="1 = highest ratio.")
    rank_by_value = serializers.IntegerField(allow_null=True, help_text="1 = highest value.")


class ComparisonSerializer(serializers.Serializer):
    """One indicator and year across the jurisdictions of a level, ranked by attainment."""

    indicator = serializers.CharField()
    year = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    parent = JurisdictionBriefSerializer(allow_null=True)
    as_of = serializers.DateField()
    evaluation = serializers.ChoiceField(choices=["stored", "live"])
    results = ComparisonRowSerializer(many=True)


class TrajectoryActualSerializer(serializers.Serializer):
    """A year's accepted annual figure."""

    id = serializers.IntegerField()
    value = ExactDecimalField()


class TrajectoryYearRowSerializer(serializers.Serializer):
    """One year of a jurisdiction's indicator: its figure, its target and how it stands."""

    year = serializers.IntegerField()
    actual = TrajectoryActualSerializer(allow_null=True)
    target = ComparedTargetSerializer(allow_null=True)
    value = BaseUnitField(allow_null=True, help_text="The figure of the year (judged).")
    value_source = serializers.ChoiceField(choices=VALUE_SOURCES, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    attainment_ratio = RoundedField(allow_null=True)


class JurisdictionTrajectorySerializer(serializers.Serializer):
    """A jurisdiction's indicator across the years."""

    jurisdiction = JurisdictionBriefSerializer()
    indicator = serializers.CharField()
    measure = serializers.ChoiceField(choices=Measure.choices)
    as_of = serializers.DateField()
    evaluation = serializers.ChoiceField(choices=["stored", "live"])
    results = TrajectoryYearRowSerializer(many=True)


class RollupQuerySerializer(serializers.Serializer):
    """Whose derived figures to list."""

    jurisdiction = serializers.CharField(help_text="The parent: name or division code.")
    indicator = serializers.CharField(required=False, help_text="Indicator code (default all).")
    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="Periods that include this year."
    )


class RollupRowSerializer(RollupSerializer):
    """A parent's figure for an indicator and period, summed from its children's."""

    indicator = serializers.CharField()


class RollupListSerializer(serializers.Serializer):
    """A parent's derived figures, each with its coverage."""

    jurisdiction = JurisdictionBriefSerializer()
    as_of = serializers.DateField()
    results = RollupRowSerializer(many=True)
