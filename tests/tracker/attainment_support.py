"""Helpers of the attainment tests: documents, facts by period label, evaluated rows."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from indicators.models import Indicator
from ingest.models import IngestStatus, SourceDocument
from tracker.attainment.api.serializers import AttainmentRowSerializer
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_list, evaluations_of, stored_answers
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, Jurisdiction, Measure, ReviewState, Target
from tracker.services import fact_create


def period(label: str) -> tuple[date, date]:
    """'2017' -> Jan..Dec 2017; '2017-01..2017-05' -> those months; '2016..2020' -> years."""
    if ".." in label:
        start, end = label.split("..")
    else:
        start = end = label
    first = date(int(start[:4]), int(start[5:7]) if len(start) > 4 else 1, 1)
    last = date(int(end[:4]), int(end[5:7]) if len(end) > 4 else 12, 1)
    return first, last


def document(published: str | date | None, *, title: str = "", text: str = "") -> SourceDocument:
    """A processed report published on that day (created directly: ingest is not under test)."""
    published = date.fromisoformat(published) if isinstance(published, str) else published
    text = text or f"report {title} {published} {SourceDocument.objects.count()}"
    return SourceDocument.objects.create(
        title=title or f"Report of {published}",
        published=published,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        status=IngestStatus.DONE,
    )


def fact(
    model: type[Target] | type[Actual],
    *,
    jurisdiction: Jurisdiction,
    indicator: str | Indicator,
    value: float | str | Decimal,
    when: str,
    measure: str = Measure.LEVEL,
    comparator: str | None = None,
    doc: SourceDocument | None = None,
    quote: str = "",
    review_state: str = ReviewState.ACCEPTED,
    user=None,
):
    """A target or actual through the service, as a person or an extraction would enter it."""
    if isinstance(indicator, str):
        indicator = Indicator.objects.get(code=indicator)
    start, end = period(when)
    if doc is not None and not quote:
        quote = f"{indicator.code} {value} ({when})"
    span = None
    if doc is not None and quote in doc.text:
        begin = doc.text.index(quote)
        span = (begin, begin + len(quote))
    return fact_create(
        model=model,
        jurisdiction=jurisdiction,
        indicator=indicator,
        value=Decimal(str(value)),
        period_start=start,
        period_end=end,
        measure=measure,
        comparator=comparator,
        source_document=doc,
        span=span,
        quote=quote,
        review_state=review_state,
        user=user,
    )


def evaluate(as_of: str | date, **filters) -> list[dict]:
    """The attainment rows as of a day, read from the stored evaluations.

    As at a day's turn, the stored evaluations are first rebuilt as of that day when they
    hold another; after that, writes keep them current. `filters` are lookups of the
    target. Every row read must also be what a live evaluation of the same day gives.
    """
    as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    rules = rules_get()
    if not stored_answers(as_of=as_of, rules=rules):
        evaluations_rebuild(as_of=as_of, rules=rules)
    lookups = {f"target__{name}": value for name, value in filters.items()}
    stored = list(evaluation_list().filter(**lookups).order_by("target_id"))
    rows = AttainmentRowSerializer(stored, many=True, context={"rules": rules}).data
    live = evaluations_of(ids=[e.target_id for e in stored], as_of=as_of, rules=rules)
    assert AttainmentRowSerializer(live, many=True, context={"rules": rules}).data == rows
    return rows


def row_for(rows: list[dict], target: Target) -> dict:
    """The row of one target."""
    return next(row for row in rows if row["target"]["id"] == target.id)
