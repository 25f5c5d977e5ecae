"""A throw-away database for the benchmarks, so that they never touch the user's data."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import environ
import psycopg
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend

BENCH_SUFFIX = "_bench"


def bench_settings(*, database_url: str | None) -> dict[str, Any]:
    """Settings of the bench database next to the given (or the configured) database."""
    base = dict(connections.databases["default"])
    if database_url:
        # The URL's own options, not those of the configured database's engine.
        base |= {"OPTIONS": {}} | environ.Env.db_url_config(database_url)
    if "sqlite" in base["ENGINE"]:
        handle, path = tempfile.mkstemp(prefix="tracker-bench-", suffix=".sqlite3")
        os.close(handle)
        return base | {"NAME": path}
    if "postgresql" not in base["ENGINE"]:
        raise ValueError(f"The benchmark supports SQLite and PostgreSQL, not {base['ENGINE']}.")
    # The options the settings give a PostgreSQL database, even when the configured one is
    # SQLite: the bench measures what the service runs.
    options = base["OPTIONS"] | django_settings.POSTGRESQL_OPTIONS
    return base | {"NAME": f"{base['NAME']}{BENCH_SUFFIX}", "OPTIONS": options}


def _admin_connection(settings: dict[str, Any]) -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    return psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )


def _create(settings: dict[str, Any]) -> None:
    if "postgresql" in settings["ENGINE"]:
        name = psycopg.sql.Identifier(settings["NAME"])
        with _admin_connection(settings) as admin:
            admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


def _drop(settings: dict[str, Any]) -> None:
    if "postgresql" in settings["ENGINE"]:
        name = psycopg.sql.Identifier(settings["NAME"])
        with _admin_connection(settings) as admin:
            admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    else:
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(settings["NAME"] + suffix):
                os.remove(settings["NAME"] + suffix)


def _use(settings: dict[str, Any]) -> None:
    """Make `default` mean these settings for every later query in this process."""
    for connection in connections.all(initialized_only=True):
        connection.close()
    connections.settings["default"] = settings
    connections.databases["default"] = settings
    connections["default"] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")


@contextmanager
def bench_database(*, database_url: str | None = None, keep: bool = False) -> Iterator[dict]:
    """Switch `default` to a fresh, migrated bench database; drop it (unless keep) afterwards."""
    original = connections.databases["default"]
    settings = bench_settings(database_url=database_url)
    _create(settings)
    try:
        _use(settings)
        call_command("migrate", verbosity=0, interactive=False)
        yield settings
    finally:
        _use(original)
        if not keep:
            _drop(settings)
