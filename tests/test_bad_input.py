"""Bad input answers a 400 naming what is wrong, and nothing is stored, changed or lost."""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings

from indicators.models import Indicator
from ingest.models import SourceDocument
from tests.factories import ActualFactory, SourceDocumentFactory, TargetFactory, rd_expenditure
from tracker.models import Actual, Jurisdiction, ReviewState, Target
from tracker.rest.input import (
    NOT_A_WHOLE_NUMBER,
    NOT_ASCII_DIGITS,
    NOT_TEXT,
    NUL_IN_TEXT,
    is_whole_number,
)

REPORT = "绍兴市2018年科技工作要点\n力争全社会研发经费支出达到170亿元。\n"


def _refused(response, field: str, message) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert str(message) in body["fields"][field]


@pytest.mark.parametrize(
    ("kind", "model", "factory"),
    [
        ("actuals", Actual, ActualFactory),
        ("targets", Target, TargetFactory),
    ],
)
def test_a_nul_in_a_deletion_reason_is_refused_and_nothing_is_deleted(
    kind, model, factory, editor_client, catalogue, shaoxing
):
    fact = factory(
        jurisdiction=shaoxing, indicator=rd_expenditure(), review_state=ReviewState.ACCEPTED
    )

    response = editor_client.delete(f"/api/v1/{kind}/{fact.pk}/?reason=a%00b")

    _refused(response, "reason", NUL_IN_TEXT)
    assert model.objects.filter(pk=fact.pk).exists()


def test_a_nul_in_a_filter_is_refused(reader_client, db):
    response = reader_client.get("/api/v1/targets/?jurisdiction=%E7%BB%8D%00")

    _refused(response, "jurisdiction", NUL_IN_TEXT)


def _target_body(shaoxing, **changes) -> dict:
    """A valid target of Shaoxing's to post, with some fields changed."""
    body = {
        "jurisdiction": shaoxing.pk,
        "indicator": "rd_expenditure",
        "value": "17000000000",
        "period_start": "2018-01",
        "period_end": "2018-12",
    }
    return body | changes


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_stored(editor_client, catalogue, shaoxing):
    body = _target_body(shaoxing, quote="研发\x00经费")

    response = editor_client.post("/api/v1/targets/", body, format="json")

    _refused(response, "quote", NUL_IN_TEXT)
    assert not Target.objects.exists()


def test_a_nul_in_a_form_upload_is_refused(admin_client_api, db):
    body = {"text": REPORT.replace("研发", "研\x00发"), "title": "测试"}

    response = admin_client_api.post("/api/v1/documents/", body, format="multipart")

    _refused(response, "text", NUL_IN_TEXT)
    assert not SourceDocument.objects.exists()


@pytest.mark.parametrize("form", ["multipart", None])
def test_writes_other_than_report_uploads_take_json_only(form, admin_client_api, db):
    body = {"name_zh": "测试市", "level": "prefecture"}

    if form:
        response = admin_client_api.post("/api/v1/jurisdictions/", body, format=form)
    else:
        response = admin_client_api.post(
            "/api/v1/jurisdictions/",
            "name_zh=%E6%B5%8B%E8%AF%95%E5%B8%82&level=prefecture",
            content_type="application/x-www-form-urlencoded",
        )

    assert response.status_code == 415, response.content
    assert not Jurisdiction.objects.exists()


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("value", "١٧٠٠٠٠٠٠٠٠٠"),  # Arabic-Indic digits: Decimal() reads them
        ("value", "１７０００００００００"),  # full-width digits
        ("jurisdiction", "{digits}"),  # the id in full-width digits: int() reads them
    ],
)
def test_a_number_written_in_other_digits_is_refused_and_nothing_is_stored(
    field, written, editor_client, catalogue, shaoxing
):
    full_width = str(shaoxing.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    body = _target_body(shaoxing, **{field: written.format(digits=full_width)})

    response = editor_client.post("/api/v1/targets/", body, format="json")

    _refused(response, field, NOT_ASCII_DIGITS)
    assert not Target.objects.exists()


def test_a_version_written_in_other_digits_is_refused_and_nothing_is_changed(
    editor_client, catalogue, shaoxing
):
    target = TargetFactory(jurisdiction=shaoxing, indicator=rd_expenditure())

    response = editor_client.patch(
        f"/api/v1/targets/{target.pk}/", {"value": "18000000000", "version": "１"}, format="json"
    )

    _refused(response, "version", NOT_ASCII_DIGITS)
    target.refresh_from_db()
    assert target.value != 18000000000


@pytest.mark.parametrize("jurisdiction", ["²", "٣", "３"])
def test_a_jurisdiction_written_in_other_digits_is_refused_when_posting_a_report(
    jurisdiction, admin_client_api, catalogue, shaoxing
):
    jurisdictions = Jurisdiction.objects.count()

    response = admin_client_api.post(
        "/api/v1/documents/", {"text": REPORT, "jurisdiction": jurisdiction}, format="json"
    )

    _refused(response, "jurisdiction", NOT_A_WHOLE_NUMBER)
    assert not SourceDocument.objects.exists()
    assert Jurisdiction.objects.count() == jurisdictions


def test_a_jurisdiction_written_in_other_digits_is_refused_when_reextracting(
    admin_client_api, catalogue, shaoxing
):
    document = SourceDocumentFactory(jurisdiction=shaoxing)

    response = admin_client_api.post(
        f"/api/v1/documents/{document.pk}/reextract/", {"jurisdiction": "²"}, format="json"
    )

    _refused(response, "jurisdiction", NOT_A_WHOLE_NUMBER)
    document.refresh_from_db()
    assert document.jurisdiction == shaoxing


def test_a_json_number_is_not_report_text(editor_client, catalogue, shaoxing):
    response = editor_client.post("/api/v1/documents/", {"text": 12345}, format="json")

    _refused(response, "text", NOT_TEXT)
    assert not SourceDocument.objects.exists()


def test_a_json_number_is_not_a_name(admin_client_api, db):
    body = {"name_zh": 330600, "level": "prefecture"}

    response = admin_client_api.post("/api/v1/jurisdictions/", body, format="json")

    _refused(response, "name_zh", NOT_TEXT)
    assert not Jurisdiction.objects.exists()


@pytest.mark.parametrize(
    ("text", "whole"),
    [("330600", True), ("0", True), ("²", False), ("٣", False), ("３", False), ("", False)],
)
def test_only_digits_0_to_9_make_a_whole_number(text, whole):
    assert is_whole_number(text) is whole


# The contract: what the schema refuses, the API refuses, naming the parameter.


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/attainment/?parent=330600",
        "/api/v1/targets/?jurisdiction_code=330600",
        "/api/v1/documents/?publishd_before=2018-01-01",
        "/api/v1/attainment/summary/?parent=330600",
        "/api/v1/attainment/export.csv?parent=330600",
    ],
)
def test_an_unknown_query_parameter_is_refused_by_name(url, reader_client, catalogue):
    name = url.split("?")[1].split("=")[0]

    response = reader_client.get(url)

    assert response.status_code == 400, response.content
    assert name in response.json()["fields"]
    assert "Unknown query parameter" in response.json()["message"]


def test_an_unknown_query_parameter_is_refused_on_the_webhook_list(admin_client_api):
    response = admin_client_api.get("/api/v1/webhooks/?event=document.done")

    assert response.status_code == 400, response.content
    assert "event" in response.json()["fields"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/attainment/summary/?as_of=",
        "/api/v1/attainment/?as_of=",
        "/api/v1/documents/?published_before=",
        "/api/v1/targets/?measure=",
        "/api/v1/targets/?year=",
        "/api/v1/targets/?include_descendants=null",
        "/api/v1/indicators/?page_size=null",
        "/api/v1/indicators/?page_size=0",
        "/api/v1/jurisdictions/?page_size=1001",
    ],
)
def test_a_typed_query_parameter_without_a_proper_value_is_refused(url, reader_client, catalogue):
    name = url.split("?")[1].split("=")[0]

    response = reader_client.get(url)

    assert response.status_code == 400, response.content
    assert name in response.json()["fields"]


def test_known_parameters_and_empty_text_filters_still_work(reader_client, catalogue):
    response = reader_client.get(
        "/api/v1/targets/?jurisdiction=&ordering=-period_end&page=1&page_size=5&format=json"
    )

    assert response.status_code == 200, response.content


def test_indicator_aliases_are_a_json_list_not_a_form_field(admin_client_api, catalogue):
    body = {"code": "form_aliases", "name_zh": "测试", "name_en": "Test", "unit": "CNY"}

    response = admin_client_api.post(
        "/api/v1/indicators/", {**body, "aliases": "{}"}, format="multipart"
    )

    assert response.status_code == 415
    assert not Indicator.objects.filter(code="form_aliases").exists()


def test_amounts_are_decimal_strings_in_the_schema():
    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    components = schema["components"]["schemas"]
    assert components["Target"]["properties"]["value"]["type"] == "string"
    assert components["Basis"]["properties"]["compared_with"]["type"] == "string"
    assert components["Target"]["properties"]["reviewed_by"]["nullable"] is True
    targets = schema["paths"]["/api/v1/targets/"]["get"]["parameters"]
    types = {p["name"]: p["schema"]["type"] for p in targets}
    assert types["year"] == types["jurisdiction_id"] == types["source_document"] == "integer"
