"""Reads of source documents."""

from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ingest.models import AttainmentClaim, IngestStatus, SourceDocument
from tracker.models import Actual, Target


def _fact_count(model) -> Coalesce:
    counts = (
        model.objects.filter(source_document=OuterRef("pk"))
        .order_by()
        .values("source_document")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def document_list() -> QuerySet[SourceDocument]:
    """All documents with their jurisdiction and how many targets and actuals each yielded."""
    return SourceDocument.objects.select_related("jurisdiction").annotate(
        target_count=_fact_count(Target), actual_count=_fact_count(Actual)
    )


def document_detail_list() -> QuerySet[SourceDocument]:
    """Documents with their text, the targets and actuals found in them, and their claims."""
    facts = ("indicator",)
    return document_list().prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related(*facts).order_by("span_start")),
        Prefetch("actuals", queryset=Actual.objects.select_related(*facts).order_by("span_start")),
        Prefetch("claims", queryset=AttainmentClaim.objects.select_related("indicator")),
    )


def documents_to_requeue(
    *, stale_before: datetime, failed: bool = False
) -> QuerySet[SourceDocument]:
    """Documents whose extraction task never reached the queue or was lost, oldest first."""
    never_queued = Q(status=IngestStatus.QUEUED, enqueued_at__isnull=True)
    # Queued that long ago, or running untouched that long: the broker or the worker lost it.
    lost = Q(status=IngestStatus.QUEUED, enqueued_at__lt=stale_before) | Q(
        status=IngestStatus.PROCESSING, updated_at__lt=stale_before
    )
    wanted = never_queued | lost
    if failed:
        wanted |= Q(status=IngestStatus.FAILED)
    return SourceDocument.objects.filter(wanted).order_by("pk")
