"""Hand-written SQL for the first attainment page and the summary: the floor for the ORM.

The same rules as tracker.attainment.selectors (only what status and ratio need), written as
one plain statement per dialect, so that the benchmark can say how far the ORM path is from
what the database itself must do. tests/tracker/test_bench.py checks both give the same answers.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import connection

from tracker.attainment.rules import AttainmentRules, Status

PAGE_SIZE = 100
_TZ = re.compile(r"^[A-Za-z0-9_/+-]+$")


def _months(start: str, end: str) -> str:
    """Whole months from one month-start date column to another."""
    if connection.vendor == "sqlite":  # dates are YYYY-MM-DD text
        part = "CAST(substr({c}, {f}) AS INTEGER)"
        y, m = "1, 4", "6, 2"
    else:
        part = "CAST(EXTRACT({f} FROM {c}) AS INTEGER)"
        y, m = "YEAR", "MONTH"
    return (
        f"(({part.format(f=y, c=end)} - {part.format(f=y, c=start)}) * 12"
        f" + {part.format(f=m, c=end)} - {part.format(f=m, c=start)})"
    )


def _known(fact: str, document: str) -> str:
    """When a fact became known: its document's publication date, else its entry date."""
    tz = settings.TIME_ZONE
    if not _TZ.match(tz):
        raise ValueError(f"Unexpected time zone name {tz!r}.")
    if connection.vendor == "sqlite":
        entered = f"django_datetime_cast_date({fact}.created_at, '{tz}', 'UTC')"
    else:
        entered = f"CAST({fact}.created_at AT TIME ZONE '{tz}' AS DATE)"
    return f"COALESCE({document}.published, {entered})"


def _pick(condition: str, *, as_of: date) -> str:
    """The id of the latest accepted actual of the outer target's series meeting condition."""
    known = _known("x", "xd")
    return f"""(
        SELECT x.id FROM tracker_actual x
        LEFT JOIN ingest_sourcedocument xd ON xd.id = x.source_document_id
        WHERE x.jurisdiction_id = t.jurisdiction_id AND x.indicator_id = t.indicator_id
          AND x.review_state = 'accepted' AND {known} <= '{as_of.isoformat()}'
          AND {condition}
        ORDER BY x.period_end DESC, {known} DESC, x.created_at DESC, x.id DESC
        LIMIT 1)"""


def _evaluated(*, targets: str, as_of: date, rules: AttainmentRules) -> str:
    """SELECT of every target in `targets` (a FROM item aliased t) with status and ratio."""
    float_ = "CAST({} AS DOUBLE PRECISION)"
    months_x = _months("x.period_start", "x.period_end") + " + 1"
    period_months = _months("t.period_start", "t.period_end") + " + 1"
    b_months = f"CASE WHEN t.measure = 'cagr' THEN 12 ELSE {period_months} END"
    a_id = _pick(
        "x.measure = t.measure AND x.period_start = t.period_start"
        " AND x.period_end <= t.period_end",
        as_of=as_of,
    )
    level = f"x.measure = 'level' AND {months_x} = {b_months}"
    b_id = _pick(f"{level} AND x.period_end < t.period_start", as_of=as_of)
    cur_id = _pick(f"{level} AND x.period_end <= t.period_end", as_of=as_of)
    month_start = as_of.replace(day=1).isoformat()
    growth = "('yoy_growth', 'cagr', 'growth')"
    b_to_cur = _months("b.period_end", "cur.period_end")
    level_ratio = f"{float_.format('cur.value')} / NULLIF({float_.format('b.value')}, 0.0)"
    level_growth = f"""CASE WHEN s.measure = 'growth' THEN ({level_ratio} - 1.0) * 100.0
        ELSE (POWER({level_ratio}, 12.0 / NULLIF({b_to_cur}, 0)) - 1.0) * 100.0 END"""
    derived = f"""s.measure IN {growth} AND a.id IS NULL AND cur.period_end = s.period_end
        AND {b_to_cur} > 0 AND {float_.format("b.value")} > 0.0"""
    eq, approx = float(rules.eq_tolerance), float(rules.approx_tolerance)
    return f"""
    SELECT v.*,
      CASE WHEN v.e_value IS NULL AND v.period_over THEN 'no_data'
           WHEN v.e_value IS NULL THEN 'pending'
           WHEN v.partial AND v.measure = 'level' AND v.nature = 'flow' THEN
             CASE WHEN (v.comparator IN ('gte', 'gt') AND v.e_value >= v.compare_to)
                    OR (v.comparator IN ('lte', 'lt') AND v.e_value <= v.compare_to)
                    OR (v.comparator IN ('eq', 'approx') AND v.direction = 'higher'
                        AND v.e_value >= v.compare_to * {1 - approx!r})
                    OR (v.comparator IN ('eq', 'approx') AND v.direction <> 'higher'
                        AND v.e_value <= v.compare_to * {1 + approx!r})
                  THEN 'on_track' ELSE 'behind' END
           WHEN (v.comparator = 'gte' AND v.e_value >= v.t_value)
             OR (v.comparator = 'gt' AND v.e_value > v.t_value)
             OR (v.comparator = 'lte' AND v.e_value <= v.t_value)
             OR (v.comparator = 'lt' AND v.e_value < v.t_value)
             OR (v.comparator = 'eq' AND ABS(v.e_value - v.t_value) <= ABS(v.t_value) * {eq!r})
             OR (v.comparator = 'approx'
                 AND ABS(v.e_value - v.t_value) <= ABS(v.t_value) * {approx!r}) THEN
             CASE WHEN v.measure IN {growth} AND v.partial THEN 'on_track' ELSE 'met' END
           WHEN NOT v.partial THEN 'missed'
           WHEN v.measure IN {growth} THEN 'behind'
           ELSE 'in_progress' END AS status,
      CASE WHEN v.direction = 'lower' THEN v.compare_to / NULLIF(v.e_value, 0.0)
           ELSE v.e_value / NULLIF(v.compare_to, 0.0) END AS ratio
    FROM (
      SELECT u.*,
        CASE WHEN u.e_months < u.period_months THEN TRUE ELSE FALSE END AS partial,
        CASE WHEN u.measure = 'level' AND u.nature = 'flow' AND u.e_months < u.period_months
             THEN u.t_value * u.e_months / CAST(u.period_months AS DOUBLE PRECISION)
             ELSE u.t_value END AS compare_to
      FROM (
        SELECT s.id, s.jurisdiction_id, s.indicator_id, s.measure, s.comparator, s.period_end,
          s.j_code, s.j_name, s.i_code, s.nature, s.direction, s.period_months, s.period_over,
          {float_.format("s.value")} AS t_value,
          CASE WHEN a.id IS NOT NULL THEN {float_.format("a.value")}
               WHEN {derived} THEN {level_growth} END AS e_value,
          CASE WHEN a.id IS NOT NULL THEN {_months("s.period_start", "a.period_end")} + 1
               WHEN {derived} THEN s.period_months END AS e_months
        FROM (
          SELECT t.*, j.code AS j_code, j.name_zh AS j_name, i.code AS i_code,
            i.nature, i.direction, {period_months} AS period_months,
            CASE WHEN t.period_end < '{month_start}' THEN TRUE ELSE FALSE END AS period_over,
            {a_id} AS a_id, {b_id} AS b_id, {cur_id} AS cur_id
          FROM {targets}
          JOIN tracker_jurisdiction j ON j.id = t.jurisdiction_id
          JOIN indicators_indicator i ON i.id = t.indicator_id
        ) s
        LEFT JOIN tracker_actual a ON a.id = s.a_id
        LEFT JOIN tracker_actual b ON b.id = s.b_id
        LEFT JOIN tracker_actual cur ON cur.id = s.cur_id
      ) u
    ) v"""


def _rows(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def attainment_page(*, as_of: date, rules: AttainmentRules, size: int = PAGE_SIZE) -> dict:
    """The count of evaluated targets and the first page in the API's default order."""
    first = f"""(SELECT t.* FROM tracker_target t
        JOIN tracker_jurisdiction pj ON pj.id = t.jurisdiction_id
        JOIN indicators_indicator pi ON pi.id = t.indicator_id
        WHERE t.review_state <> 'rejected'
        ORDER BY t.period_end DESC, pj.code, pi.code, t.id LIMIT {int(size)}) t"""
    evaluated = _evaluated(targets=first, as_of=as_of, rules=rules)
    rows = _rows(
        f"SELECT e.id, e.status, e.ratio FROM ({evaluated}) e"
        " ORDER BY e.period_end DESC, e.j_code, e.i_code, e.id"
    )
    count = _rows("SELECT COUNT(*) AS n FROM tracker_target WHERE review_state <> 'rejected'")
    return {"count": count[0]["n"], "results": rows}


def attainment_summary(*, as_of: date, rules: AttainmentRules) -> list[dict]:
    """Counts by status and mean ratio per jurisdiction, as the summary endpoint's default."""
    targets = "(SELECT * FROM tracker_target WHERE review_state <> 'rejected') t"
    evaluated = _evaluated(targets=targets, as_of=as_of, rules=rules)
    counts = ", ".join(
        f"SUM(CASE WHEN e.status = '{s.value}' THEN 1 ELSE 0 END) AS {s.value}" for s in Status
    )
    return _rows(
        f"""SELECT e.jurisdiction_id, e.j_code, e.j_name, COUNT(*) AS total,
            AVG(e.ratio) AS mean_attainment, {counts}
        FROM ({evaluated}) e
        GROUP BY e.jurisdiction_id, e.j_code, e.j_name
        ORDER BY e.jurisdiction_id, e.j_code, e.j_name"""
    )
