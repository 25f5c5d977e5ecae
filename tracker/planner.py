"""Planner statistics after bulk loads (PostgreSQL's ANALYZE).

PostgreSQL plans a query from statistics that autovacuum refreshes only some time after a
table changed a lot. Right after a bulk load it takes the loaded tables for nearly empty, and
a filtered export or list can choose a plan that runs for minutes (docs/performance.md).
The commands that load in bulk refresh them at once; SQLite plans without them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

from tracker.attainment.models import Evaluation
from tracker.models import Actual, Target

# The facts, their history and their evaluations: what an import or an ingest fills.
FACT_TABLES: tuple[type[Model], ...] = (
    Target,
    Actual,
    Target.history.model,
    Actual.history.model,
    Evaluation,
)


def tables_analyze(*, models: Iterable[type[Model]]) -> list[str]:
    """Refresh PostgreSQL's planner statistics of these tables; returns the tables analysed
    (none on other databases)."""
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables
