"""The auditor's HTML page and quote page, through Django's test client."""

from __future__ import annotations

import re

import pytest

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker.models import Actual, Target

PAGE = "/reports/330600/2017/"


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    entered = seeds.enter_seed(seeds.SHAOXING)
    # A hypothetical 2017 figure so that the page has a judged row and a growth gap.
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", title="绍兴市2017年科技工作总结",
                                  text="2017年全社会研发经费125亿元。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    return entered, actual


@pytest.fixture
def reader_session(client, reader):
    client.force_login(reader)
    return client


def test_page_needs_login_and_a_role(client, nobody, shaoxing_2017):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/api-auth/login/")
    client.force_login(nobody)
    assert client.get(PAGE).status_code == 403


def test_page_shows_scorecard_and_charts(reader_session, shaoxing_2017):
    entered, actual = shaoxing_2017
    response = reader_session.get(PAGE, {"as_of": "2018-06-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr id="target-') == 17
    target = entered[("target", "rd_expenditure", "level", "2017")]
    row = re.search(rf'<tr id="target-{target.id}".*?</tr>', html, re.S).group(0)
    assert 'data-status="missed"' in row
    assert f'href="/reports/quote/actual/{actual.id}/"' in row
    assert f'href="/reports/quote/target/{target.id}/"' in row
    # Attainment, growth gap, the ranking among siblings and the year-by-year trajectory.
    assert html.count("<svg") == 4
    assert "Attainment ratio by indicator" in html
    assert "Growth gap" in html
    # Nothing is loaded from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_page_escapes_quotes_and_names(reader_session, catalogue, shaoxing):
    doc = document("2017-02-13", text="<script>alert(1)</script> 研发人员3.86万人年")
    fact(
        Target, jurisdiction=shaoxing, indicator="rd_personnel", value="38600", when="2017",
        doc=doc, quote="<script>alert(1)</script>",
    )  # fmt: skip
    shaoxing.name_en = "<b>Shaoxing</b>"
    shaoxing.save()
    html = reader_session.get(PAGE).content.decode()
    assert "<script>" not in html and "<b>Shaoxing" not in html
    quote_page = reader_session.get(f"/reports/quote/target/{Target.objects.get().id}/")
    assert "<script>alert" not in quote_page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in quote_page.content.decode()


def test_quote_page_highlights_the_span(reader_session, shaoxing_2017):
    _, actual = shaoxing_2017
    html = reader_session.get(f"/reports/quote/actual/{actual.id}/").content.decode()
    assert "<mark>全社会研发经费125亿元</mark>" in html
    assert "绍兴市2017年科技工作总结" in html
    assert "2018-02-01" in html
    assert reader_session.get("/reports/quote/rumour/1/").status_code == 404
    assert reader_session.get("/reports/quote/actual/999999/").status_code == 404


def test_unknown_jurisdiction_is_404(reader_session, db):
    assert reader_session.get("/reports/999999/2017/").status_code == 404
