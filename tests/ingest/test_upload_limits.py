"""Oversized submissions are refused while they arrive, not after being read into memory."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest import services
from ingest.models import SourceDocument
from ingest.uploads import SizeLimitedUploadHandler, body_allowance

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"
LIMIT = 64 * 1024


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.INGEST_MAX_UPLOAD_BYTES = LIMIT


@pytest.fixture
def ready(catalogue, shaoxing, editor_client):
    return editor_client


def _report_of(size: int, small_report: str) -> bytes:
    """A plain-text report of exactly `size` bytes."""
    raw = small_report.encode() * (size // len(small_report.encode()))
    return raw + b"\n" * (size - len(raw))


def _limit_handler(response) -> SizeLimitedUploadHandler:
    """The size-limiting handler that served the request (it keeps its byte count)."""
    handlers = response.wsgi_request.upload_handlers
    found = [h for h in handlers if isinstance(h, SizeLimitedUploadHandler)]
    assert len(found) == 1, f"SizeLimitedUploadHandler is not installed: {handlers}"
    return found[0]


def _refusal(response) -> str:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"non_field_errors": [body["message"]]}
    return body["message"]


def test_a_file_several_times_over_the_limit_is_stopped_while_it_arrives(ready, small_report):
    raw = _report_of(3 * LIMIT, small_report)
    assert len(raw) + 4096 < body_allowance(LIMIT)  # not refused by its Content-Length alone
    upload = SimpleUploadedFile("big.txt", raw, "text/plain")

    response = ready.post(URL, {"file": upload, "title": "big"}, format="multipart")

    message = _refusal(response)
    assert "The file is larger than a report may be" in message
    assert "the limit is 65,536 bytes" in message
    assert not SourceDocument.objects.exists()
    handler = _limit_handler(response)
    assert handler.exceeded
    # The handler stopped at the chunk that crossed the limit, long before the end of the file.
    assert LIMIT < handler.received <= LIMIT + handler.chunk_size
    assert handler.received < len(raw)


def test_a_file_of_exactly_the_limit_is_accepted(ready, small_report):
    upload = SimpleUploadedFile("full.txt", _report_of(LIMIT, small_report), "text/plain")

    response = ready.post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 202
    assert SourceDocument.objects.get().filename == "full.txt"
    handler = _limit_handler(response)
    assert (handler.received, handler.exceeded) == (LIMIT, False)


def test_a_multipart_body_declared_far_over_the_limit_is_refused_unread(ready, small_report):
    raw = _report_of(8 * LIMIT, small_report)
    upload = SimpleUploadedFile("huge.txt", raw, "text/plain")

    response = ready.post(URL, {"file": upload}, format="multipart")

    message = _refusal(response)
    size = int(response.wsgi_request.META["CONTENT_LENGTH"])
    assert message == (
        f"The request is {size:,} bytes, too large for a report; the limit is 65,536 bytes."
    )
    assert not SourceDocument.objects.exists()
    # Refused on its Content-Length: the multipart parser never ran.
    assert _limit_handler(response).received == 0


def test_a_json_body_far_over_the_limit_is_refused_before_it_is_parsed(ready):
    # Not even valid JSON (no closing quote and brace): parsing it would answer a parse error.
    body = b'{"text": "' + b"x" * (4 * LIMIT)

    response = ready.generic("POST", URL, body, content_type="application/json")

    message = _refusal(response)
    assert message.startswith(f"The request is {len(body):,} bytes, too large for a report")
    assert "the limit is 65,536 bytes" in message
    assert not SourceDocument.objects.exists()


def test_a_json_text_over_the_limit_is_refused_with_its_size_and_the_limit(ready):
    body = json.dumps({"text": "研发经费" * (LIMIT // 10)}, ensure_ascii=False)
    assert len(body.encode()) < body_allowance(LIMIT)

    response = ready.generic("POST", URL, body, content_type="application/json")

    message = _refusal(response)
    size = len(("研发经费" * (LIMIT // 10)).encode())
    assert message == f"The report is {size:,} bytes; the limit is 65,536 bytes."
    assert not SourceDocument.objects.exists()


def test_form_fields_over_djangos_memory_limit_answer_the_api_error_not_a_page(ready, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = ready.post(URL, {"text": "研发经费" * 200}, format="multipart")

    message = _refusal(response)
    assert "too large for a report; the limit is 65,536 bytes" in message
    assert not SourceDocument.objects.exists()


def test_an_uploaded_file_is_refused_by_its_size_before_it_is_read(small_report):
    upload = SimpleUploadedFile("big.txt", _report_of(LIMIT + 1, small_report), "text/plain")

    with pytest.raises(ValidationError, match="the limit is 65,536 bytes"):
        services.document_text_from_file(upload=upload)

    assert upload.tell() == 0


def test_a_json_report_may_be_larger_than_other_json_bodies(ready, settings, small_report):
    # Other endpoints refuse JSON over DATA_UPLOAD_MAX_MEMORY_SIZE; a report's text is
    # bounded by the report limit instead.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    text = _report_of(LIMIT // 2, small_report).decode()
    body = json.dumps({"text": text, "title": "half"}, ensure_ascii=False)
    assert 1000 < len(body.encode()) < body_allowance(LIMIT)

    response = ready.generic("POST", URL, body, content_type="application/json")

    assert response.status_code == 202, response.json()
    assert SourceDocument.objects.get().title == "half"
