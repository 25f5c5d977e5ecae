"""Attach to a page of evaluated targets what SQL leaves to Python, with one query per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from operator import attrgetter

from django.db.models import QuerySet

from tracker.attainment import growth
from tracker.attainment.rules import AttainmentRules, Flag, Status
from tracker.attainment.selectors import LATEST, ROWS_PER_STATEMENT, ShownActual, shown_actuals
from tracker.models import Measure, ReviewState, Target

_LATEST_KEY = attrgetter(*(name.lstrip("-") for name in LATEST))


def _latest_first(actuals: Iterable[ShownActual]) -> list[ShownActual]:
    return sorted(actuals, key=_LATEST_KEY, reverse=True)


def _point(value: float | None, end: date | None, id_: int | None = None) -> growth.Point | None:
    if value is None or end is None:
        return None
    return growth.Point(float(value), end, id_)


def evaluate_page(targets: list[Target], *, as_of: date, rules: AttainmentRules) -> list[Target]:
    """Fill provenance, superseded actuals, progress, trajectory and flags for these rows."""
    if not targets:
        return targets
    # One query per hundred rows: the accepted actuals the rows show, with their provenance.
    # Only those: a whole series per row would fetch ten times as many, and most of a large
    # table. By a hundred: for a few hundred rows, PostgreSQL reads every actual instead.
    by_id: dict[int, ShownActual] = {}
    for start in range(0, len(targets), ROWS_PER_STATEMENT):
        chunk = targets[start : start + ROWS_PER_STATEMENT]
        by_id |= {a.id: a for a in shown_actuals(as_of=as_of, targets=chunk)}
    actuals = list(by_id.values())
    by_key: dict[tuple, list[ShownActual]] = defaultdict(list)
    yearly: dict[tuple, dict[int, growth.Point]] = defaultdict(dict)
    for actual in _latest_first(actuals):
        key = (actual.jurisdiction_id, actual.indicator_id, actual.measure)
        by_key[(*key, actual.period_start, actual.period_end)].append(actual)
        if (
            actual.measure == Measure.LEVEL
            and actual.months == 12
            and actual.period_start.month == 1
        ):
            yearly[key[:2]].setdefault(
                actual.period_start.year,
                growth.Point(float(actual.value), actual.period_end, actual.id),
            )
    for target in targets:
        _evaluate_row(target, by_id=by_id, by_key=by_key, yearly=yearly, rules=rules)
        target.as_of = as_of
    return targets


def _evaluate_row(target: Target, *, by_id, by_key, yearly, rules: AttainmentRules) -> None:
    target.actual_used = by_id.get(target.a_id)
    target.baseline_actual = by_id.get(target.b_id)
    target.superseded = []
    if target.actual_used is not None:
        a = target.actual_used
        same = by_key[(a.jurisdiction_id, a.indicator_id, a.measure, a.period_start, a.period_end)]
        target.superseded = [other for other in same if other.id != a.id]

    t_value = float(target.value)
    baseline = _point(target.b_value, target.b_period_end, target.b_id)
    target.progress = growth.progress(
        measure=target.measure,
        comparator=target.comparator,
        target=t_value,
        period_start=target.period_start,
        period_end=target.period_end,
        baseline=_point(target.b0_value, target.b0_period_end, target.b0_id),
        current=_point(target.cur_value, target.cur_period_end, target.cur_id),
        met=target.status == Status.MET,
        rules=rules,
    )
    target.trajectory = None
    if target.measure == Measure.CAGR and baseline is not None:
        target.trajectory = growth.trajectory(
            baseline=baseline,
            rate=t_value,
            period_start=target.period_start,
            period_end=target.period_end,
            yearly=yearly.get((target.jurisdiction_id, target.indicator_id), {}),
            direction=target.indicator.direction,
        )
    target.consistency = growth.consistency(
        measure=target.measure,
        target=t_value,
        pair_value=target.pair_value,
        baseline=baseline,
        preceding=target.months_b_to_t == target.period_months,
        rules=rules,
    )

    flags = []
    if target.superseded:
        flags.append(Flag.REVISED)
    if target.partial and target.period_over:
        flags.append(Flag.PARTIAL_ONLY_AFTER_PERIOD)
    if target.consistency is not None and not target.consistency["consistent"]:
        flags.append(Flag.INCONSISTENT_GROWTH)
    if target.review_state != ReviewState.ACCEPTED:
        flags.append(Flag.TARGET_NOT_REVIEWED)
    if baseline is None and target.measure in (Measure.LEVEL, Measure.CAGR):
        flags.append(Flag.NO_BASELINE)
    target.flags = [str(f) for f in flags]


def evaluate_iter(
    evaluations: QuerySet[Target], *, as_of: date, rules: AttainmentRules
) -> Iterator[Target]:
    """Every evaluated row, fetched and completed a chunk at a time (for exports)."""
    rows = evaluations.iterator(chunk_size=rules.export_chunk_size)
    while chunk := list(islice(rows, rules.export_chunk_size)):
        yield from evaluate_page(chunk, as_of=as_of, rules=rules)
