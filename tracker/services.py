"""Writes to jurisdictions, targets and actuals; every change goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import Indicator
from tracker import selectors
from tracker.attainment.selectors import SeriesKey
from tracker.attainment.services import (
    evaluations_lock,
    evaluations_refresh,
    evaluations_refresh_jurisdiction,
    evaluations_refresh_jurisdictions,
    fact_series,
    rolled_up,
)
from tracker.divisions import Division
from tracker.models import (
    Actual,
    Comparator,
    Fact,
    Jurisdiction,
    Level,
    Measure,
    ReviewState,
    Target,
    expected_unit,
)

F = TypeVar("F", bound=Fact)

# Rows per INSERT or UPDATE of a bulk write (SQLite takes fewer: its limit of parameters).
ROWS_PER_STATEMENT = 1000
DUPLICATE_FACTS = _("These {kind}s are already stated by their source document: {keys}.")

REASON_REQUIRED = "Changing an accepted {kind} requires a reason (change_reason)."
VERSION_CONFLICT = (
    "This {kind} was changed by someone else since you read it (now version {current}, "
    "you sent {sent}); reload it and apply your change again."
)
PRECONDITION_FAILED = _(
    'This {kind} was changed since you read it: it is now at version {current} (ETag "{current}"), '
    "not the one your If-Match names; reload it and apply your change again."
)
EDITABLE_FACT_FIELDS = frozenset(
    {
        "jurisdiction",
        "indicator",
        "measure",
        "value",
        "comparator",
        "period_start",
        "period_end",
        "quote",
        "review_state",
        "origin",
        "published",
    }
)


def _kind(model: type[Fact]) -> str:
    return model._meta.model_name


def _known_references(fact: Fact, *, changed: set[str] | None) -> list[str]:
    """The fact's foreign keys known to exist: given as loaded objects, or left unchanged.

    `changed` names the fields an update changed (None: a new fact, all of them new).
    """
    return [
        field.name
        for field in type(fact)._meta.concrete_fields
        if field.is_relation
        and (field.is_cached(fact) or (changed is not None and field.name not in changed))
    ]


def _validate_in_python(fact: Fact, *, changed: set[str] | None = None) -> None:
    """Set a fact's unit from its indicator and measure, and validate it as full_clean()
    would except for the unique constraint (see _validate), without a query.

    Fact.clean() says in Python what each check constraint says (the constraints stay, as
    the database's guard). Django validates every constraint by a query in a savepoint:
    three statements each, a dozen constraints.
    """
    fact.unit = expected_unit(indicator_unit=fact.indicator.unit, measure=fact.measure)
    fact.full_clean(exclude=_known_references(fact, changed=changed), validate_constraints=False)


def _validate(fact: Fact, *, changed: set[str] | None = None) -> None:
    """Validate a fact as full_clean() would: in Python, then its unique constraint, the one
    check that needs the database, by one query (a batch checks it at once instead)."""
    _validate_in_python(fact, changed=changed)
    for constraint in type(fact)._meta.constraints:
        # A change that leaves every field of the constraint as it was cannot break it.
        if isinstance(constraint, UniqueConstraint) and (
            changed is None or not changed.isdisjoint(constraint.fields)
        ):
            try:
                constraint.validate(type(fact), fact)
            except ValidationError as error:
                raise ValidationError({NON_FIELD_ERRORS: error.error_list}) from error


def _save(
    fact: Fact,
    *,
    user: AbstractBaseUser | None,
    reason: str = "",
    changed: set[str] | None = None,
) -> None:
    """Validate and save a fact, recording who changed it and why in its history."""
    _validate(fact, changed=changed)
    fact._history_user = user  # read by django-simple-history
    fact._change_reason = reason or None
    fact.save()


@transaction.atomic
def fact_create(
    *,
    model: type[F],
    jurisdiction: Jurisdiction,
    indicator: Indicator,
    value: Decimal,
    period_start: date,
    period_end: date,
    measure: str = Measure.LEVEL,
    comparator: str | None = None,
    review_state: str = ReviewState.ACCEPTED,
    user: AbstractBaseUser | None = None,
    source_document: Any = None,
    span: tuple[int, int] | None = None,
    quote: str = "",
    confidence: Decimal | None = None,
    reason: str = "",
    origin: str = "",
    published: date | None = None,
    refresh: bool = True,
) -> F:
    """Create a target or an actual, entered by a person, imported or extracted.

    `refresh=False` leaves the evaluations to the caller, which must refresh the fact's
    series before its transaction ends (a bulk import refreshes every series once).
    """
    if comparator is None:
        comparator = Comparator.GTE if model is Target else Comparator.EQ
    fact = model(
        jurisdiction=jurisdiction,
        indicator=indicator,
        measure=measure,
        value=value,
        comparator=comparator,
        period_start=period_start,
        period_end=period_end,
        review_state=review_state,
        source_document=source_document,
        span_start=span[0] if span else None,
        span_end=span[1] if span else None,
        quote=quote,
        confidence=confidence,
        entered_by=user if source_document is None else None,
        origin=origin,
        published=published,
    )
    if review_state != ReviewState.PROPOSED and user is not None:
        fact.reviewed_by, fact.reviewed_at = user, timezone.now()
    _save(fact, user=user, reason=reason or "created")
    if refresh:
        evaluations_refresh(series=fact_series(fact), parents=rolled_up(model))
    return fact


def _source_key(fact: Fact) -> tuple:
    """What the unique constraint of extracted facts compares."""
    return (
        fact.source_document_id,
        fact.jurisdiction_id,
        fact.indicator_id,
        fact.measure,
        fact.period_start,
        fact.period_end,
    )


def _check_unique_per_source(model: type[Fact], facts: list[Fact]) -> None:
    """Refuse new facts a source document already states (one query for the whole batch)."""
    sourced = [f for f in facts if f.source_document_id is not None]
    if not sourced:
        return
    stored = set(
        model.objects.filter(source_document_id__in={f.source_document_id for f in sourced})
        .exclude(pk__in=[f.pk for f in sourced if f.pk is not None])
        .values_list(
            "source_document_id",
            "jurisdiction_id",
            "indicator_id",
            "measure",
            "period_start",
            "period_end",
        )
    )
    seen: set[tuple] = set()
    duplicates = []
    for fact in sourced:
        key = _source_key(fact)
        if key in stored or key in seen:
            duplicates.append(fact)
        seen.add(key)
    if duplicates:
        keys = ", ".join(
            f"{f.indicator.code} {f.measure} {f.period_label}" for f in duplicates[:10]
        )
        raise ValidationError(DUPLICATE_FACTS.format(kind=_kind(model), keys=keys))


def facts_bulk_create(*, model: type[F], facts: list[F], user: AbstractBaseUser | None) -> list[F]:
    """Create many targets or actuals of one kind in a few statements, with their history.

    Each fact is built as fact_create builds it (the caller sets `_change_reason` on each for
    its history) and validated as fact_create validates it; the facts and their history rows
    are inserted ROWS_PER_STATEMENT at a time. The caller refreshes their series' evaluations
    once, before its transaction ends.
    """
    for fact in facts:
        _validate_in_python(fact)
    _check_unique_per_source(model, facts)
    with transaction.atomic():
        return bulk_create_with_history(
            facts, model, batch_size=ROWS_PER_STATEMENT, default_user=user
        )


def facts_bulk_update(
    *, model: type[F], facts: list[F], fields: list[str], user: AbstractBaseUser | None
) -> int:
    """Write changed `fields` of many stored facts of one kind in a few statements, each with
    its history row (reason from each fact's `_change_reason`). Not a person's edit: the
    version is kept. The caller refreshes the series they left and joined."""
    for fact in facts:
        _validate_in_python(fact, changed=set(fields))
    _check_unique_per_source(model, facts)
    now = timezone.now()
    for fact in facts:
        fact.updated_at = now  # an UPDATE of many rows does not set auto_now fields
    with transaction.atomic():
        return bulk_update_with_history(
            facts,
            model,
            [*fields, "unit", "updated_at"],
            batch_size=ROWS_PER_STATEMENT,
            default_user=user,
        )


def target_create(**fields: Any) -> Target:
    """Create a target (see fact_create)."""
    return fact_create(model=Target, **fields)


def actual_create(**fields: Any) -> Actual:
    """Create an actual (see fact_create)."""
    return fact_create(model=Actual, **fields)


@transaction.atomic
def fact_update(
    *,
    fact: F,
    user: AbstractBaseUser | None,
    data: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
    if_match: frozenset[int] | None = None,
    refresh: bool = True,
) -> F:
    """Change a fact; an accepted one needs a reason, and a stale version is refused.

    `refresh=False`: as for fact_create, the caller refreshes the series it left and joined.
    """
    model = type(fact)
    kind = _kind(model)
    # Lock the row so two editors cannot both pass the version check. Not its key: a
    # rebuild committing its rows checks their reference to it meanwhile (see
    # evaluations_lock). Read with what the API shows of its relations (not locked): the
    # indicator sets the unit, and the caller answers with the fact returned.
    locked = selectors.fact_list(model=model).select_for_update(no_key=True, of=("self",))
    current = locked.get(pk=fact.pk)
    if expected_version is not None and expected_version != current.version:
        message = VERSION_CONFLICT.format(kind=kind, current=current.version, sent=expected_version)
        raise ValidationError({"version": ValidationError(message, code="conflict")})
    _check_if_match(current, if_match=if_match)
    unknown = set(data) - EDITABLE_FACT_FIELDS
    if unknown:
        raise ValidationError(f"Fields not editable: {', '.join(sorted(unknown))}.")
    changed = {k: v for k, v in data.items() if getattr(current, k) != v}
    if not changed:
        return current
    if current.review_state == ReviewState.ACCEPTED and not reason.strip():
        raise ValidationError({"change_reason": REASON_REQUIRED.format(kind=kind)})
    before = fact_series(current)
    for name, value in changed.items():
        setattr(current, name, value)
    if "review_state" in changed:
        current.reviewed_by, current.reviewed_at = user, timezone.now()
    current.version += 1
    _save(current, user=user, reason=reason, changed=set(changed))
    # The series it left (if it moved) loses it; the one it is in now is judged anew.
    if refresh:
        evaluations_refresh(series=before | fact_series(current), parents=rolled_up(model))
    return current


@transaction.atomic
def facts_review(
    *,
    model: type[Fact],
    ids: Iterable[int],
    review_state: str,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> int:
    """Accept or reject many facts at once; returns how many changed state.

    Each fact is changed (and its history written) as fact_update changes it; the series'
    evaluations are refreshed once at the end, not once per fact (a report's 2,000 facts
    accepted by `ingest --accept`).
    """
    if review_state not in ReviewState.values:
        raise ValidationError(f"Unknown review state {review_state!r}.")
    changed = 0
    touched: set[tuple[int, int]] = set()
    locked = model.objects.select_for_update(no_key=True).filter(pk__in=list(ids))
    for fact in locked.order_by("pk"):
        if fact.review_state == review_state:
            continue
        fact_update(
            fact=fact,
            user=user,
            data={"review_state": review_state},
            reason=reason or f"bulk {review_state}",
            refresh=False,
        )
        touched |= fact_series(fact)
        changed += 1
    evaluations_refresh(series=touched, parents=rolled_up(model))
    return changed


def _check_if_match(fact: Fact, *, if_match: frozenset[int] | None) -> None:
    """Refuse the change unless the (locked) fact is at a version the client named."""
    if if_match is not None and fact.version not in if_match:
        message = PRECONDITION_FAILED.format(kind=_kind(type(fact)), current=fact.version)
        raise ValidationError(message, code="precondition_failed")


def _deleted(fact: Fact, *, user: AbstractBaseUser | None, reason: str) -> set[SeriesKey]:
    """Delete a fact with its history row (an accepted one needs a reason); its series."""
    if fact.review_state == ReviewState.ACCEPTED and not reason.strip():
        raise ValidationError({"change_reason": REASON_REQUIRED.format(kind=_kind(type(fact)))})
    fact._history_user = user
    fact._change_reason = reason or "deleted"
    series = fact_series(fact)
    fact.delete()
    return series


@transaction.atomic
def fact_delete(
    *,
    fact: Fact,
    user: AbstractBaseUser | None,
    reason: str = "",
    if_match: frozenset[int] | None = None,
) -> None:
    """Delete a fact; an accepted one needs a reason, kept in its history."""
    evaluations_lock()
    if if_match is not None:
        # Locked, so the version checked is the version deleted.
        fact = type(fact).objects.select_for_update().get(pk=fact.pk)
        _check_if_match(fact, if_match=if_match)
    series = _deleted(fact, user=user, reason=reason)
    evaluations_refresh(series=series, parents=rolled_up(type(fact)))


@transaction.atomic
def facts_delete(
    *, model: type[Fact], facts: Iterable[Fact], user: AbstractBaseUser | None, reason: str
) -> int:
    """Delete many facts of one kind (an admin's selection), each as fact_delete deletes it;
    the series' evaluations are refreshed once at the end. Returns how many."""
    evaluations_lock()
    touched: set[SeriesKey] = set()
    deleted = 0
    for fact in facts:
        touched |= _deleted(fact, user=user, reason=reason)
        deleted += 1
    evaluations_refresh(series=touched, parents=rolled_up(model))
    return deleted


@transaction.atomic
def jurisdiction_create(
    *,
    name_zh: str,
    level: str,
    name_en: str = "",
    code: str | None = None,
    parent: Jurisdiction | None = None,
    review_state: str = ReviewState.ACCEPTED,
) -> Jurisdiction:
    """Create a jurisdiction."""
    jurisdiction = Jurisdiction(
        name_zh=name_zh,
        name_en=name_en,
        code=code or None,
        level=level,
        parent=parent,
        review_state=review_state,
    )
    jurisdiction.full_clean()
    jurisdiction.save()
    if jurisdiction.parent_id is not None and review_state == ReviewState.ACCEPTED:
        # One more child expected: the parent's roll-ups have a new coverage.
        evaluations_refresh_jurisdictions(jurisdiction_ids=[jurisdiction.parent_id])
    return jurisdiction


@transaction.atomic
def jurisdiction_update(*, jurisdiction: Jurisdiction, data: dict[str, Any]) -> Jurisdiction:
    """Change a jurisdiction's names, code, level, parent or review state."""
    stored_code, stored_parent, stored_state = (
        Jurisdiction.objects.filter(pk=jurisdiction.pk)
        .values_list("code", "parent_id", "review_state")
        .first()
    ) or (None, None, None)
    for name, value in data.items():
        setattr(jurisdiction, name, value)
    if jurisdiction.code == "":
        jurisdiction.code = None
    jurisdiction.full_clean()
    jurisdiction.save()
    if jurisdiction.code != stored_code:
        # The lists sort by the code, which each stored evaluation keeps.
        evaluations_refresh_jurisdiction(jurisdiction_id=jurisdiction.pk)
    if (jurisdiction.parent_id, jurisdiction.review_state) != (stored_parent, stored_state):
        # The parents it left and joined count their children anew (roll-up coverage).
        evaluations_refresh_jurisdictions(jurisdiction_ids={stored_parent, jurisdiction.parent_id})
    return jurisdiction


@transaction.atomic
def jurisdiction_delete(*, jurisdiction: Jurisdiction) -> None:
    """Delete a jurisdiction nothing refers to (ProtectedError otherwise); its parent counts
    one child fewer (roll-up coverage)."""
    parent_id, accepted = jurisdiction.parent_id, jurisdiction.review_state == ReviewState.ACCEPTED
    jurisdiction.delete()
    if parent_id is not None and accepted:
        evaluations_refresh_jurisdictions(jurisdiction_ids=[parent_id])


@transaction.atomic
def jurisdiction_propose(*, name_zh: str) -> Jurisdiction:
    """Find a jurisdiction by Chinese name, or create it as proposed for an admin to review."""
    existing = (
        Jurisdiction.objects.filter(name_zh=name_zh)
        .order_by("review_state", "code")  # an accepted one before a proposed one
        .first()
    )
    if existing is not None:
        return existing
    level = Level.PROVINCE if name_zh.endswith("省") else Level.PREFECTURE
    return jurisdiction_create(name_zh=name_zh, level=level, review_state=ReviewState.PROPOSED)


@transaction.atomic
def divisions_load(*, divisions: Iterable[Division]) -> tuple[int, int]:
    """Load administrative divisions (idempotent, by code); returns (created, updated)."""
    # A trusted, maintained data set of ~3,200 rows: saved directly rather than through
    # full_clean(), whose unique checks would cost a query per row.
    by_code = {j.code: j for j in Jurisdiction.objects.exclude(code=None)}
    created = updated = 0
    parents_changed: set[int] = set()
    for division in divisions:  # parents come before their children
        parent = by_code.get(division.parent_code) if division.parent_code else None
        fields = {
            "name_zh": division.name_zh,
            "name_en": division.name_en,
            "level": division.level,
            "parent": parent,
        }
        existing = by_code.get(division.code)
        if existing is None:
            by_code[division.code] = Jurisdiction.objects.create(code=division.code, **fields)
            parents_changed.add(parent.pk if parent else None)
            created += 1
        elif any(getattr(existing, k) != v for k, v in fields.items()):
            parents_changed |= {existing.parent_id, parent.pk if parent else None}
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            updated += 1
    # Parents that gained or lost children: their roll-ups' coverage changed.
    evaluations_refresh_jurisdictions(jurisdiction_ids=parents_changed)
    return created, updated


def token_obtain(*, user: AbstractBaseUser) -> Token:
    """The user's API token, created on first request (one token per user)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def token_revoke(*, user: AbstractBaseUser) -> bool:
    """Delete the user's API token; whoever holds it is refused from the next request."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
