"""The attainment rules of docs/attainment.md, as plain Python.

`evaluate` judges one target against the facts of its series (its jurisdiction and
indicator) that are known on `as_of`, under a rule set. It reads no database and keeps no
state: the same target, facts, date and rules always give the same figures, which the
services store (`Evaluation`) and the live reads return as they are. The sections below
follow the page's sections, with its names: the actual that counts, status, pro-rating,
baseline, required and achieved growth, progress, trajectory, consistency and flags.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone

from indicators.models import Direction, Nature
from tracker.attainment.models import Flag, GrowthSource, Progress, Status
from tracker.models import GROWTH_MEASURES, Comparator, Measure
from tracker.numbers import plain_decimal


def entered_on(created_at: datetime) -> date:
    """The day a fact with no publication date became known: the day it was entered, in the
    configured time zone (the office's day, whichever zone a request runs in)."""
    return timezone.localdate(created_at, timezone.get_default_timezone())


# --- Settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttainmentRules:
    """Every tolerance and threshold the evaluation uses (settings.ATTAINMENT overrides)."""

    # |a - t| <= eq_tolerance * |t| counts as equal for an `eq` target (relative).
    eq_tolerance: float = 0.001
    # |a - t| <= approx_tolerance * |t| counts as met for an `approx` (左右/约) target.
    approx_tolerance: float = 0.05
    # A level and a growth target for the same period disagree when the growth implied by
    # the level target (level / baseline - 1) differs from the stated rate by more than this.
    consistency_tolerance_pp: float = 0.5
    # Progress categories: R = observed annual growth / required annual growth.
    progress_on_track: float = 0.95
    progress_acceleration: float = 0.6
    progress_limited: float = 0.0
    # A report's claimed attainment ratio contradicts the computed one when they differ by
    # more than this many percentage points.
    claim_tolerance_pp: float = 1.0
    # A parent without its own actual is judged on its children's summed figures only when
    # at least this share of its children reported (below it: no_data, flagged).
    rollup_min_coverage: float = 0.8
    # Decimal places of ratios and growth rates in the rows (display only).
    ratio_places: int = 4
    growth_places: int = 2

    def as_dict(self) -> dict[str, Any]:
        """The rules as the evaluation reports them."""
        return asdict(self)

    @cached_property
    def fingerprint(self) -> str:
        """A short digest of the rules: stored rows name the rules they were judged by."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def tolerance(self, comparator: str) -> float | None:
        """The relative tolerance of an `eq` or `approx` comparator (None for inequalities)."""
        return {Comparator.EQ: self.eq_tolerance, Comparator.APPROX: self.approx_tolerance}.get(
            comparator
        )


def rules_get() -> AttainmentRules:
    """The rules in force: defaults, overridden by settings.ATTAINMENT (lower-case keys)."""
    configured = getattr(settings, "ATTAINMENT", {}) or {}
    known = {f.name for f in fields(AttainmentRules)}
    return AttainmentRules(**{k.lower(): v for k, v in configured.items() if k.lower() in known})


def rules_from_dict(values: dict[str, Any]) -> AttainmentRules:
    """Rules as `as_dict` wrote them (the stored state's rules)."""
    return AttainmentRules(**values)


# --- The facts a target is judged with -----------------------------------------------------


class Fact(NamedTuple):
    """A target or an accepted actual, as the rules read it."""

    id: int
    measure: str
    value: float  # for arithmetic
    exact: Decimal  # as stated, for display
    comparator: str
    period_start: date
    period_end: date
    months: int  # length of the period
    known: date  # publication of its document, else the day it was entered
    created_at: datetime
    review_state: str
    source_document_id: int | None


class Claim(NamedTuple):
    """A report's own statement of attainment ("完成年度目标的105%"), as the rules read it."""

    id: int
    document_id: int
    indicator_id: int | None  # None: every target of the report's year
    year: int | None  # the year it speaks of (the report's year when it names none)
    status: str  # exceeded | met | not_met
    ratio: Decimal | None  # the claimed share of the target, in percent
    quote: str


class Rollup(NamedTuple):
    """A parent's figure for a period derived from its children's accepted level actuals.

    Derived, never reported: flows and stocks are summed; ratios and growth rates are not.
    """

    period_start: date
    period_end: date
    value: float
    known: date  # when the last figure summed became known
    reporting: int  # children with a figure for the period
    expected: int  # children of the parent
    children: tuple[dict[str, Any], ...]  # {jurisdiction, code, name_zh, actual, value}
    missing: tuple[dict[str, Any], ...]  # {jurisdiction, code, name_zh} without a figure

    @property
    def coverage(self) -> float:
        """Children reporting / children expected."""
        return self.reporting / self.expected if self.expected else 0.0

    def as_json(self, *, min_coverage: float) -> dict[str, Any]:
        """The roll-up as rows show it: the sum, its coverage and where it came from."""
        return {
            "derived": True,
            "value": self.value,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "coverage": {
                "reporting": self.reporting,
                "expected": self.expected,
                "ratio": self.coverage,
                "min_ratio": min_coverage,
                "missing": list(self.missing),
            },
            "children": list(self.children),
        }


ROLLED_UP_NATURES = (Nature.FLOW, Nature.STOCK)


class Series(NamedTuple):
    """What a target of one jurisdiction's indicator is judged with."""

    nature: str
    direction: str
    targets: Sequence[Fact]  # not rejected, latest first
    actuals: Sequence[Fact]  # accepted and known on as_of, latest first
    # Claims of the jurisdiction's reports known on as_of, about this indicator or all.
    claims: Sequence[Claim] = ()
    # The children's summed level figures per period (flows and stocks only), latest first.
    rollups: Sequence[Rollup] = ()


def latest_first(facts: Iterable[Fact]) -> list[Fact]:
    """Most recent first: the later period end, the later publication, the later entry."""
    return sorted(facts, key=lambda f: (f.period_end, f.known, f.created_at, f.id), reverse=True)


def months_between(start: date, end: date) -> int:
    """Whole months from one month to another."""
    return (end.year - start.year) * 12 + end.month - start.month


def period_months(start: date, end: date) -> int:
    """Length of a period in months (a calendar year is 12)."""
    return months_between(start, end) + 1


def next_month(month: date) -> date:
    """The first day of the month after this one."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    """The first day of the month before this one."""
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


# --- The evaluation ----------------------------------------------------------------------


class Point(NamedTuple):
    """A level actual at the end month of its period."""

    value: float
    end: date
    id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The point as rows show it."""
        return {"id": self.id, "value": self.value, "end": self.end.isoformat()}


@dataclass
class Evaluated:
    """Everything the rules say of one target as of a day."""

    status: str
    attainment_ratio: float | None = None
    gap: float | None = None
    compared_with: float | None = None
    projection: float | None = None
    elapsed_months: int | None = None
    period_months: int = 0
    partial: bool = False
    derived_from_levels: bool = False
    horizon_months: int | None = None
    required_growth: float | None = None
    achieved_growth: float | None = None
    growth_gap: float | None = None
    growth_source: str | None = None
    progress: dict[str, Any] | None = None
    trajectory: list[dict[str, Any]] | None = None
    consistency: dict[str, Any] | None = None
    flags: list[str] = field(default_factory=list)
    actual: Fact | None = None
    baseline: Fact | None = None
    superseded: list[dict[str, Any]] = field(default_factory=list)
    # Later part-period actuals of a flow added to the counted one, and their sum.
    increments: list[dict[str, Any]] = field(default_factory=list)
    year_to_date: float | None = None
    increments_gap: bool = False
    # The reports' claims about this target, each beside the computed figure.
    claims: list[dict[str, Any]] = field(default_factory=list)
    claim_contradicted: bool = False
    # The children's summed figure judged in place of an own actual, with its coverage.
    rollup: dict[str, Any] | None = None
    rollup_incomplete: bool = False


def _latest(facts: Sequence[Fact], wanted: Callable[[Fact], bool]) -> Fact | None:
    """The most recent of the facts (given latest first) that are wanted."""
    return next((f for f in facts if wanted(f)), None)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def evaluate(target: Fact, series: Series, *, as_of: date, rules: AttainmentRules) -> Evaluated:
    """How a target stands as of a day: status, ratio, gap, growth, progress and flags."""
    t = target.value
    months = target.months
    actuals = series.actuals

    # Which actual counts: of the target's own measure, starting with its period and
    # ending no later; the latest (a full period beats a part of it, a revision its report).
    actual = _latest(
        actuals,
        lambda a: (
            a.measure == target.measure
            and a.period_start == target.period_start
            and a.period_end <= target.period_end
        ),
    )

    # The baseline: the latest level actual of the baseline's length (12 months for a
    # cagr target, else the target period's) ending before the target period starts;
    # the same as known when the target was set; and the current level up to its end.
    # A `growth` target (total growth over a plan) is measured from the level of the year
    # just before its window.
    baseline_months = 12 if target.measure in (Measure.CAGR, Measure.GROWTH) else months

    def level(a: Fact) -> bool:
        return a.measure == Measure.LEVEL and a.months == baseline_months

    def before_window(a: Fact) -> bool:
        if target.measure == Measure.GROWTH:
            return a.period_end == previous_month(target.period_start)
        return a.period_end < target.period_start

    baseline = _latest(actuals, lambda a: level(a) and before_window(a))
    baseline_at_setting = _latest(
        actuals, lambda a: level(a) and before_window(a) and a.known <= target.known
    )
    current = _latest(actuals, lambda a: level(a) and a.period_end <= target.period_end)
    growth = target.measure in GROWTH_MEASURES

    # Growth achieved by the levels, from the baseline to the current level (annualised;
    # total for a `growth` target).
    level_growth = None
    since_baseline = None
    if baseline is not None and current is not None:
        since_baseline = months_between(baseline.period_end, current.period_end)
        ratio = _ratio(current.value, baseline.value)
        if ratio is not None and target.measure == Measure.GROWTH:
            level_growth = (ratio - 1) * 100
        elif ratio is not None and since_baseline:
            level_growth = (ratio ** (12 / since_baseline) - 1) * 100
    levels_give_growth = since_baseline is not None and since_baseline > 0 and baseline.value > 0

    # The value judged: the actual, else for a growth target the growth of the levels over
    # the whole target period.
    derived = (
        growth
        and actual is None
        and current is not None
        and current.period_end == target.period_end
        and levels_give_growth
    )
    flow_level = target.measure == Measure.LEVEL and series.nature == Nature.FLOW
    # Increments: quarterly or monthly figures of a flow that continue the counted actual
    # month after month are added to it (Q1 300 + Q2 400 = 700 for January to June).
    increments, increments_gap = (
        _increments(target, counted=actual, actuals=actuals) if flow_level else ([], False)
    )
    # Roll-up: a level target without an actual of its own is judged on its children's
    # summed figures for the period, when enough of them reported.
    rollup = None
    if target.measure == Measure.LEVEL and actual is None:
        rollup = next(
            (
                r
                for r in series.rollups
                if r.period_start == target.period_start and r.period_end <= target.period_end
            ),
            None,
        )
    rollup_enough = rollup is not None and rollup.coverage >= rules.rollup_min_coverage
    if actual is not None:
        last = increments[-1] if increments else actual
        judged = actual.value + sum(piece.value for piece in increments)
        elapsed = months_between(target.period_start, last.period_end) + 1
    elif derived:
        judged, elapsed = level_growth, months
    elif rollup_enough:
        judged, elapsed = rollup.value, months_between(target.period_start, rollup.period_end) + 1
    else:
        judged, elapsed = None, None

    result = Evaluated(
        status=Status.PENDING,
        period_months=months,
        derived_from_levels=derived,
        elapsed_months=elapsed,
        actual=actual,
        baseline=baseline,
        increments=[_piece(piece) for piece in increments],
        year_to_date=judged if increments else None,
        increments_gap=increments_gap,
        rollup=None if rollup is None else rollup.as_json(min_coverage=rules.rollup_min_coverage),
        rollup_incomplete=rollup is not None and not rollup_enough,
    )
    period_over = target.period_end < as_of.replace(day=1)
    result.partial = elapsed is not None and elapsed < months

    # Pro-rating: a part-period flow is compared with the target times elapsed / months.
    prorated = flow_level and result.partial
    compared_with = t * elapsed / months if prorated else t
    result.compared_with = compared_with

    lower = series.direction == Direction.LOWER
    if judged is None:
        result.status = Status.NO_DATA if period_over else Status.PENDING
    else:
        result.attainment_ratio = (
            _ratio(compared_with, judged) if lower else _ratio(judged, compared_with)
        )
        result.gap = compared_with - judged
        if prorated:
            result.projection = judged * months / elapsed
        result.status = _status(
            target,
            judged=judged,
            compared_with=compared_with,
            partial=result.partial,
            flow_level=flow_level,
            higher=not lower,
            rules=rules,
        )

    # Required growth: for a level target, the annual rate from the baseline to the target
    # over the horizon; for a growth target, the stated rate.
    if baseline is not None:
        result.horizon_months = months_between(baseline.period_end, target.period_end)
    if target.measure == Measure.LEVEL and (result.horizon_months or 0) > 0:
        ratio = _ratio(t, baseline.value)
        if ratio is not None:
            result.required_growth = (ratio ** (12 / result.horizon_months) - 1) * 100
    elif growth:
        result.required_growth = t

    # Achieved growth: the target's own growth actual for the full period, else the levels,
    # else for a level target a year-on-year actual of its period.
    yoy_actual = _latest(
        actuals,
        lambda a: (
            a.measure == Measure.YOY_GROWTH
            and a.period_start == target.period_start
            and a.period_end == target.period_end
        ),
    )
    if growth and actual is not None and actual.period_end == target.period_end:
        result.growth_source, result.achieved_growth = GrowthSource.DIRECT, actual.value
    elif levels_give_growth:
        result.growth_source, result.achieved_growth = GrowthSource.LEVELS, level_growth
    elif target.measure == Measure.LEVEL and yoy_actual is not None:
        result.growth_source, result.achieved_growth = GrowthSource.YOY_ACTUAL, yoy_actual.value
    if result.achieved_growth is not None and result.required_growth is not None:
        result.growth_gap = result.achieved_growth - result.required_growth

    baseline_point = _point(baseline)
    result.progress = progress(
        target,
        baseline=_point(baseline_at_setting),
        current=_point(current),
        met=result.status == Status.MET,
        lower=lower,
        rules=rules,
    )
    if target.measure == Measure.CAGR and baseline_point is not None:
        result.trajectory = trajectory(
            target, baseline=baseline_point, yearly=_yearly_levels(actuals), lower=lower
        )
    result.consistency = consistency(
        target,
        paired=_paired_target(target, series.targets),
        baseline=baseline_point,
        preceding=result.horizon_months == months,
        rules=rules,
    )
    if actual is not None:
        result.superseded = [
            {
                "id": a.id,
                "value": plain_decimal(a.exact),
                "known": a.known.isoformat(),
                "source_document": a.source_document_id,
            }
            for a in actuals
            if a.id != actual.id
            and (a.measure, a.period_start, a.period_end)
            == (actual.measure, actual.period_start, actual.period_end)
        ]
    result.claims = [
        claim_check(claim, result, rules=rules)
        for claim in series.claims
        if claim_applies(claim, target)
    ]
    result.claim_contradicted = any(check["contradicted"] for check in result.claims)
    result.flags = _flags(target, result, period_over=period_over)
    return result


# --- Roll-up across the jurisdiction hierarchy ---------------------------------------------


def rollups(
    *,
    nature: str,
    children: Sequence[dict[str, Any]],
    actuals: dict[int, Sequence[Fact]],
) -> list[Rollup]:
    """A parent's derived level figures: per period, the sum of each child's latest accepted
    level actual (flows and stocks only; ratios and growth rates are never summed).

    `children` are the parent's children ({jurisdiction, code, name_zh}); `actuals` the
    accepted actuals known on the day of each child, latest first. Latest period first.
    """
    if nature not in ROLLED_UP_NATURES or not children:
        return []
    periods: dict[tuple[date, date], dict[int, Fact]] = {}
    for child in children:
        for a in actuals.get(child["jurisdiction"], ()):
            if a.measure == Measure.LEVEL:
                # Given latest first: the first seen of a period is the child's figure.
                periods.setdefault((a.period_start, a.period_end), {}).setdefault(
                    child["jurisdiction"], a
                )
    found = []
    for (start, end), figures in periods.items():
        used = [c for c in children if c["jurisdiction"] in figures]
        found.append(
            Rollup(
                period_start=start,
                period_end=end,
                value=sum(figures[c["jurisdiction"]].value for c in used),
                known=max(f.known for f in figures.values()),
                reporting=len(used),
                expected=len(children),
                children=tuple(
                    {
                        **c,
                        "actual": figures[c["jurisdiction"]].id,
                        "value": plain_decimal(figures[c["jurisdiction"]].exact),
                    }
                    for c in used
                ),
                missing=tuple(c for c in children if c["jurisdiction"] not in figures),
            )
        )
    return sorted(found, key=lambda r: (r.period_end, r.period_start), reverse=True)


# --- Claims of attainment ----------------------------------------------------------------

CLAIMED_SUCCESS = ("exceeded", "met")


def claim_applies(claim: Claim, target: Fact) -> bool:
    """Whether a claim speaks of this target: a calendar-year level or growth target of the
    claim's year (the series already matches the claim's indicator, or it names none)."""
    return (
        claim.year is not None
        and target.period_start == date(claim.year, 1, 1)
        and target.period_end == date(claim.year, 12, 1)
    )


def claim_check(claim: Claim, result: Evaluated, *, rules: AttainmentRules) -> dict[str, Any]:
    """A claim beside the computed figure, and whether the figure contradicts it.

    Contradicted: the report says exceeded or met and the target was missed; it says not met
    and the target was met; or its ratio differs from the computed one by more than
    `claim_tolerance_pp` percentage points. A target not yet judged on its whole period
    (pending, no data, part periods) neither confirms nor contradicts.
    """
    computed = None if result.attainment_ratio is None else result.attainment_ratio * 100
    difference = None
    reasons = []
    final = result.status in (Status.MET, Status.MISSED)
    if final and claim.status in CLAIMED_SUCCESS and result.status == Status.MISSED:
        reasons.append(f"the report says {claim.status}, the target was missed")
    if final and claim.status == "not_met" and result.status == Status.MET:
        reasons.append("the report says not met, the target was met")
    if final and claim.ratio is not None and computed is not None:
        difference = float(claim.ratio) - computed
        if abs(difference) > rules.claim_tolerance_pp:
            reasons.append(
                f"claimed {plain_decimal(claim.ratio)} %, computed {computed:.2f} % "
                f"({difference:+.2f} points)"
            )
    return {
        "claim": claim.id,
        "document": claim.document_id,
        "quote": claim.quote,
        "blanket": claim.indicator_id is None,
        "claimed_status": claim.status,
        "claimed_ratio": None if claim.ratio is None else float(claim.ratio),
        "computed_status": str(result.status),
        "computed_ratio": computed,
        "difference": difference,
        "tolerance": rules.claim_tolerance_pp,
        "checked": final,
        "contradicted": bool(reasons),
        "reason": "; ".join(reasons),
    }


def _increments(
    target: Fact, *, counted: Fact | None, actuals: Sequence[Fact]
) -> tuple[list[Fact], bool]:
    """Part-period level actuals that continue the counted one without overlap, in order,
    and whether one further on was left out because a month between is missing.

    Pieces that overlap what is already counted are left alone (the latest cumulative
    figure wins, as before).
    """
    pieces = [
        a
        for a in actuals
        if a.measure == Measure.LEVEL
        and a.period_start > target.period_start
        and a.period_end <= target.period_end
    ]
    if counted is None:
        return [], bool(pieces)  # figures later in the period, none from its start
    chain: list[Fact] = []
    end = counted.period_end
    while True:
        following = next_month(end)
        piece = _latest(pieces, lambda a, month=following: a.period_start == month)
        if piece is None:
            break
        chain.append(piece)
        end = piece.period_end
    gap = any(a.period_start > next_month(end) for a in pieces)
    return chain, gap


def _piece(fact: Fact) -> dict[str, Any]:
    """An increment as rows show it."""
    return {
        "id": fact.id,
        "value": plain_decimal(fact.exact),
        "period_start": fact.period_start.isoformat(),
        "period_end": fact.period_end.isoformat(),
    }


def _status(
    target: Fact,
    *,
    judged: float,
    compared_with: float,
    partial: bool,
    flow_level: bool,
    higher: bool,
    rules: AttainmentRules,
) -> str:
    """The status of a target that has a value to judge (see the status table)."""
    if partial and flow_level:
        on_course = on_course_for_prorated(
            judged, compared_with, target.comparator, higher=higher, rules=rules
        )
        return Status.ON_TRACK if on_course else Status.BEHIND
    if comparator_holds(judged, target.value, target.comparator, rules):
        # Reached early: a stock or ratio is met; a growth rate is only on track.
        return Status.ON_TRACK if partial and target.measure in GROWTH_MEASURES else Status.MET
    if not partial:
        return Status.MISSED
    return Status.BEHIND if target.measure in GROWTH_MEASURES else Status.IN_PROGRESS


def comparator_holds(value: float, target: float, comparator: str, rules: AttainmentRules) -> bool:
    """Whether value satisfies the target under its comparator."""
    if comparator == Comparator.GTE:
        return value >= target
    if comparator == Comparator.GT:
        return value > target
    if comparator == Comparator.LTE:
        return value <= target
    if comparator == Comparator.LT:
        return value < target
    return abs(value - target) <= abs(target) * rules.tolerance(comparator)


def on_course_for_prorated(
    value: float, prorated: float, comparator: str, *, higher: bool, rules: AttainmentRules
) -> bool:
    """Whether a part-period flow is on course for the pro-rated target."""
    if comparator in (Comparator.GTE, Comparator.GT):
        return value >= prorated
    if comparator in (Comparator.LTE, Comparator.LT):
        return value <= prorated
    if higher:  # eq, approx
        return value >= prorated * (1 - rules.approx_tolerance)
    return value <= prorated * (1 + rules.approx_tolerance)


def _point(fact: Fact | None) -> Point | None:
    return None if fact is None else Point(fact.value, fact.period_end, fact.id)


def _yearly_levels(actuals: Sequence[Fact]) -> dict[int, Point]:
    """The latest calendar-year level actual of each year (actuals given latest first)."""
    yearly: dict[int, Point] = {}
    for a in actuals:
        if a.measure == Measure.LEVEL and a.months == 12 and a.period_start.month == 1:
            yearly.setdefault(a.period_start.year, Point(a.value, a.period_end, a.id))
    return yearly


def _paired_target(target: Fact, targets: Sequence[Fact]) -> Fact | None:
    """The other half of a level / growth pair of targets for the same period."""
    if target.measure == Measure.LEVEL:
        pair = (Measure.YOY_GROWTH, Measure.GROWTH)
    elif target.measure in GROWTH_MEASURES:
        pair = (Measure.LEVEL,)
    else:
        return None
    return _latest(
        targets,
        lambda other: (
            other.measure in pair
            and other.period_start == target.period_start
            and other.period_end == target.period_end
        ),
    )


def annual_rate(ratio: float, months: int) -> float | None:
    """The compound annual rate (in percent) that turns 1 into ratio over so many months."""
    if months <= 0 or ratio < 0:
        return None
    return (ratio ** (12 / months) - 1) * 100


def progress_category(ratio: float | None, *, rules: AttainmentRules) -> str | None:
    """The SDG progress category for R = observed / required annual growth."""
    if ratio is None:
        return None
    if ratio >= rules.progress_on_track:
        return Progress.ON_TRACK
    if ratio >= rules.progress_acceleration:
        return Progress.ACCELERATION_NEEDED
    if ratio >= rules.progress_limited:
        return Progress.LIMITED_PROGRESS
    return Progress.DETERIORATING


def progress(
    target: Fact,
    *,
    baseline: Point | None,
    current: Point | None,
    met: bool,
    rules: AttainmentRules,
    lower: bool = False,
) -> dict[str, Any] | None:
    """SDG progress of a multi-year target: R = observed / required annual growth.

    The baseline is the one known when the target was set; the observation the latest
    level up to the target's end. A change against the indicator's direction (a fall of a
    higher-is-better indicator, a rise of a lower-is-better one) is deterioration, also
    when the target lies on the wrong side of the baseline and R comes out positive.
    """
    if baseline is None or current is None or target.measure == Measure.YOY_GROWTH:
        return None
    horizon = months_between(baseline.end, target.period_end)
    multi_year = target.months > 12 or horizon > 12
    if not multi_year or current.end <= baseline.end or baseline.value <= 0:
        return None
    observed = annual_rate(
        current.value / baseline.value, months_between(baseline.end, current.end)
    )
    if target.measure == Measure.LEVEL:
        required = annual_rate(target.value / baseline.value, horizon)
        met = met or comparator_holds(current.value, target.value, target.comparator, rules)
    elif target.measure == Measure.CAGR:
        required = target.value
    else:  # total growth over the period, annualised over the horizon
        required = annual_rate(1 + target.value / 100, horizon)
    ratio = observed / required if observed is not None and required else None
    category = Progress.ACHIEVED if met else progress_category(ratio, rules=rules)
    wrong_way = observed is not None and (observed > 0 if lower else observed < 0)
    if not met and wrong_way:
        category = Progress.DETERIORATING
    if category is None:
        return None
    return {
        "category": str(category),
        "ratio": ratio,
        "observed_growth": observed,
        "required_growth": required,
        "baseline": baseline.as_json(),
        "current": current.as_json(),
    }


def trajectory(
    target: Fact, *, baseline: Point, yearly: dict[int, Point], lower: bool
) -> list[dict[str, Any]]:
    """Expected level each year on the path baseline × (1 + r)^k, next to that year's actual."""
    rows = []
    for year in range(target.period_start.year, target.period_end.year + 1):
        k = year - baseline.end.year
        expected = baseline.value * (1 + target.value / 100) ** k
        actual = yearly.get(year)
        ratio = gap = None
        if actual is not None:
            gap = expected - actual.value
            if lower:
                ratio = expected / actual.value if actual.value else None
            else:
                ratio = actual.value / expected if expected else None
        rows.append(
            {
                "year": year,
                "k": k,
                "expected": expected,
                "actual": None if actual is None else actual.as_json(),
                "ratio": ratio,
                "gap": gap,
            }
        )
    return rows


def consistency(
    target: Fact,
    *,
    paired: Fact | None,
    baseline: Point | None,
    preceding: bool,
    rules: AttainmentRules,
) -> dict[str, Any] | None:
    """The growth a level target implies against the one stated next to it."""
    if paired is None or baseline is None or not preceding or baseline.value <= 0:
        return None
    if target.measure == Measure.LEVEL:
        level, stated = target.value, paired.value
    else:
        level, stated = paired.value, target.value
    implied = (level / baseline.value - 1) * 100
    difference = implied - stated
    return {
        "level_target": level,
        "stated_growth": stated,
        "baseline": baseline.as_json(),
        "implied_growth": implied,
        "difference": difference,
        "tolerance": rules.consistency_tolerance_pp,
        "consistent": abs(difference) <= rules.consistency_tolerance_pp,
    }


def _flags(target: Fact, result: Evaluated, *, period_over: bool) -> list[str]:
    """Remarks an auditor should see next to the evaluation."""
    flags = []
    if result.superseded:
        flags.append(Flag.REVISED)
    if result.partial and period_over:
        flags.append(Flag.PARTIAL_ONLY_AFTER_PERIOD)
    if result.consistency is not None and not result.consistency["consistent"]:
        flags.append(Flag.INCONSISTENT_GROWTH)
    if target.review_state != "accepted":
        flags.append(Flag.TARGET_NOT_REVIEWED)
    if result.baseline is None and target.measure in (Measure.LEVEL, Measure.CAGR, Measure.GROWTH):
        flags.append(Flag.NO_BASELINE)
    if result.increments:
        flags.append(Flag.INCREMENTS_SUMMED)
    if result.increments_gap:
        flags.append(Flag.INCREMENTS_GAP)
    if result.claim_contradicted:
        flags.append(Flag.CLAIM_CONTRADICTED)
    if result.rollup is not None and not result.rollup_incomplete:
        flags.append(Flag.ROLLED_UP)
    if result.rollup_incomplete:
        flags.append(Flag.ROLLUP_INCOMPLETE)
    return [str(f) for f in flags]
