"""Self-reported attainment: what a report says of its own results against its targets.

"超额完成全年任务", "完成年度目标的105%", "各项指标均超额完成", "完成全年任务200%",
"未完成年度目标" are *claims*: an indicator where the sentence names one (else the whole
report), the claimed ratio or status, and the quote. The attainment engine compares them
with the computed figures; the scorer of facts ignores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["Claim", "claims_in_sentence", "ends_with_completion_ratio"]

EXCEEDED, MET, NOT_MET = "exceeded", "met", "not_met"

_GOAL = (
    r"(?:全年|年度|年初|今年|本年度|全年度)?"
    r"(?:目标任务|目标|任务|计划|预期目标|考核目标|指标)(?:数)?"
)
_RATIO_RE = re.compile(
    rf"(?:完成|实现|达到)(?:了)?(?:[^，,。；;]{{0,12}}?)?{_GOAL}(?:的)?(?P<a>\d+(?:\.\d+)?)\s*[%％]"
    rf"|{_GOAL}完成率(?:为|达到?|是)?(?P<b>\d+(?:\.\d+)?)\s*[%％]"
    rf"|(?:为|占|达)(?:全年|年度)?(?:目标|计划|任务)的(?P<c>\d+(?:\.\d+)?)\s*[%％]"
)
_NOT_MET_RE = re.compile(
    rf"(?:未能?|没有|尚未)(?:全面)?(?:完成|实现|达到)(?:[^，,。；;]{{0,8}}?){_GOAL}"
)
_EXCEEDED_RE = re.compile(
    rf"超额完成(?:了)?(?:[^，,。；;]{{0,12}}?{_GOAL})?|超过(?:全年|年度)(?:目标|计划)"
)
_MET_RE = re.compile(
    rf"(?:全面|圆满|顺利|如期|提前|能|能够|均|全部)(?:完成|实现)(?:了)?(?:[^，,。；;]{{0,10}}?){_GOAL}"
)
_ANY_CLAIM_RE = re.compile(r"完成|实现|达到|超过(?:全年|年度)")
_BLANKET_RE = re.compile(r"各项(?:[^，,。；;]{0,6}?)(?:指标|任务|目标)|全部指标|所有指标")


def ends_with_completion_ratio(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with a claimed share of a goal ("完成年度目标的114.3%")."""
    return any(m.end() == end for m in _RATIO_RE.finditer(text, start, end))


@dataclass(frozen=True)
class Claim:
    """A report's own statement of attainment."""

    status: str  # exceeded | met | not_met
    ratio: Decimal | None  # the claimed share of the target, in percent (105 for 105 %)
    indicator: str | None  # None: a claim about the whole report
    year: int | None
    span: tuple[int, int]  # view offsets until mapped back by the caller
    quote: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The `claims` entry of the extraction JSON (docs/extraction.md)."""
        ratio = None
        if self.ratio is not None:
            ratio = int(self.ratio) if self.ratio == self.ratio.to_integral() else float(self.ratio)
        return {
            "indicator": self.indicator,
            "status": self.status,
            "ratio": ratio,
            "year": self.year,
            "span": [self.span[0], self.span[1]],
            "quote": self.quote,
        }


def claims_in_sentence(
    text: str,
    start: int,
    end: int,
    named: list[tuple[int, str]],
    year: int | None,
) -> list[Claim]:
    """Claims in text[start:end]; `named` holds (offset, indicator code) of its figures."""
    found: list[Claim] = []
    if not _ANY_CLAIM_RE.search(text, start, end):
        return found
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], status: str, ratio: Decimal | None) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        before = [code for at, code in named if at < m.start()]
        blanket = _BLANKET_RE.search(text, start, m.end()) is not None
        indicator = None if blanket or not before else before[-1]
        clause = _clause_start(text, start, m.start())
        found.append(Claim(status, ratio, indicator, year, (clause, m.end())))

    for m in _RATIO_RE.finditer(text, start, end):
        ratio = Decimal(m.group("a") or m.group("b") or m.group("c"))
        status = EXCEEDED if ratio > 100 else MET if ratio == 100 else NOT_MET
        add(m, status, ratio)
    for m in _NOT_MET_RE.finditer(text, start, end):
        add(m, NOT_MET, None)
    for m in _EXCEEDED_RE.finditer(text, start, end):
        add(m, EXCEEDED, None)
    for m in _MET_RE.finditer(text, start, end):
        add(m, MET, None)
    found.sort(key=lambda c: c.span)
    return found


def _clause_start(text: str, lo: int, pos: int) -> int:
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in "，,；;：:。":
            return i + 1
    return lo
