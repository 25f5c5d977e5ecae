"""Ingest through a real Celery worker process and a real Redis broker (PostgreSQL only).

The worker is a separate process, so it must see what the test commits: that needs a
server database (PostgreSQL) rather than SQLite's in-memory test database. Set
TEST_CELERY_BROKER_URL (CI does) to run these; with REQUIRE_SERVICES=1 a missing service
fails the run instead of skipping.
"""

from __future__ import annotations

import pytest

from ingest.models import IngestStatus, SourceDocument
from tests.ingest.workers import wait_for
from tracker.models import Actual, Target

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_extracts_a_posted_report_once(worker, editor_client, small_report):
    response = editor_client.post("/api/v1/documents/", {"text": small_report}, format="json")

    assert response.status_code == 202
    doc_id = response.json()["id"]
    assert response.json()["status"] in (
        IngestStatus.QUEUED,
        IngestStatus.PROCESSING,
        IngestStatus.DONE,
    )
    wait_for(
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
    wait_for(
        lambda: SourceDocument.objects.get(pk=doc_id).attempts == 2,
        what="the redelivered task",
    )
    wait_for(lambda: SourceDocument.objects.get(pk=doc_id).status == IngestStatus.DONE)
    assert (targets.count(), Actual.objects.filter(source_document_id=doc_id).count()) == counts
