"""A fresh database after `migrate` alone: the reference data is there and `ingest` works."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from django.conf import settings

# Shaoxing's 2017 report.
SEED_REPORT = Path(settings.BASE_DIR) / "seeds" / "reports" / "001_7684d66659798cfa.txt"
SEED_REPORTS = sorted((Path(settings.BASE_DIR) / "seeds" / "reports").glob("00[2-4]_*.txt"))


def _environment(database: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "TEST_CELERY_"))
    }
    env.update({"DJANGO_ALLOW_INSECURE_KEY": "true", "DATABASE_URL": f"sqlite:///{database}"})
    return env


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=_environment(database),
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


def _on_a_terminal(*args: str, database: Path) -> tuple[int, str]:
    """Run manage.py with its output on a pseudo-terminal, as a person at a shell sees it."""
    leader, follower = pty.openpty()
    # A terminal 100 columns wide, 30 rows high.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=_environment(database),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=300), output.decode("utf-8", errors="replace")


def test_ingest_of_many_files_shows_a_progress_bar_on_a_terminal(migrated):
    code, output = _on_a_terminal("ingest", *map(str, SEED_REPORTS), database=migrated)

    assert code == 0, output
    assert f"{len(SEED_REPORTS)}/{len(SEED_REPORTS)}" in output
    assert "100%|" in output
    # Each report's line is still printed, above the bar.
    assert output.count("targets,") == len(SEED_REPORTS)


def test_ingest_into_a_pipe_prints_plain_lines(migrated):
    result = _manage("ingest", *map(str, SEED_REPORTS), database=migrated)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(SEED_REPORTS)
    assert all("targets," in line for line in lines)
    assert "%|" not in result.stdout + result.stderr
    assert "\r" not in result.stdout


def test_evaluations_rebuild_shows_a_progress_bar_on_a_terminal(migrated):
    code, output = _on_a_terminal("evaluations_rebuild", database=migrated)

    assert code == 0, output
    assert "100%|" in output
    assert "evaluations stored as of" in output


def test_evaluations_rebuild_into_a_pipe_prints_one_line(migrated):
    result = _manage("evaluations_rebuild", database=migrated)

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert "%|" not in result.stdout + result.stderr
