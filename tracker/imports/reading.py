"""Reading a spreadsheet of targets and actuals: its rows, each into what the fact services
take (or ValidationError naming what is wrong with it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from import_export.formats.base_formats import CSV, XLSX

from indicators.models import Direction, Indicator, Unit
from ingest.extraction.units import MULTIPLIERS, compatible, to_base
from tracker.filters import filter_jurisdiction
from tracker.models import (
    GROWTH_MEASURES,
    Actual,
    Comparator,
    Fact,
    Jurisdiction,
    Measure,
    Target,
)

# Column names, English (FACTS.md's) and the Chinese ones offices use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "类型", "类别", "种类"),
    "jurisdiction": ("jurisdiction", "地区", "行政区", "行政区划", "地方", "辖区"),
    "indicator": ("indicator", "指标", "指标名称", "指标代码"),
    "measure": ("measure", "口径", "度量"),
    "value": ("value", "数值", "值", "数据"),
    "unit": ("unit", "单位"),
    "comparator": ("comparator", "比较", "比较符", "要求"),
    "period_start": ("period_start", "开始", "起始", "开始月份", "起始月份", "期间开始"),
    "period_end": ("period_end", "结束", "截止", "结束月份", "截止月份", "期间结束"),
    "published": ("published", "发布日期", "发布", "公布日期"),
    "note": ("note", "备注", "说明", "原文"),
}
REQUIRED = ("kind", "jurisdiction", "indicator", "value", "period_start")
KINDS: dict[str, type[Fact]] = {
    "target": Target,
    "目标": Target,
    "actual": Actual,
    "实际": Actual,
    "完成": Actual,
    "实绩": Actual,
}
MEASURES = {
    **{m.value: m.value for m in Measure},
    "水平": Measure.LEVEL,
    "总量": Measure.LEVEL,
    "同比增长": Measure.YOY_GROWTH,
    "增长": Measure.YOY_GROWTH,
    "年均增长": Measure.CAGR,
    "期间增长": Measure.GROWTH,
    "累计增长": Measure.GROWTH,
}
COMPARATOR_WORDS = {
    **{c.value: c.value for c in Comparator},
    **{c.label: c.value for c in Comparator},
    "以上": Comparator.GTE,
    "不低于": Comparator.GTE,
    "不少于": Comparator.GTE,
    "至少": Comparator.GTE,
    "达到": Comparator.GTE,
    "突破": Comparator.GT,
    "超过": Comparator.GT,
    "高于": Comparator.GT,
    "以内": Comparator.LTE,
    "不超过": Comparator.LTE,
    "不高于": Comparator.LTE,
    "控制在": Comparator.LTE,
    "以下": Comparator.LTE,
    "低于": Comparator.LT,
    "左右": Comparator.APPROX,
    "约": Comparator.APPROX,
    "等于": Comparator.EQ,
    "为": Comparator.EQ,
    ">=": Comparator.GTE,
    "<=": Comparator.LTE,
}
BASE_UNITS = {u.value: u.value for u in Unit}
FORMATS = {".csv": CSV, ".xlsx": XLSX}

UNSUPPORTED_FILE = "Unsupported file {name!r}: send a .csv or .xlsx file."
UNREADABLE_FILE = "The file {name!r} could not be read as {kind}: {error}"
MISSING_COLUMNS = "Missing columns: {columns} (the first row must name the columns)."
EMPTY_FILE = "The file has no rows below its header."
NOT_IMPORTED = "Nothing was imported: {count} row(s) have errors."


class ImportFailed(ValidationError):
    """An import refused whole: the errors by row number (0 for the file itself)."""

    def __init__(self, errors: dict[int, list[str]]):
        self.row_errors = dict(sorted(errors.items()))
        lines = [
            f"row {row}: {message}" if row else message
            for row, messages in self.row_errors.items()
            for message in messages
        ]
        super().__init__(lines)


def file_rows(*, content: bytes, filename: str) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX file as dicts keyed by the canonical column names."""
    suffix = PurePath(filename).suffix.lower()
    file_format = FORMATS.get(suffix)
    if file_format is None:
        raise ImportFailed({0: [UNSUPPORTED_FILE.format(name=filename)]})
    try:
        if suffix == ".csv":
            dataset = file_format().create_dataset(_decoded(content))
        else:
            dataset = file_format().create_dataset(content)
    except Exception as exc:  # any parser error: the file is not what it says
        message = UNREADABLE_FILE.format(name=filename, kind=suffix[1:].upper(), error=exc)
        raise ImportFailed({0: [message]}) from exc
    names = {alias.lower(): name for name, aliases in COLUMNS.items() for alias in aliases}
    headers = [names.get(str(h or "").strip().lower()) for h in dataset.headers or []]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ImportFailed({0: [MISSING_COLUMNS.format(columns=", ".join(missing))]})
    rows = []
    for values in dataset:
        row = {name: value for name, value in zip(headers, values, strict=False) if name}
        rows.append(row)
    if not any(filled(row) for row in rows):
        raise ImportFailed({0: [EMPTY_FILE]})
    return rows


def _decoded(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed({0: ["The CSV file is neither UTF-8 nor GB18030 (GBK) text."]})


def filled(row: dict[str, Any]) -> bool:
    return any(str(v).strip() for v in row.values() if v is not None)


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- One row into the arguments of fact_create ----------------------------------------------

_UNIT_RE = re.compile(rf"^(?P<multiplier>{'|'.join(sorted(MULTIPLIERS, key=len, reverse=True))})?")


def _jurisdiction(text: str, places: dict[str, Jurisdiction] | None) -> Jurisdiction:
    if places is not None and text in places:
        return places[text]
    found = list(filter_jurisdiction(Jurisdiction.objects.all(), "", text)[:2])
    if not found:
        raise ValidationError(f"unknown jurisdiction {text!r} (give its name or division code)")
    if len(found) > 1:
        raise ValidationError(f"several jurisdictions are called {text!r}; give the division code")
    if places is not None:
        places[text] = found[0]
    return found[0]


def _indicator(text: str, catalogue: Sequence[Indicator]) -> Indicator:
    for indicator in catalogue:
        if text in (indicator.code, indicator.name_zh, indicator.name_en):
            return indicator
    for indicator in catalogue:
        if text in indicator.aliases:
            return indicator
    raise ValidationError(f"unknown indicator {text!r} (give its code, name or an alias)")


def _value(text: str, unit: str, *, indicator: Indicator, measure: str) -> Decimal:
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValidationError(f"value {text!r} is not a number") from exc
    expected = Unit.PERCENT if measure in GROWTH_MEASURES else indicator.unit
    unit = unit.strip()
    if not unit or unit == expected:
        return number
    if unit in BASE_UNITS:
        raise ValidationError(
            f"unit {unit!r} does not fit {indicator.code}, which is in {expected}"
        )
    multiplier = _UNIT_RE.match(unit).group("multiplier") or ""
    surface = unit[len(multiplier) :]
    if not surface and multiplier:  # "万" or "亿" alone: of the indicator's own unit
        return number * MULTIPLIERS[multiplier]
    try:
        base, factor = to_base(surface, multiplier or None)
    except KeyError as exc:
        raise ValidationError(f"unknown unit {unit!r}") from exc
    if not compatible(expected, base):
        raise ValidationError(
            f"unit {unit!r} does not fit {indicator.code}, which is in {expected}"
        )
    return number * factor


def _month(value: Any, *, end: bool) -> date:
    """A month from a date, a datetime, 'YYYY', 'YYYY-MM', 'YYYY/MM' or 'YYYY-MM-DD'."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12 if end else 1, 1)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})(?:月|[-/.]\d{1,2}日?)?", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValidationError(f"{text!r} is not a month (write YYYY-MM, or YYYY for a whole year)")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError as exc:
        raise ValidationError(f"published {text!r} is not a date (write YYYY-MM-DD)") from exc


@dataclass(frozen=True)
class ImportedFact:
    """A row read into what the fact services take."""

    model: type[Fact]
    fields: dict[str, Any]

    def key(self) -> tuple:
        f = self.fields
        return (
            self.model,
            f["jurisdiction"].pk,
            f["indicator"].pk,
            f["measure"],
            f["period_start"],
            f["period_end"],
        )


def row_read(
    row: dict[str, Any],
    *,
    catalogue: Sequence[Indicator],
    places: dict[str, Jurisdiction] | None = None,
) -> ImportedFact:
    """The fact a row states, or ValidationError naming what is wrong with it.

    `places` keeps the jurisdictions found by name across the rows of one file, which name
    the same few places again and again.
    """
    errors: list[str] = []

    def attempt(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as exc:
            errors.extend(exc.messages)
            return None

    missing = [name for name in REQUIRED if not _text(row, name)]
    if missing:
        raise ValidationError(f"empty {', '.join(missing)}")
    kind = _text(row, "kind")
    model = KINDS.get(kind.lower())
    if model is None:
        errors.append(f"kind {kind!r} is neither target nor actual")
    measure_text = _text(row, "measure") or Measure.LEVEL
    measure = MEASURES.get(measure_text.lower())
    if measure is None:
        errors.append(f"measure {measure_text!r} is not one of {', '.join(Measure.values)}")
    jurisdiction = attempt(_jurisdiction, _text(row, "jurisdiction"), places)
    indicator = attempt(_indicator, _text(row, "indicator"), catalogue)
    value = None
    if indicator is not None and measure is not None:
        value = attempt(
            _value, _text(row, "value"), _text(row, "unit"), indicator=indicator, measure=measure
        )
    comparator_text = _text(row, "comparator")
    comparator = None
    if comparator_text:
        comparator = COMPARATOR_WORDS.get(comparator_text.lower())
        if comparator is None:
            errors.append(f"comparator {comparator_text!r} is not a code or a known word")
    elif model is Target and indicator is not None:
        lower = indicator.direction == Direction.LOWER
        comparator = Comparator.LTE if lower else Comparator.GTE
    start = attempt(_month, row.get("period_start"), end=False)
    end_value = row.get("period_end") if _text(row, "period_end") else row.get("period_start")
    end = attempt(_month, end_value, end=True)
    published = attempt(_date, row["published"]) if _text(row, "published") else None
    if errors:
        raise ValidationError(errors)
    return ImportedFact(
        model,
        {
            "jurisdiction": jurisdiction,
            "indicator": indicator,
            "measure": measure,
            "value": value,
            "comparator": comparator,
            "period_start": start,
            "period_end": end,
            "published": published,
            "quote": _text(row, "note"),
        },
    )
