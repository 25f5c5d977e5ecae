"""The web process frees what a request held when it answers, not at the next collection."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.test.client import ClientHandler
from rest_framework.request import Request
from rest_framework.views import APIView

from indicators.models import Indicator
from ingest.models import SourceDocument
from tests.garbage import cyclic_garbage
from tracker.bench.data import generate
from tracker.models import Actual, Jurisdiction, Target

PAGE_OBJECTS = (Target, Actual, Jurisdiction, Indicator, SourceDocument, APIView, Request)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/attainment/", "/api/v1/targets/", "/api/v1/actuals/"])
def test_an_answered_page_leaves_its_rows_to_no_garbage_collection(path):
    generated = generate(targets=60)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}"}
    token = f"Token {generated.token}"
    environ = RequestFactory().get(path, query, HTTP_AUTHORIZATION=token).environ
    handler = ClientHandler()

    def answer() -> None:
        # As a WSGI server does: the handler's response (which it has closed), then dropped.
        response = handler(environ)
        assert response.status_code == 200, response.content[:200]

    answer()  # compiled statements and caches are not the request's garbage
    left = cyclic_garbage(answer)

    assert [type(o).__name__ for o in left if isinstance(o, PAGE_OBJECTS)] == []
    # The page's rows and serialized data made ~2,700 objects of garbage before its view
    # was released; what is left is Django's request with its messages and session.
    assert len(left) < 200
