"""Template filters for the auditor's page: readable numbers, with the stored value kept.

    {% load tracker_format %}
    <a href="…"{% stored actual.value actual.unit %}>{{ actual.value|quantity:actual.unit }}</a>

writes ``<a href="…" title="12500000000 CNY" data-value="12500000000">125亿元</a>``. The rules
are in ``tracker.display``; a value that cannot be read as a number is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tracker import display

register = template.Library()


def _safely(format_: Callable[..., str], value, *args) -> str:
    try:
        return format_(value, *args)
    except (InvalidOperation, ValueError, TypeError):
        return "" if value is None else str(value)


@register.filter
def quantity(value, unit: str = "") -> str:
    """A value in its base unit, scaled and labelled: 12500000000|quantity:"CNY" → 125亿元."""
    return _safely(display.format_quantity, value, unit or "")


@register.filter
def difference(value, unit: str = "") -> str:
    """A signed difference in a base unit: +2亿元; percentage points for percent: +1.78 pp."""
    return _safely(display.format_difference, value, unit or "")


@register.filter
def promise(target: dict) -> str:
    """A target row's value with its comparator as reports write it: 不低于127亿元, ≥ 127亿元."""
    return _safely(lambda t: display.format_promise(t["value"], t["unit"], t["comparator"]), target)


@register.filter
def gap(row: dict) -> str:
    """An attainment row's gap in words: 差 2亿元, 超 2亿元 (short by / over by)."""
    target = row["target"]
    lower = target["indicator"].get("direction") == "lower"
    return _safely(
        lambda value: display.format_gap(value, target["unit"], lower_is_better=lower),
        row["gap"],
    )


@register.filter
def growth_gap(value) -> str:
    """Achieved minus required growth in words: 低 1.77个百分点, 1.77 pp below."""
    return _safely(display.format_growth_gap, value)


@register.filter
def percent(value) -> str:
    """A percentage such as a growth rate: 12.39 → 12.39%."""
    return _safely(display.format_percent, value)


@register.filter
def points(value) -> str:
    """A difference of percentages: -1.77 → -1.77 pp."""
    return _safely(display.format_points, value)


@register.filter
def ratio_percent(value) -> str:
    """An attainment ratio as a percentage of the target: 0.9843 → 98.43%."""
    return _safely(display.format_ratio, value)


@register.simple_tag
def stored(value, unit: str = "", *, difference: bool = False) -> SafeString:
    """Title and data-value attributes, with a leading space, carrying the value as the row has it.

    The title names the base unit (percentage points for a difference of percentages);
    nothing is written for a missing value (None, or a variable the template does not have).
    """
    if value is None or value == "":
        return SafeString("")
    try:
        raw = display.stored_value(value)
    except (InvalidOperation, ValueError, TypeError):
        raw = str(value)
    label = "pp" if difference and unit == display.PERCENT else (unit or "")
    title = f"{raw} {label}" if label else raw
    return format_html(' title="{}" data-value="{}"', title, raw)
