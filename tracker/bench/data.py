"""A synthetic but realistic data set of targets and actuals, written with bulk inserts."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from indicators.models import Direction, Indicator, Nature, Unit
from indicators.services import catalogue_load
from ingest.models import IngestStatus, SourceDocument
from tracker.models import (
    Actual,
    Comparator,
    Jurisdiction,
    Level,
    Measure,
    ReviewState,
    Target,
    expected_unit,
)

JURISDICTIONS = 300
PROVINCES = 10
YEARS = 6  # yearly targets for this many years, ending with the current one
PLAN_YEARS = 5  # one multi-year (five-year plan) target per series
BATCH = 2000
READER = "bench-reader"
EDITOR = "bench-editor"

# Typical magnitudes of a level in each base unit (a city's figure for one year).
MAGNITUDE = {
    Unit.CNY: (5e8, 5e10),
    Unit.COUNT: (50, 5000),
    Unit.PERCENT: (0.5, 6.0),
    Unit.M2: (1e4, 1e6),
    Unit.PERSON_YEAR: (1e3, 5e4),
    Unit.PER_10K_PEOPLE: (5.0, 60.0),
}


@dataclass
class Generated:
    """What was written, and the user the timed requests authenticate as."""

    targets: int = 0
    actuals: int = 0
    jurisdictions: int = 0
    indicators: int = 0
    documents: int = 0
    token: str = ""
    as_of: date | None = None


def _users() -> tuple[User, str]:
    reader, _ = User.objects.get_or_create(username=READER)
    reader.groups.add(Group.objects.get_or_create(name="reader")[0])
    editor, _ = User.objects.get_or_create(username=EDITOR)
    editor.groups.add(Group.objects.get_or_create(name="editor")[0])
    token, _ = Token.objects.get_or_create(user=reader)
    return editor, token.key


def _jurisdictions(rng: random.Random) -> list[Jurisdiction]:
    provinces = Jurisdiction.objects.bulk_create(
        Jurisdiction(
            name_zh=f"测试省{p:02d}",
            name_en=f"Province {p:02d}",
            code=f"{90 + p}0000",  # 90-99: no real province has these
            level=Level.PROVINCE,
        )
        for p in range(PROVINCES)
    )
    cities = Jurisdiction.objects.bulk_create(
        Jurisdiction(
            name_zh=f"测试市{c:03d}",
            name_en=f"City {c:03d}",
            code=f"{provinces[c % PROVINCES].code[:2]}{c // PROVINCES + 1:02d}00",
            level=Level.PREFECTURE,
            parent=provinces[c % PROVINCES],
            review_state=ReviewState.PROPOSED if rng.random() < 0.02 else ReviewState.ACCEPTED,
        )
        for c in range(JURISDICTIONS - PROVINCES)
    )
    return provinces + cities


def _review(rng: random.Random, *, rejected: float, proposed: float) -> str:
    draw = rng.random()
    if draw < rejected:
        return ReviewState.REJECTED
    if draw < rejected + proposed:
        return ReviewState.PROPOSED
    return ReviewState.ACCEPTED


def _comparator(rng: random.Random, direction: str) -> str:
    draw = rng.random()
    if draw < 0.15:
        return Comparator.APPROX
    if draw < 0.2:
        return Comparator.EQ
    if direction == Direction.LOWER:
        return Comparator.LT if draw < 0.3 else Comparator.LTE
    return Comparator.GT if draw < 0.3 else Comparator.GTE


class _Writer:
    """Collects rows and inserts them in batches."""

    def __init__(self, *, editor: User, rng: random.Random, as_of: date):
        self.editor = editor
        self.as_of = as_of
        self.rng = rng
        self.targets: list[Target] = []
        self.actuals: list[Actual] = []
        self.documents: dict[tuple[int, int], SourceDocument] = {}
        self.written_targets = 0
        self.written_actuals = 0

    def document(self, jurisdiction: Jurisdiction, year: int) -> SourceDocument:
        key = (jurisdiction.id, year)
        if key not in self.documents:
            text = f"{jurisdiction.name_zh}{year}年科技工作总结与{year + 1}年工作要点。"
            self.documents[key] = SourceDocument.objects.create(
                title=f"{jurisdiction.name_zh}{year}年科技工作报告",
                jurisdiction=jurisdiction,
                published=min(date(year + 1, 2, 15), self.as_of),
                report_year=year,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                status=IngestStatus.DONE,
            )
        return self.documents[key]

    def fact(self, model, *, jurisdiction, indicator, measure, value, start, end, **extra):
        quoted = self.rng.random() < 0.5
        fields = {
            "jurisdiction": jurisdiction,
            "indicator": indicator,
            "measure": measure,
            "value": round(value, 4),
            "unit": expected_unit(indicator_unit=indicator.unit, measure=measure),
            "period_start": start,
            "period_end": end,
            "entered_by": self.editor,
            **extra,
        }
        if quoted and "source_document" not in extra:
            document = self.document(jurisdiction, end.year if model is Actual else start.year - 1)
            fields |= {
                "source_document": document,
                "quote": f"{indicator.name_zh}{fields['value']}",
                "span_start": 0,
                "span_end": 4,
                "confidence": 0.9,
            }
        if fields.get("review_state") == ReviewState.ACCEPTED:
            fields["reviewed_by"] = self.editor
        (self.targets if model is Target else self.actuals).append(model(**fields))
        if len(self.targets) + len(self.actuals) >= BATCH:
            self.flush()

    def flush(self) -> None:
        Target.objects.bulk_create(self.targets, batch_size=BATCH)
        Actual.objects.bulk_create(self.actuals, batch_size=BATCH)
        self.written_targets += len(self.targets)
        self.written_actuals += len(self.actuals)
        self.targets, self.actuals = [], []


def _series(writer: _Writer, *, jurisdiction, indicator, years: list[int], as_of: date) -> int:
    """Targets and actuals of one jurisdiction's indicator; returns the targets written."""
    rng = writer.rng
    low, high = MAGNITUDE[indicator.unit]
    percent = indicator.unit == Unit.PERCENT
    base = rng.uniform(low, high)
    trend = rng.gauss(0.08, 0.05) * (-1 if indicator.direction == Direction.LOWER else 1)
    growth = not percent  # a share grows in points; the catalogue states its growth in %
    flow = indicator.nature == Nature.FLOW

    def level(year: int) -> float:
        value = base * (1 + trend) ** (year - years[0]) * rng.uniform(0.95, 1.05)
        return min(value, 99.0) if percent else max(value, 0.0)

    targets = 0
    for year in years:
        expected = level(year)
        start, end = date(year, 1, 1), date(year, 12, 1)
        common = {"jurisdiction": jurisdiction, "indicator": indicator, "start": start, "end": end}
        t_review = {"review_state": _review(rng, rejected=0.05, proposed=0.1)}
        writer.fact(
            Target,
            measure=Measure.LEVEL,
            value=min(expected * rng.uniform(0.9, 1.15), 99.0) if percent else expected * 1.05,
            comparator=_comparator(rng, indicator.direction),
            **common,
            **t_review,
        )
        targets += 1
        if growth:
            writer.fact(
                Target,
                measure=Measure.YOY_GROWTH,
                value=trend * 100 * rng.uniform(0.8, 1.3),
                comparator=_comparator(rng, indicator.direction),
                **common,
                review_state=_review(rng, rejected=0.05, proposed=0.1),
            )
            targets += 1
    plan_start, plan_end = date(years[0], 1, 1), date(years[0] + PLAN_YEARS - 1, 12, 1)
    plan = {"jurisdiction": jurisdiction, "indicator": indicator, "start": plan_start}
    writer.fact(
        Target,
        measure=Measure.LEVEL,
        value=level(plan_end.year) * (1.0 if percent else 1.1),
        comparator=_comparator(rng, indicator.direction),
        end=plan_end,
        review_state=ReviewState.ACCEPTED,
        **plan,
    )
    targets += 1
    if growth:
        writer.fact(
            Target,
            measure=Measure.CAGR,
            value=trend * 100 * rng.uniform(0.9, 1.2),
            comparator=_comparator(rng, indicator.direction),
            end=plan_end,
            review_state=ReviewState.ACCEPTED,
            **plan,
        )
        targets += 1

    # Actuals: the year before the first target (a baseline), the first half and the whole
    # of every past year, and year to date (as of two months ago) in the running year.
    for year in [years[0] - 1, *years]:
        full = level(year)
        common = {"jurisdiction": jurisdiction, "indicator": indicator, "comparator": "eq"}
        if year < as_of.year:
            ends = [date(year, 6, 1), date(year, 12, 1)]
        elif as_of.month > 2:
            ends = [date(year, as_of.month - 2, 1)]
        else:
            ends = []
        for end in ends:
            share = end.month / 12 if flow else 1
            value = full * share * rng.uniform(0.97, 1.03)
            period = {"start": date(year, 1, 1), "end": end, **common}
            writer.fact(
                Actual,
                measure=Measure.LEVEL,
                value=min(value, 99.0) if percent else value,
                review_state=_review(rng, rejected=0.03, proposed=0.07),
                **period,
            )
            if end.month == 12 and rng.random() < 0.05:  # a later revision of the figure
                writer.fact(
                    Actual,
                    measure=Measure.LEVEL,
                    value=value * rng.uniform(0.98, 1.0),
                    review_state=ReviewState.ACCEPTED,
                    source_document=None,
                    **period,
                )
            if growth:
                writer.fact(
                    Actual,
                    measure=Measure.YOY_GROWTH,
                    value=trend * 100 * rng.uniform(0.6, 1.4),
                    review_state=_review(rng, rejected=0.03, proposed=0.07),
                    **period,
                )
    return targets


def generate(*, targets: int, seed: int = 0, as_of: date | None = None) -> Generated:
    """Write about `targets` targets (and about twice as many actuals) into the database."""
    rng = random.Random(seed)
    as_of = as_of or timezone.localdate()
    catalogue_load()
    with transaction.atomic():
        editor, token = _users()
        jurisdictions = _jurisdictions(rng)
        indicators = list(Indicator.objects.order_by("code"))
        years = list(range(as_of.year - YEARS + 1, as_of.year + 1))
        series = [(j, i) for j in jurisdictions for i in indicators]
        rng.shuffle(series)
        writer = _Writer(editor=editor, rng=rng, as_of=as_of)
        written = 0
        cycle = 0
        while written < targets:
            # Past the series of one year range, start again with earlier years.
            shift = cycle * (YEARS + 1)
            span = [y - shift for y in years]
            for jurisdiction, indicator in series:
                if written >= targets:
                    break
                written += _series(
                    writer,
                    jurisdiction=jurisdiction,
                    indicator=indicator,
                    years=span,
                    as_of=as_of,
                )
            cycle += 1
        writer.flush()
    return Generated(
        targets=Target.objects.count(),
        actuals=Actual.objects.count(),
        jurisdictions=len(jurisdictions),
        indicators=len(indicators),
        documents=SourceDocument.objects.count(),
        token=token,
        as_of=as_of,
    )
