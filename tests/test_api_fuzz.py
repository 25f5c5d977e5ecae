"""Fuzz every API operation from the committed OpenAPI schema, in process, as an admin."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import SourceDocumentFactory

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The committed schema is the contract (tests/test_schema.py keeps it equal to the code).
schema = schemathesis.openapi.from_path(SCHEMA_FILE)
# Deterministic (same cases every run, so CI cannot flake) and bounded: schemathesis'
# boundary cases ("coverage") plus a few random examples per operation.
schema.config.generation.update(max_examples=5, deterministic=True)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_keeps_test_connection():
    """Keep the test's database connection open across requests, as Django's test client does.

    The WSGI handler closes connections at the start and end of each request; inside the
    test's transaction that would close PostgreSQL's connection (SQLite in memory ignores it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_user, catalogue, shaoxing, wuhan, wsgi_keeps_test_connection) -> str:
    """An admin's token, with the catalogue, a few jurisdictions and a document to find."""
    SourceDocumentFactory(jurisdiction=shaoxing)
    return Token.objects.create(user=admin_user).key


@schema.parametrize()
# The fixtures' rows are shared by an operation's examples on purpose: writes pile up in the
# test's transaction, which is rolled back afterwards.
@hypothesis_settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_api_answers_within_its_schema(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)
