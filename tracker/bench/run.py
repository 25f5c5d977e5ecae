"""Timings of the attainment API against the hand-written SQL floor, on generated data."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ingest.extraction import bench as extraction_bench
from tracker.attainment.rules import rules_get
from tracker.bench import floor
from tracker.bench.data import generate
from tracker.bench.database import bench_database
from tracker.models import Target
from tracker.runtime import tune_garbage_collector

API = "/api/v1"


def median_ms(fn: Callable[[], object], *, runs: int) -> float:
    """Median wall time of fn in milliseconds, after one untimed warm-up call."""
    fn()
    timings = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return round(statistics.median(timings) * 1000, 2)


def paired_median_ms(
    first: Callable[[], object], second: Callable[[], object], *, runs: int
) -> tuple[float, float]:
    """Median wall times of two functions timed alternately, after one warm-up call each.

    Alternating gives both the same machine: a shared host's speed can change by half
    within seconds, which would skew a ratio of two series timed one after the other.
    """
    first(), second()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(max(1, runs)):
        for fn, series in ((first, timings[0]), (second, timings[1])):
            start = time.perf_counter()
            fn()
            series.append(time.perf_counter() - start)
    return tuple(round(statistics.median(series) * 1000, 2) for series in timings)


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def analyze() -> None:
    """Fresh planner statistics after the bulk load (PostgreSQL would otherwise guess)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(*, token: str, as_of, runs: int, export_runs: int) -> dict:
    """Time page, summary, export and detail through the URL stack, and the SQL floor."""
    # The interpreter as the web process runs it (tracker.wsgi does the same at start).
    tune_garbage_collector()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rules = rules_get()
    query = f"?as_of={as_of:%Y-%m-%d}"
    page_url = f"{API}/attainment/{query}"
    summary_url = f"{API}/attainment/summary/{query}"
    export_url = f"{API}/attainment/export.csv{query}"
    target_id = Target.objects.order_by("id").values_list("id", flat=True)[
        Target.objects.count() // 2
    ]

    with CaptureQueriesContext(connections["default"]) as captured:
        _get(client, page_url)
    # Read now: the next request clears the connection's query log.
    queries_per_page = len(captured.captured_queries)
    export_rows = _get(client, export_url).decode("utf-8-sig").count("\r\n") - 1
    page, page_sql = paired_median_ms(
        lambda: _get(client, page_url),
        lambda: floor.attainment_page(as_of=as_of, rules=rules),
        runs=runs,
    )
    summary, summary_sql = paired_median_ms(
        lambda: _get(client, summary_url),
        lambda: floor.attainment_summary(as_of=as_of, rules=rules),
        runs=runs,
    )
    figures = {
        "queries_per_page": queries_per_page,
        "attainment_page_ms": page,
        "attainment_page_sql_ms": page_sql,
        "summary_ms": summary,
        "summary_sql_ms": summary_sql,
        "target_detail_ms": median_ms(
            lambda: _get(client, f"{API}/targets/{target_id}/"), runs=runs
        ),
        "export_ms": median_ms(lambda: _get(client, export_url), runs=export_runs),
        "export_rows": export_rows,
    }
    figures["export_rows_per_s"] = round(export_rows / (figures["export_ms"] / 1000), 1)
    figures["page_ratio"] = round(page / page_sql, 2)
    figures["summary_ratio"] = round(summary / summary_sql, 2)
    return figures


def run(
    *,
    targets: int,
    runs: int = 5,
    export_runs: int = 1,
    extract_mb: float = 5.0,
    database_url: str | None = None,
    seed: int = 0,
) -> dict:
    """Generate `targets` targets in a bench database, time everything, drop the database."""
    with bench_database(database_url=database_url):
        start = time.perf_counter()
        generated = generate(targets=targets, seed=seed)
        if connection.vendor == "postgresql":
            analyze()
        generation_s = round(time.perf_counter() - start, 2)
        figures = {
            "database": connection.vendor,
            "targets": generated.targets,
            "actuals": generated.actuals,
            "jurisdictions": generated.jurisdictions,
            "indicators": generated.indicators,
            "documents": generated.documents,
            "generation_s": generation_s,
            "as_of": f"{generated.as_of:%Y-%m-%d}",
            "runs": runs,
        }
        figures |= measure(
            token=generated.token, as_of=generated.as_of, runs=runs, export_runs=export_runs
        )
    extraction = extraction_bench.run(size_mb=extract_mb, runs=runs)
    figures |= {
        "extract_kb_per_s": extraction["synthetic_kb_per_s"],
        "extract_seed_kb_per_s": extraction["seed_kb_per_s"],
        "extract_kb": extraction["synthetic_kb"],
    }
    return figures
