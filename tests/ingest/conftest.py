"""Fixtures of the ingest tests: a small report and the seed reports."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.ingest.workers import start_workers

SEEDS = sorted((Path(settings.BASE_DIR) / "seeds" / "reports").glob("*.txt"))

# An invented plan in the genre of the seed reports: two targets, two actuals.
SMALL_REPORT = (
    "绍兴市科学技术局2018年科技工作要点\n"
    "一、2017年工作回顾\n"
    "2017年,全市专利授权量达到12,345件,全社会研发经费支出150亿元。\n"
    "二、2018年主要目标\n"
    "力争全社会研发经费支出达到170亿元,专利授权量突破13000件。\n"
)


@pytest.fixture
def small_report() -> str:
    return SMALL_REPORT


@pytest.fixture
def seed_reports() -> list[Path]:
    return SEEDS


@pytest.fixture
def workers(catalogue, shaoxing):
    """Real `celery worker` processes on the test's own queue (PostgreSQL and Redis only)."""
    yield from start_workers()


@pytest.fixture
def worker(workers):
    """One real worker (solo pool) consuming the test's queue."""
    return workers.start()
