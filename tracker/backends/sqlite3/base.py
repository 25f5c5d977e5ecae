"""Django's SQLite backend, with each statement's placeholders converted once.

Django writes SQL with %s placeholders and, on SQLite, rewrites them to ? with a regular
expression before every execution. The evaluation of a page is a 48 KB statement compiled
once and run many times (tracker.statements): rewriting it cost each page 0.4 ms. Here the
rewrite of a statement is remembered, keyed by its text. Datetimes read from the database
are made aware without reading the settings for each value (see DatabaseOperations).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.db.backends.sqlite3 import base, operations
from django.utils.dateparse import parse_datetime


@lru_cache(maxsize=256)
def _qmark(query: str) -> str:
    """The query with "format" placeholders (%s) as SQLite's "qmark" ones (?)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, remembering how it rewrote the placeholders of a statement."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseOperations(operations.DatabaseOperations):
    """Django's operations, with a faster conversion of datetimes read from the database."""

    def convert_datetimefield_value(self, value, expression, connection):
        # Django's reads settings.USE_TZ for every value (a lazy object: ~1 us each; a page
        # reads ~220 datetimes). The connection's time zone says the same: None without
        # USE_TZ, and Django resets it when the setting changes.
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            value = parse_datetime(value)
        zone = self.connection.timezone
        if zone is not None and value.utcoffset() is None:
            value = value.replace(tzinfo=zone)  # what timezone.make_aware does
        return value


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite backend with the cursor and the operations above."""

    ops_class = DatabaseOperations

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
