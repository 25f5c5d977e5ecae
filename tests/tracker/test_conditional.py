"""Optimistic locking as HTTP knows it: ETag on target and actual details, If-Match honoured."""

from __future__ import annotations

import os
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import ActualFactory, TargetFactory
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_differences
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, ReviewState, Target

KINDS = [("targets", Target, TargetFactory), ("actuals", Actual, ActualFactory)]


def _editor(username: str) -> APIClient:
    user = User.objects.create_user(username=username, password="pw")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def editors(db) -> tuple[APIClient, APIClient]:
    return _editor("editor-a"), _editor("editor-b")


@pytest.mark.parametrize(("kind", "model", "factory"), KINDS)
def test_a_detail_sends_its_version_as_etag(kind, model, factory, reader_client, catalogue):
    fact = factory(review_state=ReviewState.PROPOSED)

    response = reader_client.get(f"/api/v1/{kind}/{fact.pk}/")

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


@pytest.mark.parametrize(("kind", "model", "factory"), KINDS)
def test_two_editors_racing_with_if_match_the_second_gets_412_and_loses_nothing(
    kind, model, factory, editors, catalogue
):
    fact = factory(review_state=ReviewState.PROPOSED)
    url = f"/api/v1/{kind}/{fact.pk}/"
    first, second = editors
    read_by_first = first.get(url)["ETag"]
    read_by_second = second.get(url)["ETag"]

    won = first.patch(url, {"value": "100"}, format="json", HTTP_IF_MATCH=read_by_first)
    lost = second.patch(url, {"value": "200"}, format="json", HTTP_IF_MATCH=read_by_second)

    assert won.status_code == 200
    assert won["ETag"] == '"2"'
    assert lost.status_code == 412
    body = lost.json()
    assert body["code"] == "precondition_failed"
    assert 'version 2 (ETag "2")' in body["message"]
    fact.refresh_from_db()
    assert (fact.value, fact.version) == (Decimal("100"), 2)
    # The second editor reads again and, with the new ETag, may change it.
    again = second.patch(url, {"value": "200"}, format="json", HTTP_IF_MATCH=won["ETag"])
    assert (again.status_code, again["ETag"]) == (200, '"3"')


@pytest.mark.parametrize(("kind", "model", "factory"), KINDS)
def test_put_with_a_stale_if_match_is_refused(kind, model, factory, editor_client, catalogue):
    fact = factory(review_state=ReviewState.PROPOSED)
    url = f"/api/v1/{kind}/{fact.pk}/"
    body = editor_client.get(url).json()
    payload = {
        "jurisdiction": body["jurisdiction"]["id"],
        "indicator": body["indicator"],
        "value": "5",
        "period_start": body["period_start"],
        "period_end": body["period_end"],
        "review_state": "proposed",
    }

    response = editor_client.put(url, payload, format="json", HTTP_IF_MATCH='"7"')

    assert response.status_code == 412
    fact.refresh_from_db()
    assert fact.version == 1


@pytest.mark.parametrize(("kind", "model", "factory"), KINDS)
def test_delete_with_a_stale_if_match_keeps_the_fact(
    kind, model, factory, editor_client, catalogue
):
    fact = factory(review_state=ReviewState.PROPOSED)
    url = f"/api/v1/{kind}/{fact.pk}/"
    editor_client.patch(url, {"value": "1"}, format="json")  # now at version 2

    stale = editor_client.delete(url, HTTP_IF_MATCH='"1"')
    current = None if stale.status_code != 412 else editor_client.delete(url, HTTP_IF_MATCH='"2"')

    assert stale.status_code == 412
    assert current is not None and current.status_code == 204
    assert not model.objects.filter(pk=fact.pk).exists()


@pytest.mark.parametrize(
    ("if_match", "status"),
    [("*", 200), ('"3", "1"', 200), ('W/"1"', 412), ('"abc"', 412), ("1", 412)],
)
def test_if_match_forms(if_match, status, editor_client, catalogue):
    fact = TargetFactory(review_state=ReviewState.PROPOSED)

    response = editor_client.patch(
        f"/api/v1/targets/{fact.pk}/", {"value": "9"}, format="json", HTTP_IF_MATCH=if_match
    )

    assert response.status_code == status


def test_version_in_the_body_still_works_without_if_match(editor_client, catalogue):
    fact = TargetFactory(review_state=ReviewState.PROPOSED)
    url = f"/api/v1/targets/{fact.pk}/"
    editor_client.patch(url, {"value": "1", "version": 1}, format="json")

    stale = editor_client.patch(url, {"value": "2", "version": 1}, format="json")

    assert stale.status_code == 409


@pytest.mark.django_db(transaction=True)
def test_two_editors_writing_at_the_same_moment_one_wins_one_gets_412(catalogue):
    """A real race on PostgreSQL: both pass If-Match "1" at once; the row lock decides."""
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("concurrent writers need DATABASE_URL pointing at PostgreSQL")
        pytest.skip("concurrent writers need DATABASE_URL pointing at PostgreSQL")
    fact = TargetFactory(review_state=ReviewState.PROPOSED)
    clients = [_editor("racer-a"), _editor("racer-b")]
    barrier = threading.Barrier(2)
    answers: list[tuple[str, int]] = []

    def write(client: APIClient, value: str) -> None:
        try:
            barrier.wait()
            response = client.patch(
                f"/api/v1/targets/{fact.pk}/", {"value": value}, format="json", HTTP_IF_MATCH='"1"'
            )
            answers.append((value, response.status_code))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(client, value))
        for client, value in zip(clients, ("100", "200"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(status for _, status in answers) == [200, 412]
    (winner,) = [value for value, status in answers if status == 200]
    fact.refresh_from_db()
    assert (fact.value, fact.version) == (Decimal(winner), 2)
    assert Target.history.filter(id=fact.pk).count() == 2  # created, changed once


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", ["change", "delete"])
def test_a_write_during_a_rebuild_waits_for_it_and_both_succeed(catalogue, write):
    """A real race on PostgreSQL: an editor writes a target while the rebuild is storing rows.

    The editor's write waits for the rebuild; neither fails with a deadlock, and the stored
    rows end current.
    """
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("concurrent writers need DATABASE_URL pointing at PostgreSQL")
        pytest.skip("concurrent writers need DATABASE_URL pointing at PostgreSQL")
    fact = TargetFactory(review_state=ReviewState.ACCEPTED)
    TargetFactory.create_batch(3, review_state=ReviewState.ACCEPTED)
    evaluations_rebuild()
    client = _editor("during-rebuild")
    url = f"/api/v1/targets/{fact.pk}/"
    answers: list[int] = []

    def edit() -> None:
        try:
            if write == "change":
                body = {"value": "123", "change_reason": "corrected"}
                response = client.patch(url, body, format="json")
            else:
                response = client.delete(f"{url}?reason=withdrawn")
            answers.append(response.status_code)
        finally:
            connection.close()

    editor = threading.Thread(target=edit)

    def stored(rows: int) -> None:
        # The rebuild has replaced every row and not committed: the editor writes now.
        editor.start()
        for _ in range(100):
            if _waiting_for_a_lock():
                break
            time.sleep(0.05)

    rebuilt = evaluations_rebuild(progress=stored)
    editor.join(timeout=60)

    assert rebuilt.rows == 4
    assert answers == [200 if write == "change" else 204]
    assert [str(d) for d in evaluation_differences(as_of=rebuilt.as_of, rules=rules_get())] == []
