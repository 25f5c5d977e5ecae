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


def test_respective_figures_of_different_units_pair_one_to_one() -> None:
    # Each conjunct is read against its own figure: a sum of money, then a count.
    facts = _facts(
        "2022年工作总结\n2022年,技术合同成交额、登记项数分别为823.57亿元、23003项,"
        "分别增长54.31%、117.15%。",
        "2023-02-10",
    )
    assert facts == {
        ("actual", "tech_contract_value", "level", 82.357e9, "2022-01", "2022-12"),
        ("actual", "tech_contract_count", "level", 23003.0, "2022-01", "2022-12"),
        ("actual", "tech_contract_value", "yoy_growth", 54.31, "2022-01", "2022-12"),
        ("actual", "tech_contract_count", "yoy_growth", 117.15, "2022-01", "2022-12"),
    }
    swapped = _facts("2022年,高新技术企业数、技术合同成交额分别为300家、12亿元。", "2023-02-10")
    assert swapped == {
        ("actual", "hitech_enterprises_total", "level", 300.0, "2022-01", "2022-12"),
        ("actual", "tech_contract_value", "level", 1.2e9, "2022-01", "2022-12"),
    }


def test_growth_on_a_comparable_basis_is_year_on_year() -> None:
    facts = _facts(
        "2022年,全社会研发投入367.1亿元,同口径增长17.1%;"
        "高新技术产业增加值按可比价格计算增长12.3%。",
        "2023-02-10",
    )
    assert ("actual", "rd_expenditure", "yoy_growth", 17.1, "2022-01", "2022-12") in facts
    assert ("actual", "hitech_value_added", "yoy_growth", 12.3, "2022-01", "2022-12") in facts


def test_evaluated_tech_smes_are_new_but_a_passed_review_is_no_certification() -> None:
    # dev/sources.json (R12): 专家评审通过1908家 is a review passed, not final certification.
    facts = _facts(
        "2022年,第一批评审通过国家高新技术企业90家,通过评价的科技型中小企业达462家。",
        "2023-02-10",
    )
    assert facts == {("actual", "st_smes_new", "level", 462.0, "2022-01", "2022-12")}


def test_months_opening_a_later_statement_stay_in_it() -> None:
    # "1-9月" opens the second statement of the sentence: the spending's months, not the
    # firms' of the statement after the next semicolon.
    facts = _facts(
        "2023年,全社会研发投入经费23.47亿元;1-9月全市财政科技支出累计10.67亿元;"
        "新增国家高新技术企业90家。",
        "2023-12-20",
    )
    assert ("actual", "fiscal_st_expenditure", "level", 1.067e9, "2023-01", "2023-09") in facts
    assert ("actual", "hitech_enterprises_new", "level", 90.0, "2023-01", "2023-12") in facts


def test_a_bound_then_the_figure_keeps_the_figure() -> None:
    facts = _facts("2023年,技术合同成交额突破100亿元,达到102.5亿元。", "2024-01-20")
    assert facts == {("actual", "tech_contract_value", "level", 10.25e9, "2023-01", "2023-12")}


def test_a_shared_verb_stops_at_the_semicolon() -> None:
    # "新增" is shared by the next clause of its statement, not by the next statement.
    facts = _facts("2023年,新增科技型中小企业200家;孵化器面积12.5万平方米。", "2024-01-20")
    assert ("actual", "incubator_area", "level", 125000.0, "2023-01", "2023-12") in facts
    shared = _facts("2023年,新增高新技术企业163家,省级科技型中小微企业796家。", "2024-01-20")
    assert ("actual", "st_smes_new", "level", 796.0, "2023-01", "2023-12") in shared


def test_additions_named_under_a_stock_are_its_part() -> None:
    facts = _facts("2023年,全市高新技术企业总数达到1580家,其中今年新认定420家。", "2023-12-25")
    assert facts == {
        ("actual", "hitech_enterprises_total", "level", 1580.0, "2023-01", "2023-12"),
        ("actual", "hitech_enterprises_new", "level", 420.0, "2023-01", "2023-12"),
    }
    # A tier under the same total is a subgroup, still no fact of its own.
    tiers = _facts("2023年,全市高新技术企业总数达到1580家,其中国家级1200家。", "2023-12-25")
    assert {f[1] for f in tiers} == {"hitech_enterprises_total"}


def test_a_provinces_own_report_speaks_of_itself_as_the_whole_province() -> None:
    text = (
        "2023年全省科技工作总结\n2023年,全省研究与试验发展(R&D)经费支出达到1200亿元,"
        "同比增长9.8%。深圳市技术合同成交额达到500亿元。"
    )
    found = extract(text, published=date(2024, 2, 1), jurisdiction="广东省").as_dict()["facts"]
    assert {(f["indicator"], f["measure"], float(f["value"])) for f in found} == {
        ("rd_expenditure", "level", 1.2e11),
        ("rd_expenditure", "yoy_growth", 9.8),
    }
    # In a city's report, the province's figures are another jurisdiction's.
    city = extract(text, published=date(2024, 2, 1), jurisdiction="广州市").as_dict()["facts"]
    assert city == []


def test_a_title_reviewing_one_year_and_planning_the_next_decides_neither() -> None:
    # The months before publication are reported, not planned, although the title ends
    # with the next year's plan.
    text = (
        "区科技局2023年度工作总结及2024年度工作计划\n"
        "1-10月,全区高新技术产业投资12亿元,增速25.5%;技术合同认定登记272项,合同总额5.6亿元。"
    )
    assert _facts(text, "2023-11-20") == {
        ("actual", "hitech_investment", "level", 1.2e9, "2023-01", "2023-10"),
        ("actual", "hitech_investment", "yoy_growth", 25.5, "2023-01", "2023-10"),
        ("actual", "tech_contract_count", "level", 272.0, "2023-01", "2023-10"),
        ("actual", "tech_contract_value", "level", 5.6e8, "2023-01", "2023-10"),
    }


def test_numbered_lines_under_labels() -> None:
    text = (
        "2023年科技创新主要指标完成情况\n"
        "1.高新技术企业:新认定35家;\n"
        "2.科技型中小企业:入库182家;\n"
        "3.技术合同成交额:8.5亿元。\n"
        "2024年主要目标\n"
        "1.新增高新技术企业40家;\n"
        "2.技术合同成交额10亿元。\n"
    )
    assert _facts(text, "2024-01-10") == {
        # A label before the colon names what the figure after it is of.
        ("actual", "hitech_enterprises_new", "level", 35.0, "2023-01", "2023-12"),
        ("actual", "st_smes_new", "level", 182.0, "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 8.5e8, "2023-01", "2023-12"),
        # The label line heads the numbered list under it: its year and its plan.
        ("target", "hitech_enterprises_new", "level", 40.0, "2024-01", "2024-12"),
        ("target", "tech_contract_value", "level", 1e9, "2024-01", "2024-12"),
    }


def test_a_bare_attribute_takes_the_topic_it_follows_or_the_one_that_ends_the_list() -> None:
    facts = _facts(
        "2023年,全市专利申请量、授权量和发明专利授权量分别为12000件、8000件和1500件。",
        "2024-01-20",
    )
    assert facts == {
        ("actual", "patent_applications", "level", 12000.0, "2023-01", "2023-12"),
        ("actual", "patent_grants", "level", 8000.0, "2023-01", "2023-12"),
        ("actual", "invention_patent_grants", "level", 1500.0, "2023-01", "2023-12"),
    }
    head_final = _facts("2023年,申请和授权专利分别为12000件和8000件。", "2024-01-20")
    assert {f[1] for f in head_final} == {"patent_applications", "patent_grants"}


def test_a_provincial_tier_written_as_one_character() -> None:
    facts = _facts(
        "2023年,新增国家高新技术企业、省科技型中小企业分别为120家、350家。", "2024-01-20"
    )
    assert facts == {
        ("actual", "hitech_enterprises_new", "level", 120.0, "2023-01", "2023-12"),
        ("actual", "st_smes_new", "level", 350.0, "2023-01", "2023-12"),
    }


def test_doublings_are_growth_by_so_many_times() -> None:
    # FACTS.md, growth words: 翻一番 → 100 %; 翻两番 quadruples (+300 %).
    review = _facts("2023年,技术合同成交额比2020年翻了一番。", "2024-01-20")
    assert review == {("actual", "tech_contract_value", "growth", 100.0, "2021-01", "2023-12")}
    plan = _facts("到2025年,高新技术企业数量比2020年翻两番。", "2021-03-01")
    assert plan == {("target", "hitech_enterprises_total", "growth", 300.0, "2021-01", "2025-12")}
    near = _facts("2023年,技术合同成交额比上年增长近2倍。", "2024-01-20")
    assert near == {("actual", "tech_contract_value", "yoy_growth", 200.0, "2023-01", "2023-12")}


def test_among_the_goals_met_is_no_part() -> None:
    facts = _facts(
        "2023年,各项考核指标均超额完成,其中全市技术合同登记22.9亿元;全社会研发投入经费23.47亿元。",
        "2024-01-20",
    )
    assert facts == {
        ("actual", "tech_contract_value", "level", 2.29e9, "2023-01", "2023-12"),
        ("actual", "rd_expenditure", "level", 2.347e9, "2023-01", "2023-12"),
    }


def test_statistical_bulletin_terms() -> None:
    facts = _facts(
        "2023年,全市R&D经费内部支出45.6亿元,增长9.1%。"
        "全市技术市场成交合同2560项,成交金额36.8亿元。",
        "2024-03-20",
    )
    assert facts == {
        ("actual", "rd_expenditure", "level", 4.56e9, "2023-01", "2023-12"),
        ("actual", "rd_expenditure", "yoy_growth", 9.1, "2023-01", "2023-12"),
        ("actual", "tech_contract_count", "level", 2560.0, "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 3.68e9, "2023-01", "2023-12"),
    }


def test_the_total_after_additions_or_a_net_change_is_the_stock() -> None:
    # FACTS.md: a stock's 累计/总数 is its level; 净增 itself is no fact.
    added = _facts("2022年,新增国家高新技术企业12家,累计达到58家。", "2023-01-20")
    assert added == {
        ("actual", "hitech_enterprises_new", "level", 12.0, "2022-01", "2022-12"),
        ("actual", "hitech_enterprises_total", "level", 58.0, "2022-01", "2022-12"),
    }
    net = _facts("2022年,全市高新技术企业净增156家,总数达到1024家。", "2023-01-20")
    assert net == {("actual", "hitech_enterprises_total", "level", 1024.0, "2022-01", "2022-12")}
    # A flow with no stock of its own: all added so far is no fact.
    flow = _facts("2022年,新增省科技型中小企业45家,累计达到300家。", "2023-01-20")
    assert flow == {("actual", "st_smes_new", "level", 45.0, "2022-01", "2022-12")}


def test_a_verb_before_a_bare_tier_word_names_no_place() -> None:
    # "推动县财政…" and "力争我县…" are the county's own plan; 长兴县 is a place within a city.
    text = (
        "2024年工作目标：推动县财政科技支出增长15%以上，力争我县高新技术企业新增30家。"
        "长兴县技术合同成交额达到8亿元。"
    )
    found = extract(text, published=date(2024, 1, 20), jurisdiction="安吉县").as_dict()["facts"]
    assert {(f["kind"], f["indicator"], f["measure"], float(f["value"])) for f in found} == {
        ("target", "fiscal_st_expenditure", "yoy_growth", 15.0),
        ("target", "hitech_enterprises_new", "level", 30.0),
    }


def test_so_far_this_year_in_a_review_published_the_next_year_is_the_reviewed_year() -> None:
    # FACTS.md: "今年" resolves against the report's year, not the date the page went up.
    text = "XX市科技局2023年工作总结\n今年以来,全市新增高新技术企业120家。"
    assert _facts(text, "2024-01-20") == {
        ("actual", "hitech_enterprises_new", "level", 120.0, "2023-01", "2023-12")
    }
    # Published within the year, it is the year to date.
    assert _facts(text, "2023-11-20") == {
        ("actual", "hitech_enterprises_new", "level", 120.0, "2023-01", "2023-11")
    }


def test_a_batch_of_a_call_keeps_the_words_around_it_in_the_phrase() -> None:
    # 第一批 between 申报 and the firms: still an application, which is no count of firms.
    text = (
        "2018年上半年工作总结\n"
        "上半年,组织申报第一批国家高新技术企业53家,新认定第一批高新技术企业40家。"
    )
    assert _facts(text, "2018-07-31") == {
        ("actual", "hitech_enterprises_new", "level", 40.0, "2018-01", "2018-06")
    }


def test_patents_declared_are_patent_applications() -> None:
    facts = _facts("2018年工作要点\n专利申报量要突破2000件。", "2018-03-01")
    assert facts == {("target", "patent_applications", "level", 2000.0, "2018-01", "2018-12")}


def test_the_tier_word_ending_a_place_name_qualifies_nothing() -> None:
    # 省 alone is a tier (省科技型中小企业); at the end of 浙江省 it is the province's name.
    text = (
        "2018年上半年科技发展主要指标\n上半年,浙江省专利申请量121375件。杭州市专利申请量22000件。"
    )
    found = extract(text, published=date(2018, 10, 15), jurisdiction="浙江省").as_dict()["facts"]
    assert [(f["indicator"], float(f["value"])) for f in found] == [
        ("patent_applications", 121375.0)
    ]


def test_the_society_wide_rd_share_is_the_rd_intensity() -> None:
    # 全社会R&D占比 is Zhejiang's shorthand for R&D over GDP; a firm's 研发费用占比 is not.
    text = "2024年工作总结\n2024年,全区全社会R&D占比达到3.21%,规上工业企业研发费用占比4.1%。"
    assert _facts(text, "2025-01-10") == {
        ("actual", "rd_intensity", "level", 3.21, "2024-01", "2024-12")
    }


def test_one_kind_or_origin_of_patents_is_not_the_patents_count() -> None:
    # Utility models, designs and international (PCT) filings are parts of the patents:
    # none is the jurisdiction's patent applications or grants.
    facts = _facts(
        "2018年工作总结\n2018年,全市专利申请量12000件,其中发明专利申请5000件。"
        "实用新型专利授权3000件,外观设计专利申请量500件。"
        "PCT国际专利申请量达到120件,增长15%。国外专利授权15件。"
    )
    assert ("actual", "patent_applications", "level", 12000.0, "2018-01", "2018-12") in facts
    assert ("actual", "invention_patent_applications", "level", 5000.0, "2018-01", "2018-12") in (
        facts
    )
    others = {f for f in facts if f[1] in ("patent_applications", "patent_grants")}
    assert others == {("actual", "patent_applications", "level", 12000.0, "2018-01", "2018-12")}


def test_a_share_stated_as_part_of_its_denominator() -> None:
    # "不低于地区生产总值的2.5%": the share named by its denominator, the verb between.
    facts = _facts(
        "2019年工作要点\n2019年主要目标:全社会研发经费投入不低于地区生产总值的2.5%;"
        "确保财政科技支出不低于一般公共预算支出的3%。财政科技支出的30%用于基础研究。"
    )
    assert ("target", "rd_intensity", "level", 2.5, "2019-01", "2019-12") in facts
    assert ("target", "fiscal_st_share", "level", 3.0, "2019-01", "2019-12") in facts
    # A part of the spending itself is no share of the budget.
    assert not any(f[3] == 30.0 for f in facts)


def test_from_and_to_levels_of_one_year_and_of_a_plan() -> None:
    # "由X增加到Y" in a year's review: X closed the year before, Y the year reviewed.
    review = _facts(
        "2023年工作总结\n2023年,每万人口发明专利拥有量由18.5件增加到22.3件。", "2024-02-01"
    )
    assert ("actual", "invention_patents_per_10k", "level", 18.5, "2022-01", "2022-12") in review
    assert ("actual", "invention_patents_per_10k", "level", 22.3, "2023-01", "2023-12") in review
    # In a plan the base is the last year known when it was written, and no promise.
    plan = _facts(
        "“十四五”科技创新规划\n主要目标:到2025年,力争研发投入强度由2.9%提高到3.5%。", "2021-06-01"
    )
    assert plan == {
        ("actual", "rd_intensity", "level", 2.9, "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 3.5, "2025-01", "2025-12"),
    }


def test_a_completion_ratio_between_a_figure_and_its_growth() -> None:
    # "完成年度目标的114.3%" speaks of the figure before it: the growth after it is its too.
    text = "2018年工作总结\n2018年,技术合同成交额达到68.6亿元,完成年度目标的114.3%,同比增长26.8%。"
    facts = _facts(text)
    assert ("actual", "tech_contract_value", "yoy_growth", 26.8, "2018-01", "2018-12") in facts
    assert not any(f[3] == 114.3 for f in facts)
    claims = extract(text, published=date(2019, 1, 18)).as_dict()["claims"]
    assert [(c["indicator"], c["ratio"]) for c in claims] == [("tech_contract_value", 114.3)]


def test_the_past_year_of_a_work_report_is_the_year_before_it() -> None:
    # A government work report reviews "过去一年" before it sets the year's goals.
    facts = _facts(
        "2022年政府工作报告\n过去一年,全市高新技术企业突破2000家,技术合同成交额增长35%。"
        "2022年主要预期目标是:研发经费投入增长15%;新增高新技术企业300家。",
        "2022-01-20",
    )
    assert ("actual", "hitech_enterprises_total", "level", 2000.0, "2021-01", "2021-12") in facts
    assert ("actual", "tech_contract_value", "yoy_growth", 35.0, "2021-01", "2021-12") in facts
    assert ("target", "rd_expenditure", "yoy_growth", 15.0, "2022-01", "2022-12") in facts
    # A year-end review written in December: the past year is the year under review.
    review = _facts("2021年工作总结\n过去的一年,全市高新技术企业达到2000家。", "2021-12-28")
    assert review == {("actual", "hitech_enterprises_total", "level", 2000.0, "2021-01", "2021-12")}


def test_doubling_said_without_its_count() -> None:
    # 翻番 is 翻一番: a growth of 100 % (FACTS.md, growth words).
    facts = _facts("2019年工作要点\n2019年,力争技术合同成交额比2017年翻番。", "2019-02-10")
    assert facts == {("target", "tech_contract_value", "growth", 100.0, "2018-01", "2019-12")}


def test_a_change_in_tenths() -> None:
    # 成 is a tenth: "增长近两成" is a growth of about 20 %; 完成/建成 are no figures.
    facts = _facts(
        "2018年工作总结\n2018年,专利授权量同比增长近两成,财政科技支出下降一成。"
        "全市建成三成果转化基地。"
    )
    assert facts == {
        ("actual", "patent_grants", "yoy_growth", 20.0, "2018-01", "2018-12"),
        ("actual", "fiscal_st_expenditure", "yoy_growth", -10.0, "2018-01", "2018-12"),
    }


def test_science_spending_of_the_budget_is_fiscal_st_spending() -> None:
    # A budget's 科技支出 is its spending on science and technology; a firm's is no fact.
    facts = _facts(
        "2018年工作总结\n2018年,全市一般公共预算科技支出12.5亿元,增长8%,科技支出占比达到3.1%。"
        "企业科技支出30亿元。"
    )
    assert facts == {
        ("actual", "fiscal_st_expenditure", "level", 1.25e9, "2018-01", "2018-12"),
        ("actual", "fiscal_st_expenditure", "yoy_growth", 8.0, "2018-01", "2018-12"),
        ("actual", "fiscal_st_share", "level", 3.1, "2018-01", "2018-12"),
    }


def test_one_figure_said_of_each_of_several_things() -> None:
    # 均/都/分别 with one figure: the figure is each one's. Without them a shared figure may be
    # a sum ("海外孵化器、研发机构9家") and stays unread.
    facts = _facts(
        "2013年工作要点\n全年专利申请量、授权量均增长5%以上;发明专利申请量和授权量都达到500件。"
        "海外孵化器、研发机构9家。",
        "2013-02-01",
    )
    assert facts == {
        ("target", "patent_applications", "yoy_growth", 5.0, "2013-01", "2013-12"),
        ("target", "patent_grants", "yoy_growth", 5.0, "2013-01", "2013-12"),
        ("target", "invention_patent_applications", "level", 500.0, "2013-01", "2013-12"),
        ("target", "invention_patent_grants", "level", 500.0, "2013-01", "2013-12"),
    }
    facts = _facts("2018年工作总结\n2018年,技术合同成交额和登记数分别增长12%。")
    assert facts == {
        ("actual", "tech_contract_value", "yoy_growth", 12.0, "2018-01", "2018-12"),
        ("actual", "tech_contract_count", "yoy_growth", 12.0, "2018-01", "2018-12"),
    }


def test_a_change_measured_on_the_base_of_a_year() -> None:
    # "在上年基础上增长" is year on year; "在2015年基础上增长" is a change since 2015, as
    # "比2015年增长" (FACTS.md, growth windows: from the year after the base).
    facts = _facts(
        "2016年工作要点\n全年专利申请量在上年基础上增长5%以上。"
        "到2020年,技术合同成交额在2015年基础上增长50%。",
        "2016-02-01",
    )
    assert facts == {
        ("target", "patent_applications", "yoy_growth", 5.0, "2016-01", "2016-12"),
        ("target", "tech_contract_value", "growth", 50.0, "2016-01", "2020-12"),
    }


def test_a_half_year_review_and_the_plan_for_the_rest_of_the_year() -> None:
    # The title plans (工作思路) and reviews: months ended by publication are past, so their
    # figures are actuals; 下半年 without a year plans the year's figures.
    facts = _facts(
        "区科技局2023年上半年工作总结及下半年工作思路\n"
        "上半年,新增省科技型中小企业126家;技术交易额达到15.2亿元,同比增长45.6%。"
        "下半年,力争技术交易额突破30亿元。",
        "2023-07-05",
    )
    assert facts == {
        ("actual", "st_smes_new", "level", 126.0, "2023-01", "2023-06"),
        ("actual", "tech_contract_value", "level", 1.52e9, "2023-01", "2023-06"),
        ("actual", "tech_contract_value", "yoy_growth", 45.6, "2023-01", "2023-06"),
        ("target", "tech_contract_value", "level", 3e9, "2023-01", "2023-12"),
    }


def test_a_change_since_a_base_year_after_the_figure_it_changes() -> None:
    # "…,比2010年增长48%" carries on the subject of the figure before it; 比/较 are part of
    # the base, not an unknown word that ends the subject (FACTS.md, growth windows).
    facts = _facts(
        "2015年工作总结\n2015年,全市技术合同成交额100亿元,比2010年增长48%;"
        "全社会研发投入超30亿元,较2010年增长1.2倍。",
        "2016-03-18",
    )
    assert facts == {
        ("actual", "tech_contract_value", "level", 1e10, "2015-01", "2015-12"),
        ("actual", "tech_contract_value", "growth", 48.0, "2011-01", "2015-12"),
        ("actual", "rd_expenditure", "level", 3e9, "2015-01", "2015-12"),
        ("actual", "rd_expenditure", "growth", 120.0, "2011-01", "2015-12"),
    }


def test_a_year_opening_the_first_item_after_a_colon_is_that_items() -> None:
    # A statistic known a year late opens the list; the items after the semicolon are the
    # reviewed year's (全年 resolves against the report's year, FACTS.md).
    facts = _facts(
        "2023年科技进步报告\n2023年,全区科技工作稳步推进。主要指标稳中有进:"
        "2022年全区R&D经费占GDP比重达3.02%;全年高新技术产业投资65.35亿元,同比增长42.3%。",
        "2024-07-12",
    )
    assert facts == {
        ("actual", "rd_intensity", "level", 3.02, "2022-01", "2022-12"),
        ("actual", "hitech_investment", "level", 6.535e9, "2023-01", "2023-12"),
        ("actual", "hitech_investment", "yoy_growth", 42.3, "2023-01", "2023-12"),
    }


def test_a_change_from_one_level_to_another_in_months_of_a_year() -> None:
    # In a window of months, the base of 由X增加到Y is the same months a year earlier, whether
    # it says so (去年同期) or not; Y is the window's.
    facts = _facts(
        "2023年前三季度科技工作总结\n1-9月,全市技术合同成交额由去年同期的20亿元增加到35亿元,"
        "高新技术产业投资由12亿元提高到18亿元。",
        "2023-10-15",
    )
    assert facts == {
        ("actual", "tech_contract_value", "level", 2e9, "2022-01", "2022-09"),
        ("actual", "tech_contract_value", "level", 3.5e9, "2023-01", "2023-09"),
        ("actual", "hitech_investment", "level", 1.2e9, "2022-01", "2022-09"),
        ("actual", "hitech_investment", "level", 1.8e9, "2023-01", "2023-09"),
    }


def test_respective_changes_of_mixed_signs() -> None:
    # 分别 before one figure that is followed by another: each subject has its own, in turn,
    # with its own sign (not the first figure for both).
    facts = _facts(
        "2019年工作总结\n全年专利申请量和授权量分别增长8.2%和下降3.5%。"
        "技术合同成交额、登记数分别为45.6亿元、1235项,同比分别下降2.1%、增长6%。",
        "2020-01-15",
    )
    assert facts == {
        ("actual", "patent_applications", "yoy_growth", 8.2, "2019-01", "2019-12"),
        ("actual", "patent_grants", "yoy_growth", -3.5, "2019-01", "2019-12"),
        ("actual", "tech_contract_value", "level", 4.56e9, "2019-01", "2019-12"),
        ("actual", "tech_contract_count", "level", 1235.0, "2019-01", "2019-12"),
        ("actual", "tech_contract_value", "yoy_growth", -2.1, "2019-01", "2019-12"),
        ("actual", "tech_contract_count", "yoy_growth", 6.0, "2019-01", "2019-12"),
    }
    # The next figure after a comma, before anything else is named, is the next one's too;
    # a figure of something named after the comma is not.
    facts = _facts("2019年工作总结\n全年专利申请量、授权量分别增长8.2%,下降3.5%。", "2020-01-15")
    assert ("actual", "patent_grants", "yoy_growth", -3.5, "2019-01", "2019-12") in facts
    assert ("actual", "patent_grants", "yoy_growth", 8.2, "2019-01", "2019-12") not in facts
    review = "2019年工作总结\n专利申请量、授权量分别增长5%,技术合同成交额35亿元。"
    facts = _facts(review, "2020-01-15")
    assert ("actual", "patent_grants", "yoy_growth", 5.0, "2019-01", "2019-12") in facts


def test_a_planning_verb_that_ends_with_new_still_counts_new_firms() -> None:
    # "将新增", "计划新增" are one word (a target's cue): 新增 in it still names new firms, not
    # the stock.
    facts = _facts(
        "2024年工作要点\n今年,我市将力争新增高新技术企业350家,计划新增科技型中小企业500家。",
        "2024-02-28",
    )
    assert facts == {
        ("target", "hitech_enterprises_new", "level", 350.0, "2024-01", "2024-12"),
        ("target", "st_smes_new", "level", 500.0, "2024-01", "2024-12"),
    }


def test_an_amount_in_yi_with_yuan_left_out() -> None:
    # News writing drops 元 after 亿: "5.6亿" is 5.6亿元; a unit after 亿 is that unit's figure.
    facts = _facts(
        "2023年工作总结\n2023年,全社会研发经费投入5.6亿,技术合同成交额突破3亿;专利授权1.2万件。",
        "2024-01-20",
    )
    assert facts == {
        ("actual", "rd_expenditure", "level", 5.6e8, "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 3e8, "2023-01", "2023-12"),
        ("actual", "patent_grants", "level", 12000.0, "2023-01", "2023-12"),
    }


def test_a_figure_in_wan_with_its_unit_left_out_takes_its_subjects() -> None:
    # "投入3500万" is money, "申请量1.2万" a count: the subject decides; an area or a headcount
    # (whose units are neither) gives nothing rather than a guess.
    facts = _facts(
        "2023年工作总结\n2023年,全县财政科技投入3500万,专利申请量1.2万,孵化面积12万。",
        "2024-01-20",
    )
    assert facts == {
        ("actual", "fiscal_st_expenditure", "level", 3.5e7, "2023-01", "2023-12"),
        ("actual", "patent_applications", "level", 12000.0, "2023-01", "2023-12"),
    }


def test_a_statistical_bulletins_wording_of_patents_and_rd_intensity() -> None:
    # The yearly bulletin (统计公报) grants patent rights (授予专利权), states R&D spending
    # against GDP as 与地区生产总值之比, and counts patents in force (有效发明专利), which
    # are no grants whatever the sentence before counted.
    facts = _facts(
        "某市2020年国民经济和社会发展统计公报\n"
        "全年研究与试验发展(R&D)经费支出244.26亿元,比上年增长10.3%,"
        "与地区生产总值之比为2.40%。全年授予专利权36390件,比上年增长40.4%,"
        "其中授予发明专利权5230件。年末有效发明专利22130件。",
        "2021-03-20",
    )
    year = ("2020-01", "2020-12")
    assert ("actual", "rd_intensity", "level", 2.4, *year) in facts
    assert ("actual", "patent_grants", "level", 36390.0, *year) in facts
    assert ("actual", "patent_grants", "yoy_growth", 40.4, *year) in facts
    assert ("actual", "invention_patent_grants", "level", 5230.0, *year) in facts
    assert not any(f[3] == 22130.0 for f in facts)


def test_the_last_years_in_a_report_written_early_in_the_year_it_plans() -> None:
    # A government work report opens the year it plans by reviewing the five years before:
    # "五年来" are the five years ended when it was written, not five years up to its own.
    facts = _facts(
        "2024年某市政府工作报告\n一、过去五年工作回顾\n"
        "五年来,全社会研发经费投入强度从2.1%提高到2.8%。"
        "高新技术企业数量由520家增至1360家,年均增长21.2%。\n"
        "二、2024年工作安排\n今年主要预期目标是:技术合同成交额突破150亿元。",
        "2024-01-25",
    )
    assert ("actual", "rd_intensity", "level", 2.1, "2018-01", "2018-12") in facts
    assert ("actual", "rd_intensity", "level", 2.8, "2023-01", "2023-12") in facts
    assert ("actual", "hitech_enterprises_total", "level", 1360.0, "2023-01", "2023-12") in facts
    assert ("actual", "hitech_enterprises_total", "cagr", 21.2, "2019-01", "2023-12") in facts
    assert ("target", "tech_contract_value", "level", 15e9, "2024-01", "2024-12") in facts
    assert not any(f[0] == "target" and f[1] != "tech_contract_value" for f in facts)


def test_a_plans_title_frames_its_goals_without_a_time_of_their_own() -> None:
    # The title names the plan's years; "二、发展目标" does not close them.
    facts = _facts(
        "某县科技创新“十四五”规划\n二、发展目标\n"
        "高新技术企业总数达到100家以上,年均新增15家,全社会研发经费投入年均增长12%以上。",
        "2021-11-10",
    )
    assert ("target", "hitech_enterprises_total", "level", 100.0, "2025-01", "2025-12") in facts
    assert ("target", "rd_expenditure", "cagr", 12.0, "2021-01", "2025-12") in facts
    # 15 a year on average is no total of the five years.
    assert not any(f[1] == "hitech_enterprises_new" for f in facts)


def test_a_title_naming_two_plans_frames_neither() -> None:
    facts = _facts(
        "某市“十三五”科技创新工作总结和“十四五”工作思路\n"
        "2020年,全市高新技术企业达到1200家。\n二、“十四五”工作思路\n高新技术企业总数达到2000家。",
        "2021-02-26",
    )
    assert ("actual", "hitech_enterprises_total", "level", 1200.0, "2020-01", "2020-12") in facts
    assert ("target", "hitech_enterprises_total", "level", 2000.0, "2025-01", "2025-12") in facts


def test_a_lists_lead_paragraph_gives_its_items_its_time() -> None:
    facts = _facts(
        "某县关于加快推进科技创新的实施意见\n二、发展目标\n"
        "到2025年,全县科技创新能力显著增强。具体目标为:\n"
        "——创新投入持续加大。R&D经费支出占GDP比重达到2.5%。\n"
        "——创新主体不断壮大。高新技术企业总数达到100家以上。",
        "2021-11-10",
    )
    assert ("target", "rd_intensity", "level", 2.5, "2025-01", "2025-12") in facts
    assert ("target", "hitech_enterprises_total", "level", 100.0, "2025-01", "2025-12") in facts


def test_a_change_in_points_names_the_subject_of_the_level_after_it() -> None:
    facts = _facts(
        "2023年工作总结\n2023年,全市研发投入强度比上年提高0.2个百分点,达到2.6%。"
        "高新技术产业产值完成1260亿元,占规上工业总产值的比重为48.2%,比上年提高1.5个百分点。",
        "2024-01-20",
    )
    assert ("actual", "rd_intensity", "level", 2.6, "2023-01", "2023-12") in facts
    # Points are no growth rate, of the share or of what it is a share of.
    assert not any(f[3] in (0.2, 1.5) for f in facts)


def test_a_range_with_its_unit_at_both_ends_is_no_fact() -> None:
    # FACTS.md, ranges: neither bound is what was planned.
    facts = _facts(
        "2024年工作要点\n2024年,全市高新技术企业数量达到1000家至1100家,"
        "研发投入强度达到2.5%-3%,技术合同成交额100亿元~120亿元。",
        "2024-01-20",
    )
    assert facts == set()
    # From one level to another is a change, not a range.
    facts = _facts("2023年工作总结\n2023年,高新技术企业从500家到800家。", "2024-01-20")
    assert ("actual", "hitech_enterprises_total", "level", 800.0, "2023-01", "2023-12") in facts


def test_an_average_growth_by_a_year_no_five_year_plan_ends() -> None:
    # 2027 ends no five-year plan: the average runs from the year the plan was written.
    facts = _facts(
        "某区大力提升科技创新能力实施方案\n一、总体要求\n"
        "到2027年,全区高新技术企业达到120家,技术合同成交额年均增长10%以上。",
        "2023-08-30",
    )
    assert ("target", "hitech_enterprises_total", "level", 120.0, "2027-01", "2027-12") in facts
    assert ("target", "tech_contract_value", "cagr", 10.0, "2023-01", "2027-12") in facts


_WORK_REPORT = (
    "2024年某市人民政府工作报告\n{subtitle}\n一、2023年工作回顾\n"
    "过去一年,全市地区生产总值增长6.2%。创新驱动持续增强,全社会研发投入强度达到2.68%,"
    "新增国家高新技术企业312家。\n二、2024年主要目标\n全社会研发经费支出增长10%以上。"
)


def test_a_work_reports_speech_date_and_its_past_year() -> None:
    # The subtitle dates the speech: the report's publication.
    spoken = _WORK_REPORT.format(subtitle="——2024年1月18日在某市第十七届人民代表大会第三次会议上")
    result = extract(spoken).as_dict()
    assert result["document"]["published"] == "2024-01-18"
    # Without a date, 过去一年 is the year its section names, not the report's own.
    undated = _WORK_REPORT.format(subtitle="某市市长 张三")
    facts = {
        (f["kind"], f["indicator"], f["measure"], f["period_start"])
        for f in extract(undated).as_dict()["facts"]
    }
    assert ("actual", "rd_intensity", "level", "2023-01") in facts
    assert ("actual", "hitech_enterprises_new", "level", "2023-01") in facts
    assert ("target", "rd_expenditure", "yoy_growth", "2024-01") in facts


def test_a_mid_term_reviews_targets_beside_its_results() -> None:
    # A plan's mid-term review states each result with the target it is measured against.
    facts = _facts(
        "某市科技创新“十四五”规划实施中期评估报告\n一、主要指标进展情况\n"
        "全社会研发经费投入强度2022年达到2.45%,规划目标为2025年达到2.8%;"
        "高新技术企业数量2022年达到1250家,已提前完成2025年1200家的规划目标;"
        "技术合同成交额2022年为86亿元,距2025年120亿元的目标仍有差距。",
        "2023-09-15",
    )
    year = ("2025-01", "2025-12")
    assert ("actual", "rd_intensity", "level", 2.45, "2022-01", "2022-12") in facts
    assert ("target", "rd_intensity", "level", 2.8, *year) in facts
    assert ("target", "hitech_enterprises_total", "level", 1200.0, *year) in facts
    assert ("target", "tech_contract_value", "level", 12e9, *year) in facts


def test_a_plans_review_of_its_base_is_not_framed_by_the_plans_years() -> None:
    # 发展基础 reviews the years before the plan: its figures are results, and they must not
    # take the place of the plan's own goals for the same indicator.
    facts = _facts(
        "某市“十四五”科技创新发展规划\n一、发展基础\n"
        "近年来,我市科技创新取得明显成效。全市高新技术企业达到520家。\n"
        "二、发展目标\n到2025年,全市高新技术企业达到1000家。",
        "2021-06-01",
    )
    assert ("actual", "hitech_enterprises_total", "level", 520.0, "2020-01", "2020-12") in facts
    assert ("target", "hitech_enterprises_total", "level", 1000.0, "2025-01", "2025-12") in facts
    assert not any(f[3] == 520.0 and f[0] == "target" for f in facts)


def test_a_plans_figures_per_year_are_no_totals_over_its_years() -> None:
    facts = _facts(
        "某市“十四五”科技创新发展规划\n三、重点任务\n"
        "(一)壮大创新主体。每年新增高新技术企业100家,全社会研发经费投入每年增长10%以上。\n"
        "(二)建设创新平台。新建省级以上研发平台50家。\n"
        "四、保障措施\n到2025年,全市科技实力显著增强。具体目标为:\n——年均新增科技企业孵化器2家。",
        "2021-06-01",
    )
    plan = ("2021-01", "2025-12")
    assert ("target", "rd_expenditure", "cagr", 10.0, *plan) in facts
    assert ("target", "rd_platforms_new", "level", 50.0, *plan) in facts
    assert not any(f[1] in ("hitech_enterprises_new", "incubators_new") for f in facts)


def test_a_reviews_title_naming_its_years_frames_nothing() -> None:
    facts = _facts(
        "某市2016-2020年科技创新工作总结\n一、主要成效\n全市高新技术企业达到900家。\n"
        "二、下一步打算\n力争新增高新技术企业200家。",
        "2021-01-20",
    )
    assert ("actual", "hitech_enterprises_total", "level", 900.0, "2020-01", "2020-12") in facts
    assert ("target", "hitech_enterprises_new", "level", 200.0, "2021-01", "2021-12") in facts


def test_a_news_item_on_a_plan_states_todays_figures_beside_its_goals() -> None:
    facts = _facts(
        "我市“十四五”科技创新规划出炉\n记者从市科技局获悉,《某市“十四五”科技创新规划》近日印发。"
        "目前,全市拥有高新技术企业800家,研发投入强度2.1%。《规划》提出,到2025年,"
        "全市高新技术企业达到1500家,研发投入强度达到2.8%。",
        "2021-08-12",
    )
    assert ("actual", "hitech_enterprises_total", "level", 800.0, "2021-01", "2021-12") in facts
    assert ("target", "hitech_enterprises_total", "level", 1500.0, "2025-01", "2025-12") in facts
    assert ("target", "rd_intensity", "level", 2.8, "2025-01", "2025-12") in facts


def test_now_does_not_make_a_plans_goal_a_result() -> None:
    out = extract("某市科技工作意见\n当前和今后一个时期,要力争到2025年全市高新技术企业达到1000家。")
    facts = {(f["kind"], f["indicator"], f["period_start"]) for f in out.as_dict()["facts"]}
    assert facts == {("target", "hitech_enterprises_total", "2025-01")}


def test_a_goal_by_the_year_a_plans_title_ends_counts_over_its_years() -> None:
    facts = _facts(
        "某县出台了科技发展“十四五”规划\n近日,某县人民政府办公室印发了《某县科技发展“十四五”规划》。"
        "《规划》明确,到2025年,全县新增高新技术企业50家,国家高新技术企业达到80家。",
        "2021-07-01",
    )
    assert ("target", "hitech_enterprises_new", "level", 50.0, "2021-01", "2025-12") in facts
    assert ("target", "hitech_enterprises_total", "level", 80.0, "2025-01", "2025-12") in facts


def test_a_report_on_a_years_goals_states_the_goals_then_the_results() -> None:
    facts = _facts(
        "某市科技局关于2021年度绩效目标完成情况的报告\n一、年度绩效目标\n"
        "2021年初确定的年度绩效目标为:新认定高新技术企业60家,技术合同成交额15亿元。\n"
        "二、目标完成情况\n全年新认定高新技术企业72家,完成目标的120%;技术合同成交额16.8亿元。",
        "2022-02-15",
    )
    year = ("2021-01", "2021-12")
    assert ("target", "hitech_enterprises_new", "level", 60.0, *year) in facts
    assert ("target", "tech_contract_value", "level", 15e8, *year) in facts
    assert ("actual", "hitech_enterprises_new", "level", 72.0, *year) in facts
    assert ("actual", "tech_contract_value", "level", 16.8e8, *year) in facts


def test_rd_in_lower_case() -> None:
    facts = _facts(
        "2021年工作总结\n2021年,全社会r&d经费支出投入24.4亿元,居全省第四位。", "2022-01-20"
    )
    assert ("actual", "rd_expenditure", "level", 24.4e8, "2021-01", "2021-12") in facts


def test_a_goal_in_brackets_inside_completion_talk() -> None:
    # FACTS.md, implied targets; the goal of a half year's progress is the year's.
    facts = _facts(
        "2023年上半年工作总结\n上半年,实现技术合同登记额28.6亿元,完成年度目标(50亿元)的57.2%。",
        "2023-07-20",
    )
    assert ("actual", "tech_contract_value", "level", 28.6e8, "2023-01", "2023-06") in facts
    assert ("target", "tech_contract_value", "level", 50e8, "2023-01", "2023-12") in facts
    facts = _facts(
        "2023年工作总结\n全年新增高新技术企业53家,完成年度目标任务(50家)的106%。", "2024-01-20"
    )
    assert ("actual", "hitech_enterprises_new", "level", 53.0, "2023-01", "2023-12") in facts
    assert ("target", "hitech_enterprises_new", "level", 50.0, "2023-01", "2023-12") in facts
    # Named before 为, a goal still announces its figures.
    facts = _facts(
        "2022年工作总结\n2022年,上级下达的年度目标为新认定高新技术企业15家。", "2023-01-20"
    )
    assert ("target", "hitech_enterprises_new", "level", 15.0, "2022-01", "2022-12") in facts
