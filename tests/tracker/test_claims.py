"""Claims of attainment cross-checked with the computed evaluations, end to end.

Two composed reports are posted through the API as a city would send them: a work plan
with three 2017 targets, then the 2017 summary with the outcomes and what the city says of
them ("完成年度目标的128%", "超额完成全年任务", "各项指标均超额完成"). After the facts are
accepted, the stored evaluations show each claim beside the computed figure and flag the
contradicted ones, in the API, the exports and the auditor's page.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.exports import csv_export_rows
from tracker.attainment.models import Evaluation
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, ReviewState, Target

PLAN = (
    "绍兴市科学技术局2017年科技工作要点\n"
    "二、2017年主要目标\n"
    "新认定高新技术企业150家,全社会研发经费支出达到150亿元,专利授权量突破13000件。\n"
)
SUMMARY = (
    "绍兴市科学技术局2017年科技工作总结\n"
    "2017年,全市新认定高新技术企业160家,完成年度目标的128%;"
    "全社会研发经费支出140亿元,超额完成全年任务;"
    "专利授权量14000件,完成年度目标的107.7%。全年各项指标均超额完成。\n"
)
URL = "/api/v1/attainment/"


def _post(client, text: str, published: str) -> int:
    response = client.post(
        "/api/v1/documents/",
        {"text": text, "jurisdiction": "绍兴市", "published": published},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "done"
    return response.json()["id"]


def _accept_everything(client) -> None:
    for kind, model in (("targets", Target), ("actuals", Actual)):
        for fact in model.objects.filter(review_state=ReviewState.PROPOSED):
            response = client.patch(
                f"/api/v1/{kind}/{fact.id}/", {"review_state": "accepted"}, format="json"
            )
            assert response.status_code == 200, response.content


@pytest.fixture
def reported(transactional_db, catalogue, shaoxing, editor_client):
    """Plan and summary posted and accepted, with the evaluations stored from the start."""
    evaluations_rebuild()
    _post(editor_client, PLAN, "2017-02-10")
    summary = _post(editor_client, SUMMARY, "2018-01-20")
    _accept_everything(editor_client)
    return summary


def _rows(client, **params) -> dict[str, dict]:
    body = client.get(URL, {"jurisdiction": "330600", "year": 2017, **params}).json()
    assert body["evaluation"] == "stored"
    return {row["target"]["indicator"]["code"]: row for row in body["results"]}


def test_each_claim_is_shown_beside_the_computed_figure(reported, reader_client):
    rows = _rows(reader_client)

    # 160 new high-tech firms against 150: met, 106.67 %; the report claims 128 %.
    hitech = rows["hitech_enterprises_new"]
    assert hitech["status"] == "met"
    assert hitech["claim_contradicted"] is True
    assert "claim_contradicted" in hitech["flags"]
    ratio_claim = next(c for c in hitech["claims"] if not c["blanket"])
    assert ratio_claim["quote"] == "完成年度目标的128%"
    assert ratio_claim["document"] == reported
    assert ratio_claim["claimed_ratio"] == 128.0
    assert ratio_claim["computed_ratio"] == 106.67
    assert ratio_claim["difference"] == 21.33
    assert ratio_claim["contradicted"] is True
    assert "claimed 128 %, computed 106.67 %" in ratio_claim["reason"]

    # 140亿 against at least 150亿: missed, while the report says exceeded (twice).
    spending = rows["rd_expenditure"]
    assert spending["status"] == "missed"
    assert spending["claim_contradicted"] is True
    assert {c["quote"] for c in spending["claims"]} == {
        "超额完成全年任务",
        "全年各项指标均超额完成",
    }
    assert all(c["contradicted"] for c in spending["claims"])
    assert all("the target was missed" in c["reason"] for c in spending["claims"])

    # 14000 patents against more than 13000: 107.69 %, claimed 107.7 %: within 1 point.
    patents = rows["patent_grants"]
    assert patents["status"] == "met"
    assert patents["claim_contradicted"] is False
    assert "claim_contradicted" not in patents["flags"]
    assert [c["contradicted"] for c in patents["claims"]] == [False, False]
    assert next(c for c in patents["claims"] if not c["blanket"])["difference"] == 0.01


def test_contradicted_claims_can_be_listed_and_exported(reported, reader_client):
    contradicted = _rows(reader_client, claim_contradicted="true")
    assert set(contradicted) == {"hitech_enterprises_new", "rd_expenditure"}
    assert set(_rows(reader_client, claim_contradicted="false")) == {"patent_grants"}

    response = reader_client.get("/api/v1/attainment/export.csv", {"jurisdiction": "330600"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = {row["indicator"]: row for row in csv_export_rows(text)}
    assert cells["rd_expenditure"]["claim_contradicted"] == "True"
    assert cells["patent_grants"]["claim_contradicted"] == "False"
    assert (
        "«完成年度目标的128%» claimed exceeded 128 %, computed met 106.67 %: contradicted"
        in cells["hitech_enterprises_new"]["claims"]
    )


def test_the_auditors_page_shows_claims_beside_the_figures(reported, client, reader):
    client.force_login(reader)
    html = client.get("/reports/330600/2017/").content.decode()
    assert 'id="claims"' in html
    assert html.count('class="claim contradicted"') == 3  # 128 %, and two for the spending
    assert html.count('class="claim consistent"') == 3  # patents: 107.7 % and the blanket one
    assert "完成年度目标的128%" in html and "106.67%" in html


def test_the_tolerance_is_a_setting(reported, reader_client, settings):
    settings.ATTAINMENT = {**settings.ATTAINMENT, "CLAIM_TOLERANCE_PP": 25}
    body = reader_client.get(URL, {"jurisdiction": "330600", "year": 2017}).json()
    assert body["evaluation"] == "live"
    hitech = next(
        r for r in body["results"] if r["target"]["indicator"]["code"] == "hitech_enterprises_new"
    )
    assert hitech["claim_contradicted"] is False


def test_claims_keep_the_stored_evaluations_current(reported, editor_client):
    out = StringIO()
    call_command("evaluations_rebuild", "--check", stdout=out)
    assert "every stored evaluation is current" in out.getvalue()

    # The spending figure corrected to 160亿: the target is met, the claims now hold.
    actual = Actual.objects.get(indicator__code="rd_expenditure")
    response = editor_client.patch(
        f"/api/v1/actuals/{actual.id}/",
        {"value": "16000000000", "change_reason": "corrected"},
        format="json",
    )
    assert response.status_code == 200
    evaluation = Evaluation.objects.get(target__indicator__code="rd_expenditure")
    assert evaluation.status == "met" and evaluation.claim_contradicted is False

    # The summary re-dated after today: its claims (and facts) are not known yet.
    response = editor_client.post(f"/api/v1/documents/{reported}/reextract/", {}, format="json")
    assert response.status_code == 202
    call_command("evaluations_rebuild", "--check", stdout=StringIO())


def test_deleting_a_document_of_claims_keeps_the_evaluations_current(
    reported, editor_client, client, admin_user
):
    # A note of the bureau that says only that everything was exceeded.
    note = _post(editor_client, "绍兴市2017年工作总结\n全年各项指标均超额完成。\n", "2018-01-25")
    patents = Evaluation.objects.get(target__indicator__code="patent_grants")
    assert len(patents.claims) == 3

    client.force_login(admin_user)
    response = client.post(f"/admin/ingest/sourcedocument/{note}/delete/", {"post": "yes"})

    assert response.status_code == 302
    patents.refresh_from_db()
    assert len(patents.claims) == 2
    call_command("evaluations_rebuild", "--check", stdout=StringIO())
