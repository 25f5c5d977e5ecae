"""Timings of the evaluations' API on generated data, next to hand-written SQL."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from ingest.extraction import bench as extraction_bench
from tracker.attainment.services import evaluations_rebuild
from tracker.bench import floor
from tracker.bench.data import EDITOR, generate
from tracker.bench.database import bench_database
from tracker.gunicorn import post_worker_init
from tracker.models import Target

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


def _evaluation(client: Client, url: str) -> str:
    """Where a list's rows came from (stored or live)."""
    return client.get(url).json()["evaluation"]


def analyze() -> None:
    """Planner statistics and visibility maps after the bulk load, as autovacuum leaves them."""
    # Without them PostgreSQL guesses its plans, and counts a table from the heap rather
    # than from an index (its visibility map says nothing is all-visible yet).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _export(client: Client, url: str) -> dict:
    """Time to the first chunk and to the first line past the header (a CSV's first row),
    bytes, lines and seconds of one export."""
    start = time.perf_counter()
    response = client.get(url)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_ms = (time.perf_counter() - start) * 1000
    first_row_ms = None
    size, lines = len(first), first.count(b"\n")
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if first_row_ms is None and lines > 1:
            first_row_ms = round((time.perf_counter() - start) * 1000, 1)
    seconds = time.perf_counter() - start
    return {
        "first_chunk_ms": round(first_ms, 1),
        "first_row_ms": first_row_ms,
        "seconds": seconds,
        "bytes": size,
        "lines": lines,
    }


def _export_peak_mb(client: Client, url: str) -> float:
    """Peak memory Python allocated while one export was streamed (flat if it streams)."""
    tracemalloc.start()
    try:
        for _ in client.get(url).streaming_content:
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def measure(*, token: str, as_of, runs: int, export_runs: int) -> dict:
    """Time the lists, summary, exports, a write and the SQL floor through the URL stack."""
    # The interpreter as a gunicorn worker runs it (tracker/gunicorn.py).
    post_worker_init(None)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    editor = User.objects.get(username=EDITOR)
    writer = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=editor)[0].key}")
    day = f"?as_of={as_of:%Y-%m-%d}"
    page_url = f"{API}/attainment/{day}"
    urls = {
        "status_page_ms": f"{API}/attainment/{day}&status=missed",
        "ratio_page_ms": f"{API}/attainment/{day}&ordering=-attainment_ratio",
        "growth_gaps_page_ms": f"{API}/growth-gaps/{day}",
        "summary_indicator_ms": f"{API}/attainment/summary/{day}&group_by=indicator",
        "summary_year_ms": f"{API}/attainment/summary/{day}&group_by=year",
    }
    summary_url = f"{API}/attainment/summary/{day}"
    live_url = f"{API}/attainment/?as_of={as_of - timedelta(days=1):%Y-%m-%d}"
    if _evaluation(client, page_url) != "stored" or _evaluation(client, live_url) != "live":
        raise RuntimeError("the bench expects stored rows as of its day, live ones otherwise")

    with CaptureQueriesContext(connections["default"]) as captured:
        _get(client, page_url)
    # Read now: the next request clears the connection's query log.
    queries_per_page = len(captured.captured_queries)
    page, page_sql = paired_median_ms(
        lambda: _get(client, page_url), floor.attainment_page, runs=runs
    )
    summary, summary_sql = paired_median_ms(
        lambda: _get(client, summary_url), floor.attainment_summary, runs=runs
    )
    figures: dict = {
        "queries_per_page": queries_per_page,
        "attainment_page_ms": page,
        "attainment_page_sql_ms": page_sql,
        "page_ratio": round(page / page_sql, 2),
        "summary_ms": summary,
        "summary_sql_ms": summary_sql,
        "summary_ratio": round(summary / summary_sql, 2),
    }
    for key, url in urls.items():
        figures[key] = median_ms(lambda url=url: _get(client, url), runs=runs)
    figures["live_page_ms"] = median_ms(lambda: _get(client, live_url), runs=max(1, runs // 2))
    target_id = Target.objects.order_by("id").values_list("id", flat=True)[
        Target.objects.count() // 2
    ]
    figures["target_detail_ms"] = median_ms(
        lambda: _get(client, f"{API}/targets/{target_id}/"), runs=runs
    )
    accepted = Target.objects.filter(review_state="accepted", measure="level").order_by("id")
    written = accepted.values_list("id", flat=True)[accepted.count() // 2]
    figures["target_write_ms"] = _target_write_ms(writer, written, runs=runs)

    for kind in ("csv", "xlsx"):
        url = f"{API}/attainment/export.{kind}{day}"
        timed = [_export(client, url) for _ in range(max(1, export_runs))]
        best = min(timed, key=lambda t: t["seconds"])
        figures[f"{kind}_first_chunk_ms"] = best["first_chunk_ms"]
        if kind == "csv":
            figures["csv_first_row_ms"] = best["first_row_ms"]
        figures[f"{kind}_bytes"] = best["bytes"]
        figures[f"{kind}_seconds"] = round(best["seconds"], 2)
    count = client.get(page_url).json()["count"]
    figures["export_rows"] = count
    figures["export_rows_per_s"] = round(count / figures["csv_seconds"], 1)
    figures["xlsx_rows_per_s"] = round(count / figures["xlsx_seconds"], 1)
    figures["export_peak_mb"] = _export_peak_mb(client, f"{API}/attainment/export.csv{day}")
    return figures


def _target_write_ms(client: Client, target_id: int, *, runs: int) -> float:
    """Median time of a PATCH of a target's value, its series' evaluations refreshed."""
    url = f"{API}/targets/{target_id}/"
    value = Decimal(client.get(url).json()["value"])
    # Small steps: a percent target stays within 0..100.
    values = iter([value + Decimal(step) / 1000 for step in range(1, 2 * max(1, runs) + 3)])

    def write() -> None:
        body = {"value": str(next(values)), "change_reason": "bench"}
        response = client.patch(url, body, content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"PATCH {url} answered {response.status_code}")

    return median_ms(write, runs=runs)


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
        generation_s = round(time.perf_counter() - start, 2)
        if connection.vendor == "postgresql":
            analyze()
        rebuilt = evaluations_rebuild(as_of=generated.as_of)
        if connection.vendor == "postgresql":
            analyze()
        figures = {
            "database": connection.vendor,
            "targets": generated.targets,
            "actuals": generated.actuals,
            "evaluations": rebuilt.rows,
            "jurisdictions": generated.jurisdictions,
            "indicators": generated.indicators,
            "documents": generated.documents,
            "generation_s": generation_s,
            "rebuild_s": round(rebuilt.seconds, 2),
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
        "extract_long_report_kb_per_s": extraction["long_report_kb_per_s"],
        "extract_kb": extraction["synthetic_kb"],
    }
    return figures
