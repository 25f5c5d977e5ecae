"""The attainment export as a workbook an auditor can hand on (XLSX, streamed).

The first sheet holds the export's rows (the CSV's columns, tests/tracker/test_exports...):
its header row stays in view and carries filters, columns have widths, periods and days
are real date cells, the attainment ratio a percentage, and beside each base-unit value a
column writes it as the reports do (127亿元, 不低于127亿元, 差 2亿元). Headers are in
Chinese; in English they are the column codes of the CSV and the API. The second sheet
describes every column and the rules the evaluation used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker import display
from tracker.attainment import exports
from tracker.attainment.models import Status
from tracker.attainment.rules import AttainmentRules
from tracker.attainment.spreadsheet import Heading, Month, Share, Sheet, xlsx_workbook

# Columns whose cells are a month or a day: written as dates, not as text.
MONTHS = {
    "period_start",
    "period_end",
    "actual_period_start",
    "actual_period_end",
    "baseline_period_end",
}
DAYS = {"target_published", "actual_published", "as_of"}
SHARES = {"attainment_ratio", "rollup_coverage"}

# code: (Chinese header, what the column holds, width in characters)
COLUMNS: dict[str, tuple[Any, Any, float]] = {
    "target_id": (_("Target id"), _("The target's id (the API's /api/v1/targets/{id}/)."), 9),
    "jurisdiction_code": (
        _("Division code"),
        _("The jurisdiction's administrative division code (GB/T 2260)."),
        10,
    ),
    "jurisdiction": (_("Jurisdiction"), _("The jurisdiction's name."), 12),
    "indicator": (_("Indicator code"), _("The indicator's code in the catalogue."), 20),
    "indicator_name": (_("Indicator"), _("The indicator's name."), 24),
    "measure": (
        _("Measure"),
        _("level: the quantity itself; yoy_growth, cagr, growth: a growth rate in percent."),
        10,
    ),
    "comparator": (
        _("Comparator"),
        _("How the target is meant: eq =, gte ≥ 不低于, gt > 超过, lte ≤, lt <, approx 左右."),
        10,
    ),
    "target_value": (
        _("Target (base unit)"),
        _("The target in the indicator's base unit: yuan, a count, percent …"),
        16,
    ),
    "target_display": (
        _("Target (as reported)"),
        _("The target as reports write it, with its comparator: 不低于127亿元."),
        18,
    ),
    "unit": (_("Base unit"), _("The base unit of every value of the row."), 9),
    "period_start": (_("Period start"), _("The first month of the target's period."), 10),
    "period_end": (_("Period end"), _("The last month of the target's period."), 10),
    "target_document_title": (_("Target: document"), _("The report the target comes from."), 28),
    "target_published": (_("Target: published"), _("The day that report was published."), 11),
    "target_quote": (_("Target: quote"), _("The words of the report that state the target."), 36),
    "target_entered_by": (_("Target: entered by"), _("Who (or which import) entered it."), 12),
    "target_reviewed_by": (_("Target: reviewed by"), _("Who accepted it."), 12),
    "status": (_("Status code"), _("The status as the API writes it: met, missed …"), 11),
    "status_label": (_("Status"), _("The status in words: 达标, 未达标, 进度正常 …"), 14),
    "attainment_ratio": (
        _("Attainment"),
        _("The actual as a share of the target (inverted where lower is better)."),
        11,
    ),
    "gap": (
        _("Gap (base unit)"),
        _("The target minus the actual, in the base unit (percentage points for percent)."),
        16,
    ),
    "gap_display": (
        _("Gap (as reported)"),
        _("The gap in words: 差 2亿元 (short), 超 2亿元 (over)."),
        16,
    ),
    "compared_with": (
        _("Compared with"),
        _("What the actual was compared with: the target, pro-rated for a part of its period."),
        16,
    ),
    "projection": (
        _("Projection"),
        _("A part-period flow carried to the whole period at the same pace."),
        16,
    ),
    "actual_id": (
        _("Actual id"),
        _("The id of the actual that counts."),
        9,
    ),
    "actual_value": (_("Actual (base unit)"), _("The actual in the base unit."), 16),
    "actual_display": (_("Actual (as reported)"), _("The actual as reports write it."), 14),
    "actual_period_start": (_("Actual period start"), _("The first month the actual covers."), 10),
    "actual_period_end": (_("Actual period end"), _("The last month the actual covers."), 10),
    "actual_document_title": (_("Actual: document"), _("The report the actual comes from."), 28),
    "actual_published": (_("Actual: published"), _("The day that report was published."), 11),
    "actual_quote": (_("Actual: quote"), _("The words of the report that state the actual."), 36),
    "actual_entered_by": (_("Actual: entered by"), _("Who (or which import) entered it."), 12),
    "actual_reviewed_by": (_("Actual: reviewed by"), _("Who accepted it."), 12),
    "baseline_value": (
        _("Baseline (base unit)"),
        _("The actual before the target's period that growth is computed from."),
        16,
    ),
    "baseline_display": (_("Baseline (as reported)"), _("The baseline as reports write it."), 14),
    "baseline_period_end": (_("Baseline period end"), _("The last month of the baseline."), 10),
    "required_growth": (
        _("Required growth (%)"),
        _("The annual growth the target needs from the baseline, in percent."),
        11,
    ),
    "achieved_growth": (_("Achieved growth (%)"), _("The growth achieved, in percent."), 11),
    "growth_gap": (
        _("Growth gap (pp)"),
        _("Achieved minus required growth, in percentage points."),
        11,
    ),
    "progress": (
        _("Progress"),
        _("A multi-year target mid-way: achieved, on_track, acceleration_needed …"),
        14,
    ),
    "flags": (
        _("Flags"),
        _("Remarks on the evaluation, separated by ';'."),
        20,
    ),
    "as_of": (
        _("As of"),
        _("The day taken as today: later actuals are ignored."),
        11,
    ),
    "year_to_date": (
        _("Year to date"),
        _("A flow's part-period figures of the year added up, when they were."),
        16,
    ),
    "claim_contradicted": (
        _("Claim contradicted"),
        _("Whether a report's claim of attainment contradicts the computed figure."),
        10,
    ),
    "claims": (
        _("Claims"),
        _("The reports' claims of attainment beside the computed figure."),
        36,
    ),
    "rollup_value": (
        _("Children's sum"),
        _("For a parent without its own actual: the sum of its children's figures (derived)."),
        16,
    ),
    "rollup_coverage": (
        _("Children reporting"),
        _("The share of the children whose figures the sum holds."),
        11,
    ),
}

# A column added to the export before it is described here still gets a header and a width.
for _code in exports.HEADER:
    COLUMNS.setdefault(_code, (_code, "", 14))
_INDEX = {name: index for index, name in enumerate(exports.HEADER)}
# The values after the columns': the indicator's direction and the baseline's unit.
_DIRECTION, _BASELINE_UNIT = len(exports.HEADER), len(exports.HEADER) + 1


def _amount(column: str, *, unit: int = _INDEX["unit"]) -> Callable[[Sequence[Any]], str | None]:
    index = _INDEX[column]

    def shown(values: Sequence[Any]) -> str | None:
        value = values[index]
        return None if value is None else display.format_quantity(value, values[unit])

    return shown


def _target(values: Sequence[Any]) -> str | None:
    value = values[_INDEX["target_value"]]
    if value is None:
        return None
    unit, comparator = values[_INDEX["unit"]], values[_INDEX["comparator"]]
    return display.format_promise(value, unit, comparator)


def _gap(values: Sequence[Any]) -> str | None:
    value = values[_INDEX["gap"]]
    if value is None:
        return None
    lower = values[_DIRECTION] == "lower"
    return display.format_gap(value, values[_INDEX["unit"]], lower_is_better=lower)


def _status(values: Sequence[Any]) -> str | None:
    code = values[_INDEX["status"]]
    return None if code is None else str(Status(code).label)


# Columns written only here, each after the column it explains.
DISPLAY_AFTER: dict[str, tuple[str, Callable[[Sequence[Any]], str | None]]] = {
    "target_value": ("target_display", _target),
    "status": ("status_label", _status),
    "gap": ("gap_display", _gap),
    "actual_value": ("actual_display", _amount("actual_value")),
    "baseline_value": ("baseline_display", _amount("baseline_value", unit=_BASELINE_UNIT)),
}
CODES = [
    code
    for name in exports.HEADER
    for code in (name, *((DISPLAY_AFTER[name][0],) if name in DISPLAY_AFTER else ()))
]


def _month(value: Any, cell: Any) -> Month:
    return Month(value.year, value.month, 1)


def _day(value: Any, cell: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _share(value: Any, cell: Any) -> Share:
    return Share(cell)


# Per column of the export: how its cell becomes the workbook's (None: as it is), and the
# display column written after it, if any.
_WORKBOOK_COLUMNS = [
    (
        _month if name in MONTHS else _day if name in DAYS else _share if name in SHARES else None,
        DISPLAY_AFTER[name][1] if name in DISPLAY_AFTER else None,
    )
    for name in exports.HEADER
]


def workbook_cells(values: Sequence[Any], *, rules: AttainmentRules) -> list[Any]:
    """A row of the workbook from the export's values (the CSV's cells, dates as dates)."""
    cells = exports.export_cells(values, rules=rules)
    row: list[Any] = []
    for (typed, shown), value, cell in zip(_WORKBOOK_COLUMNS, values, cells, strict=False):
        row.append(cell if typed is None or cell is None else typed(value, cell))
        if shown is not None:
            row.append(shown(values))
    return row


def _width(code: str) -> float:
    """A column's width: its own, or wider to fit its Chinese header (two units a character)."""
    header = str(COLUMNS[code][0]) if display.chinese() else code
    shown = sum(2 if ord(character) > 0x2E7F else 1 for character in header) + 2
    return max(COLUMNS[code][2], shown)


def _header() -> list[Heading]:
    if display.chinese():
        return [Heading(COLUMNS[code][0]) for code in CODES]
    return [Heading(code) for code in CODES]


def _rows(values: Iterable[Sequence[Any]], rules: AttainmentRules) -> Iterator[list[Any]]:
    yield _header()
    for row in values:
        yield workbook_cells(row, rules=rules)


def _about(rules: AttainmentRules, *, as_of: date | None, evaluation: str) -> Iterator[list]:
    """The second sheet: what each column holds, then the rules used."""
    yield [Heading(gettext("Column")), Heading(gettext("Code")), Heading(gettext("What it holds"))]
    for code in CODES:
        header, description, _width = COLUMNS[code]
        yield [str(header), code, str(description)]
    yield []
    yield [Heading(gettext("Rules used")), Heading(gettext("Setting")), Heading(gettext("Value"))]
    if as_of is not None:
        yield [gettext("Evaluated as of"), "as_of", as_of]
    yield [gettext("Evaluation"), "evaluation", evaluation]
    described = {
        "eq_tolerance": _("An eq target counts as met within this share of the target."),
        "approx_tolerance": _("An approx (左右) target is met within this share of the target."),
        "consistency_tolerance_pp": _("A level and a growth target disagree beyond these points."),
        "progress_on_track": _("Progress: on track from this ratio of achieved to required growth"),
        "progress_acceleration": _("Progress: acceleration needed from this ratio."),
        "progress_limited": _("Progress: limited progress from this ratio (below: deteriorating)."),
        "claim_tolerance_pp": _("A claimed share contradicts the computed one beyond these points"),
        "rollup_min_coverage": _(
            "A parent is judged on its children's sum from this share reporting"
        ),
    }
    for setting, text in described.items():
        yield [str(text), setting, getattr(rules, setting)]
    yield []
    yield [
        gettext(
            "Values are in each indicator's base unit (yuan, a count, percent); the columns "
            "marked 'as reported' write them as the reports do (亿元 = 10^8 yuan, 万 = 10^4)."
        )
    ]


def workbook_chunks(
    values: Iterable[Sequence[Any]],
    *,
    rules: AttainmentRules,
    as_of: date | None = None,
    evaluation: str = "",
    language: str | None = None,
) -> Iterator[bytes]:
    """The auditor's workbook of the export's rows, as chunks of bytes, in a language."""
    language = language or translation.get_language()
    with translation.override(language):
        sheets = [
            Sheet(
                name=gettext("attainment"),
                rows=_rows(values, rules),
                widths=[_width(code) for code in CODES],
                frozen_header=True,
                autofilter=True,
            ),
            Sheet(
                name=gettext("columns and rules"),
                rows=_about(rules, as_of=as_of, evaluation=evaluation),
                widths=[28, 24, 80],
                frozen_header=True,
            ),
        ]
    # The rows are written as the response is sent, after the view returned: in its language.
    with translation.override(language):
        yield from xlsx_workbook(sheets)
