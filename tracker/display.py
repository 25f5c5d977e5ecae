"""Numbers written for people the way Chinese reports write them: 23.5亿元, 2,200件, 2.9%.

Values are stored in an indicator's base unit (yuan, a plain count, percent where 2.9 means
2.9 %). These functions only decide how such a value is shown; they never change it, and they
never round silently: a figure that needs more than ``PLACES`` decimals after scaling is shown
rounded with a leading "≈", and the page carries the stored value beside it (see
``stored_value``). Machines read the exports, which keep the base-unit numbers.

Rules, by base unit (scaling is chosen by the magnitude of the value, sign aside):

- ``CNY``: 亿元 (1e8) from 1亿 up, 万元 (1e4) from 1万 up, else 元.
- ``percent``: ``2.9%``; a difference of percentages is in points, signed: ``+3.2 pp``.
- ``count``: thousands separators, then the indicator's Chinese counter if it has one.
- ``person_year``: 万人年 (1e4) from 1万 up, else 人年; ``m2``: 万平方米 / 平方米 likewise.
- ``per_10k_people``: ``32.5 per 10k``.
- an attainment ratio is a percentage of the target: 0.95 → ``95%``.

Every number gets thousands separators and at most ``PLACES`` decimals, trailing zeros trimmed.
Negative numbers keep their sign; differences (gaps) also show a "+" when positive. A missing
value (None) is written ``DASH``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language, gettext, pgettext_lazy

PLACES = 4
DASH = "—"
APPROX = "≈"

CNY = "CNY"
COUNT = "count"
PERCENT = "percent"
M2 = "m2"
PERSON_YEAR = "person_year"
PER_10K_PEOPLE = "per_10k_people"

# (power of ten, suffix) from the largest scale down; the last entry applies below the others.
SCALES: dict[str, tuple[tuple[int, str], ...]] = {
    CNY: ((8, "亿元"), (4, "万元"), (0, "元")),
    PERSON_YEAR: ((4, "万人年"), (0, "人年")),
    M2: ((4, "万平方米"), (0, "平方米")),
}
SUFFIXES: dict[str, str] = {
    PERCENT: "%",
}
POINTS = " pp"
# Chinese readers count in 万: counts from 1万 up are scaled there (2.2万件), as reports write.
COUNT_SCALES_ZH = ((4, "万"), (0, ""))


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """The exact decimal of a value; a float is taken as the shortest decimal that prints it."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation(f"Not a finite number: {value!r}")
    return number


def stored_value(value: Decimal | int | float | str | None) -> str:
    """The value as stored, without exponent or trailing zeros: 12500000000, 2.9 ("" if None)."""
    if value is None:
        return ""
    number = to_decimal(value)
    normal = number.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return format(normal, "f")


def format_number(value: Decimal | int | float | str, *, signed: bool = False) -> str:
    """Thousands separators and up to PLACES decimals: 1,234.5; "≈" when that rounds."""
    number = to_decimal(value)
    rounded = number.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
    approximate = rounded != number
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0" for a tiny negative
    text = format(rounded, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if signed and rounded > 0:
        text = "+" + text
    return (APPROX + text) if approximate else text


def format_quantity(
    value: Decimal | int | float | str | None,
    unit: str,
    *,
    counter: str = "",
    signed: bool = False,
) -> str:
    """A value in an indicator's base unit, scaled and labelled: 2.35亿元, 2,200件, 2.9%."""
    if value is None:
        return DASH
    number = to_decimal(value)
    if unit in SCALES:
        scales = SCALES[unit]
        for power, suffix in scales:
            if abs(number) >= Decimal(1).scaleb(power) or (power, suffix) == scales[-1]:
                return format_number(number.scaleb(-power), signed=signed) + suffix
    if unit == COUNT:
        if chinese():
            for power, suffix in COUNT_SCALES_ZH:
                if abs(number) >= Decimal(1).scaleb(power) or not suffix:
                    return format_number(number.scaleb(-power), signed=signed) + suffix + counter
        return format_number(number, signed=signed) + counter
    if unit == PER_10K_PEOPLE:
        # Translators: a figure per 10,000 residents, e.g. "32.5 per 10k".
        return gettext("%(number)s per 10k") % {"number": format_number(number, signed=signed)}
    if unit in SUFFIXES:
        return format_number(number, signed=signed) + SUFFIXES[unit]
    text = format_number(number, signed=signed)
    return f"{text} {unit}" if unit else text


def format_percent(value: Decimal | int | float | str | None) -> str:
    """A percentage, e.g. a growth rate: 12.39 → 12.39%."""
    return format_quantity(value, PERCENT)


def format_points(value: Decimal | int | float | str | None) -> str:
    """A difference of two percentages, signed: 3.2 → +3.2 pp, -1.77 → -1.77 pp."""
    if value is None:
        return DASH
    return points_label(format_number(value, signed=True))


def points_label(number: str) -> str:
    """A number of percentage points: "+3.2 pp" (个百分点 in Chinese)."""
    # Translators: percentage points; the number is already written, e.g. "+3.2".
    return gettext("%(number)s pp") % {"number": number}


def format_difference(value: Decimal | int | float | str | None, unit: str) -> str:
    """A signed difference in a base unit: +2亿元, -150件; percentage points for percent."""
    if unit == PERCENT:
        return format_points(value)
    return format_quantity(value, unit, signed=True)


def format_ratio(value: Decimal | int | float | str | None) -> str:
    """An attainment ratio (actual / target) as a percentage of the target: 0.9843 → 98.43%."""
    if value is None:
        return DASH
    return format_percent(to_decimal(value).scaleb(2))


def chinese() -> bool:
    """Whether the language of this request (or command) is Chinese."""
    return (get_language() or "").lower().startswith("zh")


# How a target of each comparator reads; translated when written (only the one needed: a
# workbook writes one a row).
PROMISES = {
    "eq": pgettext_lazy("target", "%(value)s"),
    "gte": pgettext_lazy("target", "≥ %(value)s"),
    "gt": pgettext_lazy("target", "> %(value)s"),
    "lte": pgettext_lazy("target", "≤ %(value)s"),
    "lt": pgettext_lazy("target", "< %(value)s"),
    "approx": pgettext_lazy("target", "≈ %(value)s"),
}


def format_promise(
    value: Decimal | int | float | str | None, unit: str, comparator: str, *, counter: str = ""
) -> str:
    """A target as reports state it: 不低于2,200件, 127亿元左右; in English ≥ 2,200, ≈ 127亿元."""
    if value is None:
        return DASH
    amount = format_quantity(value, unit, counter=counter)
    phrase = PROMISES.get(comparator)
    return ("%(value)s" if phrase is None else str(phrase)) % {"value": amount}


def format_gap(
    value: Decimal | int | float | str | None,
    unit: str,
    *,
    lower_is_better: bool = False,
    counter: str = "",
) -> str:
    """How far an actual is from its target, in words: 差 2亿元 (short), 超 2亿元 (over).

    ``value`` is the target minus the actual (as evaluations store it), so a positive gap of
    a higher-is-better target is a shortfall; never a bare negative number.
    """
    if value is None:
        return DASH
    number = to_decimal(value)
    if unit == PERCENT:
        amount = points_label(format_number(abs(number)))
    else:
        amount = format_quantity(abs(number), unit, counter=counter)
    if number.is_zero():
        return gettext("on target")
    if number < 0:  # the actual is above the target
        # Translators: the actual is above the target by this amount (超 2亿元).
        return gettext("over by %(amount)s") % {"amount": amount}
    if lower_is_better:
        # Translators: the actual is below a ceiling by this amount (低于目标 2亿元).
        return gettext("under by %(amount)s") % {"amount": amount}
    # Translators: the actual falls short of the target by this amount (差 2亿元).
    return gettext("short by %(amount)s") % {"amount": amount}


def format_growth_gap(value: Decimal | int | float | str | None) -> str:
    """Achieved minus required growth in words: 低 1.77个百分点 (1.77 pp below), 高 … (above)."""
    if value is None:
        return DASH
    number = to_decimal(value)
    points = points_label(format_number(abs(number)))
    if number.is_zero():
        return points
    if number < 0:
        # Translators: achieved growth is below the required growth by these points.
        return gettext("%(points)s below") % {"points": points}
    # Translators: achieved growth is above the required growth by these points.
    return gettext("%(points)s above") % {"points": points}
