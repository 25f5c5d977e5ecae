"""A report's facts are stored in bulk: the statements do not grow with its facts, and
everything a save per fact did still holds (history, provenance, review state, evaluations).
"""

from __future__ import annotations

import math
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest import extraction, services
from ingest.models import IngestStatus
from tests.factories import SourceDocumentFactory
from tests.tracker.test_evaluation_consistency import assert_stored_rows_are_fresh
from tracker.attainment.models import Evaluation
from tracker.attainment.services import evaluations_rebuild
from tracker.models import Actual, ReviewState, Target
from tracker.services import ROWS_PER_STATEMENT

pytestmark = pytest.mark.django_db

INDICATORS = [
    "rd_expenditure",
    "rd_personnel",
    "hitech_output",
    "hitech_enterprises_new",
    "st_enterprises_new",
]


def _facts(years: int, *, value: str = "100", first_year: int = 2001) -> list[extraction.Fact]:
    """A target and an actual of each indicator for each year, as the extractor gives them."""
    facts = []
    for year in range(first_year, first_year + years):
        for indicator in INDICATORS:
            for kind, comparator in (("target", "gte"), ("actual", "eq")):
                quote = f"{year}年{indicator}达到{value}"
                facts.append(
                    extraction.Fact(
                        kind=kind,
                        indicator=indicator,
                        measure="level",
                        value=Decimal(value),
                        unit="",
                        comparator=comparator,
                        period_start=f"{year}-01",
                        period_end=f"{year}-12",
                        span=(0, len(quote)),
                        quote=quote,
                        confidence=0.8,
                    )
                )
    return facts


def _statements(document, facts) -> int:
    with CaptureQueriesContext(connection) as queries:
        counts = services.facts_reconcile(document=document, facts=facts)
    assert counts["created"] == len(facts)
    return len(queries.captured_queries)


def _inserts(model, rows: int) -> int:
    """INSERTs of this many rows: one per batch, a batch of ROWS_PER_STATEMENT rows or fewer
    where the database limits the parameters of a statement (SQLite)."""
    limit = connection.features.max_query_params
    per_batch = ROWS_PER_STATEMENT
    if limit is not None:
        per_batch = min(per_batch, limit // len(model._meta.concrete_fields))
    return math.ceil(rows / per_batch)


def _fact_inserts(rows_per_kind: int, evaluations: int) -> int:
    """INSERTs of facts of each kind, their history rows and their series' evaluations."""
    facts = (Target, Actual, Target.history.model, Actual.history.model)
    return sum(_inserts(m, rows_per_kind) for m in facts) + _inserts(Evaluation, evaluations)


def test_storing_a_report_takes_the_same_statements_for_10_or_100_facts(catalogue, wuhan):
    evaluations_rebuild()  # stored evaluations to keep current, as in production
    few, many = _facts(1), _facts(10)  # the same five series
    assert (len(few), len(many)) == (10, 100)

    with_few = _statements(SourceDocumentFactory(jurisdiction=wuhan), few)
    with_many = _statements(SourceDocumentFactory(jurisdiction=wuhan), many)

    # Before: a validation, an insert, a history row and an evaluation refresh per fact
    # (hundreds of statements for 100 facts). Now only the database's limit of parameters
    # per statement (SQLite's) splits the inserts; PostgreSQL takes each in one.
    assert with_few < 40
    # The series' evaluations are written anew: 5, then 55 rows.
    assert with_many - with_few <= _fact_inserts(50, 55) - _fact_inserts(5, 5)
    if connection.vendor == "postgresql":
        assert with_many == with_few
    assert Evaluation.objects.filter(jurisdiction=wuhan).count() == Target.objects.count() == 55
    assert_stored_rows_are_fresh()


def test_bulk_stored_facts_keep_history_provenance_and_review_state(catalogue, wuhan, settings):
    evaluations_rebuild()
    settings.INGEST_AUTO_ACCEPT_CONFIDENCE = 0.9
    document = SourceDocumentFactory(jurisdiction=wuhan)
    facts = _facts(3)
    sure = facts[0]
    facts[0] = extraction.Fact(**{**sure.__dict__, "confidence": 0.95})

    services.facts_reconcile(document=document, facts=facts)

    stored = {(f.indicator.code, f.period_start.year): f for f in Target.objects.all()}
    assert len(stored) == 15 and Actual.objects.count() == 15
    first = stored[("rd_expenditure", 2001)]
    assert (first.review_state, first.quote, first.source_document_id) == (
        ReviewState.ACCEPTED,
        "2001年rd_expenditure达到100",
        document.pk,
    )
    assert (first.span_start, first.span_end, first.confidence) == (0, 24, Decimal("0.950"))
    assert (first.unit, first.comparator, first.version) == ("CNY", "gte", 1)
    assert first.entered_by is None and first.reviewed_by is None
    other = stored[("rd_personnel", 2002)]
    assert (other.review_state, other.unit, other.confidence) == (
        ReviewState.PROPOSED,
        "person_year",
        Decimal("0.800"),
    )
    for model in (Target, Actual):
        history = model.history.all()
        assert history.count() == 15
        assert set(history.values_list("history_type", flat=True)) == {"+"}
        reasons = sorted(history.values_list("history_change_reason", flat=True))
        assert reasons[-1] == "extracted (auto-accepted)" if model is Target else "extracted"
    assert Target.history.filter(history_change_reason="extracted").count() == 14
    assert_stored_rows_are_fresh()

    # Extracted again with other figures and a year fewer: changed in place (version kept,
    # a history row each), the missing year removed, what a person accepted kept.
    kept = stored[("rd_personnel", 2002)]
    kept.review_state = ReviewState.ACCEPTED
    kept.version = 2
    kept.save()
    before = {f.pk: f.updated_at for f in Target.objects.all()}

    counts = services.facts_reconcile(document=document, facts=_facts(2, value="120"))

    # The auto-accepted target counts as accepted: kept too.
    assert counts == {"created": 0, "updated": 18, "removed": 10, "kept": 2}
    changed = stored[("hitech_output", 2001)]
    again = Target.objects.get(pk=changed.pk)
    assert (again.value, again.version) == (Decimal("120"), 1)
    assert again.updated_at > before[changed.pk]
    assert Target.history.get(id=changed.pk, history_type="~").history_change_reason == (
        "re-extracted"
    )
    assert Target.objects.get(pk=first.pk).value == Decimal("100")
    assert Target.objects.get(pk=kept.pk).value == Decimal("100")
    assert not Target.objects.filter(period_start__year=2003).exists()
    assert Target.history.filter(history_type="-").count() == 5
    assert_stored_rows_are_fresh()


def test_a_report_extracted_end_to_end_stores_its_facts_once(catalogue, shaoxing, small_report):
    evaluations_rebuild()
    document = services.document_submit(text=small_report, jurisdiction=shaoxing).document

    services.document_extract(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == IngestStatus.DONE
    assert Target.objects.filter(source_document=document).count() == 2
    assert Target.history.filter(history_type="+").count() == 2
    assert_stored_rows_are_fresh()


@pytest.mark.django_db(transaction=True)
def test_bulk_loads_refresh_the_planner_statistics_on_postgresql(
    catalogue, shaoxing, tmp_path, small_report
):
    path = tmp_path / "plan.txt"
    path.write_text(small_report, encoding="utf-8")

    with CaptureQueriesContext(connection) as ingest:
        call_command("ingest", str(path), stdout=StringIO())
    with CaptureQueriesContext(connection) as rebuild:
        call_command("evaluations_rebuild", stdout=StringIO())

    analysed = [q["sql"] for q in ingest.captured_queries if q["sql"].startswith("ANALYZE")]
    rebuilt = [q["sql"] for q in rebuild.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor != "postgresql":
        assert analysed == rebuilt == []  # SQLite plans without them
        return
    assert '"tracker_target"' in " ".join(analysed)
    assert '"tracker_historicaltarget"' in " ".join(analysed)
    assert rebuilt == ['ANALYZE "attainment_evaluation"']
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
            "AND relname IN ('tracker_target', 'tracker_actual', 'attainment_evaluation')"
        )
        assert len(cursor.fetchall()) == 3


def test_accepting_a_reports_facts_refreshes_the_evaluations_once(catalogue, wuhan):
    evaluations_rebuild()
    document = SourceDocumentFactory(jurisdiction=wuhan)
    services.facts_reconcile(document=document, facts=_facts(4))  # 20 targets, 20 actuals

    with CaptureQueriesContext(connection) as queries:
        accepted = services.document_facts_accept(document=document)

    assert accepted == 40
    replaced = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('DELETE FROM "attainment_evaluation"')
    ]
    assert len(replaced) == 2  # once for the targets, once for the actuals (was once a fact)
    assert not Target.objects.exclude(review_state=ReviewState.ACCEPTED).exists()
    assert Target.history.filter(history_change_reason="accepted in bulk load").count() == 20
    assert_stored_rows_are_fresh()
