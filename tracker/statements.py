"""Querysets compiled to SQL once and run many times.

Writing the SQL of an evaluation (about a thousand expressions, 50 KB of SQL) costs a request
15-25 ms, as much as running it on a small database. A Statement keeps what Django's
compiler produced for a queryset, the SQL, its parameters and how to turn rows into objects,
and runs it again without compiling, with new values in the places held by slots.
"""

from __future__ import annotations

import copy
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI
from django.utils import timezone

# Stand-ins for values given at each run: ids no row has, far from any other parameter, and
# text with NUL characters, which no constant of a query holds.
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
    # How rows are decoded on each connection (the converters are bound to it).
    decoders: WeakKeyDictionary = field(default_factory=WeakKeyDictionary, repr=False)

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
        compiler.connection = connection = connections[self.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: statement
        decode = self.decoders.get(connection)
        if decode is None:
            decode = self.decoders[connection] = row_decoder(compiler)
        if decode is not False:
            compiler.results_iter = partial(_results_iter, compiler, decode)
        # A fresh clone, run once here and never handed out: chained, it would keep the SQL.
        queryset = self.queryset.all()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        try:
            return list(queryset)
        finally:
            # The clone's query and the compiler refer to each other, and the compiler to
            # itself through results_iter: untied, both are freed now, not by the collector.
            del queryset.query.get_compiler
            vars(compiler).pop("results_iter", None)


def _results_iter(
    compiler: SQLCompiler,
    decode: Callable[[Iterable, BaseDatabaseWrapper], Iterator[list]],
    results=None,
    tuple_expected: bool = False,
    chunked_fetch: bool = False,
    chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
) -> Iterator:
    """SQLCompiler.results_iter, decoding rows with the statement's decoder."""
    if results is None:
        results = compiler.execute_sql(MULTI, chunked_fetch=chunked_fetch, chunk_size=chunk_size)
    rows = decode(chain.from_iterable(results), compiler.connection)
    return map(tuple, rows) if tuple_expected else rows


# Converters that give back a value of this exact type unchanged (None too): a row need not
# call them for such a value. Named by the method of the backend's operations.
_KEEPS_BACKEND = {
    "convert_datefield_value": datetime.date,
    "convert_timefield_value": datetime.time,
}
# Expressions' own converters (BaseExpression.convert_value), by their output field's type.
_KEEPS_EXPRESSION = {"FloatField": float, "DecimalField": decimal.Decimal}


def row_decoder(compiler: SQLCompiler):
    """A function applying the compiler's converters to rows, generated for its columns.

    Django's apply_converters calls every converter of a column for every row, and looks the
    converters up again at every run: for a page of evaluated targets, 26 calls a row where
    most columns already hold the type a converter would give (SQLite and its driver return
    floats, ints and dates). The generated function checks the type inline and calls only
    converters that change something. False: the statement needs Django's own decoding.
    """
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return False
    namespace: dict[str, Any] = {}
    lines = ["def decode(rows, connection):", "    for row in map(list, rows):"]
    for position, (converters, expression) in compiler.get_converters(fields).items():
        kept = {_kept_type(c, expression, compiler.connection) for c in converters}
        namespace[f"expression_{position}"] = expression
        value = "value"
        for i, converter in enumerate(converters):
            namespace[f"convert_{position}_{i}"] = converter
            value = f"convert_{position}_{i}({value}, expression_{position}, connection)"
        lines.append(f"        value = row[{position}]")
        if len(kept) == 1 and None not in kept:
            namespace[f"kept_{position}"] = kept.pop()
            lines.append(f"        if value is not None and type(value) is not kept_{position}:")
            lines.append(f"            row[{position}] = {value}")
        else:
            lines.append(f"        row[{position}] = {value}")
    lines.append("        yield row")
    # The source holds only numbers and names; what it calls is in the namespace.
    exec(compile("\n".join(lines), "<row decoder>", "exec"), namespace)
    return namespace["decode"]


def _kept_type(converter, expression, connection: BaseDatabaseWrapper) -> type | None:
    """The type of value this converter gives back unchanged, if it is known to."""
    for name, kind in _KEEPS_BACKEND.items():
        if converter == getattr(connection.ops, name, None):
            return kind
    if converter is getattr(expression, "convert_value", None):
        internal = expression.output_field.get_internal_type()
        if internal.endswith("IntegerField"):
            return int
        return _KEEPS_EXPRESSION.get(internal)
    return None
