"""Number, unit and figure recognition of the extractor."""

from decimal import Decimal

import pytest

from ingest.extraction.numbers import (
    QUANTITY_RE,
    parse_chinese,
    parse_number,
    parse_quantity,
    parse_range,
    parse_year,
)
from ingest.extraction.text import shadow
from ingest.extraction.units import compatible, to_base


def figures(text: str):
    return [q for m in QUANTITY_RE.finditer(shadow(text)) if (q := parse_quantity(m))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("97,573", "97573"),
        ("3.65万", "36500"),
        ("113亿", "11300000000"),
        ("29.56亿", "2956000000"),
        ("２９．５６亿", "2956000000"),
        ("一千二百", "1200"),
        ("两万", "20000"),
        ("三千五百万", "35000000"),
        ("一百二十七億", "12700000000"),
        ("十五", "15"),
        ("百分之十五", "15"),
        ("百分之2.5", "2.5"),
        ("百分之二点五", "2.5"),
        ("十二点三五", "12.35"),
        ("一百点零五", "100.05"),
        ("三点五亿", "350000000"),
    ],
)
def test_parse_number_formats(text, expected):
    assert parse_number(text) == Decimal(expected)


def test_chinese_digit_sequence_year():
    assert parse_year("二〇一七") == 2017
    assert parse_chinese("二零二零") == Decimal(2020)


def test_chinese_numeral_with_yi_and_wan():
    assert parse_chinese("一亿二千万") == Decimal(120_000_000)


def test_not_a_numeral_raises():
    with pytest.raises(ValueError):
        parse_number("若干")
    with pytest.raises(ValueError):
        parse_number("一点")  # "a little", no fraction


def test_chinese_decimal_fractions_in_text():
    found = figures("研发经费投入强度达到百分之二点五,技术合同成交额三点五亿元")
    assert [(q.value, q.base) for q in found] == [
        (Decimal("2.5"), "percent"),
        (Decimal("350000000"), "CNY"),
    ]


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("实现产值113亿元", "CNY", Decimal("11300000000")),
        ("补助2758万元", "CNY", Decimal("27580000")),
        ("研发人员3.65万人年", "person_year", Decimal("36500")),
        ("孵化面积135万平方米", "m2", Decimal("1350000")),
        ("建成孵化器1298万平米", "m2", Decimal("12980000")),
        ("入网仪器240台套", "count", Decimal("240")),
        ("新增企业856户", "count", Decimal("856")),
        ("成交额增长6.42%", "percent", Decimal("6.42")),
        ("增长１２．４％", "percent", Decimal("12.4")),
    ],
)
def test_figure_units_to_base(text, unit, value):
    (q,) = figures(text)
    assert (q.base, q.value) == (unit, value)


def test_ten_thousand_prefix_scales_counts():
    (q,) = figures("专利申请量超7.2万件")
    assert q.value == Decimal(72000) and q.base == "count"


def test_range_is_recognised_but_never_a_fact():
    (q,) = figures("出资3000—5000万元")
    assert q.is_range and q.rejected
    assert parse_range("3000-5000万元") == (Decimal(30_000_000), Decimal(50_000_000))
    assert parse_range("1—2个") == (Decimal(1), Decimal(2))
    assert parse_range("3000万元") is None


def test_percentage_points_and_ranks_are_rejected():
    (q,) = figures("高于全省4个百分点")
    assert q.rejected
    assert all(q.rejected for q in figures("位列第2位"))


def test_approximation_inside_number_is_kept():
    (q,) = figures("资助1500多万元")
    assert q.approx == "多" and q.value == Decimal(15_000_000)


def test_dates_are_not_figures():
    assert figures("2014年12月26日开工建设") == []


def test_unit_helpers():
    assert to_base("元", "亿") == ("CNY", Decimal(10) ** 8)
    assert compatible("per_10k_people", "count")
    assert not compatible("CNY", "count")
