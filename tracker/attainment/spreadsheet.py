"""A spreadsheet (XLSX) written as it is sent: rows in, bytes out, memory flat.

An XLSX file is a ZIP archive of XML parts. The worksheet part is compressed row by row
into a ZIP stream (the standard library's zipfile writes to a stream it cannot seek,
describing each part after its data), so the first bytes leave before the last row is read.
Strings are written inline in their cells, numbers as numbers, dates as dates (the serial
day numbers spreadsheets count, with a date format). A sheet can keep its header row in view
(frozen), offer filters on it and set its columns' widths; the filter's range and the
workbook part that names it are written after the rows, when their number is known.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from tracker.iterables import batched

ROWS_PER_CHUNK = 500

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPE = "application/vnd.openxmlformats"
_ROOT_RELATIONS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
# Cell formats (the s attribute of a cell): 0 plain, 1 a header (bold), 2 a day, 3 a month,
# 4 a share shown as a percentage (0.9843 -> 98.43%).
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_HEADER_STYLE, _DAY_STYLE, _MONTH_STYLE, _SHARE_STYLE = 1, 2, 3, 4
# Day 0 of the spreadsheets' calendar (1900 date system, as Excel and LibreOffice count).
_EPOCH = date(1899, 12, 30)


class Number(str):
    """A number already written as text (e.g. an exact decimal): a numeric cell as it is."""


class Month(date):
    """A month (its first day), shown as yyyy-mm."""


class Share(float):
    """A share (0.9843), shown as a percentage (98.43%)."""


class Heading(str):
    """Text of a header row, shown bold."""


@dataclass
class Sheet:
    """A worksheet: its name, rows, and how the first row is kept and filtered."""

    name: str
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] = ()
    frozen_header: bool = False
    autofilter: bool = False


class _Outbox(io.RawIOBase):
    """A stream the archive writes to and the response takes from: it cannot seek."""

    def __init__(self) -> None:
        self.pending: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pending.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        """What was written since the last take."""
        data = b"".join(self.pending)
        self.pending.clear()
        return data


def _cell(value: object) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Share):
        return f'<c s="{_SHARE_STYLE}"><v>{float(value)}</v></c>'
    if isinstance(value, Number | int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, date):
        style = _MONTH_STYLE if isinstance(value, Month) else _DAY_STYLE
        return f'<c s="{style}"><v>{(value - _EPOCH).days}</v></c>'
    style = f' s="{_HEADER_STYLE}"' if isinstance(value, Heading) else ""
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def _row(cells: Sequence[object]) -> str:
    return "<row>" + "".join(map(_cell, cells)) + "</row>"


def column_letters(number: int) -> str:
    """The letters of the 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_start(sheet: Sheet) -> bytes:
    parts = [f'{_XML}<worksheet xmlns="{_MAIN}">']
    if sheet.frozen_header:
        parts.append(
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        )
    if sheet.widths:
        parts.append("<cols>")
        parts.extend(
            f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
            for n, width in enumerate(sheet.widths, start=1)
        )
        parts.append("</cols>")
    parts.append("<sheetData>")
    return "".join(parts).encode()


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        f'ContentType="{_TYPE}-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="{_TYPE}-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        f'ContentType="{_TYPE}-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" '
        f'ContentType="{_TYPE}-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )


def _workbook_relations(sheets: int) -> str:
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATION}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">{relations}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_RELATION}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _workbook(names: list[str], filters: dict[int, str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    # Spreadsheets find a sheet's filter range by this hidden name.
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"{escape(reference)}</definedName>"
        for index, reference in filters.items()
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATION}"><sheets>{sheets}</sheets>'
        + (f"<definedNames>{defined}</definedNames>" if defined else "")
        + "</workbook>"
    )


def xlsx_workbook(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    """An XLSX workbook of these sheets, written in order, as chunks of bytes."""
    outbox = _Outbox()
    filters: dict[int, str] = {}
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as xlsx:
        xlsx.writestr("[Content_Types].xml", _content_types(len(sheets)))
        xlsx.writestr("_rels/.rels", _ROOT_RELATIONS)
        xlsx.writestr("xl/_rels/workbook.xml.rels", _workbook_relations(len(sheets)))
        xlsx.writestr("xl/styles.xml", _STYLES)
        yield outbox.take()
        for index, sheet in enumerate(sheets):
            rows = width = 0
            with xlsx.open(f"xl/worksheets/sheet{index + 1}.xml", "w", force_zip64=True) as part:
                part.write(_sheet_start(sheet))
                for chunk in batched(sheet.rows, ROWS_PER_CHUNK):
                    rows += len(chunk)
                    width = max(width, *map(len, chunk))
                    part.write("".join(map(_row, chunk)).encode("utf-8"))
                    yield outbox.take()
                part.write(b"</sheetData>")
                if sheet.autofilter and rows and width:
                    last = column_letters(width)
                    part.write(f'<autoFilter ref="A1:{last}{rows}"/>'.encode())
                    name = sheet.name.replace("'", "''")
                    filters[index] = f"'{name}'!$A$1:${last}${rows}"
                part.write(b"</worksheet>")
        # Last: the filters' ranges are known once every row is written.
        xlsx.writestr("xl/workbook.xml", _workbook([sheet.name for sheet in sheets], filters))
    yield outbox.take()
