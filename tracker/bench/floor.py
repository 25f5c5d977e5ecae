"""Hand-written SQL of the first attainment page and the summary: the floor for the API.

The same reads the API makes of the stored evaluations, written as plain statements: the
count and the first page of rows in the default order, joined to everything a row shows
(the target, its jurisdiction and indicator, the actual used and the baseline, and where
each came from), and the summary's counts per jurisdiction and status. What the API adds on
top (building objects, serializing, JSON, request handling) is the distance the bench
reports. tests/tracker/test_bench.py checks both give the same answers.
"""

from __future__ import annotations

from django.db import connection

PAGE_SIZE = 100

_FACT = (
    "{a}.id, {a}.value, {a}.measure, {a}.unit, {a}.comparator, {a}.period_start, "
    "{a}.period_end, {a}.quote, {a}.span_start, {a}.span_end, {a}.review_state, "
    "{a}.reviewed_at, {a}.created_at, {a}.source_document_id, "
    "{a}_d.title, {a}_d.published, {a}_e.username, {a}_r.username"
)
_PROVENANCE = (
    " LEFT JOIN ingest_sourcedocument {a}_d ON {a}_d.id = {a}.source_document_id"
    " LEFT JOIN auth_user {a}_e ON {a}_e.id = {a}.entered_by_id"
    " LEFT JOIN auth_user {a}_r ON {a}_r.id = {a}.reviewed_by_id"
)
PAGE_SQL = (
    "SELECT e.target_id, e.status, e.attainment_ratio, e.actual_id, e.baseline_id, e.*, "
    "j.code, j.name_zh, j.name_en, i.code, i.name_zh, i.name_en, i.unit, i.nature, i.direction, "
    + ", ".join(_FACT.format(a=a) for a in ("t", "a", "b"))
    + " FROM (SELECT * FROM attainment_evaluation"
    " ORDER BY period_end DESC, jurisdiction_code, indicator_code, target_id"
    f" LIMIT {PAGE_SIZE}) e"
    " JOIN tracker_target t ON t.id = e.target_id"
    " JOIN tracker_jurisdiction j ON j.id = t.jurisdiction_id"
    " JOIN indicators_indicator i ON i.id = t.indicator_id"
    " LEFT JOIN tracker_actual a ON a.id = e.actual_id"
    " LEFT JOIN tracker_actual b ON b.id = e.baseline_id"
    + "".join(_PROVENANCE.format(a=a) for a in ("t", "a", "b"))
    + " ORDER BY e.period_end DESC, e.jurisdiction_code, e.indicator_code, e.target_id"
)
SUMMARY_SQL = (
    "SELECT e.jurisdiction_id, j.code, j.name_zh, e.status, COUNT(*),"
    " SUM(e.attainment_ratio), COUNT(e.attainment_ratio)"
    " FROM attainment_evaluation e JOIN tracker_jurisdiction j ON j.id = e.jurisdiction_id"
    " GROUP BY e.jurisdiction_id, j.code, j.name_zh, e.status"
    " ORDER BY e.jurisdiction_id"
)


def attainment_page() -> tuple[int, list[tuple]]:
    """The count of the stored evaluations and the first page of rows, by hand."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM attainment_evaluation")
        (count,) = cursor.fetchone()
        cursor.execute(PAGE_SQL)
        return count, cursor.fetchall()


def attainment_summary() -> list[tuple]:
    """Counts per jurisdiction and status, with the sum and count of ratios, by hand."""
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_SQL)
        return cursor.fetchall()
