"""Per-connection database settings the evaluation depends on."""

from __future__ import annotations

from django.conf import settings
from django.db.backends.signals import connection_created


def configure_connection(sender, connection, **kwargs) -> None:
    """Turn PostgreSQL's JIT compiler off for this connection unless DATABASE_JIT asks for it."""
    # The evaluation is one statement with hundreds of expressions. PostgreSQL judges it
    # costly enough to compile to machine code, and the compiling costs more than it saves:
    # at 100,000 targets, 37 s of a 46 s summary (docs/performance.md).
    if connection.vendor == "postgresql" and not settings.DATABASE_JIT:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


def connect_signals() -> None:
    """Apply configure_connection to every new database connection."""
    connection_created.connect(configure_connection, dispatch_uid="tracker.db.configure")
