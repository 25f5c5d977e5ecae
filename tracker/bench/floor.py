"""Hand-written SQL of the first attainment page and the summary: the floor for the API.

The same reads the API makes of the stored evaluations, written as plain statements: the
count, the first page's ids in the default order, their rows joined to the target, its
jurisdiction and indicator, the actual used and the baseline, then the documents and the
people those name; and the summary's counts per jurisdiction and status. What the API adds
(request handling, filters, the rows' Python, JSON) is the distance the bench reports.
tests/tracker/test_bench.py checks both give the same answers.
"""

from __future__ import annotations

from django.db import connection

PAGE_SIZE = 100
FACT_WIDTH = 16  # columns of each fact in ROWS_SQL (the target, the actual, the baseline)

_FACT = (
    "{a}.id, {a}.value, {a}.measure, {a}.unit, {a}.comparator, {a}.period_start, "
    "{a}.period_end, {a}.quote, {a}.span_start, {a}.span_end, {a}.review_state, "
    "{a}.reviewed_at, {a}.created_at, {a}.source_document_id, {a}.entered_by_id, "
    "{a}.reviewed_by_id"
)
IDS_SQL = (
    "SELECT target_id FROM attainment_evaluation"
    " ORDER BY period_end DESC, jurisdiction_code, indicator_code, target_id"
    f" LIMIT {PAGE_SIZE}"
)
ROWS_SQL = (
    "SELECT e.target_id, e.status, e.attainment_ratio, e.actual_id, e.baseline_id, e.*,"
    " j.code, j.name_zh, j.name_en, i.code, i.name_zh, i.name_en, i.unit, i.nature,"
    " i.direction, "
    + ", ".join(_FACT.format(a=a) for a in ("t", "a", "b"))
    + " FROM attainment_evaluation e"
    " JOIN tracker_target t ON t.id = e.target_id"
    " JOIN tracker_jurisdiction j ON j.id = t.jurisdiction_id"
    " JOIN indicators_indicator i ON i.id = t.indicator_id"
    " LEFT JOIN tracker_actual a ON a.id = e.actual_id"
    " LEFT JOIN tracker_actual b ON b.id = e.baseline_id"
    " WHERE e.target_id IN ({ids})"
)
SUMMARY_SQL = (
    "SELECT e.jurisdiction_id, j.code, j.name_zh, e.status, COUNT(*),"
    " SUM(e.attainment_ratio), COUNT(e.attainment_ratio)"
    " FROM attainment_evaluation e JOIN tracker_jurisdiction j ON j.id = e.jurisdiction_id"
    " GROUP BY e.jurisdiction_id, j.code, j.name_zh, e.status"
    " ORDER BY e.jurisdiction_id"
)


def attainment_page() -> tuple[int, list[tuple]]:
    """The count of the stored evaluations and the first page of rows (in order), by hand."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM attainment_evaluation")
        (count,) = cursor.fetchone()
        cursor.execute(IDS_SQL)
        ids = [id_ for (id_,) in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(ROWS_SQL.format(ids=marks), ids)
        position = {id_: i for i, id_ in enumerate(ids)}
        rows = sorted(cursor.fetchall(), key=lambda row: position[row[0]])
        # Each fact's last three columns: its document, who entered it, who reviewed it.
        ends = [len(rows[0]) - FACT_WIDTH * k for k in (2, 1, 0)] if rows else []
        documents = {row[end - 3] for row in rows for end in ends}
        people = {row[end - i] for row in rows for end in ends for i in (1, 2)}
        for table, column, wanted in (
            ("ingest_sourcedocument", "title, published", documents - {None}),
            ("auth_user", "username", people - {None}),
        ):
            if wanted:
                marks = ", ".join(["%s"] * len(wanted))
                cursor.execute(
                    f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", list(wanted)
                )
                cursor.fetchall()
        return count, rows


def attainment_summary() -> list[tuple]:
    """Counts per jurisdiction and status, with the sum and count of ratios, by hand."""
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_SQL)
        return cursor.fetchall()
