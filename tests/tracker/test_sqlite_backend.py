"""The SQLite backend: Django's, with each statement's placeholders converted once."""

from datetime import UTC, datetime

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

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


@pytest.mark.parametrize("use_tz", [True, False])
def test_datetimes_are_read_as_django_reads_them(settings, use_tz):
    settings.USE_TZ = use_tz  # the connection's time zone follows the setting
    ops = connection.ops
    django_ops = SQLiteOperations(connection)
    values = [
        None,
        "2026-11-22 10:00:00",
        "2026-11-22 10:00:00.123456",
        "2026-11-22T10:00:00+08:00",
    ]
    for value in [*values, datetime(2026, 11, 22, 10, 0), datetime(2026, 11, 22, tzinfo=UTC)]:
        ours = ops.convert_datetimefield_value(value, None, connection)
        django = django_ops.convert_datetimefield_value(value, None, connection)
        assert ours == django
        assert getattr(ours, "tzinfo", None) == getattr(django, "tzinfo", None)
