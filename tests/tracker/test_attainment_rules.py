"""The golden table: hand-computed evaluations for every rule of docs/attainment.md.

Each case enters one target (and, for the consistency cases, its paired target) and a few
actuals, evaluates as of a fixed day, and compares the row with numbers worked out by hand
in the comments. Unless a case says otherwise facts are accepted and every fact comes from a
report published on the day given, so that `as_of` decides what is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from indicators.models import Direction, Indicator, Nature, Unit
from tests.tracker.attainment_support import document, evaluate, fact, row_for
from tracker.models import Actual, Measure, ReviewState, Target

LEVEL, YOY, CAGR, GROWTH = Measure.LEVEL, Measure.YOY_GROWTH, Measure.CAGR, Measure.GROWTH

# Made-up indicators so that every nature and direction is covered, whatever the catalogue.
INDICATORS = {
    "flow_up": (Unit.CNY, Nature.FLOW, Direction.HIGHER),
    "stock_up": (Unit.COUNT, Nature.STOCK, Direction.HIGHER),
    "ratio_up": (Unit.PERCENT, Nature.RATIO, Direction.HIGHER),
    "ratio_down": (Unit.PERCENT, Nature.RATIO, Direction.LOWER),
    "flow_down": (Unit.COUNT, Nature.FLOW, Direction.LOWER),
}


@dataclass
class F:
    """A fact of a case: kind T (the target), P (a paired target) or A (an actual)."""

    kind: str
    value: float
    when: str
    published: str = "2016-03-01"
    measure: str = LEVEL
    comparator: str | None = None
    state: str = ReviewState.ACCEPTED


@dataclass
class Case:
    id: str
    indicator: str
    facts: list[F]
    as_of: str
    expect: dict
    flags: set[str] = field(default_factory=set)


CASES = [
    # --- Full-period actuals: the comparator decides met or missed -------------------------
    # 120 >= 100 → met; ratio 120/100 = 1.2; gap 100 - 120 = -20.
    Case(
        "gte_met",
        "flow_up",
        [F("T", 100, "2017", comparator="gte"), F("A", 120, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 1.2, "gap": "-20"},
    ),
    # 90 < 100 → missed; ratio 0.9; gap 10.
    Case(
        "gte_missed",
        "flow_up",
        [F("T", 100, "2017", comparator="gte"), F("A", 90, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 0.9, "gap": "10"},
    ),
    # 突破 100 (gt) reached exactly: 100 > 100 is false → missed; ratio 1.0; gap 0.
    Case(
        "gt_equal_is_missed",
        "flow_up",
        [F("T", 100, "2017", comparator="gt"), F("A", 100, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 1.0, "gap": "0"},
    ),
    # eq tolerance 0.1 %: |100.05 - 100| = 0.05 <= 0.001 × 100 = 0.1 → met; ratio 1.0005.
    Case(
        "eq_within_tolerance",
        "flow_up",
        [F("T", 100, "2017", comparator="eq"), F("A", 100.05, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 1.0005, "gap": "-0.05"},
    ),
    # |100.2 - 100| = 0.2 > 0.1 → missed, even though above the target.
    Case(
        "eq_outside_tolerance",
        "flow_up",
        [F("T", 100, "2017", comparator="eq"), F("A", 100.2, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 1.002},
    ),
    # 1000户左右: |960 - 1000| = 40 <= 0.05 × 1000 = 50 → met; ratio 0.96; gap 40.
    Case(
        "approx_within_5_percent",
        "stock_up",
        [F("T", 1000, "2017", comparator="approx"), F("A", 960, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 0.96, "gap": "40"},
    ),
    # |940 - 1000| = 60 > 50 → missed; ratio 0.94; gap 60.
    Case(
        "approx_outside_5_percent",
        "stock_up",
        [F("T", 1000, "2017", comparator="approx"), F("A", 940, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 0.94, "gap": "60"},
    ),
    # Lower is better, 控制在5%以内 (lte): 4.0 <= 5.0 → met; ratio inverted 5.0/4.0 = 1.25;
    # gap 5.0 - 4.0 = 1 percentage point.
    Case(
        "lower_lte_met",
        "ratio_down",
        [F("T", 5.0, "2017", comparator="lte"), F("A", 4.0, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 1.25, "gap": "1"},
    ),
    # Lower, lt 5.0: 5.5 → missed; ratio 5.0/5.5 = 0.9091; gap -0.5.
    Case(
        "lower_lt_missed",
        "ratio_down",
        [F("T", 5.0, "2017", comparator="lt"), F("A", 5.5, "2017", "2018-02-01")],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 0.9091, "gap": "-0.5"},
    ),
    # --- Partial periods --------------------------------------------------------------------
    # Flow, Jan-May 600 against 1200 for the year: pro-rated 1200 × 5/12 = 500; 600 >= 500
    # → on_track; ratio 600/500 = 1.2; gap 500 - 600 = -100; projection 600 × 12/5 = 1440.
    Case(
        "partial_flow_on_track",
        "flow_up",
        [F("T", 1200, "2017", comparator="gte"), F("A", 600, "2017-01..2017-05", "2017-06-10")],
        "2017-07-01",
        {
            "status": "on_track",
            "attainment_ratio": 1.2,
            "gap": "-100",
            "projection": "1440",
            "basis.compared_with": "500",
            "basis.elapsed_months": 5,
        },
    ),
    # Jan-May 400 < 500 → behind; ratio 0.8; gap 100; projection 400 × 12/5 = 960.
    Case(
        "partial_flow_behind",
        "flow_up",
        [F("T", 1200, "2017", comparator="gte"), F("A", 400, "2017-01..2017-05", "2017-06-10")],
        "2017-07-01",
        {"status": "behind", "attainment_ratio": 0.8, "gap": "100", "projection": "960"},
    ),
    # The period ended long ago and only Jan-May is known: still judged on the part period,
    # with a flag.
    Case(
        "partial_only_after_period",
        "flow_up",
        [F("T", 1200, "2017", comparator="gte"), F("A", 400, "2017-01..2017-05", "2017-06-10")],
        "2018-06-15",
        {"status": "behind"},
        {"partial_only_after_period"},
    ),
    # Lower-is-better flow, at most 120 a year; Jan-Jun 70 against 120 × 6/12 = 60:
    # 70 > 60 → behind; ratio inverted 60/70 = 0.8571; gap 60 - 70 = -10; projection 140.
    Case(
        "partial_flow_lower_behind",
        "flow_down",
        [F("T", 120, "2017", comparator="lte"), F("A", 70, "2017-01..2017-06", "2017-07-10")],
        "2017-08-01",
        {"status": "behind", "attainment_ratio": 0.8571, "gap": "-10", "projection": "140"},
    ),
    # Stock: 1347 by the end of May against >= 1300 for the year → reached early → met;
    # ratio 1347/1300 = 1.0362; gap -47; no projection for a stock.
    Case(
        "partial_stock_met_early",
        "stock_up",
        [F("T", 1300, "2017", comparator="gte"), F("A", 1347, "2017-01..2017-05", "2017-06-10")],
        "2017-07-01",
        {"status": "met", "attainment_ratio": 1.0362, "gap": "-47", "projection": None},
    ),
    # Stock: 1347 against 1500 → in_progress; ratio 0.898; gap 153.
    Case(
        "partial_stock_in_progress",
        "stock_up",
        [F("T", 1500, "2017", comparator="gte"), F("A", 1347, "2017-01..2017-05", "2017-06-10")],
        "2017-07-01",
        {"status": "in_progress", "attainment_ratio": 0.898, "gap": "153"},
    ),
    # Ratio: 2.3 % in H1 against 2.5 % → in_progress; ratio 0.92; gap 0.2 pp.
    Case(
        "partial_ratio_in_progress",
        "ratio_up",
        [F("T", 2.5, "2017", comparator="gte"), F("A", 2.3, "2017-01..2017-06", "2017-07-10")],
        "2017-08-01",
        {"status": "in_progress", "attainment_ratio": 0.92, "gap": "0.2"},
    ),
    # A full-year actual beats a year-to-date one: 1100 against 1200 → missed; 0.9167.
    Case(
        "full_beats_partial",
        "flow_up",
        [
            F("T", 1200, "2017", comparator="gte"),
            F("A", 600, "2017-01..2017-05", "2017-06-10"),
            F("A", 1100, "2017", "2018-02-01"),
        ],
        "2018-06-15",
        {"status": "missed", "attainment_ratio": 0.9167, "gap": "100", "projection": None},
    ),
    # --- No actual -------------------------------------------------------------------------
    Case(
        "pending_before_period_end",
        "flow_up",
        [F("T", 100, "2018", comparator="gte")],
        "2018-06-15",
        {"status": "pending", "actual": None, "attainment_ratio": None},
    ),
    # In December the year is not over yet (periods end with their last month).
    Case(
        "pending_in_last_month",
        "flow_up",
        [F("T", 100, "2017", comparator="gte")],
        "2017-12-31",
        {"status": "pending"},
    ),
    Case(
        "no_data_after_period",
        "flow_up",
        [F("T", 100, "2017", comparator="gte")],
        "2018-01-01",
        {"status": "no_data"},
    ),
    # An actual published after as_of is not known yet.
    Case(
        "as_of_hides_later_report",
        "flow_up",
        [F("T", 100, "2017", comparator="gte"), F("A", 120, "2017", "2018-03-01")],
        "2018-02-01",
        {"status": "no_data", "actual": None},
    ),
    # A proposed (unreviewed) actual does not count.
    Case(
        "proposed_actual_ignored",
        "flow_up",
        [
            F("T", 100, "2017", comparator="gte"),
            F("A", 150, "2017", "2018-02-01", state=ReviewState.PROPOSED),
        ],
        "2018-06-15",
        {"status": "no_data"},
    ),
    # --- Revisions: the latest published accepted actual counts ----------------------------
    # 90 (published 2018-02-01) revised to 110 (2018-04-01): 110 >= 100 → met; ratio 1.1.
    Case(
        "revision_latest_counts",
        "flow_up",
        [
            F("T", 100, "2017", comparator="gte"),
            F("A", 90, "2017", "2018-02-01"),
            F("A", 110, "2017", "2018-04-01"),
        ],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 1.1, "actual.value": "110"},
        {"revised"},
    ),
    # As of 2018-03-01 only the first report is known: 90 → missed, nothing revised.
    Case(
        "revision_not_yet_known",
        "flow_up",
        [
            F("T", 100, "2017", comparator="gte"),
            F("A", 90, "2017", "2018-02-01"),
            F("A", 110, "2017", "2018-04-01"),
        ],
        "2018-03-01",
        {"status": "missed", "actual.value": "90", "superseded": []},
    ),
    # --- Growth targets ----------------------------------------------------------------------
    # 同比增长10%以上, reported +12 %: met; ratio 12/10 = 1.2; gap 10 - 12 = -2 pp.
    Case(
        "yoy_direct_met",
        "flow_up",
        [
            F("T", 10, "2017", measure=YOY, comparator="gte"),
            F("A", 12, "2017", "2018-02-01", measure=YOY),
        ],
        "2018-06-15",
        {"status": "met", "attainment_ratio": 1.2, "gap": "-2", "growth_source": "direct"},
    ),
    # No growth actual, but levels 100 (2016) and 108 (2017): achieved 108/100 - 1 = 8 %
    # < 10 % → missed; ratio 0.8; gap 2 pp; growth gap 8 - 10 = -2 pp.
    Case(
        "yoy_derived_from_levels",
        "flow_up",
        [
            F("T", 10, "2017", measure=YOY, comparator="gte"),
            F("A", 100, "2016", "2017-02-01"),
            F("A", 108, "2017", "2018-02-01"),
        ],
        "2018-06-15",
        {
            "status": "missed",
            "actual": None,
            "attainment_ratio": 0.8,
            "gap": "2",
            "growth_source": "levels",
            "achieved_growth": 8.0,
            "required_growth": 10.0,
            "growth_gap": -2.0,
            "basis.derived_from_levels": True,
        },
    ),
    # Year-to-date growth +6.42 % against >= 10 % → behind (rates are not pro-rated).
    Case(
        "yoy_partial_behind",
        "flow_up",
        [
            F("T", 10, "2017", measure=YOY, comparator="gte"),
            F("A", 6.42, "2017-01..2017-05", "2017-06-10", measure=YOY),
        ],
        "2017-07-01",
        {"status": "behind", "attainment_ratio": 0.642},
    ),
    # --- Growth gaps of level targets --------------------------------------------------------
    # Baseline 113 (2016), target 127, actual 125 (2017): required 127/113 - 1 = 12.39 %,
    # achieved 125/113 - 1 = 10.62 %, growth gap -1.77 pp; ratio 125/127 = 0.9843.
    Case(
        "level_growth_gap",
        "flow_up",
        [
            F("T", 127, "2017", comparator="gte"),
            F("A", 113, "2016", "2017-02-01"),
            F("A", 125, "2017", "2018-02-01"),
        ],
        "2018-06-15",
        {
            "status": "missed",
            "attainment_ratio": 0.9843,
            "required_growth": 12.39,
            "achieved_growth": 10.62,
            "growth_gap": -1.77,
            "growth_source": "levels",
            "baseline.value": "113",
        },
    ),
    # Levels missing for 2017, a yoy actual of 11 % instead: achieved 11, gap 11 - 12.39.
    Case(
        "level_growth_from_yoy_actual",
        "flow_up",
        [
            F("T", 127, "2017", comparator="gte"),
            F("A", 113, "2016", "2017-02-01"),
            F("A", 11, "2017", "2018-02-01", measure=YOY),
        ],
        "2018-06-15",
        {
            "status": "no_data",
            "required_growth": 12.39,
            "achieved_growth": 11.0,
            "growth_gap": -1.39,
            "growth_source": "yoy_actual",
        },
    ),
    # Multi-year: 2.5 % by 2020 from 2.0 % in 2015: required (2.5/2.0)^(12/60) - 1 = 4.56 %
    # a year over 60 months.
    Case(
        "multi_year_required_cagr",
        "ratio_up",
        [F("T", 2.5, "2020", comparator="gte"), F("A", 2.0, "2015")],
        "2018-06-15",
        {"status": "pending", "required_growth": 4.56, "basis.horizon_months": 60},
    ),
    # No earlier actual at all: no growth, and a flag.
    Case(
        "no_baseline",
        "flow_up",
        [F("T", 127, "2017", comparator="gte")],
        "2018-06-15",
        {"required_growth": None, "baseline": None},
        {"no_baseline"},
    ),
    # --- Progress categories of multi-year targets evaluated mid-way (SDG method) ------------
    # Target 2.5 % in 2020, set in March 2016 with 2.0 % (2015) known. 2017 reported 2.1 %:
    # observed (2.1/2.0)^(12/24) - 1 = 2.47 %; required (2.5/2.0)^(12/60) - 1 = 4.56 %;
    # R = 2.47/4.56 = 0.5411 → limited_progress. Still required from 2.1 % (2017):
    # (2.5/2.1)^(12/36) - 1 = 5.98 %.
    Case(
        "progress_limited",
        "ratio_up",
        [
            F("T", 2.5, "2020", comparator="gte"),
            F("A", 2.0, "2015"),
            F("A", 2.1, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {
            "progress.category": "limited_progress",
            "progress.ratio": 0.5411,
            "progress.observed_growth": 2.47,
            "progress.required_growth": 4.56,
            "required_growth": 5.98,
        },
    ),
    # 2.2 %: observed 1.1^0.5 - 1 = 4.88 %; R = 4.88/4.56 = 1.0694 → on_track.
    Case(
        "progress_on_track",
        "ratio_up",
        [
            F("T", 2.5, "2020", comparator="gte"),
            F("A", 2.0, "2015"),
            F("A", 2.2, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {"progress.category": "on_track", "progress.ratio": 1.0694},
    ),
    # 2.15 %: observed 1.075^0.5 - 1 = 3.68 %; R = 0.8068 → acceleration_needed.
    Case(
        "progress_acceleration_needed",
        "ratio_up",
        [
            F("T", 2.5, "2020", comparator="gte"),
            F("A", 2.0, "2015"),
            F("A", 2.15, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {"progress.category": "acceleration_needed", "progress.ratio": 0.8068},
    ),
    # 1.9 %: observed 0.95^0.5 - 1 = -2.53 %; R = -0.5548 < 0 → deteriorating.
    Case(
        "progress_deteriorating",
        "ratio_up",
        [
            F("T", 2.5, "2020", comparator="gte"),
            F("A", 2.0, "2015"),
            F("A", 1.9, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {"progress.category": "deteriorating", "progress.ratio": -0.5548},
    ),
    # 2.6 % in 2017 already satisfies >= 2.5 → achieved.
    Case(
        "progress_achieved",
        "ratio_up",
        [
            F("T", 2.5, "2020", comparator="gte"),
            F("A", 2.0, "2015"),
            F("A", 2.6, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {"progress.category": "achieved", "status": "pending"},
    ),
    # Lower is better: at most 4.0 % in 2020 from 5.0 % (2015), 4.6 % in 2017.
    # required (4.0/5.0)^(12/60) - 1 = -4.36 %; observed (4.6/5.0)^(12/24) - 1 = -4.08 %;
    # flipping both signs (a fall is progress) leaves R = 4.08/4.36 = 0.9355
    # → acceleration_needed.
    Case(
        "progress_lower_direction",
        "ratio_down",
        [
            F("T", 4.0, "2020", comparator="lte"),
            F("A", 5.0, "2015"),
            F("A", 4.6, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {
            "progress.category": "acceleration_needed",
            "progress.ratio": 0.9355,
            "progress.required_growth": -4.36,
            "progress.observed_growth": -4.08,
        },
    ),
    # CAGR 10 % over 2016-2020 from 1000 in 2015; 1080 (2016) and 1150 (2017) reported.
    # Trajectory 1000 × 1.1^k: 1100 (2016), 1210 (2017), 1331, 1464.1, 1610.51.
    # Observed (1150/1000)^(12/24) - 1 = 7.24 %; R = 7.24/10 = 0.7238 → acceleration_needed;
    # growth gap 7.24 - 10 = -2.76 pp. No cagr actual and the period runs → pending.
    Case(
        "cagr_trajectory",
        "flow_up",
        [
            F("T", 10, "2016..2020", measure=CAGR, comparator="gte"),
            F("A", 1000, "2015"),
            F("A", 1080, "2016", "2017-02-01"),
            F("A", 1150, "2017", "2018-02-01"),
        ],
        "2018-06-15",
        {
            "status": "pending",
            "required_growth": 10.0,
            "achieved_growth": 7.24,
            "growth_gap": -2.76,
            "progress.category": "acceleration_needed",
            "progress.ratio": 0.7238,
            "trajectory.0.expected": "1100",
            "trajectory.0.ratio": 0.9818,
            "trajectory.1.expected": "1210",
            "trajectory.1.gap": "60",
            "trajectory.4.expected": "1610.51",
            "trajectory.4.actual": None,
        },
    ),
    # --- Consistency of a level and a growth target for the same period ---------------------
    # 3.86万 "+7 %" from 3.65万: implied 38600/36500 - 1 = 5.75 %; 5.75 - 7 = -1.25 pp,
    # beyond 0.5 pp → flagged.
    Case(
        "consistency_flagged",
        "flow_up",
        [
            F("T", 38600, "2017", comparator="gte", published="2017-02-13"),
            F("P", 7, "2017", measure=YOY, comparator="gte", published="2017-02-13"),
            F("A", 36500, "2016", "2017-02-13"),
        ],
        "2017-03-01",
        {
            "consistency.implied_growth": 5.75,
            "consistency.difference": -1.25,
            "consistency.consistent": False,
        },
        {"inconsistent_growth_target"},
    ),
    # 127亿 "+12.4 %" from 113亿: implied 12.39 %, 0.01 pp off → consistent.
    Case(
        "consistency_ok",
        "flow_up",
        [
            F("T", 12700000000, "2017", comparator="gt", published="2017-02-13"),
            F("P", 12.4, "2017", measure=YOY, comparator="gte", published="2017-02-13"),
            F("A", 11300000000, "2016", "2017-02-13"),
        ],
        "2017-03-01",
        {"consistency.consistent": True, "consistency.difference": -0.01},
    ),
    # --- Increments: consecutive part-period figures of a flow are summed -------------------
    # Q1 300 + Q2 400 = 700 for January to June against 1200 for the year: pro-rated
    # 1200 × 6/12 = 600; 700 >= 600 → on_track; ratio 700/600 = 1.1667; gap 600 - 700 = -100;
    # projection 700 × 12/6 = 1400. The counted actual is Q1 (it starts with the period).
    Case(
        "increments_summed",
        "flow_up",
        [
            F("T", 1200, "2017", comparator="gte"),
            F("A", 300, "2017-01..2017-03", "2017-04-10"),
            F("A", 400, "2017-04..2017-06", "2017-07-10"),
        ],
        "2017-08-01",
        {
            "status": "on_track",
            "attainment_ratio": 1.1667,
            "gap": "-100",
            "projection": "1400",
            "actual.value": "300",
            "basis.year_to_date": "700",
            "basis.elapsed_months": 6,
            "basis.compared_with": "600",
            "basis.increments.0.value": "400",
            "basis.increments.0.period_start": "2017-04",
        },
        {"increments_summed"},
    ),
    # Four quarters 300 + 400 + 250 + 200 = 1150 make the whole year: 1150 < 1200 → missed
    # (not partial, no projection); ratio 1150/1200 = 0.9583; gap 50.
    Case(
        "increments_make_the_year",
        "flow_up",
        [
            F("T", 1200, "2017", comparator="gte"),
            F("A", 300, "2017-01..2017-03", "2017-04-10"),
            F("A", 400, "2017-04..2017-06", "2017-07-10"),
            F("A", 250, "2017-07..2017-09", "2017-10-10"),
            F("A", 200, "2017-10..2017-12", "2018-01-10"),
        ],
        "2018-03-01",
        {
            "status": "missed",
            "attainment_ratio": 0.9583,
            "gap": "50",
            "projection": None,
            "basis.partial": False,
            "basis.year_to_date": "1150",
        },
        {"increments_summed"},
    ),
    # Overlapping figures keep the rule of the latest cumulative figure: H1 650 (January to
    # June) counts, not Q1 300 + Q2 400; Q3 350 continues it: 650 + 350 = 1000 for nine
    # months against 1200 × 9/12 = 900 → on_track; ratio 1000/900 = 1.1111.
    Case(
        "increments_after_the_latest_cumulative",
        "flow_up",
        [
            F("T", 1200, "2017", comparator="gte"),
            F("A", 300, "2017-01..2017-03", "2017-04-10"),
            F("A", 400, "2017-04..2017-06", "2017-07-10"),
            F("A", 650, "2017-01..2017-06", "2017-07-20"),
            F("A", 350, "2017-07..2017-09", "2017-10-10"),
        ],
        "2017-11-01",
        {
            "status": "on_track",
            "attainment_ratio": 1.1111,
            "actual.value": "650",
            "basis.year_to_date": "1000",
            "basis.elapsed_months": 9,
        },
        {"increments_summed"},
    ),
    # Q1 and Q3 without Q2: Q3 cannot be added (April to June is missing); Q1 alone is
    # judged: 300 against 1200 × 3/12 = 300 → on_track, ratio 1.0, and the gap is flagged.
    Case(
        "increments_gap_flagged",
        "flow_up",
        [
            F("T", 1200, "2017", comparator="gte"),
            F("A", 300, "2017-01..2017-03", "2017-04-10"),
            F("A", 350, "2017-07..2017-09", "2017-10-10"),
        ],
        "2017-11-01",
        {
            "status": "on_track",
            "attainment_ratio": 1.0,
            "basis.elapsed_months": 3,
            "basis.year_to_date": None,
            "basis.increments": [],
        },
        {"increments_gap"},
    ),
    # --- Total growth over a plan, from the year before its window ----------------------
    # 十四五期间增长50% (2021-2025) from 200 in 2020; 260 reported for 2023. Achieved so far
    # 260/200 - 1 = 30 %; required 50 % (the stated total). Progress: observed
    # (260/200)^(12/36) - 1 = 9.14 % a year; required 1.5^(12/60) - 1 = 8.45 % a year;
    # R = 1.0819 → on_track. The plan runs to 2025 → pending.
    Case(
        "growth_plan_midway",
        "flow_up",
        [
            F("T", 50, "2021..2025", published="2021-03-01", measure=GROWTH, comparator="gte"),
            F("A", 200, "2020", "2021-02-01"),
            F("A", 260, "2023", "2024-02-01"),
        ],
        "2024-06-15",
        {
            "status": "pending",
            "baseline.value": "200",
            "required_growth": 50.0,
            "achieved_growth": 30.0,
            "growth_gap": -20.0,
            "growth_source": "levels",
            "basis.horizon_months": 60,
            "progress.category": "on_track",
            "progress.ratio": 1.0819,
            "progress.observed_growth": 9.14,
            "progress.required_growth": 8.45,
        },
    ),
    # At the plan's end 290 for 2025: 290/200 - 1 = 45 % < 50 % → missed; ratio 45/50 = 0.9;
    # gap 5 points; judged from the levels.
    Case(
        "growth_plan_end",
        "flow_up",
        [
            F("T", 50, "2021..2025", published="2021-03-01", measure=GROWTH, comparator="gte"),
            F("A", 200, "2020", "2021-02-01"),
            F("A", 260, "2023", "2024-02-01"),
            F("A", 290, "2025", "2026-02-01"),
        ],
        "2026-06-15",
        {
            "status": "missed",
            "attainment_ratio": 0.9,
            "gap": "5",
            "achieved_growth": 45.0,
            "basis.derived_from_levels": True,
        },
    ),
    # Only 2018 is known before the window: total growth from 2018 is not growth over
    # 2021-2025, so there is no baseline (flagged) and no achieved growth.
    Case(
        "growth_plan_needs_the_year_before",
        "flow_up",
        [
            F("T", 50, "2021..2025", published="2021-03-01", measure=GROWTH, comparator="gte"),
            F("A", 180, "2018", "2019-02-01"),
            F("A", 260, "2023", "2024-02-01"),
        ],
        "2024-06-15",
        {"status": "pending", "baseline": None, "achieved_growth": None, "progress": None},
        {"no_baseline"},
    ),
    # --- Direction when the target lies on the wrong side of the baseline -------------------
    # Higher is better, at least 90 by 2020 from 100 (2015), 85 in 2017. Required
    # (90/100)^(12/60) - 1 = -2.09 % a year; observed (85/100)^(12/24) - 1 = -7.80 % a year;
    # R = 3.7429 would read on_track, but the indicator fell: deteriorating (Open SDG).
    Case(
        "progress_wrong_side_higher_falls",
        "stock_up",
        [
            F("T", 90, "2020", comparator="gte"),
            F("A", 100, "2015"),
            F("A", 85, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {
            "status": "pending",
            "progress.category": "deteriorating",
            "progress.ratio": 3.7429,
            "progress.observed_growth": -7.8,
            "progress.required_growth": -2.09,
        },
    ),
    # Lower is better, at most 10.5 % by 2020 from 10.0 % (2015), 11.0 % in 2017. Required
    # (10.5/10)^(12/60) - 1 = 0.98 % a year; observed 1.1^(12/24) - 1 = 4.88 % a year;
    # R = 4.9775, but the indicator rose: deteriorating.
    Case(
        "progress_wrong_side_lower_rises",
        "ratio_down",
        [
            F("T", 10.5, "2020", comparator="lte"),
            F("A", 10.0, "2015"),
            F("A", 11.0, "2017", "2018-03-01"),
        ],
        "2018-06-15",
        {
            "progress.category": "deteriorating",
            "progress.ratio": 4.9775,
            "progress.observed_growth": 4.88,
            "progress.required_growth": 0.98,
        },
    ),
]


@pytest.fixture
def indicators(db):
    for code, (unit, nature, direction) in INDICATORS.items():
        Indicator.objects.create(
            code=code,
            name_zh=code,
            name_en=code.replace("_", " "),
            unit=unit,
            nature=nature,
            direction=direction,
        )


def _dig(row, path: str):
    value = row
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _enter(case: Case, jurisdiction) -> Target:
    documents = {}
    target = None
    for f in case.facts:
        if f.published not in documents:
            documents[f.published] = document(f.published)
        created = fact(
            Actual if f.kind == "A" else Target,
            jurisdiction=jurisdiction,
            indicator=case.indicator,
            value=f.value,
            when=f.when,
            measure=f.measure,
            comparator=f.comparator,
            doc=documents[f.published],
            review_state=f.state,
        )
        if f.kind == "T":
            target = created
    return target


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_evaluation(case: Case, indicators, shaoxing):
    target = _enter(case, shaoxing)
    row = row_for(evaluate(case.as_of), target)
    for path, expected in case.expect.items():
        assert _dig(row, path) == expected, (path, row)
    assert case.flags <= set(row["flags"]), row["flags"]
    unexpected = {
        "revised",
        "inconsistent_growth_target",
        "partial_only_after_period",
        "increments_summed",
        "increments_gap",
    }
    assert not (unexpected - case.flags) & set(row["flags"]), row["flags"]


def test_golden_table_covers_every_status():
    covered = {c.expect.get("status") for c in CASES}
    assert {"met", "missed", "on_track", "behind", "in_progress", "pending", "no_data"} <= covered


def test_revision_names_the_actual_it_used_and_the_one_it_superseded(indicators, shaoxing):
    target = fact(Target, jurisdiction=shaoxing, indicator="flow_up", value=100, when="2017")
    first = fact(
        Actual, jurisdiction=shaoxing, indicator="flow_up", value=90, when="2017",
        doc=document("2018-02-01"),
    )  # fmt: skip
    second = fact(
        Actual, jurisdiction=shaoxing, indicator="flow_up", value=110, when="2017",
        doc=document("2018-04-01"),
    )  # fmt: skip
    row = row_for(evaluate("2018-06-15"), target)
    assert row["actual"]["id"] == second.id
    assert row["actual"]["known"] == "2018-04-01"
    assert [s["id"] for s in row["superseded"]] == [first.id]


def test_hand_entered_actual_counts_from_its_entry_day(indicators, shaoxing, editor):
    target = fact(Target, jurisdiction=shaoxing, indicator="flow_up", value=100, when="2017")
    fact(Actual, jurisdiction=shaoxing, indicator="flow_up", value=120, when="2017", user=editor)
    row = row_for(evaluate("2030-01-01"), target)
    assert row["status"] == "met"
    assert row["actual"]["provenance"]["entered_by"] == "editor"
    assert row["actual"]["provenance"]["document"] is None
    # Before it was entered, it was not known.
    assert row_for(evaluate("2018-06-15"), target)["status"] == "no_data"


def test_an_entry_day_is_the_offices_day_whatever_zone_a_request_runs_in(
    indicators, shaoxing, editor
):
    target = fact(Target, jurisdiction=shaoxing, indicator="flow_up", value=100, when="2017")
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="flow_up", value=120, when="2017", user=editor
    )
    # 20:00 UTC on 1 March is already 2 March in the configured zone (Asia/Shanghai).
    entered = datetime(2018, 3, 1, 20, tzinfo=UTC)
    Actual.objects.filter(pk=actual.pk).update(created_at=entered)
    with timezone.override("UTC"):
        assert row_for(evaluate("2018-03-01"), target)["status"] == "no_data"
        row = row_for(evaluate("2018-03-02"), target)
    assert row["status"] == "met"
    assert row["actual"]["known"] == "2018-03-02"


def test_tolerances_are_settings(indicators, shaoxing, settings):
    target = fact(
        Target, jurisdiction=shaoxing, indicator="stock_up", value=1000, when="2017",
        comparator="approx",
    )  # fmt: skip
    fact(
        Actual, jurisdiction=shaoxing, indicator="stock_up", value=940, when="2017",
        doc=document("2018-02-01"),
    )  # fmt: skip
    assert row_for(evaluate("2018-06-15"), target)["status"] == "missed"
    settings.ATTAINMENT = {"APPROX_TOLERANCE": 0.1}
    row = row_for(evaluate("2018-06-15"), target)
    assert row["status"] == "met"
    assert row["basis"]["tolerance"] == 0.1


def test_evaluating_again_on_the_same_day_sees_what_was_entered_since(indicators, shaoxing):
    target = fact(Target, jurisdiction=shaoxing, indicator="flow_up", value=100, when="2017")
    assert row_for(evaluate("2018-06-15"), target)["status"] == "no_data"
    fact(
        Actual, jurisdiction=shaoxing, indicator="flow_up", value=120, when="2017",
        doc=document("2018-02-01"),
    )  # fmt: skip
    later = fact(Target, jurisdiction=shaoxing, indicator="stock_up", value=5, when="2017")
    rows = evaluate("2018-06-15")
    assert row_for(rows, target)["status"] == "met"
    assert row_for(rows, later)["status"] == "no_data"
