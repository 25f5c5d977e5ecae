"""The XLSX export as an auditor opens it in a spreadsheet (read back with openpyxl)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker.attainment.workbook import CODES, COLUMNS
from tracker.models import Actual

XLSX_URL = "/api/v1/attainment/export.xlsx"
QUERY = {"jurisdiction": "330600", "year": "2017", "as_of": "2018-06-01"}


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    entered = seeds.enter_seed(seeds.SHAOXING)
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", title="绍兴市2017年科技工作总结",
                                  text="2017年全社会研发经费125亿元。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    return entered, actual


def _workbook(client, **headers):
    response = client.get(XLSX_URL, QUERY, **headers)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _records(sheet) -> list[dict]:
    header, *rows = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in rows]


def test_workbook_in_chinese_keeps_header_filters_widths_and_dates(
    chinese, reader_client, shaoxing_2017
):
    entered, _ = shaoxing_2017
    workbook = _workbook(reader_client)
    assert workbook.sheetnames == ["目标完成情况", "列与规则说明"]
    sheet = workbook["目标完成情况"]

    # The header stays in view, carries filters over every row, and is bold.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}18"
    assert sheet.max_row == 18  # the header and 17 targets
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["目标编号", "行政区划代码", "地区", "指标代码"]
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(width >= COLUMNS[code][2] for width, code in zip(widths, CODES, strict=True))
    assert widths[header.index("行政区划代码")] >= 14  # six Chinese characters fit
    assert widths[header.index("目标：原文")] == 36  # a quote's column is wide

    rows = {r["目标编号"].value: r for r in _records(sheet)}
    row = rows[entered[("target", "rd_expenditure", "level", "2017")].id]
    # Base-unit numbers stay numbers; beside them, the figure as the reports write it.
    assert row["目标值（基本单位）"].value == 12700000000
    assert row["目标值（报告写法）"].value == "超过127亿元"
    assert row["实际值（基本单位）"].value == 12500000000
    assert row["实际值（报告写法）"].value == "125亿元"
    assert row["差距（基本单位）"].value == 200000000
    assert row["差距（报告写法）"].value == "差 2亿元"
    assert row["状态代码"].value == "missed"
    assert row["状态"].value == "未达标"
    # The ratio is a number shown as a percentage; periods and days are dates.
    assert row["完成率"].value == pytest.approx(0.9843)
    assert row["完成率"].number_format == "0.00%"
    assert row["期间开始"].value == datetime(2017, 1, 1)
    assert row["期间开始"].number_format == "yyyy-mm"
    assert row["实际值：发布日期"].value == datetime(2018, 2, 1)
    assert row["实际值：发布日期"].number_format == "yyyy-mm-dd"
    assert row["评价日期"].value == datetime(2018, 6, 1)
    # A growth target's baseline is a level: written in its own unit.
    growth = rows[entered[("target", "rd_expenditure", "yoy_growth", "2017")].id]
    assert growth["基期值（报告写法）"].value == "113亿元"
    assert growth["目标值（报告写法）"].value == "不低于12.4%"


def test_second_sheet_describes_every_column_and_the_rules(chinese, reader_client, shaoxing_2017):
    about = _workbook(reader_client)["列与规则说明"]
    values = [[cell.value for cell in row] for row in about.iter_rows()]
    described = {row[1]: row for row in values if row and row[1] in CODES}
    assert set(described) == set(CODES)
    assert described["gap_display"][0] == "差距（报告写法）"
    assert "差 2亿元" in described["gap_display"][2]
    settings = {row[1]: row[2] for row in values if row and row[1] in ("eq_tolerance", "as_of")}
    assert settings["eq_tolerance"] == pytest.approx(0.001)
    assert settings["as_of"] == datetime(2018, 6, 1)


def test_workbook_in_english_on_request(client, reader, chinese, shaoxing_2017):
    client.force_login(reader)
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "en"}, {}):
        if not headers:
            QUERY["lang"] = "en"
        try:
            workbook = _workbook(client, **headers)
        finally:
            QUERY.pop("lang", None)
        assert workbook.sheetnames == ["attainment", "columns and rules"]
        sheet = workbook["attainment"]
        assert [cell.value for cell in sheet[1]] == CODES  # the CSV's and the API's names
        rows = _records(sheet)
        gaps = {r["gap_display"].value for r in rows} - {None}
        assert "short by 2亿元" in gaps
        assert {r["status_label"].value for r in rows} >= {"missed"}
