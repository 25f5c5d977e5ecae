"""Stored evaluations against a fresh evaluation (what `evaluations_rebuild --check` does)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.attainment.models import Evaluation
from tracker.attainment.rules import (
    AttainmentRules,
)
from tracker.attainment.selectors.live import TARGETS_PER_ROUND, evaluations_live
from tracker.iterables import batched
from tracker.models import Target

# --- Stored against fresh ---------------------------------------------------------------

COMPARED_FIELDS = [
    f.attname for f in Evaluation._meta.get_fields() if f.concrete and f.attname != "target_id"
]


@dataclass
class Difference:
    """A stored evaluation that is not what a fresh evaluation gives (or is missing)."""

    target_id: int
    fields: dict[str, tuple[Any, Any]]  # name: (stored, fresh)

    def __str__(self) -> str:
        changes = "; ".join(f"{n}: {s!r} stored, {f!r} fresh" for n, (s, f) in self.fields.items())
        return f"target {self.target_id}: {changes}"


def evaluation_differences(*, as_of: date, rules: AttainmentRules) -> Iterator[Difference]:
    """Every stored row that differs from a fresh evaluation, and every row missing or extra."""
    fresh_ids: set[int] = set()
    targets = Target.objects.order_by("jurisdiction_id", "indicator_id", "id")
    live = evaluations_live(targets=targets, as_of=as_of, rules=rules)
    for chunk in batched(live, TARGETS_PER_ROUND):
        rows = Evaluation.objects.in_bulk([e.target_id for e in chunk])
        for fresh in chunk:
            fresh_ids.add(fresh.target_id)
            row = rows.get(fresh.target_id)
            if row is None:
                yield Difference(fresh.target_id, {"row": (None, "an evaluation")})
                continue
            stored, judged = evaluation_figures(row), evaluation_figures(fresh)
            changed = {n: (stored[n], judged[n]) for n in COMPARED_FIELDS if stored[n] != judged[n]}
            if changed:
                yield Difference(fresh.target_id, changed)
    extra = set(Evaluation.objects.values_list("target_id", flat=True)) - fresh_ids
    for target_id in sorted(extra):
        yield Difference(target_id, {"row": ("an evaluation", None)})


def evaluation_figures(evaluation: Evaluation) -> dict[str, Any]:
    """What an evaluation says, field by field (what --check compares)."""
    return {name: getattr(evaluation, name) for name in COMPARED_FIELDS}
