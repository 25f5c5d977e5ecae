"""Reliability under faults, on PostgreSQL with real Celery workers on Redis.

A worker killed mid-extraction, a broker that is down when a report arrives, a burst of 500
concurrent submissions, and two editors changing the same target at once. See
tests/ingest/workers.py for how the workers run; these tests skip on SQLite (and fail under
REQUIRE_SERVICES=1 when PostgreSQL or Redis is missing).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from ingest import services
from ingest.models import IngestStatus, SourceDocument
from tests.factories import TargetFactory
from tests.ingest.conftest import SMALL_REPORT
from tests.ingest.workers import broker_unreachable, unavailable, wait_for
from tracker.models import Actual, ReviewState, Target

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/documents/"
# Long enough to run for a couple of seconds, so the worker can be killed in the middle.
FILLER_LINES = 30_000
# Redis hands a task whose worker vanished to another worker after this many seconds. It
# must exceed a normal run of the big document, or a live worker's task would be handed
# out again while it runs.
VISIBILITY_TIMEOUT = 10


def _facts(document_id: int) -> Counter:
    """What a document yielded, independent of ids: kind, indicator, measure, value, period."""
    facts: Counter = Counter()
    for kind, model in (("target", Target), ("actual", Actual)):
        rows = model.objects.filter(source_document_id=document_id).values_list(
            "indicator__code", "measure", "value", "comparator", "period_start", "period_end"
        )
        facts.update((kind, *row) for row in rows)
    return facts


def _status(document_id: int) -> str:
    return SourceDocument.objects.get(pk=document_id).status


def _big_report() -> str:
    filler = "".join(f"第{i}项:推进科技创新工作,加强创新平台建设。\n" for i in range(FILLER_LINES))
    return SMALL_REPORT + filler


def test_worker_killed_mid_extraction_redelivers_and_stores_facts_once(workers):
    env = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    first = workers.start(env=env)
    text = _big_report()
    doc_id = services.document_submit(text=text).document.pk
    wait_for(lambda: _status(doc_id) == IngestStatus.PROCESSING, what="extraction to start")

    workers.kill(first)

    # Killed in the middle: nothing stored, and nobody left to finish it.
    assert _status(doc_id) == IngestStatus.PROCESSING
    assert not _facts(doc_id)
    workers.start(env=env)
    wait_for(
        lambda: _status(doc_id) == IngestStatus.DONE,
        timeout=120,
        what="the redelivered task to finish the document",
    )
    document = SourceDocument.objects.get(pk=doc_id)
    assert document.attempts >= 2
    # A clean run of the same text (one more newline: a new document) yields the same facts.
    clean_id = services.document_submit(text=text + "\n").document.pk
    wait_for(lambda: _status(clean_id) == IngestStatus.DONE, timeout=60, what="the clean run")
    assert _facts(doc_id) == _facts(clean_id)
    assert sum(_facts(doc_id).values()) == 4
    # Each fact was inserted exactly once: no duplicate created and later removed.
    created = Target.history.filter(source_document_id=doc_id, history_type="+").count()
    assert created == Target.objects.filter(source_document_id=doc_id).count()


def test_prefork_child_killed_mid_extraction_hands_the_task_back_at_once(workers):
    # The default visibility timeout (10 minutes) is far beyond the wait below: the task
    # comes back because the parent rejects it when its child dies, not through Redis.
    parent = workers.start(pool="prefork", concurrency=1)
    doc_id = services.document_submit(text=_big_report()).document.pk
    wait_for(lambda: _status(doc_id) == IngestStatus.PROCESSING, what="extraction to start")

    (child,) = _children(parent.pid)
    os.kill(child, signal.SIGKILL)

    wait_for(
        lambda: _status(doc_id) == IngestStatus.DONE,
        timeout=60,
        what="the task handed back to a new child process",
    )
    document = SourceDocument.objects.get(pk=doc_id)
    assert document.attempts == 2
    assert sum(_facts(doc_id).values()) == 4
    created = Target.history.filter(source_document_id=doc_id, history_type="+").count()
    assert created == Target.objects.filter(source_document_id=doc_id).count()


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def test_report_posted_while_broker_down_is_kept_and_requeued_to_a_real_worker(
    workers, editor_client, small_report
):
    workers.start()
    with broker_unreachable():
        response = editor_client.post(URL, {"text": small_report}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["enqueued_at"]) == (IngestStatus.QUEUED, None)
    assert "the task queue is unavailable" in body["error"]
    assert SourceDocument.objects.get(pk=body["id"]).status == IngestStatus.QUEUED

    out = StringIO()
    call_command("requeue_documents", stdout=out)

    assert out.getvalue() == "re-queued 1 document\n"
    wait_for(lambda: _status(body["id"]) == IngestStatus.DONE, what="the re-queued document")
    document = SourceDocument.objects.get(pk=body["id"])
    assert (document.error, document.attempts) == ("", 1)
    assert sum(_facts(document.pk).values()) == 4


# The burst: 350 distinct reports and 150 repeated submissions, 500 posts in all.
THREADS = 8
HOT = 10  # texts every thread posts at the same moment, in the same order
DISTINCT = 350
REPEATS = 150


def _burst_report(number: int) -> str:
    return SMALL_REPORT.replace("12,345件", f"{20_000 + number}件")


def _with_patents(facts: Counter, value: int) -> Counter:
    """The facts of the single ingest, with the patent count of another report."""
    single_value = Decimal(20_000 - 1)
    return Counter(
        {
            (kind, code, measure, Decimal(value) if number == single_value else number, *rest): n
            for (kind, code, measure, number, *rest), n in facts.items()
        }
    )


def _post_all(user: User, items: list[int], barrier: threading.Barrier, results: list) -> None:
    client = APIClient()
    client.force_authenticate(user)
    try:
        barrier.wait()
        for number in items:
            response = client.post(URL, {"text": _burst_report(number)}, format="json")
            results.append((number, response.status_code, response.json().get("id")))
    finally:
        connection.close()


def test_burst_of_500_concurrent_submissions_stores_each_text_once(workers, editor):
    workers.start(pool="prefork", concurrency=2)
    # What a single ingest of one report of the burst's template yields.
    single_id = services.document_submit(text=_burst_report(-1)).document.pk
    wait_for(lambda: _status(single_id) == IngestStatus.DONE, what="the single ingest")
    single = _facts(single_id)
    assert sum(single.values()) == 4

    rest = list(range(HOT, DISTINCT)) + random.Random(7).choices(range(DISTINCT), k=REPEATS - 70)
    random.Random(8).shuffle(rest)
    per_thread = [list(range(HOT)) + rest[i::THREADS] for i in range(THREADS)]
    assert sum(map(len, per_thread)) == 500
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, int, int]] = []
    threads = [
        threading.Thread(target=_post_all, args=(editor, items, barrier, results))
        for items in per_thread
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert len(results) == 500
    ids: dict[int, set[int]] = defaultdict(set)
    created = Counter()
    for number, status, doc_id in results:
        assert status in (200, 202), (number, status)
        ids[number].add(doc_id)
        created[number] += status == 202
    assert len(ids) == DISTINCT
    assert all(len(found) == 1 for found in ids.values()), "a text stored twice"
    assert set(created.values()) == {1}, "each text is new exactly once, then recognised"
    documents = SourceDocument.objects.exclude(pk=single_id)
    assert documents.count() == DISTINCT
    wait_for(
        lambda: documents.filter(status=IngestStatus.DONE).count() == DISTINCT,
        timeout=170,
        what="the workers to extract every document",
    )
    # Each extracted once: no task retried after a deadlock or lost and run again.
    assert set(documents.values_list("attempts", flat=True)) == {1}
    for number, (doc_id,) in ids.items():
        assert _facts(doc_id) == _with_patents(single, 20_000 + number), number


# Two editors, one target: the second write with a stale version must not win silently.
ROUNDS = 10


def _second_editor() -> User:
    user = User.objects.create_user(username="editor2", password="pw-editor2")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


def _edit(user, target_id, value, barrier, answers) -> None:
    client = APIClient()
    client.force_authenticate(user)
    try:
        version = client.get(f"/api/v1/targets/{target_id}/").json()["version"]
        barrier.wait()  # both have read the same version; now both write
        response = client.patch(
            f"/api/v1/targets/{target_id}/",
            {"value": str(value), "version": version},
            format="json",
        )
        answers.append((value, version, response.status_code, response.json()))
    finally:
        connection.close()


def test_two_editors_patching_the_same_version_one_wins_the_other_gets_409(
    catalogue, shaoxing, editor
):
    if connection.vendor != "postgresql":
        unavailable("concurrent writers need DATABASE_URL pointing at PostgreSQL")
    other = _second_editor()
    target = TargetFactory(jurisdiction=shaoxing, review_state=ReviewState.PROPOSED)

    for round_ in range(ROUNDS):
        barrier = threading.Barrier(2)
        answers: list = []
        threads = [
            threading.Thread(
                target=_edit, args=(user, target.pk, 100 + 2 * round_ + i, barrier, answers)
            )
            for i, user in enumerate((editor, other))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert {version for _, version, _, _ in answers} == {round_ + 1}
        assert sorted(status for _, _, status, _ in answers) == [200, 409]
        (winner,) = [value for value, _, status, _ in answers if status == 200]
        (refused,) = [body for _, _, status, body in answers if status == 409]
        assert refused["code"] == "conflict"
        assert "changed by someone else since you read it" in refused["message"]
        target.refresh_from_db()
        assert (target.version, target.value) == (round_ + 2, Decimal(winner))

    # No lost update: one creation and exactly one change per round in the history.
    assert Target.history.filter(id=target.pk).count() == 1 + ROUNDS
