"""Serializers of source documents: the submission and what the tracker shows back."""

from __future__ import annotations

from rest_framework import serializers

from ingest.models import AttainmentClaim, ClaimStatus, IngestStatus, SourceDocument
from tracker.api.serializers import JurisdictionBriefSerializer
from tracker.models import Actual, Target
from tracker.rest.fields import ExactDecimalField, MonthField
from tracker.rest.input import TextField

ALLOWED_UPLOAD_TYPES = (
    "text/plain",
    "text/html",
    "application/xhtml+xml",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    # Refused when read, with the advice to save as .docx or PDF.
    "application/msword",
)
ALLOWED_UPLOAD_SUFFIXES = (".txt", ".text", ".html", ".htm", ".pdf", ".docx", ".doc")
UNSUPPORTED_UPLOAD = (
    "Unsupported file type {name!r} ({content_type}); send a .txt, .html, .pdf or .docx file."
)
TEXT_OR_FILE = "Send either the report text in `text` or a file in `file`."


class DocumentSubmitSerializer(serializers.Serializer):
    """A report to ingest: its text (JSON) or a .txt, .html, .pdf or .docx file (multipart)."""

    text = TextField(
        required=False,
        trim_whitespace=False,
        allow_blank=True,
        help_text="The report's text (JSON); send either `text` or `file`.",
    )
    file = serializers.FileField(
        required=False,
        write_only=True,
        help_text="The report as a .txt, .html, .pdf or .docx file (multipart/form-data); "
        "send either `text` or `file`.",
    )
    title = TextField(required=False, allow_blank=True, max_length=300, default="")
    jurisdiction = TextField(
        required=False,
        allow_blank=True,
        help_text="Id, division code or Chinese name; inferred from the text when absent.",
    )
    published = serializers.DateField(required=False, allow_null=True)

    def validate_file(self, upload):
        name = (upload.name or "").lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in ALLOWED_UPLOAD_TYPES and not name.endswith(ALLOWED_UPLOAD_SUFFIXES):
            raise serializers.ValidationError(
                UNSUPPORTED_UPLOAD.format(name=upload.name, content_type=content_type or "?")
            )
        return upload

    def validate(self, attrs):
        if ("text" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(TEXT_OR_FILE)
        return attrs


class DocumentReextractSerializer(serializers.Serializer):
    """Options of a re-extraction: optionally set the document's jurisdiction first."""

    jurisdiction = TextField(
        required=False,
        allow_blank=True,
        help_text="Id, division code or Chinese name of the jurisdiction the report is about.",
    )


class DocumentFactSerializer(serializers.Serializer):
    """A fact found in a document, with its place in the text."""

    id = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    measure = serializers.CharField()
    value = ExactDecimalField()
    unit = serializers.CharField()
    comparator = serializers.CharField()
    period_start = MonthField()
    period_end = MonthField()
    span = serializers.SerializerMethodField()
    quote = serializers.CharField()
    confidence = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    review_state = serializers.CharField()

    def get_span(self, fact: Target | Actual) -> list[int] | None:
        return None if fact.span_start is None else [fact.span_start, fact.span_end]


class DocumentClaimSerializer(serializers.Serializer):
    """What the report says of its own attainment, with its place in the text."""

    indicator = serializers.CharField(
        source="indicator.code",
        allow_null=True,
        default=None,
        help_text="The indicator the claim names; null for a claim about the whole report.",
    )
    year = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    ratio = ExactDecimalField(
        allow_null=True, help_text="The claimed share of the target in percent, when stated."
    )
    span = serializers.SerializerMethodField()
    quote = serializers.CharField()

    def get_span(self, claim: AttainmentClaim) -> list[int]:
        return [claim.span_start, claim.span_end]


STEP_NUMBER = {
    IngestStatus.QUEUED: 1,
    IngestStatus.PROCESSING: 2,
    IngestStatus.DONE: 3,
    IngestStatus.FAILED: 3,
}


class DocumentProgressSerializer(serializers.Serializer):
    """Where a document's extraction is: queued, processing, then done or failed, with counts."""

    step = serializers.ChoiceField(source="status", choices=IngestStatus.choices)
    step_number = serializers.SerializerMethodField(help_text="1 queued, 2 processing, 3 finished.")
    steps = serializers.SerializerMethodField()
    facts_found = serializers.IntegerField(
        allow_null=True, help_text="Targets and actuals the extractor found; null until it ran."
    )
    facts_stored = serializers.IntegerField(
        allow_null=True, help_text="Targets and actuals stored from the document; null until done."
    )
    started_at = serializers.DateTimeField(source="processing_started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="processed_at", allow_null=True)
    message = serializers.CharField(source="progress", help_text="The progress in words.")

    def get_step_number(self, document: SourceDocument) -> int:
        return STEP_NUMBER[document.status]

    def get_steps(self, document: SourceDocument) -> int:
        return 3


class DocumentSerializer(serializers.ModelSerializer):
    """A source document without its text."""

    jurisdiction = JurisdictionBriefSerializer(allow_null=True)
    progress = DocumentProgressSerializer(source="*", read_only=True)
    target_count = serializers.IntegerField()
    actual_count = serializers.IntegerField()

    class Meta:
        model = SourceDocument
        fields = [
            "id",
            "url",
            "title",
            "jurisdiction",
            "published",
            "report_year",
            "sha256",
            "filename",
            "content_type",
            "status",
            "progress",
            "error",
            "extractor_version",
            "attempts",
            "enqueued_at",
            "target_count",
            "actual_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"url": {"view_name": "document-detail"}}


class DocumentDetailSerializer(DocumentSerializer):
    """A source document with its text and the targets and actuals found in it."""

    targets = DocumentFactSerializer(many=True)
    actuals = DocumentFactSerializer(many=True)
    claims = DocumentClaimSerializer(many=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "targets", "actuals", "claims", "text"]
        read_only_fields = fields
