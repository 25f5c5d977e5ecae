"""Fact extraction from Chinese municipal S&T bureau reports (Django-free).

Text in, facts out: see docs/extraction.md for the fact contract and the rules.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Indicator, load_catalogue
from .document import infer_jurisdiction, infer_published, infer_years
from .rules import Candidate, sentence_candidates
from .structure import ACTUAL, TARGET, iter_sentences
from .text import NotTextError, decode_document, shadow, strip_controls

__version__ = "1.0"

__all__ = [
    "Catalogue",
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

_PLAN_TITLE_RE = re.compile(r"工作要点|工作计划|工作思路|工作安排|工作打算|行动计划要点")


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

    def as_dict(self) -> dict[str, Any]:
        """{"document": {...}, "facts": [...]}, the extraction contract's JSON shape."""
        return {
            "document": {
                "jurisdiction": self.jurisdiction,
                "published": self.published.isoformat() if self.published else None,
                "report_year": self.report_year,
            },
            "facts": [f.as_dict() for f in self.facts],
        }


def _default_kind(sh: str) -> str:
    head = [line for line in sh.splitlines() if line.strip()][:5]
    return TARGET if any(_PLAN_TITLE_RE.search(line) for line in head) else ACTUAL


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One fact per (kind, indicator, measure, period); a figure restated for a narrower
    window (a five-year review repeating the final year's value) keeps the narrower window."""
    kept: list[Candidate] = []
    for c in cands:
        wider = [
            k
            for k in kept
            if (k.kind, k.code, k.measure, k.value) == (c.kind, c.code, c.measure, c.value)
            and k.period != c.period
        ]
        if any(k.period.contains(c.period) for k in wider):
            kept = [k for k in kept if not (k in wider and k.period.contains(c.period))]
        elif any(c.period.contains(k.period) for k in wider):
            continue
        kept.append(c)
    seen: set[tuple] = set()
    out = []
    for c in kept:
        key = (c.kind, c.code, c.measure, c.period)
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
    """Extract targets and actuals from report text; never raises on odd text."""
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    sh = shadow(text)
    if published is None:
        published = infer_published(sh)
    if jurisdiction is None:
        jurisdiction = infer_jurisdiction(sh, gazetteer)
    years = infer_years(sh, published)
    cands: list[Candidate] = []
    for sent in iter_sentences(sh, years, default_kind=_default_kind(sh)):
        try:
            cands.extend(sentence_candidates(sh, sent, cat, years))
        except Exception:  # one odd sentence must not cost the whole document
            logger.exception("extraction failed on sentence at %d", sent.start)
    facts = [
        Fact(
            kind=c.kind,
            indicator=c.code,
            measure=c.measure,
            value=c.value,
            unit=c.unit,
            comparator=c.comparator,
            period_start=c.period.start,
            period_end=c.period.end,
            span=(c.start, c.end),
            quote=text[c.start : c.end],
            confidence=c.confidence,
        )
        for c in _dedupe(cands)
    ]
    return Extraction(jurisdiction, published, years.report_year, facts)
