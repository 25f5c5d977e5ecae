"""Statements compiled once: the same rows as their queryset, live data, slots filled per run."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import BooleanField, DateField, ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import Cast, Coalesce
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from tests.garbage import cyclic_garbage
from tests.tracker.attainment_support import document, fact
from tracker import statements
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import attainment_list, attainment_rows
from tracker.models import Actual, Target

AS_OF = date(2018, 6, 15)
ORDER = ("-period_end", "jurisdiction__code", "indicator__code", "id")


def _row(target: Target) -> dict:
    """What a query put on a row: its columns, its annotations and the related rows' columns."""
    related = ("jurisdiction", "indicator")
    row = {k: v for k, v in vars(target).items() if k != "_state"}
    for name in related:
        other = getattr(target, name)
        row[name] = (
            None if other is None else {k: v for k, v in vars(other).items() if k != "_state"}
        )
    return row


@pytest.fixture
def targets(catalogue, shaoxing, wuhan):
    made = []
    for year, value in ((2016, 106), (2017, 97)):
        for place in (shaoxing, wuhan):
            kind = {"jurisdiction": place, "indicator": "rd_expenditure", "when": str(year)}
            made.append(fact(Target, value=100, **kind))
            fact(Actual, value=value, doc=document(f"{year + 1}-02-01"), **kind)
    return made


def test_a_statement_gives_what_its_queryset_gives_with_the_slots_filled(targets):
    slots = statements.slots(2)
    queryset = attainment_list(as_of=AS_OF).filter(id__in=slots).order_by(*ORDER)
    statement = statements.Statement.prepare(queryset, slots=slots)
    for pair in ([targets[0].id, targets[3].id], [targets[1].id, targets[2].id]):
        expected = list(attainment_list(as_of=AS_OF).filter(id__in=pair).order_by(*ORDER))
        with CaptureQueriesContext(connection) as queries:
            got = statement.run(pair)
        assert len(queries) == 1
        assert [t.id for t in got] == [t.id for t in expected]
        assert [_row(t) for t in got] == [_row(t) for t in expected]
        assert [t.status for t in got] == [t.status for t in expected]


def test_a_run_leaves_nothing_to_the_garbage_collector(targets):
    slots = statements.slots(2)
    queryset = attainment_list(as_of=AS_OF).filter(id__in=slots).order_by(*ORDER)
    statement = statements.Statement.prepare(queryset, slots=slots)
    statement.run([targets[0].id, targets[1].id])  # decoders are built at the first run

    left = cyclic_garbage(lambda: statement.run([targets[0].id, targets[1].id]))

    # The compiler's copy and the queryset's clone of each run are freed with its rows.
    assert [type(o).__name__ for o in left if isinstance(o, SQLCompiler | Query | Target)] == []


def test_a_statement_reads_the_data_of_now_not_of_when_it_was_compiled(targets, wuhan):
    [target] = [t for t in targets if t.jurisdiction == wuhan and t.period_end.year == 2017]
    rows = attainment_rows(as_of=AS_OF, rules=rules_get(), ids=[target.id])
    assert rows[0].status == "missed"
    revision = fact(
        Actual, jurisdiction=wuhan, indicator="rd_expenditure", value=104, when="2017",
        doc=document("2018-03-01"),
    )  # fmt: skip
    Target.objects.filter(id=target.id).update(quote="edited")
    [row] = attainment_rows(as_of=AS_OF, rules=rules_get(), ids=[target.id])
    assert (row.status, row.a_id, row.quote) == ("met", revision.id, "edited")


def test_the_queryset_of_a_statement_stays_an_ordinary_queryset(targets):
    slots = statements.slots(1)
    queryset = attainment_list(as_of=AS_OF).filter(id__in=slots)
    statement = statements.Statement.prepare(queryset, slots=slots)
    statement.run([targets[0].id])
    # Running it must not leave the ready SQL on the queryset or on what is chained from it.
    assert list(statement.queryset) == []
    assert [t.id for t in statement.queryset.all() | Target.objects.filter(id=targets[1].id)] == [
        targets[1].id
    ]


def test_a_statement_refuses_slots_it_does_not_hold_and_values_it_has_no_place_for(targets):
    slots = statements.slots(2)
    with pytest.raises(ValueError, match="not 1"):
        statements.Statement.prepare(Target.objects.filter(id=slots[0]), slots=slots)
    statement = statements.Statement.prepare(Target.objects.filter(id__in=slots), slots=slots)
    with pytest.raises(ValueError, match="takes 2 values"):
        statement.run([targets[0].id])


def test_a_statement_decodes_every_kind_of_column_as_django_does(targets):
    # Columns the driver already returns as Python values, and expressions it returns as
    # text or numbers (a date from COALESCE, a boolean as 0/1, a float from an integer).
    queryset = (
        Target.objects.annotate(
            start=Coalesce("period_start", "period_end", output_field=DateField()),
            ratio=ExpressionWrapper(F("span_start") * 1.0, output_field=FloatField()),
            span_float=Cast("span_start", FloatField()),
            big=ExpressionWrapper(Q(value__gt=99), output_field=BooleanField()),
        )
        .values_list(
            "id", "value", "period_start", "created_at", "reviewed_at", "span_start",
            "start", "ratio", "span_float", "big", "jurisdiction__name_en",
        )
        .order_by("id")
    )  # fmt: skip
    Target.objects.filter(id=targets[0].id).update(span_start=3, span_end=9)

    rows = statements.Statement.prepare(queryset).run()

    expected = list(queryset)
    assert rows == expected
    assert [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in expected]
    assert {type(row[6]) for row in rows} == {date}


def test_a_text_slot_takes_a_new_text_at_each_run(targets, shaoxing, wuhan):
    code = statements.text_slots(1)
    statement = statements.Statement.prepare(
        Target.objects.filter(jurisdiction__code=code[0]).order_by("id"), slots=code
    )
    for place in (shaoxing, wuhan):
        expected = [t.id for t in targets if t.jurisdiction_id == place.id]
        assert [t.id for t in statement.run([place.code])] == expected
    assert statement.run(["no such code"]) == []


def test_a_statement_of_a_queryset_that_matches_nothing_runs_no_query(targets):
    statement = statements.Statement.prepare(Target.objects.filter(id__in=[]))
    with CaptureQueriesContext(connection) as queries:
        assert statement.run() == []
    assert len(queries) == 0


def test_the_page_and_the_summary_follow_the_data_and_the_filters(reader_client, targets, wuhan):
    url = "/api/v1/attainment/"
    summary = "/api/v1/attainment/summary/"
    query = {"as_of": "2018-06-15"}

    def statuses(**params) -> list[str]:
        return [r["status"] for r in reader_client.get(url, query | params).json()["results"]]

    def counts(**params) -> dict:
        body = reader_client.get(summary, query | params).json()
        return {g["group"]["jurisdiction__code"]: g["by_status"] for g in body["results"]}

    assert statuses() == ["missed", "missed", "met", "met"]
    assert counts()["420100"] == counts(jurisdiction="420100")["420100"]
    assert set(counts(jurisdiction="420100")) == {"420100"}
    assert set(counts(jurisdiction="330600")) == {"330600"}
    assert counts(jurisdiction="420100")["420100"]["missed"] == 1
    fact(
        Actual, jurisdiction=wuhan, indicator="rd_expenditure", value=104, when="2017",
        doc=document("2018-03-01"),
    )  # fmt: skip
    assert counts(jurisdiction="420100")["420100"]["missed"] == 0
    assert statuses() == ["missed", "met", "met", "met"]
    # A filter found valid once is still checked every time.
    assert reader_client.get(summary, {"status": "great"}).status_code == 400
    assert reader_client.get(summary, {"status": "met"}).status_code == 200
    assert reader_client.get(summary, {"status": "great"}).status_code == 400
