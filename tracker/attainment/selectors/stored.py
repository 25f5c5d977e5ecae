"""Reads of the stored evaluations: the state, a page's rows, the summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from hashlib import sha256
from typing import Any

import orjson
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db.models import Case, Count, F, QuerySet, Sum, TextField, When
from django.db.models.functions import Cast

from indicators.models import Indicator
from ingest.models import SourceDocument
from tracker.attainment.models import (
    HAS_GROWTH,
    JSON_FIELDS,
    Evaluation,
    EvaluationState,
    Status,
)
from tracker.attainment.rows import FACTS, PAGE_PATHS
from tracker.attainment.rules import (
    AttainmentRules,
    rules_from_dict,
)
from tracker.models import Jurisdiction, Level

# The cache alias that keeps the counts of the lists (local to each process: see settings).
COUNT_CACHE = "evaluation_counts"

# --- The stored rows ---------------------------------------------------------------------


def evaluation_state() -> EvaluationState | None:
    """What the stored evaluations hold (None before the first rebuild)."""
    return EvaluationState.objects.filter(pk=1).first()


def stored_rules(state: EvaluationState) -> AttainmentRules:
    """The rules the stored evaluations were judged by."""
    return rules_from_dict(state.rules)


def stored_version(*, as_of: date, rules: AttainmentRules) -> str | None:
    """The version of the stored evaluations if they are this day's under these rules.

    The rebuild's time is part of it: a database restored from a backup goes back to an
    earlier version number, but never to another rebuild with the same time.
    """
    state = evaluation_state()
    if state is None or state.as_of != as_of or state.fingerprint != rules.fingerprint:
        return None
    return f"{state.rebuilt_at.isoformat()}/{state.version}"


def stored_answers(*, as_of: date, rules: AttainmentRules) -> bool:
    """Whether the stored evaluations are those of this day under these rules."""
    return stored_version(as_of=as_of, rules=rules) is not None


def evaluations_count(*, evaluations: QuerySet[Evaluation], version: str, key: str) -> int:
    """How many stored evaluations match, counted once per version of the stored rows.

    `key` names the filters (the same key, the same rows). Every change of the rows raises
    the version, so a count is never read for rows other than those it counted.
    """
    cache_key = f"{version}:{sha256(key.encode()).hexdigest()}"
    count = caches[COUNT_CACHE].get(cache_key)
    if count is None:
        count = evaluations.count()
        caches[COUNT_CACHE].set(cache_key, count)
    return count


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


def json_text(name: str) -> Cast:
    """A JSON column read as its text, for orjson to parse: the JSONField's own decoding
    (json.loads a value) was a tenth of a page's time and a fifth of an export's."""
    return Cast(name, TextField())


def json_parsed(text: str | None) -> Any:
    """The value of a JSON column read by json_text."""
    return None if text is None else orjson.loads(text)


_AS_TEXT = "{}_text"
# The page's columns resolved once per process (a queryset is lazy: this one is never run,
# each request runs a filtered copy): resolving a hundred paths through six joins cost more
# than the database took to answer.
PAGE_VALUES = Evaluation.objects.order_by().values(
    *(path for path in PAGE_PATHS if path not in JSON_FIELDS),
    **{_AS_TEXT.format(name): json_text(name) for name in JSON_FIELDS},
)


def evaluation_values(*, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The stored evaluations of these targets, in this order, as the flat values rows show.

    Three queries whatever their number: the rows with their target, actual and baseline;
    then the documents and the people those name.
    """
    position = {id_: i for i, id_ in enumerate(ids)}
    found = PAGE_VALUES.filter(target_id__in=ids)
    rows = sorted(found, key=lambda values: position[values["target__id"]])
    for row in rows:
        for name in JSON_FIELDS:
            row[name] = json_parsed(row.pop(_AS_TEXT.format(name)))
    documents = _named(rows, ["source_document_id"], SourceDocument, "title", "published")
    people = _named(rows, ["entered_by_id", "reviewed_by_id"], User, "username")
    for row in rows:
        for fact in FACTS:
            title, published = documents.get(row[f"{fact}__source_document_id"], (None, None))
            row[f"{fact}__source_document__title"] = title
            row[f"{fact}__source_document__published"] = published
            row[f"{fact}__entered_by__username"] = people.get(row[f"{fact}__entered_by_id"])
            row[f"{fact}__reviewed_by__username"] = people.get(row[f"{fact}__reviewed_by_id"])
    return rows


def _named(rows: list[dict], keys: list[str], model, *fields: str) -> dict[int, Any]:
    """The fields of the rows the facts of these rows name by any of `keys`, by id."""
    ids = {row[f"{fact}__{key}"] for row in rows for fact in FACTS for key in keys} - {None}
    if not ids:
        return {}
    found = model.objects.filter(id__in=ids).values_list("id", *fields)
    return {id_: rest[0] if len(rest) == 1 else tuple(rest) for id_, *rest in found}


def evaluations_with_growth(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Those of the evaluations with a required or achieved growth rate."""
    return evaluations.filter(HAS_GROWTH)


SUMMARY_GROUPS = {
    "jurisdiction": ["jurisdiction_id", "jurisdiction__code", "jurisdiction__name_zh"],
    "indicator": ["indicator__code", "indicator__name_zh", "indicator__name_en"],
    "year": ["year"],
    # The jurisdiction's parent (a city's province, a county's city), and its province.
    "parent": ["parent_id", "parent_code", "parent_name_zh"],
    "province": ["province_id", "province_code", "province_name_zh"],
}


def _up_to_province(path: str) -> Case:
    """The province above (or at) an evaluation's jurisdiction, as a database expression."""
    return Case(
        When(jurisdiction__level=Level.PROVINCE, then=F(f"jurisdiction__{path}")),
        When(jurisdiction__parent__level=Level.PROVINCE, then=F(f"jurisdiction__parent__{path}")),
        default=F(f"jurisdiction__parent__parent__{path}"),
    )


def summary_annotated(evaluations: QuerySet[Evaluation], *, group_by: str) -> QuerySet:
    """The evaluations with the fields of the parent and province groups."""
    if group_by == "parent":
        return evaluations.annotate(
            parent_id=F("jurisdiction__parent_id"),
            parent_code=F("jurisdiction__parent__code"),
            parent_name_zh=F("jurisdiction__parent__name_zh"),
        )
    if group_by == "province":
        return evaluations.annotate(
            province_id=_up_to_province("id"),
            province_code=_up_to_province("code"),
            province_name_zh=_up_to_province("name_zh"),
        )
    return evaluations


# Groups counted by the evaluations' own column, and named afterwards from a few rows of
# the model it refers to (group field: that model's field), ordered by `order`.
NAMED_GROUPS = {
    "jurisdiction": (
        "jurisdiction_id",
        Jurisdiction,
        {"jurisdiction__code": "code", "jurisdiction__name_zh": "name_zh"},
        "jurisdiction_id",
    ),
    "indicator": (
        "indicator_id",
        Indicator,
        {
            "indicator__code": "code",
            "indicator__name_zh": "name_zh",
            "indicator__name_en": "name_en",
        },
        "indicator__code",
    ),
}


def evaluation_summary(*, evaluations: QuerySet[Evaluation], group_by: str) -> list[dict]:
    """Counts by status and mean attainment ratio per jurisdiction, indicator or year."""
    fields = SUMMARY_GROUPS[group_by]
    # Grouped by status too, and pivoted here: one pass over the rows, one count a group.
    # By year: grouped by the period's end, and its year taken here (SQLite would extract
    # it by a Python call per row). By jurisdiction or indicator: grouped by the id alone,
    # without a join over every row, and named from one row per group afterwards.
    named = NAMED_GROUPS.get(group_by)
    if group_by == "year":
        grouped = ["period_end"]
    elif named:
        grouped = [named[0]]
    else:
        grouped = fields
    evaluations = summary_annotated(evaluations, group_by=group_by)
    rows = (
        evaluations.order_by()
        .values(*grouped, "status")
        .annotate(
            n=Count("pk"), ratio_sum=Sum("attainment_ratio"), ratio_n=Count("attainment_ratio")
        )
        .order_by(*grouped)
    )
    if group_by == "year":
        rows = ({"year": row["period_end"].year, **row} for row in rows)
    elif named:
        rows = _named_groups(list(rows), *named)
    return pivot(rows, fields=fields)


def _named_groups(
    rows: list[dict], column: str, model, names: dict[str, str], order: str
) -> list[dict]:
    """The grouped rows with the names of what they were grouped by, in the groups' order."""
    found = model.objects.filter(pk__in={row[column] for row in rows}).values("pk", *names.values())
    by_id = {values["pk"]: values for values in found}
    named = [
        {**row, **{group: by_id[row[column]][field] for group, field in names.items()}}
        for row in rows
    ]
    return sorted(named, key=lambda row: row[order])


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
