"""Writes of the ingest pipeline: receive a report, extract its facts, reconcile them."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError

from indicators.models import Indicator
from ingest import extraction, selectors
from ingest.models import AttainmentClaim, IngestStatus, SourceDocument
from ingest.tasks import extract_document
from tracker import selectors as tracker_selectors
from tracker import services as tracker_services
from tracker.attainment.services import (
    evaluations_lock,
    evaluations_refresh,
    fact_series,
    facts_series,
)
from tracker.filters import filter_jurisdiction
from tracker.models import Actual, Comparator, Fact, Jurisdiction, Level, ReviewState, Target
from tracker.rest.input import NOT_A_WHOLE_NUMBER, is_whole_number
from tracker.webhooks.models import Event
from tracker.webhooks.services import subscribed_events, webhook_events_emit

logger = logging.getLogger(__name__)

EMPTY_TEXT = "The report text is empty."
TOO_LARGE = "The report is {size:,} bytes; the limit is {limit:,} bytes."
UNKNOWN_JURISDICTION_ID = "No jurisdiction has id {value}."
UNKNOWN_JURISDICTION_NAME = _(
    "No jurisdiction is named {name!r}; only an admin may create one (give an existing "
    "name, division code or id)."
)
UNKNOWN_JURISDICTION_CLOSE = _(
    "No jurisdiction is named {name!r}; only an admin may create one. Did you mean: {matches}?"
)
QUEUE_UNAVAILABLE = (
    "Stored, but extraction is waiting: the task queue is unavailable ({error}). "
    "It will be queued again automatically once the queue is back."
)
# Stored with the document (in the language of the day), like the other extraction errors.
CATALOGUE_EMPTY = (
    "The indicator catalogue is empty, so none of the facts found could be stored: run "
    "`python manage.py migrate` (it loads the catalogue) or `python manage.py load_catalogue`, "
    "then re-extract."
)
FACT_MODELS: dict[str, type[Fact]] = {"target": Target, "actual": Actual}


def extractor_version() -> str:
    """Version label stored with each extraction, so re-extraction can be traced."""
    return getattr(extraction, "__version__", "1")


@dataclass(frozen=True)
class Submission:
    """The outcome of submitting a report: the document and whether it is new."""

    document: SourceDocument
    created: bool


def document_text_from_upload(*, raw: bytes, filename: str = "", content_type: str = "") -> str:
    """Decode an uploaded report (UTF-8, GB18030, HTML) to text or raise ValidationError."""
    _check_size(len(raw))
    try:
        return extraction.decode_document(raw, filename=filename, content_type=content_type)
    except extraction.NotTextError as exc:
        raise ValidationError(str(exc), code="not_text") from exc


def document_text_from_file(*, upload: UploadedFile) -> str:
    """Decode an uploaded file, refusing it by its size before any of it is read."""
    _check_size(upload.size or 0)
    # Never more than one byte past the limit, even if the file is larger than it said.
    raw = upload.read(settings.INGEST_MAX_UPLOAD_BYTES + 1)
    return document_text_from_upload(
        raw=raw, filename=upload.name or "", content_type=upload.content_type or ""
    )


def _check_size(size: int) -> None:
    limit = settings.INGEST_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(TOO_LARGE.format(size=size, limit=limit), code="too_large")


def jurisdiction_resolve(
    *, value: str | int | None, may_propose: bool = False
) -> Jurisdiction | None:
    """Find a jurisdiction by id, division code or name; an unknown name is proposed only
    when the caller may create jurisdictions (admins), else refused with close matches."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if isinstance(value, int) or (is_whole_number(text) and len(text) < 6):
        found = Jurisdiction.objects.filter(pk=int(text)).first()
        if found is None:
            raise ValidationError({"jurisdiction": [UNKNOWN_JURISDICTION_ID.format(value=text)]})
        return found
    if text.isnumeric() and not is_whole_number(text):  # "²", "٣": a number, not in 0-9
        raise ValidationError({"jurisdiction": [str(NOT_A_WHOLE_NUMBER)]})
    found = filter_jurisdiction(Jurisdiction.objects.all(), "", text).order_by(
        "review_state", "level", "code"
    )
    first = found.first()
    if first is not None:
        return first
    if is_whole_number(text):
        raise ValidationError({"jurisdiction": [f"No jurisdiction has division code {text}."]})
    if not may_propose:
        raise ValidationError({"jurisdiction": [jurisdiction_unknown_message(name=text)]})
    return tracker_services.jurisdiction_propose(name_zh=text)


def jurisdiction_unknown_message(*, name: str) -> str:
    """Why an unknown jurisdiction name is refused, with the names closest to it."""
    matches = tracker_selectors.jurisdiction_close_matches(name=name)
    if not matches:
        return str(UNKNOWN_JURISDICTION_NAME.format(name=name))
    listed = ", ".join(f"{j.name_zh} ({j.code or j.pk})" for j in matches)
    return str(UNKNOWN_JURISDICTION_CLOSE.format(name=name, matches=listed))


def document_submit(
    *,
    text: str,
    title: str = "",
    jurisdiction: Jurisdiction | None = None,
    published: date | None = None,
    filename: str = "",
    content_type: str = "",
    user: AbstractBaseUser | None = None,
) -> Submission:
    """Store a report once (by the SHA-256 of its text) and queue its extraction."""
    text = extraction.strip_controls(text)
    _check_size(len(text.encode("utf-8")))
    if not text.strip():
        raise ValidationError({"text": EMPTY_TEXT}, code="empty")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = SourceDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return Submission(existing, created=False)
    try:
        with transaction.atomic():
            document = SourceDocument.objects.create(
                title=(title or extraction.infer_title(text))[:300],
                jurisdiction=jurisdiction,
                published=published,
                text=text,
                sha256=digest,
                filename=filename[:255],
                content_type=content_type[:100],
                submitted_by=user,
            )
            transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    except IntegrityError:
        # Another request stored the same text a moment ago: that one is the document.
        return Submission(SourceDocument.objects.get(sha256=digest), created=False)
    return Submission(document, created=True)


def document_enqueue(*, document_id: int) -> bool:
    """Hand a document to the extraction task; if the queue is unreachable, say so and wait."""
    try:
        extract_document.delay(document_id)
    except BrokerError as exc:
        # The document is stored and stays queued; `requeue_documents` (also run
        # periodically by beat) hands it over once the broker is back.
        logger.error("could not queue document %s for extraction: %s", document_id, exc)
        SourceDocument.objects.filter(pk=document_id, status=IngestStatus.QUEUED).update(
            enqueued_at=None, error=QUEUE_UNAVAILABLE.format(error=exc)[:2000]
        )
        return False
    SourceDocument.objects.filter(pk=document_id).update(enqueued_at=timezone.now())
    return True


@dataclass(frozen=True)
class Requeued:
    """The outcome of re-queueing: documents handed to the queue, and those still waiting."""

    requeued: int
    waiting: int


def documents_requeue(*, stale_after: timedelta, failed: bool = False) -> Requeued:
    """Queue again documents whose task never reached the queue or was lost (or failed)."""
    cutoff = timezone.now() - stale_after
    eligible = selectors.documents_to_requeue(stale_before=cutoff, failed=failed)
    ids = list(eligible.values_list("pk", flat=True))
    requeued = 0
    for position, document_id in enumerate(ids):
        # Only if still eligible: a document that finished meanwhile is left alone.
        reset = (
            selectors.documents_to_requeue(stale_before=cutoff, failed=failed)
            .filter(pk=document_id)
            .update(status=IngestStatus.QUEUED, error="", updated_at=timezone.now())
        )
        if not reset:
            continue
        if not document_enqueue(document_id=document_id):
            # The broker is still down: the rest would fail the same way, a few seconds each.
            return Requeued(requeued=requeued, waiting=len(ids) - position)
        requeued += 1
    return Requeued(requeued=requeued, waiting=0)


PUBLISHED_FIGURES = "published figures"  # a document's extractor_version: not extracted
NOT_EXTRACTABLE = _(
    "This document holds published figures loaded with their source page, not a report: "
    "there is nothing to extract (change its figures, or load them again with "
    "manage.py load_outcomes)."
)


@transaction.atomic
def document_reextract(
    *, document: SourceDocument, jurisdiction: Jurisdiction | None = None
) -> SourceDocument:
    """Queue a document for extraction again (a newer extractor, or a failed run)."""
    document = SourceDocument.objects.select_for_update().get(pk=document.pk)
    if document.extractor_version == PUBLISHED_FIGURES:
        raise ValidationError(NOT_EXTRACTABLE, code="not_extractable")
    document.status = IngestStatus.QUEUED
    document.error = ""
    document.enqueued_at = None
    document.processing_started_at = document.processed_at = None
    document.facts_found = document.facts_stored = None
    if jurisdiction is not None:
        document.jurisdiction = jurisdiction
    document.save(
        update_fields=[
            "status",
            "error",
            "enqueued_at",
            "jurisdiction",
            "processing_started_at",
            "processed_at",
            "facts_found",
            "facts_stored",
            "updated_at",
        ]
    )
    transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    return document


@transaction.atomic
def document_mark_failed(*, document_id: int, error: str) -> None:
    """Keep a document whose extraction failed, with the error, so it can be retried."""
    SourceDocument.objects.filter(pk=document_id).update(
        status=IngestStatus.FAILED,
        error=error[:2000] or "extraction failed",
        processed_at=timezone.now(),
    )
    document = SourceDocument.objects.filter(pk=document_id).first()
    if document is not None:
        document_events_emit(document=document)


def document_events_emit(*, document: SourceDocument) -> None:
    """Tell subscribers that a document's extraction is done or failed (after commit)."""
    event = {IngestStatus.DONE: Event.DOCUMENT_DONE, IngestStatus.FAILED: Event.DOCUMENT_FAILED}
    wanted = event.get(document.status)
    if wanted is None or wanted not in subscribed_events():
        return
    payload = {
        "document": document.pk,
        "title": document.title,
        "status": document.status,
        "error": document.error,
        "jurisdiction": document.jurisdiction.code if document.jurisdiction else None,
        "published": document.published,
        "report_year": document.report_year,
        "targets": Target.objects.filter(source_document=document).count(),
        "actuals": Actual.objects.filter(source_document=document).count(),
        "claims": AttainmentClaim.objects.filter(document=document).count(),
    }
    webhook_events_emit(event=wanted, payloads=[payload])


def document_extract(*, document_id: int) -> SourceDocument:
    """Run the extractor on a stored document and reconcile its facts; safe to run twice."""
    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document_id)
        document.status = IngestStatus.PROCESSING
        document.attempts += 1
        # A new run: the counts of the last one no longer describe what is happening.
        document.processing_started_at = timezone.now()
        document.processed_at = document.facts_found = document.facts_stored = None
        document.save(
            update_fields=[
                "status",
                "attempts",
                "processing_started_at",
                "processed_at",
                "facts_found",
                "facts_stored",
                "updated_at",
            ]
        )

    result = extraction.extract(
        document.text,
        published=document.published,
        jurisdiction=document.jurisdiction.name_zh if document.jurisdiction else None,
        gazetteer=_gazetteer(),
    )

    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document_id)
        if document.jurisdiction is None and result.jurisdiction:
            # A name from the text: only an existing jurisdiction (the gazetteer's); an
            # unknown one leaves the document failed for an admin to assign.
            try:
                document.jurisdiction = jurisdiction_resolve(value=result.jurisdiction)
            except ValidationError:
                document.jurisdiction = None
        dated = document.published is None and result.published is not None
        document.published = document.published or result.published
        document.report_year = result.report_year
        document.facts_found = len(result.facts)
        if document.jurisdiction is None:
            document.status = IngestStatus.FAILED
            document.error = (
                "No jurisdiction given and none recognised in the text; "
                "set the document's jurisdiction and re-extract."
            )
        elif not Indicator.objects.exists():
            # Facts were found but have no indicator to belong to: say so, store nothing.
            document.status = IngestStatus.FAILED
            document.error = CATALOGUE_EMPTY
        else:
            facts_reconcile(document=document, facts=result.facts)
            claims_replace(document=document, claims=result.claims)
            document.status = IngestStatus.DONE
            document.error = ""
            document.facts_stored = sum(
                model.objects.filter(source_document=document).count()
                for model in FACT_MODELS.values()
            )
        document.extractor_version = extractor_version()
        document.processed_at = timezone.now()
        document.save()
        document_events_emit(document=document)
        if dated:
            # Its facts became known on the day it now says it was published.
            evaluations_refresh(series=document_series(document=document))
    return document


def document_series(*, document: SourceDocument) -> set[tuple[int, int]]:
    """The (jurisdiction, indicator) series of a document's targets and actuals."""
    return facts_series(Target.objects.filter(source_document=document)) | facts_series(
        Actual.objects.filter(source_document=document)
    )


DOCUMENT_EDITABLE_FIELDS = frozenset(
    {"title", "jurisdiction", "published", "report_year", "filename", "content_type", "source_url"}
)


@transaction.atomic
def document_update(*, document: SourceDocument, data: dict) -> SourceDocument:
    """Change a document's title, jurisdiction, publication date or file details."""
    unknown = set(data) - DOCUMENT_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Fields not editable: {', '.join(sorted(unknown))}.")
    stored = SourceDocument.objects.select_for_update().get(pk=document.pk)
    published, jurisdiction_id = stored.published, stored.jurisdiction_id
    claimed_before = claims_series(document=stored)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    touched: set[tuple[int, int]] = set()
    if stored.published != published:
        # Its facts are known from the day it was published: their series are judged anew.
        touched |= document_series(document=stored)
    if stored.published != published or stored.jurisdiction_id != jurisdiction_id:
        # Its claims speak of its jurisdiction's targets, from the day it was published.
        touched |= claimed_before | claims_series(document=stored)
    evaluations_refresh(series=touched)
    return stored


@transaction.atomic
def document_delete(*, document: SourceDocument) -> None:
    """Delete a document no fact refers to (ProtectedError otherwise), and its claims: the
    evaluations that showed them are judged anew."""
    claimed = claims_series(document=document)
    document.delete()
    evaluations_refresh(series=claimed)


@lru_cache(maxsize=1)
def _gazetteer_cached(count: int) -> tuple[str, ...]:
    levels = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY]
    return tuple(Jurisdiction.objects.filter(level__in=levels).values_list("name_zh", flat=True))


def _gazetteer() -> tuple[str, ...]:
    # The count keys the cache, so newly loaded divisions are seen without a restart.
    return _gazetteer_cached(Jurisdiction.objects.count())


def _fact_key(fact: Fact) -> tuple:
    return (fact.indicator.code, fact.measure, fact.period_start, fact.period_end)


def _touched_by_a_person(fact: Fact) -> bool:
    return fact.review_state != ReviewState.PROPOSED or fact.version > 1


# The fields re-extraction writes on a fact it stored before and no person touched.
REEXTRACTED_FIELDS = [
    "value",
    "comparator",
    "span_start",
    "span_end",
    "quote",
    "confidence",
    "jurisdiction",
]


def facts_reconcile(*, document: SourceDocument, facts: list[extraction.Fact]) -> dict[str, int]:
    """Store extracted facts as proposed; never overwrite what a person accepted or edited.

    In bulk: a fixed number of statements per report whatever its number of facts (new and
    re-extracted facts with their history rows, a batch at a time), and each touched series'
    evaluations refreshed once.
    """
    evaluations_lock()  # before the facts a re-extraction no longer finds are deleted
    indicators = {i.code: i for i in Indicator.objects.all()}
    threshold = settings.INGEST_AUTO_ACCEPT_CONFIDENCE
    counts = {"created": 0, "updated": 0, "removed": 0, "kept": 0}
    seen: dict[str, set[tuple]] = {"target": set(), "actual": set()}
    touched: set[tuple[int, int]] = set()
    for model_kind, model in FACT_MODELS.items():
        existing = {
            _fact_key(f): f
            for f in model.objects.filter(source_document=document).select_related("indicator")
        }
        created: list[Fact] = []
        updated: list[Fact] = []
        for fact in (f for f in facts if f.kind == model_kind):
            indicator = indicators.get(fact.indicator)
            if indicator is None:
                continue  # the catalogue lost this indicator: nothing to attach to
            start, end = _month(fact.period_start), _month(fact.period_end)
            key = (indicator.code, fact.measure, start, end)
            if key in seen[model_kind]:
                continue  # one fact per (kind, indicator, measure, period)
            seen[model_kind].add(key)
            confidence = Decimal(str(round(fact.confidence, 3)))
            current = existing.get(key)
            if current is not None and _touched_by_a_person(current):
                counts["kept"] += 1
                continue
            if current is not None:
                touched |= fact_series(current)
                current.value, current.comparator = fact.value, fact.comparator
                current.span_start, current.span_end = fact.span
                current.quote, current.confidence = fact.quote, confidence
                current.jurisdiction = document.jurisdiction
                current._change_reason = "re-extracted"
                updated.append(current)
                continue
            auto = threshold is not None and confidence >= Decimal(str(threshold))
            created.append(
                _extracted_fact(
                    model=model,
                    document=document,
                    indicator=indicator,
                    fact=fact,
                    period=(start, end),
                    confidence=confidence,
                    auto=auto,
                )
            )
        tracker_services.facts_bulk_update(
            model=model, facts=updated, fields=REEXTRACTED_FIELDS, user=None
        )
        tracker_services.facts_bulk_create(model=model, facts=created, user=None)
        touched |= fact_series(*updated, *created)
        counts["created"] += len(created)
        counts["updated"] += len(updated)
        for key, stale in existing.items():
            if key not in seen[model_kind] and not _touched_by_a_person(stale):
                # One by one (a delete records its history row through its signal): rare,
                # only when a re-extraction no longer finds a fact.
                stale._change_reason = "no longer extracted"
                touched |= fact_series(stale)
                stale.delete()
                counts["removed"] += 1
    evaluations_refresh(series=touched)
    return counts


def _extracted_fact(
    *,
    model: type[Fact],
    document: SourceDocument,
    indicator: Indicator,
    fact: extraction.Fact,
    period: tuple[date, date],
    confidence: Decimal,
    auto: bool,
) -> Fact:
    """A new target or actual of a document, as fact_create would build it (not saved)."""
    stored = model(
        jurisdiction=document.jurisdiction,
        indicator=indicator,
        measure=fact.measure,
        value=fact.value,
        comparator=fact.comparator or (Comparator.GTE if model is Target else Comparator.EQ),
        period_start=period[0],
        period_end=period[1],
        review_state=ReviewState.ACCEPTED if auto else ReviewState.PROPOSED,
        source_document=document,
        span_start=fact.span[0],
        span_end=fact.span[1],
        quote=fact.quote,
        confidence=confidence,
    )
    stored._change_reason = "extracted (auto-accepted)" if auto else "extracted"
    return stored


@transaction.atomic
def claims_replace(
    *, document: SourceDocument, claims: list[extraction.Claim]
) -> list[AttainmentClaim]:
    """Store what a report says of its own attainment, replacing an earlier extraction's."""
    codes = {c.indicator for c in claims if c.indicator}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    rows = [
        AttainmentClaim(
            document=document,
            indicator=indicators.get(claim.indicator or ""),
            year=claim.year,
            status=claim.status,
            ratio=claim.ratio,
            quote=claim.quote,
            span_start=claim.span[0],
            span_end=claim.span[1],
        )
        for claim in claims
    ]
    for row in rows:
        row.full_clean(exclude=["document"])
    claimed_before = claims_series(document=document)
    AttainmentClaim.objects.filter(document=document).delete()
    created = AttainmentClaim.objects.bulk_create(rows)
    # Each evaluation shows the claims about its target: those it showed and those it must.
    evaluations_refresh(series=claimed_before | claims_series(document=document))
    return created


def claims_series(*, document: SourceDocument) -> set[tuple[int, int]]:
    """The (jurisdiction, indicator) series a document's claims speak of (every series of
    its jurisdiction with a target, for a claim about the whole report)."""
    if document.jurisdiction_id is None:
        return set()
    claims = AttainmentClaim.objects.filter(document=document)
    if claims.filter(indicator__isnull=True).exists():
        return facts_series(Target.objects.filter(jurisdiction_id=document.jurisdiction_id))
    indicators = claims.values_list("indicator_id", flat=True).distinct()
    return {(document.jurisdiction_id, indicator_id) for indicator_id in indicators}


def _month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


@transaction.atomic
def document_facts_accept(*, document: SourceDocument, user: AbstractBaseUser | None = None) -> int:
    """Accept every proposed fact of a document (bulk loads of trusted reports)."""
    changed = 0
    for model in FACT_MODELS.values():
        ids = model.objects.filter(
            source_document=document, review_state=ReviewState.PROPOSED
        ).values_list("pk", flat=True)
        changed += tracker_services.facts_review(
            model=model,
            ids=ids,
            review_state=ReviewState.ACCEPTED,
            user=user,
            reason="accepted in bulk load",
        )
    return changed


OUTCOME_QUOTE_LACKS_VALUE = "source {url}: the quote {quote!r} does not state the value {value}."
OUTCOME_SOURCE_INCOMPLETE = "A source needs url, title, published, jurisdiction and outcomes."


@dataclass(frozen=True)
class OutcomesLoaded:
    """What loading published outcomes stored: new documents and actuals, and those kept."""

    documents: int
    created: int
    unchanged: int


def _outcome_document_text(source: dict) -> tuple[str, dict[str, tuple[int, int]]]:
    """A source's text (title, URL, table header, each quote on its line) and each quote's span."""
    lines = [str(source["title"]), str(source["url"])]
    if source.get("header"):
        lines.append(str(source["header"]))
    spans: dict[str, tuple[int, int]] = {}
    offset = sum(len(line) + 1 for line in lines)
    for outcome in source["outcomes"]:
        quote = str(outcome["quote"])
        if quote not in spans:
            spans[quote] = (offset, offset + len(quote))
            lines.append(quote)
            offset += len(quote) + 1
    return "\n".join(lines), spans


@transaction.atomic
def outcomes_load(*, sources: list[dict], origin: str) -> OutcomesLoaded:
    """Store published outcomes: each source a document with its URL, each figure an actual.

    A figure is accepted as published (a person chose the page and the quote); its quote must
    state its value as written. Loading the same sources again stores nothing new.
    """
    from tracker.imports import row_read  # the import's reading of values and units

    catalogue = list(Indicator.objects.all())
    documents = created = unchanged = 0
    for source in sources:
        if not all(source.get(key) for key in ("url", "title", "published", "jurisdiction")):
            raise ValidationError(OUTCOME_SOURCE_INCOMPLETE)
        if not source.get("outcomes"):
            raise ValidationError(OUTCOME_SOURCE_INCOMPLETE)
        jurisdiction = jurisdiction_resolve(value=str(source["jurisdiction"]))
        text, spans = _outcome_document_text(source)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        document, new = SourceDocument.objects.get_or_create(
            sha256=digest,
            defaults={
                "title": str(source["title"])[:300],
                "jurisdiction": jurisdiction,
                "published": source["published"],
                "source_url": source["url"],
                "text": text,
                "filename": origin[:255],
                "content_type": "text/plain",
                "status": IngestStatus.DONE,
                "extractor_version": PUBLISHED_FIGURES,
            },
        )
        documents += new
        for outcome in source["outcomes"]:
            quote, value = str(outcome["quote"]), str(outcome["value"])
            if value not in quote:
                raise ValidationError(
                    OUTCOME_QUOTE_LACKS_VALUE.format(url=source["url"], quote=quote, value=value)
                )
            read = row_read(
                {
                    "kind": "actual",
                    "jurisdiction": jurisdiction.code or jurisdiction.name_zh,
                    "indicator": outcome["indicator"],
                    "measure": outcome.get("measure", ""),
                    "value": value,
                    "unit": outcome.get("unit", ""),
                    "comparator": "eq",
                    "period_start": str(outcome["year"]),
                },
                catalogue=catalogue,
            )
            fields = read.fields
            stored = Actual.objects.filter(
                source_document=document,
                jurisdiction=fields["jurisdiction"],
                indicator=fields["indicator"],
                measure=fields["measure"],
                period_start=fields["period_start"],
                period_end=fields["period_end"],
            ).exists()
            if stored:
                unchanged += 1
                continue
            tracker_services.fact_create(
                model=Actual,
                **{k: v for k, v in fields.items() if k not in ("quote", "published")},
                review_state=ReviewState.ACCEPTED,
                source_document=document,
                span=spans[quote],
                quote=quote,
                origin=f"published outcome ({origin})",
                reason="published outcome",
            )
            created += 1
    return OutcomesLoaded(documents=documents, created=created, unchanged=unchanged)
