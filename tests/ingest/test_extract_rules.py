"""Language phenomena the extractor handles, on short invented report sentences."""

import codecs
from datetime import date
from decimal import Decimal

import pytest

from ingest.extraction import NotTextError, decode_document, extract
from ingest.extraction.catalogue import load_catalogue

REVIEW = "一、2018年工作回顾\n"
PLAN = "二、2019年工作思路\n"


def facts(text, **kwargs):
    return [
        (f.kind, f.indicator, f.measure, f.value, f.period_start, f.period_end)
        for f in extract(text, **kwargs).facts
    ]


def one(text, **kwargs):
    (fact,) = extract(text, **kwargs).facts
    return fact


# --- numbers and units -------------------------------------------------------------------


def test_grouped_digits_and_count_unit():
    f = one(REVIEW + "全市专利授权量12,345件。")
    assert (f.indicator, f.value, f.unit) == ("patent_grants", Decimal(12345), "count")


def test_yi_yuan_to_base_unit():
    f = one(REVIEW + "全社会研发经费支出56.3亿元。")
    assert (f.indicator, f.value, f.unit) == ("rd_expenditure", Decimal("5630000000"), "CNY")


def test_wan_ren_nian():
    f = one(REVIEW + "研发人员全时当量2.4万人年。")
    assert (f.indicator, f.value, f.unit) == ("rd_personnel", Decimal(24000), "person_year")


def test_area_in_wan_ping_mi():
    f = one(REVIEW + "全市孵化器面积达到86万平米。")
    assert (f.indicator, f.value, f.unit) == ("incubator_area", Decimal(860000), "m2")


def test_chinese_numeral_value():
    f = one(REVIEW + "技术合同成交额三十五亿元。")
    assert f.value == Decimal(3_500_000_000)


def test_per_10k_people_ratio():
    f = one(REVIEW + "每万人口发明专利拥有量达到9.8件。")
    assert (f.indicator, f.value, f.unit) == (
        "invention_patents_per_10k",
        Decimal("9.8"),
        "per_10k_people",
    )


def test_unit_names_the_attribute():
    """孵化器 counts incubators; in square metres it is their floor area."""
    f = one(REVIEW + "全市已建孵化器300万平方米。")
    assert f.indicator == "incubator_area"


def test_traditional_characters_keep_offsets():
    text = REVIEW + "全社會研發經費支出一百二十七億元，同比增長12.4%。"
    level, growth = extract(text).facts
    assert (level.indicator, level.value) == ("rd_expenditure", Decimal(12_700_000_000))
    assert level.quote == text[level.span[0] : level.span[1]] == "全社會研發經費支出一百二十七億元"
    assert (growth.measure, growth.value) == ("yoy_growth", Decimal("12.4"))


def test_full_width_digits_and_percent():
    f = one(REVIEW + "研发经费投入强度达到２．３５％。")
    assert (f.indicator, f.value) == ("rd_intensity", Decimal("2.35"))


# --- aliases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surface",
    ["R&D经费支出", "研究与试验发展经费", "全社会研发投入", "全社会R&D经费", "研发经费投入"],
)
def test_rd_expenditure_surface_variants(surface):
    assert one(REVIEW + f"全市{surface}40亿元。").indicator == "rd_expenditure"


@pytest.mark.parametrize("surface", ["专利申请量", "申请专利", "专利申请"])
def test_patent_application_word_order(surface):
    assert one(REVIEW + f"全市{surface}8000件。").indicator == "patent_applications"


def test_invention_patent_grants_either_order():
    assert one(REVIEW + "授权发明专利900件。").indicator == "invention_patent_grants"


def test_alias_is_one_yaml_line(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "indicators:\n  - code: academicians\n    name_zh: 两院院士\n    unit: count\n"
        "    nature: stock\n    aliases: [院士人数]\n",
        encoding="utf-8",
    )
    f = one(REVIEW + "全市院士人数达到12人。", catalogue=path)
    assert (f.indicator, f.value) == ("academicians", Decimal(12))


def test_catalogue_reads_indicators_by_composition():
    cat = load_catalogue()
    read = cat.read_phrase
    assert cat.resolve(read("申请发明专利"), "count").code == "invention_patent_applications"
    assert cat.resolve(read("新增孵化器"), "count").code == "incubators_new"


# --- lists ---------------------------------------------------------------------------------


def test_list_distribution_fenbie():
    got = facts(REVIEW + "全市申请和授权专利分别为8,200件和3,100件,分别增长了12.5%和8.1%。")
    assert got == [
        ("actual", "patent_applications", "level", Decimal(8200), "2018-01", "2018-12"),
        ("actual", "patent_grants", "level", Decimal(3100), "2018-01", "2018-12"),
        ("actual", "patent_applications", "yoy_growth", Decimal("12.5"), "2018-01", "2018-12"),
        ("actual", "patent_grants", "yoy_growth", Decimal("8.1"), "2018-01", "2018-12"),
    ]


def test_growth_list_distributes_over_listed_subjects():
    got = facts(REVIEW + "研发人员、技术经纪人和众创空间,增幅分别为5.5%、9.2%和30.0%。")
    assert [(g[1], g[3]) for g in got] == [
        ("rd_personnel", Decimal("5.5")),
        ("tech_brokers", Decimal("9.2")),
        ("maker_spaces_total", Decimal("30.0")),
    ]


def test_growth_list_gaofu_gaoda():
    got = facts(REVIEW + "高新技术产业投资、技术交易总额和众创空间数,增幅高达18.2%、33.0%和50.1%。")
    assert [(g[1], g[2], g[3]) for g in got] == [
        ("hitech_investment", "yoy_growth", Decimal("18.2")),
        ("tech_contract_value", "yoy_growth", Decimal("33.0")),
        ("maker_spaces_total", "yoy_growth", Decimal("50.1")),
    ]


def test_elliptic_coordination_shares_the_head_noun():
    got = facts(REVIEW + "全市专利申请量与授权量超3万件和1.5万件。")
    assert [(g[1], g[3]) for g in got] == [
        ("patent_applications", Decimal(30000)),
        ("patent_grants", Decimal(15000)),
    ]


def test_list_with_one_value_is_ambiguous_and_skipped():
    assert facts(REVIEW + "专利申请量和授权量合计9000件。") == []


def test_enumeration_with_deng_keeps_the_head_noun():
    f = one(PLAN + "新建市级以上的重点实验室、工程中心等研发平台20家以上。")
    assert (f.kind, f.indicator, f.value) == ("target", "rd_platforms_new", Decimal(20))


# --- kind ----------------------------------------------------------------------------------


def test_target_vs_actual_by_section_heading():
    got = facts(REVIEW + "技术合同成交额达到20亿元。\n" + PLAN + "技术合同成交额达到25亿元。\n")
    assert [(g[0], g[3], g[4]) for g in got] == [
        ("actual", Decimal(2_000_000_000), "2018-01"),
        ("target", Decimal(2_500_000_000), "2019-01"),
    ]


def test_target_by_wording_in_review_paragraph():
    f = one("2018年,全市科技工作稳步推进,力争技术合同成交额突破30亿元。")
    assert (f.kind, f.comparator) == ("target", "gt")


def test_plan_paragraph_announcing_targets():
    text = (
        "2018年,全市新增高新技术企业50家。\n2019年全市科技工作的预期目标是:新增高新技术企业80家。\n"
    )
    assert [(g[0], g[3]) for g in facts(text)] == [
        ("actual", Decimal(50)),
        ("target", Decimal(80)),
    ]


def test_work_plan_title_makes_everything_a_target():
    f = one("市科技局2019年工作要点\n全市技术合同成交额达到50亿元。\n")
    assert (f.kind, f.period_start, f.period_end) == ("target", "2019-01", "2019-12")


@pytest.mark.parametrize(
    ("wording", "comparator"),
    [
        ("达到50亿元", "gte"),
        ("50亿元以上", "gte"),
        ("突破50亿元", "gt"),
        ("50亿元左右", "approx"),
        ("控制在50亿元以内", "lte"),
    ],
)
def test_target_comparators(wording, comparator):
    assert one(PLAN + f"技术合同成交额{wording}。").comparator == comparator


@pytest.mark.parametrize(
    ("wording", "comparator"),
    [("达到50亿元", "eq"), ("超50亿元", "gt"), ("近50亿元", "approx"), ("50余亿元", "gt")],
)
def test_actual_comparators(wording, comparator):
    assert one(REVIEW + f"技术合同成交额{wording}。").comparator == comparator


# --- measure and periods ---------------------------------------------------------------------


def test_yoy_growth_follows_its_level():
    got = facts(REVIEW + "高新技术产业增加值300亿元,同比增长9.5%。")
    assert [g[2] for g in got] == ["level", "yoy_growth"]


def test_cagr_over_five_year_plan():
    f = one("二、“十三五”发展目标\n到2020年,技术合同成交额年均增长15%。\n")
    assert (f.measure, f.period_start, f.period_end) == ("cagr", "2016-01", "2020-12")


def test_end_state_target_uses_final_year():
    f = one("二、“十三五”发展目标\n到2020年,研发经费投入强度达到2.8%。\n")
    assert (f.kind, f.period_start, f.period_end) == ("target", "2020-01", "2020-12")


def test_five_year_review_growth_and_stock():
    got = facts("一、“十二五”科技工作回顾\n全市孵化器达到40家,增长了60%。\n")
    assert got == [
        ("actual", "incubators_total", "level", Decimal(40), "2015-01", "2015-12"),
        ("actual", "incubators_total", "growth", Decimal(60), "2011-01", "2015-12"),
    ]


def test_year_to_date_window_carries_to_next_sentence():
    text = "一、上半年工作进展\n截至5月底,全市众创空间80家。在孵企业2100家。\n"
    got = facts(text, published=date(2017, 7, 1))
    assert [(g[1], g[4], g[5]) for g in got] == [
        ("maker_spaces_total", "2017-01", "2017-05"),
        ("incubated_enterprises", "2017-01", "2017-05"),
    ]


def test_from_to_gives_both_endpoints():
    got = facts(REVIEW + "高新技术企业总数由2013年的120家增加到2018年的360家。")
    assert [(g[3], g[4]) for g in got] == [(Decimal(120), "2013-01"), (Decimal(360), "2018-01")]


# --- exclusions ----------------------------------------------------------------------------


def test_sub_part_after_qizhong_is_skipped():
    got = facts(REVIEW + "技术合同成交额40亿元,其中海洋技术交易额5亿元,同比增长80%。")
    assert [(g[1], g[3]) for g in got] == [("tech_contract_value", Decimal(4_000_000_000))]


def test_district_figure_is_skipped():
    assert facts(REVIEW + "高新区高新技术企业总数150家。") == []


def test_share_of_province_rank_and_points_are_not_facts():
    got = facts(REVIEW + "发明专利申请量3000件,占全省25.1%,居全省第2位,高于全省3个百分点。")
    assert [(g[1], g[3]) for g in got] == [("invention_patent_applications", Decimal(3000))]


def test_share_of_gdp_of_another_quantity_is_not_rd_intensity():
    assert facts(REVIEW + "高新技术产业增加值占GDP比重达到15%。") == []


def test_range_is_not_a_fact():
    assert facts(PLAN + "技术合同成交额3000—5000万元。") == []


def test_new_additions_to_a_stock_without_flow_indicator_are_skipped():
    assert facts(PLAN + "新增孵化面积20万平方米。") == []


def test_new_incubators_map_to_the_flow_indicator():
    f = one(REVIEW + "新增各类科技企业孵化器6家。")
    assert f.indicator == "incubators_new"


def test_number_before_the_noun_is_not_attached():
    assert facts(REVIEW + "共有296名科技人才、94家科技型中小企业获得资金支持。") == []


# --- decoding -------------------------------------------------------------------------------


SAMPLE = "2018年,全市专利授权量1200件。"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_decode_legacy_and_utf8(encoding):
    assert decode_document(SAMPLE.encode(encoding)) == SAMPLE


def test_decode_strips_bom():
    assert decode_document(codecs.BOM_UTF8 + SAMPLE.encode()) == SAMPLE


def test_html_input_drops_script_and_style():
    html = (
        "<html><head><style>p{color:red}</style><script>var x='专利授权量99件';</script></head>"
        "<body><p>2018年,全市专利授权量1200件。</p><p>下一段&amp;</p></body></html>"
    )
    text = decode_document(html.encode(), filename="report.html")
    assert "99件" not in text and "color" not in text
    assert "专利授权量1200件" in text and "下一段&" in text
    assert one(text).value == Decimal(1200)


def test_binary_is_rejected():
    with pytest.raises(NotTextError):
        decode_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_control_characters_are_stripped():
    assert decode_document("专利\x0b授权\x07量".encode()) == "专利授权量"


# --- document metadata -----------------------------------------------------------------------


def test_jurisdiction_from_title_and_not_from_running_text():
    assert (
        extract("绍兴市科学技术局\n紧紧围绕市委中心工作,建设知识产权强市。").jurisdiction
        == "绍兴市"
    )
    body = "全市科技工作稳步推进。\n" * 15 + "首次在即墨市设立分会场。"
    assert extract("市科技局工作总结\n" + body).jurisdiction is None


def test_jurisdiction_validated_by_gazetteer():
    text = "市科技局2017年上半年工作总结\n百度青岛智创基地落户青岛。全市青岛模式推广。"
    assert extract(text, gazetteer=["青岛市", "即墨市", "山东省"]).jurisdiction == "青岛市"


def test_hints_win_over_inference():
    result = extract("绍兴市科学技术局\n", jurisdiction="杭州市", published=date(2017, 2, 13))
    assert (result.jurisdiction, result.published) == ("杭州市", date(2017, 2, 13))
