"""The indicator catalogue API: addressed by code, read by every role, written by admins."""

from __future__ import annotations

import pytest

from indicators.models import Indicator
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/indicators"
ROLES = ["anonymous", "nobody", "reader", "editor", "admin"]
READ_STATUS = {"anonymous": 401, "nobody": 403, "reader": 200, "editor": 200, "admin": 200}
WRITE_STATUS = {"anonymous": 401, "nobody": 403, "reader": 403, "editor": 403}

NEW_INDICATOR = {
    "code": "tech_parks",
    "name_zh": "科技园区数量",
    "name_en": "Science parks",
    "unit": "count",
    "nature": "stock",
    "direction": "higher",
    "aliases": ["科技园区"],
}


def assert_error(response, status: int, code: str, *, field: str = "", mentions: str = ""):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert mentions in body["message"]
    if field:
        assert field in body["fields"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [f"{API}/", f"{API}/rd_intensity/"], ids=["list", "detail"])
def test_reading_indicators_needs_a_role(role_clients, catalogue, url, role):
    response = role_clients[role].get(url)
    assert response.status_code == READ_STATUS[role]
    if role in ("anonymous", "nobody"):
        assert_error(
            response,
            READ_STATUS[role],
            "not_authenticated" if role == "anonymous" else "permission_denied",
        )


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_create_indicators(role_clients, catalogue, role):
    response = role_clients[role].post(f"{API}/", NEW_INDICATOR)
    assert response.status_code == WRITE_STATUS.get(role, 201)
    assert Indicator.objects.filter(code="tech_parks").exists() == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_indicators(role_clients, catalogue, role):
    response = role_clients[role].patch(f"{API}/rd_intensity/", {"name_en": "R&D intensity"})
    assert response.status_code == WRITE_STATUS.get(role, 200)
    changed = Indicator.objects.get(code="rd_intensity").name_en == "R&D intensity"
    assert changed == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_delete_indicators(role_clients, catalogue, role):
    response = role_clients[role].delete(f"{API}/venture_fund_size/")
    assert response.status_code == WRITE_STATUS.get(role, 204)
    assert Indicator.objects.filter(code="venture_fund_size").exists() == (role != "admin")


def test_indicator_detail_is_addressed_by_code(reader_client, catalogue):
    body = reader_client.get(f"{API}/rd_intensity/").json()
    assert body["code"] == "rd_intensity"
    assert (body["unit"], body["nature"], body["direction"]) == ("percent", "ratio", "higher")
    assert isinstance(body["aliases"], list)


def test_admin_creates_an_indicator(admin_client_api, catalogue):
    response = admin_client_api.post(f"{API}/", NEW_INDICATOR)
    assert response.status_code == 201, response.content
    assert response.json() == {"id": response.json()["id"], **NEW_INDICATOR}
    assert Indicator.objects.get(code="tech_parks").aliases == ["科技园区"]


def test_indicator_list_is_ordered_by_code_and_paginated(reader_client, catalogue):
    body = reader_client.get(f"{API}/?page_size=5").json()
    assert body["count"] == Indicator.objects.count()
    codes = [row["code"] for row in body["results"]]
    assert len(codes) == 5
    assert codes == sorted(codes)
    assert "page=2" in body["next"]


def test_indicator_list_orders_by_unit(reader_client, catalogue):
    results = reader_client.get(f"{API}/?ordering=-unit&page_size=1000").json()["results"]
    units = [row["unit"] for row in results]
    assert units == sorted(units, reverse=True)


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("unit=percent", lambda row: row["unit"] == "percent"),
        ("nature=stock", lambda row: row["nature"] == "stock"),
        ("q=patent", lambda row: "patent" in row["code"] or "atent" in row["name_en"]),
        ("q=研发", lambda row: "研发" in row["name_zh"]),
    ],
    ids=["unit", "nature", "q-english", "q-chinese"],
)
def test_indicator_list_filters(reader_client, catalogue, query, check):
    results = reader_client.get(f"{API}/?{query}&page_size=1000").json()["results"]
    assert results
    assert all(check(row) for row in results)
    assert len(results) < Indicator.objects.count()


def test_unit_filter_keeps_only_percent_indicators(reader_client, catalogue):
    results = reader_client.get(f"{API}/?unit=percent&page_size=1000").json()["results"]
    expected = set(Indicator.objects.filter(unit="percent").values_list("code", flat=True))
    assert {row["code"] for row in results} == expected
    assert "rd_intensity" in expected


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_INDICATOR, "unit": "furlongs"}, "unit"),
        ({**NEW_INDICATOR, "code": "rd_intensity"}, "code"),
        ({**NEW_INDICATOR, "code": "has spaces"}, "code"),
        ({**NEW_INDICATOR, "nature": None}, "nature"),
    ],
    ids=["unknown-unit", "duplicate-code", "bad-slug", "no-nature"],
)
def test_bad_indicator_is_refused(admin_client_api, catalogue, payload, field):
    response = admin_client_api.post(f"{API}/", payload, format="json")
    assert_error(response, 400, "invalid", field=field)
    assert not Indicator.objects.filter(code="tech_parks").exists()


def test_bad_indicator_filter_answers_400(reader_client, catalogue):
    assert_error(reader_client.get(f"{API}/?unit=furlongs"), 400, "invalid", field="unit")


def test_unknown_indicator_code_is_not_found(reader_client, catalogue):
    assert_error(reader_client.get(f"{API}/rd_nonsense/"), 404, "not_found")


def test_deleting_an_indicator_in_use_is_a_conflict(admin_client_api, catalogue, shaoxing):
    TargetFactory(jurisdiction=shaoxing, indicator=Indicator.objects.get(code="rd_expenditure"))

    response = admin_client_api.delete(f"{API}/rd_expenditure/")

    assert_error(response, 409, "conflict", mentions="in use")
    assert Indicator.objects.filter(code="rd_expenditure").exists()
