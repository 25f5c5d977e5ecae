"""Instances built straight into their attributes equal Django's own, and behave as they do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests.tracker.attainment_support import document, fact
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import attainment_list, attainment_rows
from tracker.instances import _getter, direct_instances
from tracker.models import Actual, Jurisdiction, Target


def _state(instance) -> dict:
    """Everything a query left on an instance: columns, annotations, related rows' columns."""
    attributes = {k: v for k, v in vars(instance).items() if k != "_state"}
    cached = {
        name: None if other is None else _state(other)
        for name, other in instance._state.fields_cache.items()
    }
    return {
        "attributes": attributes,
        "related": cached,
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


@pytest.fixture
def facts(catalogue, shaoxing, wuhan):
    doc = document("2018-02-01")
    for place, value in ((shaoxing, 97), (wuhan, 106)):
        kind = {"jurisdiction": place, "indicator": "rd_expenditure", "when": "2017"}
        fact(Target, value=100, quote="达到100亿元", **kind)
        fact(Actual, value=value, doc=doc, **kind)


def test_the_evaluation_built_directly_equals_what_django_builds(facts):
    evaluation = attainment_list(as_of=None).order_by("id")
    expected = list(evaluation)
    got = list(direct_instances(evaluation))
    assert len(got) == 2
    assert [_state(t) for t in got] == [_state(t) for t in expected]
    # The figures a row shows come through as Django gives them.
    assert [(t.status, t.indicator.code, t.jurisdiction.code) for t in got] == [
        ("missed", "rd_expenditure", "330600"),
        ("met", "rd_expenditure", "420100"),
    ]


def test_deferred_columns_load_on_access_and_a_built_instance_saves(facts):
    [target, _] = direct_instances(Target.objects.defer("quote").order_by("id"))
    assert "quote" not in vars(target)
    with CaptureQueriesContext(connection) as queries:
        assert target.quote == "达到100亿元"
    assert len(queries) == 1
    target.value = Decimal("120")
    target.save()
    assert Target.objects.get(id=target.id).value == Decimal("120")
    assert Target.objects.get(id=target.id).version == target.version


def test_a_missing_related_row_is_none_and_annotations_are_attributes(facts, shaoxing):
    places = direct_instances(
        Jurisdiction.objects.select_related("parent").annotate(parent_name=F("parent__name_zh"))
    )
    by_code = {j.code: j for j in places}
    assert by_code["420100"].parent is None
    assert by_code["330600"].parent.code == shaoxing.parent.code
    assert by_code["330600"].parent_name == shaoxing.parent.name_zh
    with CaptureQueriesContext(connection) as queries:
        assert by_code["330600"].parent.name_zh == shaoxing.parent.name_zh
    assert len(queries) == 0


def test_the_page_statement_builds_its_rows_directly(facts):
    ids = list(Target.objects.order_by("id").values_list("id", flat=True))
    rows = attainment_rows(as_of=None, rules=rules_get(), ids=ids)
    expected = attainment_list(as_of=None).order_by("id")
    assert [_state(t) for t in rows] == [_state(t) for t in expected]


def test_shapes_it_does_not_build_are_refused(facts, shaoxing):
    deeper = Target.objects.select_related("jurisdiction__parent")
    with pytest.raises(ValueError, match="one level deep"):
        list(direct_instances(deeper))
    with pytest.raises(ValueError, match="related manager"):
        list(direct_instances(shaoxing.targets.all()))


def test_values_are_read_at_their_positions_in_their_order():
    row = ("a", "b", "c", "d", "e")
    assert tuple(_getter((1, 2, 3))(row)) == ("b", "c", "d")
    assert tuple(_getter((4, 1))(row)) == ("e", "b")
    assert tuple(_getter((3,))(row)) == ("d",)
    assert tuple(_getter(())(row)) == ()
