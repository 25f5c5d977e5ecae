"""Writes to the indicator catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator
from tracker.attainment.services import evaluations_refresh_indicator

# What the evaluation of an indicator's targets reads of it (the code: lists sort by it).
JUDGED_FIELDS = ("code", "nature", "direction")

CATALOGUE_PATH = Path(settings.BASE_DIR) / "seeds" / "indicators.yaml"
CATALOGUE_FIELDS = ("name_zh", "name_en", "unit", "nature", "direction", "aliases")


@transaction.atomic
def indicator_upsert(*, code: str, **fields: Any) -> tuple[Indicator, bool]:
    """Create the indicator with this code, or bring an existing one up to date."""
    indicator = Indicator.objects.filter(code=code).first()
    created = indicator is None
    indicator = indicator or Indicator(code=code)
    return _save(indicator, fields), created


@transaction.atomic
def indicator_update(*, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    """Change an indicator's code, names, unit, nature, direction or aliases."""
    return _save(indicator, data)


def _save(indicator: Indicator, data: dict[str, Any]) -> Indicator:
    """Validate and save an indicator; its targets are judged anew when how changed."""
    stored = Indicator.objects.filter(pk=indicator.pk).values(*JUDGED_FIELDS).first()
    for name, value in data.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    if stored is not None and any(stored[f] != getattr(indicator, f) for f in JUDGED_FIELDS):
        evaluations_refresh_indicator(indicator_id=indicator.pk)
    return indicator


def catalogue_entries(*, path: Path = CATALOGUE_PATH) -> list[tuple[str, dict[str, Any]]]:
    """The catalogue file's indicators as (code, fields) pairs, or raise ValidationError."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]
        return [
            (entry["code"], {name: entry[name] for name in CATALOGUE_FIELDS if name in entry})
            for entry in entries
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ValidationError(f"Cannot read indicator catalogue {path}: {exc}") from exc


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_PATH) -> tuple[int, int]:
    """Load the YAML catalogue (idempotent); returns (created, updated) counts."""
    created = updated = 0
    for code, fields in catalogue_entries(path=path):
        _, was_created = indicator_upsert(code=code, **fields)
        created += was_created
        updated += not was_created
    return created, updated
