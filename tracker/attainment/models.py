"""Stored evaluations: one row per target, as of a day, under a rule set."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a target stands against the actual that counts for it."""

    MET = "met", _("met")
    MISSED = "missed", _("missed")
    ON_TRACK = "on_track", _("on track (partial period)")
    BEHIND = "behind", _("behind (partial period)")
    IN_PROGRESS = "in_progress", _("in progress (partial period, level not reached yet)")
    PENDING = "pending", _("pending (no actual, period not over)")
    NO_DATA = "no_data", _("no data (no actual, period over)")


class Progress(models.TextChoices):
    """Progress category of a multi-year target evaluated mid-way (SDG progress method)."""

    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    ACCELERATION_NEEDED = "acceleration_needed", _("acceleration needed")
    LIMITED_PROGRESS = "limited_progress", _("limited progress")
    DETERIORATING = "deteriorating", _("deteriorating")


class Flag(models.TextChoices):
    """Remarks an auditor should see next to an evaluation."""

    REVISED = "revised", _("several accepted actuals for the period; the latest published counts")
    PARTIAL_ONLY_AFTER_PERIOD = (
        "partial_only_after_period",
        _("the period is over but only a part-period actual is known"),
    )
    INCONSISTENT_GROWTH = (
        "inconsistent_growth_target",
        _("a level and a growth target for the same period disagree with the baseline"),
    )
    TARGET_NOT_REVIEWED = "target_not_reviewed", _("the target is still proposed")
    NO_BASELINE = "no_baseline", _("no baseline actual to compute growth from")
    INCREMENTS_SUMMED = (
        "increments_summed",
        _("later part-period figures of the flow were added to the year-to-date figure"),
    )
    INCREMENTS_GAP = (
        "increments_gap",
        _("a part-period figure was left out: a month between it and the counted ones is missing"),
    )
    CLAIM_CONTRADICTED = (
        "claim_contradicted",
        _("a report claims an attainment that the computed figure contradicts"),
    )
    ROLLED_UP = (
        "rolled_up",
        _("judged on the children's summed figures (derived, not reported): see basis.rollup"),
    )
    ROLLUP_INCOMPLETE = (
        "rollup_incomplete",
        _("too few children reported to judge the parent on their sum (see the coverage)"),
    )


class GrowthSource(models.TextChoices):
    """Where an achieved growth rate came from."""

    LEVELS = "levels", _("ratio of two accepted level actuals")
    YOY_ACTUAL = "yoy_actual", _("an accepted year-on-year growth actual")
    DIRECT = "direct", _("an accepted actual of the target's own growth measure")


# The lists' default order: the latest periods first, then by jurisdiction and indicator.
DEFAULT_ORDER = ("-period_end", "jurisdiction_code", "indicator_code", "target_id")
_DEFAULT_ORDER_INDEXED = ("-period_end", "jurisdiction_code", "indicator_code", "target")
HAS_GROWTH = Q(required_growth__isnull=False) | Q(achieved_growth__isnull=False)


def _without_value_last(field: str, *, descending: bool, name: str) -> models.Index:
    """An index giving the rows in the order of a figure, rows without one last, then by id."""
    figure = F(field).desc() if descending else F(field).asc()
    return models.Index(IsNull(F(field), True), figure, F("target"), name=name)


class Evaluation(models.Model):
    """How one target stands as of a day under a rule set; kept current by the services."""

    target = models.OneToOneField(
        "tracker.Target", primary_key=True, on_delete=models.CASCADE, related_name="evaluation"
    )
    as_of = models.DateField(help_text="The day the target was evaluated as of.")
    rules = models.CharField(max_length=16, help_text="Fingerprint of the rules it was judged by.")
    # Copies of the target's series, period and codes: what the lists filter and sort by,
    # in this table's indexes. The services rewrite a target's row whenever it changes.
    # Neither indexed on its own (the jurisdiction and indicator indexes below start with
    # it) nor checked by the database: the target's own references guard them, and every row
    # stored had to pass both checks again at commit.
    jurisdiction = models.ForeignKey(
        "tracker.Jurisdiction",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    jurisdiction_code = models.CharField(max_length=6, blank=True)
    indicator_code = models.CharField(max_length=64)
    period_start = models.DateField()
    period_end = models.DateField()
    period_months = models.PositiveIntegerField()

    status = models.CharField(max_length=12, choices=Status.choices)
    attainment_ratio = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    compared_with = models.FloatField(null=True, blank=True)
    projection = models.FloatField(null=True, blank=True)
    elapsed_months = models.PositiveIntegerField(null=True, blank=True)
    partial = models.BooleanField(default=False)
    derived_from_levels = models.BooleanField(default=False)
    horizon_months = models.IntegerField(null=True, blank=True)
    required_growth = models.FloatField(null=True, blank=True)
    achieved_growth = models.FloatField(null=True, blank=True)
    growth_gap = models.FloatField(null=True, blank=True)
    growth_source = models.CharField(
        max_length=12, choices=GrowthSource.choices, null=True, blank=True
    )
    progress = models.JSONField(null=True, blank=True)
    trajectory = models.JSONField(null=True, blank=True)
    consistency = models.JSONField(null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    actual = models.ForeignKey(
        "tracker.Actual", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    baseline = models.ForeignKey(
        "tracker.Actual", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded = models.JSONField(
        default=list, blank=True, help_text="Other accepted actuals of the counted actual's period."
    )
    increments = models.JSONField(
        default=list,
        blank=True,
        help_text="Later part-period actuals of a flow added to the counted one, in order.",
    )
    year_to_date = models.FloatField(
        null=True, blank=True, help_text="The counted actual plus its increments, when any."
    )
    claims = models.JSONField(
        default=list,
        blank=True,
        help_text="The reports' claims of attainment of this target, beside the computed figure.",
    )
    claim_contradicted = models.BooleanField(
        default=False, help_text="A claim about this target is contradicted by the computed figure."
    )
    rollup = models.JSONField(
        null=True,
        blank=True,
        help_text="The children's summed figure (derived) and its coverage, when the target "
        "has no actual of its own.",
    )

    class Meta:
        ordering = DEFAULT_ORDER
        indexes = [
            models.Index(fields=_DEFAULT_ORDER_INDEXED, name="evaluation_default_order"),
            models.Index(fields=["status", *_DEFAULT_ORDER_INDEXED], name="evaluation_status"),
            models.Index(
                fields=["jurisdiction", "period_end", "period_start"],
                name="evaluation_jurisdiction_year",
            ),
            models.Index(
                fields=["indicator", "period_end", "period_start"],
                name="evaluation_indicator_year",
            ),
            _without_value_last("attainment_ratio", descending=False, name="evaluation_ratio_asc"),
            _without_value_last("attainment_ratio", descending=True, name="evaluation_ratio_desc"),
            # The growth-gap list: rows with a growth figure, in the default order.
            models.Index(
                fields=_DEFAULT_ORDER_INDEXED, condition=HAS_GROWTH, name="evaluation_growth"
            ),
            _without_value_last("growth_gap", descending=False, name="evaluation_growth_gap_asc"),
            _without_value_last("growth_gap", descending=True, name="evaluation_growth_gap_desc"),
            # The few contradicted claims, in the default order.
            models.Index(
                fields=_DEFAULT_ORDER_INDEXED,
                condition=Q(claim_contradicted=True),
                name="evaluation_claim_contradicted",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(growth_source__isnull=True) | Q(growth_source__in=GrowthSource.values),
                name="evaluation_growth_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of target {self.target_id} as of {self.as_of}: {self.status}"


# The evaluation's JSON columns, in the model's order (each column's name is its field's).
JSON_FIELDS = tuple(
    field.name for field in Evaluation._meta.concrete_fields if isinstance(field, models.JSONField)
)


class EvaluationState(models.Model):
    """What the stored evaluations hold: the day and the rules every row was judged by."""

    # One row. The services refresh a series with this day and these rules, so that the
    # table always agrees with itself; the day's rebuild moves them on.
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    as_of = models.DateField()
    rules = models.JSONField(help_text="The rule set, as the API reports it.")
    fingerprint = models.CharField(max_length=16)
    rebuilt_at = models.DateTimeField()
    version = models.PositiveBigIntegerField(
        default=0, help_text="Raised by every change of the stored rows (lists count per version)."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="evaluation_state_single")]

    def __str__(self) -> str:
        return f"Evaluations as of {self.as_of} (rules {self.fingerprint})"
