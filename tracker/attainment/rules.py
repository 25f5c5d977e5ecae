"""The attainment rules' vocabulary and the documented thresholds they use."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    """Where a target stands against the actual that counts for it."""

    MET = "met", "met"
    MISSED = "missed", "missed"
    ON_TRACK = "on_track", "on track (partial period)"
    BEHIND = "behind", "behind (partial period)"
    IN_PROGRESS = "in_progress", "in progress (partial period, level not reached yet)"
    PENDING = "pending", "pending (no actual, period not over)"
    NO_DATA = "no_data", "no data (no actual, period over)"


class Progress(models.TextChoices):
    """Progress category of a multi-year target evaluated mid-way (SDG progress method)."""

    ACHIEVED = "achieved", "achieved"
    ON_TRACK = "on_track", "on track"
    ACCELERATION_NEEDED = "acceleration_needed", "acceleration needed"
    LIMITED_PROGRESS = "limited_progress", "limited progress"
    DETERIORATING = "deteriorating", "deteriorating"


class Flag(models.TextChoices):
    """Remarks an auditor should see next to an evaluation."""

    REVISED = "revised", "several accepted actuals for the period; the latest published counts"
    PARTIAL_ONLY_AFTER_PERIOD = (
        "partial_only_after_period",
        "the period is over but only a part-period actual is known",
    )
    INCONSISTENT_GROWTH = (
        "inconsistent_growth_target",
        "a level and a growth target for the same period disagree with the baseline",
    )
    TARGET_NOT_REVIEWED = "target_not_reviewed", "the target is still proposed"
    NO_BASELINE = "no_baseline", "no baseline actual to compute growth from"


class GrowthSource(models.TextChoices):
    """Where an achieved growth rate came from."""

    LEVELS = "levels", "ratio of two accepted level actuals"
    YOY_ACTUAL = "yoy_actual", "an accepted year-on-year growth actual"
    DIRECT = "direct", "an accepted actual of the target's own growth measure"


@dataclass(frozen=True)
class AttainmentRules:
    """Every tolerance and threshold the evaluation uses (settings.ATTAINMENT overrides)."""

    # |a - t| <= eq_tolerance * |t| counts as equal for an `eq` target (relative).
    eq_tolerance: float = 0.001
    # |a - t| <= approx_tolerance * |t| counts as met for an `approx` (左右/约) target.
    approx_tolerance: float = 0.05
    # A level and a growth target for the same period disagree when the growth implied by
    # the level target (level / baseline - 1) differs from the stated rate by more than this.
    consistency_tolerance_pp: float = 0.5
    # Progress categories: R = observed annual growth / required annual growth.
    progress_on_track: float = 0.95
    progress_acceleration: float = 0.6
    progress_limited: float = 0.0
    # Decimal places of ratios and growth rates in the rows (display only).
    ratio_places: int = 4
    growth_places: int = 2
    # Rows an export fetches and completes per batch (memory held per batch). The actuals a
    # batch shows are fetched 100 rows at a time whatever this is (ROWS_PER_STATEMENT): for a
    # few hundred rows PostgreSQL scanned every actual instead.
    export_chunk_size: int = 100

    def as_dict(self) -> dict[str, Any]:
        """The rules as the evaluation reports them."""
        return asdict(self)


def rules_get() -> AttainmentRules:
    """The rules in force: defaults, overridden by settings.ATTAINMENT (lower-case keys)."""
    configured = getattr(settings, "ATTAINMENT", {}) or {}
    overrides = tuple(sorted((str(k).lower(), v) for k, v in configured.items()))
    try:
        # Serializing a page asks for the rules hundreds of times (every rounded figure).
        return _rules(overrides)
    except TypeError:  # an unhashable setting value: build the rules uncached
        return _rules.__wrapped__(overrides)


@lru_cache(maxsize=8)
def _rules(overrides: tuple[tuple[str, object], ...]) -> AttainmentRules:
    known = AttainmentRules.__dataclass_fields__
    return AttainmentRules(**{k: v for k, v in overrides if k in known})


def progress_category(ratio: float | None, *, rules: AttainmentRules) -> str | None:
    """The SDG progress category for R = observed / required annual growth."""
    if ratio is None:
        return None
    if ratio >= rules.progress_on_track:
        return Progress.ON_TRACK
    if ratio >= rules.progress_acceleration:
        return Progress.ACCELERATION_NEEDED
    if ratio >= rules.progress_limited:
        return Progress.LIMITED_PROGRESS
    return Progress.DETERIORATING
