"""Reads of jurisdictions, targets and actuals, with related rows fetched once."""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal

from django.db.models import F, Func, IntegerField, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from tracker.display import format_quantity
from tracker.models import Actual, Fact, Jurisdiction, ReviewState, Target
from tracker.numbers import plain_decimal

# Who made a change recorded without a user: the pipeline or a load, never "Deleted user".
BY_EXTRACTOR = _("extractor")
BY_SYSTEM = _("system")
# A change of any of these is a correction of the figure a source gave.
FIGURE_FIELDS = ("value", "comparator", "measure", "period_start", "period_end")


class MonthNumber(Func):
    """year * 12 + month of a date, as an integer (months since year 0)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12"
            " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER))",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django's ExtractYear/ExtractMonth call a Python function per row on SQLite, and
        # the fact lists compute every row's period length. SQLite keeps a date as
        # YYYY-MM-DD text, so its year and month are plain substrings.
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12"
            " + CAST(substr(%(expressions)s, 6, 2) AS INTEGER))",
            **extra_context,
        )


def months_between(start: str, end: str):
    """Whole months from one month-start date to another (0 when equal)."""
    return MonthNumber(end) - MonthNumber(start)


def period_months_expression():
    """Length of a fact's period in months, computed by the database."""
    return months_between("period_start", "period_end") + Value(1)


PERIOD_KINDS = [
    ("year", "one calendar year"),
    ("year_to_date", "part of a year"),
    ("multi_year", "several years"),
]


def facts_of_period_kind(queryset: QuerySet, *, kind: str) -> QuerySet:
    """Facts covering one calendar year, part of a year, or several years."""
    stored = any(f.name == "period_months" for f in queryset.model._meta.get_fields())
    if not stored and "period_months" not in queryset.query.annotations:
        queryset = queryset.annotate(period_months=period_months_expression())
    if kind == "year":
        return queryset.filter(period_months=12, period_start__month=1)
    if kind == "year_to_date":
        return queryset.filter(period_months__lt=12)
    return queryset.filter(period_months__gt=12)


# What a fact's answer shows of its relations; their other columns (a document's text, a
# user's password hash) are neither read nor made into attributes.
FACT_RELATED_SHOWN = (
    "jurisdiction__code",
    "jurisdiction__name_zh",
    "jurisdiction__name_en",
    "source_document__title",
    "source_document__source_url",
    "entered_by__username",
    "reviewed_by__username",
)


def fact_list(*, model: type[Fact]) -> QuerySet:
    """All facts of a kind with their jurisdiction, indicator, source and reviewers, as the
    API shows them."""
    own = [field.name for field in model._meta.concrete_fields]
    return model.objects.select_related(
        "jurisdiction", "indicator", "source_document", "entered_by", "reviewed_by"
    ).only(*own, *FACT_RELATED_SHOWN)


def target_list() -> QuerySet[Target]:
    """All targets with their jurisdiction, indicator, source and reviewers."""
    return fact_list(model=Target)


def actual_list() -> QuerySet[Actual]:
    """All actuals with their jurisdiction, indicator, source and reviewers."""
    return fact_list(model=Actual)


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    """All jurisdictions with their parent."""
    return Jurisdiction.objects.select_related("parent").annotate(parent_code=F("parent__code"))


def jurisdiction_close_matches(*, name: str, limit: int = 5) -> list[Jurisdiction]:
    """The jurisdictions whose Chinese or English name is closest to a name (best first)."""
    rows = list(Jurisdiction.objects.only("pk", "name_zh", "name_en", "code"))
    by_name: dict[str, Jurisdiction] = {}
    for jurisdiction in rows:
        by_name.setdefault(jurisdiction.name_zh, jurisdiction)
        if jurisdiction.name_en:
            by_name.setdefault(jurisdiction.name_en.lower(), jurisdiction)
    wanted = name.strip()
    close = difflib.get_close_matches(wanted, by_name, n=limit * 2, cutoff=0.5)
    close += difflib.get_close_matches(wanted.lower(), by_name, n=limit * 2, cutoff=0.6)
    found: list[Jurisdiction] = []
    for key in close:
        if by_name[key] not in found:
            found.append(by_name[key])
    return found[:limit]


def _plain(value: object) -> object:
    """History values as JSON-safe text: exact decimals, months as YYYY-MM."""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return value


def fact_history(*, fact: Fact) -> list[dict]:
    """Every recorded change of a fact, newest first, with old and new values per field."""
    records = list(fact.history.select_related("history_user").order_by("history_date", "pk"))
    changes: list[dict] = []
    previous = None
    for record in records:
        diff = []
        if previous is not None:
            delta = record.diff_against(previous)
            diff = [
                {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}
                for c in delta.changes
                if c.field != "version"
            ]
        changes.append(
            {
                "id": record.history_id,
                "at": record.history_date,
                "user": record.history_user.get_username() if record.history_user else None,
                "by": history_author(record),
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "version": record.version,
                "changes": diff,
            }
        )
        previous = record
    return changes[::-1]


def history_author(record) -> str:
    """Who made a recorded change: the user, else the fact's origin (an import, a load),
    else the extractor for a fact from a document, else the system."""
    if record.history_user_id is not None and record.history_user is not None:
        return record.history_user.get_username()
    if record.origin:
        return record.origin
    if record.source_document_id is not None:
        return str(BY_EXTRACTOR)
    return str(BY_SYSTEM)


# The fields of a fact's history rows that fact_correction and history_author read.
CORRECTION_FIELDS = (
    *FIGURE_FIELDS,
    "unit",
    "quote",
    "origin",
    "source_document_id",
    "version",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user_id",
)


def fact_correction(*, fact: Fact) -> dict | None:
    """How a fact's figure differs from the one first recorded (from its source), with each
    change that made it so; None when the figure is the one first recorded."""
    # Only what a correction shows (a fact's history rows carry every field of the fact).
    records = list(
        fact.history.select_related("history_user")
        .only(*CORRECTION_FIELDS, "history_user__username")
        .order_by("history_date", "pk")
    )
    if len(records) < 2:
        return None
    original, previous = records[0], records[0]
    changes = []
    for record in records[1:]:
        fields = [f for f in FIGURE_FIELDS if getattr(record, f) != getattr(previous, f)]
        if fields and record.history_type == "~":
            changes.append(
                {
                    "at": record.history_date,
                    "by": history_author(record),
                    "reason": record.history_change_reason or "",
                    "version": record.version,
                    "fields": fields,
                    "old_value": plain_decimal(previous.value),
                    "new_value": plain_decimal(record.value),
                    "old_display": format_quantity(previous.value, previous.unit),
                    "new_display": format_quantity(record.value, record.unit),
                }
            )
        previous = record
    if not changes:
        return None
    return {
        "original_value": plain_decimal(original.value),
        "original_display": format_quantity(original.value, original.unit),
        "original_quote": original.quote,
        "current_value": plain_decimal(fact.value),
        "current_display": format_quantity(fact.value, fact.unit),
        "changes": changes,
    }


REVIEW_QUEUE_SIZE = 200
REVIEW_CONTEXT = 60


def review_queue(*, model: type[Fact], limit: int = REVIEW_QUEUE_SIZE) -> list[dict]:
    """The proposed facts of a kind, oldest first, each with its quote in its context."""
    facts = (
        model.objects.filter(review_state=ReviewState.PROPOSED)
        .select_related("jurisdiction", "indicator", "source_document")
        .order_by("created_at", "pk")[:limit]
    )
    items = []
    for fact in facts:
        document = fact.source_document
        before = after = ""
        highlighted = fact.quote
        if document is not None and fact.span_start is not None:
            text = document.text
            before = text[max(0, fact.span_start - REVIEW_CONTEXT) : fact.span_start]
            highlighted = text[fact.span_start : fact.span_end]
            after = text[fact.span_end : fact.span_end + REVIEW_CONTEXT]
        items.append(
            {
                "fact": fact,
                "document": document,
                "before": before,
                "highlighted": highlighted,
                "after": after,
            }
        )
    return items
