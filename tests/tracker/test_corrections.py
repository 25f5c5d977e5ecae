"""Traceability after a correction: a figure changed after it was taken from its source is
shown beside the quote it came with, with the change's reason, author and time."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tracker.attainment_support import document, fact
from tracker.models import Actual
from tracker.services import fact_update

API = "/api/v1"


@pytest.fixture
def corrected(catalogue, shaoxing, editor):
    """An extracted 8.2亿元, corrected by an editor to 8.3亿元."""
    doc = document("2018-02-01", title="绍兴市2017年科技工作总结", text="全年技术交易总额8.2亿元。")
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="tech_contract_value", value="820000000",
        when="2017", doc=doc, quote="技术交易总额8.2亿元",
    )  # fmt: skip
    fact_update(
        fact=actual,
        user=editor,
        data={"value": Decimal("830000000")},
        reason="统计局年报修订为8.3亿元",
    )
    return Actual.objects.get(pk=actual.pk)


def test_quote_page_shows_the_source_figure_the_current_one_and_the_change(
    client, reader, corrected
):
    client.force_login(reader)
    html = client.get(
        f"/reports/quote/actual/{corrected.id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    # The quote is still what the source says ...
    assert "<mark>技术交易总额8.2亿元</mark>" in html
    # ... and the page says the figure is no longer the quoted one, and who changed it, why.
    assert re.search(r'id="fact-value">.*8\.3亿元', html)
    section = html.split('id="correction"', 1)[1]
    assert '<dd id="original-quote">技术交易总额8.2亿元</dd>' in section
    assert '<dd id="original-value">8.2亿元</dd>' in section
    assert '<dd id="current-value">8.3亿元</dd>' in section
    row = re.search(r'<tr class="change">(.*?)</tr>', section, re.S).group(1)
    assert "8.2亿元 → 8.3亿元" in row
    assert "editor" in row
    assert "统计局年报修订为8.3亿元" in row
    # The time in the site's zone (Asia/Shanghai), as the rest of the site shows it.
    changed_at = timezone.localtime(corrected.updated_at)
    assert changed_at.strftime("%Y-%m-%d %H:%M") in row


def test_an_uncorrected_fact_has_no_correction(client, reader, catalogue, shaoxing):
    doc = document("2018-02-01", text="全年技术交易总额8.2亿元。")
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="tech_contract_value", value="820000000",
        when="2017", doc=doc, quote="技术交易总额8.2亿元",
    )  # fmt: skip
    # Accepting it changes its state, not its figure.
    fact_update(fact=actual, user=None, data={"review_state": "rejected"}, reason="dup")
    client.force_login(reader)
    html = client.get(f"/reports/quote/actual/{actual.id}/").content.decode()
    assert 'id="correction"' not in html
    assert reader_detail(client, actual)["correction"] is None


def reader_detail(client, actual) -> dict:
    return client.get(f"{API}/actuals/{actual.id}/").json()


def test_api_fact_detail_carries_the_correction_and_lists_do_not(reader_client, corrected):
    body = reader_client.get(f"{API}/actuals/{corrected.id}/").json()

    correction = body["correction"]
    assert correction["original_value"] == "820000000"
    assert correction["original_display"] == "8.2亿元"
    assert correction["original_quote"] == "技术交易总额8.2亿元"
    assert correction["current_value"] == "830000000"
    [change] = correction["changes"]
    assert change["by"] == "editor"
    assert change["reason"] == "统计局年报修订为8.3亿元"
    assert change["fields"] == ["value"]
    assert (change["old_display"], change["new_display"]) == ("8.2亿元", "8.3亿元")
    # A list would read every fact's history: it leaves the correction out.
    listed = reader_client.get(f"{API}/actuals/").json()["results"]
    assert [row["correction"] for row in listed] == [None]


def test_history_names_the_extractor_for_changes_without_a_user(reader_client, corrected):
    changes = reader_client.get(f"{API}/actuals/{corrected.id}/history/").json()
    assert [(c["type"], c["by"]) for c in changes] == [
        ("changed", "editor"),
        ("created", "extractor"),
    ]
