"""The evaluation of every target, computed by the database as annotations of one query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Abs,
    Cast,
    Coalesce,
    ExtractYear,
    NullIf,
    Power,
    TruncDate,
)
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.http import QueryDict
from django.utils import timezone

from indicators.models import Direction, Nature
from tracker import statements
from tracker.attainment.filters import AttainmentFilter
from tracker.attainment.rules import AttainmentRules, GrowthSource, Status, rules_get
from tracker.instances import direct_instances
from tracker.models import GROWTH_MEASURES, Actual, Measure, ReviewState, Target
from tracker.selectors import RowIn, RowInQuery, months_between, period_months_expression

GROWTH = [m.value for m in GROWTH_MEASURES]
FLOAT = FloatField()
# Most recent first: the later period end (a full period before a part of it), then the
# later publication (a revision beats the report it revises), then the later entry.
LATEST = ("-period_end", "-known", "-created_at", "-id")


def known_date_expression() -> Coalesce:
    """When a fact became known: its document's publication date, else the day it was entered."""
    return Coalesce(
        F("source_document__published"), LocalDate("created_at"), output_field=DateField()
    )


class LocalDate(TruncDate):
    """The local date of a timestamp; computed by SQLite itself when the zone's offset is fixed."""

    def as_sqlite(self, compiler, connection, **extra_context):
        # TruncDate calls a Python function per row on SQLite: 150,000 calls for a summary of
        # 10,000 targets. SQLite stores UTC text, so a zone without daylight saving (the
        # default, Asia/Shanghai) is a fixed shift. Zones with daylight saving keep TruncDate.
        offset = fixed_utc_offset_minutes(timezone.get_current_timezone())
        if offset is None:
            return super().as_sqlite(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{offset:+d} minutes")


def fixed_utc_offset_minutes(zone) -> int | None:
    """The zone's UTC offset in minutes if it is the same all year, else None."""
    offsets = {
        datetime(year, month, 1, tzinfo=zone).utcoffset()
        for year in (2000, 2025)
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds() // 60)


def _float(name: str) -> Cast:
    return Cast(name, output_field=FLOAT)


def _ratio(numerator, denominator):
    """numerator / denominator in floating point, NULL when the denominator is zero."""
    return numerator / NullIf(denominator, Value(0.0))


def with_provenance(facts: QuerySet) -> QuerySet:
    """The facts with what a row shows of their document and of who entered and reviewed them."""
    # Columns, not related objects: hydrating a document and two users per fact (with a
    # user's password hash and dates) was a fifth of a page's Python time on SQLite.
    return facts.annotate(
        document_title=F("source_document__title"),
        document_published=F("source_document__published"),
        entered_by_name=F("entered_by__username"),
        reviewed_by_name=F("reviewed_by__username"),
    )


def accepted_actuals(*, as_of: date) -> QuerySet[Actual]:
    """Accepted actuals known on as_of, with when they became known and their length."""
    return (
        Actual.objects.filter(review_state=ReviewState.ACCEPTED)
        .annotate(known=known_date_expression(), months=period_months_expression())
        .filter(known__lte=as_of)
    )


def _join(relation: str, candidates: QuerySet) -> FilteredRelation:
    """A join from the target (through its jurisdiction) to the latest of the candidates."""
    picked = Subquery(candidates.order_by(*LATEST).values("id")[:1])
    return FilteredRelation(
        f"jurisdiction__{relation}", condition=Q(**{f"jurisdiction__{relation}__id": picked})
    )


def _columns(prefix: str, names: list[str], *, value: bool = False) -> dict[str, object]:
    """Columns of a joined pick as flat annotations (value as a float for arithmetic)."""
    columns: dict[str, object] = {f"{prefix}_{n}": F(f"rel_{prefix}__{n}") for n in names}
    if value:
        columns[f"{prefix}_value"] = _float(f"rel_{prefix}__value")
    return columns


def _same_series(queryset: QuerySet, *, measure=None) -> QuerySet:
    """Restrict actuals to the outer target's jurisdiction, indicator and measure."""
    return queryset.filter(
        jurisdiction=OuterRef("jurisdiction_id"),
        indicator=OuterRef("indicator_id"),
        measure=OuterRef("measure") if measure is None else measure,
    )


# e_value (the value judged) and compare_to are long expressions, and Django writes an
# annotation out again at every reference: the status reads each as few times as it can.
AT_LEAST = ["gte", "gt"]
INEQUALITIES = ["gte", "gt", "lte", "lt"]
TOLERANT = ["eq", "approx"]


def _holds(*, rules: AttainmentRules) -> Q:
    """Whether the comparator of the outer target holds for e_value against t_value."""
    # An inequality by the difference turned to point the way the comparator wants (it
    # holds at zero or above, strictly above for gt and lt), eq and approx by its size.
    upward = Case(
        When(comparator__in=AT_LEAST, then=Value(1.0)), default=Value(-1.0), output_field=FLOAT
    )
    margin = (F("e_value") - F("t_value")) * upward
    tolerance = Case(
        When(comparator="eq", then=Value(rules.eq_tolerance)),
        default=Value(rules.approx_tolerance),
        output_field=FLOAT,
    )
    size = Abs(F("e_value") - F("t_value"))
    return (
        (Q(comparator__in=["gte", "lte"]) & Q(GreaterThanOrEqual(margin, Value(0.0))))
        | (Q(comparator__in=["gt", "lt"]) & Q(GreaterThan(margin, Value(0.0))))
        | (Q(comparator__in=TOLERANT) & Q(LessThanOrEqual(size, Abs(F("t_value")) * tolerance)))
    )


def _ahead(*, rules: AttainmentRules) -> Q:
    """Whether a part-period flow is on course for the pro-rated target (see docs)."""
    # At or past a bar, the way the target wants the value to go: the pro-rated target
    # itself for an inequality; for eq and approx, the pro-rated target less the approx
    # tolerance when higher is better, plus it when lower is better.
    higher = Q(indicator__direction=Direction.HIGHER)
    upward = Case(
        When(Q(comparator__in=AT_LEAST) | (Q(comparator__in=TOLERANT) & higher), then=Value(1.0)),
        default=Value(-1.0),
        output_field=FLOAT,
    )
    bar = F("compare_to") * Case(
        When(comparator__in=INEQUALITIES, then=Value(1.0)),
        When(higher, then=Value(1 - rules.approx_tolerance)),
        default=Value(1 + rules.approx_tolerance),
        output_field=FLOAT,
    )
    return Q(GreaterThanOrEqual((F("e_value") - bar) * upward, Value(0.0)))


def attainment_list(
    *, as_of: date | None = None, rules: AttainmentRules | None = None, detail: bool = True
) -> QuerySet[Target]:
    """Every non-rejected target with the actual that counts for it and its evaluation.

    Without detail, only what status and ratio need: no growth figures, no baseline as known
    when the target was set, no paired target (the summary counts statuses and ratios).
    """
    rules = rules or rules_get()
    as_of = as_of or timezone.localdate()
    # Building the evaluation resolves about a thousand expressions, 10-25 ms of a request;
    # it depends on nothing but these arguments, so a request starts from a copy of a built
    # one. The copy is a new queryset: nothing read from the database is ever kept.
    return _evaluation(as_of, rules, detail).all()


@lru_cache(maxsize=32)
def _evaluation(as_of: date, rules: AttainmentRules, detail: bool) -> QuerySet[Target]:
    """The evaluation queryset of attainment_list (built once per arguments, never run)."""
    month_start = as_of.replace(day=1)
    actuals = accepted_actuals(as_of=as_of)

    targets = (
        Target.objects.exclude(review_state=ReviewState.REJECTED)
        .select_related("jurisdiction", "indicator")
        # Columns no row shows: left unread, SQLite would turn each into a Python object.
        .defer("created_at", "updated_at", "confidence", "version", "indicator__aliases")
        .annotate(period_months=period_months_expression())
        # Intermediate values are aliases: expressions that build on them inline them, but
        # the SELECT list does not repeat them.
        .alias(
            t_known=known_date_expression(),
            b_months=Case(
                When(measure=Measure.CAGR, then=Value(12)),
                default=F("period_months"),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            period_over=Case(
                When(period_end__lt=month_start, then=Value(True)),
                default=Value(False),
            ),
        )
    )

    # The actual of the target's own measure: the full period, else the latest part of it
    # that starts with it (year to date).
    chosen = _same_series(actuals).filter(
        period_start=OuterRef("period_start"), period_end__lte=OuterRef("period_end")
    )
    # Level actuals of the baseline's length: the latest before the target period (now, and
    # as known when the target was set), the latest up to its end, and a yoy actual for it.
    levels = _same_series(actuals, measure=Measure.LEVEL).filter(months=OuterRef("b_months"))
    before = levels.filter(period_end__lt=OuterRef("period_start"))
    at_setting = before.filter(known__lte=OuterRef("t_known"))
    current = levels.filter(period_end__lte=OuterRef("period_end"))
    yoy = _same_series(actuals, measure=Measure.YOY_GROWTH).filter(
        period_start=OuterRef("period_start"), period_end=OuterRef("period_end")
    )
    # The other half of a level / growth pair of targets for the same period.
    same_period_targets = (
        Target.objects.exclude(review_state=ReviewState.REJECTED)
        .annotate(known=known_date_expression())
        .filter(
            jurisdiction=OuterRef("jurisdiction_id"),
            indicator=OuterRef("indicator_id"),
            period_start=OuterRef("period_start"),
            period_end=OuterRef("period_end"),
        )
    )
    growth_pair = same_period_targets.filter(measure__in=[Measure.YOY_GROWTH, Measure.GROWTH])
    level_pair = same_period_targets.filter(measure=Measure.LEVEL)

    # Each picked row is joined once (a filtered relation whose condition is the subquery),
    # so the arithmetic below reads plain columns instead of repeating subqueries.
    targets = targets.alias(
        rel_a=_join("actuals", chosen),
        rel_b=_join("actuals", before),
        rel_cur=_join("actuals", current),
    )
    targets = targets.alias(
        a_value=_float("rel_a__value"),
        a_months=months_between("period_start", "rel_a__period_end") + Value(1),
    ).annotate(
        **_columns("a", ["id", "period_end"]),
        **_columns("b", ["id", "period_end"], value=True),
        **_columns("cur", ["id", "period_end"], value=True),
    )
    if detail:
        targets = targets.alias(
            rel_b0=_join("actuals", at_setting),
            rel_y=_join("actuals", yoy),
            rel_growth_pair=_join("targets", growth_pair),
            rel_level_pair=_join("targets", level_pair),
        )
        targets = targets.alias(**_columns("y", ["id"], value=True)).annotate(
            **_columns("b0", ["id", "period_end"], value=True),
            pair_value=Case(
                When(measure=Measure.LEVEL, then=_float("rel_growth_pair__value")),
                When(measure__in=GROWTH, then=_float("rel_level_pair__value")),
                output_field=FLOAT,
            ),
        )

    # Growth achieved by the levels, from the baseline to the current level.
    targets = targets.alias(
        t_value=_float("value"),
        months_b_to_cur=months_between("b_period_end", "cur_period_end"),
    ).annotate(months_b_to_t=months_between("b_period_end", "period_end"))
    level_ratio = _ratio(F("cur_value"), F("b_value"))
    targets = targets.alias(
        level_growth=Case(
            When(
                measure=Measure.GROWTH,
                then=(level_ratio - Value(1.0)) * Value(100.0),
            ),
            default=(
                Power(level_ratio, Value(12.0) / NullIf(F("months_b_to_cur"), Value(0)))
                - Value(1.0)
            )
            * Value(100.0),
            output_field=FLOAT,
        )
    )
    if detail:
        targets = with_provenance(_with_growth(targets))
    return _with_status(targets, rules=rules)


def _with_growth(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Growth required to reach the target, achieved so far, and the gap between them."""
    targets = targets.annotate(
        required_growth=Case(
            When(
                measure=Measure.LEVEL,
                months_b_to_t__gt=0,
                then=(
                    Power(
                        _ratio(F("t_value"), F("b_value")),
                        Value(12.0) / F("months_b_to_t"),
                    )
                    - Value(1.0)
                )
                * Value(100.0),
            ),
            When(measure__in=GROWTH, then=F("t_value")),
            output_field=FLOAT,
        ),
        growth_source=Case(
            When(
                measure__in=GROWTH,
                a_id__isnull=False,
                a_period_end=F("period_end"),
                then=Value(GrowthSource.DIRECT),
            ),
            When(
                months_b_to_cur__gt=0,
                b_value__gt=0,
                then=Value(GrowthSource.LEVELS),
            ),
            When(measure=Measure.LEVEL, y_id__isnull=False, then=Value(GrowthSource.YOY_ACTUAL)),
            default=Value(None),
            output_field=CharField(),
        ),
    )
    targets = targets.annotate(
        achieved_growth=Case(
            When(growth_source=GrowthSource.DIRECT, then=F("a_value")),
            When(growth_source=GrowthSource.LEVELS, then=F("level_growth")),
            When(growth_source=GrowthSource.YOY_ACTUAL, then=F("y_value")),
            output_field=FLOAT,
        ),
    )
    return targets.annotate(growth_gap=F("achieved_growth") - F("required_growth"))


def _with_status(targets: QuerySet[Target], *, rules: AttainmentRules) -> QuerySet[Target]:
    """The value judged, what it is compared with, the ratio, the gap and the status."""

    # The value the target is judged on: the chosen actual, or for a growth target without
    # one, the growth achieved by the levels over the whole target period.
    derived = Q(
        measure__in=GROWTH,
        a_id__isnull=True,
        cur_period_end=F("period_end"),
        months_b_to_cur__gt=0,
        b_value__gt=0,
    )
    targets = targets.alias(
        e_value=Case(
            When(a_id__isnull=False, then=F("a_value")),
            When(derived, then=F("level_growth")),
            output_field=FLOAT,
        ),
    ).annotate(
        derived=Case(When(derived, then=Value(True)), default=Value(False)),
        e_months=Case(
            When(a_id__isnull=False, then=F("a_months")),
            When(derived, then=F("period_months")),
            output_field=IntegerField(),
        ),
    )
    prorate = Q(
        measure=Measure.LEVEL, indicator__nature=Nature.FLOW, e_months__lt=F("period_months")
    )
    targets = targets.annotate(
        partial=Case(When(e_months__lt=F("period_months"), then=Value(True)), default=Value(False)),
        compare_to=Case(
            When(
                prorate,
                then=F("t_value") * F("e_months") / Cast("period_months", output_field=FLOAT),
            ),
            default=F("t_value"),
            output_field=FLOAT,
        ),
        projection=Case(
            When(
                prorate,
                then=F("e_value")
                * F("period_months")
                / NullIf(Cast("e_months", output_field=FLOAT), Value(0.0)),
            ),
            output_field=FLOAT,
        ),
    )
    targets = targets.annotate(
        attainment_ratio=Case(
            When(
                indicator__direction=Direction.LOWER,
                then=_ratio(F("compare_to"), F("e_value")),
            ),
            default=_ratio(F("e_value"), F("compare_to")),
            output_field=FLOAT,
        ),
        gap=F("compare_to") - F("e_value"),
    )
    # Each heavy condition appears once: Django repeats an annotation at every reference.
    partial_flow = Q(partial=True, measure=Measure.LEVEL, indicator__nature=Nature.FLOW)
    growth = Q(measure__in=GROWTH)
    targets = targets.annotate(
        status=Case(
            When(
                e_value__isnull=True,
                then=Case(
                    When(period_over=True, then=Value(Status.NO_DATA)),
                    default=Value(Status.PENDING),
                ),
            ),
            When(
                partial_flow,
                then=Case(
                    When(_ahead(rules=rules), then=Value(Status.ON_TRACK)),
                    default=Value(Status.BEHIND),
                ),
            ),
            When(
                _holds(rules=rules),
                then=Case(
                    When(growth & Q(partial=True), then=Value(Status.ON_TRACK)),
                    default=Value(Status.MET),
                ),
            ),
            When(partial=False, then=Value(Status.MISSED)),
            When(growth, then=Value(Status.BEHIND)),
            default=Value(Status.IN_PROGRESS),
            output_field=CharField(),
        )
    )
    return targets


# Annotations a request can filter or order by that only the evaluation knows.
COMPUTED_FIELDS = frozenset({"status", "attainment_ratio", "gap", "growth_gap"})


def attainment_candidates(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Those of these targets attainment_list evaluates, not evaluated."""
    # Bare: a filter that needs the period's length adds it (tracker.selectors).
    return targets.exclude(review_state=ReviewState.REJECTED)


class EvaluatedPages:
    """Targets a paginator counts and slices bare; only the slice it asks for is evaluated.

    `targets` are filtered and ordered but of any review state: the pages leave the
    rejected out, as attainment_list does.
    """

    def __init__(self, *, targets: QuerySet[Target], as_of: date, rules: AttainmentRules):
        self.targets = targets
        self.as_of = as_of
        self.rules = rules

    def count(self) -> int:
        # All less the rejected rather than those not rejected: SQLite counts a table from
        # its b-tree without reading a row, and the few rejected have a partial index of
        # their own, where `review_state <> 'rejected'` reads every target (9 ms of an
        # SQLite page at 100,000 targets; see docs/performance.md).
        rejected = self.targets.filter(review_state=ReviewState.REJECTED)
        return self.targets.count() - rejected.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Target]:
        # The ids first, as a list: given them as a subquery, PostgreSQL plans the
        # evaluation for every target before it keeps the page's.
        candidates = attainment_candidates(self.targets)
        ids = list(candidates.values_list("id", flat=True)[index])
        return attainment_rows(as_of=self.as_of, rules=self.rules, ids=ids)


class AllTargetPages(EvaluatedPages):
    """All targets in an order, counted and paged by statements compiled once."""

    # The pages a request that filters nothing asks for, the most asked of all: compiling
    # their count and their ids cost Django more than SQLite takes to run them (0.6 of
    # 0.9 ms at 1,000 targets).

    def __init__(self, *, ordering: Sequence[str], as_of: date, rules: AttainmentRules):
        super().__init__(targets=Target.objects.order_by(*ordering), as_of=as_of, rules=rules)
        self.ordering = tuple(ordering)

    def count(self) -> int:
        return _count_not_rejected()

    def __getitem__(self, index: slice) -> list[Target]:
        statement = _ids_statement(self.ordering, index.start, index.stop, statements.dialect())
        return attainment_rows(as_of=self.as_of, rules=self.rules, ids=statement.run())


def _count_not_rejected() -> int:
    """How many targets are not rejected: all of them less the rejected, in one statement."""
    # By hand, as one statement: the ORM would write two (see EvaluatedPages.count for why
    # all less the rejected); the same SQL on SQLite and PostgreSQL.
    connection = connections[Target.objects.db]
    table = connection.ops.quote_name(Target._meta.db_table)
    column = connection.ops.quote_name(Target._meta.get_field("review_state").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table})"
            f" - (SELECT COUNT(*) FROM {table} WHERE {column} = %s)",
            [ReviewState.REJECTED.value],
        )
        return cursor.fetchone()[0]


@lru_cache(maxsize=32)
def _ids_statement(
    ordering: tuple[str, ...], start: int | None, stop: int | None, dialect: tuple
) -> statements.Statement:
    """The ids of one page of all targets not rejected, in this order, compiled once."""
    # The page's bounds are written into the SQL (LIMIT, OFFSET), so each page has its own.
    candidates = attainment_candidates(Target.objects.order_by(*ordering))
    return statements.Statement.prepare(candidates.values_list("id", flat=True)[start:stop])


class FilteredEvaluations(EvaluatedPages):
    """Evaluated targets filtered or ordered by what only the evaluation knows, by page.

    Counting them, and picking a page of them, each evaluates every target. One query does
    both: the ids of all of them, in order; then only the page's ids are evaluated in full.
    """

    def __init__(self, *, evaluations: QuerySet[Target], as_of: date, rules: AttainmentRules):
        super().__init__(targets=evaluations, as_of=as_of, rules=rules)

    @cached_property
    def ids(self) -> list[int]:
        return list(self.targets.values_list("id", flat=True))

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[Target]:
        return attainment_rows(as_of=self.as_of, rules=self.rules, ids=self.ids[index])


# Targets evaluated per statement. Given a few hundred ids at once, PostgreSQL (100,000
# targets) stopped looking each target's actuals up by index and read every actual instead:
# a page of 500 rows took 390 ms in one statement (see docs/performance.md).
ROWS_PER_STATEMENT = 100


def attainment_rows(*, as_of: date, rules: AttainmentRules, ids: Sequence[int]) -> list[Target]:
    """The evaluated targets of these ids, in their order, as attainment_list gives them."""
    rows: list[Target] = []
    for start in range(0, len(ids), ROWS_PER_STATEMENT):
        chunk = ids[start : start + ROWS_PER_STATEMENT]
        statement = _rows_statement(as_of, rules, len(chunk), statements.dialect())
        rows += statement.run(chunk)
    position = {id_: i for i, id_ in enumerate(ids)}
    rows.sort(key=lambda target: position[target.id])
    return rows


@lru_cache(maxsize=32)
def _rows_statement(
    as_of: date, rules: AttainmentRules, size: int, dialect: tuple
) -> statements.Statement:
    """The evaluation of `size` targets given by id, compiled once (see tracker.statements).

    `dialect` only keys the cache: the same queryset is written differently per backend.
    """
    ids = statements.slots(size)
    queryset = attainment_list(as_of=as_of, rules=rules).filter(id__in=ids).order_by()
    # Built straight into their attributes: Model.__init__ for a page's 300 instances cost
    # an SQLite page 2 ms (see tracker.instances).
    queryset = direct_instances(queryset)
    return statements.Statement.prepare(queryset, slots=ids)


class ShownActual(NamedTuple):
    """An accepted actual as an evaluated row shows it, with its provenance."""

    # A tuple, not an Actual: building ~140 model instances cost an SQLite page ~2 ms, as
    # much as the query that fetches them.
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


_SERIES = ("jurisdiction_id", "indicator_id")
_PERIOD = (*_SERIES, "measure", "period_start", "period_end")


def shown_actuals(*, as_of: date, targets: Sequence[Target]) -> list[ShownActual]:
    """The accepted actuals these evaluated targets show, with their provenance."""
    page = [(t.jurisdiction_id, t.indicator_id) for t in targets]
    baselines = [t.b_id for t in targets]
    dialect = statements.dialect()
    if dialect[0] == "sqlite":
        # (0, 0) names no series (ids start at 1): the statement takes a pair per target.
        cagr = [
            (t.jurisdiction_id, t.indicator_id) if t.measure == Measure.CAGR else (0, 0)
            for t in targets
        ]
        used = [t.a_id for t in targets]
        statement = _shown_statement(as_of, len(targets), dialect)
        rows = statement.run([*(v for pair in page + cagr for v in pair), *used, *baselines])
    else:
        cagr = [(t.jurisdiction_id, t.indicator_id) for t in targets if t.measure == Measure.CAGR]
        # The used actual's period is the target's start to the actual's end.
        periods = [
            (t.jurisdiction_id, t.indicator_id, t.measure, t.period_start, t.a_period_end)
            for t in targets
            if t.a_id is not None
        ]
        same_period = RowIn(_PERIOD, periods)
        rows = _shown_query(as_of, page=page, cagr=cagr, same_period=same_period, ids=baselines)
    return list(map(ShownActual._make, rows))


def _shown_query(
    as_of: date,
    *,
    page: Sequence[tuple],
    cagr: Sequence[tuple],
    same_period: RowIn | RowInQuery,
    ids: Sequence[int | None],
) -> QuerySet:
    """Accepted actuals of the page's series: of these ids, of the periods of the actuals
    used, and the yearly levels of compound-growth series."""
    # Leading with the page's series lets the database look them up by index, where the
    # alternatives alone make it read every actual.
    shown = Q(RowIn(_SERIES, page)) & (
        Q(id__in=ids)
        # The actual used, and other reports' figures for its very period (it supersedes them).
        | Q(same_period)
        # Yearly levels, for the trajectory of a compound-growth target.
        | (Q(RowIn(_SERIES, cagr)) & Q(measure=Measure.LEVEL, months=12, period_start__month=1))
    )
    queryset = with_provenance(accepted_actuals(as_of=as_of).filter(shown))
    return queryset.values_list(*ShownActual._fields)


@lru_cache(maxsize=32)
def _shown_statement(as_of: date, size: int, dialect: tuple) -> statements.Statement:
    """The query of shown_actuals for `size` targets on SQLite, compiled once.

    Its values are ids: series of the targets and of those with compound growth, actuals
    used and baselines. Built per page, its conditions cost an SQLite page 2-3 ms, a tenth
    of it. PostgreSQL keeps them built per page, with the periods of the actuals used as
    values: given them as a query of those actuals, it read every actual.
    """
    slots = statements.slots(6 * size)
    pairs = [tuple(slots[i : i + 2]) for i in range(0, 4 * size, 2)]
    used = Actual.objects.filter(id__in=slots[4 * size : 5 * size]).order_by().values(*_PERIOD)
    queryset = _shown_query(
        as_of,
        page=pairs[:size],
        cagr=pairs[size:],
        same_period=RowInQuery(_PERIOD, used),
        ids=slots[5 * size :],
    )
    return statements.Statement.prepare(queryset, slots=slots)


SUMMARY_GROUPS = {
    "jurisdiction": ["jurisdiction_id", "jurisdiction__code", "jurisdiction__name_zh"],
    "indicator": ["indicator__code", "indicator__name_zh", "indicator__name_en"],
    "year": ["year"],
}


def attainment_summary(
    *,
    as_of: date,
    rules: AttainmentRules,
    group_by: str,
    filters: QueryDict | None = None,
) -> list[dict]:
    """Counts by status and mean attainment ratio per jurisdiction, indicator or year.

    filters are the attainment filters as a request's query gives them; invalid ones raise
    ValidationError.
    """
    given = filters or QueryDict()
    # The statement depends on the filter values alone: keyed on the whole query, other
    # parameters (format, ordering) would only multiply the statements kept.
    key = tuple(
        sorted(
            (name, tuple(given.getlist(name)))
            for name in AttainmentFilter.base_filters
            if name in given
        )
    )
    statement = _summary_statement(as_of, rules, group_by, key, statements.dialect())
    return _pivot(statement.run(), fields=SUMMARY_GROUPS[group_by])


@lru_cache(maxsize=32)
def _summary_statement(
    as_of: date, rules: AttainmentRules, group_by: str, filters: tuple, dialect: tuple
) -> statements.Statement:
    """The grouped counts of attainment_summary, compiled once per arguments."""
    query = QueryDict(mutable=True)
    for name, values in filters:
        query.setlist(name, list(values))
    # The summary counts statuses and ratios: growth figures and paired targets would only
    # cost it (SQLite evaluates every join it is given).
    evaluations = attainment_list(as_of=as_of, rules=rules, detail=False)
    filterset = AttainmentFilter(query, queryset=evaluations)
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors.as_data())
    evaluations = filterset.qs
    fields = SUMMARY_GROUPS[group_by]
    if group_by == "year":
        evaluations = evaluations.annotate(year=ExtractYear("period_end"))
    # Grouped by status too, and pivoted here: a count per status filtered in SQL would
    # write the status expression out once per status, seven times over.
    rows = (
        evaluations.order_by()
        .values(*fields, "status")
        .annotate(
            n=Count("id"),
            ratio_sum=Sum("attainment_ratio"),
            ratio_n=Count("attainment_ratio"),
        )
        .order_by(*fields)
    )
    return statements.Statement.prepare(rows)


def _pivot(rows: list[dict], *, fields: list[str]) -> list[dict]:
    """One dict per group from rows per group and status."""
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[f] for f in fields)
        group = groups.setdefault(
            key,
            {**{f: row[f] for f in fields}, "total": 0, "_sum": 0.0, "_n": 0}
            | {s.value: 0 for s in Status},
        )
        group[row["status"]] += row["n"]
        group["total"] += row["n"]
        group["_sum"] += row["ratio_sum"] or 0.0
        group["_n"] += row["ratio_n"]
    for group in groups.values():
        total, n = group.pop("_sum"), group.pop("_n")
        group["mean_attainment"] = total / n if n else None
    return list(groups.values())
