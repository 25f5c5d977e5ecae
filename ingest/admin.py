from django.contrib import admin

from ingest.models import AttainmentClaim, SourceDocument


class AttainmentClaimInline(admin.TabularInline):
    model = AttainmentClaim
    fields = ["indicator", "year", "status", "ratio", "quote"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    inlines = [AttainmentClaimInline]
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
