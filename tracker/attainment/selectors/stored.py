"""Reads of the stored evaluations: the state, a page's rows, the summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from tracker.attainment.models import HAS_GROWTH, Evaluation, EvaluationState, Status
from tracker.attainment.rows import ROW_PATHS
from tracker.attainment.rules import (
    AttainmentRules,
    rules_from_dict,
)

# --- The stored rows ---------------------------------------------------------------------


def evaluation_state() -> EvaluationState | None:
    """What the stored evaluations hold (None before the first rebuild)."""
    return EvaluationState.objects.filter(pk=1).first()


def stored_rules(state: EvaluationState) -> AttainmentRules:
    """The rules the stored evaluations were judged by."""
    return rules_from_dict(state.rules)


def stored_answers(*, as_of: date, rules: AttainmentRules) -> bool:
    """Whether the stored evaluations are those of this day under these rules."""
    state = evaluation_state()
    return state is not None and state.as_of == as_of and state.fingerprint == rules.fingerprint


def evaluations_stale(*, today: date, rules: AttainmentRules) -> bool:
    """Whether the stored evaluations are of another day or other rules than these."""
    return not stored_answers(as_of=today, rules=rules)


def _fact_relations(prefix: str) -> list[str]:
    return [f"{prefix}__source_document", f"{prefix}__entered_by", f"{prefix}__reviewed_by"]


RELATED = [
    "target__jurisdiction",
    "target__indicator",
    *_fact_relations("target"),
    "actual",
    *_fact_relations("actual"),
    "baseline",
    *_fact_relations("baseline"),
]
# A report's text can be megabytes; rows name the document, they never print it.
UNREAD = [f"{fact}__source_document__text" for fact in ("target", "actual", "baseline")]


def evaluation_list() -> QuerySet[Evaluation]:
    """Stored evaluations with their target, actual and baseline, and where each came from."""
    return Evaluation.objects.select_related(*RELATED).defer(*UNREAD)


def evaluation_values(*, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The stored evaluations of these targets, in this order, as the flat values rows show."""
    position = {id_: i for i, id_ in enumerate(ids)}
    found = Evaluation.objects.filter(target_id__in=ids).order_by().values(*ROW_PATHS)
    return sorted(found, key=lambda values: position[values["target__id"]])


def evaluations_with_growth(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Those of the evaluations with a required or achieved growth rate."""
    return evaluations.filter(HAS_GROWTH)


SUMMARY_GROUPS = {
    "jurisdiction": ["jurisdiction_id", "jurisdiction__code", "jurisdiction__name_zh"],
    "indicator": ["indicator__code", "indicator__name_zh", "indicator__name_en"],
    "year": ["year"],
}


def evaluation_summary(*, evaluations: QuerySet[Evaluation], group_by: str) -> list[dict]:
    """Counts by status and mean attainment ratio per jurisdiction, indicator or year."""
    fields = SUMMARY_GROUPS[group_by]
    if group_by == "year":
        evaluations = evaluations.annotate(year=ExtractYear("period_end"))
    # Grouped by status too, and pivoted here: one pass over the rows, one count a group.
    rows = (
        evaluations.order_by()
        .values(*fields, "status")
        .annotate(
            n=Count("pk"), ratio_sum=Sum("attainment_ratio"), ratio_n=Count("attainment_ratio")
        )
        .order_by(*fields)
    )
    return pivot(rows, fields=fields)


def pivot(rows: Iterable[dict], *, fields: list[str]) -> list[dict]:
    """One group per value of the fields, from counts per group and status."""
    groups: dict[tuple, dict] = {}
    sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0])
    for row in rows:
        key = tuple(row[f] for f in fields)
        group = groups.setdefault(
            key, {**{f: row[f] for f in fields}, "total": 0} | {s.value: 0 for s in Status}
        )
        group[row["status"]] += row["n"]
        group["total"] += row["n"]
        sums[key][0] += row["ratio_sum"] or 0.0
        sums[key][1] += row["ratio_n"]
    for key, group in groups.items():
        total, n = sums[key]
        group["mean_attainment"] = total / n if n else None
    return list(groups.values())
