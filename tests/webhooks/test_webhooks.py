"""Webhooks delivered to a real HTTP receiver on loopback, signed, retried and logged.

The receiver is Python's http.server in a thread on a free port of 127.0.0.1: every
delivery crosses a real socket, and the receiver checks the signature as a subscriber would.
The tests are transactional because deliveries are queued when the causing write commits.
"""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from tests.tracker.attainment_support import fact
from tests.tracker.test_claims import PLAN, SUMMARY, _accept_everything, _post
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, Target
from tracker.webhooks.models import DeliveryStatus, WebhookDelivery
from tracker.webhooks.services import webhook_subscription_create
from tracker.webhooks.signing import SIGNATURE_HEADER, signature_header, signature_valid

SECRET = "s3cret-s3cret-s3cret"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3


def _events(receiver, event: str) -> list[dict]:
    found = [json.loads(r.body) for r in receiver.received if r.headers["X-Tracker-Event"] == event]
    return found


def test_signature_covers_the_timestamp_and_the_body():
    body = b'{"event": "document.done"}'
    header = signature_header(secret=SECRET, body=body, timestamp=1_700_000_000)
    assert signature_valid(secret=SECRET, header=header, body=body, now=1_700_000_010)
    assert not signature_valid(secret=SECRET, header=header, body=body + b" ", now=1_700_000_010)
    assert not signature_valid(secret="other", header=header, body=body, now=1_700_000_010)
    # Replayed ten minutes later: refused.
    assert not signature_valid(secret=SECRET, header=header, body=body, now=1_700_000_600)


def test_admins_subscribe_over_the_api_and_the_secret_is_never_shown(
    admin_client_api, reader_client, receiver
):
    body = {"url": receiver.url, "secret": SECRET, "events": ["document.done", "document.failed"]}
    assert reader_client.post("/api/v1/webhooks/", body, format="json").status_code == 403
    response = admin_client_api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 201, response.content
    assert "secret" not in response.json()
    assert response.json()["events"] == ["document.done", "document.failed"]

    bad = admin_client_api.post(
        "/api/v1/webhooks/", {**body, "events": ["document.eaten"]}, format="json"
    )
    assert bad.status_code == 400
    assert "events" in bad.json()["fields"]
    listed = admin_client_api.get("/api/v1/webhooks/").json()["results"]
    assert [s["url"] for s in listed] == [receiver.url]
    assert "secret" not in listed[0]


def test_a_processed_report_is_delivered_signed(editor_client, catalogue, shaoxing, receiver):
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["document.done"])
    document = _post(editor_client, PLAN, "2017-02-10")

    [delivery] = receiver.received
    assert delivery.path == "/hooks/tracker"
    assert delivery.headers["X-Tracker-Event"] == "document.done"
    assert signature_valid(
        secret=SECRET, header=delivery.headers[SIGNATURE_HEADER], body=delivery.body
    )
    sent = json.loads(delivery.body)
    assert sent["event"] == "document.done"
    assert sent["data"]["document"] == document
    assert sent["data"]["targets"] == 3 and sent["data"]["jurisdiction"] == "330600"

    logged = WebhookDelivery.objects.get()
    assert logged.status == DeliveryStatus.DELIVERED
    assert (logged.attempts, logged.response_status) == (1, 200)
    assert str(logged.pk) == delivery.headers["X-Tracker-Delivery"]


def test_a_failed_receiver_is_retried_until_it_answers(
    editor_client, catalogue, shaoxing, receiver, fast_retries
):
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["document.done"])
    receiver.codes.extend([500, 503])

    _post(editor_client, PLAN, "2017-02-10")

    assert len(receiver.received) == 3  # two failures, then delivered
    assert len({r.body for r in receiver.received}) == 1  # the same delivery each time
    logged = WebhookDelivery.objects.get()
    assert logged.status == DeliveryStatus.DELIVERED
    assert logged.attempts == 3


def test_a_delivery_is_given_up_after_the_last_attempt_and_logged(
    editor_client, catalogue, shaoxing, receiver, fast_retries, admin_user, client
):
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["document.done"])
    receiver.codes.extend([500] * 10)

    response = editor_client.post(
        "/api/v1/documents/", {"text": PLAN, "jurisdiction": "绍兴市"}, format="json"
    )

    assert response.status_code == 202  # the receiver's trouble is not the poster's
    logged = WebhookDelivery.objects.get()
    assert logged.status == DeliveryStatus.FAILED
    assert (logged.attempts, logged.response_status) == (3, 500)
    assert "HTTP 500" in logged.last_error

    # The log is in admin, and an admin can deliver it again once the receiver is back.
    client.force_login(admin_user)
    page = client.get(reverse("admin:webhooks_webhookdelivery_changelist"))
    assert page.status_code == 200
    assert "document.done" in page.content.decode() and "HTTP 500" in page.content.decode()
    receiver.codes.clear()
    client.post(
        reverse("admin:webhooks_webhookdelivery_changelist"),
        {"action": "deliver_again", "_selected_action": [logged.pk]},
    )
    logged.refresh_from_db()
    assert logged.status == DeliveryStatus.DELIVERED


def test_an_unreachable_receiver_is_logged_not_raised(
    editor_client, catalogue, shaoxing, fast_retries
):
    # A port nothing listens on: the connection is refused at once.
    webhook_subscription_create(
        url="http://127.0.0.1:1/hook", secret=SECRET, events=["document.done"]
    )
    _post(editor_client, PLAN, "2017-02-10")
    logged = WebhookDelivery.objects.get()
    assert logged.status == DeliveryStatus.FAILED
    assert "Connection refused" in logged.last_error or "URLError" in logged.last_error


def test_a_status_change_is_delivered_with_the_old_and_new_status(
    editor_client, catalogue, shaoxing, receiver
):
    target = fact(Target, jurisdiction=shaoxing, indicator="rd_expenditure", value=100, when="2017")
    evaluations_rebuild()  # as of today: the 2017 target has no data
    webhook_subscription_create(
        url=receiver.url, secret=SECRET, events=["evaluation.status_changed"]
    )

    response = editor_client.post(
        "/api/v1/actuals/",
        {
            "jurisdiction": shaoxing.id,
            "indicator": "rd_expenditure",
            "value": "90",
            "period_start": "2017-01",
            "period_end": "2017-12",
        },
        format="json",
    )
    assert response.status_code == 201

    [change] = _events(receiver, "evaluation.status_changed")
    assert change["data"]["target"] == target.id
    assert (change["data"]["old_status"], change["data"]["new_status"]) == ("no_data", "missed")
    assert change["data"]["indicator"] == "rd_expenditure"
    assert change["data"]["jurisdiction"] == "330600"

    # A change that leaves the status as it is tells no one.
    actual = Actual.objects.get()
    editor_client.patch(
        f"/api/v1/actuals/{actual.id}/", {"value": "95", "change_reason": "x"}, format="json"
    )
    assert len(_events(receiver, "evaluation.status_changed")) == 1


def test_a_contradicted_claim_is_delivered(editor_client, catalogue, shaoxing, receiver):
    evaluations_rebuild()
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["claim.contradicted"])
    _post(editor_client, PLAN, "2017-02-10")
    _post(editor_client, SUMMARY, "2018-01-20")
    _accept_everything(editor_client)

    told = {e["data"]["indicator"]: e["data"] for e in _events(receiver, "claim.contradicted")}
    assert set(told) == {"hitech_enterprises_new", "rd_expenditure"}
    assert [c["quote"] for c in told["hitech_enterprises_new"]["claims"]] == ["完成年度目标的128%"]
    assert told["rd_expenditure"]["status"] == "missed"


def test_a_rolled_back_write_tells_no_one(catalogue, shaoxing, receiver, editor_client):
    webhook_subscription_create(url=receiver.url, secret=SECRET, events=["document.done"])
    # An invalid post stores nothing and sends nothing.
    response = editor_client.post("/api/v1/documents/", {"text": "   "}, format="json")
    assert response.status_code == 400
    time.sleep(0.2)
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_options_describes_what_a_subscription_post_takes(admin_client_api):
    described = admin_client_api.options("/api/v1/webhooks/", HTTP_ACCEPT_LANGUAGE="en").json()
    post = described["actions"]["POST"]

    assert set(post) == {"url", "secret", "events", "active", "description"}
    assert post["url"]["required"] is True and not post["url"].get("read_only")
    assert post["secret"]["required"] is True
