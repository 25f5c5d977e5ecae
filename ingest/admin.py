from django.contrib import admin

from ingest import services
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

    def get_readonly_fields(self, request, obj=None):
        # A stored text is what its facts quote and its hash names: it is never edited.
        return [*self.readonly_fields, "text"] if obj is not None else self.readonly_fields

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
