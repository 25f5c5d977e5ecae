"""Number normaliser: Arabic, grouped, full-width and Chinese numerals, 万/亿 scaling, ranges."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .units import MULTIPLIERS, REJECTED_UNITS, UNIT_PATTERN, to_base

__all__ = [
    "QUANTITY_RE",
    "WAN",
    "Quantity",
    "parse_chinese",
    "parse_number",
    "parse_quantity",
    "parse_range",
    "parse_year",
]

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}

CN_NUM = "[零〇○一二两三四五六七八九十百千万亿]"
_AR_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A Chinese decimal fraction reads digit by digit after 点: 二点五 = 2.5, 十二点三五 = 12.35.
_CN_FRACTION = "点[零〇○一二三四五六七八九]+"
_NUM = rf"(?:{_AR_NUM}|[零〇○一二两三四五六七八九十百千]{CN_NUM}*(?:{_CN_FRACTION})?)"
_MULT = "万亿|千万|百万|十万|万|亿|千"
_DASH = "[-—–~～至到]"
_MULT_OPT = f"(?:{_MULT})?"

# One regex finds every figure: a range, a percentage or a number with its unit.
QUANTITY_RE = re.compile(
    rf"(?=[0-9零〇○一二两三四五六七八九十百千])(?<![\d.A-Za-z])"
    rf"(?:"
    rf"(?P<pct_cn>百分之(?P<pct_cn_num>{_NUM}))"
    rf"|(?P<lo>{_NUM})(?P<lo_mult>{_MULT})?{_DASH}(?P<hi>{_NUM})(?P<hi_approx>多|余)?"
    rf"(?P<hi_mult>{_MULT})?(?P<r_unit>{UNIT_PATTERN})"
    # "1000家至1100家", "2.5%-3%": both ends with the same unit (从/由 X家到 Y家 is a change).
    rf"|(?<![从由])(?P<lo_each>{_NUM}){_MULT_OPT}(?P<each_unit>{UNIT_PATTERN})[-—–~～至]"
    rf"(?P<hi_each>{_NUM})(?:多|余)?(?P<hi_each_mult>{_MULT})?(?P=each_unit)"
    rf"|(?P<num>{_NUM})(?P<approx>多|余)?(?P<mult>{_MULT})?(?P<approx2>多|余)?"
    rf"(?P<unit>{UNIT_PATTERN})"
    rf")"
)


def parse_chinese(text: str) -> Decimal:
    """Parse a Chinese numeral (一千二百, 两万, 一百二十七亿, 二〇一七, 二点五) to Decimal."""
    if not text:
        raise ValueError("empty numeral")
    whole, point, fraction = text.partition("点")
    if point:
        scale = 1
        if fraction and fraction[-1] in _CN_BIG:  # 三点五亿
            scale, fraction = _CN_BIG[fraction[-1]], fraction[:-1]
        if not fraction or not all(ch in _CN_DIGITS for ch in fraction):
            raise ValueError(f"not a Chinese numeral: {text!r}")
        digits = "".join(str(_CN_DIGITS[ch]) for ch in fraction)
        return (parse_chinese(whole) + Decimal(f"0.{digits}")) * scale
    if all(ch in _CN_DIGITS for ch in text):  # digit-by-digit form: 二〇一七
        return Decimal("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    number = 0
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (number or 1) * _CN_SMALL[ch]
            number = 0
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            if unit == 10**8:
                total = (total + section + number) * unit
            else:
                total += (section + number or (1 if not total else 0)) * unit
            section = number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return Decimal(total + section + number)


def _fold(text: str) -> str:
    return "".join(
        n if len(n := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text.strip()
    )


def parse_number(text: str) -> Decimal:
    """Parse one number with an optional 万/亿 suffix; e.g. 3.65万, ２９．５６亿, 一百二十七億."""
    s = _fold(text).replace("億", "亿").replace("萬", "万").replace("兩", "两")
    if s.startswith("百分之"):
        return parse_number(s[3:])
    factor = Decimal(1)
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if len(s) > len(mult) and s.endswith(mult) and re.search(r"\d$", s[: -len(mult)]):
            factor = MULTIPLIERS[mult]
            s = s[: -len(mult)]
            break
    if re.fullmatch(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", s):
        try:
            return Decimal(s.replace(",", "")) * factor
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise ValueError(text) from exc
    return parse_chinese(s) * factor


def parse_year(text: str) -> int:
    """Parse a year written in Arabic or 〇-digit Chinese (二〇一七) form."""
    return int(parse_number(text))


# The base of a figure in 万 whose unit was left out ("投入3500万", "申请量1.2万").
WAN = "wan"


@dataclass(frozen=True)
class Quantity:
    """A figure found in text: value in the base unit, or a range that is never a fact."""

    start: int
    end: int
    value: Decimal
    base: str  # base unit kind (CNY, count, percent, m2, person_year, other...)
    approx: str | None  # 多/余 inside the number ("50余家")
    is_range: bool = False

    @property
    def units(self) -> tuple[str, ...]:
        """The units the figure may be in, the likelier first: a bare count after 突破/达到 is
        a count; 3500万 with its unit left out is money or a count (the subject decides)."""
        if self.base == "bare":
            return ("count",)
        if self.base == WAN:
            return ("CNY", "count")
        return (self.base,)

    @property
    def rejected(self) -> bool:
        """Whether this figure can never be a fact (ranges, percentage points, ranks...)."""
        return self.is_range or self.base in REJECTED_UNITS


def parse_quantity(m: re.Match[str], offset: int = 0) -> Quantity | None:
    """Build a Quantity from a QUANTITY_RE match; None when the number does not parse."""
    try:
        if m.group("pct_cn"):
            value = parse_number(m.group("pct_cn_num"))
            return Quantity(m.start() + offset, m.end() + offset, value, "percent", None)
        if m.group("lo"):
            base, factor = to_base(m.group("r_unit"), m.group("hi_mult"))
            value = parse_number(m.group("hi")) * factor
            return Quantity(m.start() + offset, m.end() + offset, value, base, None, True)
        if m.group("lo_each"):
            base, factor = to_base(m.group("each_unit"), m.group("hi_each_mult"))
            value = parse_number(m.group("hi_each")) * factor
            return Quantity(m.start() + offset, m.end() + offset, value, base, None, True)
        base, factor = to_base(m.group("unit"), m.group("mult"))
        value = parse_number(m.group("num")) * factor
    except (ValueError, KeyError, InvalidOperation):
        return None
    approx = m.group("approx") or m.group("approx2")
    return Quantity(m.start() + offset, m.end() + offset, value, base, approx)


def parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    """Parse '3000—5000万元' into (low, high) in base units; None if not a range."""
    s = _fold(text)
    m = re.fullmatch(
        rf"(?P<lo>{_NUM})(?P<lo_mult>{_MULT})?{_DASH}(?P<hi>{_NUM})(?P<hi_mult>{_MULT})?"
        rf"(?P<unit>{UNIT_PATTERN})?",
        s,
    )
    if not m:
        return None
    factor = Decimal(1)
    if m.group("unit"):
        factor = to_base(m.group("unit"))[1]
    hi_mult = MULTIPLIERS.get(m.group("hi_mult") or "", Decimal(1))
    lo_mult = MULTIPLIERS.get(m.group("lo_mult") or "", hi_mult)
    try:
        lo = parse_number(m.group("lo")) * lo_mult * factor
        hi = parse_number(m.group("hi")) * hi_mult * factor
    except ValueError:
        return None
    return lo, hi
