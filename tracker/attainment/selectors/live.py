"""Targets evaluated live: for another day or other rules, a rebuild, or a check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, reduce
from operator import attrgetter, or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import QueryDict

from indicators.models import Indicator
from ingest.models import AttainmentClaim
from tracker.attainment.filters import ORDERINGS, EvaluationFilter
from tracker.attainment.models import Evaluation
from tracker.attainment.rules import (
    ROLLED_UP_NATURES,
    AttainmentRules,
    Claim,
    Evaluated,
    Fact,
    Series,
    entered_on,
    evaluate,
    latest_first,
    period_months,
    rollups,
)
from tracker.attainment.selectors.stored import SUMMARY_GROUPS, pivot
from tracker.filters import TargetFilter
from tracker.iterables import batched
from tracker.models import Actual, Jurisdiction, ReviewState, Target

SeriesKey = tuple[int, int]  # (jurisdiction id, indicator id)
# Series read per query: an OR of more (jurisdiction, indicator) pairs nests deeper than
# SQLite parses.
SERIES_PER_QUERY = 200
# Children whose figures are read per query (the parameters of one statement stay few).
CHILDREN_PER_QUERY = 500
# Series read as the pairs of their jurisdictions and indicators while these are at most
# this many times as many.
SUPERSET_FACTOR = 2
# Targets evaluated per round when many are (a rebuild, a live summary or export).
TARGETS_PER_ROUND = 2000

_FACT_COLUMNS = (
    "id",
    "jurisdiction_id",
    "indicator_id",
    "measure",
    "value",
    "comparator",
    "period_start",
    "period_end",
    "source_document__published",
    "created_at",
    "review_state",
    "source_document_id",
    "published",
)


# --- Evaluating live ---------------------------------------------------------------------


def series_q(keys: Collection[SeriesKey]) -> Q:
    """Rows (facts or evaluations) of exactly these (jurisdiction, indicator) series."""
    return reduce(or_, (Q(jurisdiction_id=j, indicator_id=i) for j, i in keys), Q(pk__in=[]))


def _series_filter(keys: Collection[SeriesKey]) -> Q:
    """Rows of these series, or of a few more (the caller keeps those of `keys`)."""
    jurisdictions = {j for j, _ in keys}
    indicators = {i for _, i in keys}
    # Whole jurisdictions (a rebuild's rounds) are cheaper read as every pair of their
    # jurisdictions and indicators: PostgreSQL plans an OR of many pairs slowly. Scattered
    # series (a page of targets) would read too many others that way.
    if len(jurisdictions) * len(indicators) <= SUPERSET_FACTOR * len(keys):
        return Q(jurisdiction_id__in=jurisdictions, indicator_id__in=indicators)
    return series_q(keys)


def _facts(queryset: QuerySet, *also: str) -> Iterator[tuple[SeriesKey, Fact, tuple]]:
    """(series, fact, the values of the paths `also`) for each row of a queryset of targets
    or actuals."""
    width = len(_FACT_COLUMNS)
    rows = queryset.order_by().values_list(*_FACT_COLUMNS, *also)
    for row in rows:
        (
            id_,
            jurisdiction_id,
            indicator_id,
            measure,
            value,
            comparator,
            start,
            end,
            published,
            created_at,
            review_state,
            document_id,
            own_publication,
        ) = row[:width]
        # Known from its document's publication, else its own (an import's), else from the
        # local day it was entered.
        known = published or own_publication or entered_on(created_at)
        fact = Fact(
            id_,
            measure,
            float(value),
            value,
            comparator,
            start,
            end,
            period_months(start, end),
            known,
            created_at,
            review_state,
            document_id,
        )
        yield (jurisdiction_id, indicator_id), fact, row[width:]


@dataclass
class SeriesSet:
    """The series of some (jurisdiction, indicator) pairs, as the rules read them on a day."""

    series: dict[SeriesKey, Series] = field(default_factory=dict)
    jurisdiction_codes: dict[int, str] = field(default_factory=dict)
    indicator_codes: dict[int, str] = field(default_factory=dict)


# What a target's row brings of its series: the rules read the indicator's nature and
# direction, and the stored rows keep both codes (the lists sort by them).
_SERIES_COLUMNS = (
    "jurisdiction__code",
    "indicator__nature",
    "indicator__direction",
    "indicator__code",
)


def series_load(*, keys: Set[SeriesKey], as_of: date) -> SeriesSet:
    """Each series' targets (not rejected) and accepted actuals known on as_of; a series
    without targets (nothing to evaluate) is left out."""
    loaded = SeriesSet()
    if not keys:
        return loaded
    targets: dict[SeriesKey, list[Fact]] = defaultdict(list)
    actuals: dict[SeriesKey, list[Fact]] = defaultdict(list)
    kinds: dict[int, tuple[str, str]] = {}
    for batch in batched(sorted(keys), SERIES_PER_QUERY):
        where = _series_filter(batch)
        evaluable = Target.objects.filter(where).exclude(review_state="rejected")
        for key, fact, series in _facts(evaluable, *_SERIES_COLUMNS):
            if key in keys:
                targets[key].append(fact)
                jurisdiction_code, nature, direction, indicator_code = series
                loaded.jurisdiction_codes[key[0]] = jurisdiction_code
                loaded.indicator_codes[key[1]] = indicator_code
                kinds[key[1]] = (nature, direction)
        for key, fact, _ in _facts(Actual.objects.filter(where, review_state=ReviewState.ACCEPTED)):
            if key in keys and fact.known <= as_of:
                actuals[key].append(fact)
    claims = _claims(keys=targets.keys(), as_of=as_of) if targets else {}
    summed = {key for key in targets if kinds[key[1]][0] in ROLLED_UP_NATURES}
    children, child_actuals = children_figures(keys=summed, as_of=as_of)
    for key in targets:
        nature, direction = kinds[key[1]]
        jurisdiction_id, indicator_id = key
        own_children = children.get(jurisdiction_id, []) if key in summed else []
        loaded.series[key] = Series(
            nature,
            direction,
            latest_first(targets[key]),
            latest_first(actuals[key]),
            claims=[
                c for c in claims.get(jurisdiction_id, ()) if c.indicator_id in (None, indicator_id)
            ],
            rollups=rollups(
                nature=nature,
                children=own_children,
                actuals={
                    c["jurisdiction"]: child_actuals.get((c["jurisdiction"], indicator_id), [])
                    for c in own_children
                },
            ),
        )
    return loaded


def jurisdiction_children(*, parents: Collection[int]) -> dict[int, list[dict[str, Any]]]:
    """The accepted children of each parent ({jurisdiction, code, name_zh}), by code."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Jurisdiction.objects.filter(parent_id__in=parents, review_state=ReviewState.ACCEPTED)
        .order_by("code", "id")
        .values_list("id", "parent_id", "code", "name_zh")
    )
    for id_, parent_id, code, name_zh in rows:
        found[parent_id].append({"jurisdiction": id_, "code": code, "name_zh": name_zh})
    return found


def children_figures(
    *, keys: Collection[SeriesKey], as_of: date
) -> tuple[dict[int, list[dict[str, Any]]], dict[SeriesKey, list[Fact]]]:
    """The children of the keys' jurisdictions, and their accepted level actuals known on
    as_of of the keys' indicators (latest first), for the roll-ups."""
    if not keys:
        return {}, {}
    children = jurisdiction_children(parents={j for j, _ in keys})
    wanted = {
        (child["jurisdiction"], indicator_id)
        for jurisdiction_id, indicator_id in keys
        for child in children.get(jurisdiction_id, ())
    }
    figures: dict[SeriesKey, list[Fact]] = defaultdict(list)
    if not wanted:
        return children, {}
    # One query of the children's accepted levels of these indicators (a superset of the
    # pairs wanted, kept in Python): an OR of every pair would be thousands of terms. Read
    # at once: the facts kept are most of the rows read, and a server-side cursor costs
    # round trips (and, outside a transaction, a copy of the result).
    indicators = {i for _, i in wanted}
    for batch in batched(sorted({j for j, _ in wanted}), CHILDREN_PER_QUERY):
        accepted = Actual.objects.filter(
            jurisdiction_id__in=batch,
            indicator_id__in=indicators,
            review_state=ReviewState.ACCEPTED,
            measure="level",
        )
        for key, fact, _ in _facts(accepted):
            if key in wanted and fact.known <= as_of:
                figures[key].append(fact)
    return children, {key: latest_first(facts) for key, facts in figures.items()}


def _claims(*, keys: Collection[SeriesKey], as_of: date) -> dict[int, list[Claim]]:
    """The attainment claims of the jurisdictions' reports known on as_of, by jurisdiction."""
    jurisdictions = {j for j, _ in keys}
    indicators = {i for _, i in keys}
    rows = (
        AttainmentClaim.objects.filter(document__jurisdiction_id__in=jurisdictions)
        .filter(Q(indicator_id__in=indicators) | Q(indicator_id__isnull=True))
        .order_by("document_id", "span_start", "id")
        .values_list(
            "id",
            "document_id",
            "document__jurisdiction_id",
            "indicator_id",
            "year",
            "document__report_year",
            "status",
            "ratio",
            "quote",
            "document__published",
            "document__created_at",
        )
    )
    found: dict[int, list[Claim]] = defaultdict(list)
    for (
        id_,
        document_id,
        jurisdiction_id,
        indicator_id,
        year,
        report_year,
        status,
        ratio,
        quote,
        published,
        created_at,
    ) in rows:
        # Known as its report is: from its publication, else from the day it was received.
        if (published or entered_on(created_at)) > as_of:
            continue
        claim = Claim(id_, document_id, indicator_id, year or report_year, status, ratio, quote)
        found[jurisdiction_id].append(claim)
    return found


# The attribute names of an Evaluation's columns, in the model's order.
ROW_FIELDS = [f.attname for f in Evaluation._meta.concrete_fields]


def evaluation_row(
    target: Fact,
    key: SeriesKey,
    evaluated: Evaluated,
    *,
    loaded: SeriesSet,
    as_of: date,
    rules: AttainmentRules,
) -> Evaluation:
    """The Evaluation row of a target, as the rules judged it (not saved)."""
    values = {
        "target_id": target.id,
        "as_of": as_of,
        "rules": rules.fingerprint,
        "jurisdiction_id": key[0],
        "indicator_id": key[1],
        "jurisdiction_code": loaded.jurisdiction_codes.get(key[0]) or "",
        "indicator_code": loaded.indicator_codes[key[1]],
        "period_start": target.period_start,
        "period_end": target.period_end,
        "period_months": evaluated.period_months,
        "status": evaluated.status,
        "attainment_ratio": evaluated.attainment_ratio,
        "gap": evaluated.gap,
        "compared_with": evaluated.compared_with,
        "projection": evaluated.projection,
        "elapsed_months": evaluated.elapsed_months,
        "partial": evaluated.partial,
        "derived_from_levels": evaluated.derived_from_levels,
        "horizon_months": evaluated.horizon_months,
        "required_growth": evaluated.required_growth,
        "achieved_growth": evaluated.achieved_growth,
        "growth_gap": evaluated.growth_gap,
        "growth_source": evaluated.growth_source,
        "progress": evaluated.progress,
        "trajectory": evaluated.trajectory,
        "consistency": evaluated.consistency,
        "flags": evaluated.flags,
        "actual_id": None if evaluated.actual is None else evaluated.actual.id,
        "baseline_id": None if evaluated.baseline is None else evaluated.baseline.id,
        "superseded": evaluated.superseded,
        "increments": evaluated.increments,
        "year_to_date": evaluated.year_to_date,
        "claims": evaluated.claims,
        "claim_contradicted": evaluated.claim_contradicted,
        "rollup": evaluated.rollup,
    }
    # Built from the fields in the model's order: a rebuild builds one a target, and
    # positional values skip the model's checks of keyword arguments.
    return Evaluation(*(values[name] for name in ROW_FIELDS))


def evaluable_targets() -> QuerySet[Target]:
    """The targets a rebuild evaluates: all but the rejected ones (one row each)."""
    return Target.objects.exclude(review_state=ReviewState.REJECTED)


def evaluation_rounds(
    *, targets: QuerySet[Target], as_of: date, rules: AttainmentRules, stream: bool = True
) -> Iterator[Iterator[Evaluation]]:
    """The evaluations of these targets (the rejected left out), in their order, a round at
    a time: each round's series are read when it is reached, its rows judged as they are
    taken, without a query (a rebuild stores them meanwhile).

    `stream=False` reads the targets' ids in one query rather than through a server-side
    cursor (three more round trips on PostgreSQL), for a few series' targets.
    """
    keyed = targets.values_list("id", "jurisdiction_id", "indicator_id")
    if stream:
        keyed = keyed.iterator(chunk_size=TARGETS_PER_ROUND)
    for chunk in batched(keyed, TARGETS_PER_ROUND):
        loaded = series_load(keys={(j, i) for _, j, i in chunk}, as_of=as_of)
        yield _judged(chunk, loaded=loaded, as_of=as_of, rules=rules)


def _judged(
    chunk: Iterable[tuple[int, int, int]],
    *,
    loaded: SeriesSet,
    as_of: date,
    rules: AttainmentRules,
) -> Iterator[Evaluation]:
    """The rows of a round's (target id, jurisdiction id, indicator id), from its series."""
    facts = {f.id: f for series in loaded.series.values() for f in series.targets}
    for id_, jurisdiction_id, indicator_id in chunk:
        target = facts.get(id_)
        if target is None:  # rejected: not evaluated
            continue
        key = (jurisdiction_id, indicator_id)
        evaluated = evaluate(target, loaded.series[key], as_of=as_of, rules=rules)
        yield evaluation_row(target, key, evaluated, loaded=loaded, as_of=as_of, rules=rules)


def series_evaluations(
    *, keys: Set[SeriesKey], as_of: date, rules: AttainmentRules
) -> list[Evaluation]:
    """The evaluations of every target (the rejected left out) of these series, not saved."""
    loaded = series_load(keys=keys, as_of=as_of)
    # The series' own read finds their targets: no query of their ids first.
    return [
        evaluation_row(
            target,
            key,
            evaluate(target, series, as_of=as_of, rules=rules),
            loaded=loaded,
            as_of=as_of,
            rules=rules,
        )
        # In the order a query of the targets gives (webhook events follow it).
        for key, series in sorted(loaded.series.items())
        for target in sorted(series.targets, key=attrgetter("id"))
    ]


def evaluations_live(
    *, targets: QuerySet[Target], as_of: date, rules: AttainmentRules, stream: bool = True
) -> Iterator[Evaluation]:
    """The evaluations of these targets (the rejected left out), in their order, not saved.

    Targets are read and judged a round at a time, each round with the series it needs, so
    that memory stays flat however many there are (see evaluation_rounds for `stream`).
    """
    rounds = evaluation_rounds(targets=targets, as_of=as_of, rules=rules, stream=stream)
    for judged in rounds:
        yield from judged


def evaluations_relate(evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    """Live evaluations with their target, actual and baseline, as evaluation_list reads them."""
    target_ids = [e.target_id for e in evaluations]
    fact_ids = {e.actual_id for e in evaluations} | {e.baseline_id for e in evaluations}
    targets = Target.objects.select_related(
        "jurisdiction", "indicator", "source_document", "entered_by", "reviewed_by"
    ).defer("source_document__text")
    by_target = targets.in_bulk(target_ids)
    actuals = Actual.objects.select_related("source_document", "entered_by", "reviewed_by").defer(
        "source_document__text"
    )
    by_actual = actuals.in_bulk(fact_ids - {None})
    for evaluation in evaluations:
        evaluation.target = by_target[evaluation.target_id]
        evaluation.jurisdiction = evaluation.target.jurisdiction
        evaluation.indicator = evaluation.target.indicator
        evaluation.actual = by_actual.get(evaluation.actual_id)
        evaluation.baseline = by_actual.get(evaluation.baseline_id)
    return list(evaluations)


# Figures the live lists can filter or order by, which only an evaluation knows.
EVALUATED_ORDERINGS = frozenset({"status", "attainment_ratio", "gap", "growth_gap"})


def ordered_live(evaluations: Iterable[Evaluation], ordering: Sequence[str]) -> list[Evaluation]:
    """Evaluations in the order the stored lists give: each figure, rows without one last,
    ties by target id."""
    rows = sorted(evaluations, key=attrgetter("target_id"))
    for name in reversed(ordering):  # the last key first: each sort keeps the order of ties
        figure = name.lstrip("-")
        with_value = [e for e in rows if getattr(e, figure) is not None]
        with_value.sort(key=attrgetter(figure), reverse=name.startswith("-"))
        rows = with_value + [e for e in rows if getattr(e, figure) is None]
    return rows


@dataclass
class LiveEvaluations:
    """Targets evaluated live, for another day or rules, as a sequence a paginator pages.

    `targets` are filtered by the target's own fields and ordered. When the request also
    filters or orders by evaluated figures, every candidate is evaluated once (a round at a
    time) to know which match and in what order; otherwise only the page is.
    """

    targets: QuerySet[Target]
    as_of: date
    rules: AttainmentRules
    statuses: Collection[str] = ()
    with_growth: bool = False
    ordering: Sequence[str] = ()  # evaluated figures, e.g. ["-attainment_ratio"]
    claim_contradicted: bool | None = None

    @property
    def page_first(self) -> bool:
        return not (
            self.statuses
            or self.with_growth
            or self.ordering
            or self.claim_contradicted is not None
        )

    @cached_property
    def matching(self) -> list[int]:
        """Ids of the matching targets, in order (only when evaluated figures decide)."""
        live = evaluations_live(targets=self.targets, as_of=self.as_of, rules=self.rules)
        kept = [e for e in live if self.matches(e)]
        if self.ordering:
            kept = ordered_live(kept, self.ordering)
        return [e.target_id for e in kept]

    def matches(self, evaluation: Evaluation) -> bool:
        """Whether an evaluation passes the filters on evaluated figures."""
        if self.statuses and evaluation.status not in self.statuses:
            return False
        if (
            self.claim_contradicted is not None
            and evaluation.claim_contradicted != self.claim_contradicted
        ):
            return False
        return not self.with_growth or (
            evaluation.required_growth is not None or evaluation.achieved_growth is not None
        )

    def count(self) -> int:
        if self.page_first:
            return self.targets.exclude(review_state=ReviewState.REJECTED).count()
        return len(self.matching)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Evaluation]:
        if self.page_first:
            candidates = self.targets.exclude(review_state=ReviewState.REJECTED)
            ids = list(candidates.values_list("id", flat=True)[index])
        else:
            ids = self.matching[index]
        return evaluations_of(ids=ids, as_of=self.as_of, rules=self.rules)

    def __iter__(self) -> Iterator[Evaluation]:
        """Every matching evaluation in order, with its related rows, a round at a time."""
        judged: Iterable[Evaluation]
        judged = evaluations_live(targets=self.targets, as_of=self.as_of, rules=self.rules)
        if not self.page_first:
            judged = [e for e in judged if self.matches(e)]
        if self.ordering:
            judged = ordered_live(judged, self.ordering)
        for batch in batched(judged, TARGETS_PER_ROUND):
            yield from evaluations_relate(batch)


# The default order of targets evaluated live, as the stored rows' (a missing code first).
LIVE_DEFAULT_ORDER = [
    F("period_end").desc(),
    F("jurisdiction__code").asc(nulls_first=True),
    "indicator__code",
    "id",
]


def _target_order(param: str):
    """A target's ordering for an API ordering parameter (a missing code sorts as "")."""
    name = param.removeprefix("-")
    if name == "jurisdiction__code":
        code = F(name)
        return code.desc(nulls_last=True) if param.startswith("-") else code.asc(nulls_first=True)
    return param


def _figure(param: str) -> str:
    """The attribute of an Evaluation an API ordering parameter sorts by, with its sign."""
    name = ORDERINGS[param.removeprefix("-")]
    return f"-{name}" if param.startswith("-") else name


def live_evaluations(
    *, params: QueryDict, as_of: date, rules: AttainmentRules, with_growth: bool = False
) -> LiveEvaluations:
    """The evaluations a query's filters and ordering ask for, evaluated live.

    The filters are those of the stored rows (EvaluationFilter), checked the same way
    (ValidationError); the target's own fields filter and order the targets in the
    database, the evaluated figures (status, ratio, gaps) the evaluations.
    """
    filterset = EvaluationFilter(params, queryset=Evaluation.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors.as_data())
    given = filterset.form.cleaned_data
    targets = TargetFilter(params, queryset=Target.objects.all()).qs
    ordering = list(given.get("ordering") or [])
    by_figures = any(ORDERINGS[p.removeprefix("-")] in EVALUATED_ORDERINGS for p in ordering)
    if ordering and not by_figures:
        targets = targets.order_by(*map(_target_order, ordering), "id")
    else:
        targets = targets.order_by(*LIVE_DEFAULT_ORDER)
    return LiveEvaluations(
        targets=targets,
        as_of=as_of,
        rules=rules,
        statuses=given.get("status") or (),
        with_growth=with_growth,
        ordering=[_figure(p) for p in ordering] if by_figures else (),
        claim_contradicted=given.get("claim_contradicted"),
    )


def evaluations_of(*, ids: Sequence[int], as_of: date, rules: AttainmentRules) -> list[Evaluation]:
    """These targets evaluated live, in the order of the ids, with what their rows show."""
    targets = Target.objects.filter(id__in=ids)
    position = {id_: i for i, id_ in enumerate(ids)}
    evaluated = sorted(
        evaluations_live(targets=targets, as_of=as_of, rules=rules),
        key=lambda e: position[e.target_id],
    )
    return evaluations_relate(evaluated)


def summary_live(evaluations: Iterable[Evaluation], *, group_by: str) -> list[dict]:
    """evaluation_summary of live evaluations: the same groups, counts and means."""
    evaluations = list(evaluations)
    above = _above(group_by, {e.jurisdiction_id for e in evaluations})
    counts: dict[tuple, dict[str, Any]] = {}
    for e in evaluations:
        if group_by == "year":
            group = e.period_end.year
        elif group_by in ("parent", "province"):
            group = above.get(e.jurisdiction_id)
        else:
            group = e.jurisdiction_id if group_by == "jurisdiction" else e.indicator_id
        row = counts.setdefault((group, e.status), {"n": 0, "ratio_sum": None, "ratio_n": 0})
        row["n"] += 1
        if e.attainment_ratio is not None:
            row["ratio_sum"] = (row["ratio_sum"] or 0.0) + e.attainment_ratio
            row["ratio_n"] += 1
    names = _group_fields(group_by, {group for group, _ in counts})
    fields = SUMMARY_GROUPS[group_by]
    rows = [{**names[group], "status": status, **row} for (group, status), row in counts.items()]
    # As the database orders them (rows without a code first on SQLite, last on PostgreSQL
    # for the stored summary: here always last).
    rows.sort(key=lambda r: tuple((r[f] is None, r[f] if r[f] is not None else 0) for f in fields))
    return pivot(rows, fields=fields)


def _above(group_by: str, jurisdiction_ids: set[int]) -> dict[int, int | None]:
    """Each jurisdiction's parent, or its province (itself for a province)."""
    if group_by not in ("parent", "province"):
        return {}
    rows = Jurisdiction.objects.filter(pk__in=jurisdiction_ids).values_list(
        "pk", "level", "parent_id", "parent__level", "parent__parent_id"
    )
    above: dict[int, int | None] = {}
    for pk, level, parent, parent_level, grandparent in rows:
        if group_by == "parent":
            above[pk] = parent
        elif level == "province":
            above[pk] = pk
        else:
            above[pk] = parent if parent_level == "province" else grandparent
    return above


def _group_fields(group_by: str, values: set) -> dict[Any, dict[str, Any]]:
    """The fields of each summary group, by jurisdiction id, indicator id or year."""
    if group_by == "year":
        return {year: {"year": year} for year in values}
    if group_by in ("parent", "province"):
        fields = SUMMARY_GROUPS[group_by]
        found = Jurisdiction.objects.filter(pk__in=values - {None}).values_list(
            "pk", "code", "name_zh"
        )
        groups = {row[0]: dict(zip(fields, row, strict=True)) for row in found}
        groups[None] = dict.fromkeys(fields)
        return groups
    if group_by == "jurisdiction":
        found = Jurisdiction.objects.filter(id__in=values).values_list("id", "code", "name_zh")
    else:
        found = Indicator.objects.filter(id__in=values).values_list(
            "id", "code", "name_zh", "name_en"
        )
    fields = SUMMARY_GROUPS[group_by]
    if group_by == "jurisdiction":
        return {row[0]: dict(zip(fields, row, strict=True)) for row in found}
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in found}
