"""Ingest through a real Celery worker process and a real Redis broker (PostgreSQL only).

The worker is a separate process, so it must see what the test commits: that needs a
server database (PostgreSQL) rather than SQLite's in-memory test database. Set
TEST_CELERY_BROKER_URL (CI does) to run these; with REQUIRE_SERVICES=1 a missing service
fails the run instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ingest.models import IngestStatus, SourceDocument
from tracker.celery import app as celery_app
from tracker.models import Actual, Target

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "")
ROOT = Path(settings.BASE_DIR)


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def _wait_for(predicate, *, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@pytest.fixture
def worker(catalogue, shaoxing):
    """A `celery worker` process on its own queue, sharing the test database."""
    if connection.vendor != "postgresql":
        _unavailable("the real-worker test needs DATABASE_URL pointing at PostgreSQL")
    if not BROKER_URL:
        _unavailable("TEST_CELERY_BROKER_URL is not set")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    log = (ROOT / ".pytest_cache").resolve()
    log.mkdir(exist_ok=True)
    with open(log / f"worker-{queue}.log", "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=info",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = {
        k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")
    }
    celery_app.conf.update(broker_url=BROKER_URL, task_always_eager=False, task_default_queue=queue)
    _reset_connections()
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
    except Exception as exc:  # the broker is not there
        process.terminate()
        _unavailable(f"broker {BROKER_URL} unreachable: {exc}")
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.update(saved)
        _reset_connections()


def _reset_connections() -> None:
    """Forget cached broker connections and routes so the new configuration takes effect."""
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def test_real_worker_extracts_a_posted_report_once(worker, editor_client, small_report):
    response = editor_client.post("/api/v1/documents/", {"text": small_report}, format="json")

    assert response.status_code == 202
    doc_id = response.json()["id"]
    assert response.json()["status"] in (
        IngestStatus.QUEUED,
        IngestStatus.PROCESSING,
        IngestStatus.DONE,
    )
    _wait_for(
        lambda: SourceDocument.objects.get(pk=doc_id).status == IngestStatus.DONE,
        what="the worker to finish the document",
    )
    targets = Target.objects.filter(source_document_id=doc_id)
    assert targets.filter(indicator__code="rd_expenditure", value=17000000000).exists()
    assert Actual.objects.filter(source_document_id=doc_id, value=12345).exists()
    counts = (targets.count(), Actual.objects.filter(source_document_id=doc_id).count())

    # The same task delivered again (e.g. after a worker restart) stores nothing twice.
    from ingest.tasks import extract_document

    extract_document.delay(doc_id)
    _wait_for(
        lambda: SourceDocument.objects.get(pk=doc_id).attempts == 2,
        what="the redelivered task",
    )
    _wait_for(lambda: SourceDocument.objects.get(pk=doc_id).status == IngestStatus.DONE)
    assert (targets.count(), Actual.objects.filter(source_document_id=doc_id).count()) == counts
