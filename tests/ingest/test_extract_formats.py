"""Reports as PDF, Word and web pages: read to text whose offsets the facts point into."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from ingest.extraction import NotTextError, decode_document, extract, infer_title
from ingest.extraction.cli import main
from ingest.extraction.formats import tables_as_rows
from tests.ingest.documents import OLE_HEADER, docx_report, pdf_with_text, scanned_pdf

# A report as a PDF typesets it: lines of one width, broken inside words and numbers, a CJK
# radical (⾼, U+2F7C) where 高 belongs.
WRAPPED = [
    "2018年，全市科技工作围绕创新驱动发展战略扎实推进各项",
    "工作，科技创新能力稳步提升，主要科技指标完成情况良好，全",
    "社会研发经费支出达到85.6亿元，同比增长11.2%，⾼新技术",
    "企业总数达到560家，技术合同成交额达到32.5亿元，全年专利",
    "申请量达到9650件，其中发明专利申请量达到2130件，全市科技",
    "工作取得了新的成效，为经济社会发展提供了有力的科技支撑。",
]


def _facts(text: str) -> set[tuple]:
    result = extract(text, published=date(2019, 2, 1), jurisdiction="宁波市")
    return {(f.indicator, f.measure, f.value) for f in result.facts}


def test_pdf_text_layer_is_read_and_its_wrapped_lines_joined() -> None:
    text = decode_document(pdf_with_text([WRAPPED[:3], WRAPPED[3:]]), filename="report.pdf")
    result = extract(text, published=date(2019, 2, 1), jurisdiction="宁波市")
    got = {(f.indicator, f.measure, f.value) for f in result.facts}
    assert ("rd_expenditure", "level", Decimal("8560000000")) in got
    assert ("rd_expenditure", "yoy_growth", Decimal("11.2")) in got
    assert ("hitech_enterprises_total", "level", Decimal(560)) in got
    assert ("patent_applications", "level", Decimal(9650)) in got
    for fact in result.facts:
        assert text[fact.span[0] : fact.span[1]] == fact.quote
    # The radical stays as the PDF wrote it; the rules read it as 高.
    hitech = next(f for f in result.facts if f.indicator == "hitech_enterprises_total")
    assert "⾼" in hitech.quote


def test_scanned_pdf_is_refused_with_the_reason() -> None:
    with pytest.raises(NotTextError, match=r"no text layer.*OCR"):
        decode_document(scanned_pdf(), filename="scan.pdf")


def test_broken_pdf_is_refused_in_one_line() -> None:
    with pytest.raises(NotTextError, match="PDF file cannot be read"):
        decode_document(b"%PDF-1.4\nthis is not a PDF body", filename="broken.pdf")


def test_word_docx_paragraphs_and_tables_are_read() -> None:
    raw = docx_report(
        ["2018年科技工作总结", "2018年,全市新认定高新技术企业120家,技术合同成交额36亿元。"],
        table=[["指标", "2018年"], ["专利授权量", "5600件"]],
    )
    text = decode_document(raw, filename="summary.docx")
    assert text.startswith("2018年科技工作总结\n")
    assert "专利授权量\t5600件" in text
    got = _facts(text)
    assert ("hitech_enterprises_new", "level", Decimal(120)) in got
    assert ("tech_contract_value", "level", Decimal(3_600_000_000)) in got


def test_legacy_word_doc_is_refused_with_advice() -> None:
    with pytest.raises(NotTextError, match=r"\.doc file.*save it as \.docx or PDF"):
        decode_document(OLE_HEADER, filename="old.doc")


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>宁波市科技局2018年工作总结_宁波市科学技术局</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 工作总结</div>
<div class="side"><ul><li><a href="/a">热点:全省新增高新技术企业3000家</a></li>
<li><a href="/b">通知公告</a></li><li><a href="/c">政策解读</a></li></ul></div>
<div class="info">发布时间：2019-01-18 09:30 来源：市科技局</div>
<div class="article"><h1>宁波市科技局2018年工作总结</h1>
<p>2018年，全市科技工作取得新的进展，创新驱动发展战略深入实施。</p>
<p>全年新认定高新技术企业521家，高新技术企业总数达到2632家，同比增长23.4%。</p>
<p>全社会研发经费支出达到285亿元，占GDP的比重达到2.65%，技术合同成交额达到95.3亿元。</p>
</div>
<div class="footer">主办：宁波市科学技术局 电话：0574-87654321 浙ICP备05001234号</div>
</body></html>"""


def test_web_page_keeps_its_report_and_drops_menus_and_footer() -> None:
    text = decode_document(PAGE.encode("utf-8"), filename="page.html")
    assert infer_title(text) == "宁波市科技局2018年工作总结"
    assert "3000家" not in text and "0574" not in text and "首页" not in text
    result = extract(text, jurisdiction="宁波市")
    assert result.published == date(2019, 1, 18)
    got = {(f.indicator, f.value) for f in result.facts}
    assert ("hitech_enterprises_new", Decimal(521)) in got
    assert ("rd_intensity", Decimal("2.65")) in got


# A plan's page that states no date of its own: only the years its goals speak of.
UNDATED_PLAN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例市科技创新“十四五”规划</title></head><body>
<div class="article"><h1>示例市科技创新“十四五”规划</h1>
<p>表1 “十四五”科技创新主要指标</p>
<table border="1">
<tr><td rowspan="2">类别</td><td rowspan="2">指标</td><td rowspan="2">单位</td>
<td>2020年</td><td>2025年</td><td rowspan="2">属性</td></tr>
<tr><td>基期值</td><td>目标值</td></tr>
<tr><td rowspan="2">创新投入</td><td>全社会研发经费投入强度</td><td>%</td><td>2.1</td>
<td>2.8</td><td>预期性</td></tr>
<tr><td>财政科技支出</td><td>亿元</td><td>12</td><td>20</td><td>预期性</td></tr>
</table>
<p>到2025年，全市技术合同成交额达到100亿元，高新技术企业数量实现倍增。</p>
</div></body></html>"""


def test_a_page_without_a_date_gets_none_from_the_years_it_speaks_of() -> None:
    # The date finder's fallback made 2025-01-01 of "2025年", which turned the plan's goals
    # into that year's results.
    text = decode_document(UNDATED_PLAN_PAGE.encode("utf-8"), filename="plan.html")
    assert "2025-01-01" not in text
    result = extract(text, jurisdiction="示例市")
    assert result.published is None
    got = {(f.kind, f.indicator, float(f.value), str(f.period_start)) for f in result.facts}
    assert got == {
        # The table's header has two rows: the years, then what each column holds; its
        # category cell is merged over two rows.
        ("actual", "rd_intensity", 2.1, "2020-01"),
        ("target", "rd_intensity", 2.8, "2025-01"),
        ("actual", "fiscal_st_expenditure", 1.2e9, "2020-01"),
        ("target", "fiscal_st_expenditure", 2e9, "2025-01"),
        ("target", "tech_contract_value", 1e10, "2025-01"),
    }


def test_a_data_tables_caption_stays_above_its_rows() -> None:
    page = (
        "<html><body><table><caption>表1 主要指标</caption>"
        "<tr><th>指标</th><th>单位</th><th>2020年</th><th>2025年</th></tr>"
        "<tr><td>高新技术企业数</td><td>家</td><td>650</td><td>1200</td></tr></table></body></html>"
    )
    rows = tables_as_rows(page)
    assert rows.index("表1 主要指标") < rows.index("| 指标 | 单位 | 2020年 | 2025年 |")
    assert "| 高新技术企业数 | 家 | 650 | 1200 |" in rows


def test_a_layout_table_keeps_its_paragraphs() -> None:
    # Older sites set the whole article in a table's cell: it is no table of figures.
    paragraph = "2018年，全市科技工作取得新的进展，创新驱动发展战略深入实施，成效明显。"
    page = (
        "<html><head><title>示例市科技局2018年工作总结</title></head><body><table><tr>"
        f"<td>示例市科技局2018年工作总结</td></tr><tr><td><p>{paragraph}</p>"
        "<p>全年新认定高新技术企业521家，高新技术企业总数达到2632家。</p></td></tr>"
        "</table></body></html>"
    )
    assert tables_as_rows(page) == page
    text = decode_document(page.encode("utf-8"), filename="page.html")
    assert paragraph in text
    assert ("hitech_enterprises_total", "level", Decimal(2632)) in _facts(text)


def test_title_skips_page_furniture() -> None:
    text = (
        "今天是:2014年12月5日 星期五\n索引号: | 0001 | 公开方式: | 主动公开 |\n"
        "发布时间:2014-12-05 浏览:9915\n市科技局2014年工作要点\n2014年是关键之年……\n"
    )
    assert infer_title(text) == "市科技局2014年工作要点"


def test_cli_extracts_a_pdf(tmp_path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_text([WRAPPED]))
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [str(path), "--published", "2019-02-01", "--format", "table"], stdout=out, stderr=err
    )
    assert code == 0, err.getvalue()
    assert "rd_expenditure" in out.getvalue()


def test_cli_refuses_a_scanned_pdf_in_one_line(tmp_path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    err = io.StringIO()
    assert main([str(path)], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().count("\n") == 1 and "OCR" in err.getvalue()
