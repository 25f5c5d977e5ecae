from django.contrib import admin

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
