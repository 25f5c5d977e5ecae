"""Print the attainment rows (the /api/v1/attainment/ rows) as JSON or as a table."""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils import timezone

from tracker.attainment.filters import EvaluationFilter
from tracker.attainment.models import Evaluation
from tracker.attainment.rows import attainment_row, row_values
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_values, live_evaluations, stored_answers
from tracker.iterables import batched
from tracker.rest.input import is_whole_number

TABLE_COLUMNS = [
    ("id", lambda r: r["target"]["id"]),
    ("jurisdiction", lambda r: r["target"]["jurisdiction"]["name_zh"]),
    ("indicator", lambda r: r["target"]["indicator"]["code"]),
    ("measure", lambda r: r["target"]["measure"]),
    ("period", lambda r: _period(r["target"])),
    ("target", lambda r: f"{_symbol(r['target']['comparator'])}{r['target']['value']}"),
    ("actual", lambda r: r["actual"]["value"] if r["actual"] else ""),
    ("actual period", lambda r: _period(r["actual"]) if r["actual"] else ""),
    ("status", lambda r: r["status"]),
    ("ratio", lambda r: _blank(r["attainment_ratio"])),
    ("gap", lambda r: _blank(r["gap"])),
    ("required %", lambda r: _blank(r["required_growth"])),
    ("achieved %", lambda r: _blank(r["achieved_growth"])),
    ("flags", lambda r: ",".join(r["flags"])),
]
SYMBOLS = {"eq": "=", "gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "approx": "≈"}


def _symbol(comparator: str) -> str:
    return SYMBOLS.get(comparator, "")


def _blank(value) -> str:
    return "" if value is None else str(value)


def _period(fact: dict) -> str:
    start, end = fact["period_start"], fact["period_end"]
    if start[:4] == end[:4] and start.endswith("-01") and end.endswith("-12"):
        return start[:4]
    return f"{start}..{end}"


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class Command(BaseCommand):
    help = "Evaluate targets against actuals and print the rows of /api/v1/attainment/."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="Jurisdiction id, division code or name.")
        parser.add_argument("--indicator", help="Indicator code.")
        parser.add_argument("--year", type=int, help="Only targets whose period includes it.")
        parser.add_argument("--status", action="append", help="Only this status (repeatable).")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="Evaluate as if today were YYYY-MM-DD."
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        as_of = options["as_of"] or timezone.localdate()
        rules = rules_get()
        query = QueryDict(mutable=True)
        jurisdiction = options["jurisdiction"]
        if jurisdiction:
            key = (
                "jurisdiction_id"
                if is_whole_number(jurisdiction) and len(jurisdiction) < 6
                else None
            )
            query[key or "jurisdiction"] = jurisdiction
        if options["indicator"]:
            query["indicator"] = options["indicator"]
        if options["year"]:
            query["year"] = str(options["year"])
        query.setlist("status", options["status"] or [])
        try:
            if stored_answers(as_of=as_of, rules=rules):
                filterset = EvaluationFilter(query, queryset=Evaluation.objects.all())
                if not filterset.is_valid():
                    raise ValidationError(filterset.form.errors.as_data())
                ids = list(filterset.qs.values_list("target_id", flat=True))
                values = (
                    row for batch in batched(ids, 2000) for row in evaluation_values(ids=batch)
                )
            else:
                live = live_evaluations(params=query, as_of=as_of, rules=rules)
                values = map(row_values, live)
        except ValidationError as exc:
            raise CommandError(json.dumps(exc.message_dict)) from exc
        rows = [attainment_row(v, rules=rules) for v in values]
        if options["format"] == "json":
            body = {"as_of": as_of, "rules": rules.as_dict(), "count": len(rows), "results": rows}
            self.stdout.write(json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._table(rows))
        self.stdout.write(f"{len(rows)} targets evaluated as of {as_of:%Y-%m-%d}.")

    def _table(self, rows: list[dict]) -> str:
        cells = [[name for name, _ in TABLE_COLUMNS]]
        cells += [[str(get(row)) for _, get in TABLE_COLUMNS] for row in rows]
        widths = [max(_width(line[i]) for line in cells) for i in range(len(TABLE_COLUMNS))]
        lines = []
        for index, line in enumerate(cells):
            padded = [cell + " " * (w - _width(cell)) for cell, w in zip(line, widths, strict=True)]
            lines.append("  ".join(padded).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)
