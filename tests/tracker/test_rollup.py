"""Roll-up across the jurisdiction hierarchy: a province judged on its cities' figures.

A province's target of 200亿 with its cities' actuals of 110亿 and 100亿: without a figure of
its own, the province is judged on the cities' sum (derived, flagged `rolled_up`, with the
coverage), never on a figure it did not report; with too few cities reporting it has no
data rather than a false `missed`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tests.exports import csv_export_rows
from tests.tracker.attainment_support import document, evaluate, fact, row_for
from tracker.attainment.models import Evaluation
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, Level, Target
from tracker.services import fact_update, jurisdiction_create, jurisdiction_update

pytestmark = pytest.mark.django_db

AS_OF = "2018-06-15"


@pytest.fixture
def cities(catalogue, zhejiang, shaoxing):
    hangzhou = jurisdiction_create(
        name_zh="杭州市", name_en="Hangzhou", code="330100", level=Level.PREFECTURE,
        parent=zhejiang,
    )  # fmt: skip
    return shaoxing, hangzhou


def _actual(jurisdiction, value, when="2017", indicator="rd_expenditure", published="2018-02-01"):
    return fact(
        Actual, jurisdiction=jurisdiction, indicator=indicator, value=value, when=when,
        doc=document(published),
    )  # fmt: skip


def _province_target(zhejiang, value="20000000000", indicator="rd_expenditure"):
    return fact(Target, jurisdiction=zhejiang, indicator=indicator, value=value, when="2017")


def test_a_province_is_judged_on_its_cities_sum(zhejiang, cities):
    shaoxing, hangzhou = cities
    target = _province_target(zhejiang)
    first = _actual(shaoxing, "11000000000")
    second = _actual(hangzhou, "10000000000")

    row = row_for(evaluate(AS_OF), target)

    # 110亿 + 100亿 = 210亿 >= 200亿: met, ratio 1.05; the figure is derived, not reported.
    assert row["status"] == "met"
    assert row["attainment_ratio"] == 1.05
    assert row["actual"] is None
    assert "rolled_up" in row["flags"]
    rollup = row["basis"]["rollup"]
    assert rollup["derived"] is True
    assert rollup["value"] == "21000000000"
    assert rollup["coverage"] == {
        "reporting": 2, "expected": 2, "ratio": 1.0, "min_ratio": 0.8, "missing": [],
    }  # fmt: skip
    assert {c["actual"] for c in rollup["children"]} == {first.id, second.id}


def test_the_own_reported_figure_wins_over_the_rollup(zhejiang, cities):
    shaoxing, hangzhou = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")
    _actual(hangzhou, "10000000000")
    _actual(zhejiang, "19000000000")

    row = row_for(evaluate(AS_OF), target)

    assert row["status"] == "missed" and row["actual"]["value"] == "19000000000"
    assert row["basis"]["rollup"] is None and "rolled_up" not in row["flags"]


def test_too_few_children_reporting_is_no_data_not_missed(zhejiang, cities):
    shaoxing, _ = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")  # 1 of 2 cities: coverage 0.5 < 0.8

    row = row_for(evaluate(AS_OF), target)

    assert row["status"] == "no_data"
    assert row["attainment_ratio"] is None
    assert "rollup_incomplete" in row["flags"] and "rolled_up" not in row["flags"]
    coverage = row["basis"]["rollup"]["coverage"]
    assert (coverage["reporting"], coverage["expected"], coverage["ratio"]) == (1, 2, 0.5)
    assert [m["code"] for m in coverage["missing"]] == ["330100"]


def test_the_minimum_coverage_is_a_setting(zhejiang, cities, settings):
    shaoxing, _ = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")
    settings.ATTAINMENT = {**settings.ATTAINMENT, "ROLLUP_MIN_COVERAGE": 0.5}

    row = row_for(evaluate(AS_OF), target)

    assert row["status"] == "missed"  # 110亿 < 200亿, judged on half the cities
    assert "rolled_up" in row["flags"]


def test_ratios_and_growth_rates_are_never_summed(zhejiang, cities):
    shaoxing, hangzhou = cities
    intensity = _province_target(zhejiang, value="2.5", indicator="rd_intensity")
    _actual(shaoxing, "2.0", indicator="rd_intensity")
    _actual(hangzhou, "3.0", indicator="rd_intensity")
    growth = fact(
        Target, jurisdiction=zhejiang, indicator="rd_expenditure", value=10, when="2017",
        measure="yoy_growth",
    )  # fmt: skip
    for city in (shaoxing, hangzhou):
        fact(
            Actual, jurisdiction=city, indicator="rd_expenditure", value=12, when="2017",
            measure="yoy_growth", doc=document("2018-02-01"),
        )  # fmt: skip

    rows = evaluate(AS_OF)

    assert row_for(rows, intensity)["status"] == "no_data"
    assert row_for(rows, intensity)["basis"]["rollup"] is None
    assert row_for(rows, growth)["status"] == "no_data"
    assert row_for(rows, growth)["basis"]["rollup"] is None


def test_writes_of_children_keep_the_parents_row_current(zhejiang, cities):
    shaoxing, hangzhou = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")
    evaluations_rebuild()
    assert Evaluation.objects.get(target=target).status == "no_data"

    _actual(hangzhou, "10000000000")  # the second city reports: coverage 2/2
    assert Evaluation.objects.get(target=target).status == "met"

    # A third city under the province: coverage 2/3 < 0.8, no data again.
    ningbo = jurisdiction_create(
        name_zh="宁波市", code="330200", level=Level.PREFECTURE, parent=zhejiang
    )
    assert Evaluation.objects.get(target=target).status == "no_data"

    # It moves elsewhere: back to 2/2.
    jurisdiction_update(jurisdiction=ningbo, data={"parent": None, "level": Level.PROVINCE})
    assert Evaluation.objects.get(target=target).status == "met"

    out = StringIO()
    call_command("evaluations_rebuild", "--check", stdout=out)
    assert "every stored evaluation is current" in out.getvalue()


def _both_cities_reported(zhejiang, cities) -> Target:
    """The province's target, both cities' 2017 figures, and the stored evaluations."""
    shaoxing, hangzhou = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")
    _actual(hangzhou, "10000000000")
    evaluations_rebuild()
    return target


def test_a_childs_target_write_leaves_the_parents_row_current(zhejiang, cities):
    # A parent is judged on its children's actuals, never on their targets: a city's target
    # write refreshes the city's series only, and the province's row stays right.
    shaoxing, _ = cities
    target = _both_cities_reported(zhejiang, cities)
    city_target = fact(
        Target, jurisdiction=shaoxing, indicator="rd_expenditure", value="10000000000", when="2017"
    )
    fact_update(fact=city_target, user=None, data={"value": Decimal("12000000000")}, reason="r")

    assert Evaluation.objects.get(target=city_target).status == "missed"
    assert Evaluation.objects.get(target=target).status == "met"
    out = StringIO()
    call_command("evaluations_rebuild", "--check", stdout=out)
    assert "every stored evaluation is current" in out.getvalue()


# --- Through the API: descendants, province summaries, comparison, trajectory ------------


@pytest.fixture
def province(zhejiang, cities, wuhan):
    """Zhejiang's 200亿 target; its two cities' targets and figures; and Wuhan, elsewhere."""
    shaoxing, hangzhou = cities
    facts = {
        "province": _province_target(zhejiang),
        "shaoxing": fact(
            Target, jurisdiction=shaoxing, indicator="rd_expenditure", value="10000000000",
            when="2017",
        ),
        "hangzhou": fact(
            Target, jurisdiction=hangzhou, indicator="rd_expenditure", value="12500000000",
            when="2017",
        ),
        "wuhan": fact(
            Target, jurisdiction=wuhan, indicator="rd_expenditure", value="1", when="2017"
        ),
    }  # fmt: skip
    _actual(shaoxing, "11000000000")  # 110 %
    _actual(hangzhou, "10000000000")  # 80 %
    _actual(shaoxing, "9000000000", when="2016", published="2017-02-01")
    fact(
        Target, jurisdiction=shaoxing, indicator="rd_expenditure", value="9500000000",
        when="2016",
    )  # fmt: skip
    evaluations_rebuild()
    return facts


def _ids(body) -> set[int]:
    return {row["target"]["id"] if "target" in row else row["id"] for row in body["results"]}


def test_a_jurisdiction_with_its_descendants(province, reader_client):
    everything = {province["province"].id, province["shaoxing"].id, province["hangzhou"].id}
    for url in ("/api/v1/targets/", "/api/v1/attainment/"):
        alone = reader_client.get(url, {"jurisdiction": "浙江省", "year": 2017}).json()
        assert _ids(alone) == {province["province"].id}
        body = reader_client.get(
            url, {"jurisdiction": "浙江省", "include_descendants": "true", "year": 2017}
        ).json()
        assert _ids(body) == everything
    by_id = reader_client.get(
        "/api/v1/actuals/",
        {"jurisdiction_id": province["province"].jurisdiction_id, "include_descendants": "true"},
    ).json()
    assert by_id["count"] == 3  # the cities' actuals

    export = reader_client.get(
        "/api/v1/attainment/export.csv", {"jurisdiction": "330000", "include_descendants": "true"}
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert len(csv_export_rows(text)) == 4  # four targets (2017, 2016)


def test_summary_by_province_and_by_parent(province, reader_client):
    body = reader_client.get("/api/v1/attainment/summary/", {"group_by": "province"}).json()
    groups = {g["group"]["province_code"]: g for g in body["results"]}
    assert groups["330000"]["total"] == 4  # the province's, and its cities' three
    assert groups["330000"]["group"]["province_name_zh"] == "浙江省"
    assert groups[None]["total"] == 1  # Wuhan hangs under no province here

    body = reader_client.get("/api/v1/attainment/summary/", {"group_by": "parent"}).json()
    groups = {g["group"]["parent_code"]: g for g in body["results"]}
    assert groups["330000"]["total"] == 3  # the cities' targets
    assert groups[None]["total"] == 2  # the province's and Wuhan's

    live = reader_client.get(
        "/api/v1/attainment/summary/", {"group_by": "province", "as_of": "2018-06-15"}
    ).json()
    assert live["evaluation"] == "live"
    assert {g["group"]["province_code"]: g["total"] for g in live["results"]} == {
        "330000": 4, None: 1,
    }  # fmt: skip


def test_comparison_ranks_the_cities_of_a_province(province, reader_client):
    body = reader_client.get(
        "/api/v1/attainment/compare/",
        {"indicator": "rd_expenditure", "year": 2017, "parent": "浙江省"},
    ).json()
    assert body["level"] == "prefecture" and body["parent"]["code"] == "330000"
    ranked = [
        (r["jurisdiction"]["code"], r["rank_by_ratio"], r["rank_by_value"]) for r in body["results"]
    ]
    # Shaoxing 110亿 of 100亿 (1.1), Hangzhou 100亿 of 125亿 (0.8).
    assert ranked == [("330600", 1, 1), ("330100", 2, 2)]
    assert body["results"][0]["value"] == "11000000000"
    assert body["results"][0]["value_source"] == "actual"

    provinces = reader_client.get(
        "/api/v1/attainment/compare/",
        {"indicator": "rd_expenditure", "year": 2017, "level": "province"},
    ).json()
    [zhejiang] = provinces["results"]
    assert zhejiang["value_source"] == "rollup" and zhejiang["value"] == "21000000000"

    bad = reader_client.get("/api/v1/attainment/compare/", {"indicator": "rd_expenditure"})
    assert bad.status_code == 400 and "year" in bad.json()["fields"]
    unknown = reader_client.get(
        "/api/v1/attainment/compare/",
        {"indicator": "rd_expenditure", "year": 2017, "parent": "火星"},
    )
    assert unknown.status_code == 400 and "parent" in unknown.json()["fields"]


def test_a_citys_trajectory_across_years(province, reader_client):
    body = reader_client.get(
        "/api/v1/attainment/trajectory/", {"jurisdiction": "绍兴市", "indicator": "rd_expenditure"}
    ).json()
    years = {r["year"]: r for r in body["results"]}
    assert list(years) == [2016, 2017]
    assert years[2016]["actual"]["value"] == "9000000000"
    assert years[2016]["target"]["value"] == "9500000000"
    assert years[2016]["status"] == "missed"
    assert years[2017]["status"] == "met" and years[2017]["attainment_ratio"] == 1.1


def test_the_auditors_page_ranks_the_siblings_and_follows_the_years(province, client, reader):
    client.force_login(reader)
    html = client.get("/reports/330600/2017/", {"indicator": "rd_expenditure"}).content.decode()
    ranking = re.search(r'<svg[^>]*aria-label="ranking chart".*?</svg>', html, re.S).group(0)
    bars = re.findall(
        r'<g class="bar( mine)?" data-jurisdiction="(\d+)" data-rank="(\d+)"', ranking
    )
    assert bars == [(" mine", "330600", "1"), ("", "330100", "2")]
    trajectory = re.search(r'<svg[^>]*aria-label="trajectory chart".*?</svg>', html, re.S).group(0)
    assert re.findall(r'data-year="(\d+)"', trajectory) == ["2016", "2017"]
    assert trajectory.count('class="target"') == 2


def test_a_parents_derived_figures_are_listed_with_their_coverage(province, reader_client):
    body = reader_client.get(
        "/api/v1/attainment/rollups/", {"jurisdiction": "浙江省", "indicator": "rd_expenditure"}
    ).json()
    by_period = {(r["period_start"], r["period_end"]): r for r in body["results"]}
    year = by_period[("2017-01", "2017-12")]
    assert year["derived"] is True and year["value"] == "21000000000"
    assert (year["coverage"]["reporting"], year["coverage"]["expected"]) == (2, 2)
    earlier = by_period[("2016-01", "2016-12")]  # only Shaoxing reported 2016
    assert earlier["value"] == "9000000000"
    assert earlier["coverage"]["ratio"] == 0.5
    assert [m["code"] for m in earlier["coverage"]["missing"]] == ["330100"]

    only_2017 = reader_client.get(
        "/api/v1/attainment/rollups/", {"jurisdiction": "330000", "year": 2017}
    ).json()
    assert {(r["indicator"], r["period_start"]) for r in only_2017["results"]} == {
        ("rd_expenditure", "2017-01")
    }


def test_deleting_a_child_keeps_the_parents_row_current(zhejiang, cities, admin_client_api):
    target = _both_cities_reported(zhejiang, cities)
    ningbo = jurisdiction_create(
        name_zh="宁波市", code="330200", level=Level.PREFECTURE, parent=zhejiang
    )
    assert Evaluation.objects.get(target=target).status == "no_data"  # 2 of 3

    response = admin_client_api.delete(f"/api/v1/jurisdictions/{ningbo.id}/")

    assert response.status_code == 204
    assert Evaluation.objects.get(target=target).status == "met"  # 2 of 2
    call_command("evaluations_rebuild", "--check", stdout=StringIO())


def test_the_auditors_page_shows_the_derived_figure_as_derived(zhejiang, cities, client, reader):
    shaoxing, _ = cities
    target = _province_target(zhejiang)
    _actual(shaoxing, "11000000000")
    client.force_login(reader)

    html = client.get("/reports/330000/2017/", {"as_of": AS_OF}).content.decode()

    row = re.search(rf'<tr id="target-{target.id}".*?</tr>', html, re.S).group(0)
    assert 'class="rollup"' in row and "Σ 110亿元" in row and "(1/2 reporting)" in row
    assert 'data-status="no_data"' in row and "rollup_incomplete" in row
    assert 'class="actual-value"' not in row  # never shown as a reported figure
