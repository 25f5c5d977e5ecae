"""Hand-written SQL for the first attainment page and the summary: the floor for the ORM.

The same rules as tracker.attainment.selectors, written as plain statements per dialect, so
that the benchmark can say how far the ORM path is from what the database itself must do.
The page computes every figure a row of the API shows, with the provenance of its target,
actual and baseline, and fetches the other actuals the page shows (those a used actual
supersedes, the yearly levels of compound-growth targets); the summary computes only what
it counts (status and ratio). Python's share of a row (progress, trajectory, flags) and the
JSON are the ORM path's own. tests/tracker/test_bench.py checks both give the same answers.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tracker.attainment.rules import AttainmentRules, Status
from tracker.attainment.selectors import fixed_utc_offset_minutes

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


def _month(column: str) -> str:
    """The month (1-12) of a date column."""
    if connection.vendor == "sqlite":
        return f"CAST(substr({column}, 6, 2) AS INTEGER)"
    return f"CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"


def _known(fact: str, document: str) -> str:
    """When a fact became known: its document's publication date, else its entry date."""
    tz = settings.TIME_ZONE
    if not _TZ.match(tz):
        raise ValueError(f"Unexpected time zone name {tz!r}.")
    if connection.vendor == "sqlite":
        offset = fixed_utc_offset_minutes(timezone.get_current_timezone())
        if offset is None:  # daylight saving: Django's conversion, a Python call per row
            entered = f"django_datetime_cast_date({fact}.created_at, '{tz}', 'UTC')"
        else:
            entered = f"date({fact}.created_at, '{offset:+d} minutes')"
    else:
        entered = f"CAST({fact}.created_at AT TIME ZONE '{tz}' AS DATE)"
    return f"COALESCE({document}.published, {entered})"


def _pick(condition: str, *, as_of: date, latest_of: str = "x.period_end DESC") -> str:
    """The id of the latest accepted actual of the outer target's series meeting condition."""
    known = _known("x", "xd")
    return f"""(
        SELECT x.id FROM tracker_actual x
        LEFT JOIN ingest_sourcedocument xd ON xd.id = x.source_document_id
        WHERE x.jurisdiction_id = t.jurisdiction_id AND x.indicator_id = t.indicator_id
          AND x.review_state = 'accepted' AND {known} <= '{as_of.isoformat()}'
          AND {condition}
        ORDER BY {latest_of}, {known} DESC, x.created_at DESC, x.id DESC
        LIMIT 1)"""


def _pair(measures: str) -> str:
    """The value of the latest other target for the outer target's series and period."""
    known = _known("p", "pd")
    return f"""(
        SELECT p.value FROM tracker_target p
        LEFT JOIN ingest_sourcedocument pd ON pd.id = p.source_document_id
        WHERE p.jurisdiction_id = t.jurisdiction_id AND p.indicator_id = t.indicator_id
          AND p.period_start = t.period_start AND p.period_end = t.period_end
          AND p.review_state <> 'rejected' AND p.measure IN {measures}
        ORDER BY p.period_end DESC, {known} DESC, p.created_at DESC, p.id DESC
        LIMIT 1)"""


FACT_COLUMNS = [
    "id",
    "value",
    "measure",
    "unit",
    "comparator",
    "period_start",
    "period_end",
    "quote",
    "span_start",
    "span_end",
    "confidence",
    "review_state",
    "reviewed_at",
    "source_document_id",
]


def _fact_columns(alias: str, prefix: str) -> str:
    """A fact's columns with its provenance (document, who entered and reviewed it)."""
    return ", ".join(
        [
            *(f"{alias}.{c} AS {prefix}_{c}" for c in FACT_COLUMNS),
            f"{alias}_d.title AS {prefix}_document_title",
            f"{alias}_d.published AS {prefix}_published",
            f"{alias}_e.username AS {prefix}_entered_by",
            f"{alias}_r.username AS {prefix}_reviewed_by",
        ]
    )


def _provenance_joins(alias: str) -> str:
    """LEFT JOINs of the provenance rows of the fact aliased `alias`."""
    return f"""
        LEFT JOIN ingest_sourcedocument {alias}_d ON {alias}_d.id = {alias}.source_document_id
        LEFT JOIN auth_user {alias}_e ON {alias}_e.id = {alias}.entered_by_id
        LEFT JOIN auth_user {alias}_r ON {alias}_r.id = {alias}.reviewed_by_id"""


def _evaluated(*, targets: str, as_of: date, rules: AttainmentRules, full: bool = False) -> str:
    """SELECT of every target in `targets` (a FROM item aliased t) with status and ratio.

    With full, also every other figure and the provenance a row of the API page shows.
    """
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
    picks = f"{a_id} AS a_id, {b_id} AS b_id, {cur_id} AS cur_id"
    if full:
        b0_id = _pick(
            f"{level} AND x.period_end < t.period_start"
            f" AND {_known('x', 'xd')} <= {_known('t', 'td')}",
            as_of=as_of,
        )
        y_id = _pick(
            "x.measure = 'yoy_growth' AND x.period_start = t.period_start"
            " AND x.period_end = t.period_end",
            as_of=as_of,
        )
        pair = f"""CASE WHEN t.measure = 'level' THEN {_pair("('yoy_growth', 'growth')")}
            WHEN t.measure IN ('yoy_growth', 'cagr', 'growth') THEN {_pair("('level')")} END"""
        picks += f", {b0_id} AS b0_id, {y_id} AS y_id, {pair} AS pair_value"
    month_start = as_of.replace(day=1).isoformat()
    growth = "('yoy_growth', 'cagr', 'growth')"
    b_to_cur = _months("b.period_end", "cur.period_end")
    level_ratio = f"{float_.format('cur.value')} / NULLIF({float_.format('b.value')}, 0.0)"
    level_growth = f"""CASE WHEN s.measure = 'growth' THEN ({level_ratio} - 1.0) * 100.0
        ELSE (POWER({level_ratio}, 12.0 / NULLIF({b_to_cur}, 0)) - 1.0) * 100.0 END"""
    derived = f"""s.measure IN {growth} AND a.id IS NULL AND cur.period_end = s.period_end
        AND {b_to_cur} > 0 AND {float_.format("b.value")} > 0.0"""
    eq, approx = float(rules.eq_tolerance), float(rules.approx_tolerance)
    # The full page's extra figures, at each stage of the statement.
    full_s = full_u = full_v = full_e = full_joins = target_document = ""
    if full:
        b_to_t = _months("b.period_end", "s.period_end")
        b_value = float_.format("b.value")
        source = f"""CASE
            WHEN s.measure IN {growth} AND a.id IS NOT NULL AND a.period_end = s.period_end
              THEN 'direct'
            WHEN {b_to_cur} > 0 AND {b_value} > 0.0 THEN 'levels'
            WHEN s.measure = 'level' AND y.id IS NOT NULL THEN 'yoy_actual' END"""
        full_s = f""", s.b0_id, s.cur_id, s.y_id, s.pair_value,
          {_fact_columns("s", "target")}, {_fact_columns("a", "a")}, {_fact_columns("b", "b")},
          s.j_name_en, s.i_name_zh, s.i_name_en, s.unit_name,
          b0.period_end AS b0_period_end,
          {float_.format("b0.value")} AS b0_value, cur.period_end AS cur_period_end,
          {float_.format("cur.value")} AS cur_value, {b_to_t} AS months_b_to_t,
          CASE WHEN s.measure = 'level' AND {b_to_t} > 0
               THEN (POWER({float_.format("s.value")} / NULLIF({b_value}, 0.0),
                           12.0 / {b_to_t}) - 1.0) * 100.0
               WHEN s.measure IN {growth} THEN {float_.format("s.value")} END
            AS required_growth,
          {source} AS growth_source,
          CASE {source} WHEN 'direct' THEN {float_.format("a.value")}
               WHEN 'levels' THEN {level_growth}
               WHEN 'yoy_actual' THEN {float_.format("y.value")} END AS achieved_growth,
          CASE WHEN {derived} THEN TRUE ELSE FALSE END AS derived"""
        full_u = """,
          u.achieved_growth - u.required_growth AS growth_gap,
          CASE WHEN u.measure = 'level' AND u.nature = 'flow' AND u.e_months < u.period_months
               THEN u.e_value * u.period_months / NULLIF(CAST(u.e_months AS DOUBLE PRECISION),
                                                       0.0) END AS projection"""
        full_v = ", v.compare_to - v.e_value AS gap"
        full_e = f""", j.name_en AS j_name_en, i.name_zh AS i_name_zh,
            i.name_en AS i_name_en, i.unit AS unit_name, {_known("t", "td")} AS t_known"""
        target_document = "LEFT JOIN ingest_sourcedocument td ON td.id = t.source_document_id"
        full_joins = f"""{_provenance_joins("s")}{_provenance_joins("a")}{_provenance_joins("b")}
        LEFT JOIN tracker_actual b0 ON b0.id = s.b0_id
        LEFT JOIN tracker_actual y ON y.id = s.y_id"""
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
           ELSE v.e_value / NULLIF(v.compare_to, 0.0) END AS ratio{full_v}
    FROM (
      SELECT u.*,
        CASE WHEN u.e_months < u.period_months THEN TRUE ELSE FALSE END AS partial,
        CASE WHEN u.measure = 'level' AND u.nature = 'flow' AND u.e_months < u.period_months
             THEN u.t_value * u.e_months / CAST(u.period_months AS DOUBLE PRECISION)
             ELSE u.t_value END AS compare_to{full_u}
      FROM (
        SELECT s.id, s.jurisdiction_id, s.indicator_id, s.measure, s.comparator, s.period_end,
          s.j_code, s.j_name, s.i_code, s.nature, s.direction, s.period_months, s.period_over,
          {float_.format("s.value")} AS t_value,
          CASE WHEN a.id IS NOT NULL THEN {float_.format("a.value")}
               WHEN {derived} THEN {level_growth} END AS e_value,
          CASE WHEN a.id IS NOT NULL THEN {_months("s.period_start", "a.period_end")} + 1
               WHEN {derived} THEN s.period_months END AS e_months{full_s}
        FROM (
          SELECT t.*, j.code AS j_code, j.name_zh AS j_name, i.code AS i_code,
            i.nature, i.direction, {period_months} AS period_months,
            CASE WHEN t.period_end < '{month_start}' THEN TRUE ELSE FALSE END AS period_over,
            {picks}{full_e}
          FROM {targets}
          JOIN tracker_jurisdiction j ON j.id = t.jurisdiction_id
          JOIN indicators_indicator i ON i.id = t.indicator_id
          {target_document}
        ) s
        LEFT JOIN tracker_actual a ON a.id = s.a_id
        LEFT JOIN tracker_actual b ON b.id = s.b_id
        LEFT JOIN tracker_actual cur ON cur.id = s.cur_id{full_joins}
      ) u
    ) v"""


def _rows(sql: str, params: list | None = None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _values(rows: set[tuple], params: list) -> str:
    """A select of literal rows (their values appended to params) for an IN condition."""
    width = len(next(iter(rows)))
    row_sql = "(" + ", ".join(["%s"] * width) + ")"
    for row in sorted(rows):
        params.extend(
            connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in row
        )
    return f"SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v"


def _shown_actuals(rows: list[dict], *, as_of: date) -> list[dict]:
    """The accepted actuals a page shows: used, baselines, superseded ones and CAGR years."""
    if not rows:
        return []
    params: list = []
    known = _known("x", "xd")
    series = {(r["jurisdiction_id"], r["indicator_id"]) for r in rows}
    conditions = ["1 = 0"]
    ids = sorted({r[k] for r in rows for k in ("a_id", "b_id") if r[k] is not None})
    if ids:
        conditions.append(f"x.id IN ({', '.join(str(int(i)) for i in ids)})")
    used = {
        (
            r["jurisdiction_id"],
            r["indicator_id"],
            r["measure"],
            r["a_period_start"],
            r["a_period_end"],
        )
        for r in rows
        if r["a_id"] is not None
    }
    if used:
        conditions.append(
            "(x.jurisdiction_id, x.indicator_id, x.measure, x.period_start, x.period_end)"
            f" IN ({_values(used, params)})"
        )
    cagr = {(r["jurisdiction_id"], r["indicator_id"]) for r in rows if r["measure"] == "cagr"}
    if cagr:
        conditions.append(
            f"((x.jurisdiction_id, x.indicator_id) IN ({_values(cagr, params)})"
            f" AND x.measure = 'level' AND {_months('x.period_start', 'x.period_end')} = 11"
            f" AND {_month('x.period_start')} = 1)"
        )
    series_sql = _values(series, params)
    return _rows(
        f"""SELECT x.*, {known} AS known, xd.title AS document_title,
            xd.published AS published, xe.username AS entered_by_name,
            xr.username AS reviewed_by_name
        FROM tracker_actual x
        LEFT JOIN ingest_sourcedocument xd ON xd.id = x.source_document_id
        LEFT JOIN auth_user xe ON xe.id = x.entered_by_id
        LEFT JOIN auth_user xr ON xr.id = x.reviewed_by_id
        WHERE x.review_state = 'accepted' AND {known} <= '{as_of.isoformat()}'
          AND ({" OR ".join(conditions)})
          AND (x.jurisdiction_id, x.indicator_id) IN ({series_sql})
        ORDER BY x.period_end DESC, {known} DESC, x.created_at DESC, x.id DESC""",
        params,
    )


def attainment_page(*, as_of: date, rules: AttainmentRules, size: int = PAGE_SIZE) -> dict:
    """The count of evaluated targets, the first page in the API's default order, and the
    other actuals the page shows."""
    # The page's ids first: sorting them reads the period index alone, where sorting whole
    # rows would read every target of the latest period from the table.
    first = f"""(SELECT t.* FROM tracker_target t WHERE t.id IN (
        SELECT s.id FROM tracker_target s
        JOIN tracker_jurisdiction pj ON pj.id = s.jurisdiction_id
        JOIN indicators_indicator pi ON pi.id = s.indicator_id
        WHERE s.review_state <> 'rejected'
        ORDER BY s.period_end DESC, pj.code, pi.code, s.id LIMIT {int(size)})) t"""
    evaluated = _evaluated(targets=first, as_of=as_of, rules=rules, full=True)
    rows = _rows(
        f"SELECT e.* FROM ({evaluated}) e ORDER BY e.period_end DESC, e.j_code, e.i_code, e.id"
    )
    # All less the rejected, as the API counts them: SQLite counts a whole table without
    # reading its rows, and the rejected from their partial index.
    count = _rows(
        """SELECT (SELECT COUNT(*) FROM tracker_target)
            - (SELECT COUNT(*) FROM tracker_target WHERE review_state = 'rejected') AS n"""
    )
    return {
        "count": count[0]["n"],
        "results": rows,
        "shown_actuals": _shown_actuals(rows, as_of=as_of),
    }


def attainment_summary(*, as_of: date, rules: AttainmentRules) -> list[dict]:
    """Counts by status and mean ratio per jurisdiction, as the summary endpoint's default."""
    targets = "(SELECT * FROM tracker_target WHERE review_state <> 'rejected') t"
    evaluated = _evaluated(targets=targets, as_of=as_of, rules=rules)
    # Grouped by status first: the databases inline a sub-select's columns, so a sum per
    # status over the evaluated rows would compute each row's status once per status.
    counts = ", ".join(
        f"SUM(CASE WHEN g.status = '{s.value}' THEN g.n ELSE 0 END) AS {s.value}" for s in Status
    )
    return _rows(
        f"""SELECT g.jurisdiction_id, g.j_code, g.j_name, SUM(g.n) AS total,
            SUM(g.ratio_sum) / NULLIF(SUM(g.ratio_n), 0) AS mean_attainment, {counts}
        FROM (
          SELECT e.jurisdiction_id, e.j_code, e.j_name, e.status, COUNT(*) AS n,
            SUM(e.ratio) AS ratio_sum, COUNT(e.ratio) AS ratio_n
          FROM ({evaluated}) e
          GROUP BY e.jurisdiction_id, e.j_code, e.j_name, e.status
        ) g
        GROUP BY g.jurisdiction_id, g.j_code, g.j_name
        ORDER BY g.jurisdiction_id, g.j_code, g.j_name"""
    )
