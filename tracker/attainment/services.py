"""Writes of the stored evaluations: refreshed with every write of what they depend on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import F, Field, Q, QuerySet
from django.utils import timezone

from tracker.attainment.models import JSON_FIELDS, Evaluation, EvaluationState
from tracker.attainment.rules import AttainmentRules, rules_from_dict, rules_get
from tracker.attainment.selectors import (
    SeriesKey,
    evaluable_targets,
    evaluation_rounds,
    evaluations_live,
    evaluations_stale,
    series_evaluations,
    series_q,
)
from tracker.iterables import batched
from tracker.models import Actual, Fact, Jurisdiction, Target
from tracker.webhooks.models import Event
from tracker.webhooks.services import subscribed_events, webhook_events_emit

ROWS_PER_INSERT = 1000


EVALUATION_EVENTS = frozenset({Event.EVALUATION_STATUS_CHANGED, Event.CLAIM_CONTRADICTED})
Before = dict[int, tuple[str, bool]]  # target id: (status, claim contradicted) stored before


def _stored_before(evaluations: QuerySet[Evaluation], wanted: set[str]) -> Before:
    """What the rows about to be replaced said, when a subscriber wants to hear of changes."""
    if not wanted:
        return {}
    rows = evaluations.values_list("target_id", "status", "claim_contradicted")
    return {target_id: (status, claimed) for target_id, status, claimed in rows}


def _row_payload(row: Evaluation) -> dict:
    return {
        "target": row.target_id,
        "jurisdiction": row.jurisdiction_code or None,
        "indicator": row.indicator_code,
        "period_start": f"{row.period_start:%Y-%m}",
        "period_end": f"{row.period_end:%Y-%m}",
        "status": row.status,
        "attainment_ratio": row.attainment_ratio,
        "as_of": row.as_of.isoformat(),
    }


def evaluation_changes_emit(*, before: Before, rows: Iterable[Evaluation], wanted: set) -> None:
    """Tell subscribers of targets whose status changed and of claims newly contradicted."""
    changed, contradicted = [], []
    for row in rows:
        if row.target_id not in before:
            continue  # a new target: nothing changed
        status, claimed = before[row.target_id]
        if status != row.status:
            changed.append({**_row_payload(row), "old_status": status, "new_status": row.status})
        if row.claim_contradicted and not claimed:
            claims = [c for c in row.claims if c["contradicted"]]
            contradicted.append({**_row_payload(row), "claims": claims})
    if Event.EVALUATION_STATUS_CHANGED in wanted:
        webhook_events_emit(event=Event.EVALUATION_STATUS_CHANGED, payloads=changed)
    if Event.CLAIM_CONTRADICTED in wanted:
        webhook_events_emit(event=Event.CLAIM_CONTRADICTED, payloads=contradicted)


def _copied(row: Evaluation, fields: Sequence[Field]) -> list[Any]:
    """A row's values as COPY takes them: JSON as its text, None as SQL NULL (as saved)."""
    values = []
    for field in fields:
        value = getattr(row, field.attname)
        if value is not None and field.name in JSON_FIELDS:
            value = orjson.dumps(value).decode()
        values.append(value)
    return values


def evaluations_store(*, rows: Iterable[Evaluation]) -> list[Evaluation]:
    """Insert these new rows (by COPY on PostgreSQL, by bulk_create elsewhere); returns them."""
    if connection.vendor != "postgresql":
        return Evaluation.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
    # An INSERT of many rows spends most of its time adapting them in Python (each JSON
    # column as an array of documents); COPY streams them as text, and the server stores
    # the rows sent while later ones are still being judged. The table's constraints check
    # the rows either way.
    fields = Evaluation._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(Evaluation._meta.db_table)} ({columns}) FROM STDIN"
    stored = []
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(_copied(row, fields))
            stored.append(row)
    return stored


def _replace(*, where: Q, state: EvaluationState) -> int:
    """Evaluate again the targets matching `where` (an indicator's, a jurisdiction's) and
    replace their stored rows."""
    targets = Target.objects.filter(where).order_by("jurisdiction_id", "indicator_id", "id")
    rules = rules_from_dict(state.rules)
    rows = evaluations_live(targets=targets, as_of=state.as_of, rules=rules, stream=False)
    return _rows_replace(where=where, rows=list(rows), state=state)


def _series_replace(*, keys: set[SeriesKey], state: EvaluationState) -> int:
    """Evaluate again the targets of these series and replace their stored rows; the
    series' own read finds their targets (no query of their ids first)."""
    rules = rules_from_dict(state.rules)
    rows = series_evaluations(keys=keys, as_of=state.as_of, rules=rules)
    return _rows_replace(where=series_q(keys), rows=rows, state=state)


def _rows_replace(*, where: Q, rows: list[Evaluation], state: EvaluationState) -> int:
    """Replace the stored rows matching `where` by these new ones, in one version."""
    # A target that moved to this series from another keeps its row's key: replace it too.
    moved = Q(target_id__in=[row.target_id for row in rows])
    replaced = Evaluation.objects.filter(where | moved)
    wanted = subscribed_events() & EVALUATION_EVENTS
    before = _stored_before(replaced, wanted)
    replaced.delete()
    evaluations_store(rows=rows)
    EvaluationState.objects.filter(pk=state.pk).update(version=F("version") + 1)
    evaluation_changes_emit(before=before, rows=rows, wanted=wanted)
    return len(rows)


def _locked_state() -> EvaluationState | None:
    """The evaluations' state, locked until the transaction ends (a rebuild waits for it)."""
    return EvaluationState.objects.select_for_update().filter(pk=1).first()


def evaluations_lock() -> None:
    """Wait for a rebuild under way, and keep the next one waiting until this transaction ends.

    A write that deletes facts calls it before it locks them. The other order deadlocks with
    a rebuild: the write holds a fact and waits for the state to refresh its series, while
    the rebuild holds the state and, committing, checks its rows' reference to that fact.
    """
    _locked_state()


# Without a savepoint of its own: called inside the write's transaction, it fails with it.
@transaction.atomic(savepoint=False)
def evaluations_refresh(*, series: Iterable[SeriesKey], parents: bool = True) -> int:
    """Evaluate again the targets of these (jurisdiction, indicator) series; returns how many.

    Called in the transaction of every write that changes what a series' evaluations
    depend on. Before the first rebuild there is nothing stored to keep current.
    `parents=False` leaves the parents' series alone: a write of targets only (a parent is
    judged on its children's actuals, never on their targets).
    """
    keys = set(series)
    state = _locked_state() if keys else None
    if state is None:
        return 0
    # A parent without its own figures is judged on its children's: their writes touch it.
    if parents:
        keys |= parent_series(keys)
    total = 0
    # An OR of more pairs nests deeper than SQLite parses.
    for batch in batched(sorted(keys), 200):
        total += _series_replace(keys=set(batch), state=state)
    return total


def rolled_up(model: type[Fact]) -> bool:
    """Whether facts of this model count in their parents' roll-ups (actuals do, targets
    do not): a write of them refreshes the parents' series too."""
    return issubclass(model, Actual)


def parent_series(keys: set[SeriesKey]) -> set[SeriesKey]:
    """The series of the parents of these series' jurisdictions, for the same indicators."""
    parents = dict(
        Jurisdiction.objects.filter(pk__in={j for j, _ in keys}, parent__isnull=False).values_list(
            "pk", "parent_id"
        )
    )
    return {(parents[j], i) for j, i in keys if j in parents}


# Without a savepoint of its own: called inside the write's transaction, it fails with it.
@transaction.atomic(savepoint=False)
def evaluations_refresh_jurisdictions(*, jurisdiction_ids: Iterable[int]) -> int:
    """Evaluate again every target of these jurisdictions (their children changed)."""
    ids = {i for i in jurisdiction_ids if i is not None}
    state = _locked_state() if ids else None
    if state is None:
        return 0
    return sum(
        _replace(where=Q(jurisdiction_id__in=batch), state=state)
        for batch in batched(sorted(ids), 500)
    )


def fact_series(*facts: Fact) -> set[SeriesKey]:
    """The (jurisdiction, indicator) series of these targets or actuals."""
    return {(f.jurisdiction_id, f.indicator_id) for f in facts}


def facts_series(facts: QuerySet[Target] | QuerySet[Actual]) -> set[SeriesKey]:
    """The series of a queryset of targets or actuals."""
    return set(facts.values_list("jurisdiction_id", "indicator_id").distinct())


# Without a savepoint of its own: called inside the write's transaction, it fails with it.
@transaction.atomic(savepoint=False)
def evaluations_refresh_indicator(*, indicator_id: int) -> int:
    """Evaluate again every target of an indicator (its nature, direction or code changed)."""
    state = _locked_state()
    return 0 if state is None else _replace(where=Q(indicator_id=indicator_id), state=state)


# Without a savepoint of its own: called inside the write's transaction, it fails with it.
@transaction.atomic(savepoint=False)
def evaluations_refresh_jurisdiction(*, jurisdiction_id: int) -> int:
    """Evaluate again every target of a jurisdiction (its code, which lists sort by, changed)."""
    state = _locked_state()
    return 0 if state is None else _replace(where=Q(jurisdiction_id=jurisdiction_id), state=state)


@dataclass(frozen=True)
class Rebuilt:
    """The outcome of a rebuild: how many rows, as of which day, under which rules."""

    rows: int
    as_of: date
    fingerprint: str
    seconds: float


@transaction.atomic
def evaluations_rebuild(
    *,
    as_of: date | None = None,
    rules: AttainmentRules | None = None,
    progress: Callable[[int], object] | None = None,
) -> Rebuilt:
    """Evaluate every target again, as of today (or as_of) under the rules in force.

    One transaction: readers see the old rows until the new ones are all in, and writes
    that refresh a series wait for it (they lock the same state row). `progress`, when
    given, is called with the number of rows each stored batch added.
    """
    started = timezone.now()
    as_of = as_of or timezone.localdate()
    rules = rules or rules_get()
    EvaluationState.objects.get_or_create(
        pk=1,
        defaults={"as_of": as_of, "rules": {}, "fingerprint": "", "rebuilt_at": started},
    )
    state = _locked_state()
    wanted = subscribed_events() & EVALUATION_EVENTS
    before = _stored_before(Evaluation.objects.all(), wanted)
    Evaluation.objects.all().delete()
    targets = evaluable_targets().order_by("jurisdiction_id", "indicator_id", "id")
    rows = 0
    # A round's rows are judged as they are stored (no query runs while they are).
    for judged in evaluation_rounds(targets=targets, as_of=as_of, rules=rules):
        batch = evaluations_store(rows=judged)
        evaluation_changes_emit(before=before, rows=batch, wanted=wanted)
        rows += len(batch)
        if progress is not None:
            progress(len(batch))
    state.as_of = as_of
    state.rules = rules.as_dict()
    state.fingerprint = rules.fingerprint
    state.version += 1
    state.rebuilt_at = timezone.now()
    state.full_clean()
    state.save()
    seconds = (state.rebuilt_at - started).total_seconds()
    return Rebuilt(rows=rows, as_of=as_of, fingerprint=rules.fingerprint, seconds=seconds)


def evaluations_rebuild_if_stale() -> Rebuilt | None:
    """Rebuild when the day turned or the rules changed since the last rebuild."""
    if not evaluations_stale(today=timezone.localdate(), rules=rules_get()):
        return None
    return evaluations_rebuild()
