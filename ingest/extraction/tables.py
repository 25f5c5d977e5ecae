"""Tables of indicators: a target column and a result column per row, read by column.

Reports lay out their main indicators as tables ("表一 主要指标完成情况": 指标名称 | 单位 |
2015年目标 | 2015年实绩). Stored as text, a table is either one cell per line or a row per
line with its cells split by "|" or tabs; the sentence reader sees only unit-less numbers in
either. This module finds such a table by its header (a cell 指标 or 指标名称), learns what each
value column holds from the header (a year, target or result, a level or a growth rate),
and reads every row whose label names a catalogue indicator: one candidate per value cell,
quoted from the row's label to the cell.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from .catalogue import Catalogue
from .decide import ACTUAL, TARGET, comparator
from .document import DocYears
from .layout import View
from .periods import FIVE_YEAR_PLANS, Period
from .units import MULTIPLIERS, compatible, to_base
from .walk import Candidate

__all__ = ["table_candidates"]


@dataclass(frozen=True)
class Cell:
    """One cell's text (spaces removed) and where it stands in the view."""

    text: str
    start: int
    end: int
    line: int  # the line it stands on: a row per line, or a cell per line


@dataclass(frozen=True)
class Column:
    """What one value column holds: whose year, target or result, level or growth."""

    year: int | None
    kind: str | None
    growth: bool
    estimate: bool = False  # 预计: a result estimated before the year's figures are out
    rate: bool = False  # 完成率, 完成进度: how much of the target was met, no figure of its own
    # 年均增长 after the year columns (2020年 | 2025年 | 年均增长(%)): an average rate from the
    # year after this one to `year`.
    average_from: int | None = None
    window: Period | None = None  # “十四五”累计: a flow's total over a plan's years


# A table starts at its header's first cell: 指标, 指标名称, 主要指标, 考核指标, 项目 (spaced
# out or not).
_HEADER_START_RE = re.compile(r"(?:序号|主要|考核)?指标(?:名称|项)?|项目(?:名称)?")
# Header cells that say nothing of a value column.
# Columns before the label: the row's number, its category (创新投入, 创新主体).
_LEAD_COLUMNS = frozenset({"序号", "类别", "类型", "领域", "一级指标"})
_LABEL_COLUMNS_RE = re.compile(r"序号|指标|名称|^项目$|单位|属性|类别|备注|类型")
_UNIT_COLUMN_RE = re.compile(r"(?:计量)?单位")
_TRAILING_COLUMNS_RE = re.compile(r"属性|备注|类别|类型")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年?")
_TARGET_WORDS = ("目标", "预期", "计划", "规划")
_RESULT_WORDS = ("实绩", "完成", "实际", "执行", "现状", "基期", "基数", "实现", "预计")
_GROWTH_WORDS = ("增速", "增长", "增幅", "年均")
# A plan's total: “十四五”累计, 十四五期间累计, 五年累计.
_PLAN_TOTAL_RE = re.compile(
    r"[“\"]?十(?P<plan>[一二三四五])五[”\"]?(?:期间)?累计|(?P<five>五年)累计"
)
_RATE_RE = re.compile(r"(?:完成|达标)(?:率|进度|比例)")
# A cell too long or punctuated like a sentence ends the table.
_MAX_CELL = 40
_SENTENCE_PUNCT = re.compile(r"[。；;！？]")
_VALUE_RE = re.compile(
    r"(?P<pre>约|近|超过|超|不低于|不少于)?(?P<num>[-－]?\d+(?:\.\d+)?)(?P<mult>万|亿)?"
    r"(?P<post>以上|左右|以内|以下|多|余)?"
)
_RULE_LINE_RE = re.compile(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-{3,}:?\s*\|?\s*")
_EMPTY_VALUES = frozenset({"-", "—", "--", "——", "/", "－", "…", ""})
_GLOSSED_UNIT_RE = re.compile(r"\s*[(（]([^()（）]{1,6})[)）]")
_UNIT_RE = re.compile(
    r"(?P<mult>" + "|".join(sorted(MULTIPLIERS, key=len, reverse=True)) + r")?"
    r"(?P<unit>元|%|％|件|家|项|个|人|人年|户|份|台套|平方米|平米)"
)


def table_candidates(
    view: View, original: str, cat: Catalogue, years: DocYears, published: date | None
) -> list[Candidate]:
    """Candidates read from every indicator table of a view (of the `original` text)."""
    if "指标" not in view.text and "项目" not in view.text:
        return []  # no table header: most reports, read without splitting their lines
    cells = _cells(view.text)
    reader = _Reader(view, original, cat, years, published)
    out: list[Candidate] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell is not None and _HEADER_START_RE.fullmatch(cell.text):
            # The header starts with the rows' numbers or categories, if any.
            start = i
            while (
                start and (before := cells[start - 1]) is not None and before.text in _LEAD_COLUMNS
            ):
                start -= 1
            found, after = reader.table(cells, start)
            out.extend(found)
            # Past this header whatever the table gave: a table read from the lead columns
            # before it may end before it (no row found), and would find it again forever.
            i = max(after, i + 1)
        else:
            i += 1
    return out


def _cells(text: str) -> list[Cell | None]:
    """The text's short cells in order; None where a sentence-like line breaks a table."""
    out: list[Cell | None] = []
    pos = 0
    for number, line in enumerate(text.split("\n")):
        start, pos = pos, pos + len(line) + 1
        if _RULE_LINE_RE.fullmatch(line):
            continue  # "| --- | :---: |": the rule under a Markdown table's header
        parts = re.split(r"[|\t]", line) if ("|" in line or "\t" in line) else [line]
        offset = start
        for part in parts:
            stripped = part.strip()
            if stripped:
                lead = part.index(stripped[0])
                cell_start = offset + lead
                squeezed = re.sub(r"\s+", "", stripped)
                if len(squeezed) > _MAX_CELL or _SENTENCE_PUNCT.search(squeezed):
                    out.append(None)
                else:
                    out.append(Cell(squeezed, cell_start, cell_start + len(stripped), number))
            offset += len(part) + 1
    return out


@dataclass(frozen=True)
class _Reader:
    """What reading a table needs of the document."""

    view: View
    original: str
    cat: Catalogue
    years: DocYears
    published: date | None

    def table(self, cells: list[Cell | None], at: int) -> tuple[list[Candidate], int]:
        """Read the table whose header starts at `at`; (candidates, index after it)."""
        end = next((j for j in range(at, len(cells)) if cells[j] is None), len(cells))
        table = [c for c in cells[at:end] if c is not None]
        leading = next((k for k, c in enumerate(table) if c.text not in _LEAD_COLUMNS), 0)
        first_row = _first_row(table, leading)
        if first_row is None:
            return [], at + 1
        header = [c.text for c in table[:first_row]]
        columns = _columns(header, self.years, self.published)
        if not columns:
            return [], end
        lead = next((k for k, h in enumerate(header) if h not in _LEAD_COLUMNS), 0)
        has_index = "序号" in header[:lead]
        has_unit = any(_UNIT_COLUMN_RE.fullmatch(h) for h in header)
        trailing = sum(1 for h in header[lead:] if _TRAILING_COLUMNS_RE.fullmatch(h))
        if len({c.line for c in table[:first_row]}) < first_row:
            # A row per line: each line is read from its right end, so that a category
            # cell merged over several rows (given only on the first) does not shift them.
            rows = _lines(table[first_row:])
        else:
            width = lead + 1 + has_unit + len(columns) + trailing
            rows = _chunks(table[first_row:], width, numbered=has_index)
        found, read = self._rows(rows, columns, has_unit=has_unit, trailing=trailing)
        return found, at + first_row + max(read, 1)

    def _rows(
        self, rows: list[list[Cell]], columns: list[Column], *, has_unit: bool, trailing: int
    ) -> tuple[list[Candidate], int]:
        """Candidates of the rows, each read from its right end (values, unit, label), up to
        the first row that does not fit; and how many cells those rows took."""
        out: list[Candidate] = []
        needed = 1 + has_unit + len(columns)
        read = 0
        for row in rows:
            cells = row[: len(row) - trailing] if len(row) >= needed + trailing else row
            if len(cells) < needed:
                break
            values = cells[len(cells) - len(columns) :]
            if not _row_of_values(columns, values):
                break
            label = cells[len(cells) - len(columns) - 1 - has_unit]
            unit = cells[len(cells) - len(columns) - 1].text if has_unit else None
            unit = unit or self._unit_after(label)
            for column, value in zip(columns, values, strict=True):
                found = _candidate(self.cat, label, unit, column, value)
                if found is not None:
                    out.append(found)
            read += len(row)
        return out, read

    def _unit_after(self, label: Cell) -> str | None:
        """The unit a label names in brackets (高新技术企业数(家)), which the view drops as a
        gloss: read from the original text right after the label."""
        _, end = self.view.origin(label.start, label.end)
        m = _GLOSSED_UNIT_RE.match(self.original, end)
        return m.group(1) if m else None


def _row_of_values(columns: list[Column], values: list[Cell]) -> bool:
    """Whether the cells under the value columns hold values (a rate column: anything)."""
    return all(
        column.rate or v.text in _EMPTY_VALUES or _VALUE_RE.fullmatch(v.text) is not None
        for column, v in zip(columns, values, strict=True)
    )


def _chunks(cells: list[Cell], width: int, *, numbered: bool) -> list[list[Cell]]:
    """Rows of a table laid out one cell per line: `width` cells each, while a numbered
    table's rows start with their number."""
    rows = [cells[i : i + width] for i in range(0, len(cells) - width + 1, width)]
    if numbered:
        rows = list(itertools.takewhile(lambda row: row[0].text.isdigit(), rows))
    return rows


def _lines(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped by the line they stand on, in order."""
    rows: list[list[Cell]] = []
    for cell in cells:
        if rows and rows[-1][-1].line == cell.line:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return rows


def _first_row(table: list[Cell], leading: int) -> int | None:
    """Index of the first row: its label, the first cell after the header that names
    something and is followed, within two cells, by a value; or the cells of the `leading`
    columns before it (the row's number, its category), or its number."""
    for i, cell in enumerate(table[1:], start=1):
        if _LABEL_COLUMNS_RE.search(cell.text) or _is_header_word(cell.text):
            continue
        if _VALUE_RE.fullmatch(cell.text) or cell.text.isdigit():
            continue
        following = table[i + 1 : i + 3]
        if any(_VALUE_RE.fullmatch(c.text) for c in following):
            start = i
            for _ in range(min(max(leading, 1), start)):
                before = table[start - 1].text
                if _LABEL_COLUMNS_RE.search(before) or _is_header_word(before):
                    break
                if not leading and not before.isdigit():
                    break
                start -= 1
            return start
    return None


def _is_header_word(text: str) -> bool:
    """A short cell naming a column (2015年目标, 绝对值, 增速); row labels name indicators."""
    return len(text) <= 8 and (
        bool(_YEAR_RE.search(text))
        or any(w in text for w in (*_TARGET_WORDS, *_RESULT_WORDS, *_GROWTH_WORDS, "绝对值"))
    )


def _columns(header: list[str], years: DocYears, published: date | None) -> list[Column]:
    """The value columns a header names, in order: groups (2015年目标, 2015年实绩) over their
    sub-columns (绝对值, 增速) when it has both, else one column per cell."""
    values = [h for h in header if not _LABEL_COLUMNS_RE.search(h)]
    groups = [h for h in values if _YEAR_RE.search(h) or _kind_word(h) or _PLAN_TOTAL_RE.search(h)]
    subs = [h for h in values if h not in groups]
    # Average rates after the year columns (2020年 | 2025年 | 年均增长): every sub-column, last.
    averages = []
    if groups and subs and subs[-1] == values[-1] and all("年均" in h for h in subs):
        averages, subs = subs, []
    dated = [h for h in groups if _YEAR_RE.search(h)]
    if not subs and dated and groups[: len(dated)] == dated and len(groups) == 2 * len(dated):
        # A header of two rows: the years (2020年 | 2025年), then what each holds (基期值 |
        # 目标值).
        subs, groups = groups[len(dated) :], dated
    if subs and groups and len(subs) % len(groups) == 0:
        per_group = len(subs) // len(groups)
        pairs = [
            (group, subs[i * per_group + k])
            for i, group in enumerate(groups)
            for k in range(per_group)
        ]
    elif not subs:
        pairs = [(g, g) for g in groups]
    else:
        return []
    kinds = [_kind_word(g) or _kind_word(s) for g, s in pairs]
    # Columns without years are one year's: the reviewed one when results are among them
    # (年度目标 | 完成值), else the planned one.
    undated = years.review if ACTUAL in kinds else years.plan
    out = []
    for (group, sub), kind in zip(pairs, kinds, strict=True):
        year_match = _YEAR_RE.search(group) or _YEAR_RE.search(sub)
        year = int(year_match.group(1)) if year_match else None
        kind = kind or _kind_of_year(year, years, published)
        growth = any(w in sub or w in group for w in _GROWTH_WORDS)
        estimate = "预计" in group or "预计" in sub
        rate = _RATE_RE.search(sub) is not None
        if _PLAN_TOTAL_RE.search(group):
            # A plan's total: its years, or none (and no figure) when the header gives none.
            window = _plan_total(group, out[-1].year if out else None)
            year = window.end_year if window else None
            kind = kind or _kind_of_year(year, years, published)
            out.append(Column(year, kind, growth, estimate, rate, window=window))
        else:
            out.append(Column(year or undated, kind, growth, estimate, rate))
    if averages:
        # One column for them all, from the year columns alone (not from one another).
        out.extend([_average_column(out)] * len(averages))
    return out


def _average_column(columns: list[Column]) -> Column:
    """The column of average rates after year columns: from the first year to the last, of
    the last one's kind (a column no figure is read from when they give no span)."""
    first, last = columns[0], columns[-1]
    if first.year is not None and last.year is not None and first.year < last.year:
        return replace(last, growth=True, average_from=first.year)
    return Column(None, None, True)


def _plan_total(text: str, last_year: int | None = None) -> Period | None:
    """The years a plan's total column adds up (“十四五”累计: 2021–2025; 五年累计: the five
    years up to the last year column before it)."""
    m = _PLAN_TOTAL_RE.search(text)
    if m is None:
        return None
    if m.group("plan"):
        first = FIVE_YEAR_PLANS["十" + m.group("plan") + "五"]
        return Period.years(first, first + 4)
    return None if last_year is None else Period.years(last_year - 4, last_year)


def _kind_word(text: str) -> str | None:
    if any(w in text for w in _RESULT_WORDS):
        return ACTUAL
    if any(w in text for w in _TARGET_WORDS):
        return TARGET
    return None


def _kind_of_year(year: int | None, years: DocYears, published: date | None) -> str | None:
    """A bare year column: a result when the year is over, else a target."""
    if year is None:
        return None
    if published is not None:
        # The publication's own year is over only at its end: a plan published in March
        # (三年行动计划(2023-2025年): 2023年 | 2024年 | 2025年) sets that year's goal.
        over = year < published.year or (year == published.year and published.month == 12)
        return ACTUAL if over else TARGET
    now = years.report_year
    if now is None:
        return None
    return ACTUAL if year < now or (year == now and years.review == year) else TARGET


def _candidate(
    cat: Catalogue, label: Cell, unit: str | None, column: Column, value: Cell
) -> Candidate | None:
    """The candidate one value cell states, or None."""
    m = _VALUE_RE.fullmatch(value.text)
    if m is None or column.rate or column.year is None or column.kind is None:
        return None
    if "年均" in label.text and column.average_from is None:
        return None  # an average rate over years the column does not give
    # A growth column, or a row of growth rates (研发经费增长(%)).
    growth = column.growth or (
        any(w in label.text for w in _GROWTH_WORDS) and (unit or "") in ("%", "％")
    )
    if growth:
        base, factor = "percent", Decimal(1)
    else:
        unit_match = _UNIT_RE.fullmatch(unit or "")
        if unit_match is None:
            return None
        base, factor = to_base(unit_match.group("unit"), unit_match.group("mult"))
    try:
        number = Decimal(m.group("num").replace("－", "-")) * factor
    except InvalidOperation:
        return None
    if m.group("mult"):
        number *= MULTIPLIERS[m.group("mult")]
    name = re.sub(r"[(（][^()（）]*[)）]\s*$", "", label.text)
    phrase = cat.read_phrase(name)
    indicator = cat.resolve(phrase, None if growth else base, growth=growth)
    if indicator is None or (not growth and not compatible(indicator.unit, base)):
        return None
    if growth and indicator.nature == "ratio":
        return None  # a share's change is said in points
    words = (m.group("pre") or "") + (m.group("post") or "")
    measure, period = ("yoy_growth" if growth else "level"), Period.year(column.year)
    if column.average_from is not None:
        # FACTS.md, growth windows: from the year after the base to the end year.
        measure, period = "cagr", Period.years(column.average_from + 1, column.year)
    if column.window is not None:
        if growth or indicator.is_stock:
            return None  # FACTS.md: a plan's total is a fact of a flow only
        period = column.window
    return Candidate(
        kind=column.kind,
        indicator=indicator,
        measure=measure,
        value=number,
        comparator=comparator(column.kind, words, indicator, estimate=column.estimate),
        period=period,
        start=label.start,
        end=value.end,
        confidence=0.7,
    )
