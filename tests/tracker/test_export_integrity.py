"""A streamed export that fails part-way must not look complete (docs/api.md#exports).

The status and headers of a streamed export leave before its rows are read; a failure later
(a query cut by a timeout, a worker restarted) can only close the connection. A CSV says it
is whole with its last line; an XLSX workbook cut short has no ZIP directory and will not open.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection
from openpyxl import load_workbook

from tests.exports import csv_export_rows
from tracker.attainment.exports import (
    PATHS,
    csv_stream,
    csv_trailer,
    stored_values,
    written_ahead,
)
from tracker.attainment.models import Evaluation
from tracker.attainment.rules import rules_get
from tracker.attainment.services import evaluations_rebuild
from tracker.attainment.workbook import workbook_chunks as xlsx_chunks
from tracker.bench.data import generate

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


def _writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "export-writer"]


def test_lines_written_in_the_second_thread_come_out_in_the_order_of_the_rows():
    batches = list(written_ahead(range(2345), lambda batch: ",".join(map(str, batch)) + ";"))

    assert len(batches) == 5  # batches of ROWS_PER_CHUNK
    assert ",".join(batches).replace(";", "") == ",".join(map(str, range(2345)))


def test_a_failure_to_write_a_batch_reaches_the_reader_after_the_batches_before_it():
    def write(batch):
        if batch[0] >= 1000:
            raise ValueError("a cell that cannot be written")
        return f"{batch[0]}-{batch[-1]};"

    received = []
    with pytest.raises(ValueError, match="cannot be written"):
        for piece in written_ahead(range(3000), write):
            received.append(piece)

    assert received == ["0-499;", "500-999;"]


def test_closing_an_export_before_its_end_stops_its_writing_thread():
    before = _writer_threads()
    stream = written_ahead(range(100_000), lambda batch: f"{len(batch)};")
    next(stream)
    started = [t for t in _writer_threads() if t not in before]
    stream.close()  # what the server does when the client goes away

    for thread in started:
        thread.join(timeout=10)
    assert started and not any(t.is_alive() for t in started)


# As a request runs: in autocommit, not in a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_stored_export_is_read_as_it_is_sent_not_materialised_first():
    """Outside a transaction a server-side cursor is declared WITH HOLD, and PostgreSQL then
    runs the whole query before the first row leaves; inside one, rows come as fetched."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's server-side cursors")
    generated = generate(targets=300)
    evaluations_rebuild(as_of=generated.as_of)
    rows = stored_values(Evaluation.objects.order_by("target_id"))

    next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_holdable FROM pg_cursors")
        assert cursor.fetchall() == [(False,)]
    assert sum(1 for _ in rows) == Evaluation.objects.count() - 1
