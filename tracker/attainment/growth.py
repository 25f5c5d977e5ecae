"""Pure growth arithmetic (no queries): progress categories, CAGR trajectories, consistency."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from indicators.models import Direction
from tracker.attainment.rules import AttainmentRules, Progress, progress_category
from tracker.models import Comparator, Measure


class Point(NamedTuple):
    """A level actual at the end month of its period."""

    # A tuple: a page builds ~300 of them, and a frozen dataclass takes three times as long.

    value: float
    end: date
    id: int | None = None


def months_between(start: date, end: date) -> int:
    """Whole months from one month to another."""
    return (end.year - start.year) * 12 + end.month - start.month


def annual_rate(ratio: float, months: int) -> float | None:
    """The compound annual rate (in percent) that turns 1 into ratio over so many months."""
    if months <= 0 or ratio < 0:
        return None
    return (ratio ** (12 / months) - 1) * 100


def comparator_holds(value: float, target: float, comparator: str, rules: AttainmentRules) -> bool:
    """Whether value satisfies target under comparator (the SQL rule, for pure Python use)."""
    if comparator == Comparator.GTE:
        return value >= target
    if comparator == Comparator.GT:
        return value > target
    if comparator == Comparator.LTE:
        return value <= target
    if comparator == Comparator.LT:
        return value < target
    tolerance = rules.eq_tolerance if comparator == Comparator.EQ else rules.approx_tolerance
    return abs(value - target) <= abs(target) * tolerance


def progress(
    *,
    measure: str,
    comparator: str,
    target: float,
    period_start: date,
    period_end: date,
    baseline: Point | None,
    current: Point | None,
    met: bool,
    rules: AttainmentRules,
) -> dict | None:
    """SDG progress of a multi-year target: R = observed / required annual growth."""
    if baseline is None or current is None or measure == Measure.YOY_GROWTH:
        return None
    horizon = months_between(baseline.end, period_end)
    multi_year = months_between(period_start, period_end) + 1 > 12 or horizon > 12
    if not multi_year or current.end <= baseline.end or baseline.value <= 0:
        return None
    observed = annual_rate(
        current.value / baseline.value, months_between(baseline.end, current.end)
    )
    if measure == Measure.LEVEL:
        required = annual_rate(target / baseline.value, horizon)
        met = met or comparator_holds(current.value, target, comparator, rules)
    elif measure == Measure.CAGR:
        required = target
    else:  # total growth over the period, annualised over the horizon
        required = annual_rate(1 + target / 100, horizon)
    ratio = None
    if observed is not None and required:
        ratio = observed / required
    category = Progress.ACHIEVED if met else progress_category(ratio, rules=rules)
    if category is None:
        return None
    return {
        "category": category,
        "ratio": ratio,
        "observed_growth": observed,
        "required_growth": required,
        "baseline": baseline,
        "current": current,
    }


def trajectory(
    *,
    baseline: Point,
    rate: float,
    period_start: date,
    period_end: date,
    yearly: dict[int, Point],
    direction: str,
) -> list[dict]:
    """Expected level each year on the path baseline × (1 + r)^k, next to that year's actual."""
    rows = []
    for year in range(period_start.year, period_end.year + 1):
        k = year - baseline.end.year
        expected = baseline.value * (1 + rate / 100) ** k
        actual = yearly.get(year)
        ratio = gap = None
        if actual is not None:
            gap = expected - actual.value
            if direction == Direction.LOWER:
                ratio = expected / actual.value if actual.value else None
            else:
                ratio = actual.value / expected if expected else None
        rows.append(
            {
                "year": year,
                "k": k,
                "expected": expected,
                "actual": actual,
                "ratio": ratio,
                "gap": gap,
            }
        )
    return rows


def consistency(
    *,
    measure: str,
    target: float,
    pair_value: float | None,
    baseline: Point | None,
    preceding: bool,
    rules: AttainmentRules,
) -> dict | None:
    """The growth a level target implies against the one stated next to it, if they disagree."""
    if pair_value is None or baseline is None or not preceding or baseline.value <= 0:
        return None
    level, stated = (target, pair_value) if measure == Measure.LEVEL else (pair_value, target)
    implied = (level / baseline.value - 1) * 100
    difference = implied - stated
    return {
        "level_target": level,
        "stated_growth": stated,
        "baseline": baseline,
        "implied_growth": implied,
        "difference": difference,
        "tolerance": rules.consistency_tolerance_pp,
        "consistent": abs(difference) <= rules.consistency_tolerance_pp,
    }
