"""Webhooks delivered by a real Celery worker on Redis (PostgreSQL only), as in production.

The request that posts a report answers before anything is delivered: the worker extracts
the report, and on commit queues the delivery, which it posts, retries after a refusal with
backoff, and logs.
"""

from __future__ import annotations

import json

import pytest

from ingest.models import IngestStatus, SourceDocument
from tests.ingest.workers import start_workers, wait_for
from tests.tracker.test_claims import PLAN
from tracker.webhooks.models import DeliveryStatus, WebhookDelivery
from tracker.webhooks.services import webhook_subscription_create
from tracker.webhooks.signing import SIGNATURE_HEADER, signature_valid

SECRET = "worker-secret-0123456789"
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(catalogue, shaoxing):
    for workers in start_workers():
        workers.start(env={"WEBHOOK_RETRY_BASE_SECONDS": "1"})
        yield workers


def test_a_real_worker_delivers_retries_and_logs(worker, editor_client, receiver):
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["document.done"])
    receiver.codes.append(503)  # the receiver is briefly down

    response = editor_client.post(
        "/api/v1/documents/", {"text": PLAN, "jurisdiction": "绍兴市"}, format="json"
    )

    assert response.status_code == 202
    assert receiver.received == []  # the request did not wait for any delivery
    document = response.json()["id"]
    wait_for(lambda: len(receiver.received) == 2, what="the delivery and its retry")
    wait_for(
        lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
        what="the delivery to be logged as delivered",
    )
    assert SourceDocument.objects.get(pk=document).status == IngestStatus.DONE
    delivered = receiver.received[-1]
    assert signature_valid(
        secret=SECRET, header=delivered.headers[SIGNATURE_HEADER], body=delivered.body
    )
    assert json.loads(delivered.body)["data"]["document"] == document
    logged = WebhookDelivery.objects.get()
    assert (logged.attempts, logged.response_status) == (2, 200)
