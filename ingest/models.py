"""Source documents: the report texts that targets and actuals are extracted from."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class IngestStatus(models.TextChoices):
    """Where a document is in the extraction pipeline."""

    QUEUED = "queued", "queued"
    PROCESSING = "processing", "processing"
    DONE = "done", "done"
    FAILED = "failed", "failed"


class SourceDocument(models.Model):
    """A report as it was received; the same text is never stored twice."""

    title = models.CharField(max_length=300, blank=True)
    jurisdiction = models.ForeignKey(
        "tracker.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    published = models.DateField(null=True, blank=True)
    report_year = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=12, choices=IngestStatus.choices, default=IngestStatus.QUEUED
    )
    error = models.TextField(blank=True)
    extractor_version = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When extraction was last handed to the task queue; empty while it waits "
        "for the queue to be reachable.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
