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
from .claims import Claim
from .decide import ACTUAL, TARGET
from .document import (
    infer_jurisdiction,
    infer_published,
    infer_title,
    infer_years,
    is_page_furniture,
)
from .layout import build_view
from .tables import table_candidates
from .text import NotTextError, decode_document, shadow, strip_controls
from .walk import Walk, dedupe

logger = logging.getLogger(__name__)

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
    "infer_title",
    "is_page_furniture",
    "load_catalogue",
    "strip_controls",
]


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
    walk = Walk(view, cat, years, published, jurisdiction)
    candidates = walk.run()
    try:
        tabled = table_candidates(view, text, cat, years, published)
    except Exception:  # an odd table must not cost the rest of the document
        logger.exception("reading the tables failed")
        tabled = []
    if tabled:
        candidates = sorted([*candidates, *tabled], key=lambda c: c.start)
    facts = []
    for c in dedupe(candidates):
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
