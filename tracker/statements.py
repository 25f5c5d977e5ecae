"""Querysets compiled to SQL once and run many times.

Writing the SQL of an evaluation (about a thousand expressions, 50 KB of SQL) costs a request
15-25 ms, as much as running it on a small database. A Statement keeps what Django's
compiler produced for a queryset, the SQL, its parameters and how to turn rows into objects,
and runs it again without compiling, with new values in the places held by slots.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# Stand-ins for values given at each run: ids no row has, far from any other parameter, and
# text no form or API accepts (a NUL character).
_SLOT_BASE = -(2**62)
_TEXT_SLOT = "\x00slot {}\x00"


def slots(count: int) -> list[int]:
    """`count` distinct integers that hold the places of values a statement gets at each run."""
    return list(range(_SLOT_BASE, _SLOT_BASE + count))


def text_slots(count: int) -> list[str]:
    """`count` distinct strings that hold the places of text a statement gets at each run."""
    return [_TEXT_SLOT.format(i) for i in range(count)]


def dialect(using: str = "default") -> tuple[str, str]:
    """What decides the SQL of a queryset besides the queryset: the backend and the time zone."""
    return connections[using].vendor, timezone.get_current_timezone_name()


@dataclass(frozen=True, eq=False)
class Statement:
    """A queryset's SQL and row decoding, compiled once; run with new values for its slots."""

    queryset: QuerySet
    sql: str | None  # None: the queryset can match nothing
    params: tuple[Any, ...]
    positions: tuple[int, ...]  # where each slot's value goes among the parameters
    compiler: SQLCompiler | None

    @classmethod
    def prepare(cls, queryset: QuerySet, *, slots: Sequence[int | str] = ()) -> Statement:
        """Compile the queryset, whose values include the given slots, each exactly once."""
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(queryset=queryset, sql=None, params=(), positions=(), compiler=None)
        positions = []
        for slot in slots:
            found = [
                i for i, param in enumerate(params) if type(param) is type(slot) and param == slot
            ]
            if len(found) != 1:
                raise ValueError(
                    f"Slot {slot!r} is {len(found)} parameters of the statement, not 1."
                )
            positions.append(found[0])
        return cls(
            queryset=queryset,
            sql=sql,
            params=tuple(params),
            positions=tuple(positions),
            compiler=compiler,
        )

    def run(self, values: Sequence[Any] = ()) -> list:
        """What list(queryset) gives, with these values in place of the slots, in order."""
        if len(values) != len(self.positions):
            raise ValueError(
                f"The statement takes {len(self.positions)} values, not {len(values)}."
            )
        if self.sql is None:
            return []
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
            params[position] = value
        statement = (self.sql, tuple(params))
        # The compiler knows how to decode rows (select, klass_info, annotation_col_map);
        # a copy of it, on this thread's connection, answers with the ready SQL.
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: statement
        # A fresh clone, run once here and never handed out: chained, it would keep the SQL.
        queryset = self.queryset.all()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)
