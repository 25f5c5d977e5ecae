"""Each layer of the extractor on sentences composed for the purpose, one per phenomenon
named in docs/extraction.md (layout, target or actual, time, indicators, binding, scope)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ingest.extraction import extract
from ingest.extraction.catalogue import load_catalogue
from ingest.extraction.document import infer_years
from ingest.extraction.layout import HEADING, ITEM, build_view, split_blocks


def facts(text: str, published: str | None = "2019-01-20", **kwargs) -> set[tuple]:
    result = extract(text, published=date.fromisoformat(published) if published else None, **kwargs)
    return {
        (f.kind, f.indicator, f.measure, f.value, f.period_start, f.period_end)
        for f in result.facts
    }


def kinds(text: str, **kwargs) -> dict[str, str]:
    return {f.indicator: f.kind for f in extract(text, **kwargs).facts}


# --- layout ----------------------------------------------------------------------------------


def test_spaces_inside_numbers_and_words_are_read_through_and_offsets_kept() -> None:
    text = "2018年,全市R&D 经费 12.32 亿元,较上年度增长 12.9 %。"
    result = extract(text, published=date(2019, 3, 1))
    level = next(f for f in result.facts if f.measure == "level")
    assert level.value == Decimal("1232000000")
    assert level.quote == text[level.span[0] : level.span[1]] == "全市R&D 经费 12.32 亿元"
    assert ("actual", "rd_expenditure", "yoy_growth", Decimal("12.9"), "2018-01", "2018-12") in {
        (f.kind, f.indicator, f.measure, f.value, f.period_start, f.period_end)
        for f in result.facts
    }


def test_pinyin_glosses_of_reposts_are_skipped_but_quoted() -> None:
    text = "2017年,全社會研發(fā)經(jīng)費支出達(dá)到36億元。"
    (fact,) = extract(text, published=date(2018, 2, 1)).facts
    assert (fact.indicator, fact.value) == ("rd_expenditure", Decimal("3600000000"))
    assert fact.quote == "全社會研發(fā)經(jīng)費支出達(dá)到36億元"


def test_lines_wrapped_by_a_pdf_are_joined() -> None:
    lines = [
        "二〇一八年，全市科技工作围绕创新驱动发展战略扎实推进各项",
        "工作，科技创新能力稳步提升，主要科技指标完成情况良好，全",
        "社会研发经费支出达到85.6亿元，同比增长11.2%，高新技术",
        "企业总数达到560家，技术合同成交额达到32.5亿元，全年专利",
        "申请量达到9650件，其中发明专利申请量达到2130件，全市科技",
        "工作取得了新的成效，为经济社会发展提供了有力的科技支撑。",
        "  二〇一九年，我们将继续深化科技体制改革。",
    ]
    got = facts("\n".join(lines), "2019-02-01")
    assert ("actual", "rd_expenditure", "level", Decimal("8560000000"), "2018-01", "2018-12") in got
    assert (
        "actual",
        "hitech_enterprises_total",
        "level",
        Decimal(560),
        "2018-01",
        "2018-12",
    ) in got
    assert ("actual", "patent_applications", "level", Decimal(9650), "2018-01", "2018-12") in got
    assert any(f[1] == "invention_patent_applications" for f in got)


def test_wrapped_lines_of_figures_are_as_full_as_lines_of_words() -> None:
    # A page sets a Chinese character in two columns and a digit or space in one: the line
    # "367.1 亿元,同口径增长 17.1%。…" has fewer characters than its neighbours but is as wide.
    lines = [
        "XX市科技局2022年度述职报告",
        "2022 年,在市委、市政府坚强领导下,市科技局坚持",
        "以习近平新时代中国特色社会主义思想为指导,认真学习",
        "贯彻党的 XX 大精神,加快打造具有核心竞争力的科技创新高地",
        "不断塑造高质量发展新动能、新优势。全社会研发投入",
        "367.1 亿元,同口径增长 17.1%。高新技术企业、科技型",
        "中小企业达 6588 家,技术合同成交额、登记项数分别为",
        "823.57 亿元、23003 项,分别增长 54.31%、117.15%。",
    ]
    got = facts("\n".join(lines), "2023-02-10")
    year = ("2022-01", "2022-12")
    assert ("actual", "rd_expenditure", "level", Decimal("36710000000"), *year) in got
    assert ("actual", "rd_expenditure", "yoy_growth", Decimal("17.1"), *year) in got
    assert ("actual", "tech_contract_count", "level", Decimal(23003), "2022-01", "2022-12") in got


def test_a_page_number_inside_a_wrapped_sentence_is_read_through() -> None:
    lines = [
        "市科技局2022年工作总结",
        "2022年，在市委、市政府坚强领导下，市科技局坚持以习近平新时代中国",
        "特色社会主义思想为指导，认真学习贯彻党的二十大精神，全社会研发投入",
        "— 2 —",
        "367.1亿元，同口径增长17.1%，高新技术企业总数达到6588家，同比增长",
        "26.3%，技术合同成交额达到823.57亿元，同比增长54.31%，科技成果转化",
        "率达到38%，各项工作取得新的成效，为全市经济社会发展提供了科技支撑。",
    ]
    got = facts("\n".join(lines), "2023-02-10")
    year = ("2022-01", "2022-12")
    assert ("actual", "rd_expenditure", "level", Decimal("36710000000"), *year) in got
    assert ("actual", "rd_expenditure", "yoy_growth", Decimal("17.1"), *year) in got
    assert ("actual", "hitech_enterprises_total", "yoy_growth", Decimal("26.3"), *year) in got


def test_bullets_are_list_items_not_headings() -> None:
    view = build_view("二、2019年主要目标\n● 全社会研发经费支出增长12%。\n● 新增高新技术企业60家。")
    blocks = split_blocks(view)
    assert [b.kind for b in blocks] == [HEADING, ITEM, ITEM]
    # The items stay in the plan section that the heading opened.
    got = facts(view.text, "2019-02-01")
    assert ("target", "hitech_enterprises_new", "level", Decimal(60), "2019-01", "2019-12") in got


def test_cjk_radicals_of_pdf_text_read_as_characters() -> None:
    # ⼯ (U+2F2F) and ⾼ (U+2F7C) are what PDF text layers often hold for 工 and 高.
    got = facts("2018年,全市⾼新技术企业达到320家。", "2019-01-20")
    assert (
        "actual",
        "hitech_enterprises_total",
        "level",
        Decimal(320),
        "2018-01",
        "2018-12",
    ) in got


def test_combined_summary_and_plan_split_at_the_plan_heading() -> None:
    text = (
        "2018年工作总结和2019年工作计划\n"
        "一、2018年工作总结\n全市新认定高新技术企业120家。\n"
        "二、2019年工作计划\n全市新认定高新技术企业150家。"
    )
    got = facts(text, "2019-01-20")
    assert ("actual", "hitech_enterprises_new", "level", Decimal(120), "2018-01", "2018-12") in got
    assert ("target", "hitech_enterprises_new", "level", Decimal(150), "2019-01", "2019-12") in got


# --- target or actual ------------------------------------------------------------------------


def test_forward_looking_cue_in_a_news_report_makes_a_target() -> None:
    text = (
        "记者昨日从市科技局获悉,2018年我市新增高新技术企业85家。"
        "今年,我市力争新增高新技术企业100家。"
    )
    got = facts(text, "2019-01-20")
    assert ("actual", "hitech_enterprises_new", "level", Decimal(85), "2018-01", "2018-12") in got
    assert ("target", "hitech_enterprises_new", "level", Decimal(100), "2019-01", "2019-12") in got


def test_colon_list_announced_as_targets() -> None:
    text = "会议提出,2019年科技工作的主要目标是:全社会研发经费支出达到80亿元,专利授权量8000件。"
    assert kinds(text, published=date(2019, 1, 5)) == {
        "rd_expenditure": "target",
        "patent_grants": "target",
    }


def test_paragraphs_after_a_plan_line_are_targets() -> None:
    text = (
        "2019年工作总结\n全年专利授权量7000件。\n主要目标:\n"
        "全社会研发经费支出达到90亿元。\n技术合同成交额达到50亿元。"
    )
    got = kinds(text, published=date(2019, 12, 20))
    assert got == {
        "patent_grants": "actual",
        "rd_expenditure": "target",
        "tech_contract_value": "target",
    }


def test_a_period_after_publication_is_a_target_whatever_the_section() -> None:
    text = "一、2018年工作回顾\n全市新增高新技术企业60家,到2020年高新技术企业总数达到800家。"
    got = facts(text, "2019-01-20")
    assert ("actual", "hitech_enterprises_new", "level", Decimal(60), "2018-01", "2018-12") in got
    assert (
        "target",
        "hitech_enterprises_total",
        "level",
        Decimal(800),
        "2020-01",
        "2020-12",
    ) in got


def test_estimate_of_the_year_under_review_is_an_approximate_actual() -> None:
    (fact,) = extract(
        "2018年工作总结\n预计全年技术合同成交额可达45亿元。", published=date(2018, 12, 20)
    ).facts
    assert (fact.kind, fact.comparator, fact.period_start) == ("actual", "approx", "2018-01")


def test_a_past_marker_keeps_an_actual_inside_a_plan_section() -> None:
    text = "二、2019年工作思路\n2018年已新增高新技术企业70家,2019年新增高新技术企业90家。"
    got = facts(text, "2019-01-20")
    assert ("actual", "hitech_enterprises_new", "level", Decimal(70), "2018-01", "2018-12") in got
    assert ("target", "hitech_enterprises_new", "level", Decimal(90), "2019-01", "2019-12") in got


# --- time frames -----------------------------------------------------------------------------


def test_report_year_is_voted_from_the_text_not_the_repost_date() -> None:
    text = "2016年,全市技术合同成交额达到12亿元。2016年,全市新增高新技术企业30家。"
    assert infer_years(text, date(2019, 6, 1)).review == 2016
    got = facts("全市专利授权量5000件。" + text, "2019-06-01")
    assert ("actual", "patent_grants", "level", Decimal(5000), "2016-01", "2016-12") in got


def test_a_sentence_opening_time_covers_its_paragraph_only() -> None:
    text = (
        "2018年1-5月,全市专利申请量3000件。全市专利授权量1200件。\n"
        "2018年,全市技术合同成交额达到20亿元。全市新增高新技术企业50家。"
    )
    got = facts(text, "2019-01-20")
    assert ("actual", "patent_grants", "level", Decimal(1200), "2018-01", "2018-05") in got
    assert ("actual", "hitech_enterprises_new", "level", Decimal(50), "2018-01", "2018-12") in got


def test_a_time_inside_a_clause_covers_that_clause() -> None:
    text = "2018年,全市专利授权量6000件,高新技术企业总数由2015年的300家增长到450家。"
    got = facts(text, "2019-01-20")
    assert ("actual", "patent_grants", "level", Decimal(6000), "2018-01", "2018-12") in got
    assert (
        "actual",
        "hitech_enterprises_total",
        "level",
        Decimal(300),
        "2015-01",
        "2015-12",
    ) in got
    assert (
        "actual",
        "hitech_enterprises_total",
        "level",
        Decimal(450),
        "2018-01",
        "2018-12",
    ) in got


def test_completion_talk_does_not_leak_its_full_year() -> None:
    text = "1-6月,新增科技型中小企业120家,完成全年任务的60%,专利授权量2600件。"
    got = facts(text, "2018-07-10")
    assert ("actual", "patent_grants", "level", Decimal(2600), "2018-01", "2018-06") in got


def test_year_to_date_up_to_now() -> None:
    got = facts("截至目前,全市新增高新技术企业35家。", "2018-05-10")
    assert ("actual", "hitech_enterprises_new", "level", Decimal(35), "2018-01", "2018-05") in got


# --- indicators by composition ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("技术合同认定登记额3.2亿元", "tech_contract_value"),  # inserted modifiers
        ("每万人口有效发明专利拥有量12.5件", "invention_patents_per_10k"),
        ("规模以上工业新产品产值860亿元", "new_product_output"),
        ("科研投入45亿元", "rd_expenditure"),  # a synonym of the topic
        ("研发经费投入总量45亿元", "rd_expenditure"),  # an attribute suffix
        ("专利申请受理数3200件", "patent_applications"),
        ("授权发明专利900件", "invention_patent_grants"),  # verb before object
    ],
)
def test_indicator_read_by_composition(phrase: str, code: str) -> None:
    (fact,) = extract("2018年,全市" + phrase + "。", published=date(2019, 2, 1)).facts
    assert fact.indicator == code


def test_verb_object_order_with_the_figure_after_the_noun() -> None:
    got = facts("2018年,全市转化科技成果45项。", "2019-02-01")
    assert ("actual", "tech_transfer_projects", "level", Decimal(45), "2018-01", "2018-12") in got


def test_elliptic_head_completed_from_the_previous_topic() -> None:
    got = facts("2018年,全市技术合同登记6项,合同成交额583万元。", "2019-02-01")
    assert ("actual", "tech_contract_count", "level", Decimal(6), "2018-01", "2018-12") in got
    assert ("actual", "tech_contract_value", "level", Decimal(5830000), "2018-01", "2018-12") in got


def test_unit_decides_between_indicators_of_one_topic() -> None:
    # 件 is no amount of money: a count of contracts, not their value.
    got = facts("2018年,全市技术合同1800件。", "2019-02-01")
    assert {f[1] for f in got} == {"tech_contract_count"}


def test_qualifier_policy_above_size() -> None:
    # 规上 is part of the definition of 新产品产值 but narrows 研发费用 to a sub-part.
    got = facts("2018年,规上工业新产品产值800亿元,规上工业研发费用60亿元。", "2019-02-01")
    assert {f[1] for f in got} == {"new_product_output"}


def test_tier_words_do_not_make_a_sub_part_of_high_tech_enterprises() -> None:
    got = facts("2018年,全市有效期内国家高新技术企业达到1200家。", "2019-02-01")
    assert (
        "actual",
        "hitech_enterprises_total",
        "level",
        Decimal(1200),
        "2018-01",
        "2018-12",
    ) in got


def test_new_alias_is_one_word_in_the_catalogue(tmp_path) -> None:
    source = load_catalogue().indicators  # the shipped catalogue reads every alias it lists
    assert source
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "vocabulary:\n  topics:\n    patent: [专利]\n  attributes:\n    grant: [授权量]\n"
        "indicators:\n  - code: patent_grants\n    name_zh: 专利授权量\n    unit: count\n"
        "    topic: patent\n    attributes: [grant]\n    aliases: [知识产权授权]\n",
        encoding="utf-8",
    )
    got = {f.indicator for f in extract("2018年,全市知识产权授权300件。", catalogue=path).facts}
    assert got == {"patent_grants"}


# A figure in each base unit, as a report writes it.
FIGURE_IN = {
    "CNY": "12亿元",
    "count": "120个",
    "percent": "2.5%",
    "m2": "10万平方米",
    "person_year": "1200人年",
    "per_10k_people": "5.2件",
}


def test_every_alias_of_the_catalogue_reads_as_its_indicator() -> None:
    # In a sentence, as a report states it: the lexicon's and the share patterns' words
    # compete there, which a phrase read alone does not show.
    misread = {}
    for indicator in load_catalogue().indicators.values():
        for alias in (indicator.name_zh, *indicator.aliases):
            text = f"2018年工作总结\n2018年,全市{alias}达到{FIGURE_IN[indicator.unit]}。"
            found = {f.indicator for f in extract(text, published=date(2019, 1, 20)).facts}
            if found != {indicator.code}:
                misread[alias] = found
    assert misread == {}


# --- binding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["提高至", "提升到", "发展到", "要突破", "增加到"])
def test_rigid_words_between_subject_and_figure(verb: str) -> None:
    got = facts(f"2019年工作思路\n高新技术企业总数{verb}900家。", "2019-01-20")
    assert {(f[1], f[3]) for f in got} == {("hitech_enterprises_total", Decimal(900))}


def test_respectively_aligns_subjects_and_growths() -> None:
    got = facts(
        "2018年,全市专利申请量和授权量分别为9000件和5000件,同比分别增长12%和8%。", "2019-02-01"
    )
    assert ("actual", "patent_applications", "yoy_growth", Decimal(12), "2018-01", "2018-12") in got
    assert ("actual", "patent_grants", "yoy_growth", Decimal(8), "2018-01", "2018-12") in got


def test_a_verb_shared_by_coordinated_noun_figure_pairs() -> None:
    got = facts("2018年,全市新增高新技术企业120家、科技型中小企业300家。", "2019-02-01")
    assert ("actual", "st_smes_new", "level", Decimal(300), "2018-01", "2018-12") in got


def test_qizhong_keeps_a_part_and_drops_a_sub_part() -> None:
    got = facts(
        "2018年,全市专利申请量9000件,其中发明专利申请3000件;"
        "技术合同成交额40亿元,其中海洋技术交易额4亿元。",
        "2019-02-01",
    )
    assert (
        "actual",
        "invention_patent_applications",
        "level",
        Decimal(3000),
        "2018-01",
        "2018-12",
    ) in got
    assert {f[3] for f in got if f[1] == "tech_contract_value"} == {Decimal(4_000_000_000)}


def test_qizhong_reaches_no_further_than_the_part() -> None:
    got = facts(
        "2018年,全市共有科技企业孵化器45家,其中国家级8家,孵化面积达到120万平方米。", "2019-02-01"
    )
    assert {(f[1], f[3]) for f in got} == {
        ("incubators_total", Decimal(45)),
        ("incubator_area", Decimal(1_200_000)),
    }


def test_share_of_the_budget_without_the_word_share() -> None:
    got = facts("2018年,全市财政科技支出12.5亿元,占一般公共预算支出的3.2%。", "2019-02-01")
    assert ("actual", "fiscal_st_share", "level", Decimal("3.2"), "2018-01", "2018-12") in got


def test_number_before_its_noun() -> None:
    got = facts("2018年,全市新认定43家高新技术企业,建成5家企业博士工作站。", "2019-02-01")
    assert got == {("actual", "hitech_enterprises_new", "level", Decimal(43), "2018-01", "2018-12")}


# --- scope: the city versus its zones ---------------------------------------------------------


def test_a_zone_as_topic_of_several_sentences_then_the_city_again() -> None:
    text = (
        "高新区实现高新技术产业产值500亿元。园区新增高新技术企业30家。\n全市新增高新技术企业80家。"
    )
    got = facts(text, "2019-02-01", jurisdiction="宁波市")
    assert got == {("actual", "hitech_enterprises_new", "level", Decimal(80), "2018-01", "2018-12")}


# --- claims ----------------------------------------------------------------------------------


def test_claims_of_attainment() -> None:
    text = (
        "2018年,全市新认定高新技术企业150家,完成年度目标的125%;"
        "技术合同成交额未完成年度目标。全年各项指标均超额完成。"
    )
    result = extract(text, published=date(2019, 1, 20))
    claims = [(c.indicator, c.status, c.ratio) for c in result.claims]
    assert ("hitech_enterprises_new", "exceeded", Decimal(125)) in claims
    assert (None, "exceeded", None) in claims
    assert any(status == "not_met" for _, status, _ in claims)
    for claim in result.claims:
        assert claim.quote == text[claim.span[0] : claim.span[1]]
