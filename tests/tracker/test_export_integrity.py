"""A streamed export that fails part-way must not look complete (docs/api.md#exports).

The status and headers of a streamed export leave before its rows are read; a failure later
(a query cut by a timeout, a worker restarted) can only close the connection. A CSV says it
is whole with its last line; an XLSX workbook cut short has no ZIP directory and will not open.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.db import OperationalError
from openpyxl import load_workbook

from tests.exports import csv_export_rows
from tracker.attainment.exports import PATHS, csv_stream, csv_trailer
from tracker.attainment.rules import rules_get
from tracker.attainment.workbook import workbook_chunks as xlsx_chunks

EMPTY_ROW = (None,) * len(PATHS)


def _rows_then_failure(count: int) -> Iterator[tuple]:
    """What a database read gives when it is cut after `count` rows."""
    yield from [EMPTY_ROW] * count
    raise OperationalError("canceling statement due to statement timeout")


def _received(chunks: Iterator) -> list:
    """The chunks a client received before the stream broke off."""
    received = []
    with pytest.raises(OperationalError):
        for chunk in chunks:
            received.append(chunk)
    return received


def test_a_complete_csv_export_ends_with_a_trailer_counting_its_rows(db):
    text = "".join(csv_stream([EMPTY_ROW] * 1234, rules=rules_get()))

    assert text.splitlines()[-1] == "# complete: 1234 rows"
    assert len(csv_export_rows(text)) == 1234
    assert csv_trailer(1) == "# complete: 1 row"
    assert "".join(csv_stream([], rules=rules_get())).splitlines()[-1] == "# complete: 0 rows"


def test_a_csv_export_cut_part_way_lacks_the_trailer(db):
    received = "".join(_received(csv_stream(_rows_then_failure(1200), rules=rules_get())))

    # Whole chunks of rows got out before the failure, and nothing says they are all.
    assert received.count("\n") > 1000
    assert "# complete" not in received
    with pytest.raises(AssertionError, match="the export is cut"):
        csv_export_rows(received)


def test_an_xlsx_export_cut_part_way_does_not_open(db):
    whole = b"".join(xlsx_chunks([EMPTY_ROW] * 1200, rules=rules_get()))
    sheet = load_workbook(io.BytesIO(whole), read_only=True)["attainment"]
    assert sum(1 for _ in sheet.iter_rows()) == 1201

    received = b"".join(_received(xlsx_chunks(_rows_then_failure(1200), rules=rules_get())))

    assert len(received) > 1000  # rows got out before the failure
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(received), read_only=True)


def test_the_csv_export_over_the_api_ends_with_its_trailer(reader_client, catalogue, wuhan):
    response = reader_client.get("/api/v1/attainment/export.csv")

    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.splitlines()[-1] == "# complete: 0 rows"
    assert csv_export_rows(text) == []
