"""The extract command line: JSON shape, table output and one-line errors."""

import io
import json
from pathlib import Path

from ingest.extraction.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "reports"
FACT_KEYS = {
    "kind", "indicator", "measure", "value", "unit", "comparator",
    "period_start", "period_end", "span", "quote",
}  # fmt: skip


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def seed():
    return sorted(SEEDS.glob("*.txt"))[1]


def test_json_shape_per_facts_md():
    code, out, err = run(str(seed()))
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"document", "facts", "claims"}
    assert set(data["document"]) == {"jurisdiction", "published", "report_year"}
    assert data["facts"]
    text = seed().read_text(encoding="utf-8-sig")
    for fact in data["facts"]:
        assert set(fact) >= FACT_KEYS
        start, end = fact["span"]
        assert text[start:end] == fact["quote"]
        assert isinstance(fact["value"], int | float)


def test_hints_are_reported_in_document():
    code, out, _ = run(str(seed()), "--published", "2017-02-13", "--jurisdiction", "绍兴市")
    assert code == 0
    assert json.loads(out)["document"]["published"] == "2017-02-13"
    assert json.loads(out)["document"]["jurisdiction"] == "绍兴市"


def test_output_is_not_ascii_escaped():
    _, out, _ = run(str(seed()))
    assert "全社会研发经费" in out


def test_table_format():
    code, out, _ = run(str(seed()), "--format", "table")
    assert code == 0
    assert out.splitlines()[1].split()[:3] == ["kind", "indicator", "measure"]
    assert "rd_expenditure" in out


def test_missing_file_exits_2_with_one_line():
    code, out, err = run("/no/such/report.txt")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_binary_file_exits_2(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02\x03\x04" * 50)
    code, _, err = run(str(path))
    assert code == 2
    assert err.count("\n") == 1 and "not text" in err


def test_bad_published_exits_2(tmp_path):
    code, _, err = run(str(seed()), "--published", "13/02/2017")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_gbk_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、2018年工作回顾\n全市专利授权量1200件。\n".encode("gbk"))
    code, out, _ = run(str(path))
    assert code == 0
    assert json.loads(out)["facts"][0]["value"] == 1200
