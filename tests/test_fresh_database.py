"""A fresh database after `migrate` alone: the reference data is there and `ingest` works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Shaoxing's 2017 report.
SEED_REPORT = Path(settings.BASE_DIR) / "seeds" / "reports" / "001_7684d66659798cfa.txt"


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "TEST_CELERY_"))
    }
    env.update({"DJANGO_ALLOW_INSECURE_KEY": "true", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("fresh") / "db.sqlite3"
    result = _manage("migrate", database=database)
    assert result.returncode == 0, result.stderr
    return database


def _count(database: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_migrate_loads_the_catalogue_and_the_jurisdictions(migrated):
    assert _count(migrated, "indicators_indicator") > 30
    # Every province, prefecture and county of the division table.
    assert _count(migrated, "tracker_jurisdiction") > 3000


def test_ingest_after_migrate_finds_the_jurisdiction_and_the_facts(migrated):
    result = _manage("ingest", str(SEED_REPORT), database=migrated)

    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert "done, 绍兴市" in line
    targets = int(line.split(", ")[-2].split()[0])
    assert targets > 0


def test_loading_the_reference_data_again_changes_nothing(migrated):
    before = _count(migrated, "tracker_jurisdiction"), _count(migrated, "indicators_indicator")

    catalogue = _manage("load_catalogue", database=migrated)
    divisions = _manage("load_jurisdictions", database=migrated)

    assert catalogue.returncode == 0, catalogue.stderr
    assert divisions.returncode == 0, divisions.stderr
    assert "0 created" in catalogue.stdout
    assert "0 created" in divisions.stdout
    after = _count(migrated, "tracker_jurisdiction"), _count(migrated, "indicators_indicator")
    assert after == before
