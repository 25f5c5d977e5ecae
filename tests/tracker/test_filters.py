"""List filters: a query without filters lists every row; a filter lists only its rows."""

from __future__ import annotations

import pytest

from tests.tracker.attainment_support import fact
from tracker.models import Target

API = "/api/v1"


@pytest.fixture
def targets(catalogue, shaoxing, wuhan):
    for place in (shaoxing, wuhan):
        for year in ("2016", "2017"):
            fact(Target, jurisdiction=place, indicator="rd_expenditure", value=100, when=year)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _attainment_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["target"]["id"] for row in response.json()["results"]}


def test_unfiltered_lists_have_every_row_and_filtered_ones_only_theirs(reader_client, targets):
    every = set(Target.objects.values_list("id", flat=True))
    wuhan_2017 = set(
        Target.objects.filter(jurisdiction__code="420100", period_end__year=2017).values_list(
            "id", flat=True
        )
    )
    assert _ids(reader_client.get(f"{API}/targets/")) == every
    assert _ids(reader_client.get(f"{API}/targets/", {"jurisdiction": "420100", "year": 2017})) == (
        wuhan_2017
    )
    url = f"{API}/attainment/"
    assert _attainment_ids(reader_client.get(url, {"as_of": "2018-06-15"})) == every
    query = {"as_of": "2018-06-15", "jurisdiction": "420100", "year": 2017}
    filtered = reader_client.get(url, query)
    assert _attainment_ids(filtered) == wuhan_2017


@pytest.mark.parametrize(
    ("endpoint", "query", "field"),
    [
        ("targets", "year=abc", "year"),
        ("targets", "period_after=2017-13", "period_after"),
        ("attainment", "status=", "status"),
        ("attainment", "status=done", "status"),
        ("attainment", "as_of=2018-02-30", "as_of"),
    ],
)
def test_bad_filter_values_still_answer_400_naming_the_filter(
    reader_client, targets, endpoint, query, field
):
    response = reader_client.get(f"{API}/{endpoint}/?{query}")
    assert response.status_code == 400
    assert field in response.content.decode()
