"""The filter backend: a query without filters leaves the rows alone; any filter is applied."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from tests.tracker.attainment_support import fact
from tracker.attainment.filters import AttainmentFilter
from tracker.filters import TargetFilter, filters_given
from tracker.models import Target

API = "/api/v1"


@pytest.mark.parametrize(
    ("query", "given"),
    [
        ("", False),
        ("as_of=2018-06-15", False),  # read by the evaluation, never a filter of rows
        ("page=2&ordering=-gap&format=json", False),
        ("status=met", True),
        ("status=", True),  # a blank is given: the form judges it
        ("indicator=rd_expenditure", True),
        ("period_after=2017-01", True),
        ("year=", True),
    ],
)
def test_which_queries_set_a_filter(query, given):
    assert filters_given(AttainmentFilter, QueryDict(query)) is given


def test_every_fact_filter_counts_as_given():
    for name in TargetFilter.base_filters:
        assert filters_given(TargetFilter, QueryDict(f"{name}=x")), name


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
