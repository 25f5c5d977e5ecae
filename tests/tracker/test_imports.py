"""Bulk import of targets and actuals from CSV and XLSX: command and admin, all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker.attainment.models import Evaluation
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, Target

HEADER = (
    "kind,jurisdiction,indicator,measure,value,unit,comparator,"
    "period_start,period_end,published,note\n"
)
GOOD = HEADER + (
    "target,330600,rd_expenditure,level,127,亿元,突破,2017-01,2017-12,2017-02-13,力争突破127亿元\n"
    "actual,绍兴市,专利授权量,,1836,件,,2016,,2017-02-13,\n"
    "target,Shaoxing,rd_intensity,,2.9,%,以上,2017,2017,,\n"
    "actual,330600,研发人员,,3.65,万人年,,2016-01,2016-12,2017-02-13,\n"
    "target,330600,rd_expenditure,yoy_growth,12.4,%,左右,2017,,,\n"
)


@pytest.fixture
def files(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def stored(catalogue, shaoxing):
    evaluations_rebuild()


def _import(path, *args) -> str:
    out = StringIO()
    call_command("import_facts", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_csv_is_imported_in_base_units_with_its_provenance(stored, files, admin_user):
    out = _import(files("plan.csv", GOOD), "--user", admin_user.username)
    assert "plan.csv: imported 5 new, 0 updated, 0 unchanged" in out

    spending = Target.objects.get(indicator__code="rd_expenditure", measure="level")
    assert (spending.value, spending.comparator) == (Decimal("12700000000"), "gt")
    assert spending.published == date(2017, 2, 13)
    assert spending.quote == "力争突破127亿元"
    assert spending.origin == "imported from plan.csv, row 2, by boss"
    assert spending.history.first().history_change_reason == spending.origin
    assert spending.entered_by == admin_user and spending.review_state == "accepted"
    patents = Actual.objects.get(indicator__code="patent_grants")
    assert (patents.value, patents.period_start, patents.period_end) == (
        Decimal("1836"), date(2016, 1, 1), date(2016, 12, 1),
    )  # fmt: skip
    assert Target.objects.get(indicator__code="rd_intensity").comparator == "gte"
    assert Actual.objects.get(indicator__code="rd_personnel").value == Decimal("36500")
    growth = Target.objects.get(measure="yoy_growth")
    assert (growth.value, growth.comparator, growth.unit) == (Decimal("12.4"), "approx", "percent")

    # The evaluations were kept current by every row; known from the published date.
    call_command("evaluations_rebuild", "--check", stdout=StringIO())
    evaluation = Evaluation.objects.get(target=spending)
    assert evaluation.baseline_id is None  # no 2016 spending figure in the file
    assert Evaluation.objects.get(target=growth).status == "no_data"


def test_importing_the_same_file_twice_stores_nothing_new(stored, files):
    path = files("plan.csv", GOOD)
    _import(path)
    history = sum(f.history.count() for f in [*Target.objects.all(), *Actual.objects.all()])

    out = _import(path)

    assert "imported 0 new, 0 updated, 5 unchanged" in out
    assert (Target.objects.count(), Actual.objects.count()) == (3, 2)
    assert history == sum(f.history.count() for f in [*Target.objects.all(), *Actual.objects.all()])


def _series_rows(years: range) -> str:
    """Rows of one place's two series: a target and an actual of each year."""
    return HEADER + "".join(
        f"{kind},330600,rd_expenditure,level,{100 + year % 100},亿元,,{year},,,\n"
        for year in years
        for kind in ("target", "actual")
    )


def test_an_unchanged_file_is_checked_a_series_at_a_time(stored, files):
    # Offices import the same yearly file again and again: its place and stored facts are
    # looked up a series at a time, so the queries grow with the series, not the rows.
    short, long = (
        files("short.csv", _series_rows(range(2011, 2014))),
        files("long.csv", _series_rows(range(2011, 2020))),
    )
    _import(short)
    _import(long)

    with CaptureQueriesContext(connection) as short_queries:
        assert "imported 0 new, 0 updated, 6 unchanged" in _import(short)
    with CaptureQueriesContext(connection) as long_queries:
        assert "imported 0 new, 0 updated, 18 unchanged" in _import(long)

    assert len(long_queries) == len(short_queries)


def test_a_changed_figure_updates_the_imported_fact_with_the_row_as_reason(stored, files):
    _import(files("plan.csv", GOOD))
    changed = GOOD.replace("1836,件", "1840,件")

    out = _import(files("plan-v2.csv", changed))

    assert "imported 0 new, 1 updated, 4 unchanged" in out
    patents = Actual.objects.get(indicator__code="patent_grants")
    assert patents.value == Decimal("1840") and patents.version == 2
    assert patents.history.first().history_change_reason == (
        "imported from plan-v2.csv, row 3, by a command"
    )
    call_command("evaluations_rebuild", "--check", stdout=StringIO())


def test_bad_rows_are_named_by_number_and_nothing_is_stored(stored, files):
    bad = GOOD + (
        "actual,330600,unknown_thing,,5,件,,2016,,,\n"  # row 7
        "target,330600,rd_expenditure,level,127,万件,,2018,,,\n"  # row 8: a count unit
        "target,火星市,patent_grants,,5,件,,2018,,,\n"  # row 9
        "target,330600,patent_grants,,many,件,,2018-13,,,\n"  # row 10: two problems
        "actual,绍兴市,专利授权量,,1836,件,,2016,,2017-02-13,\n"  # row 11 repeats row 3
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 5 row\(s\) have errors"):
        call_command("import_facts", str(files("bad.csv", bad)), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "row 7: unknown indicator 'unknown_thing' (give its code, name or an alias)" in lines
    assert any(line.startswith("row 8: unit '万件' does not fit rd_expenditure") for line in lines)
    assert "row 9: unknown jurisdiction '火星市' (give its name or division code)" in lines
    assert "row 10: value 'many' is not a number" in lines
    assert any(line.startswith("row 10: '2018-13' is not a month") for line in lines)
    assert any(line.startswith("row 11: states the same fact as row 3") for line in lines)
    assert not Target.objects.exists() and not Actual.objects.exists()


def test_a_value_the_services_refuse_is_a_row_error(stored, files):
    # 290 % is no R&D intensity: fact_create's validation says so, for the row.
    text = HEADER + "target,330600,rd_intensity,,290,%,,2017,,,\n"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_facts", str(files("x.csv", text)), stdout=StringIO(), stderr=err)
    assert "row 2: A percent value must be between 0 and 100" in err.getvalue()
    assert not Target.objects.exists()


def test_a_dry_run_stores_nothing(stored, files):
    out = _import(files("plan.csv", GOOD), "--dry-run")
    assert "would import 5 new, 0 updated, 0 unchanged (dry run: nothing stored)" in out
    assert (
        "row 2: created target 绍兴市 rd_expenditure level gt 12700000000 (2017-01..2017-12)" in out
    )
    assert not Target.objects.exists() and not Actual.objects.exists()


def test_an_xlsx_with_chinese_headers_and_date_cells(stored, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["类型", "地区", "指标", "数值", "单位", "比较", "开始", "结束", "发布日期"])
    start, end, published = datetime(2017, 1, 1), datetime(2017, 12, 1), datetime(2017, 2, 13)
    sheet.append(["目标", "绍兴市", "专利授权", 2200, "件", "以上", start, end, published])
    sheet.append(["实际", "330600", "patent_grants", 1836, "", None, "2016", None, None])
    path = tmp_path / "规划.xlsx"
    book.save(path)

    out = _import(path)

    assert "imported 2 new" in out
    target = Target.objects.get()
    assert (target.value, target.comparator, target.published) == (
        Decimal("2200"), "gte", date(2017, 2, 13),
    )  # fmt: skip
    assert Actual.objects.get().period_end == date(2016, 12, 1)


def test_files_that_are_not_a_table_get_a_one_line_error(stored, files, tmp_path):
    with pytest.raises(CommandError, match=r"send a \.csv or \.xlsx file"):
        _import(files("plan.txt", GOOD))
    with pytest.raises(CommandError, match="Missing columns: kind"):
        _import(files("plan.csv", "foo,bar\n1,2\n"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="could not be read as XLSX"):
        _import(broken)


@pytest.fixture
def admin_session(client, admin_user):
    client.force_login(admin_user)
    return client


def _upload(name: str, text: str):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_admin_previews_a_dry_run_then_imports(stored, admin_session):
    url = reverse("admin:tracker_target_import")
    assert url in admin_session.get(reverse("admin:tracker_target_changelist")).content.decode()

    preview = admin_session.post(url, {"file": _upload("plan.csv", GOOD), "dry_run": "on"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview (dry run): nothing stored yet" in html
    assert html.count('class="import-row created"') == 5
    assert not Target.objects.exists()

    content = preview.context["content"]
    done = admin_session.post(url, {"confirm": "1", "filename": "plan.csv", "content": content})
    assert "5 new, 0 updated, 0 unchanged" in done.content.decode()
    assert Target.objects.count() == 3
    assert Target.objects.first().origin.endswith("by boss")


def test_admin_shows_every_bad_row_and_stores_nothing(stored, admin_session):
    url = reverse("admin:tracker_target_import")
    bad = GOOD + "actual,330600,unknown_thing,,5,件,,2016,,,\n"
    response = admin_session.post(url, {"file": _upload("plan.csv", bad)})
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "row 7: unknown indicator" in html
    assert not Target.objects.exists()


def test_readers_cannot_import(client, reader, stored):
    client.force_login(reader)
    response = client.get(reverse("admin:tracker_target_import"))
    assert response.status_code == 302  # not staff: to the admin login
