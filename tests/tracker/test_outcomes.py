"""The demo's published outcomes: real figures with their source pages, judged against the
seed targets, and the report page's charts when nothing can be judged."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ingest.models import SourceDocument
from ingest.services import NOT_EXTRACTABLE, outcomes_load
from tracker.attainment.charts import NO_DATA
from tracker.attainment.models import Evaluation
from tracker.models import Actual, ReviewState

OUTCOMES = Path(settings.BASE_DIR) / "seeds" / "outcomes.yaml"
WUHAN_REPORT = Path(settings.BASE_DIR) / "seeds" / "reports" / "004_c096fae1138b346c.txt"


@pytest.fixture
def wuhan_2014(catalogue, wuhan, django_capture_on_commit_callbacks):
    """Wuhan's 2014 targets, as `make demo` ingests them from the seed report."""
    call_command("evaluations_rebuild", stdout=StringIO())
    # The extraction is queued when the submission commits (here: run where it would be).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(WUHAN_REPORT), "--accept", stdout=StringIO())


def _statuses() -> Counter:
    return Counter(Evaluation.objects.filter(jurisdiction__code="420100").values_list("status"))


def test_every_outcome_quotes_its_figure_and_names_its_page():
    sources = yaml.safe_load(OUTCOMES.read_text(encoding="utf-8"))["sources"]
    assert sources
    for source in sources:
        assert source["url"].startswith("http")
        for outcome in source["outcomes"]:
            assert str(outcome["value"]) in outcome["quote"]


def test_wuhan_2014_targets_are_judged_met_and_missed_with_their_sources(
    wuhan_2014, reader, admin_user, client
):
    assert set(_statuses()) == {("no_data",)}

    out = StringIO()
    call_command("load_outcomes", stdout=out)

    assert "7 actuals stored from 2 sources" in out.getvalue()
    assert _statuses() == Counter({("met",): 4, ("missed",): 3, ("no_data",): 2})
    # The 2014 count of high-tech enterprises, read from the bureau's statistics table.
    actual = Actual.objects.get(indicator__code="hitech_enterprises_total", period_end__year=2014)
    assert actual.value == 1321
    assert actual.review_state == ReviewState.ACCEPTED
    document = actual.source_document
    assert document.source_url.startswith("http://kjj.wuhan.gov.cn/")
    assert document.text[actual.span_start : actual.span_end] == actual.quote
    assert "1321" in actual.quote
    client.force_login(reader)
    html = client.get(f"/reports/quote/actual/{actual.id}/").content.decode()
    assert f'href="{document.source_url}"' in html
    assert f"<mark>{actual.quote}</mark>" in html
    # The admin's change form links the page too.
    client.force_login(admin_user)
    form = client.get(f"/admin/tracker/actual/{actual.id}/change/").content.decode()
    assert f'<a href="{document.source_url}"' in form
    # 亿元 as the page writes it, stored in yuan.
    assert Actual.objects.get(indicator__code="tech_contract_value").value == 34289000000


def test_loading_again_stores_nothing_new(wuhan_2014):
    call_command("load_outcomes", stdout=StringIO())
    out = StringIO()
    call_command("load_outcomes", stdout=out)
    assert "0 actuals stored" in out.getvalue() and "7 already stored" in out.getvalue()
    assert Actual.objects.count() == 7
    assert SourceDocument.objects.exclude(source_url="").count() == 2


def test_a_quote_that_does_not_state_its_figure_is_refused_and_nothing_stored(wuhan_2014):
    source = {
        "url": "http://example.org/bulletin.html",
        "title": "bulletin",
        "published": "2015-02-06",
        "jurisdiction": "420100",
        "outcomes": [
            {"indicator": "hitech_enterprises_new", "year": 2014, "value": "163", "unit": "家",
             "quote": "新增高新技术企业163家"},
            {"indicator": "hitech_output", "year": 2014, "value": "6800", "unit": "亿元",
             "quote": "高新技术产业产值6725亿元"},
        ],
    }  # fmt: skip
    with pytest.raises(ValidationError, match="does not state the value 6800"):
        outcomes_load(sources=[source], origin="test")
    assert not Actual.objects.exists()
    assert not SourceDocument.objects.filter(source_url__startswith="http://example.org").exists()


def test_report_page_says_no_data_instead_of_empty_axes(wuhan_2014, reader, client):
    client.force_login(reader)
    html = client.get("/reports/420100/2014/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count(str(NO_DATA)) >= 2  # the attainment and the growth-gap chart
    assert "100%</text>" not in html  # no axis drawn for bars that are not there

    call_command("load_outcomes", stdout=StringIO())

    html = client.get("/reports/420100/2014/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    attainment = html.split("Attainment ratio by indicator", 1)[1].split("</svg>", 1)[0]
    assert str(NO_DATA) not in attainment
    assert 'data-target="' in attainment and "100%</text>" in attainment


def test_a_document_of_published_figures_is_not_extracted_again(wuhan_2014, editor_client):
    call_command("load_outcomes", stdout=StringIO())
    document = SourceDocument.objects.exclude(source_url="").first()
    figures = Actual.objects.filter(source_document=document).count()

    response = editor_client.post(
        f"/api/v1/documents/{document.pk}/reextract/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert str(NOT_EXTRACTABLE) in response.content.decode()
    assert SourceDocument.objects.get(pk=document.pk).status == "done"
    assert Actual.objects.filter(source_document=document).count() == figures > 0


def test_a_bad_outcomes_file_is_refused_in_one_line(wuhan_2014, tmp_path):
    with pytest.raises(CommandError, match="not an outcomes file"):
        call_command("load_outcomes", str(tmp_path / "missing.yaml"), stdout=StringIO())
    bad = tmp_path / "outcomes.yaml"
    bad.write_text(
        "sources:\n"
        "  - url: http://example.org/b.html\n"
        "    title: b\n"
        "    published: 2015-02-06\n"
        '    jurisdiction: "420100"\n'
        "    outcomes:\n"
        "      - {indicator: no_such_indicator, year: 2014, value: '1', quote: '1家'}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="unknown indicator 'no_such_indicator'"):
        call_command("load_outcomes", str(bad), stdout=StringIO())
    assert not Actual.objects.exists()
