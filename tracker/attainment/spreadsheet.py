"""A spreadsheet (XLSX) written as it is sent: rows in, bytes out, memory flat.

An XLSX file is a ZIP archive of XML parts. The worksheet part is compressed row by row
into a ZIP stream (the standard library's zipfile writes to a stream it cannot seek,
describing each part after its data), so the first bytes leave before the last row is read.
Strings are written inline in their cells, numbers as numbers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from tracker.iterables import batched

ROWS_PER_CHUNK = 500

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPE = "application/vnd.openxmlformats"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="{_TYPE}-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    f'ContentType="{_TYPE}-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_TYPE}-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    f'ContentType="{_TYPE}-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELATIONS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATION}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELATIONS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATION}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
_SHEET_END = b"</sheetData></worksheet>"


class Number(str):
    """A number already written as text (e.g. an exact decimal): a numeric cell as it is."""


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
    if isinstance(value, Number | int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def _row(cells: Sequence[object]) -> str:
    return "<row>" + "".join(map(_cell, cells)) + "</row>"


def xlsx_stream(rows: Iterable[Sequence[object]], *, sheet: str) -> Iterator[bytes]:
    """An XLSX workbook of one sheet holding these rows, as chunks of bytes."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as xlsx:
        xlsx.writestr("[Content_Types].xml", _CONTENT_TYPES)
        xlsx.writestr("_rels/.rels", _ROOT_RELATIONS)
        xlsx.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet)))
        xlsx.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELATIONS)
        xlsx.writestr("xl/styles.xml", _STYLES)
        yield outbox.take()
        with xlsx.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_START)
            for chunk in batched(rows, ROWS_PER_CHUNK):
                part.write("".join(map(_row, chunk)).encode("utf-8"))
                yield outbox.take()
            part.write(_SHEET_END)
    yield outbox.take()
