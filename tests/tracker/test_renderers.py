"""The API's JSON renderer writes what DRF's own renderer writes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from tests.factories import TargetFactory
from tracker.rest.renderers import JSONRenderer

API = "/api/v1"


def _document() -> dict:
    return {
        "quote": "2014年全社会研发投入占GDP比重达到2.90%",
        "as_of": date(2024, 6, 30),
        "reviewed_at": datetime(2024, 7, 1, 8, 30, 15, 123456, tzinfo=UTC),
        "value": Decimal("2.900000"),
        "message": gettext_lazy("This field is required."),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "rows": ReturnList(
            [ReturnDict({"ratio": 1e-05, "big": 10**15}, serializer=None)], serializer=None
        ),
        "flags": ("revised",),
        "none": None,
        "ok": True,
        "ratio": 0.30000000000000004,
    }


def test_writes_the_same_document_as_drfs_renderer():
    ours = JSONRenderer().render(_document())
    theirs = renderers.JSONRenderer().render(_document())
    assert json.loads(ours) == json.loads(theirs)
    # Compact, and Chinese written as UTF-8 rather than escaped.
    assert b", " not in ours and "研发投入".encode() in ours


def test_writes_times_as_the_rest_of_the_api():
    content = JSONRenderer().render({"at": datetime(2024, 7, 1, 8, 30, 15, 123456, tzinfo=UTC)})
    assert json.loads(content) == {"at": "2024-07-01T08:30:15.123456Z"}


def test_escapes_javascript_line_separators():
    content = JSONRenderer().render({"quote": "a\u2028b\u2029c"})
    assert "\u2028".encode() not in content and "\u2029".encode() not in content
    assert json.loads(content) == {"quote": "a\u2028b\u2029c"}


def test_what_orjson_cannot_write_is_left_to_drf():
    content = JSONRenderer().render({1: "integer key", "big": 2**70})
    assert json.loads(content) == {"1": "integer key", "big": 2**70}


def test_indents_when_the_client_asks():
    content = JSONRenderer().render({"a": [1, 2]}, "application/json; indent=2")
    assert content.decode() == '{\n  "a": [\n    1,\n    2\n  ]\n}'


def test_nothing_to_write_is_an_empty_body():
    assert JSONRenderer().render(None) == b""


@pytest.mark.django_db
def test_the_api_answers_with_it(reader_client, catalogue, wuhan):
    TargetFactory(jurisdiction=wuhan, quote="研发投入\u2028达到")
    response = reader_client.get(f"{API}/attainment/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert json.loads(response.content)["results"][0]["target"]["provenance"]["quote"] == (
        "研发投入\u2028达到"
    )
    assert b"\\u2028" in response.content
