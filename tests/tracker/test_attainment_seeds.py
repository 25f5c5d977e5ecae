"""The seed reports' own numbers, evaluated: growth each plan requires from the year before.

Facts come from the gold annotations (tests/tracker/attainment_seed_data.py). Required growth
is target / baseline - 1 with the baseline the same indicator's level for the year before;
the arithmetic is in each comment and in docs/attainment.md.
"""

from __future__ import annotations

import pytest

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import evaluate, fact, row_for
from tracker.models import Target

LEVEL, YOY, CAGR = "level", "yoy_growth", "cagr"


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    return seeds.enter_seed(seeds.SHAOXING)


@pytest.fixture
def baiyin_2015(catalogue):
    return seeds.enter_seed(seeds.BAIYIN)


@pytest.fixture
def harbin_2016(catalogue):
    return seeds.enter_seed(seeds.HARBIN)


@pytest.fixture
def qingdao_2017(catalogue):
    return seeds.enter_seed(seeds.QINGDAO)


def _row(rows, entered, indicator, measure, period):
    return row_for(rows, entered[("target", indicator, measure, period)])


# (indicator, target, 2016 baseline, required growth %)
SHAOXING_REQUIRED = [
    ("rd_expenditure", "12700000000", "11300000000", 12.39),  # 127亿/113亿 - 1 = 12.39 %
    ("rd_personnel", "38600", "36500", 5.75),  # 3.86万/3.65万 - 1 = 5.75 %
    ("hitech_value_added", "54100000000", "46100000000", 17.35),  # 541/461 - 1
    ("hitech_investment", "37100000000", "35260000000", 5.22),  # 371/352.6 - 1
    ("new_product_output", "401500000000", "382140000000", 5.07),  # 4015/3821.4 - 1
    ("invention_patent_grants", "2200", "1836", 19.83),  # 2200/1836 - 1
    ("tech_contract_value", "900000000", "845000000", 6.51),  # 9亿/8.45亿 - 1
    ("hitech_enterprises_new", "200", "163", 22.7),  # 200/163 - 1
    ("st_smes_new", "800", "796", 0.5),  # 800/796 - 1
    ("tech_brokers", "250", "150", 66.67),  # 250/150 - 1
    ("patent_applications", "80000", "72000", 11.11),  # 8万/7.2万 - 1
]


@pytest.mark.parametrize(("indicator", "target", "baseline", "required"), SHAOXING_REQUIRED)
def test_shaoxing_2017_targets_against_2016(shaoxing_2017, indicator, target, baseline, required):
    rows = evaluate("2017-03-01")
    row = _row(rows, shaoxing_2017, indicator, LEVEL, "2017")
    assert row["target"]["value"] == target
    assert row["baseline"]["value"] == baseline
    assert row["baseline"]["period_start"] == "2016-01"
    assert row["required_growth"] == required
    assert row["status"] == "pending"  # the 2017 report was not out on 2017-03-01


def test_shaoxing_rd_personnel_level_and_growth_targets_disagree(shaoxing_2017):
    # 3.86万人年 "+7 %" from 3.65万: 38600/36500 - 1 = 5.75 %; 5.75 - 7 = -1.25 pp.
    rows = evaluate("2017-03-01")
    level = _row(rows, shaoxing_2017, "rd_personnel", LEVEL, "2017")
    growth = _row(rows, shaoxing_2017, "rd_personnel", YOY, "2017")
    for row in (level, growth):
        assert "inconsistent_growth_target" in row["flags"]
        assert row["consistency"]["implied_growth"] == 5.75
        assert row["consistency"]["stated_growth"] == 7.0
        assert row["consistency"]["difference"] == -1.25


@pytest.mark.parametrize(
    ("indicator", "difference"),
    [
        ("rd_expenditure", -0.01),  # 12.39 - 12.4
        ("hitech_value_added", 0.35),  # 17.35 - 17
        ("invention_patent_grants", -0.17),  # 19.83 - 20
    ],
)
def test_shaoxing_other_pairs_are_consistent(shaoxing_2017, indicator, difference):
    row = _row(evaluate("2017-03-01"), shaoxing_2017, indicator, LEVEL, "2017")
    assert row["consistency"]["difference"] == difference
    assert "inconsistent_growth_target" not in row["flags"]


def test_shaoxing_growth_target_requires_its_own_rate(shaoxing_2017):
    row = _row(evaluate("2017-03-01"), shaoxing_2017, "rd_expenditure", YOY, "2017")
    assert row["required_growth"] == 12.4
    assert row["achieved_growth"] is None


def test_shaoxing_without_2017_figures_is_no_data_once_the_year_is_over(shaoxing_2017):
    rows = evaluate("2018-06-01", jurisdiction__code="330600")
    assert {row["status"] for row in rows} == {"no_data"}


def test_shaoxing_targets_without_a_2016_figure_have_no_baseline(shaoxing_2017):
    rows = evaluate("2017-03-01")
    for indicator in ("rd_platforms_new", "innovation_vouchers"):
        row = _row(rows, shaoxing_2017, indicator, LEVEL, "2017")
        assert row["baseline"] is None
        assert row["required_growth"] is None
        assert "no_baseline" in row["flags"]


def test_shaoxing_2017_evaluated_once_2017_actuals_arrive(shaoxing_2017, shaoxing):
    # A hand-entered 2017 figure of 125亿 (hypothetical: no seed reports 2017 actuals).
    fact(
        seeds.Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017",
    )  # fmt: skip
    row = _row(evaluate("2030-01-01"), shaoxing_2017, "rd_expenditure", LEVEL, "2017")
    # 125 > 127 is false → missed; 125/127 = 0.9843; gap 2亿; achieved 125/113 - 1 = 10.62 %.
    assert row["status"] == "missed"
    assert row["attainment_ratio"] == 0.9843
    assert row["gap"] == "200000000"
    assert row["achieved_growth"] == 10.62
    assert row["growth_gap"] == -1.77  # 10.62 - 12.39


# (indicator, target, 2014 baseline, required growth %)
BAIYIN_REQUIRED = [
    ("patent_applications", "800", "615", 30.08),  # 800/615 - 1
    ("tech_contract_value", "253000000", "250000000", 1.2),  # 2.53亿/2.5亿 - 1
    ("hitech_enterprises_new", "5", "4", 25.0),  # 5/4 - 1
    ("invention_patents_per_10k", "1.5", "1.03", 45.63),  # 1.5/1.03 - 1
    ("tech_progress_contribution", "51", "50.5", 0.99),  # 51/50.5 - 1 (0.5 pp)
]


@pytest.mark.parametrize(("indicator", "target", "baseline", "required"), BAIYIN_REQUIRED)
def test_baiyin_2015_targets_against_2014(baiyin_2015, indicator, target, baseline, required):
    row = _row(evaluate("2015-02-01"), baiyin_2015, indicator, LEVEL, "2015")
    assert (row["target"]["value"], row["baseline"]["value"]) == (target, baseline)
    assert row["required_growth"] == required
    assert row["status"] == "pending"


def test_baiyin_percent_gap_is_in_percentage_points(baiyin_2015):
    # A hypothetical 2015 contribution of 50.8 %: gap 51 - 50.8 = 0.2 pp, missed.
    jurisdiction = seeds.seed_jurisdiction("白银市")
    fact(
        seeds.Actual, jurisdiction=jurisdiction, indicator="tech_progress_contribution",
        value="50.8", when="2015",
    )  # fmt: skip
    row = _row(evaluate("2030-01-01"), baiyin_2015, "tech_progress_contribution", LEVEL, "2015")
    assert row["gap"] == "0.2"
    assert row["status"] == "missed"
    assert row["attainment_ratio"] == 0.9961  # 50.8/51


HARBIN_REQUIRED = [
    ("st_enterprises_new", "856", 16.82),  # 约1000 / 856 - 1
    ("incubated_enterprises_new", "517", -41.97),  # 300/517 - 1: 2015 already above it
    ("tech_transfer_projects", "356", -15.73),  # 300/356 - 1 (the 2013-2015 total 1962 is
    # three years long, so not a baseline for a one-year target)
]


@pytest.mark.parametrize(("indicator", "baseline", "required"), HARBIN_REQUIRED)
def test_harbin_2016_targets_against_2015(harbin_2016, indicator, baseline, required):
    row = _row(evaluate("2016-04-01"), harbin_2016, indicator, LEVEL, "2016")
    assert row["baseline"]["value"] == baseline
    assert row["baseline"]["period_end"] == "2015-12"
    assert row["required_growth"] == required
    assert row["status"] == "pending"


def test_harbin_plan_targets_without_annual_baselines(harbin_2016):
    rows = evaluate("2016-04-01")
    # 年均增长10% over 2016-2020 needs the 2015 annual figure; only the 2011-2015 total is known.
    cagr = _row(rows, harbin_2016, "patent_applications", CAGR, "2016-01..2020-12")
    assert cagr["baseline"] is None
    assert cagr["trajectory"] is None
    assert cagr["required_growth"] == 10.0
    assert "no_baseline" in cagr["flags"]
    # The 十三五 total of 100 platforms: pending until the end of 2020.
    platforms = _row(rows, harbin_2016, "rd_platforms_new", LEVEL, "2016-01..2020-12")
    assert platforms["status"] == "pending"
    assert (
        row_for(evaluate("2021-02-01"), Target.objects.get(pk=platforms["target"]["id"]))["status"]
        == "no_data"
    )


def test_harbin_2016_targets_no_data_after_2016(harbin_2016):
    rows = evaluate("2017-06-01")
    assert _row(rows, harbin_2016, "st_enterprises_new", LEVEL, "2016")["status"] == "no_data"


@pytest.fixture
def qingdao_targets(qingdao_2017):
    """Hypothetical 2017 targets (the Qingdao report states none) to judge its Jan-May figures."""
    jurisdiction = seeds.seed_jurisdiction("青岛市")

    def target(indicator, value, measure=LEVEL):
        return fact(
            Target, jurisdiction=jurisdiction, indicator=indicator, value=value, when="2017",
            measure=measure, comparator="gte",
        )  # fmt: skip

    return {
        "tech_contract_value": target("tech_contract_value", "8000000000"),
        "tech_contract_yoy": target("tech_contract_value", "10", YOY),
        "invention_patent_grants": target("invention_patent_grants", "4000"),
        "hitech_enterprises_total": target("hitech_enterprises_total", "1300"),
        "incubator_area": target("incubator_area", "15000000"),
    }


def test_qingdao_year_to_date_figures(qingdao_targets):
    rows = evaluate("2017-08-01")

    # Flow, Jan-May 29.56亿 against 80亿: pro-rated 80 × 5/12 = 33.33亿 → behind;
    # ratio 29.56/33.33 = 0.8868; projection 29.56 × 12/5 = 70.944亿; gap 3.7733亿.
    row = row_for(rows, qingdao_targets["tech_contract_value"])
    assert row["status"] == "behind"
    assert row["attainment_ratio"] == 0.8868
    assert row["projection"] == "7094400000"
    assert float(row["gap"]) == pytest.approx(377333333.333333)
    assert row["basis"]["elapsed_months"] == 5
    assert row["actual"]["provenance"]["quote"]

    # Year-to-date growth 6.42 % against >= 10 % → behind (rates are not pro-rated).
    assert row_for(rows, qingdao_targets["tech_contract_yoy"])["status"] == "behind"

    # Flow, Jan-Apr 1541 against 4000: 4000 × 4/12 = 1333.33 → on_track; 1541/1333.33 =
    # 1.1558 (1.155750 rounded half to even); projection 1541 × 12/4 = 4623.
    row = row_for(rows, qingdao_targets["invention_patent_grants"])
    assert row["status"] == "on_track"
    assert row["attainment_ratio"] == pytest.approx(1.1558, abs=1e-4)
    assert row["projection"] == "4623"

    # Stock: 1347 firms at the end of May already >= 1300 → met early; 1347/1300 = 1.0362.
    row = row_for(rows, qingdao_targets["hitech_enterprises_total"])
    assert (row["status"], row["attainment_ratio"]) == ("met", 1.0362)

    # Stock: 1298万 m² against 1500万 → in_progress; 0.8653; gap 202万 m².
    row = row_for(rows, qingdao_targets["incubator_area"])
    assert (row["status"], row["attainment_ratio"], row["gap"]) == (
        "in_progress",
        0.8653,
        "2020000",
    )


def test_qingdao_before_the_report_was_published(qingdao_targets):
    row = row_for(evaluate("2017-07-01"), qingdao_targets["tech_contract_value"])
    assert row["status"] == "pending"  # published 2017-07-24
