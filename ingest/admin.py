from django.contrib import admin
from django.utils.html import format_html, format_html_join

from ingest import services
from ingest.models import SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "jurisdiction", "published", "status", "created_at"]
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
