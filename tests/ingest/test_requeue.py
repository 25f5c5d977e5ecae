"""A report posted while the broker is down is kept, and re-queued once the broker is back.

The broker here is genuinely unreachable (a closed port); once it is "back", tasks run
eagerly in-process, so these tests need no server. tests/ingest/test_reliability.py does
the same against Redis and a real worker.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ingest.models import IngestStatus, SourceDocument
from ingest.tasks import requeue_documents
from tests.factories import SourceDocumentFactory
from tests.ingest.workers import broker_unreachable
from tracker.celery import app as celery_app
from tracker.models import Actual, Target

# Transactional: the extraction is queued when the submission commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/documents/"


def _requeue(*args: str) -> str:
    out = StringIO()
    call_command("requeue_documents", *args, stdout=out)
    return out.getvalue()


def test_report_posted_while_broker_down_is_stored_queued_and_explained(
    catalogue, shaoxing, editor_client, small_report, caplog
):
    with broker_unreachable(), caplog.at_level(logging.ERROR, logger="ingest.services"):
        response = editor_client.post(URL, {"text": small_report}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == IngestStatus.QUEUED
    assert body["enqueued_at"] is None
    assert "extraction is waiting: the task queue is unavailable" in body["error"]
    document = SourceDocument.objects.get(pk=body["id"])
    assert document.text == small_report
    assert not Target.objects.filter(source_document=document).exists()
    assert f"could not queue document {document.pk} for extraction" in caplog.text


def test_requeue_command_hands_waiting_documents_over_once_the_broker_is_back(
    catalogue, shaoxing, editor_client, small_report
):
    with broker_unreachable():
        doc_id = editor_client.post(URL, {"text": small_report}, format="json").json()["id"]
        with pytest.raises(CommandError, match="unreachable: re-queued 0 documents, 1 document"):
            _requeue()
    assert SourceDocument.objects.get(pk=doc_id).status == IngestStatus.QUEUED

    out = _requeue()

    assert out == "re-queued 1 document\n"
    document = SourceDocument.objects.get(pk=doc_id)
    assert (document.status, document.error, document.attempts) == (IngestStatus.DONE, "", 1)
    assert document.enqueued_at is not None
    assert Target.objects.filter(source_document=document).count() == 2
    assert Actual.objects.filter(source_document=document).count() == 2
    assert _requeue() == "re-queued 0 documents\n"


def test_reextract_while_broker_down_waits_and_is_requeued(
    catalogue, shaoxing, editor_client, small_report
):
    doc_id = editor_client.post(URL, {"text": small_report}, format="json").json()["id"]
    with broker_unreachable():
        response = editor_client.post(f"{URL}{doc_id}/reextract/", format="json")
    assert response.status_code == 202
    assert response.json()["status"] == IngestStatus.QUEUED
    assert "task queue is unavailable" in response.json()["error"]

    _requeue()

    document = SourceDocument.objects.get(pk=doc_id)
    assert (document.status, document.attempts) == (IngestStatus.DONE, 2)


def test_requeue_takes_lost_documents_but_not_those_waiting_or_running_normally(
    catalogue, shaoxing
):
    long_ago = timezone.now() - timedelta(hours=1)
    queued_now = SourceDocumentFactory(
        status=IngestStatus.QUEUED, enqueued_at=timezone.now(), jurisdiction=shaoxing
    )
    running_now = SourceDocumentFactory(status=IngestStatus.PROCESSING, jurisdiction=shaoxing)
    done = SourceDocumentFactory(status=IngestStatus.DONE, jurisdiction=shaoxing)
    failed = SourceDocumentFactory(status=IngestStatus.FAILED, error="bug", jurisdiction=shaoxing)
    queued_long_ago = SourceDocumentFactory(
        status=IngestStatus.QUEUED, enqueued_at=long_ago, jurisdiction=shaoxing
    )
    running_long_ago = SourceDocumentFactory(status=IngestStatus.PROCESSING, jurisdiction=shaoxing)
    SourceDocument.objects.filter(pk=running_long_ago.pk).update(updated_at=long_ago)

    out = _requeue("--stale-minutes", "30")

    assert out == "re-queued 2 documents\n"
    status = dict(SourceDocument.objects.values_list("pk", "status"))
    assert status[queued_long_ago.pk] == status[running_long_ago.pk] == IngestStatus.DONE
    assert status[queued_now.pk] == IngestStatus.QUEUED
    assert status[running_now.pk] == IngestStatus.PROCESSING
    assert (status[done.pk], status[failed.pk]) == (IngestStatus.DONE, IngestStatus.FAILED)
    assert SourceDocument.objects.get(pk=done.pk).attempts == 0


def test_requeue_failed_re_extracts_failed_documents_after_the_cause_is_fixed(catalogue, shaoxing):
    failed = SourceDocumentFactory(
        status=IngestStatus.FAILED, error="ZeroDivisionError", jurisdiction=shaoxing
    )

    assert _requeue("--failed") == "re-queued 1 document\n"

    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (IngestStatus.DONE, "", 1)


def test_requeue_command_refuses_a_negative_age(db):
    with pytest.raises(CommandError, match="--stale-minutes must be 0 or more"):
        _requeue("--stale-minutes", "-1")


def test_beat_runs_the_requeue_task_every_five_minutes(
    catalogue, shaoxing, editor_client, small_report
):
    entry = celery_app.conf.beat_schedule["requeue-documents"]
    assert entry["task"] == requeue_documents.name
    assert entry["schedule"] == 300
    with broker_unreachable():
        doc_id = editor_client.post(URL, {"text": small_report}, format="json").json()["id"]

    outcome = requeue_documents.delay().get()

    assert outcome == {"requeued": 1, "waiting": 0}
    assert SourceDocument.objects.get(pk=doc_id).status == IngestStatus.DONE
