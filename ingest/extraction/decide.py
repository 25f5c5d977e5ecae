"""Deciding a reading's kind (target or actual), its period and its comparator.

Evidence has a scope and a rank (docs/extraction.md, "Target or actual"):

1. the figure itself: a number inside completion talk ("完成…20家的目标") is the target;
2. time: a period that ends after publication is a target; an estimate (预计) of the year
   under review is an actual; a period wholly before the publication year is an actual;
3. the clause: a past marker (已, 实现了) makes an actual;
4. the sentence: a forward-looking cue before the figure (力争, 确保, 将达到, 到YYYY年) makes
   a target;
5. a colon list announced as targets ("主要目标是:", "工作目标:") and the paragraphs under it;
6. the section: the innermost heading that reads as a plan or a review;
7. the document type, only as a prior.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalogue import Catalogue, Indicator
from .document import DocYears
from .periods import Period, TimeExpr, plan_containing
from .reading import Reading

__all__ = ["ACTUAL", "TARGET", "Anchor", "Frame", "comparator", "decide_kind", "resolve_times"]

TARGET, ACTUAL = "target", "actual"


@dataclass(frozen=True)
class Anchor:
    """The reporting window in force, with how it was stated."""

    period: Period
    by: bool = False  # "到2020年": an end-state target year
    plan: Period | None = None  # the five-year plan around it, if any
    since: bool = False  # "“十三五”以来": up to the time of writing, no clean window for a flow
    unknown: bool = False  # "截至目前" in a text without a date: the window cannot be known


@dataclass(frozen=True)
class Frame:
    """What the document around a sentence says: section kind, scopes and the outer anchor."""

    section_kind: str | None
    target_scope: bool
    outer: Anchor | None
    prior: str


def resolve_expr(
    expr: TimeExpr, outer: Anchor | None, years: DocYears, published: date | None
) -> Anchor | None:
    """The anchor a time expression sets, given the one around it."""
    if expr.kind == "todate":
        if published is None:
            # Up to an unknown month of the year: usable only if a later time says more.
            year = outer.period.end_year if outer else (years.current or 0)
            return Anchor(Period.year(year), unknown=True)
        if outer and not outer.period.multi_year and outer.period.end_year < published.year:
            # A review of an earlier year, published later: "今年以来" is the reviewed year's.
            return outer
        return Anchor(Period(published.year, 1, published.year, published.month))
    if expr.kind == "pastyear":
        # "过去一年" in a work report: the last year that had ended when it was written.
        if published is not None:
            year = published.year if published.month == 12 else published.year - 1
        elif outer is not None and not outer.period.multi_year:
            return outer  # "一、2023年工作回顾 … 过去一年": the year its section names
        elif years.review is not None:
            year = years.review
        elif years.plan is not None:
            year = years.plan - 1
        else:
            return outer
        return Anchor(Period.year(year))
    if expr.kind == "lastn" and published is not None and published.month < 12:
        # "五年来", "过去五年" in a report written early in a year (a government work report
        # opening the year it plans): the years that had ended when it was written.
        context = outer.period.end_year if outer else years.current
        if context == published.year:
            period = expr.resolve(context - 1)
            return outer if period is None else Anchor(period)
    if expr.kind == "plan" and expr.plan_part == "since" and expr.year and expr.last_year:
        last = max(expr.last_year, years.review or expr.last_year)
        return Anchor(Period.years(expr.year, last), since=True)
    if (
        expr.kind == "same_months"
        and outer is not None
        and not outer.period.multi_year
        and years.current is not None
    ):
        # "1-9月…由去年同期的20亿元…": the months in force, in the year 去年 names (as "rel",
        # from the current year, so that resolving it twice changes nothing).
        return Anchor(outer.period.in_year(years.current + expr.offset))
    if expr.kind in ("rel", "same_months"):
        period = expr.resolve(years.current)
    elif expr.kind == "fullyear":
        if outer is None or outer.period.multi_year:
            return outer
        period = Period.year(outer.period.end_year)
    elif expr.kind == "months" and expr.year is None:
        if expr.relative or outer is None:
            period = expr.resolve(years.current)
        else:
            period = expr.resolve(outer.period.end_year)
    else:
        period = expr.resolve(outer.period.end_year if outer else years.current)
    if period is None:
        return outer
    plan = outer.plan if outer else None
    if expr.kind == "plan":
        plan = Period.years(expr.year, expr.last_year)  # type: ignore[arg-type]
    return Anchor(period, by=expr.kind == "by", plan=plan)


def resolve_times(
    exprs: tuple[TimeExpr, ...] | list[TimeExpr],
    outer: Anchor | None,
    years: DocYears,
    published: date | None,
) -> Anchor | None:
    """The innermost anchor of a chain of time expressions, outermost first."""
    anchor = outer
    for expr in exprs:
        anchor = resolve_expr(expr, anchor, years, published)
    return anchor


def decide_kind(
    reading: Reading,
    anchor: Anchor | None,
    frame: Frame,
    cues: set[str],
    clause_cues: set[str],
    published: date | None,
    years: DocYears,
) -> tuple[str, bool]:
    """(kind, estimate) for a reading; `cues` are the cue classes before it in its sentence."""
    if reading.implied_target:
        return TARGET, False
    estimate = "cue_estimate" in cues
    if anchor is not None:
        period = anchor.period
        current = published.year if published else years.current
        if estimate and current is not None and period.end_year <= current:
            return ACTUAL, True
        if published is not None:
            ends_after = (period.end_year, period.end_month) > (published.year, published.month)
            if ends_after and not (period.end_year == published.year and published.month == 12):
                return TARGET, False
            # A past year's figures are results, unless a list of goals announced them ("2021年
            # 初确定的年度绩效目标为:新认定高新技术企业60家", in a report on that year).
            past = period.end_year < published.year and not frame.target_scope
            if past and "cue_target" not in clause_cues:
                return ACTUAL, False
            ended = (period.end_year, period.end_month) <= (published.year, published.month)
            if ended and period.end_month < 12 and "cue_target" not in clause_cues:
                # "上半年…" in a half-year review and next half's plan: months already past.
                return ACTUAL, False
        elif years.review is not None and frame.prior == ACTUAL and period.end_year > years.review:
            return TARGET, False
        elif (
            years.plan is not None
            and period.end_year < years.plan
            and "cue_target" not in clause_cues
        ):
            return ACTUAL, False  # before the planned year, without a date: already past
    # "目前,全市拥有…800家" states today's figures, unless the sentence plans ("当前和今后一个
    # 时期,要力争到2025年…").
    now = "cue_now" in cues and "cue_target" not in cues and not (anchor and anchor.by)
    if "cue_past" in clause_cues or now:
        return ACTUAL, False
    if estimate and frame.section_kind != TARGET:
        return ACTUAL, True
    if "cue_target" in cues or (anchor is not None and anchor.by):
        return TARGET, False
    if frame.target_scope:
        return TARGET, False
    if frame.section_kind is not None:
        return frame.section_kind, False
    return frame.prior, False


def default_anchor(kind: str, years: DocYears, *, in_review: bool = False) -> Anchor | None:
    """The window of a figure that states no time: the reviewed or the planned year (a target
    restated inside a review is the reviewed year's)."""
    year = years.review if kind == ACTUAL or in_review else years.plan
    if year is None:
        year = years.report_year
    return Anchor(Period.year(year)) if year is not None else None


def reading_period(
    reading: Reading, anchor: Anchor, kind: str, span: Period | None
) -> tuple[Period | None, str]:
    """(period, measure) of a reading in the window `anchor` (see FACTS.md, Growth windows)."""
    ind = reading.indicator
    p = anchor.period
    if reading.measure == "change":
        if reading.base is not None and reading.base.kind == "plan":
            # "比“十二五”增长86.4%": one plan's total against the previous plan's.
            return (p, "growth") if p.multi_year else (None, "growth")
        if reading.base is not None and reading.base.year and not reading.yoy:
            first = reading.base.year + 1
            if first <= p.end_year:
                return Period(first, 1, p.end_year, p.end_month), "growth"
        if not reading.yoy and span is not None:
            return span, "growth"
        if p.multi_year and not reading.yoy:
            return p, "growth"
        return (p.last_year() if p.multi_year else p), "yoy_growth"
    if reading.measure == "cagr":
        if reading.base is not None and reading.base.year:
            first = reading.base.year + 1
            if first <= p.end_year:
                return Period(first, 1, p.end_year, 12), "cagr"
        if p.multi_year:
            return p, "cagr"
        if span is not None:
            return span, "cagr"
        plan = plan_containing(p.end_year) if anchor.by else None
        plan = plan or anchor.plan
        if plan is not None and plan.end_year >= p.end_year:
            return plan, "cagr"
        return None, "cagr"
    if anchor.by:
        if ind.is_stock or ind.unit != "count" or kind == ACTUAL:
            return p, "level"
        # "到2020年新建研发平台100家" in a plan that names its window counts over the window.
        plan = anchor.plan
        return (plan if plan and plan.end_year == p.end_year else p), "level"
    if p.multi_year:
        if anchor.since and not ind.is_stock:
            return None, "level"  # "“十三五”以来…累计达6.75亿元": to no stated end
        return (p.last_year() if ind.is_stock else p), "level"
    return p, "level"


_GT_WORDS = ("突破", "超过", "超", "高于", "逾", "多于", "超出")
_LTE_WORDS = ("以内", "之内", "不超过", "控制在", "不高于", "以下")
_APPROX_WORDS = ("左右", "约", "上下", "近", "接近")


def comparator(kind: str, words: str, ind: Indicator, *, estimate: bool) -> str:
    """The comparator a figure is stated with (FACTS.md, comparator)."""
    if kind == TARGET:
        if any(w in words for w in _LTE_WORDS):
            return "lte"
        if any(w in words for w in ("左右", "约", "上下")):
            return "approx"
        if any(w in words for w in _GT_WORDS):
            return "gt"
        return "lte" if ind.direction == "lower" else "gte"
    if any(w in words for w in (*_GT_WORDS, "多", "余", "强")):
        return "gt"
    if "以上" in words:
        return "gte"
    if estimate or any(w in words for w in _APPROX_WORDS):
        return "approx"
    return "eq"


def scan_cues(cat: Catalogue, text: str, start: int, end: int) -> set[str]:
    """The cue classes (cue_target, cue_past, cue_estimate) of text[start:end]."""
    found: set[str] = set()
    for hit in cat.lexicon.scan(text, start, end):
        for kind, _ in hit.senses:
            if kind.startswith("cue_"):
                found.add(kind)
    return found
