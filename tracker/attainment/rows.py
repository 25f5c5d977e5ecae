"""Attach to a page of evaluated targets what SQL leaves to Python, with one query per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.db.models import Q, QuerySet

from tracker.attainment import growth
from tracker.attainment.rules import AttainmentRules, Flag, Status
from tracker.attainment.selectors import (
    LATEST,
    ROWS_PER_STATEMENT,
    accepted_actuals,
    with_provenance,
)
from tracker.models import Measure, ReviewState, Target
from tracker.selectors import RowIn

_ORDER = tuple(name.lstrip("-") for name in LATEST)


class ShownActual(NamedTuple):
    """An accepted actual as an evaluated row shows it, with its provenance."""

    # A tuple, not an Actual: building ~140 model instances per page cost SQLite pages
    # 2.5 ms, as much as the query that fetches them.
    id: int
    jurisdiction_id: int
    indicator_id: int
    measure: str
    value: Decimal
    unit: str
    period_start: date
    period_end: date
    months: int
    known: date
    created_at: datetime
    source_document_id: int | None
    document_title: str | None
    document_published: date | None
    quote: str
    span_start: int | None
    span_end: int | None
    entered_by_name: str | None
    reviewed_by_name: str | None
    reviewed_at: datetime | None


def _latest_first(actuals: Iterable[ShownActual]) -> list[ShownActual]:
    return sorted(actuals, key=lambda a: tuple(getattr(a, n) for n in _ORDER), reverse=True)


def _point(value: float | None, end: date | None, id_: int | None = None) -> growth.Point | None:
    if value is None or end is None:
        return None
    return growth.Point(value=float(value), end=end, id=id_)


def evaluate_page(targets: list[Target], *, as_of: date, rules: AttainmentRules) -> list[Target]:
    """Fill provenance, superseded actuals, progress, trajectory and flags for these rows."""
    if not targets:
        return targets
    # One query per hundred rows: the accepted actuals the rows show, with their provenance.
    # Only those: a whole series per row would fetch ten times as many, and most of a large
    # table. By a hundred: for a few hundred rows, PostgreSQL reads every actual instead.
    by_id: dict[int, ShownActual] = {}
    for start in range(0, len(targets), ROWS_PER_STATEMENT):
        shown = _shown(targets[start : start + ROWS_PER_STATEMENT])
        rows = with_provenance(accepted_actuals(as_of=as_of).filter(shown))
        by_id |= {a.id: a for a in map(ShownActual._make, rows.values_list(*ShownActual._fields))}
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
                growth.Point(value=float(actual.value), end=actual.period_end, id=actual.id),
            )
    for target in targets:
        _evaluate_row(target, by_id=by_id, by_key=by_key, yearly=yearly, rules=rules)
        target.as_of = as_of
    return targets


def _shown(targets: list[Target]) -> Q:
    """The actuals a page shows: used ones and what they supersede, baselines, CAGR years."""
    ids = {t.a_id for t in targets} | {t.b_id for t in targets}
    # Other reports' figures for the very period of an actual used (it supersedes them).
    same_period = RowIn(
        ("jurisdiction_id", "indicator_id", "measure", "period_start", "period_end"),
        (
            (t.jurisdiction_id, t.indicator_id, t.measure, t.period_start, t.a_period_end)
            for t in targets
            if t.a_id is not None
        ),
    )
    # Yearly levels, for the trajectory of a compound-growth target.
    cagr_series = RowIn(
        ("jurisdiction_id", "indicator_id"),
        ((t.jurisdiction_id, t.indicator_id) for t in targets if t.measure == Measure.CAGR),
    )
    # All of them are in the series of the page's targets: that condition lets the database
    # look them up by index, where the alternatives alone make it read every actual.
    page_series = RowIn(
        ("jurisdiction_id", "indicator_id"), ((t.jurisdiction_id, t.indicator_id) for t in targets)
    )
    return Q(page_series) & (
        Q(id__in=sorted(i for i in ids if i is not None))
        | Q(same_period)
        | (Q(cagr_series) & Q(measure=Measure.LEVEL, months=12, period_start__month=1))
    )


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
