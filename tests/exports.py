"""Reading a CSV export as a user would: the rows, once the trailer says the file is whole."""

from __future__ import annotations

import csv
import io

from tracker.attainment.exports import csv_trailer


def csv_export_rows(text: str) -> list[dict]:
    """The rows of a complete CSV export (its BOM removed); fails if the trailer is missing."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    assert lines, "the export is empty"
    body, trailer = "".join(lines[:-1]), lines[-1].rstrip("\r\n")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert trailer == csv_trailer(len(rows)), f"the export is cut: it ends with {trailer!r}"
    return rows
