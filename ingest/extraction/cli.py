"""Command line: extract facts from one report file and print them as JSON or a table."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from . import Extraction, NotTextError, decode_document, extract

__all__ = ["build_parser", "main", "render_table"]


class _UsageError(Exception):
    """A bad argument; reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit itself
        raise _UsageError(message)


def build_parser(prog: str = "extract") -> argparse.ArgumentParser:
    """The argument parser shared by `python -m ingest.extraction` and `manage.py extract`."""
    parser = _Parser(prog=prog, description="Extract targets and actuals from a report.")
    parser.add_argument(
        "path", help="report file: text (UTF-8, GB18030/GBK), HTML, PDF or Word .docx"
    )
    parser.add_argument("--published", help="publication date YYYY-MM-DD (a hint)")
    parser.add_argument("--jurisdiction", help="jurisdiction name, e.g. 绍兴市 (a hint)")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    return parser


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(result: Extraction) -> str:
    """An aligned, human-readable table of the facts."""
    doc = result.as_dict()["document"]
    lines = [
        f"jurisdiction: {doc['jurisdiction'] or '-'}   published: {doc['published'] or '-'}   "
        f"report year: {doc['report_year'] or '-'}   facts: {len(result.facts)}"
    ]
    header = ["kind", "indicator", "measure", "cmp", "value", "unit", "period", "quote"]
    rows = [
        [
            f.kind,
            f.indicator,
            f.measure,
            f.comparator,
            str(f.as_dict()["value"]),
            f.unit,
            f"{f.period_start}..{f.period_end}",
            f.quote if len(f.quote) <= 30 else f.quote[:29] + "…",
        ]
        for f in result.facts
    ]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    for row in [header, *rows]:
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"


def main(
    argv: list[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    gazetteer: Iterable[str] | None = None,
) -> int:
    """Run the extractor; 0 on success, 2 on a usage error or input that is not text."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        published = None
        if args.published:
            try:
                published = date.fromisoformat(args.published)
            except ValueError:
                raise _UsageError(
                    f"--published must be a date YYYY-MM-DD, got {args.published!r}"
                ) from None
        path = Path(args.path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise _UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        text = decode_document(raw, filename=path.name)
    except (_UsageError, NotTextError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    result = extract(text, published=published, jurisdiction=args.jurisdiction, gazetteer=gazetteer)
    if args.format == "table":
        out.write(render_table(result))
    else:
        out.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0
