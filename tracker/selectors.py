"""Reads of jurisdictions, targets and actuals, with related rows fetched once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Expression,
    F,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
)

from tracker.models import Actual, Fact, Jurisdiction, Target
from tracker.numbers import plain_decimal


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
        # Django's ExtractYear/ExtractMonth call a Python function per row on SQLite, and the
        # evaluation repeats them in every annotation that builds on another. SQLite keeps
        # a date as YYYY-MM-DD text, so its year and month are plain substrings.
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


class _RowComparison(Expression):
    """A condition on a row of columns, (column, ...) IN (...), written by subclasses."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields: Iterable[str]):
        super().__init__()
        self.columns = [F(name) for name in fields]

    def columns_sql(self, compiler) -> tuple[str, list]:
        """The row of columns as SQL, "(a, b)", and its parameters."""
        columns, params = [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            columns.append(sql)
            params.extend(column_params)
        return f"({', '.join(columns)})", params


class RowIn(_RowComparison):
    """Whether a row's columns equal one of the given tuples: (column, ...) IN (VALUES ...)."""

    # One expression however many tuples: an OR of a Q per tuple costs Django ~0.3 ms each
    # to build and compile, a third of a page's time for 100 rows.

    def __init__(self, fields: Iterable[str], rows: Iterable[tuple]):
        super().__init__(fields)
        self.rows = sorted(set(rows))

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        if not self.rows:
            return "1 = 0", ()
        columns, params = self.columns_sql(compiler)
        fields = [column.target for column in self.columns]
        for row in self.rows:
            params.extend(
                field.get_db_prep_value(value, connection)
                for field, value in zip(fields, row, strict=True)
            )
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = ", ".join([row_sql] * len(self.rows))
        # A select from the values, not the bare list: given the bare list, SQLite tests
        # every row against it instead of looking the tuples up in an index.
        return f"{columns} IN (SELECT * FROM (VALUES {values}) AS row_in)", params


class RowInQuery(_RowComparison):
    """Whether a row's columns equal a row of a query: (column, ...) IN (SELECT ...)."""

    def __init__(self, fields: Iterable[str], queryset: QuerySet):
        super().__init__(fields)
        self.query = Subquery(queryset)

    def get_source_expressions(self):
        return [*self.columns, self.query]

    def set_source_expressions(self, exprs):
        *self.columns, self.query = exprs

    def as_sql(self, compiler, connection):
        columns, params = self.columns_sql(compiler)
        query, query_params = compiler.compile(self.query)
        return f"{columns} IN {query}", (*params, *query_params)


PERIOD_KINDS = [
    ("year", "one calendar year"),
    ("year_to_date", "part of a year"),
    ("multi_year", "several years"),
]


def facts_of_period_kind(queryset: QuerySet, *, kind: str) -> QuerySet:
    """Facts covering one calendar year, part of a year, or several years."""
    if "period_months" not in queryset.query.annotations:
        queryset = queryset.annotate(period_months=period_months_expression())
    if kind == "year":
        return queryset.filter(period_months=12, period_start__month=1)
    if kind == "year_to_date":
        return queryset.filter(period_months__lt=12)
    return queryset.filter(period_months__gt=12)


def _fact_list(model: type[Fact]) -> QuerySet:
    return (
        model.objects.select_related(
            "jurisdiction", "indicator", "source_document", "entered_by", "reviewed_by"
        )
        # A report's text can be megabytes; lists name the document, they never print it.
        .defer("source_document__text")
        .annotate(period_months=period_months_expression())
    )


def target_list() -> QuerySet[Target]:
    """All targets with their jurisdiction, indicator, source and reviewers."""
    return _fact_list(Target)


def actual_list() -> QuerySet[Actual]:
    """All actuals with their jurisdiction, indicator, source and reviewers."""
    return _fact_list(Actual)


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    """All jurisdictions with their parent."""
    return Jurisdiction.objects.select_related("parent").annotate(parent_code=F("parent__code"))


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
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "version": record.version,
                "changes": diff,
            }
        )
        previous = record
    return changes[::-1]
