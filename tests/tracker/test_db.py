"""Per-connection database settings: PostgreSQL's JIT compiler is off unless asked for."""

import pytest
from django.db import connection
from django.test import override_settings

from tracker.db import configure_connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is a PostgreSQL setting"),
]


def _jit(on=connection) -> str:
    with on.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def test_a_new_connection_has_jit_off():
    fresh = connection.copy()  # a new connection, as a request or a worker opens one
    try:
        assert _jit(fresh) == "off"
    finally:
        fresh.close()


def test_database_jit_true_leaves_the_servers_setting():
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
    with override_settings(DATABASE_JIT=True):
        configure_connection(sender=None, connection=connection)
    assert _jit() == "on"
    configure_connection(sender=None, connection=connection)
    assert _jit() == "off"
