"""Comparisons: one indicator and year across the jurisdictions of a level, ranked; and one
jurisdiction's indicator across the years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from indicators.models import Indicator
from tracker.attainment.models import Evaluation, Flag
from tracker.attainment.rules import ROLLED_UP_NATURES, AttainmentRules, entered_on, rollups
from tracker.attainment.selectors.live import children_figures, evaluations_of
from tracker.filters import jurisdiction_and_descendants
from tracker.models import Actual, Jurisdiction, ReviewState, Target


@dataclass(frozen=True)
class Answered:
    """The day and rules a comparison is read with, and whether the stored rows hold them."""

    as_of: date
    rules: AttainmentRules
    stored: bool


def _calendar_year(year: int) -> dict[str, date]:
    return {"period_start": date(year, 1, 1), "period_end": date(year, 12, 1)}


def _evaluations(targets: QuerySet[Target], *, answered: Answered) -> list[Evaluation]:
    """The evaluations of these targets, with jurisdiction, target and actual, stored or live."""
    ids = list(targets.exclude(review_state=ReviewState.REJECTED).values_list("id", flat=True))
    if answered.stored:
        found = Evaluation.objects.filter(target_id__in=ids).select_related(
            "jurisdiction", "target", "actual"
        )
        return list(found)
    return evaluations_of(ids=ids, as_of=answered.as_of, rules=answered.rules)


def judged_value(evaluation: Evaluation) -> tuple[float | None, str | None]:
    """The figure a target was judged on, and where it came from."""
    if evaluation.year_to_date is not None:
        return evaluation.year_to_date, "year_to_date"
    if evaluation.actual is not None:
        return float(evaluation.actual.value), "actual"
    if evaluation.rollup is not None and Flag.ROLLED_UP in evaluation.flags:
        return evaluation.rollup["value"], "rollup"
    return None, None


def _ranks(rows: list[dict], key: str) -> dict[int, int]:
    """1-based ranks by a figure, highest first; rows without one get none."""
    rated = sorted(
        (r for r in rows if r[key] is not None),
        key=lambda r: (-r[key], r["jurisdiction"]["code"] or ""),
    )
    return {r["target"]["id"]: position for position, r in enumerate(rated, start=1)}


def attainment_comparison(
    *,
    indicator: str,
    year: int,
    level: str,
    parent: Jurisdiction | None,
    measure: str,
    answered: Answered,
) -> list[dict[str, Any]]:
    """Every jurisdiction of a level with a target of the indicator for the year, ranked by
    attainment ratio (and by the value judged); under one parent when given."""
    targets = Target.objects.filter(
        indicator__code=indicator,
        measure=measure,
        jurisdiction__level=level,
        **_calendar_year(year),
    )
    if parent is not None:
        within = jurisdiction_and_descendants(Jurisdiction.objects.filter(pk=parent.pk))
        targets = targets.filter(jurisdiction_id__in=within)
    rows = []
    for e in _evaluations(targets, answered=answered):
        value, source = judged_value(e)
        rows.append(
            {
                "jurisdiction": {
                    "id": e.jurisdiction.id,
                    "code": e.jurisdiction.code,
                    "name_zh": e.jurisdiction.name_zh,
                    "name_en": e.jurisdiction.name_en,
                },
                "target": {
                    "id": e.target.id,
                    "value": e.target.value,
                    "comparator": e.target.comparator,
                },
                "value": value,
                "value_source": source,
                "status": e.status,
                "attainment_ratio": e.attainment_ratio,
                "flags": list(e.flags),
            }
        )
    by_ratio, by_value = _ranks(rows, "attainment_ratio"), _ranks(rows, "value")
    for row in rows:
        row["rank_by_ratio"] = by_ratio.get(row["target"]["id"])
        row["rank_by_value"] = by_value.get(row["target"]["id"])
    rows.sort(
        key=lambda r: (r["rank_by_ratio"] is None, r["rank_by_ratio"] or 0, r["target"]["id"])
    )
    return rows


def jurisdiction_trajectory(
    *,
    jurisdiction: Jurisdiction,
    indicator: str,
    measure: str,
    answered: Answered,
) -> list[dict[str, Any]]:
    """A jurisdiction's indicator year by year: the accepted annual figure known on the day,
    the year's target and how it stands."""
    years: dict[int, dict[str, Any]] = {}

    def year_row(year: int) -> dict[str, Any]:
        return years.setdefault(
            year,
            {
                "year": year,
                "actual": None,
                "target": None,
                "status": None,
                "attainment_ratio": None,
                "value": None,
                "value_source": None,
            },
        )

    actuals = Actual.objects.filter(
        jurisdiction=jurisdiction,
        indicator__code=indicator,
        measure=measure,
        review_state=ReviewState.ACCEPTED,
        period_start__month=1,
        period_end__month=12,
    ).select_related("source_document")
    latest: dict[int, tuple] = {}
    for actual in actuals:
        if actual.period_start.year != actual.period_end.year:
            continue
        document = actual.source_document
        known = (
            (document.published if document else None)
            or actual.published
            or entered_on(actual.created_at)
        )
        if known > answered.as_of:
            continue
        order = (known, actual.created_at, actual.id)
        year = actual.period_start.year
        if year not in latest or order > latest[year][0]:
            latest[year] = (order, actual)
    for year, (_, actual) in latest.items():
        year_row(year)["actual"] = {"id": actual.id, "value": actual.value}
    targets = Target.objects.filter(
        jurisdiction=jurisdiction, indicator__code=indicator, measure=measure
    )
    calendar = [
        e
        for e in _evaluations(targets, answered=answered)
        if e.period_start.month == 1
        and e.period_end.month == 12
        and e.period_start.year == e.period_end.year
    ]
    for e in sorted(calendar, key=lambda e: e.target_id):  # the latest target of a year last
        row = year_row(e.period_start.year)
        row["target"] = {
            "id": e.target.id,
            "value": e.target.value,
            "comparator": e.target.comparator,
        }
        row["status"], row["attainment_ratio"] = e.status, e.attainment_ratio
        row["value"], row["value_source"] = judged_value(e)
    for row in years.values():
        if row["value"] is None and row["actual"] is not None:
            row["value"], row["value_source"] = float(row["actual"]["value"]), "actual"
    return [years[y] for y in sorted(years)]


def jurisdiction_rollups(
    *,
    jurisdiction: Jurisdiction,
    indicator: str | None,
    year: int | None,
    as_of: date,
    min_coverage: float,
) -> list[dict[str, Any]]:
    """A parent's figures derived from its children's accepted level actuals known on as_of:
    per indicator (flows and stocks) and period, the sum, with its coverage. Never stored
    as actuals: they are what the evaluations judge a parent on when it has no figure."""
    indicators = Indicator.objects.filter(nature__in=ROLLED_UP_NATURES)
    if indicator:
        indicators = indicators.filter(code=indicator)
    else:
        reported = Actual.objects.filter(
            jurisdiction__parent=jurisdiction, review_state=ReviewState.ACCEPTED
        ).values("indicator_id")
        indicators = indicators.filter(pk__in=reported)
    natures = {i.pk: (i.code, i.nature) for i in indicators.order_by("code")}
    keys = {(jurisdiction.pk, indicator_id) for indicator_id in natures}
    children, figures = children_figures(keys=keys, as_of=as_of)
    own = children.get(jurisdiction.pk, [])
    found = []
    for indicator_id, (code, nature) in natures.items():
        child_facts = {
            c["jurisdiction"]: figures.get((c["jurisdiction"], indicator_id), []) for c in own
        }
        for rollup in rollups(nature=nature, children=own, actuals=child_facts):
            if year is not None and not (
                rollup.period_start.year <= year <= rollup.period_end.year
            ):
                continue
            found.append({"indicator": code, **rollup.as_json(min_coverage=min_coverage)})
    return found
