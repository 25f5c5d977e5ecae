"""Indicator tables: a year's target and result per column, one cell per line or a row per line."""

from __future__ import annotations

from datetime import date

from ingest.extraction import extract


def _facts(text: str, published: str, jurisdiction: str = "示例市") -> set[tuple]:
    found = extract(
        text, published=date.fromisoformat(published), jurisdiction=jurisdiction
    ).as_dict()["facts"]
    return {
        (
            f["kind"],
            f["indicator"],
            f["measure"],
            float(f["value"]),
            f["comparator"],
            f["period_start"],
            f["period_end"],
        )
        for f in found
    }


# A plan-execution report's table as web pages store it: one cell per line, a year's target
# and result, each with a level and a growth rate.
CELL_PER_LINE = """关于示例市2022年计划执行情况及2023年计划草案的报告
一、2022年计划执行情况
全年各项指标总体完成(见表一)。
表一 2022年主要指标完成情况

指 标 名 称

单位

2022年目标

2022年实绩

绝对值

增速(%)

绝对值

增速(%)

全市生产总值

亿元

5200

6以上

5188.6

5.1

技术合同成交额

亿元

60

15以上

72.4

20.6

研究与试验发展经费支出相当于生产总值比重

%

2.8左右

-

2.65

-

二、2023年计划草案
"""


def test_a_table_one_cell_per_line_gives_targets_and_results_by_column() -> None:
    facts = _facts(CELL_PER_LINE, "2023-02-15")
    assert facts == {
        ("target", "tech_contract_value", "level", 6e9, "gte", "2022-01", "2022-12"),
        ("target", "tech_contract_value", "yoy_growth", 15.0, "gte", "2022-01", "2022-12"),
        ("actual", "tech_contract_value", "level", 7.24e9, "eq", "2022-01", "2022-12"),
        ("actual", "tech_contract_value", "yoy_growth", 20.6, "eq", "2022-01", "2022-12"),
        ("target", "rd_intensity", "level", 2.8, "approx", "2022-01", "2022-12"),
        ("actual", "rd_intensity", "level", 2.65, "eq", "2022-01", "2022-12"),
    }


def test_a_table_cell_is_quoted_from_its_rows_label() -> None:
    found = extract(CELL_PER_LINE, published=date(2023, 2, 15)).as_dict()["facts"]
    result = next(f for f in found if f["indicator"] == "rd_intensity" and f["kind"] == "actual")
    assert result["quote"].startswith("研究与试验发展经费支出相当于生产总值比重")
    assert result["quote"].endswith("2.65")
    start, end = result["span"]
    assert CELL_PER_LINE[start:end] == result["quote"]


def test_a_plans_table_with_numbered_rows_and_units_in_brackets() -> None:
    text = (
        "示例市“十四五”科技创新规划\n三、主要指标\n表1 主要指标\n"
        "序号 | 指标 | 2020年 | 2025年 | 属性\n"
        "1 | 全社会研发经费投入强度(%) | 2.4 | 3.0 | 预期性\n"
        "2 | 高新技术企业数(家) | 1200 | 2500 | 预期性\n"
        "3 | 技术合同成交额(亿元) | 80 | 150 | 预期性\n"
        "4 | 城镇登记失业率(%) | 2.5 | 3以内 | 预期性\n"
    )
    assert _facts(text, "2021-09-01") == {
        ("actual", "rd_intensity", "level", 2.4, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 3.0, "gte", "2025-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 1200.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 2500.0, "gte", "2025-01", "2025-12"),
        ("actual", "tech_contract_value", "level", 8e9, "eq", "2020-01", "2020-12"),
        ("target", "tech_contract_value", "level", 1.5e10, "gte", "2025-01", "2025-12"),
    }


def test_a_word_tables_tab_separated_rows() -> None:
    text = (
        "示例县2023年科技工作要点\n"
        "指标\t单位\t2022年完成\t2023年目标\n"
        "新增高新技术企业\t家\t35\t40\n"
        "技术合同成交额\t亿元\t8.5\t10\n"
    )
    assert _facts(text, "2023-02-01", jurisdiction="示例县") == {
        ("actual", "hitech_enterprises_new", "level", 35.0, "eq", "2022-01", "2022-12"),
        ("target", "hitech_enterprises_new", "level", 40.0, "gte", "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 8.5e8, "eq", "2022-01", "2022-12"),
        ("target", "tech_contract_value", "level", 1e9, "gte", "2023-01", "2023-12"),
    }


def test_a_table_without_indicator_columns_or_rows_gives_nothing() -> None:
    no_years = "指标\t单位\t说明\n技术合同成交额\t亿元\t见附件\n"
    assert _facts(no_years, "2023-02-01") == set()
    ragged = "指标名称\n单位\n2022年目标\n技术合同成交额\n亿元\n"
    assert _facts(ragged, "2023-02-01") == set()


def test_estimated_results_and_rows_of_growth_rates() -> None:
    text = (
        "指标\t单位\t2022年预计\t2023年目标\n"
        "全社会研发经费投入总量\t亿元\t12.5\t14\n"
        "研发经费增长\t%\t10\t12\n"
        "研发经费年均增长\t%\t10\t12\n"
    )
    assert _facts(text, "2023-01-10", jurisdiction="示例县") == {
        # FACTS.md, estimates: 预计 of the year under review is an actual, approx.
        ("actual", "rd_expenditure", "level", 1.25e9, "approx", "2022-01", "2022-12"),
        ("target", "rd_expenditure", "level", 1.4e9, "gte", "2023-01", "2023-12"),
        ("actual", "rd_expenditure", "yoy_growth", 10.0, "approx", "2022-01", "2022-12"),
        ("target", "rd_expenditure", "yoy_growth", 12.0, "gte", "2023-01", "2023-12"),
    }


def test_a_category_column_before_the_label() -> None:
    text = (
        "示例市科技创新“十四五”规划\n"
        "类别 | 指标 | 2020年基期值 | 2025年目标值 | 属性\n"
        "创新投入 | 全社会研发经费投入强度(%) | 2.1 | 2.8 | 预期性\n"
        "创新主体 | 高新技术企业数(家) | 650 | 1200 | 预期性\n"
    )
    assert _facts(text, "2021-10-01") == {
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 650.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1200.0, "gte", "2025-01", "2025-12"),
    }


def test_rows_are_read_from_their_right_end_past_merged_cells() -> None:
    # A category merged over several rows is given only on the first of them.
    text = (
        "示例市科技创新“十四五”规划\n"
        "类别 | 序号 | 指标 | 单位 | 2020年 | 2025年 | 属性\n"
        "创新投入 | 1 | 全社会研发经费投入强度 | % | 2.1 | 2.8 | 预期性\n"
        "2 | 财政科技支出 | 亿元 | 12 | 20 | 预期性\n"
        "创新主体 | 3 | 高新技术企业数 | 家 | 650 | 1200 | 预期性\n"
    )
    assert _facts(text, "2021-10-01") == {
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
        ("actual", "fiscal_st_expenditure", "level", 1.2e9, "eq", "2020-01", "2020-12"),
        ("target", "fiscal_st_expenditure", "level", 2e9, "gte", "2025-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 650.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1200.0, "gte", "2025-01", "2025-12"),
    }


def test_a_years_target_result_and_completion_rate_without_a_year_in_the_header() -> None:
    text = (
        "示例县2023年科技工作总结\n"
        "指标 | 单位 | 年度目标 | 完成值 | 完成率\n"
        "技术合同成交额 | 亿元 | 10 | 12 | 120%\n"
        "新增高新技术企业 | 家 | 30 | 35 | 116.7%\n"
    )
    # The columns are the reviewed year's; the completion rate states no figure of its own.
    assert _facts(text, "2024-01-10", jurisdiction="示例县") == {
        ("target", "tech_contract_value", "level", 1e9, "gte", "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 1.2e9, "eq", "2023-01", "2023-12"),
        ("target", "hitech_enterprises_new", "level", 30.0, "gte", "2023-01", "2023-12"),
        ("actual", "hitech_enterprises_new", "level", 35.0, "eq", "2023-01", "2023-12"),
    }


def test_a_second_table_right_after_the_first_is_read_too() -> None:
    text = (
        "示例市2023年科技工作总结\n"
        "指标 | 单位 | 2023年目标 | 2023年实绩\n"
        "技术合同成交额 | 亿元 | 10 | 12\n"
        "表二\n"
        "指标 | 单位 | 2024年目标\n"
        "新增高新技术企业 | 家 | 40\n"
    )
    assert _facts(text, "2024-01-10") == {
        ("target", "tech_contract_value", "level", 1e9, "gte", "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 1.2e9, "eq", "2023-01", "2023-12"),
        ("target", "hitech_enterprises_new", "level", 40.0, "gte", "2024-01", "2024-12"),
    }


def test_a_category_column_and_a_unit_column() -> None:
    # The category stands three cells before the first value: the header ends before it.
    text = (
        "示例市科技创新“十四五”规划\n表1 主要指标\n"
        "类别\t指标\t单位\t2020年基期值\t2025年目标值\n"
        "创新投入\t全社会研发经费投入强度\t%\t2.1\t2.8\n"
        "创新主体\t高新技术企业数\t家\t650\t1200\n"
    )
    assert _facts(text, "2021-10-01") == {
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 650.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1200.0, "gte", "2025-01", "2025-12"),
    }
    # The same laid out one cell per line, the rows numbered too.
    cells = [
        *("序号", "类别", "指标", "单位", "2020年", "2025年"),
        *("1", "创新投入", "全社会研发经费投入强度", "%", "2.1", "2.8"),
        *("2", "创新主体", "高新技术企业数", "家", "650", "1200"),
    ]
    text = "示例市科技创新“十四五”规划\n表1 主要指标\n" + "\n".join(cells) + "\n"
    assert _facts(text, "2021-10-01") == {
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 650.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1200.0, "gte", "2025-01", "2025-12"),
    }


def test_a_markdown_table_with_the_rule_under_its_header() -> None:
    text = (
        "示例市科技创新“十四五”规划\n"
        "| 类别 | 指标 | 单位 | 2020年 | 2025年 |\n"
        "| --- | :--- | :---: | ---: | --- |\n"
        "| 创新投入 | 全社会研发经费投入强度 | % | 2.1 | 2.8 |\n"
        "|  | 技术合同成交额 | 亿元 | 35 | 80 |\n"
    )
    assert _facts(text, "2021-10-01") == {
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
        ("actual", "tech_contract_value", "level", 3.5e9, "eq", "2020-01", "2020-12"),
        ("target", "tech_contract_value", "level", 8e9, "gte", "2025-01", "2025-12"),
    }


def test_a_header_of_two_rows_years_then_what_each_column_holds() -> None:
    text = (
        "示例市科技创新“十四五”规划\n"
        "| 指标 | 单位 | 2020年 | 2025年 |\n"
        "|  |  | 基期值 | 目标值 |\n"
        "| 高新技术企业数 | 家 | 650 | 1200 |\n"
    )
    assert _facts(text, "2021-10-01") == {
        ("actual", "hitech_enterprises_total", "level", 650.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1200.0, "gte", "2025-01", "2025-12"),
    }


def test_a_table_headed_by_item_rather_than_indicator() -> None:
    # 项目 heads the labels as 指标 does; a label that contains 项目 is still a row.
    text = (
        "示例县2023年科技工作总结\n"
        "项目\t单位\t2023年目标\t2023年完成\t完成率\n"
        "科技成果转化项目\t项\t100\t120\t120%\n"
        "技术合同成交额\t亿元\t10\t12\t120%\n"
    )
    assert _facts(text, "2024-01-10", jurisdiction="示例县") == {
        ("target", "tech_transfer_projects", "level", 100.0, "gte", "2023-01", "2023-12"),
        ("actual", "tech_transfer_projects", "level", 120.0, "eq", "2023-01", "2023-12"),
        ("target", "tech_contract_value", "level", 1e9, "gte", "2023-01", "2023-12"),
        ("actual", "tech_contract_value", "level", 1.2e9, "eq", "2023-01", "2023-12"),
    }


def test_a_plans_column_of_the_year_it_is_published_in_is_a_goal() -> None:
    # Published in March: 2023 is not over, so its column is a goal like the later ones.
    text = (
        "示例市科技创新三年行动计划(2023-2025年)\n表1 分年度目标\n"
        "指标\t单位\t2022年(基期)\t2023年\t2024年\t2025年\n"
        "高新技术企业数\t家\t800\t950\t1100\t1300\n"
    )
    assert _facts(text, "2023-03-01") == {
        ("actual", "hitech_enterprises_total", "level", 800.0, "eq", "2022-01", "2022-12"),
        ("target", "hitech_enterprises_total", "level", 950.0, "gte", "2023-01", "2023-12"),
        ("target", "hitech_enterprises_total", "level", 1100.0, "gte", "2024-01", "2024-12"),
        ("target", "hitech_enterprises_total", "level", 1300.0, "gte", "2025-01", "2025-12"),
    }


def test_an_average_growth_column_after_the_year_columns() -> None:
    # 年均增长 between the base and the goal year: a CAGR from the year after the base (FACTS.md,
    # growth windows); a dash is no figure.
    text = (
        "示例市“十四五”科技创新规划\n表1 主要指标\n"
        "指标\t单位\t2020年\t2025年\t年均增长(%)\n"
        "技术合同成交额\t亿元\t50\t100\t14.9\n"
        "研发投入强度\t%\t2.1\t2.8\t—\n"
    )
    assert _facts(text, "2021-06-01") == {
        ("actual", "tech_contract_value", "level", 5e9, "eq", "2020-01", "2020-12"),
        ("target", "tech_contract_value", "level", 1e10, "gte", "2025-01", "2025-12"),
        ("target", "tech_contract_value", "cagr", 14.9, "gte", "2021-01", "2025-12"),
        ("actual", "rd_intensity", "level", 2.1, "eq", "2020-01", "2020-12"),
        ("target", "rd_intensity", "level", 2.8, "gte", "2025-01", "2025-12"),
    }


def test_a_plans_total_column_is_a_flows_level_over_the_plan() -> None:
    # FACTS.md: cumulative totals over a plan are level facts over the plan's window, only
    # where the indicator is a flow (a stock's total is its level at the end).
    text = (
        "示例市“十四五”科技创新规划\n表1 主要指标\n"
        "指标\t单位\t2020年\t2025年\t“十四五”累计\t属性\n"
        "新增高新技术企业\t家\t120\t200\t800\t预期性\n"
        "高新技术企业数\t家\t600\t1000\t1000\t预期性\n"
    )
    assert _facts(text, "2021-06-01") == {
        ("actual", "hitech_enterprises_new", "level", 120.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_new", "level", 200.0, "gte", "2025-01", "2025-12"),
        ("target", "hitech_enterprises_new", "level", 800.0, "gte", "2021-01", "2025-12"),
        ("actual", "hitech_enterprises_total", "level", 600.0, "eq", "2020-01", "2020-12"),
        ("target", "hitech_enterprises_total", "level", 1000.0, "gte", "2025-01", "2025-12"),
    }
