"""The auditor's pages as a reader meets them: Chinese first, the index, links, sign-in."""

from __future__ import annotations

import csv
import io
import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker.attainment import exports
from tracker.models import Actual, Target

PAGE = "/reports/330600/2017/"


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    entered = seeds.enter_seed(seeds.SHAOXING)
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", title="绍兴市2017年科技工作总结",
                                  text="2017年全社会研发经费125亿元。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    # Targets of other years, for the links to the previous and the next year.
    for when in ("2015", "2019-01..2020-12"):
        fact(Target, jurisdiction=shaoxing, indicator="rd_expenditure", value="1e10", when=when)
    return entered, actual


@pytest.fixture
def reader_session(client, reader):
    client.force_login(reader)
    return client


def _row(html: str, target) -> str:
    return re.search(rf'<tr id="target-{target.id}".*?</tr>', html, re.S).group(0)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_report_page_is_chinese_when_the_request_names_no_language(
    chinese, reader_session, shaoxing_2017
):
    entered, _ = shaoxing_2017
    html = reader_session.get(PAGE, {"as_of": "2018-06-01"}).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "目标完成表" in html and "Scorecard" not in html
    row = _row(html, entered[("target", "rd_expenditure", "level", "2017")])
    # The status reads 未达标; the stable code stays in the data attribute.
    assert 'data-status="missed"' in row
    assert "未达标" in _text(row)
    # The target as reports state it, and the gap in words: never a bare negative number.
    assert "超过127亿元" in _text(row)
    assert "差 2亿元" in _text(row)
    growth = _row(html, entered[("target", "rd_expenditure", "yoy_growth", "2017")])
    assert "不低于12.4%" in _text(growth)
    assert "个百分点" in _text(growth)
    assert "总量" in _text(row)  # the measure's label, not its code
    scorecard = re.search(r'<table id="scorecard">.*?</table>', html, re.S).group(0)
    assert not re.search(r">\s*-\d", scorecard)  # no figure is a bare negative number


def test_report_page_in_english_by_header_or_switch(client, reader, chinese, shaoxing_2017):
    entered, _ = shaoxing_2017
    client.force_login(reader)
    by_header = client.get(PAGE, {"as_of": "2018-06-01"}, HTTP_ACCEPT_LANGUAGE="en").content
    by_switch = client.get(PAGE, {"as_of": "2018-06-01", "lang": "en"}).content
    for html in (by_header.decode(), by_switch.decode()):
        assert '<html lang="en">' in html
        assert "Scorecard" in html
        row = _row(html, entered[("target", "rd_expenditure", "level", "2017")])
        assert "short by 2亿元" in _text(row)
        assert "&gt; 127亿元" in row
        assert ">missed<" in row
    # The switch is kept by the page's own links (years, exports, index, other language).
    html = by_switch.decode()
    assert 'id="next-year" href="/reports/330600/2019/?lang=en"' in html
    assert re.search(r'id="export-xlsx" href="[^"]*lang=en', html)
    assert 'hreflang="zh-hans" href="?as_of=2018-06-01&amp;lang=zh-hans"' in html


def test_report_page_links_exports_years_and_shows_who_is_signed_in(reader_session, shaoxing_2017):
    response = reader_session.get(PAGE, {"as_of": "2018-06-01"})
    html = response.content.decode()
    csv_link = re.search(r'id="export-csv" href="([^"]+)"', html).group(1)
    xlsx_link = re.search(r'id="export-xlsx" href="([^"]+)"', html).group(1)
    assert csv_link.startswith("/api/v1/attainment/export.csv?")
    assert "jurisdiction=330600" in csv_link and "year=2017" in csv_link
    assert "as_of=2018-06-01" in csv_link
    # The exported rows are this page's rows.
    exported = b"".join(reader_session.get(csv_link.replace("&amp;", "&")).streaming_content)
    text = exported.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text.split(exports.CSV_TRAILER_PREFIX)[0])))
    assert sorted(int(row["target_id"]) for row in rows) == sorted(
        int(t) for t in re.findall(r'<tr id="target-(\d+)"', html)
    )
    xlsx = reader_session.get(xlsx_link.replace("&amp;", "&"))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # The nearest years with targets: 2015 before, 2019 (a two-year target) after.
    assert 'id="previous-year" href="/reports/330600/2015/"' in html
    assert 'id="next-year" href="/reports/330600/2019/"' in html
    assert "Signed in as auditor" in html
    assert 'id="logout"' in html


def test_logout_from_a_page_ends_the_session(reader_session, shaoxing_2017):
    response = reader_session.post("/api-auth/logout/", {"next": "/reports/"})
    assert response.status_code == 302
    assert reader_session.get(PAGE).status_code == 302  # back to the login form


def test_index_lists_jurisdictions_and_years_with_a_search(
    reader_session, catalogue, shaoxing_2017
):
    seeds.enter_seed(seeds.HARBIN)
    html = reader_session.get("/reports/").content.decode()
    assert 'id="jurisdiction-330600"' in html and 'id="jurisdiction-230100"' in html
    assert 'href="/reports/330600/2017/"' in html
    by_name = reader_session.get("/reports/", {"q": "绍兴"}).content.decode()
    assert 'id="jurisdiction-330600"' in by_name and "230100" not in by_name
    by_code = reader_session.get("/reports/", {"q": "2301"}).content.decode()
    assert 'id="jurisdiction-230100"' in by_code and 'id="jurisdiction-330600"' not in by_code
    by_english_name = reader_session.get("/reports/", {"q": "shaox"}).content.decode()
    assert 'id="jurisdiction-330600"' in by_english_name
    one_year = reader_session.get("/reports/", {"year": "2017"}).content.decode()
    links = re.findall(r'href="(/reports/\d+/\d+/)"', one_year)
    assert links and all(link.endswith("/2017/") for link in links)
    nothing = reader_session.get("/reports/", {"q": "火星"}).content.decode()
    assert 'id="no-reports"' in nothing
    assert "No jurisdiction with targets matches this search." in nothing


def test_index_in_chinese(chinese, reader_session, shaoxing_2017):
    html = reader_session.get("/reports/").content.decode()
    assert "审计报告" in html and "行政区划代码" in html
    assert "当前用户：auditor" in html
    assert "地级市" in html  # the level's label


def test_pages_accept_the_api_token(client, reader, nobody, shaoxing_2017):
    _, actual = shaoxing_2017
    token = Token.objects.create(user=reader)
    header = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for url in ("/reports/", PAGE, f"/reports/quote/actual/{actual.id}/"):
        response = client.get(url, **header)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Signed in as auditor" in html
        assert 'id="logout"' not in html  # a token has no session to end
    assert client.get(PAGE, HTTP_AUTHORIZATION="Token not-a-token").status_code == 403
    no_role = Token.objects.create(user=nobody)
    assert client.get(PAGE, HTTP_AUTHORIZATION=f"Token {no_role.key}").status_code == 403
    # Without a token or a session: the login form.
    anonymous = client.get("/reports/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/api-auth/login/")


def test_api_messages_are_chinese_by_default_and_english_on_request(
    chinese, reader_client, nobody, catalogue
):
    # A bad month: the project's own message, translated; the stable code stays.
    bad = reader_client.get("/api/v1/attainment/", {"as_of": "2017-13-45"})
    assert bad.status_code == 400
    assert bad.json()["fields"]["as_of"] == ["请按 YYYY-MM-DD 格式输入日期。"]
    english = reader_client.get(
        "/api/v1/attainment/", {"as_of": "2017-13-45"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["fields"]["as_of"] == ["Enter a date as YYYY-MM-DD."]
    assert reader_client.get("/api/v1/attainment/", {"as_of": "x", "lang": "en"}).json()["fields"][
        "as_of"
    ] == ["Enter a date as YYYY-MM-DD."]
    # Unknown endpoints, and REST framework's own messages, in Chinese too.
    missing = reader_client.get("/api/v1/no-such-thing/")
    assert missing.json()["message"] == "没有这个接口或对象；接口列表见 /api/v1/docs/。"
    required = reader_client.post("/api/v1/auth/token/", {}, format="json")
    assert "该字段是必填项。" in str(required.json()["fields"])
    # The role a 403 names stays a code; the sentence around it is Chinese.
    token = Token.objects.create(user=nobody)
    refused = APIClient().get("/api/v1/targets/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert refused.status_code == 403
    assert "您的账户尚无角色" in refused.json()["message"]
    assert "reader" in refused.json()["message"]


def test_quote_page_in_chinese(chinese, reader_session, shaoxing_2017):
    _, actual = shaoxing_2017
    html = reader_session.get(f"/reports/quote/actual/{actual.id}/").content.decode()
    assert f"<h1>实际值 {actual.id}:" in html
    assert "来源文件" in html and "，发布于 2018-02-01" in html
    assert '<span data-review-state="accepted">已采纳</span>' in html
    assert "<mark>全社会研发经费125亿元</mark>" in html


def test_admin_reads_chinese_labels(chinese, client, admin_user, shaoxing_2017):
    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    assert "目标" in index and "实际值" in index and "来源文件" in index
    change = client.get(f"/admin/tracker/jurisdiction/{shaoxing_2017[1].jurisdiction_id}/change/")
    html = change.content.decode()
    assert "行政区划代码" in html and "中文名称" in html
    assert "地级市" in html  # the level's label


def test_language_chosen_with_set_language_is_kept_by_the_session(
    chinese, reader_session, shaoxing_2017
):
    chosen = reader_session.post("/i18n/setlang/", {"language": "en", "next": "/reports/"})
    assert chosen.status_code == 302
    assert "All reports" in reader_session.get("/reports/").content.decode()
    reader_session.post("/i18n/setlang/", {"language": "zh-hans", "next": "/reports/"})
    assert "全部报告" in reader_session.get("/reports/").content.decode()


def test_quote_page_states_a_target_as_reports_do(chinese, reader_session, shaoxing_2017):
    entered, _ = shaoxing_2017
    target = entered[("target", "rd_expenditure", "level", "2017")]
    html = reader_session.get(f"/reports/quote/target/{target.id}/").content.decode()
    assert '<dd id="fact-value">超过127亿元 (总量)' in html
    english = reader_session.get(f"/reports/quote/target/{target.id}/", {"lang": "en"})
    assert '<dd id="fact-value">&gt; 127亿元 (level)' in english.content.decode()


def test_index_reads_a_constant_number_of_queries(
    reader_session, catalogue, shaoxing_2017, django_assert_num_queries
):
    reader_session.get("/reports/")  # the session and the role are read once per request
    # The session, its user, the role, and the index itself.
    with django_assert_num_queries(4) as few:
        reader_session.get("/reports/")
    seeds.enter_seed(seeds.HARBIN)
    seeds.enter_seed(seeds.QINGDAO)
    with django_assert_num_queries(len(few.captured_queries)):
        html = reader_session.get("/reports/").content.decode()
    assert 'id="jurisdiction-230100"' in html and 'id="jurisdiction-330600"' in html
