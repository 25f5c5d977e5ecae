"""Numbers on the auditor's page: written as the reports write them, stored value kept beside."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.models import Unit
from tests.exports import csv_export_rows
from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker import display
from tracker.models import Actual, Target

PAGE = "/reports/330600/2017/"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        # yuan: 亿元 from 1e8, 万元 from 1e4, else 元
        (Decimal("235000000"), "CNY", "2.35亿元"),
        ("2350000000", "CNY", "23.5亿元"),
        ("12500000000.0000", "CNY", "125亿元"),  # storage zeros are not precision
        ("100000000", "CNY", "1亿元"),
        ("99990000", "CNY", "9,999万元"),
        ("20000000", "CNY", "2,000万元"),
        ("34567800", "CNY", "3,456.78万元"),
        ("10000", "CNY", "1万元"),
        ("9999", "CNY", "9,999元"),
        ("12.5", "CNY", "12.5元"),
        ("12345600000000", "CNY", "123,456亿元"),
        ("-235000000", "CNY", "-2.35亿元"),
        ("0", "CNY", "0元"),
        # more than 4 decimals after scaling: rounded, and marked so
        ("12345678901", "CNY", "≈123.4568亿元"),
        ("-12345678901", "CNY", "≈-123.4568亿元"),
        # percent: 2.9 means 2.9 %
        ("2.9", "percent", "2.9%"),
        ("2.90", "percent", "2.9%"),
        ("0.5", "percent", "0.5%"),
        ("-1.5", "percent", "-1.5%"),
        ("0", "percent", "0%"),
        # counts: thousands separators, no counter unless given
        ("2200", "count", "2,200"),
        (2200, "count", "2,200"),
        ("80000", "count", "80,000"),
        ("163", "count", "163"),
        ("-150", "count", "-150"),
        ("0", "count", "0"),
        # person-years and square metres: 万 from 1e4
        ("36500", "person_year", "3.65万人年"),
        ("38600", "person_year", "3.86万人年"),
        ("8600", "person_year", "8,600人年"),
        ("125000", "m2", "12.5万平方米"),
        ("850", "m2", "850平方米"),
        # per 10,000 residents
        ("32.5", "per_10k_people", "32.5 per 10k"),
        ("1.5", "per_10k_people", "1.5 per 10k"),
        # an unknown unit is named after the number; no unit, the number alone
        ("1234.5", "m3", "1,234.5 m3"),
        ("1234.5", "", "1,234.5"),
        # floats are read as the decimal they print as
        (0.1, "percent", "0.1%"),
    ],
)
def test_format_quantity(value, unit, shown):
    assert display.format_quantity(value, unit) == shown


def test_count_takes_the_indicators_counter_when_it_has_one():
    assert display.format_quantity("2200", "count", counter="件") == "2,200件"
    assert display.format_quantity("2200", "count") == "2,200"


def test_missing_values_are_a_dash():
    assert display.format_quantity(None, "CNY") == display.DASH == "—"
    assert display.format_percent(None) == "—"
    assert display.format_points(None) == "—"
    assert display.format_ratio(None) == "—"
    assert display.format_difference(None, "CNY") == "—"
    assert display.stored_value(None) == ""


def test_every_unit_of_the_catalogue_has_a_rule():
    samples = {unit: display.format_quantity("12345", unit) for unit in Unit.values}
    # Every base unit gets its own label: none falls through to "12,345 <code>".
    assert all(not shown.endswith(f" {unit}") for unit, shown in samples.items()), samples
    assert samples == {
        "CNY": "1.2345万元",
        "count": "12,345",
        "percent": "12,345%",
        "m2": "1.2345万平方米",
        "person_year": "1.2345万人年",
        "per_10k_people": "12,345 per 10k",
    }


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (0.95, "95%"),
        (0.9843, "98.43%"),
        ("1.0345", "103.45%"),
        (1, "100%"),
        (0, "0%"),
        (Decimal("0.123456789"), "≈12.3457%"),
    ],
)
def test_attainment_ratio_is_a_percentage_of_the_target(ratio, shown):
    assert display.format_ratio(ratio) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.2, "+3.2 pp"), (-1.77, "-1.77 pp"), ("0", "0 pp"), ("1.780531", "≈+1.7805 pp")],
)
def test_percentage_point_differences_are_signed(value, shown):
    assert display.format_points(value) == shown


def test_growth_rates_are_percentages():
    assert display.format_percent(12.39) == "12.39%"
    assert display.format_percent(-3) == "-3%"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("200000000", "CNY", "+2亿元"),
        ("-200000000", "CNY", "-2亿元"),
        ("-0.1", "percent", "-0.1 pp"),
        ("150", "count", "+150"),
        ("0", "CNY", "0元"),
    ],
)
def test_gaps_are_signed_differences_in_the_targets_unit(value, unit, shown):
    assert display.format_difference(value, unit) == shown


def test_rounding_never_shows_minus_zero():
    assert display.format_points("-0.00001") == "≈0 pp"
    assert display.format_quantity("-0.00001", "percent") == "≈0%"


def test_stored_value_is_the_exact_number():
    assert display.stored_value(Decimal("12500000000.0000")) == "12500000000"
    assert display.stored_value("2.9000") == "2.9"
    assert display.stored_value(0.9843) == "0.9843"
    assert display.stored_value(Decimal("-1.780531")) == "-1.780531"


def test_not_a_number_is_refused_by_the_functions_and_shown_as_is_by_the_filters():
    with pytest.raises(ArithmeticError):
        display.format_quantity("NaN", "CNY")
    template = Template(
        '{% load tracker_format %}<a{% stored v "CNY" %}>{{ v|quantity:"CNY" }}</a>'
        "{{ v|percent }}|{{ v|points }}|{{ v|ratio_percent }}|{{ v|difference:'CNY' }}"
    )
    shown = template.render(Context({"v": "n/a"}))
    assert shown == '<a title="n/a CNY" data-value="n/a">n/a</a>n/a|n/a|n/a|n/a'


def test_template_tags_write_readable_numbers_and_keep_the_stored_one():
    template = Template(
        "{% load tracker_format %}"
        '<a{% stored value "CNY" %}>{{ value|quantity:"CNY" }}</a>'
        "<b{% stored gap 'percent' difference=True %}>{{ gap|difference:'percent' }}</b>"
        "<i{% stored missing %}>{{ ratio|ratio_percent }}</i>"
    )
    shown = template.render(Context({"value": "235000000", "gap": "-0.1", "ratio": 0.95}))
    assert shown == (
        '<a title="235000000 CNY" data-value="235000000">2.35亿元</a>'
        '<b title="-0.1 pp" data-value="-0.1">-0.1 pp</b>'
        "<i>95%</i>"
    )


# The page, with Shaoxing's seed report and a hypothetical 2017 actual of 125亿元.


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    entered = seeds.enter_seed(seeds.SHAOXING)
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", text="2017年全社会研发经费125亿元。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    return entered, actual


def _row(html: str, target: Target) -> str:
    return re.search(rf'<tr id="target-{target.id}".*?</tr>', html, re.S).group(0)


def _cell(row: str, css_class: str) -> tuple[dict[str, str], str]:
    """The attributes and text of the element of that class in a row."""
    tag = re.search(rf'<(a|td) class="[^"]*\b{css_class}\b[^"]*"([^>]*)>(.*?)</\1>', row, re.S)
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(2)))
    return attributes, re.sub(r"<[^>]+>", "", tag.group(3))


def test_page_prints_readable_numbers_and_keeps_the_stored_ones(client, reader, shaoxing_2017):
    entered, actual = shaoxing_2017
    client.force_login(reader)
    html = client.get(PAGE, {"as_of": "2018-06-01"}).content.decode()

    target = entered[("target", "rd_expenditure", "level", "2017")]
    baseline = entered[("actual", "rd_expenditure", "level", "2016")]
    row = _row(html, target)
    cells = {
        name: _cell(row, name)
        for name in (
            "target-value",
            "actual-value",
            "baseline-value",
            "attainment-ratio",
            "gap",
            "required-growth",
            "achieved-growth",
            "growth-gap",
        )
    }
    assert cells == {
        "target-value": ({"href": f"/reports/quote/target/{target.id}/",
                          "title": "12700000000 CNY", "data-value": "12700000000"}, "&gt; 127亿元"),
        "actual-value": ({"href": f"/reports/quote/actual/{actual.id}/",
                          "title": "12500000000 CNY", "data-value": "12500000000"}, "125亿元"),
        "baseline-value": ({"href": f"/reports/quote/actual/{baseline.id}/",
                            "title": "11300000000 CNY", "data-value": "11300000000"}, "113亿元"),
        "attainment-ratio": ({"href": f"/reports/quote/actual/{actual.id}/",
                              "title": "0.9843", "data-value": "0.9843"}, "98.43%"),
        "gap": ({"href": f"/reports/quote/actual/{actual.id}/",
                 "title": "200000000 CNY", "data-value": "200000000"}, "short by 2亿元"),
        "required-growth": ({"title": "12.39 percent", "data-value": "12.39"}, "12.39%"),
        "achieved-growth": ({"title": "10.62 percent", "data-value": "10.62"}, "10.62%"),
        "growth-gap": ({"title": "-1.77 pp", "data-value": "-1.77"}, "1.77 pp below"),
    }  # fmt: skip

    # The growth target's gap is in percentage points, rounded for the eye only.
    growth_target = entered[("target", "rd_expenditure", "yoy_growth", "2017")]
    growth = _row(html, growth_target)
    assert _cell(growth, "target-value")[1] == "≥ 12.4%"
    assert _cell(growth, "gap") == (
        {"href": f"/reports/quote/target/{growth_target.id}/",
         "title": "1.780531 pp", "data-value": "1.780531"},
        "short by ≈1.7805 pp",
    )  # fmt: skip
    # Person-years and counts as the report wrote them: 研发人员数3.65万人年.
    personnel = _row(html, entered[("target", "rd_personnel", "level", "2017")])
    assert _cell(personnel, "target-value")[1] == "≥ 3.86万人年"
    assert _cell(personnel, "baseline-value")[1] == "3.65万人年"
    patent_target = entered[("target", "invention_patent_grants", "level", "2017")]
    assert _cell(_row(html, patent_target), "target-value") == (
        {"href": f"/reports/quote/target/{patent_target.id}/",
         "title": "2200 count", "data-value": "2200"},
        "≥ 2,200",
    )  # fmt: skip
    # No raw base-unit amount is left as the visible text of a cell.
    assert not re.search(r">[^<]*\d{9,}[^<]*<", html)


def test_exports_keep_base_unit_numbers(reader_client, shaoxing_2017):
    response = reader_client.get(
        "/api/v1/attainment/export.csv", {"as_of": "2018-06-01", "indicator": "rd_expenditure"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {r["measure"]: r for r in csv_export_rows(text)}
    assert rows["level"]["target_value"] == "12700000000"
    assert rows["level"]["actual_value"] == "12500000000"
    assert rows["level"]["gap"] == "200000000"
    assert rows["level"]["attainment_ratio"] == "0.9843"
    assert rows["yoy_growth"]["gap"] == "1.780531"


@pytest.mark.parametrize(
    ("comparator", "english", "chinese"),
    [
        ("gte", "≥ 127亿元", "不低于127亿元"),
        ("gt", "> 127亿元", "超过127亿元"),
        ("lte", "≤ 127亿元", "不高于127亿元"),
        ("lt", "< 127亿元", "低于127亿元"),
        ("approx", "≈ 127亿元", "127亿元左右"),
        ("eq", "127亿元", "127亿元"),
    ],
)
def test_targets_read_as_reports_state_them(comparator, english, chinese):
    assert display.format_promise("12700000000", "CNY", comparator) == english
    with translation.override("zh-hans"):
        assert display.format_promise("12700000000", "CNY", comparator) == chinese


@pytest.mark.parametrize(
    ("gap", "unit", "lower", "english", "chinese"),
    [
        ("200000000", "CNY", False, "short by 2亿元", "差 2亿元"),
        ("-200000000", "CNY", False, "over by 2亿元", "超 2亿元"),
        ("-200000000", "CNY", True, "over by 2亿元", "超 2亿元"),
        ("200000000", "CNY", True, "under by 2亿元", "低 2亿元"),
        ("1.25", "percent", False, "short by 1.25 pp", "差 1.25个百分点"),
        ("0", "CNY", False, "on target", "持平"),
        (None, "CNY", False, "—", "—"),
    ],
)
def test_gaps_read_in_words_never_as_a_bare_negative_number(gap, unit, lower, english, chinese):
    assert display.format_gap(gap, unit, lower_is_better=lower) == english
    with translation.override("zh-hans"):
        assert display.format_gap(gap, unit, lower_is_better=lower) == chinese


def test_chinese_counts_large_numbers_in_wan():
    with translation.override("zh-hans"):
        assert display.format_quantity("22000", "count", counter="件") == "2.2万件"
        assert display.format_quantity("9999", "count") == "9,999"
        assert display.format_quantity("32.5", "per_10k_people") == "每万人32.5"
        assert display.format_growth_gap("-1.77") == "低 1.77个百分点"
    assert display.format_quantity("22000", "count", counter="件") == "22,000件"
    assert display.format_growth_gap("-1.77") == "1.77 pp below"
