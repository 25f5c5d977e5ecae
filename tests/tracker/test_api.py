"""The JSON API of jurisdictions, targets, actuals, documents, fact history and health.

The indicator endpoints are tested in tests/indicators/test_api.py.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import UserRateThrottle

from indicators.models import Indicator
from ingest.models import IngestStatus, SourceDocument
from tests.factories import (
    ActualFactory,
    JurisdictionFactory,
    SourceDocumentFactory,
    TargetFactory,
)
from tracker.models import (
    PERCENT_OUT_OF_RANGE,
    PERIOD_REVERSED,
    Actual,
    Jurisdiction,
    Level,
    ReviewState,
    Target,
)
from tracker.rest.fields import MONTH_FORMAT_ERROR

pytestmark = pytest.mark.django_db

API = "/api/v1"
ROLES = ["anonymous", "nobody", "reader", "editor", "admin"]
READ_STATUS = {"anonymous": 401, "nobody": 403, "reader": 200, "editor": 200, "admin": 200}
FACT_ENDPOINTS = {"targets": TargetFactory, "actuals": ActualFactory}
FACT_MODELS = {"targets": Target, "actuals": Actual}


def assert_error(response, status: int, code: str, *, mentions: str = "", field: str = ""):
    """An error answers {"code", "message", "fields"} and says what went wrong."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["fields"], dict)
    assert mentions in body["message"]
    if field:
        assert field in body["fields"]
    return body


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def fact_payload(jurisdiction: Jurisdiction, **overrides) -> dict:
    """A valid target or actual: 127 亿元 of R&D expenditure in 2017."""
    return {
        "jurisdiction": jurisdiction.pk,
        "indicator": "rd_expenditure",
        "value": "12700000000",
        "period_start": "2017-01",
        "period_end": "2017-12",
        **overrides,
    }


@pytest.fixture
def facts(catalogue, shaoxing, wuhan):
    """One target and one actual of each endpoint kind, and a history to read."""
    return {
        "targets": TargetFactory(jurisdiction=shaoxing),
        "actuals": ActualFactory(jurisdiction=shaoxing),
    }


# --- permissions ---------------------------------------------------------------------------


def _read_urls(facts, shaoxing, document) -> dict[str, str]:
    return {
        "jurisdiction-list": f"{API}/jurisdictions/",
        "jurisdiction-detail": f"{API}/jurisdictions/{shaoxing.pk}/",
        "target-list": f"{API}/targets/",
        "target-detail": f"{API}/targets/{facts['targets'].pk}/",
        "target-history": f"{API}/targets/{facts['targets'].pk}/history/",
        "actual-list": f"{API}/actuals/",
        "actual-detail": f"{API}/actuals/{facts['actuals'].pk}/",
        "actual-history": f"{API}/actuals/{facts['actuals'].pk}/history/",
        "document-list": f"{API}/documents/",
        "document-detail": f"{API}/documents/{document.pk}/",
    }


READ_ENDPOINTS = [
    "jurisdiction-list",
    "jurisdiction-detail",
    "target-list",
    "target-detail",
    "target-history",
    "actual-list",
    "actual-detail",
    "actual-history",
    "document-list",
    "document-detail",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_reading_needs_a_role(role_clients, facts, shaoxing, endpoint, role):
    document = SourceDocumentFactory(jurisdiction=shaoxing)
    url = _read_urls(facts, shaoxing, document)[endpoint]

    response = role_clients[role].get(url)

    assert response.status_code == READ_STATUS[role]
    if response.status_code != 200:
        assert_error(
            response,
            READ_STATUS[role],
            "not_authenticated" if role == "anonymous" else "permission_denied",
        )


@pytest.mark.parametrize("role", ROLES)
def test_health_answers_everyone_without_a_token(role_clients, role):
    response = role_clients[role].get(f"{API}/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


FACT_WRITE_STATUS = {"anonymous": 401, "nobody": 403, "reader": 403, "editor": 201, "admin": 201}
ADMIN_WRITE_STATUS = {"anonymous": 401, "nobody": 403, "reader": 403, "editor": 403, "admin": 201}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_editors_and_admins_create_facts(role_clients, catalogue, shaoxing, endpoint, role):
    response = role_clients[role].post(f"{API}/{endpoint}/", fact_payload(shaoxing))

    assert response.status_code == FACT_WRITE_STATUS[role]
    assert FACT_MODELS[endpoint].objects.exists() == (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_editors_and_admins_change_facts(role_clients, facts, endpoint, role):
    fact = facts[endpoint]
    response = role_clients[role].patch(
        f"{API}/{endpoint}/{fact.pk}/", {"value": "13000000000", "change_reason": "typo"}
    )

    allowed = FACT_WRITE_STATUS[role] == 201
    assert response.status_code == (200 if allowed else FACT_WRITE_STATUS[role])
    fact.refresh_from_db()
    assert fact.value == (Decimal("13000000000") if allowed else Decimal("12700000000"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_editors_and_admins_delete_facts(role_clients, facts, endpoint, role):
    fact = facts[endpoint]
    response = role_clients[role].delete(f"{API}/{endpoint}/{fact.pk}/?reason=duplicate")

    allowed = FACT_WRITE_STATUS[role] == 201
    assert response.status_code == (204 if allowed else FACT_WRITE_STATUS[role])
    assert FACT_MODELS[endpoint].objects.filter(pk=fact.pk).exists() is not allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_create_jurisdictions(role_clients, zhejiang, role):
    response = role_clients[role].post(
        f"{API}/jurisdictions/",
        {
            "name_zh": "杭州市",
            "name_en": "Hangzhou",
            "code": "330100",
            "level": "prefecture",
            "parent": zhejiang.pk,
        },
    )
    assert response.status_code == ADMIN_WRITE_STATUS[role]
    assert Jurisdiction.objects.filter(code="330100").exists() == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_jurisdictions(role_clients, shaoxing, role):
    response = role_clients[role].patch(
        f"{API}/jurisdictions/{shaoxing.pk}/", {"name_en": "Shaoxing City"}
    )
    assert response.status_code == (200 if role == "admin" else ADMIN_WRITE_STATUS[role])
    shaoxing.refresh_from_db()
    assert (shaoxing.name_en == "Shaoxing City") == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_delete_jurisdictions(role_clients, wuhan, role):
    response = role_clients[role].delete(f"{API}/jurisdictions/{wuhan.pk}/")
    assert response.status_code == (204 if role == "admin" else ADMIN_WRITE_STATUS[role])
    assert Jurisdiction.objects.filter(pk=wuhan.pk).exists() == (role != "admin")


DOCUMENT_SUBMIT_STATUS = {
    "anonymous": 401,
    "nobody": 403,
    "reader": 403,
    "editor": 202,
    "admin": 202,
}


@pytest.mark.parametrize("role", ROLES)
def test_editors_and_admins_submit_documents(role_clients, catalogue, shaoxing, role):
    text = "绍兴市2017年科技工作总结。2017年全社会研发经费支出127亿元。"
    response = role_clients[role].post(
        f"{API}/documents/", {"text": text, "jurisdiction": "330600"}
    )
    assert response.status_code == DOCUMENT_SUBMIT_STATUS[role], response.content
    assert SourceDocument.objects.filter(text=text).exists() == (response.status_code == 202)


@pytest.mark.parametrize("role", ROLES)
def test_documents_are_never_deleted_through_the_api(role_clients, shaoxing, role):
    document = SourceDocumentFactory(jurisdiction=shaoxing)
    response = role_clients[role].delete(f"{API}/documents/{document.pk}/")
    # Who may not write is refused first; for editors and admins there is no such method.
    expected = {"editor": 405, "admin": 405}.get(role, DOCUMENT_SUBMIT_STATUS[role])
    assert response.status_code == expected
    assert SourceDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_history_is_read_only(editor_client, facts, method):
    url = f"{API}/targets/{facts['targets'].pk}/history/"
    assert_error(getattr(editor_client, method)(url, {}), 405, "method_not_allowed")


def test_inactive_user_is_refused(reader, reader_client, facts):
    reader.is_active = False
    reader.save()
    assert reader_client.get(f"{API}/targets/").status_code == 401


def test_session_login_works_like_a_token(client, reader, facts):
    client.force_login(reader)
    assert client.get(f"{API}/targets/").status_code == 200


# --- facts: happy paths --------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_created_fact_is_answered_with_exact_value_months_and_provenance(
    editor_client, catalogue, shaoxing, endpoint
):
    response = editor_client.post(
        f"{API}/{endpoint}/",
        fact_payload(shaoxing, change_reason="entered from the 2017 plan"),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["jurisdiction"] == {
        "id": shaoxing.pk,
        "code": "330600",
        "name_zh": "绍兴市",
        "name_en": "Shaoxing",
    }
    assert body["indicator"] == "rd_expenditure"
    assert body["value"] == "12700000000"  # a string: exact, no float rounding, no exponent
    assert body["unit"] == "CNY"
    assert (body["period_start"], body["period_end"]) == ("2017-01", "2017-12")
    assert body["provenance"]["entered_by"] == "editor"
    assert body["provenance"]["source_document"] is None
    assert body["review_state"] == "accepted"
    assert body["reviewed_by"] == "editor"
    assert body["version"] == 1
    assert "change_reason" not in body
    fact = FACT_MODELS[endpoint].objects.get(pk=body["id"])
    assert fact.value == Decimal("12700000000")
    assert fact.history.get().history_change_reason == "entered from the 2017 plan"


def test_target_comparator_defaults_to_at_least_and_actual_to_equal(
    editor_client, catalogue, shaoxing
):
    target = editor_client.post(f"{API}/targets/", fact_payload(shaoxing)).json()
    actual = editor_client.post(f"{API}/actuals/", fact_payload(shaoxing)).json()
    assert (target["comparator"], actual["comparator"]) == ("gte", "eq")


def test_small_decimal_value_round_trips_exactly(editor_client, catalogue, shaoxing):
    response = editor_client.post(
        f"{API}/targets/", fact_payload(shaoxing, indicator="rd_intensity", value="2.90")
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "2.9"
    assert response.json()["unit"] == "percent"


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_fact_detail_shows_the_document_quote(reader_client, catalogue, shaoxing, endpoint):
    document = SourceDocumentFactory(jurisdiction=shaoxing, title="绍兴市2017年科技工作总结")
    fact = FACT_ENDPOINTS[endpoint](jurisdiction=shaoxing, source_document=document)

    body = reader_client.get(f"{API}/{endpoint}/{fact.pk}/").json()

    assert body["provenance"] == {
        "source_document": document.pk,
        "document_title": "绍兴市2017年科技工作总结",
        "document_url": "",
        "span": None,
        "quote": "全社会研发经费支出127亿元",
        "entered_by": None,
        "origin": "",
        "published": None,
    }


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_put_replaces_a_proposed_fact(editor_client, catalogue, shaoxing, wuhan, endpoint):
    fact = FACT_ENDPOINTS[endpoint](jurisdiction=shaoxing, review_state=ReviewState.PROPOSED)

    response = editor_client.put(
        f"{API}/{endpoint}/{fact.pk}/",
        fact_payload(wuhan, value="13000000000", review_state="proposed", version=1),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["jurisdiction"]["code"], body["value"], body["version"]) == (
        "420100",
        "13000000000",
        2,
    )


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_the_answer_to_a_write_is_what_a_read_then_shows(
    editor_client, catalogue, shaoxing, wuhan, endpoint
):
    # The answer is the written fact itself, not read again: moved to another jurisdiction
    # and accepted, it names the new jurisdiction, the reviewer and the new version.
    fact = FACT_ENDPOINTS[endpoint](jurisdiction=shaoxing, review_state=ReviewState.PROPOSED)
    url = f"{API}/{endpoint}/{fact.pk}/"

    written = editor_client.patch(
        url, {"jurisdiction": wuhan.pk, "value": "1.35e10", "review_state": "accepted"}
    )

    assert written.status_code == 200, written.content
    read = editor_client.get(url)
    assert written.json() == read.json()
    assert written.headers["ETag"] == read.headers["ETag"]
    body = written.json()
    assert (body["jurisdiction"]["code"], body["value"], body["reviewed_by"]) == (
        "420100",
        "13500000000",
        "editor",
    )


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_patch_with_reason_and_current_version_changes_an_accepted_fact(
    editor_client, facts, endpoint
):
    fact = facts[endpoint]
    response = editor_client.patch(
        f"{API}/{endpoint}/{fact.pk}/",
        {"value": "13000000000", "change_reason": "revised report", "version": 1},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["version"]) == ("13000000000", 2)


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_history_lists_who_changed_what_when_and_why(editor_client, facts, endpoint):
    fact = facts[endpoint]
    editor_client.patch(
        f"{API}/{endpoint}/{fact.pk}/",
        {"value": "13000000000", "change_reason": "revised in the 2018 report"},
    )

    response = editor_client.get(f"{API}/{endpoint}/{fact.pk}/history/")

    assert response.status_code == 200
    changed, created = response.json()
    assert changed["type"] == "changed"
    assert changed["user"] == "editor"
    assert changed["reason"] == "revised in the 2018 report"
    assert changed["version"] == 2
    assert changed["changes"] == [{"field": "value", "old": "12700000000", "new": "13000000000"}]
    assert (created["type"], created["reason"], created["changes"]) == ("created", "created", [])


def test_history_of_an_unknown_fact_is_not_found(reader_client, catalogue):
    assert_error(reader_client.get(f"{API}/targets/999999/history/"), 404, "not_found")


# --- facts: bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_bad_month_is_refused_with_the_expected_format(
    editor_client, catalogue, shaoxing, endpoint
):
    response = editor_client.post(
        f"{API}/{endpoint}/", fact_payload(shaoxing, period_start="2017-13")
    )
    body = assert_error(response, 400, "invalid", mentions="YYYY-MM", field="period_start")
    assert body["fields"]["period_start"] == [MONTH_FORMAT_ERROR]
    assert not FACT_MODELS[endpoint].objects.exists()


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_unknown_indicator_code_is_refused(editor_client, catalogue, shaoxing, endpoint):
    response = editor_client.post(
        f"{API}/{endpoint}/", fact_payload(shaoxing, indicator="rd_nonsense")
    )
    assert_error(response, 400, "invalid", mentions="rd_nonsense", field="indicator")


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_amount_for_a_percent_indicator_is_refused_with_the_percent_message(
    editor_client, catalogue, shaoxing, endpoint
):
    # 29 亿元 of R&D spending typed into the R&D intensity (2.9 %).
    response = editor_client.post(
        f"{API}/{endpoint}/", fact_payload(shaoxing, indicator="rd_intensity", value="290000")
    )
    body = assert_error(response, 400, "invalid", mentions=PERCENT_OUT_OF_RANGE, field="value")
    assert body["fields"]["value"] == [PERCENT_OUT_OF_RANGE]
    assert not FACT_MODELS[endpoint].objects.exists()


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_reversed_period_is_refused(editor_client, catalogue, shaoxing, endpoint):
    response = editor_client.post(
        f"{API}/{endpoint}/",
        fact_payload(shaoxing, period_start="2018-01", period_end="2017-12"),
    )
    assert_error(response, 400, "invalid", mentions=PERIOD_REVERSED, field="period_end")


def test_patch_that_reverses_the_stored_period_is_refused(editor_client, facts):
    fact = facts["targets"]
    response = editor_client.patch(
        f"{API}/targets/{fact.pk}/", {"period_start": "2018-01", "change_reason": "x"}
    )
    assert_error(response, 400, "invalid", mentions=PERIOD_REVERSED, field="period_end")


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_patch_of_an_accepted_fact_without_reason_is_refused(editor_client, facts, endpoint):
    fact = facts[endpoint]
    response = editor_client.patch(f"{API}/{endpoint}/{fact.pk}/", {"value": "1"})
    assert_error(response, 400, "invalid", mentions="requires a reason", field="change_reason")
    fact.refresh_from_db()
    assert fact.value == Decimal("12700000000")


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_stale_version_is_refused_with_409(editor_client, facts, endpoint):
    fact = facts[endpoint]
    url = f"{API}/{endpoint}/{fact.pk}/"
    first = editor_client.patch(url, {"value": "1", "change_reason": "a", "version": 1})
    assert first.status_code == 200

    second = editor_client.patch(url, {"value": "2", "change_reason": "b", "version": 1})

    assert_error(second, 409, "conflict", mentions="changed by someone else", field="version")
    fact.refresh_from_db()
    assert (fact.value, fact.version) == (Decimal("1"), 2)


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_deleting_an_accepted_fact_without_reason_is_refused(editor_client, facts, endpoint):
    fact = facts[endpoint]
    response = editor_client.delete(f"{API}/{endpoint}/{fact.pk}/")
    assert_error(response, 400, "invalid", mentions="requires a reason")
    assert FACT_MODELS[endpoint].objects.filter(pk=fact.pk).exists()


def test_fact_with_unknown_jurisdiction_is_refused(editor_client, catalogue, shaoxing):
    response = editor_client.post(
        f"{API}/targets/", {**fact_payload(shaoxing), "jurisdiction": 999999}
    )
    assert_error(response, 400, "invalid", field="jurisdiction")


def test_malformed_json_is_refused_with_the_error_shape(editor_client, catalogue):
    response = editor_client.generic(
        "POST", f"{API}/targets/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


# --- facts: filters ------------------------------------------------------------------------


@pytest.fixture
def filter_facts(catalogue, shaoxing, wuhan):
    """Facts of both kinds spread over jurisdictions, indicators, periods and states."""

    def make(factory):
        return {
            "shaoxing_2017": factory(jurisdiction=shaoxing),
            "shaoxing_2018_ytd": factory(
                jurisdiction=shaoxing,
                period_start=date(2018, 1, 1),
                period_end=date(2018, 5, 1),
                value=Decimal("5000000000"),
            ),
            "wuhan_plan": factory(
                jurisdiction=wuhan,
                indicator=Indicator.objects.get(code="rd_intensity"),
                value=Decimal("3.2"),
                period_start=date(2016, 1, 1),
                period_end=date(2020, 12, 1),
            ),
            "wuhan_growth_proposed": factory(
                jurisdiction=wuhan,
                measure="yoy_growth",
                value=Decimal("12.5"),
                period_start=date(2019, 1, 1),
                period_end=date(2019, 12, 1),
                review_state=ReviewState.PROPOSED,
            ),
        }

    return {"targets": make(TargetFactory), "actuals": make(ActualFactory)}


FACT_FILTERS = [
    ("jurisdiction=绍兴市", {"shaoxing_2017", "shaoxing_2018_ytd"}),
    ("jurisdiction=Shaoxing", {"shaoxing_2017", "shaoxing_2018_ytd"}),
    ("jurisdiction=shaoxing", {"shaoxing_2017", "shaoxing_2018_ytd"}),
    ("jurisdiction=420100", {"wuhan_plan", "wuhan_growth_proposed"}),
    ("indicator=rd_intensity", {"wuhan_plan"}),
    ("year=2017", {"shaoxing_2017", "wuhan_plan"}),
    ("year=2021", set()),
    ("period_after=2018-01", {"shaoxing_2018_ytd", "wuhan_growth_proposed"}),
    ("period_before=2018-05", {"shaoxing_2017", "shaoxing_2018_ytd"}),
    ("period_after=2017-01&period_before=2017-12", {"shaoxing_2017"}),
    ("period_kind=year", {"shaoxing_2017", "wuhan_growth_proposed"}),
    ("period_kind=year_to_date", {"shaoxing_2018_ytd"}),
    ("period_kind=multi_year", {"wuhan_plan"}),
    ("measure=yoy_growth", {"wuhan_growth_proposed"}),
    ("measure=level", {"shaoxing_2017", "shaoxing_2018_ytd", "wuhan_plan"}),
    ("review_state=proposed", {"wuhan_growth_proposed"}),
    ("jurisdiction=Wuhan&review_state=accepted", {"wuhan_plan"}),
]


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
@pytest.mark.parametrize(("query", "expected"), FACT_FILTERS)
def test_fact_list_filters(reader_client, filter_facts, endpoint, query, expected):
    rows = filter_facts[endpoint]
    response = reader_client.get(f"{API}/{endpoint}/?{query}")
    assert ids(response) == {rows[name].pk for name in expected}


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_fact_list_filters_by_jurisdiction_id(reader_client, filter_facts, wuhan, endpoint):
    rows = filter_facts[endpoint]
    response = reader_client.get(f"{API}/{endpoint}/?jurisdiction_id={wuhan.pk}")
    assert ids(response) == {rows["wuhan_plan"].pk, rows["wuhan_growth_proposed"].pk}


def test_fact_list_filters_by_source_document(reader_client, catalogue, shaoxing):
    document = SourceDocumentFactory(jurisdiction=shaoxing)
    extracted = TargetFactory(jurisdiction=shaoxing, source_document=document)
    TargetFactory(jurisdiction=shaoxing)
    response = reader_client.get(f"{API}/targets/?source_document={document.pk}")
    assert ids(response) == {extracted.pk}


@pytest.mark.parametrize(
    ("query", "field", "mentions"),
    [
        ("year=abc", "year", "Enter a whole number"),
        ("year=0", "year", "greater than or equal to 1"),
        ("year=2017.5", "year", "Enter a whole number"),
        ("jurisdiction_id=abc", "jurisdiction_id", "Enter a whole number"),
        ("jurisdiction_id=99999999999999999999", "jurisdiction_id", "less than or equal to"),
        ("source_document=-1", "source_document", "greater than or equal to 0"),
        ("period_after=2017-13", "period_after", "YYYY-MM"),
        ("period_before=last-year", "period_before", "YYYY-MM"),
        ("period_kind=decade", "period_kind", "decade"),
        ("measure=huge", "measure", "huge"),
        ("review_state=maybe", "review_state", "maybe"),
    ],
)
@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_bad_filter_value_answers_400_json(
    reader_client, catalogue, endpoint, query, field, mentions
):
    response = reader_client.get(f"{API}/{endpoint}/?{query}")
    assert_error(response, 400, "invalid", mentions=mentions, field=field)


# --- facts: ordering and pagination --------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_fact_list_orders_by_value_either_way(reader_client, filter_facts, endpoint):
    rows = filter_facts[endpoint]
    ascending = reader_client.get(f"{API}/{endpoint}/?ordering=value").json()["results"]
    descending = reader_client.get(f"{API}/{endpoint}/?ordering=-value").json()["results"]

    assert [Decimal(r["value"]) for r in ascending] == sorted(f.value for f in rows.values())
    assert [r["id"] for r in descending] == [r["id"] for r in ascending][::-1]


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_fact_list_default_order_is_latest_period_first(reader_client, filter_facts, endpoint):
    results = reader_client.get(f"{API}/{endpoint}/").json()["results"]
    ends = [r["period_end"] for r in results]
    assert ends == sorted(ends, reverse=True)
    assert ends[0] == "2020-12"


def test_fact_list_orders_by_jurisdiction_code(reader_client, filter_facts):
    results = reader_client.get(f"{API}/targets/?ordering=jurisdiction__code,id").json()
    codes = [r["jurisdiction"]["code"] for r in results["results"]]
    assert codes == ["330600", "330600", "420100", "420100"]


@pytest.mark.parametrize("endpoint", ["targets", "actuals"])
def test_fact_list_pages_by_page_size(reader_client, filter_facts, endpoint):
    first = reader_client.get(f"{API}/{endpoint}/?page_size=3&ordering=id").json()
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]

    second = reader_client.get(f"{API}/{endpoint}/?page_size=3&ordering=id&page=2").json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    all_ids = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(all_ids) == sorted(f.pk for f in filter_facts[endpoint].values())


def test_page_past_the_end_is_not_found_with_the_error_shape(reader_client, filter_facts):
    assert_error(reader_client.get(f"{API}/targets/?page=99"), 404, "not_found")


# --- jurisdictions -------------------------------------------------------------------------


def test_jurisdiction_list_shows_parent_code(reader_client, shaoxing):
    results = reader_client.get(f"{API}/jurisdictions/?code=330600").json()["results"]
    assert results == [
        {
            "id": shaoxing.pk,
            "name_zh": "绍兴市",
            "name_en": "Shaoxing",
            "code": "330600",
            "level": "prefecture",
            "parent": shaoxing.parent_id,
            "parent_code": "330000",
            "review_state": "accepted",
        }
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=绍兴市", {"shaoxing"}),
        ("name=Shaoxing", {"shaoxing"}),
        ("name=330600", {"shaoxing"}),
        ("code=420100", {"wuhan"}),
        ("q=兴", {"shaoxing"}),
        ("q=han", {"wuhan"}),
        ("level=province", {"zhejiang"}),
        ("parent=浙江省", {"shaoxing"}),
        ("parent=Zhejiang", {"shaoxing"}),
        ("review_state=proposed", {"quzhou"}),
    ],
)
def test_jurisdiction_list_filters(reader_client, zhejiang, shaoxing, wuhan, query, expected):
    quzhou = JurisdictionFactory(name_zh="衢州市", code=None, review_state="proposed")
    rows = {"zhejiang": zhejiang, "shaoxing": shaoxing, "wuhan": wuhan, "quzhou": quzhou}
    response = reader_client.get(f"{API}/jurisdictions/?{query}")
    assert ids(response) == {rows[name].pk for name in expected}


def test_jurisdiction_list_filters_by_parent_id(reader_client, zhejiang, shaoxing, wuhan):
    assert ids(reader_client.get(f"{API}/jurisdictions/?parent_id={zhejiang.pk}")) == {shaoxing.pk}


def test_jurisdiction_list_orders_by_english_name(reader_client, zhejiang, shaoxing, wuhan):
    results = reader_client.get(f"{API}/jurisdictions/?ordering=-name_en").json()["results"]
    assert [r["name_en"] for r in results] == ["Zhejiang", "Wuhan", "Shaoxing"]


def test_jurisdiction_list_pages_by_page_size(reader_client, zhejiang, shaoxing, wuhan):
    body = reader_client.get(f"{API}/jurisdictions/?page_size=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)


def test_admin_creates_a_jurisdiction(admin_client_api, zhejiang):
    response = admin_client_api.post(
        f"{API}/jurisdictions/",
        {
            "name_zh": "杭州市",
            "name_en": "Hangzhou",
            "code": "330100",
            "level": "prefecture",
            "parent": zhejiang.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["parent"], response.json()["parent_code"]) == (zhejiang.pk, "330000")
    created = Jurisdiction.objects.get(code="330100")
    assert (created.name_zh, created.level, created.parent) == (
        "杭州市",
        Level.PREFECTURE,
        zhejiang,
    )


def test_admin_moves_a_jurisdiction_and_sees_the_new_parent_code(admin_client_api, shaoxing, wuhan):
    response = admin_client_api.patch(f"{API}/jurisdictions/{shaoxing.pk}/", {"parent": wuhan.pk})
    assert response.status_code == 200, response.content
    assert response.json()["parent_code"] == "420100"


def test_jurisdiction_cannot_be_its_own_parent(admin_client_api, shaoxing):
    response = admin_client_api.patch(
        f"{API}/jurisdictions/{shaoxing.pk}/", {"parent": shaoxing.pk}
    )
    assert_error(response, 400, "invalid", mentions="cannot be its own parent")
    shaoxing.refresh_from_db()
    assert shaoxing.parent.code == "330000"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name_zh": "重复", "code": "330600", "level": "prefecture"}, "code"),
        ({"name_zh": "错级", "code": "330700", "level": "galaxy"}, "level"),
        ({"code": "330800", "level": "prefecture"}, "name_zh"),
    ],
    ids=["duplicate-code", "unknown-level", "no-name"],
)
def test_bad_jurisdiction_is_refused(admin_client_api, shaoxing, payload, field):
    response = admin_client_api.post(f"{API}/jurisdictions/", payload)
    assert_error(response, 400, "invalid", field=field)


def test_bad_jurisdiction_filter_answers_400(reader_client, shaoxing):
    response = reader_client.get(f"{API}/jurisdictions/?level=galaxy")
    assert_error(response, 400, "invalid", field="level")


def test_deleting_a_jurisdiction_in_use_is_a_conflict(admin_client_api, facts, shaoxing, zhejiang):
    assert_error(
        admin_client_api.delete(f"{API}/jurisdictions/{shaoxing.pk}/"),
        409,
        "conflict",
        mentions="in use",
    )
    # A parent of other jurisdictions is in use too.
    assert_error(admin_client_api.delete(f"{API}/jurisdictions/{zhejiang.pk}/"), 409, "conflict")
    assert Jurisdiction.objects.filter(pk__in=[shaoxing.pk, zhejiang.pk]).count() == 2


# --- documents -----------------------------------------------------------------------------


def test_document_list_leaves_out_the_text_and_counts_the_facts(reader_client, catalogue, shaoxing):
    document = SourceDocumentFactory(jurisdiction=shaoxing, title="绍兴市2017年工作报告")
    TargetFactory(jurisdiction=shaoxing, source_document=document)
    ActualFactory(jurisdiction=shaoxing, source_document=document)
    ActualFactory(
        jurisdiction=shaoxing,
        source_document=document,
        period_start=date(2016, 1, 1),
        period_end=date(2016, 12, 1),
    )

    [row] = reader_client.get(f"{API}/documents/").json()["results"]

    assert row["title"] == "绍兴市2017年工作报告"
    assert row["jurisdiction"]["code"] == "330600"
    assert (row["target_count"], row["actual_count"]) == (1, 2)
    assert "text" not in row
    assert row["url"].endswith(f"/api/v1/documents/{document.pk}/")


def test_document_detail_includes_the_text(reader_client, shaoxing):
    document = SourceDocumentFactory(
        jurisdiction=shaoxing, text="2017年全社会研发经费支出127亿元。"
    )
    body = reader_client.get(f"{API}/documents/{document.pk}/").json()
    assert body["text"] == "2017年全社会研发经费支出127亿元。"
    assert (body["target_count"], body["actual_count"]) == (0, 0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jurisdiction=绍兴市", {"shaoxing_done"}),
        ("jurisdiction=Wuhan", {"wuhan_failed"}),
        ("jurisdiction=330600", {"shaoxing_done"}),
        ("status=failed", {"wuhan_failed"}),
        ("published_after=2018-06-01", {"wuhan_failed"}),
        ("published_before=2018-06-01", {"shaoxing_done"}),
    ],
)
def test_document_list_filters(reader_client, shaoxing, wuhan, query, expected):
    rows = {
        "shaoxing_done": SourceDocumentFactory(jurisdiction=shaoxing, published=date(2018, 2, 1)),
        "wuhan_failed": SourceDocumentFactory(
            jurisdiction=wuhan,
            published=date(2019, 2, 1),
            status=IngestStatus.FAILED,
            error="no text layer",
        ),
    }
    response = reader_client.get(f"{API}/documents/?{query}")
    assert ids(response) == {rows[name].pk for name in expected}


def test_document_list_filters_by_jurisdiction_id_and_hash(reader_client, shaoxing, wuhan):
    mine = SourceDocumentFactory(jurisdiction=shaoxing)
    other = SourceDocumentFactory(jurisdiction=wuhan)
    assert ids(reader_client.get(f"{API}/documents/?jurisdiction_id={shaoxing.pk}")) == {mine.pk}
    assert ids(reader_client.get(f"{API}/documents/?sha256={other.sha256}")) == {other.pk}


def test_document_list_orders_and_pages(reader_client, shaoxing):
    documents = [
        SourceDocumentFactory(jurisdiction=shaoxing, published=date(2018, month, 1))
        for month in (3, 1, 2)
    ]
    body = reader_client.get(f"{API}/documents/?ordering=published&page_size=2").json()
    assert body["count"] == 3
    assert [r["id"] for r in body["results"]] == [documents[1].pk, documents[2].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=lost", "status"), ("published_after=yesterday", "published_after")],
)
def test_bad_document_filter_answers_400(reader_client, shaoxing, query, field):
    assert_error(reader_client.get(f"{API}/documents/?{query}"), 400, "invalid", field=field)


def test_unknown_document_is_not_found(reader_client, db):
    assert_error(reader_client.get(f"{API}/documents/999999/"), 404, "not_found")


# --- health --------------------------------------------------------------------------------


def test_health_reports_database_and_broker(anon_client, db):
    body = anon_client.get(f"{API}/health/").json()
    assert set(body) == {"status", "database", "broker", "cache"}
    assert body["broker"] in {"ok", "eager"}
    assert body["cache"] in {"ok", "local"}


def test_health_answers_503_when_the_database_fails(anon_client, db, monkeypatch):
    from tracker.api import views

    monkeypatch.setattr(views, "_database_status", lambda: "error: OperationalError")
    response = anon_client.get(f"{API}/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"


def test_health_refuses_writes(anon_client, db):
    assert_error(anon_client.post(f"{API}/health/", {}), 405, "method_not_allowed")


# --- query counts --------------------------------------------------------------------------


def _make_rows(kind: str, count: int, jurisdiction: Jurisdiction, user) -> None:
    """Rows that touch every relation a list shows: documents, entering and reviewing users."""
    for i in range(count):
        document = SourceDocumentFactory(jurisdiction=jurisdiction)
        period = {"period_start": date(2000 + i, 1, 1), "period_end": date(2000 + i, 12, 1)}
        if kind in FACT_ENDPOINTS:
            if i % 2:
                FACT_ENDPOINTS[kind](jurisdiction=jurisdiction, source_document=document, **period)
            else:
                FACT_ENDPOINTS[kind](jurisdiction=jurisdiction, user=user, **period)
        elif kind == "jurisdictions":
            JurisdictionFactory(parent=jurisdiction)


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# Token with its user and the user's role, COUNT for the page, the page itself.
LIST_QUERIES = 3


@pytest.mark.parametrize("kind", ["targets", "actuals", "jurisdictions", "documents"])
def test_list_query_count_does_not_grow_with_rows(
    reader_client, catalogue, shaoxing, editor, kind, django_assert_num_queries
):
    url = f"{API}/{kind}/"
    _make_rows(kind, 2, shaoxing, editor)
    with_two = _count_queries(reader_client, url)

    _make_rows(kind, 18, shaoxing, editor)
    with django_assert_num_queries(LIST_QUERIES):
        response = reader_client.get(url)

    assert response.json()["count"] >= 20
    assert with_two == LIST_QUERIES


# --- throttling ----------------------------------------------------------------------------


def test_too_many_requests_answer_429(reader_client, db, monkeypatch):
    # DRF copies the rates onto the throttle class when it is imported, so overriding
    # settings would not reach it; monkeypatch replaces the class attribute and puts it back.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})

    statuses = [reader_client.get(f"{API}/jurisdictions/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = reader_client.get(f"{API}/jurisdictions/")
    assert_error(response, 429, "throttled", mentions="throttled")
    assert int(response["Retry-After"]) > 0


def test_a_json_body_over_the_memory_limit_is_refused_unread(
    editor_client, settings, catalogue, shaoxing
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    within = fact_payload(shaoxing, quote="研发经费" * 20)
    assert editor_client.post(f"{API}/targets/", within).status_code == 201
    over = fact_payload(shaoxing, quote="研发经费" * 200, period_start="2018-01")
    body = json.dumps(over, ensure_ascii=False).encode()

    response = editor_client.generic(
        "POST", f"{API}/targets/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"] == (
        f"The request body is {len(body):,} bytes; the limit is 1,000 bytes "
        "(DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )
    assert Target.objects.count() == 1


@pytest.mark.parametrize("kind", ["targets", "actuals"])
def test_options_describes_what_a_fact_post_takes(editor_client, kind):
    described = editor_client.options(f"{API}/{kind}/", HTTP_ACCEPT_LANGUAGE="en").json()
    post = described["actions"]["POST"]

    # What a client sends, each writable; the answer's own fields are not asked for.
    for name in ("jurisdiction", "indicator", "measure", "value", "comparator", "period_start"):
        assert name in post and not post[name].get("read_only"), name
    for answer_only in ("id", "provenance", "indicator_name", "unit", "created_at"):
        assert answer_only not in post
    assert post["indicator"]["required"] is True
    assert post["change_reason"]["required"] is False


def test_options_leaves_out_writes_a_reader_may_not_make(reader_client):
    described = reader_client.options(f"{API}/targets/").json()

    assert "actions" not in described
