"""Reporting periods: years, year-to-date windows, five-year plans and relative years."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .numbers import parse_chinese

__all__ = [
    "FIVE_YEAR_PLANS",
    "Period",
    "TimeExpr",
    "find_time_exprs",
    "plan_containing",
]

FIVE_YEAR_PLANS = {
    "十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026,
}  # fmt: skip


@dataclass(frozen=True, order=True)
class Period:
    """A reporting window from (start_year, start_month) to (end_year, end_month), inclusive."""

    start_year: int
    start_month: int
    end_year: int
    end_month: int

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year `year`."""
        return cls(year, 1, year, 12)

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        """Whole years `first` .. `last`."""
        return cls(first, 1, last, 12)

    @property
    def start(self) -> str:
        """First month as 'YYYY-MM'."""
        return f"{self.start_year:04d}-{self.start_month:02d}"

    @property
    def end(self) -> str:
        """Last month as 'YYYY-MM'."""
        return f"{self.end_year:04d}-{self.end_month:02d}"

    @property
    def multi_year(self) -> bool:
        """Whether the window spans more than one calendar year."""
        return self.end_year > self.start_year

    def in_year(self, year: int) -> Period:
        """The same months of a window within one year, in another year (去年同期)."""
        return Period(year, self.start_month, year, self.end_month)

    def last_year(self) -> Period:
        """The final calendar year of the window (for stocks and end-state targets)."""
        return Period.year(self.end_year)

    def contains(self, other: Period) -> bool:
        """Whether `other` lies within this window."""
        return (self.start_year, self.start_month) <= (other.start_year, other.start_month) and (
            other.end_year,
            other.end_month,
        ) <= (self.end_year, self.end_month)


def plan_containing(year: int) -> Period | None:
    """The five-year plan whose last year is `year` (到2020年 -> 十三五), if any."""
    for first in FIVE_YEAR_PLANS.values():
        if first + 4 == year:
            return Period.years(first, first + 4)
    return None


@dataclass(frozen=True)
class TimeExpr:
    """A time expression found in text.

    kind: 'year' | 'range' | 'months' | 'plan' | 'by' | 'rel' | 'same_months' | 'fullyear' |
    'lastn' | 'todate' | 'pastyear'.
    year may be None for month windows ("1-5月") and relative years; resolve() fills it in.
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    last_year: int | None = None
    first_month: int = 1
    last_month: int = 12
    offset: int = 0  # for 'rel' (and relative 'months'): 去年 = -1, 明年 = +1
    plan_part: str = "whole"  # for 'plan': whole | start | end
    base: bool = False  # after 比/较/是: the base of a comparison, not the window in force
    relative: bool = False  # 'months' of a relative year ("今年上半年")

    def resolve(self, context_year: int | None) -> Period | None:
        """The window this expression denotes, given the year in force around it."""
        if self.kind in ("year", "by"):
            return Period.year(self.year) if self.year else None
        if self.kind == "range":
            return Period.years(self.year, self.last_year)
        if self.kind == "plan":
            if self.plan_part == "start":
                return Period.year(self.year)
            if self.plan_part == "end":
                return Period.year(self.last_year)
            return Period.years(self.year, self.last_year)
        year = self.year
        if self.kind in ("todate", "pastyear"):
            return None  # resolved by the caller, which knows the publication date
        if self.kind == "lastn":
            if context_year is None or self.last_year is None:
                return None
            return Period.years(context_year - self.last_year + 1, context_year)
        if self.kind in ("rel", "same_months"):
            if context_year is None:
                return None
            year = context_year + self.offset
            return Period.year(year)
        if year is None:
            year = context_year
            if self.relative and year is not None:
                year += self.offset
        if year is None:
            return None
        if self.kind == "fullyear":
            return Period.year(year)
        return Period(year, self.first_month, year, self.last_month)


_YEAR = r"(?P<year>(?:19|20)\d{2}|二[〇零○]\S{2}(?=年))"
_MONTH = r"(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])"
_DASH = r"\s*[-—–~～至到]\s*"
_Q = "[“”\"‘’'「」]?"

# The lookahead lets the scan skip, in one test, the positions where no time can start.
_TIME_RE = re.compile(
    r"(?=[“”\"‘’'「」十0-9一二元到至截今本去上明下次全年近连过最前第])"
    r"(?:(?P<plan>"
    + _Q
    + r"十(?P<pn>[一二三四五])五"
    + _Q
    + r"(?:规划)?(?P<psuf>期间|时期|以来|期初|初期|初|期末|末期|末|规划期|期|(?=累计))?)"
    # "十五" alone is fifteen: the tenth plan only in quotes or with 时期/期间.
    r"|(?P<plan10>[“\"]十五[”\"](?:时期|期间|规划|以来|期末|末)?|十五(?:时期|期间))"
    r"|(?P<yr1>(?:19|20)\d{2})年?" + _DASH + r"(?P<yr2>(?:19|20)\d{2})年(?:度|间)?"
    r"|(?P<by>到|至|截至|截止到?)?" + _YEAR + r"年(?P<ysuf>底|末|度|年底|年末)?"
    r"(?:(?P<m1>[1一]|元)月?" + _DASH + r"(?P<m2>" + _MONTH + r")月(?:份|底|末)?"
    r"|(?P<half>上半年|下半年|前三季度|第一季度|一季度|前两个?季度)"
    r"|(?P<mon>" + _MONTH + r")月(?:份|底|末)?)?"
    r"|(?P<nm1>[1一]|元)月?" + _DASH + r"(?P<nm2>" + _MONTH + r")月(?:份|底|末)?"
    r"|(?P<upto>截至|截止到?|至)(?P<um>" + _MONTH + r")月(?:份|底|末)?"
    r"|(?P<nhalf>上半年|前三季度|第一季度|一季度|前两个?季度)"
    r"|(?P<todate>截至目前|截止目前|截至当前|到目前为止|今年以来|年初以来)"
    r"|(?P<lastn>(?:连续|近|过去的?|最近)(?P<ln1>[一二三四五六七八九十两\d]{1,2})年"
    r"|(?P<ln2>[一二三四五六七八九十两\d]{1,2})年(?:来|以来|间|(?=年均|累计)))"
    r"|(?P<rel>今年|本年度|本年|去年|上年度|上年|上一年|明年|下一年|次年)(?P<same>同期)?"
    r"|(?P<full>全年|年度|下半年)(?!任务|目标|计划|指标|考核))"
)

_HALF_MONTHS = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "前三季度": (1, 9),
    "第一季度": (1, 3),
    "一季度": (1, 3),
    "前两季度": (1, 6),
    "前两个季度": (1, 6),
}
_REL_OFFSET = {
    "今年": 0, "本年度": 0, "本年": 0, "去年": -1, "上年度": -1, "上年": -1, "上一年": -1,
    "明年": 1, "下一年": 1, "次年": 1,
}  # fmt: skip


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(parse_chinese(text))


def _year_count(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_chinese(text))


def _year(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_chinese(text))


# A year right after 比/较/是 is the base of a comparison ("较2015年增长1.3倍").
_BASE_RE = re.compile(r"(?:比|较|是|相比|与)[“\"]?$")


def find_time_exprs(
    text: str, *, heading: bool = False, start: int = 0, end: int | None = None
) -> list[TimeExpr]:
    """All time expressions in text[start:end] (positions in `text`).

    In running text a bare plan name ("“十二五”规划") is a noun, not a period; it only counts
    with 期间/时期/初/末... or in a heading.
    """
    found: list[TimeExpr] = []
    for m in _TIME_RE.finditer(text, start, len(text) if end is None else end):
        s, e = m.start(), m.end()
        # "比2015年", and "在2015年基础上": the base of a comparison.
        before = _BASE_RE.search(text, max(0, s - 3), s)
        is_base = before is not None or text.startswith("基础上", e)
        try:
            # "比“十二五”增长86.4%": a plan named as a base needs no 期间.
            expr = _expr_from(m, s, e, heading or is_base)
        except (ValueError, KeyError):
            expr = None
        if expr is None:
            continue
        if is_base:
            # "比2015年提高", "是2015年的4.1倍": the base of a comparison, not the window
            if expr.kind in ("rel", "same_months"):
                continue  # "比上年", "较上年同期": year on year, said by the grammar
            # The comparison word is part of the base: "…100亿元,比2010年增长48%" says the
            # change with nothing unknown before it.
            expr = replace(expr, base=True, start=before.start() if before else expr.start)
        if found and expr.kind == "months" and expr.year is None:
            prev = found[-1]
            if prev.kind == "rel" and prev.end == s:  # 今年上半年, 去年1-5月
                expr = replace(expr, start=prev.start, relative=True, offset=prev.offset)
                found[-1] = expr
                continue
        found.append(expr)
    return found


def _expr_from(m: re.Match[str], s: int, e: int, heading: bool) -> TimeExpr | None:
    if m.group("plan10"):
        return TimeExpr(s, e, "plan", 2001, 2005)
    if m.group("plan"):
        suffix = m.group("psuf")
        if suffix is None and not heading:
            return None
        first = FIVE_YEAR_PLANS["十" + m.group("pn") + "五"]
        part = "whole"
        if suffix in ("初", "期初", "初期"):
            part = "start"
        elif suffix in ("末", "期末", "末期"):
            part = "end"
        elif suffix == "以来":
            part = "since"  # "“十三五”以来": from the plan's start to the time of writing
        return TimeExpr(s, e, "plan", first, first + 4, plan_part=part)
    if m.group("yr1"):
        first, last = int(m.group("yr1")), int(m.group("yr2"))
        if not 0 < last - first <= 10:
            return None
        return TimeExpr(s, e, "range", first, last)
    if m.group("year"):
        year = _year(m.group("year"))
        if not 1990 <= year <= 2060:
            return None
        if m.group("m2"):
            return TimeExpr(s, e, "months", year, first_month=1, last_month=_month(m.group("m2")))
        if m.group("half"):
            first_month, last_month = _HALF_MONTHS[m.group("half")]
            return TimeExpr(s, e, "months", year, first_month=first_month, last_month=last_month)
        if m.group("mon"):
            # "截至2017年5月底" is year-to-date; a bare "2014年12月" is a date, not a window.
            if m.group("by") in ("截至", "截止", "截止到"):
                return TimeExpr(s, e, "months", year, last_month=_month(m.group("mon")))
            return TimeExpr(s, e, "year", year)
        return TimeExpr(s, e, "by" if m.group("by") in ("到", "至") else "year", year)
    if m.group("nm2"):
        return TimeExpr(s, e, "months", None, last_month=_month(m.group("nm2")))
    if m.group("um"):
        return TimeExpr(s, e, "months", None, last_month=_month(m.group("um")))
    if m.group("nhalf"):
        first_month, last_month = _HALF_MONTHS[m.group("nhalf")]
        return TimeExpr(s, e, "months", None, first_month=first_month, last_month=last_month)
    if m.group("lastn"):
        n = _year_count(m.group("ln1") or m.group("ln2"))
        if n == 1 and m.group(0).startswith("过去"):
            return TimeExpr(s, e, "pastyear")  # "过去一年", "过去的一年": the year just ended
        if not 2 <= n <= 10:
            return None
        return TimeExpr(s, e, "lastn", last_year=n)
    if m.group("todate"):
        return TimeExpr(s, e, "todate")
    if m.group("rel"):
        # "去年同期": the months in force, a year earlier.
        kind = "same_months" if m.group("same") else "rel"
        return TimeExpr(s, e, kind, offset=_REL_OFFSET[m.group("rel")])
    if m.group("full"):
        # 下半年 without its year opens the plan for the rest of a year ("上半年工作总结及下半年
        # 工作思路"): what it plans is the year's figure, not the first half's carried on.
        return TimeExpr(s, e, "fullyear")
    return None
