"""The figures, time expressions and words of a sentence, and where its clauses start."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from ..catalogue import Catalogue
from ..lexicon import Hit
from ..numbers import QUANTITY_RE, WAN, Quantity, parse_quantity
from ..periods import TimeExpr, find_time_exprs

__all__ = [
    "CLAUSE_PUNCT",
    "STRONG_PUNCT",
    "Figures",
    "Token",
    "book_titles",
    "clause_start",
    "figure_groups",
    "find_quantities",
    "segment_end",
    "sentence_tokens",
    "unknown_between",
]

CLAUSE_PUNCT = "，,；;：:"
STRONG_PUNCT = "；;"
# Characters that say nothing of what a phrase names.
_FILLER = frozenset("的了之“”\"'‘’「」『』《》()（） 地得着")
_BARE_RE = re.compile(
    r"(?:突破|达到|超过|入库|备案|达)(\d{2,6})(?![\d.年月日号%％万亿千百个件家项人户名所元])"
)
# A figure in 亿 or 万 with its unit left out (news writing): "投入5.6亿", "突破3亿" are money;
# "投入3500万" money and "申请量1.2万" a count, as the subject takes. A unit after them makes a
# figure of that unit instead (QUANTITY_RE).
_UNITLESS_RE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(万亿|亿|万)(?![\d.元美港欧日英人件家项个次台套平吨公千万亿户名所])"
)
_UNITLESS = {
    "万亿": (Decimal(10) ** 12, "CNY"),
    "亿": (Decimal(10) ** 8, "CNY"),
    "万": (Decimal(10) ** 4, WAN),
}
_JOINT_RE = re.compile(r"(?:以上|左右|多|余)?(?:、|和|与|及|以及)")
# "翻一番" (or "翻番") doubles (+100 %), "翻两番" quadruples (+300 %): a growth by so many
# times, stated without digits; the figure is the count of doublings, 翻/翻了 its growth verb.
_DOUBLINGS_RE = re.compile(r"(?:(?<=翻)|(?<=翻了))([一两二三]?)番")
_DOUBLINGS = {"一": 1, "两": 2, "二": 2, "三": 3}
# "增长近两成": tenths (成) of a change, a percentage without digits, right after a verb of
# change or an approximation (成 alone ends many words: 完成, 建成, 形成).
_TENTHS_RE = re.compile(
    r"(?<=[长高升降少加近约超逾])([一二两三四五六七八九])成(?![果功为立本交效品员])"
)
_TENTHS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def find_quantities(text: str) -> list[Quantity]:
    """Every figure of a text: numbers with units, bare counts after 突破/达到, doublings."""
    found = [q for m in QUANTITY_RE.finditer(text) if (q := parse_quantity(m)) is not None]
    taken = {q.start for q in found}
    for m in _BARE_RE.finditer(text):
        if m.start(1) not in taken:
            found.append(Quantity(m.start(1), m.end(1), Decimal(m.group(1)), "bare", None))
    for m in _UNITLESS_RE.finditer(text):
        if m.start(1) not in taken:
            factor, base = _UNITLESS[m.group(2)]
            found.append(Quantity(m.start(1), m.end(), Decimal(m.group(1)) * factor, base, None))
    for m in _DOUBLINGS_RE.finditer(text):
        times = Decimal(2 ** _DOUBLINGS.get(m.group(1), 1) - 1)
        found.append(Quantity(m.start(), m.end(), times, "times", None))
    for m in _TENTHS_RE.finditer(text):
        found.append(
            Quantity(m.start(), m.end(), Decimal(10 * _TENTHS[m.group(1)]), "percent", None)
        )
    found.sort(key=lambda q: q.start)
    return found


@dataclass
class Figures:
    """Every figure and time expression of a view, found in one pass each."""

    quantities: list[Quantity]
    times: list[TimeExpr]

    def __post_init__(self) -> None:
        self._quantity_starts = [q.start for q in self.quantities]
        self._time_starts = [t.start for t in self.times]

    @classmethod
    def of(cls, text: str) -> Figures:
        """The figures and times of `text`."""
        return cls(find_quantities(text), find_time_exprs(text))

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Figures starting in [start, end)."""
        starts = self._quantity_starts
        return self.quantities[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def times_in(self, start: int, end: int) -> list[TimeExpr]:
        """Time expressions lying within [start, end)."""
        starts = self._time_starts
        found = self.times[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        return [t for t in found if t.end <= end]


@dataclass
class Token:
    """A word, a time expression or a share pattern found in a sentence, with its classes."""

    start: int
    end: int
    classes: frozenset[str]
    hit: Hit | None = None
    time: TimeExpr | None = None
    share: str = ""

    @property
    def word(self) -> str:
        """The word, for lexicon hits."""
        return self.hit.word if self.hit is not None else ""


def sentence_tokens(
    text: str, start: int, end: int, cat: Catalogue, times: list[TimeExpr], qs: list[Quantity]
) -> list[Token]:
    """Times, share patterns and lexicon words of text[start:end], in order, not overlapping
    one another or the figures."""
    spans: list[tuple[int, int]] = [(q.start, q.end) for q in qs]

    def free(a: int, b: int) -> bool:
        return all(b <= x or y <= a for x, y in spans)

    out: list[Token] = []
    for t in times:
        if free(t.start, t.end):
            spans.append((t.start, t.end))
            out.append(Token(t.start, t.end, frozenset({"time"}), time=t))
    if cat.share_re is not None:
        for m in cat.share_re.finditer(text, start, end):
            if free(m.start(), m.end()) and not _ends_alias(text, start, m, cat):
                spans.append((m.start(), m.end()))
                out.append(Token(m.start(), m.end(), frozenset({"attr"}), share=m.lastgroup or ""))
    # Words are looked up in the stretches between figures and times, so that "增加到" before
    # "2015年" still reads as 增加 (the time took 到).
    pos = start
    for a, b in [*sorted(spans), (end, end)]:
        if a > pos:
            for hit in cat.lexicon.scan(text, pos, a):
                out.append(Token(hit.start, hit.end, frozenset(k for k, _ in hit.senses), hit=hit))
        pos = max(pos, b)
    out.sort(key=lambda t: t.start)
    return out


def _ends_alias(text: str, start: int, share: re.Match[str], cat: Catalogue) -> bool:
    """Whether a share pattern ends a whole alias ("全社会R&D占比"), which names the indicator."""
    first = max(start, share.end() - cat.longest_alias)
    return any(text[i : share.end()] in cat.alias_words for i in range(first, share.start()))


def unknown_between(text: str, a: int, b: int) -> int:
    """How many characters of text[a:b] say something (fillers such as 的 do not)."""
    return sum(1 for ch in text[a:b] if ch not in _FILLER)


def clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause holding `pos` starts, not before `lo`."""
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in CLAUSE_PUNCT:
            return i + 1
    return lo


def segment_end(text: str, pos: int, end: int, stops: str = STRONG_PUNCT) -> int:
    """Where the statement holding `pos` ends: the next semicolon, or `end`."""
    for i in range(pos, end):
        if text[i] in stops:
            return i
    return end


def figure_groups(text: str, qs: list[Quantity]) -> list[list[Quantity]]:
    """Figures joined only by 、/和 ("25.7%、42.7%和86.0%") form one group."""
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups and _JOINT_RE.fullmatch(text, groups[-1][-1].end, q.start):
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def book_titles(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans inside 《book titles》, where dates name documents rather than periods."""
    out = []
    i = text.find("《", start, end)
    while i != -1:
        j = text.find("》", i, min(end, i + 62))
        if j == -1:
            break
        out.append((i, j + 1))
        i = text.find("《", j, end)
    return out
