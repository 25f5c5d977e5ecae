"""What an admin reads: records labelled by their own id, values as reports write them, a
history naming who changed what in the site's time zone, a review queue that shows each
quote beside its value, and documents extracted again on request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ingest.models import IngestStatus, SourceDocument
from ingest.services import PUBLISHED_FIGURES
from tests.tracker.attainment_support import document, fact
from tracker.models import Actual, ReviewState
from tracker.services import fact_update


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def extracted(catalogue, shaoxing):
    """A report's two proposed facts, as the extractor leaves them (no user)."""
    doc = document(
        "2018-02-01",
        title="绍兴市2017年科技工作总结",
        text="2017年,全社会研发经费支出131.5亿元,同比增长12.4%;发明专利授权量2200件。",
    )
    # Other rows first, so that no id coincides with an indicator's id by chance.
    for year in ("2010", "2011", "2012"):
        fact(Actual, jurisdiction=shaoxing, indicator="patent_grants", value=1, when=year)
    proposed = ReviewState.PROPOSED
    expenditure = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="13150000000",
        when="2017", doc=doc, quote="全社会研发经费支出131.5亿元", review_state=proposed,
    )  # fmt: skip
    grants = fact(
        Actual, jurisdiction=shaoxing, indicator="invention_patent_grants", value="2200",
        when="2017", doc=doc, quote="发明专利授权量2200件", review_state=proposed,
    )  # fmt: skip
    return expenditure, grants


def test_a_fact_is_labelled_by_its_own_id_and_figure(extracted):
    expenditure, grants = extracted
    assert str(expenditure) == f"Actual {expenditure.pk}: rd_expenditure 131.5亿元 (2017)"
    assert str(grants) == f"Actual {grants.pk}: invention_patent_grants 2,200 (2017)"
    assert expenditure.indicator_id != expenditure.pk


def test_change_list_shows_values_as_reports_write_them_in_few_columns(admin_client, extracted):
    html = admin_client.get(reverse("admin:tracker_actual_changelist")).content.decode()
    assert "131.5亿元" in html and "2,200" in html
    assert "13150000000.000000" not in html
    header = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert header.count("<th scope") == 9  # the checkbox and eight narrow columns
    long = "很长的引文" * 20
    doc = document("2018-03-01", text=f"引文:{long}")
    fact(
        Actual, jurisdiction=extracted[0].jurisdiction, indicator="rd_personnel", value=1,
        when="2016", doc=doc, quote=long,
    )  # fmt: skip
    html = admin_client.get(reverse("admin:tracker_actual_changelist")).content.decode()
    assert f"“{long}”" not in html  # cut short in the list; whole in its title and its page


def test_history_names_the_extractor_and_shows_local_times(admin_client, extracted, admin_user):
    expenditure, _ = extracted
    fact_update(fact=expenditure, user=admin_user, data={"review_state": "accepted"})
    fact_update(
        fact=Actual.objects.get(pk=expenditure.pk),
        user=admin_user,
        data={"value": Decimal("13250000000")},
        reason="年报修订",
    )
    url = reverse("admin:tracker_actual_history", args=[expenditure.pk])
    html = admin_client.get(url).content.decode()

    assert "Deleted user" not in html and "pk=None" not in html
    authors = re.findall(r'<td class="history-author">(.*?)</td>', html)
    assert authors == [admin_user.username, admin_user.username, "extractor"]
    assert "131.5亿元&nbsp;&rarr;&nbsp;132.5亿元" in html
    # Every time in the site's zone (Asia/Shanghai): none in UTC beside them.
    assert "+00:00" not in html and "UTC" not in html
    assert re.search(r'<td class="history-date">\d{4}-\d\d-\d\d \d\d:\d\d CST</td>', html)


def test_review_queue_shows_each_quote_beside_its_value_and_accepts_with_one_click(
    admin_client, extracted, admin_user
):
    expenditure, grants = extracted
    url = reverse("admin:tracker_actual_review")
    html = admin_client.get(url).content.decode()

    row = re.search(rf'<tr class="proposed" id="fact-{expenditure.pk}">(.*?)</tr>', html, re.S)
    cells = row.group(1)
    assert '<td class="figure">131.5亿元</td>' in cells
    assert "<mark>全社会研发经费支出131.5亿元</mark>" in cells
    assert "绍兴市2017年科技工作总结" in cells
    assert html.count('class="proposed"') == 2

    response = admin_client.post(url, {"fact": expenditure.pk, "decision": "accepted"}, follow=True)

    accepted = Actual.objects.get(pk=expenditure.pk)
    assert accepted.review_state == ReviewState.ACCEPTED
    assert accepted.reviewed_by == admin_user
    page = response.content.decode()
    assert f"Actual {expenditure.pk} accepted: 131.5亿元." in page
    assert page.count('class="proposed"') == 1 and f'id="fact-{grants.pk}"' in page


def test_review_queue_is_for_those_who_may_change_facts(client, reader, extracted):
    expenditure, _ = extracted
    url = reverse("admin:tracker_actual_review")
    client.force_login(reader)
    assert client.get(url).status_code == 302  # not staff: to the admin login
    client.post(url, {"fact": expenditure.pk, "decision": "accepted"})
    clerk = User.objects.create_user("clerk", password="pw-clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403  # staff without the permission to change facts
    client.post(url, {"fact": expenditure.pk, "decision": "accepted"})
    assert Actual.objects.get(pk=expenditure.pk).review_state == ReviewState.PROPOSED


def test_reextract_action_queues_documents_and_leaves_published_figures_alone(
    admin_client, extracted, django_capture_on_commit_callbacks
):
    report = extracted[0].source_document
    published = SourceDocument.objects.create(
        title="统计简表", text="统计简表 1321", sha256="f" * 64, status=IngestStatus.DONE,
        source_url="http://example.org/t.html", extractor_version=PUBLISHED_FIGURES,
    )  # fmt: skip
    url = reverse("admin:ingest_sourcedocument_changelist")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(
            url,
            {"action": "reextract_selected", "_selected_action": [report.pk, published.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "1 document(s) queued for extraction again." in page
    assert "1 document(s) left alone" in page
    assert SourceDocument.objects.get(pk=report.pk).status == IngestStatus.QUEUED
    assert SourceDocument.objects.get(pk=published.pk).status == IngestStatus.DONE
    assert len(queued) == 1
