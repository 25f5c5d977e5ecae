"""Report files in other formats, built for tests: a PDF with a text layer, a scanned PDF
without one, a Word .docx and an Office 97 .doc header."""

from __future__ import annotations

import io

from docx import Document

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _pdf(objects: list[bytes], catalog: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def pdf_with_text(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold the given lines in its text layer (as a typesetter writes them:
    one CID font, Identity-H, a ToUnicode map)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 "
        b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 700 /StemV 80 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
        for line in lines:
            ops.append(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*")
        ops.append(b"ET")
        content = b"\n".join(ops)
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, stream)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [" + refs + b"] /Count %d >>" % len(kids)) == pages_id
    return _pdf(objects, add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id))


def scanned_pdf() -> bytes:
    """A PDF page that holds only a drawing, as a scan does: no text layer."""
    drawing = b"0 0 1 rg 50 50 200 200 re f"
    objects = [
        b"<< /Length %d >>\nstream\n" % len(drawing) + drawing + b"\nendstream",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 1 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        b"<< /Type /Catalog /Pages 3 0 R >>",
    ]
    return _pdf(objects, 4)


def docx_report(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A Word document with the paragraphs, then a table."""
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
