"""The attainment, summary, growth-gap and export endpoints."""

from __future__ import annotations

import csv
import io
import json
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework import serializers as drf_serializers

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tracker.api.representation import PlainRepresentation
from tracker.attainment import rows, selectors
from tracker.attainment.rows import evaluate_page
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import attainment_list, with_provenance
from tracker.attainment.serializers import (
    AttainmentRowSerializer,
    FactProvenanceSerializer,
    GrowthGapRowSerializer,
)
from tracker.bench.data import generate
from tracker.models import Actual, Target

URL = "/api/v1/attainment/"
SUMMARY_URL = "/api/v1/attainment/summary/"
GROWTH_URL = "/api/v1/growth-gaps/"
CSV_URL = "/api/v1/attainment/export.csv"
XLSX_URL = "/api/v1/attainment/export.xlsx"


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    return seeds.enter_seed(seeds.SHAOXING)


@pytest.fixture
def wuhan_2014(catalogue, wuhan, editor):
    """Wuhan's 2014 R&D intensity target (≥ 2.9 %) met by a hand-entered 3.0 %."""
    target = fact(Target, jurisdiction=wuhan, indicator="rd_intensity", value="2.9", when="2014")
    actual = fact(
        Actual, jurisdiction=wuhan, indicator="rd_intensity", value="3.0", when="2014",
        doc=document("2015-03-01", title="武汉市2014年科技工作总结"),
        quote="全社会研发投入占GDP比重达到3.0%",
    )  # fmt: skip
    return target, actual


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("url", [URL, SUMMARY_URL, GROWTH_URL, CSV_URL, XLSX_URL])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("nobody", 403), ("reader", 200), ("editor", 200), ("admin", 200)],
)
def test_permission_matrix(role_clients, url, role, status):
    assert role_clients[role].get(url).status_code == status


def test_row_shows_target_actual_and_evaluation(reader_client, wuhan_2014):
    target, actual = wuhan_2014
    body = reader_client.get(URL, {"as_of": "2015-06-01"}).json()
    assert body["as_of"] == "2015-06-01"
    assert body["rules"]["approx_tolerance"] == 0.05
    [row] = body["results"]
    assert row["target"]["id"] == target.id
    assert row["target"]["indicator"]["code"] == "rd_intensity"
    assert row["target"]["jurisdiction"]["code"] == "420100"
    assert (row["target"]["period_start"], row["target"]["period_end"]) == ("2014-01", "2014-12")
    assert row["target"]["comparator"] == "gte"
    assert row["target"]["unit"] == "percent"
    assert row["actual"]["id"] == actual.id
    assert row["actual"]["value"] == "3"
    assert row["actual"]["provenance"]["document_title"] == "武汉市2014年科技工作总结"
    assert row["actual"]["provenance"]["quote"] == "全社会研发投入占GDP比重达到3.0%"
    assert row["actual"]["provenance"]["published"] == "2015-03-01"
    # 3.0 >= 2.9 → met; 3.0/2.9 = 1.0345; gap 2.9 - 3.0 = -0.1 pp.
    assert row["status"] == "met"
    assert row["attainment_ratio"] == 1.0345
    assert row["gap"] == "-0.1"
    assert row["projection"] is None
    assert row["flags"] == ["no_baseline"]


def test_as_of_decides_what_is_known(reader_client, wuhan_2014):
    assert _results(reader_client.get(URL, {"as_of": "2014-12-15"}))[0]["status"] == "pending"
    assert _results(reader_client.get(URL, {"as_of": "2015-02-01"}))[0]["status"] == "no_data"
    assert _results(reader_client.get(URL, {"as_of": "2015-03-01"}))[0]["status"] == "met"


def test_bad_as_of_is_a_400(reader_client):
    response = reader_client.get(URL, {"as_of": "next tuesday"})
    assert response.status_code == 400
    assert "as_of" in response.json()["fields"]


def test_filters(reader_client, shaoxing_2017, wuhan_2014):
    def ids(**params):
        rows = _results(reader_client.get(URL, {"as_of": "2017-03-01", **params}))
        return {row["target"]["id"] for row in rows}

    everything = ids()
    assert len(everything) == 17 + 1
    shaoxing = {t.id for k, t in shaoxing_2017.items() if k[0] == "target"}
    assert ids(jurisdiction="330600") == shaoxing
    assert ids(jurisdiction="绍兴市") == shaoxing
    assert ids(jurisdiction="Wuhan") == {wuhan_2014[0].id}
    assert len(ids(indicator="rd_personnel")) == 2
    assert ids(year=2014) == {wuhan_2014[0].id}
    assert ids(status="met") == {wuhan_2014[0].id}
    assert ids(status=["met", "pending"]) == everything
    assert ids(period_kind="year_to_date") == set()
    assert ids(measure="yoy_growth") == {
        t.id for k, t in shaoxing_2017.items() if k[0] == "target" and k[2] == "yoy_growth"
    }


def test_status_filter_rejects_unknown_status(reader_client):
    assert reader_client.get(URL, {"status": "great"}).status_code == 400


def test_ordering_by_attainment(reader_client, wuhan_2014, shaoxing_2017):
    rows = _results(
        reader_client.get(URL, {"ordering": "-attainment_ratio", "as_of": "2017-03-01"})
    )
    assert len(rows) == 18


def test_summary_by_jurisdiction(reader_client, shaoxing_2017, wuhan_2014):
    body = reader_client.get(SUMMARY_URL, {"as_of": "2017-03-01"}).json()
    assert body["group_by"] == "jurisdiction"
    groups = {g["group"]["jurisdiction__code"]: g for g in body["results"]}
    assert groups["330600"]["total"] == 17
    assert groups["330600"]["by_status"]["pending"] == 17
    assert groups["330600"]["mean_attainment"] is None
    assert groups["420100"]["by_status"] == {
        "met": 1, "missed": 0, "on_track": 0, "behind": 0, "in_progress": 0, "pending": 0,
        "no_data": 0,
    }  # fmt: skip
    assert groups["420100"]["mean_attainment"] == 1.0345


def test_summary_by_year_and_indicator(reader_client, shaoxing_2017, wuhan_2014):
    body = reader_client.get(SUMMARY_URL, {"group_by": "year", "as_of": "2018-06-01"}).json()
    years = {g["group"]["year"]: g for g in body["results"]}
    assert years[2017]["by_status"]["no_data"] == 17
    assert years[2014]["by_status"]["met"] == 1
    body = reader_client.get(
        SUMMARY_URL, {"group_by": "indicator", "jurisdiction": "330600"}
    ).json()
    indicators = {g["group"]["indicator__code"]: g["total"] for g in body["results"]}
    assert indicators["rd_personnel"] == 2
    assert reader_client.get(SUMMARY_URL, {"group_by": "colour"}).status_code == 400


def test_growth_gaps(reader_client, shaoxing_2017, wuhan_2014):
    rows = _results(reader_client.get(GROWTH_URL, {"as_of": "2017-03-01"}))
    # Every Shaoxing target with a baseline or a growth measure; Wuhan has neither.
    assert all(r["required_growth"] is not None or r["achieved_growth"] is not None for r in rows)
    by_key = {(r["target"]["indicator"]["code"], r["target"]["measure"]): r for r in rows}
    assert ("rd_intensity", "level") not in by_key
    personnel = by_key[("rd_personnel", "level")]
    assert personnel["required_growth"] == 5.75
    assert personnel["baseline"]["value"] == "36500"
    assert "inconsistent_growth_target" in personnel["flags"]
    assert "status" not in personnel  # the growth view, not the scorecard


def test_list_query_count_does_not_grow_with_rows(reader_client, catalogue, shaoxing):
    def make(n: int, offset: int):
        doc = document("2017-02-01", title=f"batch {offset}")
        for i in range(n):
            year = 2000 + offset + i
            fact(
                Target, jurisdiction=shaoxing, indicator="rd_expenditure", value=100, when=str(year)
            )
            fact(
                Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value=90 + i,
                when=str(year), doc=doc,
            )  # fmt: skip

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = reader_client.get(URL, params)
        assert response.status_code == 200
        return len(queries)

    make(3, 0)
    few = count()
    make(27, 100)
    assert Target.objects.count() == 30
    many = count(page_size=50)
    assert few == many
    # Unfiltered, the page's ids are picked among the bare targets first (one query more);
    # filtered by a target's own fields too, where they are counted as all those matching
    # less the rejected (two queries).
    filtered = count(status="missed")
    assert filtered == few - 1
    assert count(indicator="rd_expenditure") == count(indicator="rd_expenditure", page_size=50)
    assert count(indicator="rd_expenditure") == few + 1
    with CaptureQueriesContext(connection) as queries:
        reader_client.get(GROWTH_URL)
    assert len(queries) == filtered


@pytest.mark.parametrize("filtered_by", [None, "indicator", "review_state", "year"])
def test_the_count_leaves_rejected_targets_out_whatever_the_filter(reader_client, filtered_by):
    generated = generate(targets=300)
    rejected = Target.objects.filter(review_state="rejected").select_related("indicator")
    assert rejected.count() > 5
    one = rejected.first()
    candidates = Target.objects.exclude(review_state="rejected")
    params = {}
    if filtered_by == "indicator":
        params["indicator"] = one.indicator.code
        candidates = candidates.filter(indicator=one.indicator)
    elif filtered_by == "review_state":
        params["review_state"] = "rejected"
        candidates = candidates.none()
    elif filtered_by == "year":
        params["year"] = one.period_end.year
        candidates = candidates.filter(
            period_start__year__lte=one.period_end.year, period_end__year__gte=one.period_end.year
        )
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 1000} | params

    page = reader_client.get(URL, query).json()

    # Exactly the rows the pages list, none rejected, whatever else the filter asks for.
    assert page["count"] == len(page["results"]) == candidates.count()
    assert all(row["target"]["review_state"] != "rejected" for row in page["results"])
    assert page["count"] > 0 or filtered_by == "review_state"


def test_unfiltered_pages_are_the_pages_of_the_default_order_asked_for(reader_client):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 40}
    asked = query | {"ordering": "-period_end,jurisdiction__code,indicator__code,id"}

    def pages(params: dict) -> list[dict]:
        return [reader_client.get(URL, params | {"page": n}).json() for n in (1, 2, 8)]

    def rows(answers: list[dict]) -> list[tuple]:
        return [(a["count"], [r["target"]["id"] for r in a["results"]]) for a in answers]

    # Unfiltered pages are counted and picked by statements compiled once; with the same
    # order asked for, the filters' path counts and picks them: the same count and rows.
    assert rows(pages(query)) == rows(pages(asked))
    assert [a["results"] for a in pages(query)] == [a["results"] for a in pages(asked)]

    # Compiled once, they read the data of now.
    first, second = (reader_client.get(URL, query | {"page": n}).json() for n in (1, 2))
    Target.objects.filter(id=first["results"][0]["target"]["id"]).update(review_state="rejected")
    again = reader_client.get(URL, query).json()
    assert again["count"] == first["count"] - 1
    ids = [r["target"]["id"] for r in first["results"] + second["results"]]
    assert [r["target"]["id"] for r in again["results"]] == ids[1:41]


def test_summary_query_count_is_constant(reader_client, shaoxing_2017):
    with CaptureQueriesContext(connection) as queries:
        assert reader_client.get(SUMMARY_URL).status_code == 200
    # the token with its user's role, and the one aggregate query
    assert len(queries) == 2


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_has_provenance(reader_client, wuhan_2014, editor):
    rows = _csv(reader_client.get(CSV_URL, {"as_of": "2015-06-01"}))
    [row] = rows
    assert row["status"] == "met"
    assert row["actual_document_title"] == "武汉市2014年科技工作总结"
    assert row["actual_published"] == "2015-03-01"
    assert row["actual_quote"] == "全社会研发投入占GDP比重达到3.0%"
    assert row["target_entered_by"] == ""
    assert row["target_reviewed_by"] == ""
    assert row["gap"] == "-0.1"  # a real negative number stays a number
    assert row["attainment_ratio"] == "1.0345"


def test_exports_neutralise_formulas_and_control_characters(reader_client, catalogue, wuhan):
    doc = document("2015-03-01", title='=HYPERLINK("http://evil")', text="@SUM(A1) x")
    fact(
        Target, jurisdiction=wuhan, indicator="rd_intensity", value="2.9", when="2014",
        doc=doc, quote="-2+3 evil\x07 quote",
    )  # fmt: skip
    row = _csv(reader_client.get(CSV_URL))[0]
    assert row["target_document_title"] == '\'=HYPERLINK("http://evil")'
    assert row["target_quote"] == "'-2+3 evil quote"

    response = reader_client.get(XLSX_URL)
    assert response.status_code == 200
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook["attainment"]
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    cells = dict(zip(header, first, strict=True))
    assert cells["target_document_title"] == '\'=HYPERLINK("http://evil")'
    assert cells["target_quote"] == "'-2+3 evil quote"
    assert cells["status"] == "no_data"


def test_xlsx_keeps_numbers_numeric(reader_client, wuhan_2014):
    response = reader_client.get(XLSX_URL, {"as_of": "2015-06-01"})
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, first = list(workbook["attainment"].iter_rows(values_only=True))[:2]
    cells = dict(zip(header, first, strict=True))
    assert cells["gap"] == pytest.approx(-0.1)
    assert cells["target_value"] == pytest.approx(2.9)
    assert cells["actual_quote"] == "全社会研发投入占GDP比重达到3.0%"


def test_export_filters_like_the_list(reader_client, shaoxing_2017, wuhan_2014):
    rows = _csv(reader_client.get(CSV_URL, {"jurisdiction": "330600", "indicator": "rd_personnel"}))
    assert {r["indicator"] for r in rows} == {"rd_personnel"}
    assert len(rows) == 2


def test_schema_includes_the_attainment_endpoints(admin_client_api):
    response = admin_client_api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (URL, SUMMARY_URL, GROWTH_URL, CSV_URL, XLSX_URL):
        assert path in paths


@pytest.mark.django_db
def test_provenance_written_directly_is_what_its_declared_fields_write():
    generate(targets=200)
    reviewed = Actual.objects.exclude(reviewed_by=None).order_by("id")[:50].values("id")
    Actual.objects.filter(id__in=reviewed).update(reviewed_at=timezone.now())
    facts = [
        *with_provenance(Target.objects.order_by("id")),
        *with_provenance(Actual.objects.order_by("id")),
    ]
    # Both kinds of provenance are there: a report's quote, and a person's entry and review.
    assert {f.source_document_id is None for f in facts} == {True, False}
    assert {f.reviewed_at is None for f in facts} == {True, False}
    provenance = FactProvenanceSerializer()
    for each in facts:
        declared = drf_serializers.Serializer.to_representation(provenance, each)
        assert provenance.to_representation(each) == declared


@pytest.mark.django_db
def test_rows_written_plainly_are_what_drf_writes(monkeypatch):
    generated = generate(targets=300)
    rules = rules_get()
    rows = evaluate_page(
        list(attainment_list(as_of=generated.as_of, rules=rules).order_by("id")),
        as_of=generated.as_of,
        rules=rules,
    )
    # Every part of a row has cases to compare: revisions, trajectories, pairs, no baseline.
    assert any(r.superseded for r in rows)
    assert any(r.trajectory for r in rows)
    assert any(r.consistency for r in rows)
    assert any(r.progress for r in rows) and any(r.progress is None for r in rows)
    assert any(r.baseline_actual is None for r in rows)
    plain = {
        row: serializer(rows, many=True).data
        for row, serializer in (
            ("attainment", AttainmentRowSerializer),
            ("growth", GrowthGapRowSerializer),
        )
    }
    monkeypatch.setattr(
        PlainRepresentation, "to_representation", drf_serializers.Serializer.to_representation
    )
    # As JSON: equal dicts could still differ in type (1 and 1.0, True and 1).
    assert _json(plain["attainment"]) == _json(AttainmentRowSerializer(rows, many=True).data)
    assert _json(plain["growth"]) == _json(GrowthGapRowSerializer(rows, many=True).data)


def _json(data) -> str:
    return json.dumps(data, sort_keys=True, default=str)


def test_the_export_is_the_same_whatever_its_chunk_size(reader_client, settings):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}"}
    exports = {}
    for size in (7, 100, 1000):
        settings.ATTAINMENT = {"EXPORT_CHUNK_SIZE": size}
        exports[size] = _csv(reader_client.get(CSV_URL, query))
    # Chunks complete their rows separately (shown actuals, revisions, trajectories): a row
    # must not depend on which chunk it fell in.
    assert len(exports[7]) == Target.objects.exclude(review_state="rejected").count() > 200
    assert exports[7] == exports[100] == exports[1000]
    assert any("revised" in row["flags"] for row in exports[7])
    assert any(row["baseline_value"] for row in exports[7])


@pytest.mark.parametrize("ordering", [None, "jurisdiction__code,-period_end"])
def test_a_large_page_is_the_same_whatever_the_rows_per_statement(
    reader_client, monkeypatch, ordering
):
    generated = generate(targets=300)
    query = {"as_of": f"{generated.as_of:%Y-%m-%d}", "page_size": 1000}
    if ordering:
        query["ordering"] = ordering
    pages, queries = {}, {}
    for size in (7, 1000):
        monkeypatch.setattr(selectors, "ROWS_PER_STATEMENT", size)
        monkeypatch.setattr(rows, "ROWS_PER_STATEMENT", size)
        with CaptureQueriesContext(connection) as captured:
            response = reader_client.get(URL, query)
        assert response.status_code == 200
        pages[size], queries[size] = response.json(), len(captured)
    results = pages[7]["results"]
    assert len(results) == Target.objects.exclude(review_state="rejected").count() > 200
    # Rows evaluated (and their shown actuals fetched) 7 at a time, in the page's order,
    # each revision listed once even when two statements fetched it.
    assert pages[7] == pages[1000]
    assert queries[7] == queries[1000] + 2 * (-(-len(results) // 7) - 1)
    assert any(row["superseded"] for row in results)
    if ordering is None:
        expected = Target.objects.exclude(review_state="rejected").order_by(
            "-period_end", "jurisdiction__code", "indicator__code", "id"
        )
        assert [row["target"]["id"] for row in results] == list(
            expected.values_list("id", flat=True)
        )
    else:
        keys = [
            (row["target"]["jurisdiction"]["code"], row["target"]["period_end"]) for row in results
        ]
        for (code, end), (next_code, next_end) in pairwise(keys):
            assert code < next_code or (code == next_code and end >= next_end)


def test_lists_filtered_by_the_evaluation_page_through_every_matching_row(reader_client):
    generated = generate(targets=300)
    as_of = f"{generated.as_of:%Y-%m-%d}"
    evaluated = attainment_list(as_of=generated.as_of)
    missed = set(evaluated.filter(status="missed").values_list("id", flat=True))
    assert len(missed) > 14

    def every_page(url: str, **params) -> tuple[list[dict], set[int]]:
        rows, counts, page = [], set(), 1
        while page:
            response = reader_client.get(
                url, {"as_of": as_of, "page_size": 7, "page": page, **params}
            )
            assert response.status_code == 200
            body = response.json()
            rows += body["results"]
            counts.add(body["count"])
            page = page + 1 if body["next"] else None
        return rows, counts

    rows, counts = every_page(URL, status="missed", ordering="-gap")
    assert counts == {len(missed)}
    assert {row["status"] for row in rows} == {"missed"}
    assert {row["target"]["id"] for row in rows} == missed
    gaps = [float(row["gap"]) for row in rows if row["gap"] is not None]
    assert gaps == sorted(gaps, reverse=True)

    growth, counts = every_page(GROWTH_URL)
    with_growth = evaluated.exclude(required_growth__isnull=True, achieved_growth__isnull=True)
    assert counts == {with_growth.count()}
    assert [row["target"]["id"] for row in growth] == list(
        with_growth.order_by(
            "-period_end", "jurisdiction__code", "indicator__code", "id"
        ).values_list("id", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_a_page_shows_the_actuals_its_rows_use_revise_and_trace(monkeypatch, vendor):
    """Both ways of fetching them (a statement compiled once, or built per page) agree."""
    generated = generate(targets=300)
    as_of, rules = generated.as_of, rules_get()
    targets = list(attainment_list(as_of=as_of, rules=rules).order_by("id"))
    accepted = list(selectors.accepted_actuals(as_of=as_of))
    by_id = {a.id: a for a in accepted}

    def period(a):
        return (a.jurisdiction_id, a.indicator_id, a.measure, a.period_start, a.period_end)

    def expected(page) -> set[int]:
        ids = {i for t in page for i in (t.a_id, t.b_id) if i is not None}
        used = {period(by_id[t.a_id]) for t in page if t.a_id is not None}
        cagr = {(t.jurisdiction_id, t.indicator_id) for t in page if t.measure == "cagr"}
        yearly = {
            a.id
            for a in accepted
            if (a.jurisdiction_id, a.indicator_id) in cagr
            and a.measure == "level"
            and a.months == 12
            and a.period_start.month == 1
        }
        return ids | {a.id for a in accepted if period(a) in used} | yearly

    # Which formulation runs is chosen by the database; both must answer the same on each.
    real = selectors.statements.dialect
    monkeypatch.setattr(
        selectors.statements, "dialect", lambda using="default": (vendor, real(using)[1])
    )
    shown = {}
    for start in range(0, len(targets), 100):
        page = targets[start : start + 100]
        shown[start] = selectors.shown_actuals(as_of=as_of, targets=page)
        assert {a.id for a in shown[start]} == expected(page)
    # Alone on its page, a row's revised figures (or yearly levels) cannot come in as another
    # row's baseline.
    revised = [t for t in targets if t.a_id and len(expected([t]) - {t.a_id, t.b_id}) > 0]
    assert revised
    for target in revised:
        alone = selectors.shown_actuals(as_of=as_of, targets=[target])
        assert {a.id for a in alone} == expected([target])
    everything = [a for page in shown.values() for a in page]
    # Not vacuous: revised figures and the yearly levels of compound-growth targets.
    assert any(len({a.id for a in everything if period(a) == period(b)}) > 1 for b in everything)
    assert any(t.measure == "cagr" for t in targets) and any(a.months == 12 for a in everything)
    # What a row shows of each: its provenance too.
    first = everything[0]
    fact = Actual.objects.select_related("source_document", "entered_by").get(id=first.id)
    assert first.quote == fact.quote and first.value == fact.value
    assert first.document_title == (fact.source_document.title if fact.source_document else None)
    assert first.entered_by_name == (fact.entered_by.username if fact.entered_by else None)
