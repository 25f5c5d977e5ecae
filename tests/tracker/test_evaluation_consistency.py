"""After every write path, the stored evaluations equal a fresh evaluation of every target.

Each test starts from stored evaluations built as of today, writes through one path the
product offers (the API, the admin, ingest, an import, a bulk command) and then compares every
stored row with a fresh evaluation (what `evaluations_rebuild --check` does). Each also checks
that the write did change a stored row, so that the comparison is not of an untouched table.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from indicators.services import CATALOGUE_PATH
from ingest import services as ingest_services
from ingest.models import SourceDocument
from tests.ingest.conftest import SMALL_REPORT
from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker.attainment import tasks
from tracker.attainment.models import Evaluation
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import (
    evaluable_targets,
    evaluation_differences,
    evaluation_figures,
    evaluation_state,
    evaluations_live,
    stored_answers,
)
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, ReviewState, Target

pytestmark = pytest.mark.django_db


def assert_stored_rows_are_fresh() -> None:
    today, rules = timezone.localdate(), rules_get()
    assert stored_answers(as_of=today, rules=rules)
    assert [str(d) for d in evaluation_differences(as_of=today, rules=rules)] == []


def snapshot() -> dict[int, dict]:
    return {e.target_id: evaluation_figures(e) for e in Evaluation.objects.all()}


def changed_since(before: dict[int, dict]) -> set[int]:
    after = snapshot()
    return {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}


@pytest.fixture
def stored(catalogue, shaoxing, wuhan):
    """The Shaoxing seed report's facts, and the stored evaluations built as of today."""
    entered = seeds.enter_seed(seeds.SHAOXING)
    evaluations_rebuild()
    assert_stored_rows_are_fresh()
    return entered


def _target(entered, indicator: str, measure: str = "level") -> Target:
    return next(f for k, f in entered.items() if k[:3] == ("target", indicator, measure))


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- The API ---------------------------------------------------------------------------


def test_api_creating_an_actual(stored, editor_client, shaoxing):
    before = snapshot()
    target = _target(stored, "rd_expenditure")
    response = editor_client.post(
        "/api/v1/actuals/",
        {
            "jurisdiction": shaoxing.id,
            "indicator": "rd_expenditure",
            "value": "12500000000",
            "period_start": "2017-01",
            "period_end": "2017-12",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert target.id in changed_since(before)
    assert Evaluation.objects.get(target=target).status == "missed"
    assert_stored_rows_are_fresh()


def test_api_changing_a_target_and_moving_it_to_another_jurisdiction(stored, editor_client, wuhan):
    before = snapshot()
    target = _target(stored, "rd_personnel")
    url = f"/api/v1/targets/{target.id}/"
    response = editor_client.patch(url, {"value": "40000", "change_reason": "typo"}, format="json")
    assert response.status_code == 200, response.content
    assert target.id in changed_since(before)
    assert_stored_rows_are_fresh()

    # Its growth-target pair in Shaoxing loses it; in Wuhan it has no baseline.
    before = snapshot()
    response = editor_client.patch(
        url, {"jurisdiction": wuhan.id, "change_reason": "wrong city"}, format="json"
    )
    assert response.status_code == 200, response.content
    pair = _target(stored, "rd_personnel", "yoy_growth")
    assert {target.id, pair.id} <= changed_since(before)
    assert Evaluation.objects.get(target=target).jurisdiction_id == wuhan.id
    assert_stored_rows_are_fresh()


def test_api_rejecting_and_deleting(stored, editor_client):
    before = snapshot()
    target = _target(stored, "tech_contract_value")
    response = editor_client.patch(
        f"/api/v1/targets/{target.id}/",
        {"review_state": "rejected", "change_reason": "not a target"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert not Evaluation.objects.filter(target=target).exists()
    assert_stored_rows_are_fresh()

    before = snapshot()
    baseline = next(f for k, f in stored.items() if k[:3] == ("actual", "rd_expenditure", "level"))
    response = editor_client.delete(f"/api/v1/actuals/{baseline.id}/?reason=duplicate")
    assert response.status_code == 204
    assert _target(stored, "rd_expenditure").id in changed_since(before)
    assert_stored_rows_are_fresh()


# --- The admin -------------------------------------------------------------------------


def test_admin_changing_a_target_and_reviewing_in_bulk(stored, admin_client):
    before = snapshot()
    target = _target(stored, "rd_expenditure")
    url = reverse("admin:tracker_target_change", args=[target.id])
    form = {
        "jurisdiction": target.jurisdiction_id,
        "indicator": target.indicator_id,
        "measure": target.measure,
        "value": "10000000000",
        "comparator": target.comparator,
        "period_start": "2017-01",
        "period_end": "2017-12",
        "review_state": target.review_state,
        "change_reason": "corrected",
        "_save": "Save",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert target.id in changed_since(before)
    assert_stored_rows_are_fresh()

    before = snapshot()
    proposed = fact(
        Target,
        jurisdiction=target.jurisdiction,
        indicator="patent_grants",
        value=100,
        when="2017",
        review_state=ReviewState.PROPOSED,
    )
    changelist = reverse("admin:tracker_target_changelist")
    response = admin_client.post(
        changelist, {"action": "accept_selected", "_selected_action": [proposed.id]}
    )
    assert response.status_code == 302
    assert proposed.id in changed_since(before)
    assert "target_not_reviewed" not in Evaluation.objects.get(target=proposed).flags
    assert_stored_rows_are_fresh()


def test_admin_changing_a_document_date_an_indicator_and_a_code(stored, admin_client):
    # A report published later: its actuals become known later (here: after today).
    actual = next(f for k, f in stored.items() if k[0] == "actual")
    doc = actual.source_document
    before = snapshot()
    response = admin_client.post(
        reverse("admin:ingest_sourcedocument_change", args=[doc.id]),
        {
            "title": doc.title,
            "jurisdiction": doc.jurisdiction_id or "",
            "published": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "report_year": doc.report_year or "",
            "filename": doc.filename,
            "content_type": doc.content_type,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changed_since(before)
    assert_stored_rows_are_fresh()

    # An indicator that turns out to be lower-is-better: its ratios invert.
    indicator = Indicator.objects.get(code="rd_expenditure")
    target = _target(stored, "rd_expenditure")
    fact(
        Actual, jurisdiction=target.jurisdiction, indicator=indicator, value=12500000000,
        when="2017", doc=document("2018-02-01"),
    )  # fmt: skip
    before = snapshot()
    response = admin_client.post(
        reverse("admin:indicators_indicator_change", args=[indicator.id]),
        {
            "code": indicator.code,
            "name_zh": indicator.name_zh,
            "name_en": indicator.name_en,
            "unit": indicator.unit,
            "nature": "stock",
            "direction": "lower",
            "aliases": "[]",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _target(stored, "rd_expenditure").id in changed_since(before)
    assert_stored_rows_are_fresh()

    # A new division code: the lists sort by it.
    jurisdiction = _target(stored, "rd_expenditure").jurisdiction
    response = admin_client.post(
        reverse("admin:tracker_jurisdiction_change", args=[jurisdiction.id]),
        {
            "name_zh": jurisdiction.name_zh,
            "name_en": jurisdiction.name_en,
            "code": "330699",
            "level": jurisdiction.level,
            "parent": jurisdiction.parent_id or "",
            "review_state": jurisdiction.review_state,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(
        Evaluation.objects.filter(jurisdiction=jurisdiction).values_list(
            "jurisdiction_code", flat=True
        )
    ) == {"330699"}
    assert_stored_rows_are_fresh()


def test_admin_deleting_an_actual(stored, admin_client):
    actual = next(f for k, f in stored.items() if k[:3] == ("actual", "rd_personnel", "level"))
    before = snapshot()
    response = admin_client.post(
        reverse("admin:tracker_actual_delete", args=[actual.id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _target(stored, "rd_personnel").id in changed_since(before)
    assert_stored_rows_are_fresh()


@pytest.mark.parametrize("model", [Actual, Target])
def test_admin_deleting_selected_facts(stored, admin_client, model):
    kind = model._meta.model_name
    deleted = [f for k, f in stored.items() if k[0] == kind and k[1] == "rd_personnel"]
    before = snapshot()
    response = admin_client.post(
        reverse(f"admin:tracker_{kind}_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [f.id for f in deleted],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not model.objects.filter(pk__in=[f.id for f in deleted]).exists()
    assert changed_since(before)
    assert_stored_rows_are_fresh()
    reasons = set(
        model.history.filter(id__in=[f.id for f in deleted], history_type="-").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == {"deleted in admin"}


# --- Ingest, an import and a bulk command -------------------------------------------


# Transactional: the extraction is queued when the submission commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_ingest_of_a_report_and_its_acceptance(stored, editor_client):
    before = snapshot()
    response = editor_client.post(
        "/api/v1/documents/", {"text": SMALL_REPORT, "published": "2018-01-20"}, format="json"
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "done"
    document_id = response.json()["id"]
    created = set(
        Target.objects.filter(source_document_id=document_id).values_list("id", flat=True)
    )
    assert created and created <= changed_since(before)
    assert_stored_rows_are_fresh()

    before = snapshot()
    ingest_services.document_facts_accept(document=SourceDocument.objects.get(id=document_id))
    assert created <= changed_since(before)  # no longer flagged as not reviewed
    assert_stored_rows_are_fresh()

    # Extracted again: what a person accepted stays, and the rows with it.
    response = editor_client.post(f"/api/v1/documents/{document_id}/reextract/", {})
    assert response.status_code == 202
    assert_stored_rows_are_fresh()


def test_a_catalogue_import_that_changes_how_an_indicator_is_judged(stored, tmp_path):
    catalogue = yaml.safe_load(Path(CATALOGUE_PATH).read_text(encoding="utf-8"))
    for entry in catalogue["indicators"]:
        if entry["code"] == "rd_personnel":
            entry["nature"] = "stock"
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    fact(
        Actual,
        jurisdiction=_target(stored, "rd_personnel").jurisdiction,
        indicator="rd_personnel",
        value=30000,
        when="2017-01..2017-06",
        doc=document("2017-07-10"),
    )
    before = snapshot()

    call_command("load_catalogue", "--path", str(path), stdout=StringIO())

    # Half a year of a flow is judged pro-rated; of a stock, against the whole target.
    assert _target(stored, "rd_personnel").id in changed_since(before)
    assert_stored_rows_are_fresh()


# Transactional: the extraction is queued when the submission commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_bulk_ingest_command(stored, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(SMALL_REPORT, encoding="utf-8")
    before = snapshot()
    call_command("ingest", str(path), "--accept", "--published", "2018-01-20", stdout=StringIO())
    extracted = Evaluation.objects.filter(target__source_document__filename="plan.txt")
    assert extracted.count() >= 2
    assert set(extracted.values_list("target_id", flat=True)) <= changed_since(before)
    assert all("target_not_reviewed" not in e.flags for e in extracted)
    assert_stored_rows_are_fresh()


def test_a_spreadsheet_import(stored, tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "kind,jurisdiction,indicator,value,unit,period_start,published\n"
        "actual,330600,rd_expenditure,125,亿元,2017,2018-02-01\n"
        "actual,330600,rd_personnel,4,万人年,2017,2018-02-01\n",
        encoding="utf-8",
    )
    before = snapshot()
    call_command("import_facts", str(path), stdout=StringIO())
    assert {_target(stored, "rd_expenditure").id, _target(stored, "rd_personnel").id} <= (
        changed_since(before)
    )
    assert_stored_rows_are_fresh()

    before = snapshot()
    call_command("import_facts", str(path), stdout=StringIO())  # again: nothing changes
    assert changed_since(before) == set()
    assert_stored_rows_are_fresh()


# --- Time and rules ----------------------------------------------------------------------


def test_beat_rebuilds_at_the_days_turn_and_when_the_rules_change(stored, settings):
    yesterday = timezone.localdate() - timedelta(days=1)
    evaluations_rebuild(as_of=yesterday)
    assert not stored_answers(as_of=timezone.localdate(), rules=rules_get())

    assert tasks.evaluations_rebuild_stale.delay().get()["rebuilt"] is True
    assert evaluation_state().as_of == timezone.localdate()
    assert_stored_rows_are_fresh()
    assert tasks.evaluations_rebuild_stale.delay().get() == {"rebuilt": False}

    settings.ATTAINMENT = {**settings.ATTAINMENT, "APPROX_TOLERANCE": 0.2}
    assert tasks.evaluations_rebuild_stale.delay().get()["rebuilt"] is True
    assert evaluation_state().rules["approx_tolerance"] == 0.2
    assert_stored_rows_are_fresh()


def test_the_beat_schedule_names_the_days_turn():
    from tracker.celery import app

    schedule = app.conf.beat_schedule
    turn = schedule["evaluations-day-turn"]
    assert turn["task"] == "tracker.attainment.tasks.evaluations_rebuild_stale"
    assert (turn["schedule"].hour, turn["schedule"].minute) == ({0}, {0})
    assert schedule["evaluations-check"]["task"] == turn["task"]


def test_a_write_before_the_first_rebuild_stores_nothing(catalogue, shaoxing):
    # Nothing stored yet: the reads evaluate live until the first rebuild stores every row.
    fact(Target, jurisdiction=shaoxing, indicator="rd_expenditure", value=1, when="2017")
    assert evaluation_state() is None
    assert not Evaluation.objects.exists()


# --- evaluations_rebuild --check --------------------------------------------------


def test_check_passes_on_current_rows_and_names_each_difference(stored):
    out = StringIO()
    call_command("evaluations_rebuild", "--check", stdout=out)
    assert "every stored evaluation is current" in out.getvalue()

    # A write that bypasses the services leaves a stored row behind.
    target = _target(stored, "rd_expenditure")
    Target.objects.filter(id=target.id).update(value=1)
    out = StringIO()
    # The target, and the growth target paired with it (their consistency).
    with pytest.raises(CommandError, match="2 stored evaluations differ"):
        call_command("evaluations_rebuild", "--check", stdout=out)
    assert f"target {target.id}: " in out.getvalue()
    assert "compared_with" in out.getvalue()

    call_command("evaluations_rebuild", stdout=StringIO())
    call_command("evaluations_rebuild", "--check", stdout=StringIO())


def test_check_fails_on_rows_of_another_day(stored):
    evaluations_rebuild(as_of=date(2017, 3, 1))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("evaluations_rebuild", "--check", stdout=out)
    assert "stored as of 2017-03-01" in out.getvalue()


# --- How the rows are stored ------------------------------------------------------------


def test_stored_rows_read_back_as_an_insert_of_them_does(stored):
    # On PostgreSQL the rebuild stores its rows by COPY: each field, SQL NULL and JSON alike,
    # reads back as bulk_create's INSERT of the same rows does (elsewhere both are that).
    by_store = snapshot()
    figures = [f for figure in by_store.values() for f in figure.values()]
    assert None in figures and [] in figures and any(isinstance(f, dict) for f in figures)
    rows = list(
        evaluations_live(targets=evaluable_targets(), as_of=timezone.localdate(), rules=rules_get())
    )
    Evaluation.objects.all().delete()
    Evaluation.objects.bulk_create(rows)
    assert snapshot() == by_store


def _patch_statements(editor_client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.patch(
            f"/api/v1/targets/{target.id}/",
            {"value": str(target.value + 1), "change_reason": "corrected"},
            format="json",
        )
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_a_targets_write_costs_the_same_statements_however_long_its_series(
    catalogue, shaoxing, editor_client
):
    # Its series is read and stored again in a fixed number of statements, whatever the
    # number of its targets and actuals.
    def series(years: range) -> Target:
        for year in years:
            fact(Actual, jurisdiction=shaoxing, indicator="patent_grants", value=100 + year,
                 when=str(year))  # fmt: skip
            last = fact(Target, jurisdiction=shaoxing, indicator="patent_grants",
                        value=110 + year, when=str(year))  # fmt: skip
        return last

    short = series(range(2010, 2012))
    evaluations_rebuild()
    few = _patch_statements(editor_client, short)
    long = series(range(2012, 2030))
    evaluations_rebuild()
    many = _patch_statements(editor_client, long)

    assert Evaluation.objects.filter(jurisdiction=shaoxing).count() == 20
    assert few == many
    assert_stored_rows_are_fresh()
