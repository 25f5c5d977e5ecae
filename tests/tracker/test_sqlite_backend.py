"""The SQLite backend: Django's, with each statement's placeholders converted once."""

import pytest
from django.db import connection, connections

from tracker.backends.sqlite3.base import DatabaseWrapper, _qmark

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend"),
]


def test_sqlite_databases_use_the_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_placeholders_and_escaped_percents_are_converted_as_django_does():
    assert _qmark("SELECT %s, '%%s', '100%%' WHERE x = %s") == "SELECT ?, '%s', '100%' WHERE x = ?"


def test_the_same_statement_runs_again_with_new_values_and_named_ones_still_work():
    sql = "SELECT %s + %s, '50%%'"
    with connection.cursor() as cursor:
        for a, b in ((1, 2), (10, 20)):
            cursor.execute(sql, [a, b])
            assert cursor.fetchone() == (a + b, "50%")
        cursor.execute("SELECT %(x)s * 2", {"x": 21})
        assert cursor.fetchone() == (42,)
    assert _qmark.cache_info().hits >= 1
