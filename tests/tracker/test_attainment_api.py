"""The attainment, summary, growth-gap and export endpoints.

Every request is answered twice over, by the `reader_client` of this module: once from the
stored evaluations (brought to the request's day first, as the day's rebuild would), once
evaluated live (the stored rows hold another day); both must pass the same assertions and
say which they were.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.exports import csv_export_rows
from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker import services
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_list, stored_answers
from tracker.attainment.services import evaluations_rebuild
from tracker.bench.data import generate
from tracker.models import Actual, Target

STORED, LIVE = "stored", "live"


@pytest.fixture(params=[STORED, LIVE])
def evaluation_mode(request) -> str:
    return request.param


@pytest.fixture
def reader_client(reader_client, evaluation_mode):
    """The reader's client, answered from the stored evaluations or live (see above)."""
    get = reader_client.get

    def answered(path, data=None, **extra):
        as_of = (data or {}).get("as_of")
        try:
            day = date.fromisoformat(as_of) if as_of else date.today()
        except ValueError:  # a bad as_of: the request itself must say so
            return get(path, data, **extra)
        rules = rules_get()
        if evaluation_mode == STORED and not stored_answers(as_of=day, rules=rules):
            evaluations_rebuild(as_of=day, rules=rules)
        elif evaluation_mode == LIVE and stored_answers(as_of=day, rules=rules):
            evaluations_rebuild(as_of=day - timedelta(days=1), rules=rules)
        response = get(path, data, **extra)
        if response.status_code == 200:
            if response.streaming:
                assert response["X-Evaluation"] == evaluation_mode
            else:
                assert response.json()["evaluation"] == evaluation_mode
        return response

    reader_client.get = answered
    reader_client.get_as_it_is = get  # no preparation: for counting a request's queries
    return reader_client


URL = "/api/v1/attainment/"
SUMMARY_URL = "/api/v1/attainment/summary/"
GROWTH_URL = "/api/v1/growth-gaps/"
CSV_URL = "/api/v1/attainment/export.csv"
XLSX_URL = "/api/v1/attainment/export.xlsx"


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    return seeds.enter_seed(seeds.SHAOXING)


@pytest.fixture
def wuhan_2014(catalogue, wuhan, editor):
    """Wuhan's 2014 R&D intensity target (≥ 2.9 %) met by a hand-entered 3.0 %."""
    target = fact(Target, jurisdiction=wuhan, indicator="rd_intensity", value="2.9", when="2014")
    actual = fact(
        Actual, jurisdiction=wuhan, indicator="rd_intensity", value="3.0", when="2014",
        doc=document("2015-03-01", title="武汉市2014年科技工作总结"),
        quote="全社会研发投入占GDP比重达到3.0%",
    )  # fmt: skip
    return target, actual


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("url", [URL, SUMMARY_URL, GROWTH_URL, CSV_URL, XLSX_URL])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("nobody", 403), ("reader", 200), ("editor", 200), ("admin", 200)],
)
def test_permission_matrix(role_clients, url, role, status):
    assert role_clients[role].get(url).status_code == status


def test_row_shows_target_actual_and_evaluation(reader_client, wuhan_2014):
    target, actual = wuhan_2014
    body = reader_client.get(URL, {"as_of": "2015-06-01"}).json()
    assert body["as_of"] == "2015-06-01"
    assert body["rules"]["approx_tolerance"] == 0.05
    [row] = body["results"]
    assert row["target"]["id"] == target.id
    assert row["target"]["indicator"]["code"] == "rd_intensity"
    assert row["target"]["jurisdiction"]["code"] == "420100"
    assert (row["target"]["period_start"], row["target"]["period_end"]) == ("2014-01", "2014-12")
    assert row["target"]["comparator"] == "gte"
    assert row["target"]["unit"] == "percent"
    assert row["actual"]["id"] == actual.id
    assert row["actual"]["value"] == "3"
    assert row["actual"]["provenance"]["document_title"] == "武汉市2014年科技工作总结"
    assert row["actual"]["provenance"]["quote"] == "全社会研发投入占GDP比重达到3.0%"
    assert row["actual"]["provenance"]["published"] == "2015-03-01"
    # 3.0 >= 2.9 → met; 3.0/2.9 = 1.0345; gap 2.9 - 3.0 = -0.1 pp.
    assert row["status"] == "met"
    assert row["attainment_ratio"] == 1.0345
    assert row["gap"] == "-0.1"
    assert row["projection"] is None
    assert row["flags"] == ["no_baseline"]


def test_as_of_decides_what_is_known(reader_client, wuhan_2014):
    assert _results(reader_client.get(URL, {"as_of": "2014-12-15"}))[0]["status"] == "pending"
    assert _results(reader_client.get(URL, {"as_of": "2015-02-01"}))[0]["status"] == "no_data"
    assert _results(reader_client.get(URL, {"as_of": "2015-03-01"}))[0]["status"] == "met"


def test_bad_as_of_is_a_400(reader_client):
    response = reader_client.get(URL, {"as_of": "next tuesday"})
    assert response.status_code == 400
    assert "as_of" in response.json()["fields"]


def test_filters(reader_client, shaoxing_2017, wuhan_2014):
    def ids(**params):
        rows = _results(reader_client.get(URL, {"as_of": "2017-03-01", **params}))
        return {row["target"]["id"] for row in rows}

    everything = ids()
    assert len(everything) == 17 + 1
    shaoxing = {t.id for k, t in shaoxing_2017.items() if k[0] == "target"}
    assert ids(jurisdiction="330600") == shaoxing
    assert ids(jurisdiction="绍兴市") == shaoxing
    assert ids(jurisdiction="Wuhan") == {wuhan_2014[0].id}
    assert len(ids(indicator="rd_personnel")) == 2
    assert ids(year=2014) == {wuhan_2014[0].id}
    assert ids(status="met") == {wuhan_2014[0].id}
    assert ids(status=["met", "pending"]) == everything
    assert ids(period_kind="year_to_date") == set()
    assert ids(measure="yoy_growth") == {
        t.id for k, t in shaoxing_2017.items() if k[0] == "target" and k[2] == "yoy_growth"
    }


def test_status_filter_rejects_unknown_status(reader_client):
    assert reader_client.get(URL, {"status": "great"}).status_code == 400


def test_ordering_by_attainment(reader_client, wuhan_2014, shaoxing_2017):
    rows = _results(
        reader_client.get(URL, {"ordering": "-attainment_ratio", "as_of": "2017-03-01"})
    )
    assert len(rows) == 18


def test_summary_by_jurisdiction(reader_client, shaoxing_2017, wuhan_2014):
    body = reader_client.get(SUMMARY_URL, {"as_of": "2017-03-01"}).json()
    assert body["group_by"] == "jurisdiction"
    groups = {g["group"]["jurisdiction__code"]: g for g in body["results"]}
    assert groups["330600"]["total"] == 17
    assert groups["330600"]["by_status"]["pending"] == 17
    assert groups["330600"]["mean_attainment"] is None
    assert groups["420100"]["by_status"] == {
        "met": 1, "missed": 0, "on_track": 0, "behind": 0, "in_progress": 0, "pending": 0,
        "no_data": 0,
    }  # fmt: skip
    assert groups["420100"]["mean_attainment"] == 1.0345


def test_summary_by_year_and_indicator(reader_client, shaoxing_2017, wuhan_2014):
    body = reader_client.get(SUMMARY_URL, {"group_by": "year", "as_of": "2018-06-01"}).json()
    years = {g["group"]["year"]: g for g in body["results"]}
    assert years[2017]["by_status"]["no_data"] == 17
    assert years[2014]["by_status"]["met"] == 1
    body = reader_client.get(
        SUMMARY_URL, {"group_by": "indicator", "jurisdiction": "330600"}
    ).json()
    indicators = {g["group"]["indicator__code"]: g["total"] for g in body["results"]}
    assert indicators["rd_personnel"] == 2
    assert reader_client.get(SUMMARY_URL, {"group_by": "colour"}).status_code == 400


def test_growth_gaps(reader_client, shaoxing_2017, wuhan_2014):
    rows = _results(reader_client.get(GROWTH_URL, {"as_of": "2017-03-01"}))
    # Every Shaoxing target with a baseline or a growth measure; Wuhan has neither.
    assert all(r["required_growth"] is not None or r["achieved_growth"] is not None for r in rows)
    by_key = {(r["target"]["indicator"]["code"], r["target"]["measure"]): r for r in rows}
    assert ("rd_intensity", "level") not in by_key
    personnel = by_key[("rd_personnel", "level")]
    assert personnel["required_growth"] == 5.75
    assert personnel["baseline"]["value"] == "36500"
    assert "inconsistent_growth_target" in personnel["flags"]
    assert "status" not in personnel  # the growth view, not the scorecard


def test_list_query_count_does_not_grow_with_rows(reader_client, catalogue, shaoxing):
    def make(n: int, offset: int):
        doc = document("2017-02-01", title=f"batch {offset}")
        for i in range(n):
            year = 2000 + offset + i
            fact(
                Target, jurisdiction=shaoxing, indicator="rd_expenditure", value=100, when=str(year)
            )
            fact(
                Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value=90 + i,
                when=str(year), doc=doc,
            )  # fmt: skip

    def count(url=URL, **params) -> int:
        reader_client.get(url, {"as_of": "2017-06-01", **params})  # brings the rows to the day
        with CaptureQueriesContext(connection) as queries:
            response = reader_client.get_as_it_is(url, {"as_of": "2017-06-01", **params})
        assert response.status_code == 200
        return len(queries)

    make(3, 0)
    few = count()
    make(27, 100)
    assert Target.objects.count() == 30
    assert count(page_size=50) == few
    # Filtered by a target's fields or by the evaluation, ordered by a figure, the growth
    # view: a fixed number of queries whatever the rows.
    for params in ({"status": "missed"}, {"indicator": "rd_expenditure"}, {"ordering": "gap"}):
        assert count(**params) == count(**params, page_size=50)
    assert count(GROWTH_URL) == count(GROWTH_URL, page_size=50)


def test_the_count_follows_every_write_of_the_stored_rows(reader_client, shaoxing_2017, editor):
    """Counts are kept between requests: a write must never leave a list with a stale one."""
    before = reader_client.get(URL, {"jurisdiction": "绍兴市"}).json()["count"]
    target = Target.objects.order_by("id").first()
    added = services.target_create(
        jurisdiction=target.jurisdiction,
        indicator=target.indicator,
        value=Decimal("5"),
        period_start=date(2031, 1, 1),
        period_end=date(2031, 12, 1),
        user=editor,
    )
    assert reader_client.get(URL, {"jurisdiction": "绍兴市"}).json()["count"] == before + 1
    services.fact_delete(fact=added, user=editor, reason="entered by mistake")
    assert reader_client.get(URL, {"jurisdiction": "绍兴市"}).json()["count"] == before


@pytest.mark.parametrize("filtered_by", [None, "indicator", "review_state", "year"])
def test_the_count_leaves_rejected_targets_out_whatever_the_filter(reader_client, filtered_by):
    generated = generate(targets=300)
    rejected = Target.objects.filter(review_state="rejected").select_related("indicator")
    assert rejected.count() > 5
    one = rejected.first()
    candidates = Target.objects.exclude(review_state="rejected")
    params = {}
    if filtered_by == "indicator":
        params["indicator"] = one.indicator.code
        candidates = candidates.filter(indicator=one.indicator)
    elif filtered_by == "review_state":
        params["review_state"] = "rejected"
        candidates = candidates.none()
    elif filtered_by == "year":
        params["year"] = one.period_end.year
        candidates = candidates.filter(
            period_start__year__lte=one.period_end.year, period_end__year__gte=one.period_end.year
        )
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 1000} | params

    page = reader_client.get(URL, query).json()

    # Exactly the rows the pages list, none rejected, whatever else the filter asks for.
    assert page["count"] == len(page["results"]) == candidates.count()
    assert all(row["target"]["review_state"] != "rejected" for row in page["results"])
    assert page["count"] > 0 or filtered_by == "review_state"


def test_unfiltered_pages_are_the_pages_of_the_default_order_asked_for(reader_client):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 40}
    asked = query | {"ordering": "-period_end,jurisdiction__code,indicator__code,id"}

    def pages(params: dict) -> list[dict]:
        return [reader_client.get(URL, params | {"page": n}).json() for n in (1, 2, 8)]

    def rows(answers: list[dict]) -> list[tuple]:
        return [(a["count"], [r["target"]["id"] for r in a["results"]]) for a in answers]

    # The default order is the one asked for by name: the same count and rows.
    assert rows(pages(query)) == rows(pages(asked))
    assert [a["results"] for a in pages(query)] == [a["results"] for a in pages(asked)]

    # A target rejected meanwhile leaves the count and the pages.
    first, second = (reader_client.get(URL, query | {"page": n}).json() for n in (1, 2))
    services.facts_review(
        model=Target,
        ids=[first["results"][0]["target"]["id"]],
        review_state="rejected",
        user=None,
        reason="duplicate",
    )
    again = reader_client.get(URL, query).json()
    assert again["count"] == first["count"] - 1
    ids = [r["target"]["id"] for r in first["results"] + second["results"]]
    assert [r["target"]["id"] for r in again["results"]] == ids[1:41]


def test_summary_query_count_is_constant(reader_client, shaoxing_2017, evaluation_mode):
    reader_client.get(SUMMARY_URL)  # brings the stored rows to today (or away from it)
    with CaptureQueriesContext(connection) as queries:
        assert reader_client.get_as_it_is(SUMMARY_URL).status_code == 200
    if evaluation_mode == STORED:
        # the token with its user's role, the state of the stored rows, the one aggregate
        # (grouped by the jurisdiction's id) and the names of its groups
        assert len(queries) == 4


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    return csv_export_rows(b"".join(response.streaming_content).decode("utf-8"))


def test_csv_export_has_provenance(reader_client, wuhan_2014, editor):
    rows = _csv(reader_client.get(CSV_URL, {"as_of": "2015-06-01"}))
    [row] = rows
    assert row["status"] == "met"
    assert row["actual_document_title"] == "武汉市2014年科技工作总结"
    assert row["actual_published"] == "2015-03-01"
    assert row["actual_quote"] == "全社会研发投入占GDP比重达到3.0%"
    assert row["target_entered_by"] == ""
    assert row["target_reviewed_by"] == ""
    assert row["gap"] == "-0.1"  # a real negative number stays a number
    assert row["attainment_ratio"] == "1.0345"


def test_exports_neutralise_formulas_and_control_characters(reader_client, catalogue, wuhan):
    doc = document("2015-03-01", title='=HYPERLINK("http://evil")', text="@SUM(A1) x")
    fact(
        Target, jurisdiction=wuhan, indicator="rd_intensity", value="2.9", when="2014",
        doc=doc, quote="-2+3 evil\x07 quote",
    )  # fmt: skip
    row = _csv(reader_client.get(CSV_URL))[0]
    assert row["target_document_title"] == '\'=HYPERLINK("http://evil")'
    assert row["target_quote"] == "'-2+3 evil quote"

    response = reader_client.get(XLSX_URL)
    assert response.status_code == 200
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook["attainment"]
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    cells = dict(zip(header, first, strict=True))
    assert cells["target_document_title"] == '\'=HYPERLINK("http://evil")'
    assert cells["target_quote"] == "'-2+3 evil quote"
    assert cells["status"] == "no_data"


def test_xlsx_keeps_numbers_numeric(reader_client, wuhan_2014):
    response = reader_client.get(XLSX_URL, {"as_of": "2015-06-01"})
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, first = list(workbook["attainment"].iter_rows(values_only=True))[:2]
    cells = dict(zip(header, first, strict=True))
    assert cells["gap"] == pytest.approx(-0.1)
    assert cells["target_value"] == pytest.approx(2.9)
    assert cells["actual_quote"] == "全社会研发投入占GDP比重达到3.0%"


def test_export_filters_like_the_list(reader_client, shaoxing_2017, wuhan_2014):
    rows = _csv(reader_client.get(CSV_URL, {"jurisdiction": "330600", "indicator": "rd_personnel"}))
    assert {r["indicator"] for r in rows} == {"rd_personnel"}
    assert len(rows) == 2


def test_schema_includes_the_attainment_endpoints(admin_client_api):
    response = admin_client_api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (URL, SUMMARY_URL, GROWTH_URL, CSV_URL, XLSX_URL):
        assert path in paths


@pytest.mark.parametrize("ordering", [None, "jurisdiction__code,-period_end"])
def test_a_large_page_is_in_the_order_asked_for(reader_client, ordering):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 1000}
    if ordering:
        query["ordering"] = ordering
    response = reader_client.get(URL, query)
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == Target.objects.exclude(review_state="rejected").count() > 200
    assert any(row["superseded"] for row in results)
    if ordering is None:
        expected = Target.objects.exclude(review_state="rejected").order_by(
            "-period_end", "jurisdiction__code", "indicator__code", "id"
        )
        assert [row["target"]["id"] for row in results] == list(
            expected.values_list("id", flat=True)
        )
    else:
        keys = [
            (row["target"]["jurisdiction"]["code"], row["target"]["period_end"]) for row in results
        ]
        for (code, end), (next_code, next_end) in pairwise(keys):
            assert code < next_code or (code == next_code and end >= next_end)


@pytest.mark.parametrize("ordering", ["attainment_ratio", "-attainment_ratio", "growth_gap"])
def test_rows_without_the_figure_come_last_and_ties_go_by_id(reader_client, ordering):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 1000, "ordering": ordering}
    results = reader_client.get(URL, query).json()["results"]
    name = ordering.removeprefix("-")
    values = [row[name] for row in results]
    with_value = [v for v in values if v is not None]
    assert 0 < len(with_value) < len(values)
    # Every row with the figure before every row without it, in the order asked for.
    assert values[: len(with_value)] == with_value
    assert with_value == sorted(with_value, reverse=ordering.startswith("-"))
    # The rows without it in the order of their target's id.
    without = [row["target"]["id"] for row in results[len(with_value) :]]
    assert without == sorted(without)


def test_lists_filtered_by_the_evaluation_page_through_every_matching_row(reader_client):
    generated = generate(targets=300)
    as_of = f"{generated.as_of:%Y-%m-%d}"
    evaluations_rebuild(as_of=generated.as_of)
    evaluated = evaluation_list()
    missed = set(evaluated.filter(status="missed").values_list("target_id", flat=True))
    assert len(missed) > 14
    with_growth = list(
        evaluated.exclude(required_growth__isnull=True, achieved_growth__isnull=True)
        .order_by("-period_end", "target__jurisdiction__code", "target__indicator__code", "target")
        .values_list("target_id", flat=True)
    )

    def every_page(url: str, **params) -> tuple[list[dict], set[int]]:
        rows, counts, page = [], set(), 1
        while page:
            response = reader_client.get(
                url, {"as_of": as_of, "page_size": 7, "page": page, **params}
            )
            assert response.status_code == 200
            body = response.json()
            rows += body["results"]
            counts.add(body["count"])
            page = page + 1 if body["next"] else None
        return rows, counts

    rows, counts = every_page(URL, status="missed", ordering="-gap")
    assert counts == {len(missed)}
    assert {row["status"] for row in rows} == {"missed"}
    assert {row["target"]["id"] for row in rows} == missed
    gaps = [float(row["gap"]) for row in rows if row["gap"] is not None]
    assert gaps == sorted(gaps, reverse=True)

    growth, counts = every_page(GROWTH_URL)
    assert counts == {len(with_growth)}
    assert [row["target"]["id"] for row in growth] == with_growth
