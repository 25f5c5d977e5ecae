"""Periods: years, year-to-date windows, five-year plans, relative years, report years."""

from datetime import date

from ingest.extraction import extract
from ingest.extraction.document import infer_published, infer_years
from ingest.extraction.periods import Period, find_time_exprs, plan_containing


def only(text, **kwargs):
    (expr,) = find_time_exprs(text, **kwargs)
    return expr


def test_single_year():
    assert only("2016年,全市").resolve(None) == Period.year(2016)


def test_year_to_date_dash_variants():
    for text in ("1-5月", "1—5月", "1至5月"):
        assert only(text).resolve(2017) == Period(2017, 1, 2017, 5)


def test_until_end_of_month():
    assert only("截至5月底,全市").resolve(2017) == Period(2017, 1, 2017, 5)
    assert only("截至2017年5月底").resolve(None) == Period(2017, 1, 2017, 5)


def test_half_year_and_three_quarters():
    assert only("上半年").resolve(2017) == Period(2017, 1, 2017, 6)
    assert only("2018年前三季度").resolve(None) == Period(2018, 1, 2018, 9)


def test_five_year_plan_with_typographic_quotes():
    expr = only("“十二五”期间,我市")
    assert expr.resolve(None) == Period.years(2011, 2015)
    assert only("十三五时期").resolve(None) == Period.years(2016, 2020)
    assert only("“十四五”期间").resolve(None) == Period.years(2021, 2025)
    assert only("十一五期间").resolve(None) == Period.years(2006, 2010)


def test_plan_start_and_end():
    assert only("“十二五”初").resolve(None) == Period.year(2011)
    assert only("十二五末").resolve(None) == Period.year(2015)


def test_bare_plan_name_in_running_text_is_not_a_period():
    assert find_time_exprs("全面完成“十二五”规划") == []
    assert only("“十二五”科技工作回顾", heading=True).resolve(None) == Period.years(2011, 2015)


def test_by_year_and_year_range():
    expr = only("到2020年,全市")
    assert expr.kind == "by" and expr.resolve(None) == Period.year(2020)
    assert only("2015-2017年").resolve(None) == Period.years(2015, 2017)
    assert plan_containing(2020) == Period.years(2016, 2020)


def test_chinese_year():
    assert only("二〇一七年").resolve(None) == Period.year(2017)


def test_relative_years_resolve_against_publication_year():
    text = (
        "一、工作回顾\n去年,全市技术合同成交额达到20亿元。\n"
        "二、工作安排\n明年技术合同成交额力争达到30亿元。\n"
    )
    facts = extract(text, published=date(2019, 2, 1)).facts
    assert [(f.kind, f.period_start, f.period_end) for f in facts] == [
        ("actual", "2018-01", "2018-12"),
        ("target", "2020-01", "2020-12"),
    ]


def test_report_year_from_headings():
    text = "某市科技局\n一、2016年科技创新亮点工作\n二、2017年科技创新工作思路\n"
    years = infer_years(text, None)
    assert (years.review, years.plan) == (2016, 2017)


def test_report_year_of_half_year_summary():
    years = infer_years("市科技局2017年上半年工作总结\n", date(2017, 7, 24))
    assert years.review == 2017


def test_work_plan_title_gives_plan_year():
    assert infer_years("市科技局2014年工作要点\n", None).plan == 2014


def test_published_date_formats():
    assert infer_published("标题\n\n16.03.2016  16:32\n") == date(2016, 3, 16)
    assert infer_published("发布机构: | 市科技局 | 成文日期: | 2017-02-13 |\n") == date(2017, 2, 13)
    assert infer_published("发布时间:2014-12-05浏览:9915\n") == date(2014, 12, 5)
    assert infer_published("总结\n2017-07-24\n") == date(2017, 7, 24)
    assert infer_published("没有日期的文本\n") is None
