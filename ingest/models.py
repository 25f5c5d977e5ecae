"""Source documents: the report texts that targets and actuals are extracted from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IngestStatus(models.TextChoices):
    """Where a document is in the extraction pipeline."""

    QUEUED = "queued", _("queued")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


PROGRESS_STEP = {
    IngestStatus.QUEUED: _("queued: waiting for the extractor (step 1 of 3)"),
    IngestStatus.PROCESSING: _("processing: the extractor is reading the text (step 2 of 3)"),
    IngestStatus.DONE: _("done (step 3 of 3)"),
    IngestStatus.FAILED: _("failed (see the error)"),
}
PROGRESS_DONE = _("done: {found} facts found, {stored} stored (step 3 of 3)")
PROGRESS_FAILED_FOUND = _("failed after finding {found} facts (see the error)")


class SourceDocument(models.Model):
    """A report as it was received; the same text is never stored twice."""

    title = models.CharField(verbose_name=_("title"), max_length=300, blank=True)
    jurisdiction = models.ForeignKey(
        "tracker.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    published = models.DateField(verbose_name=_("published"), null=True, blank=True)
    source_url = models.URLField(
        _("source URL"),
        max_length=500,
        blank=True,
        help_text="Where the report or the published figures were read, when known.",
    )
    report_year = models.PositiveSmallIntegerField(
        verbose_name=_("report year"), null=True, blank=True
    )
    text = models.TextField(verbose_name=_("text"))
    sha256 = models.CharField(verbose_name=_("sha256"), max_length=64, unique=True, editable=False)
    filename = models.CharField(verbose_name=_("filename"), max_length=255, blank=True)
    content_type = models.CharField(verbose_name=_("content type"), max_length=100, blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=IngestStatus.choices,
        default=IngestStatus.QUEUED,
    )
    error = models.TextField(verbose_name=_("error"), blank=True)
    extractor_version = models.CharField(
        verbose_name=_("extractor version"), max_length=40, blank=True
    )
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    enqueued_at = models.DateTimeField(
        verbose_name=_("enqueued at"),
        null=True,
        blank=True,
        help_text="When extraction was last handed to the task queue; empty while it waits "
        "for the queue to be reachable.",
    )
    facts_found = models.PositiveIntegerField(
        verbose_name=_("facts found"),
        null=True,
        blank=True,
        help_text="Targets and actuals the last extraction found in the text; empty until it ran.",
    )
    facts_stored = models.PositiveIntegerField(
        verbose_name=_("facts stored"),
        null=True,
        blank=True,
        help_text="Targets and actuals stored from this document after the last extraction "
        "(a fact already known from elsewhere, or rejected by a person, is not stored again).",
    )
    processing_started_at = models.DateTimeField(
        verbose_name=_("processing started at"),
        null=True,
        blank=True,
        help_text="When the last extraction started.",
    )
    processed_at = models.DateTimeField(
        verbose_name=_("processed at"),
        null=True,
        blank=True,
        help_text="When the last extraction finished (done or failed).",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="document_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IngestStatus.values),
                name="document_status_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="document_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=IngestStatus.FAILED) | ~Q(error=""),
                name="document_failure_has_error",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Document {self.pk}"

    @property
    def progress(self) -> str:
        """Where its extraction is, in words: "done: 14 facts found, 12 stored"."""
        if self.status == IngestStatus.DONE:
            return PROGRESS_DONE.format(found=self.facts_found or 0, stored=self.facts_stored or 0)
        if self.status == IngestStatus.FAILED and self.facts_found is not None:
            return PROGRESS_FAILED_FOUND.format(found=self.facts_found)
        return str(PROGRESS_STEP[self.status])


class ClaimStatus(models.TextChoices):
    """What a report says of its own attainment."""

    EXCEEDED = "exceeded", _("exceeded")
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")


class AttainmentClaim(models.Model):
    """A report's own statement of attainment ("完成年度目标的105%", "各项指标均超额完成")."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="claims", verbose_name=_("document")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: a claim about every target of the report's year.",
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"), null=True, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=ClaimStatus.choices)
    ratio = models.DecimalField(
        verbose_name=_("ratio"),
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="The claimed share of the target in percent (105 for 105 %), when stated.",
    )
    quote = models.TextField(verbose_name=_("quote"))
    span_start = models.PositiveIntegerField(verbose_name=_("span start"))
    span_end = models.PositiveIntegerField(verbose_name=_("span end"))

    class Meta:
        verbose_name = _("attainment claim")
        verbose_name_plural = _("attainment claims")
        ordering = ["document", "span_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(span_end__gte=models.F("span_start")), name="claim_span_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.quote[:40]}"
