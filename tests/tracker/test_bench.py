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
from tracker.attainment.models import Status
from tracker.attainment.services import evaluations_rebuild
from tracker.bench import floor
from tracker.bench.data import generate
from tracker.bench.database import bench_settings
from tracker.models import Actual, Jurisdiction, Target

ROOT = Path(settings.BASE_DIR)
BENCH = [sys.executable, "manage.py", "bench"]
LOAD = [sys.executable, "manage.py", "bench_load"]
TINY_LOAD = ["--targets", "100", "--workers", "2", "--clients", "2", "--requests", "6"]
TINY_LOAD += ["--seconds", "30"]
# What the issue of stored evaluations asks the bench to print, and the floor's figures.
KEYS = [
    "targets",
    "summary_ms",
    "summary_indicator_ms",
    "summary_year_ms",
    "status_page_ms",
    "ratio_page_ms",
    "growth_gaps_page_ms",
    "attainment_page_ms",
    "queries_per_page",
    "export_rows_per_s",
    "xlsx_rows_per_s",
    "target_write_ms",
    "rebuild_s",
    "extract_kb_per_s",
    "attainment_page_sql_ms",
    "summary_sql_ms",
    "live_page_ms",
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


@pytest.mark.django_db
def test_hand_written_sql_gives_the_api_page_and_summary():
    generated = generate(targets=400)
    evaluations_rebuild(as_of=generated.as_of)
    client = _client(generated.token)
    as_of = generated.as_of

    api = client.get(f"/api/v1/attainment/?as_of={as_of}").json()
    count, rows = floor.attainment_page()
    assert api["evaluation"] == "stored"
    assert api["count"] == count
    # The same rows in the same order: target, status, ratio, the actual used, the baseline.
    assert [
        (
            r["target"]["id"],
            r["status"],
            r["attainment_ratio"],
            (r["actual"] or {}).get("id"),
            (r["baseline"] or {}).get("id"),
        )
        for r in api["results"]
    ] == [
        (target, status, None if ratio is None else round(ratio, 4), actual, baseline)
        for target, status, ratio, actual, baseline, *_ in rows
    ]
    # The data set exercises most of the rules, or the comparison would prove little.
    assert len({status for _, status, *_ in rows}) >= 4

    summary = client.get(f"/api/v1/attainment/summary/?as_of={as_of}").json()["results"]
    groups: dict[int, dict] = {}
    for jurisdiction_id, _code, _name, status, n, ratio_sum, ratio_n in floor.attainment_summary():
        group = groups.setdefault(jurisdiction_id, {"total": 0, "sum": 0.0, "n": 0})
        group[status] = n
        group["total"] += n
        group["sum"] += ratio_sum or 0.0
        group["n"] += ratio_n
    assert [g["group"]["jurisdiction_id"] for g in summary] == list(groups)
    for ours in summary:
        theirs = groups[ours["group"]["jurisdiction_id"]]
        assert ours["total"] == theirs["total"]
        assert ours["by_status"] == {s.value: theirs.get(s.value, 0) for s in Status}
        mean = theirs["sum"] / theirs["n"] if theirs["n"] else None
        assert ours["mean_attainment"] == (None if mean is None else round(mean, 4))


@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_data():
    def queries(targets: int) -> int:
        _clear()
        generated = generate(targets=targets)
        evaluations_rebuild(as_of=generated.as_of)
        client = _client(generated.token)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/attainment/?as_of={generated.as_of}")
        assert response.status_code == 200
        assert response.json()["evaluation"] == "stored"
        return len(captured.captured_queries)

    assert queries(60) == queries(600)


def _sqlite_user_database(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE tracker_target (id INTEGER PRIMARY KEY, note TEXT)")
        db.executemany("INSERT INTO tracker_target (note) VALUES (?)", [("mine",)] * 5)
    return f"sqlite:///{path}"


def test_a_bench_on_a_postgresql_server_runs_with_the_services_planner_settings():
    # Whatever database the process is configured with (SQLite in the quick start).
    bench = bench_settings(database_url="postgres://postgres@127.0.0.1:5432/elsewhere")
    assert bench["NAME"] == "elsewhere_bench"
    assert bench["OPTIONS"] == settings.POSTGRESQL_OPTIONS
    assert "-c jit=off" in bench["OPTIONS"]["options"]
    assert "-c random_page_cost=1.1" in bench["OPTIONS"]["options"]


@pytest.mark.django_db
def test_postgresql_connections_plan_with_jit_off_and_cheap_random_reads():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


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
