"""Submitting reports through the API: storage, extraction, idempotency and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import PROGRESS_DONE, PROGRESS_STEP, IngestStatus, SourceDocument
from ingest.services import CATALOGUE_EMPTY
from tests.factories import SourceDocumentFactory
from tests.ingest.documents import OLE_HEADER, docx_report, pdf_with_text, scanned_pdf
from tracker import services as tracker_services
from tracker.models import Actual, Jurisdiction, ReviewState, Target

# Transactional: the extraction is queued when the submission commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/documents/"


@pytest.fixture
def ready(catalogue, shaoxing, editor_client):
    return editor_client


def _fact_counts() -> tuple[int, int]:
    return Target.objects.count(), Actual.objects.count()


def test_posted_text_is_stored_extracted_and_traced_to_its_quote(ready, small_report):
    response = ready.post(URL, {"text": small_report, "title": "要点"}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["status"] == IngestStatus.DONE
    assert body["jurisdiction"]["name_zh"] == "绍兴市"
    target = Target.objects.get(indicator__code="rd_expenditure", source_document_id=body["id"])
    assert target.value == Decimal("17000000000")
    assert (target.period_start.isoformat(), target.period_end.isoformat()) == (
        "2018-01-01",
        "2018-12-01",
    )
    assert target.review_state == ReviewState.PROPOSED
    assert small_report[target.span_start : target.span_end] == target.quote
    actual = Actual.objects.get(indicator__code="patent_grants", source_document_id=body["id"])
    assert actual.value == Decimal("12345")
    assert actual.period_start.year == 2017
    shown = {(f["indicator"], f["value"]) for f in body["targets"]}
    assert ("rd_expenditure", "17000000000") in shown


def test_posting_the_same_text_again_returns_the_existing_document(ready, small_report):
    first = ready.post(URL, {"text": small_report}, format="json").json()
    counts = _fact_counts()

    again = ready.post(URL, {"text": small_report, "title": "other"}, format="json")

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert SourceDocument.objects.count() == 1
    assert _fact_counts() == counts


def test_gbk_file_upload_is_decoded(ready, small_report):
    upload = SimpleUploadedFile("report.txt", small_report.encode("gbk"), "text/plain")

    response = ready.post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 202
    document = SourceDocument.objects.get(pk=response.json()["id"])
    assert document.text.startswith("绍兴市科学技术局")
    assert document.filename == "report.txt"


def test_html_upload_is_reduced_to_text_without_script(ready, small_report):
    markup = (
        "<html><head><script>alert('x')</script></head><body><p>"
        + small_report.replace("\n", "</p><p>")
        + "</p></body></html>"
    )
    upload = SimpleUploadedFile("report.html", markup.encode(), "text/html")

    response = ready.post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 202
    text = SourceDocument.objects.get(pk=response.json()["id"]).text
    assert "alert" not in text and "<" not in text
    assert "力争全社会研发经费支出达到170亿元" in text


def test_pdf_and_word_uploads_are_read_and_extracted(ready, shaoxing):
    lines = ["2017年工作总结", "2017年,全市新认定高新技术企业160家,技术合同成交额达到28亿元。"]
    for upload in (
        SimpleUploadedFile("report.pdf", pdf_with_text([lines]), "application/pdf"),
        SimpleUploadedFile(
            "report.docx",
            docx_report([*lines, "专利授权量达到6000件。"]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ):
        response = ready.post(URL, {"file": upload, "jurisdiction": "绍兴市"}, format="multipart")

        assert response.status_code == 202, response.json()
        document = SourceDocument.objects.get(pk=response.json()["id"])
        assert document.title == "2017年工作总结"
        actual = Actual.objects.get(
            source_document=document, indicator__code="hitech_enterprises_new"
        )
        assert actual.value == Decimal(160)
        assert document.text[actual.span_start : actual.span_end] == actual.quote


@pytest.mark.parametrize(
    ("payload", "fmt", "message"),
    [
        ({"text": "   \n "}, "json", "empty"),
        ({"text": ""}, "json", "empty"),
        ({}, "json", "either the report text"),
        (
            {"file": SimpleUploadedFile("broken.pdf", b"%PDF-1.4 ...", "application/pdf")},
            "multipart",
            "PDF file cannot be read",
        ),
        (
            {"file": SimpleUploadedFile("scan.pdf", scanned_pdf(), "application/pdf")},
            "multipart",
            "no text layer",
        ),
        (
            {"file": SimpleUploadedFile("old.doc", OLE_HEADER, "application/msword")},
            "multipart",
            "save it as .docx or PDF",
        ),
        (
            {"file": SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04", "application/zip")},
            "multipart",
            "Unsupported file type",
        ),
        (
            {"file": SimpleUploadedFile("x.txt", bytes(range(256)) * 8, "text/plain")},
            "multipart",
            "not text",
        ),
    ],
    ids=["blank", "empty", "nothing", "broken-pdf", "scanned-pdf", "doc", "xlsx", "binary"],
)
def test_bad_submissions_are_refused_with_a_message_and_store_nothing(ready, payload, fmt, message):
    response = ready.post(URL, payload, format=fmt)

    assert response.status_code == 400
    assert message.lower() in response.json()["message"].lower()
    assert SourceDocument.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(ready, settings, small_report):
    settings.INGEST_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("big.txt", small_report.encode() * 3, "text/plain")

    response = ready.post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert "limit is 100 bytes" in response.json()["message"]
    assert SourceDocument.objects.count() == 0


def test_an_unknown_request_content_type_is_a_400(ready):
    response = ready.generic("POST", URL, "a,b\n1,2", content_type="text/csv")

    assert response.status_code == 400
    assert "Unsupported content type" in response.json()["message"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("nobody", 403), ("reader", 403), ("editor", 202), ("admin", 202)],
)
def test_only_editors_and_admins_may_submit(
    catalogue, shaoxing, role_clients, role, expected, small_report
):
    response = role_clients[role].post(URL, {"text": small_report}, format="json")

    assert response.status_code == expected


def test_readers_see_documents_and_their_facts(
    catalogue, shaoxing, editor_client, reader_client, small_report
):
    posted = editor_client.post(URL, {"text": small_report}, format="json").json()

    listing = reader_client.get(URL)
    detail = reader_client.get(posted["url"])

    assert listing.status_code == 200
    assert listing.json()["results"][0]["target_count"] == len(posted["targets"])
    assert "text" not in listing.json()["results"][0]
    assert detail.json()["text"] == small_report


def test_jurisdiction_given_by_name_is_used(ready, wuhan, small_report):
    response = ready.post(URL, {"text": small_report, "jurisdiction": "武汉市"}, format="json")

    assert response.json()["jurisdiction"]["code"] == "420100"
    assert set(Target.objects.values_list("jurisdiction__name_zh", flat=True)) == {"武汉市"}


def test_an_unknown_jurisdiction_from_an_admin_is_created_as_proposed(
    catalogue, shaoxing, admin_client_api, small_report
):
    response = admin_client_api.post(
        URL, {"text": small_report, "jurisdiction": "新安市"}, format="json"
    )

    created = Jurisdiction.objects.get(name_zh="新安市")
    assert created.review_state == ReviewState.PROPOSED
    assert response.json()["jurisdiction"]["id"] == created.pk


def test_a_document_without_a_recognisable_jurisdiction_fails_and_can_be_retried(ready, shaoxing):
    text = "2018年主要目标\n力争全社会研发经费支出达到170亿元。\n"

    posted = ready.post(URL, {"text": text}, format="json").json()

    assert posted["status"] == IngestStatus.FAILED
    assert "jurisdiction" in posted["error"]
    retried = ready.post(f"{posted['url']}reextract/", {"jurisdiction": "330600"}, format="json")
    assert retried.status_code == 202
    assert retried.json()["status"] == IngestStatus.DONE
    assert Target.objects.filter(source_document_id=posted["id"]).count() >= 1


def test_reextraction_keeps_what_people_accepted_or_edited(ready, editor, small_report):
    posted = ready.post(URL, {"text": small_report}, format="json").json()
    doc_id = posted["id"]
    edited = Target.objects.get(source_document_id=doc_id, indicator__code="rd_expenditure")
    tracker_services.fact_update(
        fact=edited, user=editor, data={"value": Decimal("17100000000")}, reason="checked"
    )
    accepted = Actual.objects.get(source_document_id=doc_id, indicator__code="patent_grants")
    tracker_services.facts_review(
        model=Actual, ids=[accepted.pk], review_state=ReviewState.ACCEPTED, user=editor
    )
    # An older extractor's misreading of a fact nobody has reviewed yet:
    untouched = Actual.objects.get(source_document_id=doc_id, indicator__code="rd_expenditure")
    Actual.objects.filter(pk=untouched.pk).update(value=Decimal("1"))
    counts = _fact_counts()

    response = ready.post(f"/api/v1/documents/{doc_id}/reextract/", {}, format="json")

    assert response.status_code == 202
    assert Target.objects.get(pk=edited.pk).value == Decimal("17100000000")
    assert Actual.objects.get(pk=accepted.pk).review_state == ReviewState.ACCEPTED
    assert Actual.objects.get(pk=untouched.pk).value == Decimal("15000000000")
    assert _fact_counts() == counts


def test_running_the_task_twice_stores_the_facts_once(ready, small_report):
    from ingest.tasks import extract_document

    doc_id = ready.post(URL, {"text": small_report}, format="json").json()["id"]
    counts = _fact_counts()

    extract_document.apply(args=[doc_id])
    extract_document.apply(args=[doc_id])

    assert _fact_counts() == counts
    assert SourceDocument.objects.get(pk=doc_id).attempts == 3


def test_auto_accept_above_the_confidence_threshold(ready, settings, small_report):
    settings.INGEST_AUTO_ACCEPT_CONFIDENCE = 0.0

    ready.post(URL, {"text": small_report}, format="json")

    assert not Target.objects.exclude(review_state=ReviewState.ACCEPTED).exists()


def test_document_list_query_count_does_not_grow_with_rows(
    ready, reader_client, django_assert_max_num_queries, small_report
):
    for n in range(5):
        ready.post(URL, {"text": small_report + f"附件{n}"}, format="json")

    # auth token + user groups + count + page: the same for 5 documents or 500.
    with django_assert_max_num_queries(4):
        response = reader_client.get(URL)

    assert response.json()["count"] == 5


def test_claims_of_attainment_are_stored_with_the_document_and_shown(ready, shaoxing):
    report = (
        "2017年工作总结\n2017年,全市新认定高新技术企业160家,完成年度目标的128%;"
        "各项指标均超额完成全年任务。"
    )
    body = ready.post(URL, {"text": report, "jurisdiction": "绍兴市"}, format="json").json()

    detail = ready.get(f"{URL}{body['id']}/").json()
    claims = {(c["indicator"], c["status"], c["ratio"]) for c in detail["claims"]}
    assert ("hitech_enterprises_new", "exceeded", "128") in claims
    assert (None, "exceeded", None) in claims
    for claim in detail["claims"]:
        start, end = claim["span"]
        assert report[start:end] == claim["quote"]

    # Re-extraction replaces the claims rather than adding to them.
    ready.post(f"{URL}{body['id']}/reextract/", {}, format="json")
    again = ready.get(f"{URL}{body['id']}/").json()
    assert len(again["claims"]) == len(detail["claims"])


def test_admin_shows_a_documents_claims(ready, shaoxing, admin_user, client):
    report = "2017年工作总结\n2017年,全市新认定高新技术企业160家,完成年度目标的128%。"
    body = ready.post(URL, {"text": report, "jurisdiction": "绍兴市"}, format="json").json()
    client.force_login(admin_user)

    page = client.get(f"/admin/ingest/sourcedocument/{body['id']}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "hitech_enterprises_new" in html and "完成年度目标的128%" in html


@pytest.mark.parametrize("name", ["绍兴县", "<img src=x onerror=alert(1)>"])
def test_an_editor_naming_an_unknown_jurisdiction_is_refused_with_close_matches(
    ready, small_report, name
):
    jurisdictions = Jurisdiction.objects.count()

    response = ready.post(URL, {"text": small_report, "jurisdiction": name}, format="json")

    assert response.status_code == 400
    message = response.json()["fields"]["jurisdiction"][0]
    assert "only an admin may create one" in message
    if name == "绍兴县":
        assert "绍兴市 (330600)" in message  # the close match, to pick instead
    assert Jurisdiction.objects.count() == jurisdictions
    assert not SourceDocument.objects.exists()


def test_an_editor_cannot_create_a_jurisdiction_by_reextracting(ready, shaoxing):
    document = SourceDocumentFactory(jurisdiction=shaoxing)

    response = ready.post(f"{URL}{document.pk}/reextract/", {"jurisdiction": "Shaoxin"})

    assert response.status_code == 400
    assert "绍兴市 (330600)" in response.json()["fields"]["jurisdiction"][0]
    assert not Jurisdiction.objects.filter(name_zh="Shaoxin").exists()


def test_options_describes_what_a_submission_takes(ready):
    described = ready.options(URL, HTTP_ACCEPT_LANGUAGE="en").json()["actions"]["POST"]

    assert set(described) == {"text", "file", "title", "jurisdiction", "published"}
    # Neither is required on its own: a submission sends one of them.
    assert described["text"]["required"] is False
    assert described["file"]["required"] is False
    assert described["file"]["type"] == "file upload"
    assert not any(field["required"] for field in described.values())


def test_a_posted_documents_progress_ends_done_with_its_counts(ready, small_report):
    body = ready.post(URL, {"text": small_report}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    progress = body.json()["progress"]
    stored = Target.objects.count() + Actual.objects.count()
    assert progress["step"] == "done"
    assert (progress["step_number"], progress["steps"]) == (3, 3)
    assert progress["facts_stored"] == stored > 0
    assert progress["facts_found"] >= stored
    assert progress["started_at"] <= progress["finished_at"]
    assert progress["message"] == str(PROGRESS_DONE).format(
        found=progress["facts_found"], stored=stored
    )


def test_a_queued_documents_progress_says_it_waits(ready, shaoxing):
    document = SourceDocumentFactory(jurisdiction=shaoxing, status=IngestStatus.QUEUED)

    listed = ready.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    progress = ready.get(f"{URL}{document.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["progress"]

    assert listed["progress"] == progress
    assert (progress["step"], progress["step_number"]) == ("queued", 1)
    assert progress["facts_found"] is None and progress["facts_stored"] is None
    assert progress["message"] == str(PROGRESS_STEP[IngestStatus.QUEUED])


def test_reextracting_starts_the_progress_again(ready, small_report):
    document_id = ready.post(URL, {"text": small_report}, format="json").json()["id"]
    SourceDocument.objects.filter(pk=document_id).update(status=IngestStatus.FAILED, error="x")
    found = SourceDocument.objects.get(pk=document_id).facts_found

    progress = ready.post(f"{URL}{document_id}/reextract/").json()["progress"]

    # Eager tasks: queued again, then run to the end with the same counts.
    assert progress["step"] == "done"
    assert progress["facts_found"] == found


def test_admin_lists_each_documents_progress(ready, small_report, admin_user, client):
    ready.post(URL, {"text": small_report}, format="json")
    document = SourceDocument.objects.get()
    client.force_login(admin_user)

    page = client.get("/admin/ingest/sourcedocument/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    expected = str(PROGRESS_DONE).format(found=document.facts_found, stored=document.facts_stored)
    assert expected in page.content.decode()


def test_a_report_posted_while_the_catalogue_is_empty_fails_naming_the_fix(
    editor_client, shaoxing, small_report
):
    response = editor_client.post(URL, {"text": small_report, "jurisdiction": "330600"})

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == IngestStatus.FAILED
    assert body["error"] == CATALOGUE_EMPTY
    assert body["progress"]["facts_found"] > 0
    assert _fact_counts() == (0, 0)
