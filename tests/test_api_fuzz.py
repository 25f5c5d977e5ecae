"""Fuzz every API operation from the committed OpenAPI schema, in process, as an admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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
from schemathesis.config import SchemathesisConfig

from tests.factories import ActualFactory, SourceDocumentFactory, TargetFactory, rd_expenditure
from tracker.models import Measure, ReviewState

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
# Which statuses each check expects where the defaults do not fit (and why): see the file.
CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 30

# The committed schema is the contract (tests/test_schema.py keeps it equal to the code).
schema = schemathesis.openapi.from_path(
    SCHEMA_FILE, config=SchemathesisConfig.from_path(CONFIG_FILE)
)
# Deterministic (same cases every run, so CI cannot flake) and bounded: schemathesis'
# boundary cases ("coverage") plus EXAMPLES random examples per operation.
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)
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
    """An admin's token, with the catalogue, a few jurisdictions, a document, and a target
    judged on a hand-entered actual with a baseline (every part of an attainment row)."""
    SourceDocumentFactory(jurisdiction=shaoxing)
    indicator = rd_expenditure()
    TargetFactory(
        jurisdiction=shaoxing,
        indicator=indicator,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 1),
        value=Decimal("17000000000"),
    )
    # A growth target: judged on the 2018 actual against its 2017 baseline.
    TargetFactory(
        jurisdiction=shaoxing,
        indicator=indicator,
        measure=Measure.YOY_GROWTH,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 1),
        value=Decimal("10"),
    )
    for year, value in ((2017, "15000000000"), (2018, "17500000000")):
        ActualFactory(
            jurisdiction=shaoxing,
            indicator=indicator,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 1),
            value=Decimal(value),
            review_state=ReviewState.ACCEPTED,
        )
    return Token.objects.create(user=admin_user).key


@schema.parametrize()
# The fixtures' rows are shared by an operation's examples on purpose: writes pile up in the
# test's transaction, which is rolled back afterwards.
@hypothesis_settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_api_answers_within_its_schema(case, admin_token):
    # Every check schemathesis has (5xx, status codes, content types, bodies and headers
    # against the schema, schema-valid requests accepted, invalid ones refused, ...).
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"})
