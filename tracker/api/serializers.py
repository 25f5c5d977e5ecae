"""Serializers of jurisdictions, targets and actuals (input and output kept apart)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator
from tracker import selectors
from tracker.models import (
    Actual,
    Comparator,
    Jurisdiction,
    Measure,
    ReviewState,
    Target,
)
from tracker.rest.fields import ExactDecimalField, MonthField
from tracker.rest.input import (
    AsciiDecimalField,
    AsciiIntegerField,
    AsciiPrimaryKeyRelatedField,
    TextField,
    TextModelSerializer,
)


class JurisdictionSerializer(TextModelSerializer):
    """A jurisdiction, read and written."""

    parent_code = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Jurisdiction
        fields = [
            "id",
            "name_zh",
            "name_en",
            "code",
            "level",
            "parent",
            "parent_code",
            "review_state",
        ]


class JurisdictionBriefSerializer(serializers.ModelSerializer):
    """A jurisdiction as nested inside a fact."""

    class Meta:
        model = Jurisdiction
        fields = ["id", "code", "name_zh", "name_en"]


class ProvenanceSerializer(serializers.Serializer):
    """Where a number came from: a document's quote, or the person who entered it."""

    source_document = serializers.IntegerField(source="source_document_id", allow_null=True)
    document_title = serializers.CharField(
        source="source_document.title", allow_null=True, default=None
    )
    document_url = serializers.CharField(
        source="source_document.source_url",
        allow_null=True,
        default=None,
        help_text="Where the source was read, when known (published figures carry it).",
    )
    span = serializers.SerializerMethodField()
    quote = serializers.CharField()
    # A plain Serializer has no model to derive a SlugRelatedField's type from (a schema
    # warning); the username through the source path is the same value, typed.
    entered_by = serializers.CharField(
        source="entered_by.username", read_only=True, allow_null=True, default=None
    )
    origin = serializers.CharField(
        help_text="Where a fact not extracted from a document came from, e.g. "
        "'imported from plan.xlsx, row 3, by admin'."
    )
    published = serializers.DateField(
        allow_null=True,
        help_text="When a fact without a source document was published (it counts from then).",
    )

    def get_span(self, fact) -> list[int] | None:
        if fact.span_start is None:
            return None
        return [fact.span_start, fact.span_end]


class CorrectionChangeSerializer(serializers.Serializer):
    """One change of a fact's figure: from what to what, when, by whom and why."""

    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The user, or the origin of a change without one.")
    reason = serializers.CharField()
    version = serializers.IntegerField()
    fields = serializers.ListField(child=serializers.CharField())
    old_value = serializers.CharField(help_text="Exact decimal in the base unit.")
    new_value = serializers.CharField(help_text="Exact decimal in the base unit.")
    old_display = serializers.CharField(help_text="As reports write it, e.g. 8.2亿元.")
    new_display = serializers.CharField(help_text="As reports write it, e.g. 8.3亿元.")


class CorrectionSerializer(serializers.Serializer):
    """A fact's figure changed since it was first recorded from its source."""

    original_value = serializers.CharField(help_text="The figure first recorded (base unit).")
    original_display = serializers.CharField()
    original_quote = serializers.CharField(help_text="The quote the first figure came with.")
    current_value = serializers.CharField()
    current_display = serializers.CharField()
    changes = CorrectionChangeSerializer(many=True)


class FactSerializer(serializers.ModelSerializer):
    """A target or an actual as the API shows it."""

    jurisdiction = JurisdictionBriefSerializer()
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name_en")
    value = ExactDecimalField()
    period_start = MonthField()
    period_end = MonthField()
    provenance = ProvenanceSerializer(source="*")
    confidence = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    correction = serializers.SerializerMethodField(
        help_text="On a single fact (not in lists): how its figure differs from the one first "
        "recorded from its source, with each change's reason and author; null if unchanged."
    )

    class Meta:
        fields = [
            "id",
            "jurisdiction",
            "indicator",
            "indicator_name",
            "measure",
            "value",
            "unit",
            "comparator",
            "period_start",
            "period_end",
            "provenance",
            "correction",
            "confidence",
            "review_state",
            "reviewed_by",
            "reviewed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CorrectionSerializer(allow_null=True))
    def get_correction(self, fact) -> dict | None:
        # Lists leave it out: it reads the fact's history, a query per fact.
        if not self.context.get("with_correction"):
            return None
        correction = selectors.fact_correction(fact=fact)
        return CorrectionSerializer(correction).data if correction else None


class TargetSerializer(FactSerializer):
    """A target as the API shows it."""

    class Meta(FactSerializer.Meta):
        model = Target


class ActualSerializer(FactSerializer):
    """An actual as the API shows it."""

    class Meta(FactSerializer.Meta):
        model = Actual


class FactInputSerializer(serializers.Serializer):
    """What a client sends to create or change a target or an actual."""

    jurisdiction = AsciiPrimaryKeyRelatedField(queryset=Jurisdiction.objects.all())
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    measure = serializers.ChoiceField(choices=Measure.choices, default=Measure.LEVEL)
    value = AsciiDecimalField(max_digits=24, decimal_places=6)
    comparator = serializers.ChoiceField(choices=Comparator.choices, required=False)
    period_start = MonthField()
    period_end = MonthField()
    quote = TextField(required=False, allow_blank=True, default="")
    published = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="When the figure was published (YYYY-MM-DD); it counts from then. "
        "Default: the day it is entered.",
    )
    review_state = serializers.ChoiceField(
        choices=ReviewState.choices, default=ReviewState.ACCEPTED
    )
    change_reason = TextField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Why the change was made; required when changing an accepted fact.",
    )
    version = AsciiIntegerField(
        required=False,
        write_only=True,
        min_value=1,
        help_text="The version you read; a stale one is refused with 409.",
    )

    def validate(self, attrs):
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"period_end": "The period must not end before it starts."}
            )
        return attrs


class TargetInputSerializer(FactInputSerializer):
    """What a client sends to create or change a target."""


class ActualInputSerializer(FactInputSerializer):
    """What a client sends to create or change an actual."""


class FieldChangeSerializer(serializers.Serializer):
    """One field's old and new value in a change."""

    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class FactChangeSerializer(serializers.Serializer):
    """One recorded change of a target or an actual."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    by = serializers.CharField(
        help_text="The user, or for a change without one its origin: an import, the extractor."
    )
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField()
    version = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


BAD_CREDENTIALS = _("Unable to log in with this username and password.")


class CredentialsSerializer(serializers.Serializer):
    """A username and password to exchange for an API token."""

    username = TextField(max_length=150)
    password = TextField(max_length=4096, write_only=True, trim_whitespace=False)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:  # also for inactive users
            raise serializers.ValidationError(BAD_CREDENTIALS, code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    """An API token: send it as `Authorization: Token <token>`."""

    token = serializers.CharField(source="key")
