"""Django admin: every page loads, fact entry is validated, review and search work."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from tests.factories import ActualFactory, SourceDocumentFactory, TargetFactory
from tracker.models import PERCENT_OUT_OF_RANGE, Actual, ReviewState, Target
from tracker.selectors import fact_history
from tracker.services import REASON_REQUIRED

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    """Django's test client logged in as a superuser."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def objects(catalogue, shaoxing):
    """One row of every model the admin manages."""
    document = SourceDocumentFactory(jurisdiction=shaoxing)
    return {
        "target": TargetFactory(jurisdiction=shaoxing, source_document=document),
        "actual": ActualFactory(jurisdiction=shaoxing),
        "jurisdiction": shaoxing,
        "indicator": Indicator.objects.get(code="rd_intensity"),
        "sourcedocument": document,
    }


ADMIN_MODELS = {
    "target": "tracker_target",
    "actual": "tracker_actual",
    "jurisdiction": "tracker_jurisdiction",
    "indicator": "indicators_indicator",
    "sourcedocument": "ingest_sourcedocument",
}


@pytest.mark.parametrize("page", ["changelist", "add", "change", "history"])
@pytest.mark.parametrize("model", sorted(ADMIN_MODELS))
def test_admin_page_loads(admin_client, objects, model, page):
    name = f"admin:{ADMIN_MODELS[model]}_{page}"
    args = [] if page in ("changelist", "add") else [objects[model].pk]

    response = admin_client.get(reverse(name, args=args))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["target", "actual"])
@pytest.mark.parametrize(
    "query",
    ["year=2017", "period_kind=year", "review_state=accepted", "measure=level", "q=330600"],
)
def test_fact_changelist_filters_load(admin_client, objects, model, query):
    response = admin_client.get(f"{reverse(f'admin:tracker_{model}_changelist')}?{query}")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [objects[model]]


def _form(jurisdiction, indicator, **overrides) -> dict:
    return {
        "jurisdiction": jurisdiction.pk,
        "indicator": indicator.pk,
        "measure": "level",
        "value": "2.9",
        "comparator": "gte",
        "period_start": "2017-01",
        "period_end": "2017-12",
        "review_state": "accepted",
        "change_reason": "",
        **overrides,
    }


def test_add_target_refuses_an_amount_for_a_percent_indicator(admin_client, catalogue, shaoxing):
    intensity = Indicator.objects.get(code="rd_intensity")

    response = admin_client.post(
        reverse("admin:tracker_target_add"), _form(shaoxing, intensity, value="290000")
    )

    assert response.status_code == 200  # the form again, with the error
    assert PERCENT_OUT_OF_RANGE in response.content.decode()
    assert response.context["adminform"].form.errors["value"] == [PERCENT_OUT_OF_RANGE]
    assert not Target.objects.exists()


def test_add_target_stores_it_with_the_user_who_entered_it(
    admin_client, admin_user, catalogue, shaoxing
):
    intensity = Indicator.objects.get(code="rd_intensity")

    response = admin_client.post(
        reverse("admin:tracker_target_add"),
        _form(shaoxing, intensity, change_reason="from the 2017 work plan"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    target = Target.objects.get()
    assert (target.value, target.unit) == (Decimal("2.9"), "percent")
    assert target.entered_by == admin_user
    assert target.reviewed_by == admin_user
    assert target.period_end.month == 12
    record = target.history.get()
    assert (record.history_user, record.history_change_reason) == (
        admin_user,
        "from the 2017 work plan",
    )


def test_changing_an_accepted_target_without_reason_shows_the_reason_error(admin_client, objects):
    target = objects["target"]

    response = admin_client.post(
        reverse("admin:tracker_target_change", args=[target.pk]),
        _form(target.jurisdiction, target.indicator, value="13000000000"),
    )

    assert response.status_code == 200
    message = REASON_REQUIRED.format(kind="target")
    assert response.context["adminform"].form.errors["change_reason"] == [message]
    target.refresh_from_db()
    assert target.value == Decimal("12700000000")


def test_changing_an_accepted_target_with_reason_records_it(admin_client, objects):
    target = objects["target"]

    response = admin_client.post(
        reverse("admin:tracker_target_change", args=[target.pk]),
        _form(
            target.jurisdiction,
            target.indicator,
            value="13000000000",
            change_reason="revised in the 2018 report",
        ),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("13000000000"), 2)
    latest = fact_history(fact=target)[0]
    assert latest["user"] == "boss"
    assert latest["reason"] == "revised in the 2018 report"


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_bulk_accept_action_accepts_proposed_facts_and_records_history(
    admin_client, catalogue, shaoxing, model
):
    factory = TargetFactory if model is Target else ActualFactory
    proposed = [factory(jurisdiction=shaoxing, review_state=ReviewState.PROPOSED) for _ in range(2)]
    untouched = factory(jurisdiction=shaoxing, review_state=ReviewState.PROPOSED)

    response = admin_client.post(
        reverse(f"admin:tracker_{model._meta.model_name}_changelist"),
        {"action": "accept_selected", "_selected_action": [f.pk for f in proposed]},
        follow=True,
    )

    assert response.status_code == 200
    assert f"2 {model._meta.verbose_name_plural} accepted." in response.content.decode()
    for fact in proposed:
        fact.refresh_from_db()
        assert fact.review_state == ReviewState.ACCEPTED
        latest = fact_history(fact=fact)[0]
        assert (latest["user"], latest["reason"]) == ("boss", "bulk accepted")
        assert latest["changes"][0] == {
            "field": "review_state",
            "old": "proposed",
            "new": "accepted",
        }
    untouched.refresh_from_db()
    assert untouched.review_state == ReviewState.PROPOSED


def test_bulk_reject_action_rejects_selected_facts(admin_client, objects):
    actual = objects["actual"]
    admin_client.post(
        reverse("admin:tracker_actual_changelist"),
        {"action": "reject_selected", "_selected_action": [actual.pk]},
    )
    actual.refresh_from_db()
    assert actual.review_state == ReviewState.REJECTED


def test_fact_search_by_chinese_jurisdiction_name(admin_client, catalogue, shaoxing, wuhan):
    in_shaoxing = TargetFactory(jurisdiction=shaoxing)
    TargetFactory(jurisdiction=wuhan)

    response = admin_client.get(reverse("admin:tracker_target_changelist"), {"q": "绍兴"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [in_shaoxing]


def test_jurisdiction_search_by_chinese_name(admin_client, shaoxing, wuhan):
    response = admin_client.get(reverse("admin:tracker_jurisdiction_changelist"), {"q": "武汉"})
    assert list(response.context["cl"].result_list) == [wuhan]


def test_deleting_an_accepted_target_in_admin_records_the_reason(admin_client, objects):
    target = objects["target"]

    response = admin_client.post(
        reverse("admin:tracker_target_delete", args=[target.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    record = Target.history.filter(id=target.pk).latest("history_date")
    assert (record.history_type, record.history_change_reason) == ("-", "deleted in admin")
