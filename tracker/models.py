"""Jurisdictions, and the targets and actuals stated for them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators.models import Unit
from tracker.display import format_quantity


class Level(models.TextChoices):
    """Administrative level of a jurisdiction (GB/T 2260)."""

    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture-level city")
    COUNTY = "county", _("county / district")


class ReviewState(models.TextChoices):
    """Whether a fact (or a proposed jurisdiction) has been reviewed by a person."""

    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Measure(models.TextChoices):
    """What a value expresses: the quantity itself or a growth rate of it."""

    LEVEL = "level", _("level")
    YOY_GROWTH = "yoy_growth", _("year-on-year growth (%)")
    CAGR = "cagr", _("average annual growth (%)")
    GROWTH = "growth", _("total growth over the period (%)")


GROWTH_MEASURES = (Measure.YOY_GROWTH, Measure.CAGR, Measure.GROWTH)


class Comparator(models.TextChoices):
    """How a value is meant: exactly, at least, more than, at most, less than, about."""

    EQ = "eq", "="
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    APPROX = "approx", "≈"


class Jurisdiction(models.Model):
    """A province, city or county that sets targets and reports actuals."""

    name_zh = models.CharField(_("Chinese name"), max_length=100, db_index=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True, db_index=True)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text="GB/T 2260 administrative division code, e.g. 330600.",
    )
    level = models.CharField(
        verbose_name=pgettext_lazy("jurisdiction", "level"), max_length=12, choices=Level.choices
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    review_state = models.CharField(
        verbose_name=_("review state"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.ACCEPTED,
        help_text="Jurisdictions first seen in a report are proposed until an admin accepts them.",
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code", "name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="jurisdiction_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values),
                name="jurisdiction_review_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="jurisdiction_not_own_parent",
                violation_error_message="A jurisdiction cannot be its own parent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})" if self.code else self.name_zh


PERCENT_OUT_OF_RANGE = (
    "A percent value must be between 0 and 100 (2.9 means 2.9 %); an amount "
    "(e.g. in 亿元) does not belong to a percent indicator."
)
NEGATIVE_LEVEL = "A level cannot be negative."
GROWTH_OUT_OF_RANGE = "A growth rate must be between -100 % and 100000 %."
PERIOD_REVERSED = "The period must not end before it starts."
SPAN_REVERSED = "The quote span must end after it starts."
QUOTE_MISSING = "An extracted fact must keep the quote it came from."

# Sane bounds: a percent level is a share (0..100); growth can fall to -100 % and rise far.
MAX_PERCENT_LEVEL = Decimal(100)
MIN_GROWTH = Decimal(-100)
MAX_GROWTH = Decimal(100000)


def expected_unit(*, indicator_unit: str, measure: str) -> str:
    """The unit a value must be in: the indicator's base unit, or percent for growth."""
    return Unit.PERCENT if measure in GROWTH_MEASURES else indicator_unit


def figure_text(*, value: Decimal | None, unit: str, comparator: str) -> str:
    """A comparator and value as reports write them: ≥ 131.5亿元, 2.9%, 2,200."""
    sign = "" if comparator in ("", Comparator.EQ) else f"{Comparator(comparator).label} "
    return sign + format_quantity(value, unit)


class Fact(models.Model):
    """What targets and actuals share: a value of an indicator for a jurisdiction and period."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("jurisdiction"),
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("indicator"),
    )
    measure = models.CharField(
        verbose_name=_("measure"), max_length=12, choices=Measure.choices, default=Measure.LEVEL
    )
    value = models.DecimalField(verbose_name=_("value"), max_digits=24, decimal_places=6)
    unit = models.CharField(
        verbose_name=_("unit"),
        max_length=20,
        choices=Unit.choices,
        blank=True,  # derived in clean() from the indicator and measure
        help_text="The indicator's base unit for a level; percent for a growth measure.",
    )
    comparator = models.CharField(
        verbose_name=_("comparator"), max_length=8, choices=Comparator.choices
    )
    period_start = models.DateField(
        verbose_name=_("period start"), help_text="First month of the period (day is always 1)."
    )
    period_end = models.DateField(
        verbose_name=_("period end"), help_text="Last month of the period (day is always 1)."
    )

    source_document = models.ForeignKey(
        "ingest.SourceDocument",
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    span_start = models.PositiveIntegerField(verbose_name=_("span start"), null=True, blank=True)
    span_end = models.PositiveIntegerField(verbose_name=_("span end"), null=True, blank=True)
    quote = models.TextField(verbose_name=_("quote"), blank=True)
    confidence = models.DecimalField(
        verbose_name=_("confidence"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    origin = models.CharField(
        verbose_name=_("origin"),
        max_length=500,
        blank=True,
        help_text="Where a fact not extracted from a document came from, e.g. "
        "'imported from plan.xlsx, row 3, by admin'.",
    )
    published = models.DateField(
        verbose_name=_("published"),
        null=True,
        blank=True,
        help_text="When the figure was published, for a fact without a source document "
        "(an import); it is known from then on.",
    )

    review_state = models.CharField(
        verbose_name=_("review state"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.PROPOSED,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        verbose_name=_("version"), default=1, help_text="Raised by every edit."
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Derive the unit from indicator and measure, and keep periods on month starts."""
        if self.indicator_id is not None:
            self.unit = expected_unit(indicator_unit=self.indicator.unit, measure=self.measure)
        if self.period_start:
            self.period_start = self.period_start.replace(day=1)
        if self.period_end:
            self.period_end = self.period_end.replace(day=1)
        # The constraints guard the database; these say the same to a person, and also
        # when a form leaves the derived unit out of constraint validation.
        errors: dict[str, str] = {}
        if self.value is not None and self.indicator_id is not None:
            if self.measure in GROWTH_MEASURES:
                if not MIN_GROWTH <= self.value <= MAX_GROWTH:
                    errors["value"] = GROWTH_OUT_OF_RANGE
            elif self.value < 0:
                errors["value"] = NEGATIVE_LEVEL
            elif self.unit == Unit.PERCENT and self.value > MAX_PERCENT_LEVEL:
                errors["value"] = PERCENT_OUT_OF_RANGE
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = PERIOD_REVERSED
        spans = (self.span_start, self.span_end)
        if None not in spans and self.span_end < self.span_start:
            errors["span_end"] = SPAN_REVERSED
        if self.source_document_id is not None and not self.quote:
            errors["quote"] = QUOTE_MISSING
        if errors:
            raise ValidationError(errors)

    @classmethod
    def fact_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """The invariants every concrete fact table enforces, named per table."""
        growth = Q(measure__in=[m.value for m in GROWTH_MEASURES])
        return [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name=f"{prefix}_period_ordered",
                violation_error_message=PERIOD_REVERSED,
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values),
                name=f"{prefix}_measure_valid",
                violation_error_message="Unknown measure.",
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values),
                name=f"{prefix}_comparator_valid",
                violation_error_message="Unknown comparator.",
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values),
                name=f"{prefix}_review_state_valid",
                violation_error_message="Unknown review state.",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=Unit.values),
                name=f"{prefix}_unit_valid",
                violation_error_message="Unknown unit.",
            ),
            models.CheckConstraint(
                condition=~growth | Q(unit=Unit.PERCENT),
                name=f"{prefix}_growth_in_percent",
                violation_error_message="A growth measure is always in percent.",
            ),
            models.CheckConstraint(
                condition=growth | Q(value__gte=0),
                name=f"{prefix}_level_not_negative",
                violation_error_message=NEGATIVE_LEVEL,
            ),
            models.CheckConstraint(
                condition=growth | ~Q(unit=Unit.PERCENT) | Q(value__lte=MAX_PERCENT_LEVEL),
                name=f"{prefix}_percent_level_in_range",
                violation_error_message=PERCENT_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=~growth | Q(value__gte=MIN_GROWTH, value__lte=MAX_GROWTH),
                name=f"{prefix}_growth_in_range",
                violation_error_message=GROWTH_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(span_end__gte=F("span_start")),
                name=f"{prefix}_span_ordered",
                violation_error_message=SPAN_REVERSED,
            ),
            models.CheckConstraint(
                condition=Q(source_document__isnull=True) | ~Q(quote=""),
                name=f"{prefix}_extracted_has_quote",
                violation_error_message=QUOTE_MISSING,
            ),
            models.UniqueConstraint(
                fields=[
                    "source_document",
                    "jurisdiction",
                    "indicator",
                    "measure",
                    "period_start",
                    "period_end",
                ],
                condition=Q(source_document__isnull=False),
                name=f"{prefix}_unique_per_source",
                violation_error_message=(
                    "This source document already states this fact "
                    "(same indicator, measure and period)."
                ),
            ),
        ]

    @property
    def figure(self) -> str:
        """The comparator and value as reports write them: ≥ 131.5亿元, 2.9%, 2,200."""
        return figure_text(value=self.value, unit=self.unit, comparator=self.comparator)

    def label(self, kind: str) -> str:
        """'Actual 83: rd_expenditure 131.5亿元 (2017)': its own id, never another number."""
        return f"{kind} {self.pk}: {self.indicator.code} {self.figure} ({self.period_label})"

    @property
    def period_label(self) -> str:
        """The period as 'YYYY-MM..YYYY-MM' (or one month / one year when it is one)."""
        start, end = self.period_start, self.period_end
        if start.month == 1 and end.month == 12 and start.year == end.year:
            return str(start.year)
        return f"{start:%Y-%m}..{end:%Y-%m}"


class Target(Fact):
    """A goal a government set: a value it promised to reach in a period."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-period_end", "jurisdiction_id", "indicator_id", "id"]
        indexes = [
            # The series of a target (an evaluation reads its series' targets by it) and, to
            # the period, the other half of a level/growth pair.
            models.Index(
                fields=["jurisdiction", "indicator", "measure", "period_start", "period_end"],
                name="target_lookup",
            ),
            # The period, then the target's state, jurisdiction and indicator: the target
            # list's order, and lookups by period, read the index alone.
            models.Index(
                fields=["period_end", "period_start", "review_state", "jurisdiction", "indicator"],
                name="target_period_page",
            ),
            # Only the facts waiting for review: an index of every state tempted SQLite,
            # lacking statistics, to read all accepted facts through it.
            models.Index(
                fields=["review_state"],
                condition=Q(review_state=ReviewState.PROPOSED),
                name="target_review_queue",
            ),
            # The few rejected.
            models.Index(
                fields=["review_state"],
                condition=Q(review_state=ReviewState.REJECTED),
                name="target_rejected",
            ),
        ]
        constraints = Fact.fact_constraints("target")

    def __str__(self) -> str:
        return self.label("Target")


class Actual(Fact):
    """An outcome a government reported for a period."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["-period_end", "jurisdiction_id", "indicator_id", "id"]
        indexes = [
            # A series, latest period last: an evaluation reads its series' actuals by it.
            models.Index(
                fields=["jurisdiction", "indicator", "measure", "period_end"],
                name="actual_lookup",
            ),
            models.Index(fields=["period_end", "period_start"], name="actual_period"),
            # Only the facts waiting for review: an index of every state tempted SQLite,
            # lacking statistics, to read all accepted facts through it.
            models.Index(
                fields=["review_state"],
                condition=Q(review_state=ReviewState.PROPOSED),
                name="actual_review_queue",
            ),
        ]
        constraints = Fact.fact_constraints("actual")

    def __str__(self) -> str:
        return self.label("Actual")
