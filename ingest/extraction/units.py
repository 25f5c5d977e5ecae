"""Units of measure: surface form -> (base unit, multiplier)."""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "BASE_UNITS",
    "MULTIPLIERS",
    "REJECTED_UNITS",
    "UNIT_PATTERN",
    "compatible",
    "to_base",
]

# Base units of the catalogue (indicators.yaml) plus internal kinds that never become facts.
BASE_UNITS = ("CNY", "count", "percent", "m2", "person_year", "per_10k_people")

# surface -> (base unit, multiplier).  Order does not matter: the regex is built longest first.
_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("CNY", Decimal(1)),
    "人年": ("person_year", Decimal(1)),
    "平方米": ("m2", Decimal(1)),
    "平方公里": ("km2", Decimal(1)),
    "平米": ("m2", Decimal(1)),
    "㎡": ("m2", Decimal(1)),
    "%": ("percent", Decimal(1)),
    "％": ("percent", Decimal(1)),
    # counts
    "件": ("count", Decimal(1)),
    "家": ("count", Decimal(1)),
    "户": ("count", Decimal(1)),
    "项": ("count", Decimal(1)),
    "个": ("count", Decimal(1)),
    "台套": ("count", Decimal(1)),
    "人": ("count", Decimal(1)),
    "支": ("count", Decimal(1)),
    "名": ("count", Decimal(1)),
    "只": ("count", Decimal(1)),
    "所": ("count", Decimal(1)),
    "座": ("count", Decimal(1)),
    "份": ("count", Decimal(1)),
    "种": ("count", Decimal(1)),
    "位": ("rank", Decimal(1)),
    # figures that look like counts but are never a catalogue quantity
    "人次": ("other", Decimal(1)),
    "家次": ("other", Decimal(1)),
    "场次": ("other", Decimal(1)),
    "次": ("other", Decimal(1)),
    "场": ("other", Decimal(1)),
    "台": ("other", Decimal(1)),
    "套": ("other", Decimal(1)),
    "辆": ("other", Decimal(1)),
    "亩": ("other", Decimal(1)),
    "倍": ("times", Decimal(1)),
    "美元": ("USD", Decimal(1)),
    "个百分点": ("pct_point", Decimal(1)),
    "百分点": ("pct_point", Decimal(1)),
}

# Units of figures that are never facts (differences of shares, ranks, other currencies...).
REJECTED_UNITS = frozenset({"other", "times", "USD", "pct_point", "rank", "km2"})

MULTIPLIERS: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "千": Decimal(10) ** 3,
    "百": Decimal(100),
}

UNIT_PATTERN = "|".join(sorted(_UNITS, key=len, reverse=True))

# Which parsed base units each catalogue unit accepts.
_ACCEPTS: dict[str, frozenset[str]] = {
    "CNY": frozenset({"CNY"}),
    "count": frozenset({"count"}),
    "percent": frozenset({"percent"}),
    "m2": frozenset({"m2"}),
    "person_year": frozenset({"person_year"}),
    "per_10k_people": frozenset({"count"}),
}


def to_base(unit: str, multiplier: str | None = None) -> tuple[str, Decimal]:
    """Return (base unit, factor) for a unit surface form with an optional 万/亿 prefix."""
    base, factor = _UNITS[unit]
    if multiplier:
        factor = factor * MULTIPLIERS[multiplier]
    return base, factor


def compatible(indicator_unit: str, parsed_base: str) -> bool:
    """Whether a figure in `parsed_base` can be a value of an indicator in `indicator_unit`."""
    return parsed_base in _ACCEPTS.get(indicator_unit, frozenset())
