"""Request body parsers with a size bound: DRF reads a JSON body whole, whatever its size."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from ingest.uploads import declared_length
from tracker.rest.input import check_no_nul

JSON_TOO_LARGE = _(
    "The request body is {size:,} bytes; the limit is {limit:,} bytes "
    "(DATA_UPLOAD_MAX_MEMORY_SIZE)."
)


class BoundedJSONParser(JSONParser):
    """JSON, refused unread when the body is over DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django bounds form bodies by that setting, but DRF parses JSON from the raw stream, so a
    client could make a worker hold a body of any size. A view may allow more with a
    `json_body_limit` attribute (the report endpoint: a report's text). The WSGI server reads
    no more than the declared length, and a body without one reaches DRF as no body at all.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        view, request = context.get("view"), context.get("request")
        limit = getattr(view, "json_body_limit", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        size = declared_length(request.META) if request is not None else 0
        if size > limit:
            raise RequestDataTooBig(JSON_TOO_LARGE.format(size=size, limit=limit))
        data = super().parse(stream, media_type, parser_context)
        check_no_nul(data)
        return data


class CheckedFormParser(FormParser):
    """A URL-encoded form, refused (400) when a field's text holds NUL."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_no_nul(data)
        return data


class CheckedMultiPartParser(MultiPartParser):
    """A multipart form, refused (400) when a field's text or a file's name holds NUL."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_no_nul(parsed.data)
        check_no_nul({name: upload.name or "" for name, upload in parsed.files.items()})
        return parsed
