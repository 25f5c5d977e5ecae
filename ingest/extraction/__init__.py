"""Fact extraction from Chinese municipal S&T bureau reports (Django-free).

Text in, facts out, in layers (docs/extraction.md):

1. layout: a clean view of the text with a map back to it, cut into headings, list items
   and paragraphs (layout.py);
2. document: publication date, jurisdiction, the years the report is about, its type
   (document.py);
3. reading: each figure bound to the indicator it measures, by composition and a small
   coordination parser (catalogue.py, reading.py);
4. deciding: target or actual from scoped evidence, the period from a scoped stack of time
   frames, the comparator (sections.py, decide.py);
5. claims: what the report says of its own attainment (claims.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Indicator, load_catalogue
from .claims import Claim, claims_in_sentence
from .decide import (
    ACTUAL,
    TARGET,
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
from .document import (
    DocYears,
    document_prior,
    infer_jurisdiction,
    infer_published,
    infer_years,
)
from .layout import HEADING, View, build_view, split_blocks
from .periods import Period, find_time_exprs
from .reading import Figures, Memory, Reading, read_sentence
from .sections import TARGET_COLON_RE, Section, section_kind
from .text import NotTextError, decode_document, shadow, strip_controls

__version__ = "2.0"

__all__ = [
    "Catalogue",
    "Claim",
    "Extraction",
    "Fact",
    "Indicator",
    "NotTextError",
    "decode_document",
    "extract",
    "load_catalogue",
    "strip_controls",
]

logger = logging.getLogger(__name__)


def _json_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass(frozen=True)
class Fact:
    """One quantitative statement: a target or an actual of a catalogue indicator."""

    kind: str
    indicator: str
    measure: str
    value: Decimal
    unit: str
    comparator: str
    period_start: str
    period_end: str
    span: tuple[int, int]
    quote: str
    confidence: float = 0.5

    def as_dict(self) -> dict[str, Any]:
        """The fact contract's JSON shape (plus a confidence key)."""
        return {
            "kind": self.kind,
            "indicator": self.indicator,
            "measure": self.measure,
            "value": _json_number(self.value),
            "unit": self.unit,
            "comparator": self.comparator,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "span": [self.span[0], self.span[1]],
            "quote": self.quote,
            "confidence": self.confidence,
        }


@dataclass
class Extraction:
    """The result of extracting one document."""

    jurisdiction: str | None
    published: date | None
    report_year: int | None
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """{"document": {...}, "facts": [...], "claims": [...]}: the extraction contract."""
        return {
            "document": {
                "jurisdiction": self.jurisdiction,
                "published": self.published.isoformat() if self.published else None,
                "report_year": self.report_year,
            },
            "facts": [f.as_dict() for f in self.facts],
            "claims": [c.as_dict() for c in self.claims],
        }


@dataclass(frozen=True)
class _Candidate:
    kind: str
    indicator: Indicator
    measure: str
    value: Decimal
    comparator: str
    period: Period
    start: int
    end: int
    confidence: float


class _Walk:
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
        self.target_list_level: int | None = None
        self.candidates: list[_Candidate] = []
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

    def _enter_heading(self, level: int, heading: str) -> None:
        self.sections = [s for s in self.sections if s.level < level]
        if self.target_list_level is not None and level <= self.target_list_level:
            self.target_list_level = None
        kind = section_kind(heading, level=level)
        exprs = [
            e
            for e in find_time_exprs(heading, heading=True)
            if e.kind != "fullyear"
            and not e.base
            and not (e.kind == "rel" and self.published is None)
        ]
        anchor = None
        if exprs:
            anchor = resolve_expr(exprs[0], self._section_anchor(), self.years, self.published)
        self.sections.append(Section(level, kind, anchor))

    # the walk ---------------------------------------------------------------------------

    def run(self) -> list[_Candidate]:
        text = self.view.text
        for block in split_blocks(self.view):
            if block.kind == HEADING:
                head = text[block.start : block.head_end]
                self._enter_heading(block.level or 1, head.strip(" :："))
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
        outer = paragraph or self._section_anchor()
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
        anchor = explicit or frame.outer or default_anchor(kind, self.years, in_review=in_review)
        if anchor is None or anchor.unknown:
            return
        code = reading.indicator.code
        window = anchor.period
        if reading.endpoint and not reading.own_time and window.multi_year:
            # "“十三五”以来…从441家增长到1000家": the base year before the window, and its end.
            year = window.start_year - 1 if reading.endpoint == "from" else window.end_year
            anchor = Anchor(Period.year(year))
        span = None
        if reading.measure != "level" and code in spans and spans[code] <= anchor.period.end_year:
            span = Period(spans[code], 1, anchor.period.end_year, 12)
        period, measure = reading_period(reading, anchor, kind, span)
        if period is None:
            return
        if reading.measure == "level" and (reading.own_time or reading.endpoint == "from"):
            first = period.start_year + 1
            if reading.times and reading.times[-1].kind == "plan":
                first = period.start_year  # "从“十二五”初…": the plan's first year counts
            spans[code] = min(spans.get(code, first), first)
        start, end = reading.start, reading.end
        self.candidates.append(
            _Candidate(
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


def _dedupe(cands: list[_Candidate]) -> list[_Candidate]:
    """One fact per (kind, indicator, measure, period); a figure restated for a narrower
    window (a five-year review repeating the final year's value) keeps the narrower window."""
    kept: list[_Candidate] = []
    for c in cands:
        same = [
            k
            for k in kept
            if (k.kind, k.indicator.code, k.measure, k.value)
            == (c.kind, c.indicator.code, c.measure, c.value)
            and k.period != c.period
        ]
        if any(k.period.contains(c.period) for k in same):
            kept = [k for k in kept if not (k in same and k.period.contains(c.period))]
        elif any(c.period.contains(k.period) for k in same):
            continue
        kept.append(c)
    seen: set[tuple] = set()
    out = []
    for c in kept:
        key = (c.kind, c.indicator.code, c.measure, c.period)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def extract(
    text: str,
    *,
    published: date | None = None,
    jurisdiction: str | None = None,
    gazetteer: Iterable[str] | None = None,
    catalogue: Catalogue | str | Path | None = None,
) -> Extraction:
    """Extract targets, actuals and attainment claims from report text; never raises on odd text."""
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    view = build_view(text)
    if published is None:
        published = infer_published(shadow(text))
    if jurisdiction is None:
        jurisdiction = infer_jurisdiction(view.text, gazetteer)
    years = infer_years(view.text, published)
    walk = _Walk(view, cat, years, published, jurisdiction)
    facts = []
    for c in _dedupe(walk.run()):
        start, end = view.origin(c.start, c.end)
        facts.append(
            Fact(
                kind=c.kind,
                indicator=c.indicator.code,
                measure=c.measure,
                value=c.value,
                unit="percent" if c.measure != "level" else c.indicator.unit,
                comparator=c.comparator,
                period_start=c.period.start,
                period_end=c.period.end,
                span=(start, end),
                quote=text[start:end],
                confidence=c.confidence,
            )
        )
    claims = []
    for claim in walk.claims:
        start, end = view.origin(*claim.span)
        claims.append(replace(claim, span=(start, end), quote=text[start:end]))
    return Extraction(jurisdiction, published, years.report_year, facts, claims)


__all__ += ["ACTUAL", "TARGET"]
