from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ingest import services
from ingest.models import SourceDocument

REEXTRACT_QUEUED = _("{count} document(s) queued for extraction again.")
REEXTRACT_SKIPPED = _(
    "{count} document(s) left alone: they hold published figures loaded with their source "
    "URL, not a report to extract."
)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "jurisdiction", "published", "progress", "created_at"]
    actions = ["reextract_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["status"]
    search_fields = [
        "title",
        "jurisdiction__name_zh",
        "jurisdiction__name_en",
        "sha256",
    ]
    list_select_related = ["jurisdiction"]
    readonly_fields = [
        "claims",
        "sha256",
        "status",
        "progress",
        "facts_found",
        "facts_stored",
        "processing_started_at",
        "processed_at",
        "error",
        "extractor_version",
        "attempts",
        "submitted_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["jurisdiction"]

    @admin.display(description="attainment claims")
    def claims(self, obj: SourceDocument) -> str:
        """What the report says of its own attainment, as the extractor found it."""
        rows = [
            (
                claim.indicator.code if claim.indicator else "(whole report)",
                claim.get_status_display(),
                f"{claim.ratio.normalize()}%" if claim.ratio is not None else "",
                claim.quote,
            )
            for claim in obj.claims.select_related("indicator")
        ]
        if not rows:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {} {} — “{}”</li>", rows),
        )

    @admin.action(description=_("Extract selected documents again"), permissions=["change"])
    def reextract_selected(self, request, queryset):
        """Queue each document for the current extractor (after an extractor upgrade, or a
        failure); facts a person changed or reviewed are kept."""
        queued = skipped = 0
        for document in queryset:
            try:
                services.document_reextract(document=document)
            except ValidationError:  # published figures: nothing to extract
                skipped += 1
                continue
            queued += 1
        self.message_user(request, str(REEXTRACT_QUEUED).format(count=queued), messages.SUCCESS)
        if skipped:
            self.message_user(
                request, str(REEXTRACT_SKIPPED).format(count=skipped), messages.WARNING
            )

    def get_readonly_fields(self, request, obj=None):
        # A stored text is what its facts quote and its hash names: it is never edited.
        return [*self.readonly_fields, "text"] if obj is not None else self.readonly_fields

    def delete_model(self, request, obj):
        services.document_delete(document=obj)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # An edited publication date changes when its facts became known: the service
        # judges their series anew.
        editable = services.DOCUMENT_EDITABLE_FIELDS & set(form.changed_data)
        services.document_update(
            document=obj, data={name: form.cleaned_data[name] for name in editable}
        )
