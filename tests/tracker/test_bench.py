"""The data-scale benchmark: its hand-written SQL agrees with the API, and it spares user data."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ingest.models import SourceDocument
from tracker.attainment.rules import Status, rules_get
from tracker.attainment.selectors import attainment_list
from tracker.bench import floor
from tracker.bench.data import generate
from tracker.models import Actual, Jurisdiction, Target

ROOT = Path(settings.BASE_DIR)
BENCH = [sys.executable, "manage.py", "bench"]
LOAD = [sys.executable, "manage.py", "bench_load"]
TINY_LOAD = ["--targets", "100", "--workers", "2", "--clients", "2", "--requests", "6"]
TINY_LOAD += ["--seconds", "30"]
KEYS = [
    "targets",
    "attainment_page_ms",
    "attainment_page_sql_ms",
    "summary_ms",
    "summary_sql_ms",
    "export_rows_per_s",
    "extract_kb_per_s",
    "queries_per_page",
    "target_detail_ms",
]


def _client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _clear() -> None:
    Target.objects.all().delete()
    Actual.objects.all().delete()
    SourceDocument.objects.all().delete()
    Jurisdiction.objects.filter(parent__isnull=False).delete()
    Jurisdiction.objects.all().delete()


@pytest.mark.django_db
def test_generated_data_has_the_promised_shape():
    generated = generate(targets=300)
    assert generated.targets >= 300
    assert 1.5 * generated.targets <= generated.actuals <= 2.5 * generated.targets
    assert generated.jurisdictions == 300
    assert Target.objects.filter(period_end__month__lt=12).count() == 0
    assert Actual.objects.filter(period_end__month=6).exists()  # year to date
    assert Target.objects.filter(measure="yoy_growth").exists()
    assert Target.objects.filter(measure="cagr").exists()
    assert Target.objects.filter(source_document__isnull=False).exclude(quote="").exists()
    assert {t.review_state for t in Target.objects.all()} == {"accepted", "proposed", "rejected"}


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _api_row(row: dict) -> tuple:
    return (
        row["target"]["id"],
        row["status"],
        row["attainment_ratio"],
        (row["actual"] or {}).get("id"),
        (row["baseline"] or {}).get("id"),
        row["growth_source"],
        row["growth_gap"] is None,
    )


def _sql_row(row: dict) -> tuple:
    return (
        row["id"],
        row["status"],
        _rounded(row["ratio"], 4),
        row["a_id"],
        row["b_id"],
        row["growth_source"],
        row["growth_gap"] is None,
    )


@pytest.mark.django_db
def test_hand_written_sql_gives_the_api_page_and_summary():
    generated = generate(targets=400)
    client = _client(generated.token)
    as_of = generated.as_of
    rules = rules_get()

    api = client.get(f"/api/v1/attainment/?as_of={as_of}&page_size=1000").json()
    sql = floor.attainment_page(as_of=as_of, rules=rules, size=1000)
    assert api["count"] == sql["count"] == len(sql["results"])
    assert [_api_row(r) for r in api["results"]] == [_sql_row(r) for r in sql["results"]]
    for ours, theirs in zip(api["results"], sql["results"], strict=True):
        if theirs["growth_gap"] is not None:  # the API rounds growth to two places
            assert ours["growth_gap"] == pytest.approx(theirs["growth_gap"], abs=0.006)
    # Every actual the API page shows (used, baseline, superseded) is one the SQL fetched.
    shown = {
        fact["id"]
        for row in api["results"]
        for fact in [row["actual"], row["baseline"], *row["superseded"]]
        if fact is not None
    }
    assert shown and shown <= {a["id"] for a in sql["shown_actuals"]}
    first = client.get(f"/api/v1/attainment/?as_of={as_of}").json()["results"]
    assert [r["target"]["id"] for r in first] == [
        r["id"] for r in floor.attainment_page(as_of=as_of, rules=rules)["results"]
    ]
    # The data set exercises most of the rules, or the comparison would prove little.
    assert len({r["status"] for r in sql["results"]}) >= 5

    summary = client.get(f"/api/v1/attainment/summary/?as_of={as_of}").json()["results"]
    groups = floor.attainment_summary(as_of=as_of, rules=rules)
    assert len(summary) == len(groups)
    for ours, theirs in zip(summary, groups, strict=True):
        assert ours["group"]["jurisdiction_id"] == theirs["jurisdiction_id"]
        assert ours["total"] == theirs["total"]
        assert ours["by_status"] == {s.value: theirs[s.value] for s in Status}
        if theirs["mean_attainment"] is None:
            assert ours["mean_attainment"] is None
        else:
            assert ours["mean_attainment"] == pytest.approx(theirs["mean_attainment"], abs=1e-4)


@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_data():
    def queries(targets: int) -> int:
        _clear()
        generated = generate(targets=targets)
        client = _client(generated.token)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/attainment/?as_of={generated.as_of}")
        assert response.status_code == 200
        return len(captured.captured_queries)

    assert queries(60) == queries(600)


def _sqlite_user_database(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE tracker_target (id INTEGER PRIMARY KEY, note TEXT)")
        db.executemany("INSERT INTO tracker_target (note) VALUES (?)", [("mine",)] * 5)
    return f"sqlite:///{path}"


def _postgres_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_bench_command_prints_figures_and_leaves_the_users_database_alone(tmp_path):
    if connection.vendor == "postgresql":
        generate(targets=50)
        before = (Target.objects.count(), Actual.objects.count(), Jurisdiction.objects.count())
        database_url = _postgres_url()
    else:
        user_db = tmp_path / "user.sqlite3"
        database_url = _sqlite_user_database(user_db)
        digest = hashlib.sha256(user_db.read_bytes()).hexdigest()

    result = subprocess.run(
        [*BENCH, "--targets", "200", "--runs", "1", "--extract-mb", "0.1", "--json"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key in KEYS:
        assert figures[key] > 0, key
    assert figures["targets"] >= 200
    assert figures["database"] == connection.vendor

    if connection.vendor == "postgresql":
        after = (Target.objects.count(), Actual.objects.count(), Jurisdiction.objects.count())
        assert after == before
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s",
                [f"{connection.settings_dict['NAME']}_bench"],
            )
            assert cursor.fetchone()[0] == 0  # dropped again
    else:
        assert hashlib.sha256(user_db.read_bytes()).hexdigest() == digest


def test_load_run_serves_the_page_under_gunicorn_without_errors(tmp_path):
    user_db = tmp_path / "user.sqlite3"
    database_url = _sqlite_user_database(user_db)
    result = subprocess.run(
        [
            *LOAD,
            "--targets",
            "100",
            "--workers",
            "2",
            "--clients",
            "2",
            "--requests",
            "6",
            "--seconds",
            "30",
            "--json",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["errors"] == 0, figures["error_kinds"]
    assert figures["requests"] == 6
    assert figures["requests_per_s"] > 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]


@pytest.mark.django_db
def test_evaluation_without_detail_judges_every_target_the_same():
    generated = generate(targets=400)
    rules = rules_get()

    def judged(detail: bool) -> list[tuple]:
        rows = attainment_list(as_of=generated.as_of, rules=rules, detail=detail)
        return list(rows.order_by("id").values_list("id", "status", "attainment_ratio", "gap"))

    lean = attainment_list(as_of=generated.as_of, rules=rules, detail=False)
    assert "growth_gap" not in lean.query.annotations  # nothing the summary does not count
    assert judged(detail=False) == judged(detail=True)
