"""Auditor exports of the evaluations (CSV and XLSX), streamed as their rows are read.

One explicit function writes a row's cells from its values, read straight from the stored
rows (or from live evaluations) by the columns' paths; the cells are what the API's row
serializer writes for the same fields (tests/tracker/test_exports.py checks it), with
numbers kept numeric and text defused for spreadsheets.
"""

from __future__ import annotations

import csv
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.json import KT

from tracker.attainment.models import JSON_FIELDS, Evaluation
from tracker.attainment.rules import AttainmentRules
from tracker.attainment.selectors.stored import json_parsed, json_text
from tracker.attainment.spreadsheet import Number
from tracker.iterables import batched
from tracker.numbers import plain_decimal, plain_float

# Characters XML 1.0 (and so XLSX) cannot hold, and that have no business in a CSV cell.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the database per round trip (a server-side cursor on PostgreSQL).
ROWS_PER_FETCH = 2000
# Rows handed to the thread that writes the CSV lines at a time (a chunk of the response),
# and how many such batches may wait for it.
ROWS_PER_CHUNK = 500
BATCHES_AHEAD = 4
# The CSV export's last line starts with this (see docs/api.md#exports).
CSV_TRAILER_PREFIX = "# complete: "


def clean_text(value: str) -> str:
    """Strip control characters and defuse text a spreadsheet would run as a formula."""
    if not value.isprintable():  # most text is: then it holds no control character either
        value = CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Any, rules: AttainmentRules) -> str:
    return clean_text(value)


def _as_is(value: Any, rules: AttainmentRules) -> Any:
    """Numbers, and codes the database constrains to a set of choices (no formula, no control)."""
    return value


def _decimal(value: Decimal, rules: AttainmentRules) -> Number:
    return Number(plain_decimal(value))  # as ExactDecimalField writes it


def _amount(value: float, rules: AttainmentRules) -> Number:
    return Number(plain_float(round(value, 6)))  # as BaseUnitField writes it


def _ratio(value: float, rules: AttainmentRules) -> float:
    return round(value, rules.ratio_places)


def _growth(value: float, rules: AttainmentRules) -> float:
    return round(value, rules.growth_places)


def _month(value, rules: AttainmentRules) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _date(value, rules: AttainmentRules) -> str:
    return value.isoformat()


def _joined(value: list, rules: AttainmentRules) -> str:
    return clean_text(";".join(value))


def _claims(value: list, rules: AttainmentRules) -> str:
    """Each claim beside the computed figure: «quote» claimed …, computed …; verdict."""
    parts = []
    for check in value:
        claimed = check["claimed_status"]
        if check["claimed_ratio"] is not None:
            claimed += f" {check['claimed_ratio']:g} %"
        computed = check["computed_status"]
        if check["computed_ratio"] is not None:
            computed += f" {round(check['computed_ratio'], rules.growth_places):g} %"
        verdict = "contradicted" if check["contradicted"] else "consistent"
        if not check["checked"]:
            verdict = "not checked"
        parts.append(f"«{check['quote']}» claimed {claimed}, computed {computed}: {verdict}")
    return clean_text(" | ".join(parts))


def _rollup_value(value: dict, rules: AttainmentRules) -> Number:
    """The derived figure a parent was judged on (the whole JSON is read: cheaper than a
    key extracted by the database per row)."""
    return _amount(value["value"], rules)


def _rollup_coverage(value: dict, rules: AttainmentRules) -> float:
    return _ratio(value["coverage"]["ratio"], rules)


Cell = Callable[[Any, AttainmentRules], Any]


def _fact_columns(kind: str) -> list[tuple[str, str, Cell]]:
    """The provenance columns of the target, or of the actual used."""
    return [
        (f"{kind}_document_title", f"{kind}__source_document__title", _text),
        (f"{kind}_published", f"{kind}__source_document__published", _date),
        (f"{kind}_quote", f"{kind}__quote", _text),
        (f"{kind}_entered_by", f"{kind}__entered_by__username", _text),
        (f"{kind}_reviewed_by", f"{kind}__reviewed_by__username", _text),
    ]


# (column header, path from an Evaluation, how its value becomes a cell)
EXPORT_COLUMNS: list[tuple[str, str, Cell]] = [
    ("target_id", "target_id", _as_is),
    ("jurisdiction_code", "target__jurisdiction__code", _text),
    ("jurisdiction", "target__jurisdiction__name_zh", _text),
    ("indicator", "target__indicator__code", _text),
    ("indicator_name", "target__indicator__name_zh", _text),
    ("measure", "target__measure", _as_is),
    ("comparator", "target__comparator", _as_is),
    ("target_value", "target__value", _decimal),
    ("unit", "target__unit", _as_is),
    ("period_start", "period_start", _month),
    ("period_end", "period_end", _month),
    *_fact_columns("target"),
    ("status", "status", _as_is),
    ("attainment_ratio", "attainment_ratio", _ratio),
    ("gap", "gap", _amount),
    ("compared_with", "compared_with", _amount),
    ("projection", "projection", _amount),
    ("actual_id", "actual_id", _as_is),
    ("actual_value", "actual__value", _decimal),
    ("actual_period_start", "actual__period_start", _month),
    ("actual_period_end", "actual__period_end", _month),
    *_fact_columns("actual"),
    ("baseline_value", "baseline__value", _decimal),
    ("baseline_period_end", "baseline__period_end", _month),
    ("required_growth", "required_growth", _growth),
    ("achieved_growth", "achieved_growth", _growth),
    ("growth_gap", "growth_gap", _growth),
    ("progress", "progress__category", _as_is),
    ("flags", "flags", _joined),
    ("as_of", "as_of", _date),
    ("year_to_date", "year_to_date", _amount),
    ("claim_contradicted", "claim_contradicted", _as_is),
    ("claims", "claims", _claims),
    ("rollup_value", "rollup", _rollup_value),
    ("rollup_coverage", "rollup", _rollup_coverage),
]
HEADER = [name for name, _, _ in EXPORT_COLUMNS]
# The values read per row: the columns', then what only the workbook's columns need (the
# indicator's direction, for a gap in words; the baseline's unit, a level's even for a
# growth target).
PATHS = [path for _, path, _ in EXPORT_COLUMNS] + [
    "target__indicator__direction",
    "baseline__unit",
]
_CELLS = [cell for _, _, cell in EXPORT_COLUMNS]


# The columns whose values become cells by a function (the others are written as read).
_CONVERTED = [(i, cell) for i, cell in enumerate(_CELLS) if cell is not _as_is]


def export_cells(values: Sequence[Any], *, rules: AttainmentRules) -> list[Any]:
    """A row's cells from its values in the order of EXPORT_COLUMNS (values past them unused)."""
    cells = list(values[: len(_CELLS)])
    for i, cell in _CONVERTED:
        if cells[i] is not None:
            cells[i] = cell(cells[i], rules)
    return cells


def _read(path: str) -> Any:
    """How a path is read: a whole JSON column as text for orjson, a key of one as text."""
    if path in JSON_FIELDS:
        return json_text(path)
    if path.partition("__")[0] in JSON_FIELDS:
        return KT(path)
    return path


_READ = [_read(path) for path in PATHS]
_PARSED = [i for i, path in enumerate(PATHS) if path in JSON_FIELDS]


def stored_values(evaluations: QuerySet[Evaluation]) -> Iterator[tuple]:
    """The export's values of stored evaluations, read a round trip at a time."""
    # In a transaction the server-side cursor is not WITH HOLD (as Django declares it in
    # autocommit), which PostgreSQL materialises by running the whole query at once.
    with transaction.atomic():
        for row in evaluations.values_list(*_READ).iterator(chunk_size=ROWS_PER_FETCH):
            values = list(row)
            for i in _PARSED:
                values[i] = json_parsed(values[i])
            yield tuple(values)


def _follow(evaluation: Evaluation, path: str) -> Any:
    value: Any = evaluation
    for name in path.split("__"):
        value = value.get(name) if isinstance(value, dict) else getattr(value, name)
        if value is None:
            return None
    return value


def live_values(evaluations: Iterable[Evaluation]) -> Iterator[tuple]:
    """The export's values of live evaluations (with their related rows)."""
    for evaluation in evaluations:
        yield tuple(_follow(evaluation, path) for path in PATHS)


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_trailer(rows: int) -> str:
    """The last line of a complete CSV export, with the number of rows before it."""
    return f"{CSV_TRAILER_PREFIX}{rows} row{'' if rows == 1 else 's'}"


class _Raised:
    """An exception of the writing thread, on its way to the reading one."""

    def __init__(self, error: Exception) -> None:
        self.error = error


_END = object()


def _written(pieces: queue.SimpleQueue, *, wait: bool) -> Iterator[str]:
    """The pieces written so far (wait: every piece until the end), raising a writer's error."""
    while True:
        try:
            piece = pieces.get(block=wait)
        except queue.Empty:
            return
        if piece is _END:
            return
        if isinstance(piece, _Raised):
            raise piece.error
        yield piece


def written_ahead(values: Iterable[Any], write: Callable[[Sequence], str]) -> Iterator[str]:
    """`write` of each batch of ROWS_PER_CHUNK values, in order, run in a second thread
    while this one reads the next batch.

    A stored export spends more than a quarter of its time waiting for the database's next
    rows, and writing lines needs no database: in a second thread, the writing goes on
    through those waits. The values are read in this thread, which owns the database
    connection (and, in tests, the transaction that holds the rows). When reading fails,
    the lines of the values read before the failure are yielded, then the error is raised;
    when the response is closed before its end, the writing thread stops.
    """
    batches: queue.Queue = queue.Queue(maxsize=BATCHES_AHEAD)
    pieces: queue.SimpleQueue = queue.SimpleQueue()
    closed = threading.Event()

    def write_batches() -> None:
        failed = False
        while (batch := batches.get()) is not _END:
            if failed or closed.is_set():
                continue  # keep taking batches, so that the reader never waits for room
            try:
                pieces.put(write(batch))
            except Exception as error:  # raised in the reading thread instead
                failed = True
                pieces.put(_Raised(error))
        pieces.put(_END)

    threading.Thread(target=write_batches, name="export-writer", daemon=True).start()
    try:
        for batch in batched(values, ROWS_PER_CHUNK):
            batches.put(batch)
            yield from _written(pieces, wait=False)
    except Exception:
        batches.put(_END)
        yield from _written(pieces, wait=True)
        raise
    except BaseException:  # the response was closed before its end: stop the writer
        closed.set()
        batches.put(_END)
        raise
    batches.put(_END)
    yield from _written(pieces, wait=True)


def csv_stream(values: Iterable[Sequence[Any]], *, rules: AttainmentRules) -> Iterator[str]:
    """CSV text, starting with a UTF-8 byte order mark for Excel, a few hundred rows a chunk,
    ending with the trailer line that says it is complete."""
    yield "\ufeff" + csv.writer(_Echo()).writerow(HEADER)
    rows = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal rows
        for row in values:
            rows += 1
            yield row

    def write(batch: Sequence[Sequence[Any]]) -> str:
        writer = csv.writer(_Echo())
        return "".join([writer.writerow(export_cells(row, rules=rules)) for row in batch])

    yield from written_ahead(counted(), write)
    # Written only after the last row was read: a response cut by a timeout or a failed
    # query has the status and headers of a success, and only this line tells them apart.
    yield csv.writer(_Echo()).writerow([csv_trailer(rows)])
