"""The API keeps serving when Redis, its shared cache and task broker, is down or hung.

Against a real redis-server the test starts, then kills (down: connections refused) or
SIGSTOPs (hung: connections accepted, nothing answered). The application's cache and broker
point at it, as docs/security.md recommends for production; requests go through the API.
"""

from __future__ import annotations

import logging
import time
import uuid
from io import StringIO

import pytest
import redis
from django.core.management import call_command

from ingest.models import IngestStatus, SourceDocument
from tests.ingest.workers import celery_configured
from tests.redis_server import redis_server
from tracker.rest.throttling import outage
from tracker.settings import CACHES

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/documents/"
HEALTH = "/api/v1/health/"
# What a request may take while Redis hangs: the broker's bound (2 s) and the cache's, with
# slack for a loaded machine; unbounded, a post waited 40 s and more.
HUNG_BUDGET_SECONDS = 8.0


@pytest.fixture
def server():
    yield from redis_server()


@pytest.fixture
def queue():
    return f"faults-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def on_redis(server, queue, settings):
    """The cache and the broker on the test's own Redis."""
    settings.CACHES = {
        **CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url(2),
            "OPTIONS": {
                "socket_connect_timeout": settings.CACHE_SOCKET_TIMEOUT,
                "socket_timeout": settings.CACHE_SOCKET_TIMEOUT,
            },
        },
    }
    with celery_configured(
        broker_url=server.url(0), task_always_eager=False, task_default_queue=queue
    ):
        yield server
    outage.answered()


def _waiting_messages(server, queue: str) -> int:
    return redis.Redis.from_url(server.url(0)).llen(queue)


def _post(client, text: str):
    response = client.post(URL, {"text": text, "jurisdiction": "330600"}, format="json")
    assert response.status_code == 202, response.content
    return response.json()


def test_redis_down_reads_and_writes_go_on_and_documents_are_queued_when_it_returns(
    on_redis, queue, settings, catalogue, shaoxing, editor_client, reader_client, anon_client,
    small_report, caplog,
):  # fmt: skip
    settings.THROTTLE_SHARED_CACHE_RETRY_SECONDS = 0  # try Redis again at every request
    health = anon_client.get(HEALTH)
    assert (health.status_code, health.json()) == (
        200,
        {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"},
    )
    before = _post(editor_client, small_report)
    assert before["enqueued_at"] is not None
    assert _waiting_messages(on_redis, queue) == 1

    on_redis.kill()

    with caplog.at_level(logging.WARNING):
        assert reader_client.get("/api/v1/targets/").status_code == 200
        assert reader_client.get(f"{URL}{before['id']}/").status_code == 200
        during = _post(editor_client, small_report + "\n")
    assert during["status"] == IngestStatus.QUEUED
    assert during["enqueued_at"] is None
    assert "task queue is unavailable" in during["error"]
    assert SourceDocument.objects.get(pk=during["id"]).text == small_report + "\n"
    assert "shared cache unavailable (ConnectionError" in caplog.text
    assert f"could not queue document {during['id']} for extraction" in caplog.text

    health = anon_client.get(HEALTH)
    assert health.status_code == 200
    body = health.json()
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert body["cache"] == "error: ConnectionError"
    assert body["broker"].startswith("error: ")

    # Throttling still counts, in the process's memory: password guessing is still limited.
    statuses = [
        anon_client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]

    on_redis.start()  # back, empty

    out = StringIO()
    call_command("requeue_documents", stdout=out)
    assert out.getvalue() == "re-queued 1 document\n"
    assert SourceDocument.objects.get(pk=during["id"]).enqueued_at is not None
    assert _waiting_messages(on_redis, queue) == 1
    health = anon_client.get(HEALTH)
    assert (health.status_code, health.json()["status"]) == (200, "ok")


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_redis_hung_every_request_answers_within_seconds(
    on_redis, catalogue, shaoxing, editor_client, reader_client, anon_client, small_report
):
    on_redis.pause()
    try:
        posted, post_seconds = _timed(
            lambda: editor_client.post(URL, {"text": small_report}, format="json")
        )
        listed, list_seconds = _timed(lambda: reader_client.get("/api/v1/targets/"))
        health, health_seconds = _timed(lambda: anon_client.get(HEALTH))
    finally:
        on_redis.resume()

    assert posted.status_code == 202
    assert posted.json()["status"] == IngestStatus.QUEUED
    assert posted.json()["enqueued_at"] is None
    assert post_seconds < HUNG_BUDGET_SECONDS
    assert listed.status_code == 200
    assert list_seconds < HUNG_BUDGET_SECONDS
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["broker"].startswith("error: ")
    assert health.json()["cache"] == "error: TimeoutError"
    assert health_seconds < HUNG_BUDGET_SECONDS
