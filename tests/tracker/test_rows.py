"""The explicit row writers write what the API's row serializers write, and the exports too.

The serializers are the rows' contract (and the OpenAPI schema); the list endpoints, the
auditor's page and the exports write rows with one plain function per row shape. On a
generated data set, stored and live, every row must be the same, key for key and type for
type.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.exports import csv_export_rows
from tracker.attainment.api.serializers import AttainmentRowSerializer, GrowthGapRowSerializer
from tracker.attainment.exports import HEADER, live_values, stored_values
from tracker.attainment.models import Evaluation
from tracker.attainment.rows import ROW_PATHS, attainment_row, growth_row, row_values
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_list, evaluation_values, evaluations_of
from tracker.attainment.services import evaluations_rebuild
from tracker.bench.data import generate
from tracker.models import Actual

pytestmark = pytest.mark.django_db


def _json(data) -> str:
    # As JSON text: equal dicts could still differ in type (1 and 1.0, True and 1).
    return json.dumps(data, sort_keys=True, default=str)


@pytest.fixture
def generated():
    generated = generate(targets=300)
    # Reviewed timestamps too, so that provenance writes every kind of value.
    reviewed = Actual.objects.exclude(reviewed_by=None).order_by("id")[:50].values("id")
    Actual.objects.filter(id__in=reviewed).update(reviewed_at=timezone.now())
    evaluations_rebuild(as_of=generated.as_of)
    return generated


def test_every_part_of_a_row_has_cases(generated):
    evaluations = list(Evaluation.objects.all())
    assert any(e.superseded for e in evaluations)
    assert any(e.trajectory for e in evaluations)
    assert any(e.consistency for e in evaluations)
    assert any(e.progress for e in evaluations) and any(e.progress is None for e in evaluations)
    assert any(e.baseline_id is None for e in evaluations)
    assert len({e.status for e in evaluations}) >= 4


def test_stored_rows_are_what_the_serializers_write(generated):
    rules = rules_get()
    context = {"rules": rules}
    evaluations = list(evaluation_list().order_by("target_id"))
    values = list(Evaluation.objects.order_by("target_id").values(*ROW_PATHS))
    assert _json([attainment_row(v, rules=rules) for v in values]) == _json(
        AttainmentRowSerializer(evaluations, many=True, context=context).data
    )
    assert _json([growth_row(v, rules=rules) for v in values]) == _json(
        GrowthGapRowSerializer(evaluations, many=True, context=context).data
    )


def test_a_pages_values_read_apart_are_those_of_one_joined_query(generated):
    ids = list(Evaluation.objects.order_by("-target_id").values_list("target_id", flat=True))
    joined = {v["target__id"]: v for v in Evaluation.objects.values(*ROW_PATHS)}
    paged = evaluation_values(ids=ids)
    assert [v["target__id"] for v in paged] == ids
    assert [{k: v[k] for k in ROW_PATHS} for v in paged] == [joined[i] for i in ids]


def test_live_rows_are_what_the_serializers_write_and_the_stored_rows_say(generated):
    rules = rules_get()
    ids = list(Evaluation.objects.order_by("target_id").values_list("target_id", flat=True))
    live = evaluations_of(ids=ids, as_of=generated.as_of, rules=rules)
    rows = [attainment_row(row_values(e), rules=rules) for e in live]
    assert _json(rows) == _json(
        AttainmentRowSerializer(live, many=True, context={"rules": rules}).data
    )
    stored = Evaluation.objects.order_by("target_id").values(*ROW_PATHS)
    assert _json(rows) == _json([attainment_row(v, rules=rules) for v in stored])
    # Another day gives other rows (not the stored ones, read again).
    later = evaluations_of(ids=ids, as_of=generated.as_of + timedelta(days=400), rules=rules)
    assert [e.status for e in later] != [row["status"] for row in rows]


def test_export_cells_are_what_the_rows_show(generated, reader_client):
    rules = rules_get()
    response = reader_client.get("/api/v1/attainment/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = csv_export_rows(text)
    rows = {
        row["target"]["id"]: row
        for row in (attainment_row(v, rules=rules) for v in Evaluation.objects.values(*ROW_PATHS))
    }
    assert len(exported) == len(rows) > 200
    assert list(exported[0]) == HEADER
    for cells in exported:
        row = rows[int(cells["target_id"])]
        actual = row["actual"] or {}
        expected = {
            "jurisdiction_code": row["target"]["jurisdiction"]["code"],
            "indicator": row["target"]["indicator"]["code"],
            "target_value": row["target"]["value"],
            "period_start": row["target"]["period_start"],
            "status": row["status"],
            "attainment_ratio": row["attainment_ratio"],
            "gap": row["gap"],
            "compared_with": row["basis"]["compared_with"],
            "actual_value": actual.get("value"),
            "actual_published": (actual.get("provenance") or {}).get("published"),
            "baseline_value": (row["baseline"] or {}).get("value"),
            "growth_gap": row["growth_gap"],
            "progress": (row["progress"] or {}).get("category"),
            "flags": ";".join(row["flags"]),
            "as_of": row["basis"]["as_of"],
        }
        written = {name: cells[name] for name in expected}
        assert written == {k: "" if v is None else str(v) for k, v in expected.items()}


def test_stored_and_live_exports_read_the_same_values(generated):
    rules = rules_get()
    stored = list(stored_values(Evaluation.objects.order_by("target_id")))
    ids = [values[0] for values in stored]
    live = list(live_values(evaluations_of(ids=ids, as_of=generated.as_of, rules=rules)))
    assert stored == live
