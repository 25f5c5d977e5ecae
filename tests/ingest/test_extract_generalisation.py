"""Rules added while generalising beyond the seed reports (see docs/extraction.md)."""

from __future__ import annotations

from datetime import date

from ingest.extraction import extract


def _facts(text: str, published: str = "2019-01-18") -> set[tuple]:
    out = extract(text, published=date.fromisoformat(published)).as_dict()["facts"]
    return {
        (
            f["kind"],
            f["indicator"],
            f["measure"],
            float(f["value"]),
            f["period_start"],
            f["period_end"],
        )
        for f in out
    }


def test_estimate_in_review_stays_actual() -> None:
    facts = _facts("2018年工作总结\n2018年,预计全年全社会R&D经费支出达到285亿元,同比增长12.3%。")
    assert ("actual", "rd_expenditure", "level", 28.5e9, "2018-01", "2018-12") in facts
    assert ("actual", "rd_expenditure", "yoy_growth", 12.3, "2018-01", "2018-12") in facts


def test_elliptic_head_and_respective_growths() -> None:
    facts = _facts(
        "2017年工作总结\n2017年,全年专利申请量7865件,授权量4325件,分别增长23.6%、18.2%。"
    )
    assert ("actual", "patent_grants", "level", 4325.0, "2017-01", "2017-12") in facts
    assert ("actual", "patent_applications", "yoy_growth", 23.6, "2017-01", "2017-12") in facts
    assert ("actual", "patent_grants", "yoy_growth", 18.2, "2017-01", "2017-12") in facts


def test_times_growth_and_comparison_base() -> None:
    text = (
        "一、“十三五”工作回顾\n“十三五”以来,高新技术企业由2015年的1458家增加到2020年的6120家,"
        "增长3.2倍。2020年技术合同成交额达到1161.2亿元,是2015年的4.1倍,“十三五”期间年均增长32.7%。\n"
        "(五)科技对经济增长的贡献率达到62%,比2015年提高5.5个百分点。"
    )
    facts = _facts(text, "2021-02-26")
    # FACTS.md, growth windows: from the year after the base to the end year.
    assert ("actual", "hitech_enterprises_total", "growth", 320.0, "2016-01", "2020-12") in facts
    assert ("actual", "tech_contract_value", "cagr", 32.7, "2016-01", "2020-12") in facts
    assert ("actual", "tech_progress_contribution", "level", 62.0, "2020-01", "2020-12") in facts
    assert not any(f[3] == 4.1 or f[3] == 410.0 for f in facts)


def test_platform_variants_and_institute_subpart() -> None:
    facts = _facts(
        "2021年工作要点\n力争新增省级以上研发机构15家。吉利汽车研究院年研发投入达18.2亿元。",
        "2021-03-02",
    )
    assert ("target", "rd_platforms_new", "level", 15.0, "2021-01", "2021-12") in facts
    assert not any(f[1] == "rd_expenditure" for f in facts)
