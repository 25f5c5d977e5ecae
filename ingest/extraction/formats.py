"""Reports that are not plain text: PDF, Word (.docx) and web pages, read to their text.

Each reader returns the text the rest of the pipeline stores and reads; spans index that
text, so they stay exact whatever the source format was. The libraries are imported when a
document of their format arrives, so reading plain text costs none of them.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

__all__ = [
    "LEGACY_DOC",
    "NO_TEXT_LAYER",
    "UNREADABLE",
    "FormatError",
    "docx_text",
    "is_docx",
    "is_legacy_doc",
    "is_pdf",
    "main_content",
    "pdf_text",
    "tables_as_rows",
]

NO_TEXT_LAYER = (
    "the PDF has no text layer (a scanned image?): run OCR on it first, or send its text"
)
LEGACY_DOC = "a .doc file (Word 97-2003) cannot be read: save it as .docx or PDF and send that"
UNREADABLE = "the {kind} file cannot be read: {error}"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FormatError(ValueError):
    """A document of a known format whose text cannot be had."""


def is_pdf(raw: bytes) -> bool:
    """Whether the bytes are a PDF file."""
    return raw[:1024].lstrip().startswith(b"%PDF-")


def is_legacy_doc(raw: bytes) -> bool:
    """Whether the bytes are an OLE compound file (.doc, .xls of Office 97-2003)."""
    return raw.startswith(_OLE_MAGIC)


def is_docx(raw: bytes) -> bool:
    """Whether the bytes are a Word (.docx) package."""
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def pdf_text(raw: bytes) -> str:
    """The text layer of a PDF, page after page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            reader.decrypt("")  # many published PDFs are "encrypted" with an empty password
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise FormatError(UNREADABLE.format(kind="PDF", error=exc)) from exc
    text = "\n".join(p.rstrip("\n") for p in pages)
    if not re.search(r"\w", text):
        raise FormatError(NO_TEXT_LAYER)
    return text + "\n"


def docx_text(raw: bytes) -> str:
    """The paragraphs and tables of a Word document, in their order; cells tab-separated."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise FormatError(UNREADABLE.format(kind="Word", error=exc)) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                lines.append("\t".join(cell.text.strip() for cell in row.cells))
        else:
            lines.append(block.text)
    return "\n".join(lines).strip("\n") + "\n"


def main_content(markup: str) -> tuple[str, str, date | None] | None:
    """(title, main text, publication date) of a web page, without its menus and footers, or
    None when no main content stands out."""
    import trafilatura

    body = trafilatura.extract(
        tables_as_rows(markup),
        output_format="txt",
        include_tables=True,
        include_comments=False,
        favor_recall=True,
    )
    if not body or not body.strip():
        return None
    meta = trafilatura.extract_metadata(markup)
    title = (meta.title or "").strip() if meta else ""
    published = None
    if meta and meta.date:
        try:
            published = date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    if published is not None and not _states_day(markup, published):
        # The date finder falls back to any year in the text ("到2025年" gave 2025-01-01):
        # a day the page never states is a guess, and a wrong date turns results into goals.
        published = None
    return title, body.strip(), published


# A data table's cell is short; a longer one is a layout table's (a whole article in a cell).
_MAX_TABLE_CELL = 60


def tables_as_rows(markup: str) -> str:
    """The page with each data table written as one paragraph per row, "| a | b | c |".

    The content extractor writes a table's rows as lines or, inside some containers, every
    cell on a line of its own, where a cell merged over rows shifts every row after it.
    Layout tables (a table inside, long cells) are left as they are.
    """
    import lxml.html
    from lxml.etree import ParserError
    from lxml.html import builder

    try:
        tree = lxml.html.document_fromstring(markup)
    except (ParserError, ValueError):
        return markup
    changed = False
    for table in list(tree.iter("table")):
        if table.find(".//table") is not None:
            continue
        for hidden in table.xpath(".//script|.//style"):
            hidden.drop_tree()
        rows = [
            [" ".join(cell.text_content().split()) for cell in row.xpath("./td|./th")]
            for row in table.xpath(".//tr")
        ]
        if not rows or any(len(cell) > _MAX_TABLE_CELL for row in rows for cell in row):
            continue
        caption = table.find("caption")
        lines = [" ".join(caption.text_content().split())] if caption is not None else []
        lines += [f"| {' | '.join(row)} |" for row in rows if any(row)]
        block = builder.DIV(*(builder.P(line) for line in lines if line))
        block.tail = table.tail
        table.getparent().replace(table, block)
        changed = True
    return lxml.html.tostring(tree, encoding="unicode") if changed else markup


def _states_day(markup: str, day: date) -> bool:
    """Whether the page states this day: 2024-07-12, 2024/7/12, 2024年7月12日, 20240712."""
    month, day_of_month = rf"0?{day.month}", rf"0?{day.day}"
    spelled = rf"(?<!\d){day.year}\D{{1,3}}{month}\D{{1,3}}{day_of_month}(?!\d)"
    compact = rf"(?<!\d){day:%Y%m%d}(?!\d)"
    return re.search(f"{spelled}|{compact}", markup) is not None
