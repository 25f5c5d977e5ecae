"""Auditor exports of the attainment rows (CSV and XLSX), streamed a chunk at a time."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook

from tracker.attainment.rules import AttainmentRules
from tracker.attainment.serializers import row_writer
from tracker.models import Target

# (column header, dotted path into the serialized row)
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("target_id", "target.id"),
    ("jurisdiction_code", "target.jurisdiction.code"),
    ("jurisdiction", "target.jurisdiction.name_zh"),
    ("indicator", "target.indicator.code"),
    ("indicator_name", "target.indicator.name_zh"),
    ("measure", "target.measure"),
    ("comparator", "target.comparator"),
    ("target_value", "target.value"),
    ("unit", "target.unit"),
    ("period_start", "target.period_start"),
    ("period_end", "target.period_end"),
    ("target_document_title", "target.provenance.document_title"),
    ("target_published", "target.provenance.published"),
    ("target_quote", "target.provenance.quote"),
    ("target_entered_by", "target.provenance.entered_by"),
    ("target_reviewed_by", "target.provenance.reviewed_by"),
    ("status", "status"),
    ("attainment_ratio", "attainment_ratio"),
    ("gap", "gap"),
    ("compared_with", "basis.compared_with"),
    ("projection", "projection"),
    ("actual_id", "actual.id"),
    ("actual_value", "actual.value"),
    ("actual_period_start", "actual.period_start"),
    ("actual_period_end", "actual.period_end"),
    ("actual_document_title", "actual.provenance.document_title"),
    ("actual_published", "actual.provenance.published"),
    ("actual_quote", "actual.provenance.quote"),
    ("actual_entered_by", "actual.provenance.entered_by"),
    ("actual_reviewed_by", "actual.provenance.reviewed_by"),
    ("baseline_value", "baseline.value"),
    ("baseline_period_end", "baseline.period_end"),
    ("required_growth", "required_growth"),
    ("achieved_growth", "achieved_growth"),
    ("growth_gap", "growth_gap"),
    ("progress", "progress.category"),
    ("flags", "flags"),
    ("as_of", "basis.as_of"),
]
NUMERIC_COLUMNS = frozenset(
    {
        "target_id",
        "target_value",
        "attainment_ratio",
        "gap",
        "compared_with",
        "projection",
        "actual_id",
        "actual_value",
        "baseline_value",
        "required_growth",
        "achieved_growth",
        "growth_gap",
    }
)
# Characters XML 1.0 (and so XLSX) cannot hold, and that have no business in a CSV cell.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Strip control characters and defuse text a spreadsheet would run as a formula."""
    value = CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _dig(row: dict, path: str) -> Any:
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _cell(name: str, value: Any) -> Any:
    """A cell value: numbers as numbers, everything else as cleaned text."""
    if value is None:
        return None
    if name in NUMERIC_COLUMNS:
        if isinstance(value, int | float):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return clean_text(str(value))
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    return clean_text(str(value))


def export_rows(targets: Iterable[Target], *, rules: AttainmentRules) -> Iterator[list[Any]]:
    """Header, then one list of cells per evaluated target."""
    yield [name for name, _ in EXPORT_COLUMNS]
    write = row_writer(rules=rules)
    for target in targets:
        row = write(target)
        yield [_cell(name, _dig(row, path)) for name, path in EXPORT_COLUMNS]


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(targets: Iterable[Target], *, rules: AttainmentRules) -> Iterator[str]:
    """CSV text, one line at a time, starting with a UTF-8 byte order mark for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for cells in export_rows(targets, rules=rules):
        yield writer.writerow(["" if c is None else c for c in cells])


def xlsx_file(targets: Iterable[Target], *, rules: AttainmentRules):
    """An XLSX workbook written row by row into a temporary file, rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("attainment")
    for cells in export_rows(targets, rules=rules):
        sheet.append(cells)
    # FileResponse closes the file once it has been sent, so no context manager here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
