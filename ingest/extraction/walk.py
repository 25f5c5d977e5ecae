"""The document walk: sections, paragraph frames and target lists, sentence by sentence.

It reads each sentence (reading/), decides each reading's kind, period and comparator from
the evidence in scope (decide.py) and keeps one candidate fact per statement.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .catalogue import Catalogue, Indicator
from .claims import Claim, claims_in_sentence
from .decide import (
    ACTUAL,
    Anchor,
    Frame,
    comparator,
    decide_kind,
    default_anchor,
    reading_period,
    resolve_expr,
    resolve_times,
    scan_cues,
)
from .document import DocYears, document_prior
from .layout import HEADING, View, split_blocks
from .periods import Period, find_time_exprs, plan_containing
from .reading import Figures, Memory, Reading, read_sentence
from .sections import TARGET_COLON_RE, Section, section_kind

__all__ = ["Candidate", "Walk", "dedupe"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    """A fact as the walk found it, before one per key is kept."""

    kind: str
    indicator: Indicator
    measure: str
    value: Decimal
    comparator: str
    period: Period
    start: int
    end: int
    confidence: float


class Walk:
    """The document walk: sections, paragraph frames and target lists, sentence by sentence."""

    def __init__(
        self,
        view: View,
        cat: Catalogue,
        years: DocYears,
        published: date | None,
        jurisdiction: str | None,
    ) -> None:
        self.view, self.cat, self.years = view, cat, years
        self.published, self.jurisdiction = published, jurisdiction
        self.prior = document_prior(view.text)
        self.sections: list[Section] = []
        # The window a plan's title names ("某县科技创新“十四五”规划"): its goals' (_title_window).
        self.title_anchor: Anchor | None = None
        self.target_list_level: float | None = None
        # The time a list's lead paragraph opened with ("到2025年,…。具体目标为:"): its items'.
        self.list_anchor: Anchor | None = None
        self.candidates: list[Candidate] = []
        self.claims: list[Claim] = []
        self.figures = Figures.of(view.text)

    # sections ---------------------------------------------------------------------------

    def _section_anchor(self) -> Anchor | None:
        for section in reversed(self.sections):
            if section.anchor is not None:
                return section.anchor  # type: ignore[return-value]
        return None

    def _section_kind(self) -> str | None:
        for section in reversed(self.sections):
            if section.kind is not None:
                return section.kind
        return None

    def _enter_heading(self, level: float, heading: str, *, title: bool = False) -> None:
        self.sections = [s for s in self.sections if s.level < level]
        if self.target_list_level is not None and level <= self.target_list_level:
            self.target_list_level = None
            self.list_anchor = None
        kind = section_kind(heading, level=level)
        exprs = [
            e
            for e in find_time_exprs(heading, heading=True)
            if e.kind != "fullyear"
            and not e.base
            and not (e.kind in ("rel", "same_months") and self.published is None)
        ]
        anchor = None
        if exprs:
            anchor = resolve_expr(exprs[0], self._section_anchor(), self.years, self.published)
        if (
            title
            and kind != ACTUAL
            and len(exprs) == 1
            and anchor is not None
            and anchor.period.multi_year
        ):
            # A plan's title naming one window; a review's ("2016-2020年工作总结") frames its
            # reviews no better than its own year does, and its next steps not at all; and
            # "“十三五”工作总结和“十四五”工作思路" names two. It is no frame: which figures are
            # goals is for the text to say (see _title_window).
            self.title_anchor, anchor = anchor, None
        self.sections.append(Section(level, kind, anchor))

    # the walk ---------------------------------------------------------------------------

    def run(self) -> list[Candidate]:
        text = self.view.text
        for block in split_blocks(self.view):
            if block.kind == HEADING:
                head = text[block.start : block.head_end]
                # A title (level 0) is entered as an outermost heading ("一、…" closes it);
                # the one window it may name stays (title_anchor).
                self._enter_heading(block.level or 1, head.strip(" :："), title=block.level == 0)
                if TARGET_COLON_RE.search(head) and head.rstrip().endswith((":", "：")):
                    self.target_list_level = block.level
            memory = Memory()
            paragraph: Anchor | None = None
            colon_at: int | None = None
            for start, end in block.sentences:
                colon = TARGET_COLON_RE.search(text, start, end)
                if colon is not None and colon_at is None:
                    colon_at = colon.start()
                try:
                    paragraph = self._sentence(start, end, memory, paragraph, colon_at)
                except Exception:  # one odd sentence must not cost the whole document
                    logger.exception("extraction failed on sentence at %d", start)
            if colon_at is not None and text[block.start : block.end].rstrip().endswith(
                (":", "：")
            ):
                self.target_list_level = block.level if block.kind == HEADING else 99
                self.list_anchor = paragraph
        return self.candidates

    def _sentence(
        self,
        start: int,
        end: int,
        memory: Memory,
        paragraph: Anchor | None,
        colon_at: int | None,
    ) -> Anchor | None:
        text = self.view.text
        readings, times = read_sentence(
            text,
            start,
            end,
            self.cat,
            self.figures,
            memory,
            jurisdiction=self.jurisdiction,
        )
        outer = paragraph or self.list_anchor or self._section_anchor()
        next_paragraph = paragraph
        if times.opening is not None and times.opening.kind != "fullyear":
            # A sentence that opens with a time speaks of it, and so do the paragraph's next ones.
            outer = resolve_expr(times.opening, outer, self.years, self.published)
            next_paragraph = outer
        spans: dict[str, int] = {}
        for reading in readings:
            in_list = self.target_list_level is not None or (
                colon_at is not None and colon_at < reading.figure_start
            )
            frame = Frame(self._section_kind(), in_list, outer, self.prior)
            self._decide(reading, frame, spans, start)
        year = (outer.period.end_year if outer else None) or self.years.report_year
        named = [(r.figure_start, r.indicator.code) for r in readings]
        self.claims.extend(claims_in_sentence(text, start, end, named, year))
        return next_paragraph

    def _decide(self, reading: Reading, frame: Frame, spans: dict[str, int], s_start: int) -> None:
        """Kind, period and comparator of a reading; `spans` holds, per indicator, the first
        year of a change stated by earlier levels of the sentence ("由2010年的…到2015年的…")."""
        text = self.view.text
        explicit = (
            resolve_times(reading.times, frame.outer, self.years, self.published)
            if reading.times
            else None
        )
        cues = scan_cues(self.cat, text, s_start, reading.figure_start)
        clause_cues = scan_cues(self.cat, text, reading.clause_start, reading.figure_start)
        kind, estimate = decide_kind(
            reading, explicit or frame.outer, frame, cues, clause_cues, self.published, self.years
        )
        in_review = any(section.kind == ACTUAL for section in self.sections)
        anchor = explicit or frame.outer or self._title_window(kind, in_review)
        anchor = anchor or default_anchor(kind, self.years, in_review=in_review)
        if anchor is None or anchor.unknown:
            return
        code = reading.indicator.code
        window = anchor.period
        whole_years = window.start_month == 1 and window.end_month == 12
        if reading.endpoint and not reading.own_time and whole_years:
            # "“十三五”以来…从441家增长到1000家", "2023年…由18.5件增加到22.3件": the level at
            # the end of the year before the window, and at its end.
            year = window.end_year
            if reading.endpoint == "from":
                # The base, a level already reached, is no promise: in a plan ("到2025年,
                # 由2.9%提高到3.5%") it is the last year known when the plan was written.
                kind = ACTUAL
                year = window.start_year - 1
                if self.published is not None:
                    year = min(year, self.published.year - 1)
            anchor = Anchor(Period.year(year))
        elif reading.endpoint == "from" and not reading.own_time and not window.multi_year:
            # "1-9月,…由20亿元增加到35亿元": the base is the same months a year earlier.
            kind = ACTUAL
            anchor = Anchor(window.in_year(window.end_year - 1))
        if reading.implied_target and not reading.own_time and not window.multi_year:
            # "上半年,…完成年度目标(50亿元)的57.2%": the goal the months count towards is
            # the year's.
            anchor = Anchor(Period.year(anchor.period.end_year))
        if anchor.by and anchor.plan is None:
            anchor = self._plan_of(anchor, cagr=reading.measure == "cagr")
        span = None
        if reading.measure != "level" and code in spans and spans[code] <= anchor.period.end_year:
            span = Period(spans[code], 1, anchor.period.end_year, 12)
        period, measure = reading_period(reading, anchor, kind, span)
        if period is None or (
            reading.average and measure == "level" and (period.multi_year or anchor.by)
        ):
            return  # "(到2025年)年均新增15家": a year's figure on average, no total, no end
        if reading.measure == "level" and (reading.own_time or reading.endpoint == "from"):
            first = period.start_year + 1
            if reading.times and reading.times[-1].kind == "plan":
                first = period.start_year  # "从“十二五”初…": the plan's first year counts
            spans[code] = min(spans.get(code, first), first)
        start, end = reading.start, reading.end
        self.candidates.append(
            Candidate(
                kind=kind,
                indicator=reading.indicator,
                measure=measure,
                value=reading.value,
                comparator=comparator(kind, reading.words, reading.indicator, estimate=estimate),
                period=period,
                start=start,
                end=end,
                confidence=round(0.9 - 0.15 * reading.inherited - 0.15 * (explicit is None), 2),
            )
        )

    def _title_window(self, kind: str, in_review: bool) -> Anchor | None:
        """What a plan's title says of a figure stated without a time: a goal is the plan's
        (高新技术企业总数达到100家: at its end); a result in its review of its base (一、发展基础)
        is the year before the plan's. Whether a figure is a goal is not the title's to say:
        a news item on a plan states today's figures beside the plan's."""
        if self.title_anchor is None:
            return None
        if kind == ACTUAL:
            if not in_review:
                return None
            return Anchor(Period.year(self.title_anchor.period.start_year - 1))
        return None if in_review else self.title_anchor

    def _plan_of(self, anchor: Anchor, *, cagr: bool) -> Anchor:
        """The plan a goal "by" a year belongs to: the title's, when it ends that year
        (《某县科技发展“十四五”规划》…到2025年,新增高新技术企业50家: over its years). An
        average growth by a year no five-year plan ends (到2027年,…年均增长10%) runs over the
        years from the plan's writing (the year it was published) to its end."""
        end = anchor.period.end_year
        title = self.title_anchor
        if title is not None and title.period.end_year == end:
            return replace(anchor, plan=title.period)
        if not cagr or self.published is None or plan_containing(end) is not None:
            return anchor
        first = self.published.year + (1 if self.published.month == 12 else 0)
        if first >= end:
            return anchor
        return replace(anchor, plan=Period.years(first, end))


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One fact per (kind, indicator, measure, period); a figure restated for a narrower
    window (a five-year review repeating the final year's value) keeps the narrower window."""
    # Kept candidates by position (a dict keeps their order), and the positions of each
    # figure, so that a candidate is compared only with the same figure's, not with every
    # kept one: a long report states thousands.
    kept: dict[int, Candidate] = {}
    positions: dict[tuple, list[int]] = defaultdict(list)
    for position, c in enumerate(cands):
        figure = (c.kind, c.indicator.code, c.measure, c.value)
        same = [p for p in positions[figure] if p in kept and kept[p].period != c.period]
        wider = [p for p in same if kept[p].period.contains(c.period)]
        if wider:
            for p in wider:
                del kept[p]
        elif any(c.period.contains(kept[p].period) for p in same):
            continue
        kept[position] = c
        positions[figure].append(position)
    # The first statement of a fact wins, unless it gave a bound and a later one the figure
    # ("技术合同成交额突破100亿元,达到102.5亿元").
    chosen: dict[tuple, Candidate] = {}
    for c in kept.values():
        key = (c.kind, c.indicator.code, c.measure, c.period)
        first = chosen.get(key)
        if first is None or (first.comparator != "eq" and c.comparator == "eq"):
            chosen[key] = c
    return list(chosen.values())
