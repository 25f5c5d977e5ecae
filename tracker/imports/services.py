"""The import service: a file's rows stored as accepted targets and actuals, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator
from tracker.attainment.services import evaluations_refresh, fact_series
from tracker.imports.reading import ImportedFact, ImportFailed, filled, row_read
from tracker.models import Fact, Jurisdiction, ReviewState
from tracker.services import fact_create, fact_update


@dataclass(frozen=True)
class RowOutcome:
    """What the import did (or would do) with one row."""

    row: int  # the row's number in the file, the header being row 1
    kind: str
    action: str  # created | updated | unchanged
    fact_id: int | None
    summary: str


@dataclass
class ImportReport:
    """The outcome of an import: per row, and counted; `dry_run` when nothing was stored."""

    filename: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many rows had this outcome."""
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


# --- The service ----------------------------------------------------------------------------


class _DryRun(Exception):
    """Raised to roll back a dry run once every row went through the services."""


class _EnteredFacts:
    """The facts people entered or imported, read a series at a time: a file states several
    figures of each series, and one query per row was most of an import's time."""

    def __init__(self) -> None:
        self._series: dict[tuple, dict[tuple, Fact]] = {}

    def latest(self, imported: ImportedFact) -> Fact | None:
        """The newest such fact with the row's series, measure and period (not rejected)."""
        f = imported.fields
        series = (imported.model, f["jurisdiction"].pk, f["indicator"].pk)
        if series not in self._series:
            facts = (
                imported.model.objects.filter(
                    jurisdiction=f["jurisdiction"],
                    indicator=f["indicator"],
                    source_document__isnull=True,
                )
                .exclude(review_state=ReviewState.REJECTED)
                .order_by("id")
            )
            # In order of id, so that the newest of several stays.
            self._series[series] = {(x.measure, x.period_start, x.period_end): x for x in facts}
        return self._series[series].get((f["measure"], f["period_start"], f["period_end"]))


def _summary(imported: ImportedFact) -> str:
    f = imported.fields
    period = f"{f['period_start']:%Y-%m}..{f['period_end']:%Y-%m}"
    comparator = f" {f['comparator']}" if f["comparator"] else ""
    return (
        f"{f['jurisdiction'].name_zh} {f['indicator'].code} {f['measure']}{comparator} "
        f"{f['value'].normalize():f} ({period})"
    )


def facts_import(
    *,
    rows: Iterable[dict[str, Any]],
    filename: str,
    user: AbstractBaseUser | None,
    dry_run: bool = False,
) -> ImportReport:
    """Import the rows of a file as accepted targets and actuals, all or nothing.

    Raises ImportFailed (every bad row by number) and stores nothing if any row is bad. A
    row whose fact is stored already with the same figures is left unchanged; one whose
    figures changed updates it, with the file and row as the reason.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    who = user.get_username() if user is not None else "a command"
    catalogue = list(Indicator.objects.all())
    places: dict[str, Jurisdiction] = {}
    entered = _EnteredFacts()
    try:
        with transaction.atomic():
            errors: dict[int, list[str]] = {}
            seen: dict[tuple, int] = {}
            touched: set[tuple[int, int]] = set()
            for number, row in enumerate(rows, start=2):  # the header is row 1
                if not filled(row):
                    continue
                try:
                    imported = row_read(row, catalogue=catalogue, places=places)
                    if imported.key() in seen:
                        raise ValidationError(
                            f"states the same fact as row {seen[imported.key()]} "
                            "(kind, jurisdiction, indicator, measure and period)"
                        )
                    seen[imported.key()] = number
                    origin = f"imported from {PurePath(filename).name}, row {number}, by {who}"
                    existing = entered.latest(imported)
                    outcome, fact = _store(
                        imported, existing=existing, origin=origin, user=user, row=number
                    )
                    report.rows.append(outcome)
                    if outcome.action != "unchanged":
                        touched |= fact_series(fact)
                except ValidationError as exc:
                    errors[number] = exc.messages
            if errors:
                raise ImportFailed(errors)
            # Each series once, in the import's transaction, rather than once per row.
            evaluations_refresh(series=touched)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _store(
    imported: ImportedFact, *, existing: Fact | None, origin: str, user, row: int
) -> tuple[RowOutcome, Fact]:
    """Create the row's fact, update the stored one (`existing`), or leave it as it is."""
    kind = imported.model._meta.model_name
    fields = imported.fields
    if existing is None:
        fact = fact_create(
            model=imported.model,
            user=user,
            review_state=ReviewState.ACCEPTED,
            reason=origin,
            origin=origin,
            refresh=False,
            **fields,
        )
        return RowOutcome(row, kind, "created", fact.pk, _summary(imported)), fact
    comparator = fields["comparator"] or existing.comparator
    changes = {
        "value": fields["value"],
        "comparator": comparator,
        "published": fields["published"],
    }
    if fields["quote"]:
        changes["quote"] = fields["quote"]
    differs = {k: v for k, v in changes.items() if getattr(existing, k) != v}
    if not differs:
        return RowOutcome(row, kind, "unchanged", existing.pk, _summary(imported)), existing
    fact = fact_update(
        fact=existing, user=user, data={**differs, "origin": origin}, reason=origin, refresh=False
    )
    return RowOutcome(row, kind, "updated", fact.pk, _summary(imported)), fact
