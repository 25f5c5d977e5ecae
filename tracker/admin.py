"""Admin for jurisdictions, targets and actuals: entry, review and history."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import imports, services
from tracker.display import DASH, format_quantity
from tracker.models import Actual, Fact, Jurisdiction, ReviewState, Target, figure_text
from tracker.numbers import plain_decimal
from tracker.selectors import (
    PERIOD_KINDS,
    facts_of_period_kind,
    history_author,
    review_queue,
)
from tracker.services import REASON_REQUIRED

QUOTE_CHARS = 40  # a change list's quote column: the rest is on the fact's page
ACCEPTED_ONE = _("{kind} {id} accepted: {figure}.")
REJECTED_ONE = _("{kind} {id} rejected.")

FACT_FIELDS = [
    "jurisdiction",
    "indicator",
    "measure",
    "value",
    "comparator",
    "period_start",
    "period_end",
    "review_state",
]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "code", "level", "parent", "review_state"]
    list_filter = ["level", "review_state"]
    search_fields = ["name_zh", "name_en", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    ordering = ["code"]

    def save_model(self, request, obj, form, change):
        # The form has set the fields on obj; the service validates and saves.
        if change:
            services.jurisdiction_update(jurisdiction=obj, data={})
            return
        fields = ("name_zh", "name_en", "code", "level", "parent", "review_state")
        created = services.jurisdiction_create(**{f: getattr(obj, f) for f in fields})
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.jurisdiction_delete(jurisdiction=obj)

    def delete_queryset(self, request, queryset):
        for jurisdiction in queryset:
            services.jurisdiction_delete(jurisdiction=jurisdiction)


class FactForm(forms.ModelForm):
    """Entry form of a target or an actual; an accepted fact changes only with a reason."""

    period_start = forms.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="First month of the period, YYYY-MM (e.g. 2017-01).",
    )
    period_end = forms.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="Last month of the period, YYYY-MM (e.g. 2017-12).",
    )
    change_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you change this fact; required when it is already accepted.",
    )

    class Meta:
        fields = FACT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period_start", "period_end"):
            value = self.initial.get(name)
            if value:
                self.initial[name] = f"{value:%Y-%m}"

    def clean(self):
        cleaned = super().clean()
        instance: Fact = self.instance
        if (
            instance.pk
            and self.has_changed()
            and set(self.changed_data) - {"change_reason"}
            and type(instance)
            .objects.filter(pk=instance.pk, review_state=ReviewState.ACCEPTED)
            .exists()
            and not (cleaned.get("change_reason") or "").strip()
        ):
            self.add_error(
                "change_reason",
                REASON_REQUIRED.format(kind=instance._meta.verbose_name),
            )
        return cleaned


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("period_end", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            year = int(self.value())
            return queryset.filter(period_start__year__lte=year, period_end__year__gte=year)
        return queryset


class PeriodKindFilter(admin.SimpleListFilter):
    title = "kind of period"
    parameter_name = "period_kind"

    def lookups(self, request, model_admin):
        return PERIOD_KINDS

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return facts_of_period_kind(queryset, kind=self.value())


class UsedJurisdictionFilter(admin.SimpleListFilter):
    """Only the jurisdictions that have facts of this kind (there are thousands in all)."""

    title = "jurisdiction"
    parameter_name = "jurisdiction"

    def lookups(self, request, model_admin):
        used = Jurisdiction.objects.filter(
            pk__in=model_admin.model.objects.values("jurisdiction_id")
        ).order_by("code")
        return [(str(j.pk), str(j)) for j in used]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(jurisdiction_id=self.value())
        return queryset


class FactHistoryHelper(HistoricalRecordContextHelper):
    """A history's changes as the rest of the admin shows them: values as reports write
    them, times in the site's zone, and no "Deleted user (pk=None)" for an empty reference."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if getattr(value, "pk", "") is None:  # simple-history's stand-in for an empty reference
            return DASH
        if value is None:
            return DASH
        if change.field == "value" and isinstance(value, Decimal):
            return format_quantity(value, self.record.unit)
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
        return value


class FactAdmin(SimpleHistoryAdmin):
    form = FactForm
    # Few and narrow columns: the figure as reports write it, the quote cut short.
    list_display = [
        "id",
        "jurisdiction_name",
        "indicator_code",
        "figure",
        "measure",
        "period",
        "review_state",
        "source_quote",
    ]
    list_filter = [
        UsedJurisdictionFilter,
        "indicator",
        YearFilter,
        PeriodKindFilter,
        "measure",
        "review_state",
    ]
    search_fields = [
        "jurisdiction__name_zh",
        "jurisdiction__name_en",
        "jurisdiction__code",
        "indicator__code",
        "indicator__name_zh",
        "indicator__name_en",
        "quote",
    ]
    list_select_related = ["jurisdiction", "indicator", "source_document"]
    autocomplete_fields = ["jurisdiction", "indicator"]
    readonly_fields = [
        "unit",
        "provenance",
        "confidence",
        "entered_by",
        "reviewed_by",
        "reviewed_at",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": [*FACT_FIELDS[:4], "unit", *FACT_FIELDS[4:]]}),
        ("Change", {"fields": ["change_reason"]}),
        ("Provenance", {"fields": ["provenance", "confidence", "entered_by"]}),
        (
            "Review",
            {
                "fields": [
                    "reviewed_by",
                    "reviewed_at",
                    "version",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = ["accept_selected", "reject_selected"]
    history_list_display = ["review_state", "figure", "changed_fields"]

    @admin.display(description=_("jurisdiction"), ordering="jurisdiction__code")
    def jurisdiction_name(self, obj: Fact) -> str:
        return obj.jurisdiction.name_zh

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: Fact) -> str:
        return format_html('<span title="{}">{}</span>', obj.indicator.name_zh, obj.indicator.code)

    @admin.display(description=_("figure"), ordering="value")
    def figure(self, obj: Fact) -> str:
        # obj may be a history row, which has the fields but not the model's properties.
        text = figure_text(value=obj.value, unit=obj.unit, comparator=obj.comparator)
        stored = plain_decimal(obj.value)  # the exact stored value, on hover
        return format_html('<span title="{} {}">{}</span>', stored, obj.unit, text)

    @admin.display(description=_("period"))
    def period(self, obj: Fact) -> str:
        return obj.period_label

    @admin.display(description=_("source quote"))
    def source_quote(self, obj: Fact) -> str:
        if obj.source_document_id:
            short = Truncator(obj.quote).chars(QUOTE_CHARS)
            return format_html(
                '<span title="{}">“{}”</span> <small>(doc {})</small>',
                obj.quote,
                short,
                obj.source_document_id,
            )
        if obj.origin:
            return Truncator(obj.origin).chars(QUOTE_CHARS)
        return f"entered by {obj.entered_by}" if obj.entered_by_id else "entered by hand"

    def get_historical_record_context_helper(self, request, historical_record):
        return FactHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            # Who made it, for rows without a user: the extractor, an import, the system.
            record.author = history_author(record)

    @admin.display(description="provenance")
    def provenance(self, obj: Fact) -> str:
        if obj.source_document_id:
            document = obj.source_document
            source = ""
            if document.source_url:  # published figures: the page they were read on
                source = format_html(
                    '<br><small><a href="{}" rel="noopener noreferrer">{}</a></small>',
                    document.source_url,
                    document.source_url,
                )
            return format_html(
                "“{}”<br><small>{} — characters {}–{}</small>{}",
                obj.quote,
                document,
                obj.span_start,
                obj.span_end,
                source,
            )
        if obj.origin:
            return obj.origin
        return f"entered by {obj.entered_by}" if obj.entered_by_id else "entered by hand"

    @admin.display(description="changed fields")
    def changed_fields(self, record) -> str:
        previous = record.prev_record
        if previous is None:
            return "created"
        return ", ".join(c.field for c in record.diff_against(previous).changes) or "—"

    def save_model(self, request, obj: Fact, form, change):
        data = {name: form.cleaned_data[name] for name in FACT_FIELDS if name in form.cleaned_data}
        reason = form.cleaned_data.get("change_reason", "")
        if change:
            original = type(obj).objects.get(pk=obj.pk)
            saved = services.fact_update(fact=original, user=request.user, data=data, reason=reason)
        else:
            saved = services.fact_create(model=type(obj), user=request.user, reason=reason, **data)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj: Fact):
        services.fact_delete(fact=obj, user=request.user, reason="deleted in admin")

    def delete_queryset(self, request, queryset: QuerySet):
        # "Delete selected": through the service, as one fact's deletion goes (history
        # reason, stored evaluations refreshed), not by the queryset's own delete.
        services.facts_delete(
            model=self.model, facts=queryset, user=request.user, reason="deleted in admin"
        )

    def _review(self, request, queryset: QuerySet, state: str) -> None:
        try:
            changed = services.facts_review(
                model=self.model,
                ids=queryset.values_list("pk", flat=True),
                review_state=state,
                user=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"{changed} {self.model._meta.verbose_name_plural} {state}.")

    @admin.action(description="Accept selected facts", permissions=["change"])
    def accept_selected(self, request, queryset):
        self._review(request, queryset, ReviewState.ACCEPTED)

    @admin.action(description="Reject selected facts", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._review(request, queryset, ReviewState.REJECTED)

    # --- The review queue: proposed facts, each quote beside its value, one click each ----

    def get_urls(self):
        view = self.admin_site.admin_view(self.review_view)
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_review"
        return [path("review/", view, name=name), *super().get_urls()]

    def review_view(self, request):
        """Proposed facts, oldest first, with the quote in its context; accept or reject one."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        kind = capfirst(opts.verbose_name)
        if request.method == "POST":
            fact = self.model.objects.filter(pk=request.POST.get("fact")).first()
            decision = request.POST.get("decision")
            if fact is not None and decision in (ReviewState.ACCEPTED, ReviewState.REJECTED):
                try:
                    services.facts_review(
                        model=self.model,
                        ids=[fact.pk],
                        review_state=decision,
                        user=request.user,
                        reason=f"{decision} in the review queue",
                    )
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                else:
                    message = ACCEPTED_ONE if decision == ReviewState.ACCEPTED else REJECTED_ONE
                    text = str(message).format(kind=kind, id=fact.pk, figure=fact.figure)
                    self.message_user(request, text, messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue: proposed %(kind)s")
            % {"kind": self.model._meta.verbose_name_plural},
            "opts": opts,
            "items": review_queue(model=self.model),
            "kind": kind,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return TemplateResponse(request, "admin/tracker/review_queue.html", context)


class ImportFactsForm(forms.Form):
    """A spreadsheet of targets and actuals to check, or to import."""

    file = forms.FileField(help_text="A .csv (UTF-8 or GBK) or .xlsx file.")
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Dry run",
        help_text="Check every row and show what would be stored, storing nothing.",
    )


class FactImportAdmin:
    """The import page of the fact admins: upload, preview (a dry run), then import."""

    change_list_template = "admin/tracker/fact_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import"
        return [path("import/", view, name=name), *super().get_urls()]

    def import_view(self, request):
        """Upload a file: a dry run shows each row's outcome; confirming imports it."""
        if not (
            request.user.has_perm("tracker.add_target")
            and request.user.has_perm("tracker.add_actual")
        ):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Import targets and actuals"}
        form = ImportFactsForm()
        content, filename, dry_run = None, "", True
        if request.method == "POST" and "confirm" in request.POST:
            filename = request.POST.get("filename", "")
            try:
                content = base64.b64decode(request.POST.get("content", ""), validate=True)
            except (binascii.Error, ValueError):
                context["errors"] = ["The confirmed file was damaged; upload it again."]
            dry_run = False
        elif request.method == "POST":
            form = ImportFactsForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content, filename = upload.read(), upload.name
                dry_run = form.cleaned_data["dry_run"]
        if content is not None:
            try:
                rows = imports.file_rows(content=content, filename=filename)
                report = imports.facts_import(
                    rows=rows, filename=filename, user=request.user, dry_run=dry_run
                )
            except imports.ImportFailed as exc:
                context["errors"] = exc.messages
            else:
                context["report"] = report
                context["content"] = base64.b64encode(content).decode() if dry_run else ""
                if not dry_run:
                    self.message_user(
                        request,
                        f"{filename}: {report.created} new, {report.updated} updated, "
                        f"{report.unchanged} unchanged.",
                        messages.SUCCESS,
                    )
        context["form"] = form
        return TemplateResponse(request, "admin/tracker/import_facts.html", context)


@admin.register(Target)
class TargetAdmin(FactImportAdmin, FactAdmin):
    pass


@admin.register(Actual)
class ActualAdmin(FactImportAdmin, FactAdmin):
    pass
