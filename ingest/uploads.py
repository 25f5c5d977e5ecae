"""Size limits on what a client sends: an oversized report is refused while it arrives.

`SizeLimitedUploadHandler` (first in `FILE_UPLOAD_HANDLERS`) counts the bytes of the files
of a multipart request as Django's parser reads them and stops the upload once they exceed
`INGEST_MAX_UPLOAD_BYTES`: nothing past the limit is kept in memory or written to a temporary
file. `check_declared_length` refuses a body whose declared `Content-Length` is far over the
limit before anything reads it; JSON and form bodies are parsed whole, so it is their bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

# Room for the other fields of a submission (title, jurisdiction, date), part headers and
# multipart boundaries.
BODY_OVERHEAD = 64 * 1024
# A text may arrive escaped at up to three bytes per byte (JSON `\u` escapes of accented or
# Chinese characters, %XX in a form, base64 in a multipart part).
BODY_ESCAPE_FACTOR = 3

UPLOAD_TOO_LARGE = _(
    "The file is larger than a report may be (the upload was stopped after {received:,} "
    "bytes); the limit is {limit:,} bytes."
)
BODY_TOO_LARGE = _(
    "The request is {size:,} bytes, too large for a report; the limit is {limit:,} bytes."
)


class UploadTooLarge(RequestDataTooBig):
    """A request carries more report than `INGEST_MAX_UPLOAD_BYTES` allows.

    A `SuspiciousOperation` like Django's own `RequestDataTooBig`, so outside the API (where
    it becomes a 400 JSON error) Django answers 400 as well.
    """


def body_allowance(limit: int) -> int:
    """The largest request body a report of `limit` bytes can need, escaped, with its fields."""
    return BODY_ESCAPE_FACTOR * limit + BODY_OVERHEAD


def declared_length(meta: Mapping[str, Any]) -> int:
    """The request's `Content-Length`, or 0 when it is absent or not a number."""
    try:
        return max(0, int(meta.get("CONTENT_LENGTH") or 0))
    except (TypeError, ValueError):
        return 0


def body_too_large_message(meta: Mapping[str, Any]) -> str:
    return BODY_TOO_LARGE.format(size=declared_length(meta), limit=settings.INGEST_MAX_UPLOAD_BYTES)


def check_declared_length(meta: Mapping[str, Any]) -> None:
    """Refuse, before reading it, a body no report within the limit could need."""
    if declared_length(meta) > body_allowance(settings.INGEST_MAX_UPLOAD_BYTES):
        raise UploadTooLarge(body_too_large_message(meta))


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stop a multipart upload as soon as its files exceed `INGEST_MAX_UPLOAD_BYTES`.

    It passes each chunk on to the next handler (which keeps the file in memory or in a
    temporary file) until the bytes of all files of the request together exceed the limit.
    Then it stops the upload: the chunk that crossed the limit goes no further, the partial
    files are closed (a temporary file is deleted), the rest of the body is read and dropped
    so the client gets its answer, and the parser raises `UploadTooLarge`. So at most
    `limit + chunk_size` bytes of files are ever held.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.INGEST_MAX_UPLOAD_BYTES
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            # connection_reset=False: the parser drains the rest of the body without
            # keeping it, so the client reads a clean 400 instead of a reset connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The file itself is stored by the next handler.
        return None

    def upload_complete(self) -> None:
        # Called once the parser has closed the partial files: refuse the whole request.
        if self.exceeded:
            raise UploadTooLarge(UPLOAD_TOO_LARGE.format(received=self.received, limit=self.limit))
