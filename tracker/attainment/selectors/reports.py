"""Reads of the index of auditor reports: which jurisdiction has targets in which years."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q

from tracker.models import Jurisdiction

# More than this many jurisdictions on one index page would be a list nobody reads: search.
INDEX_LIMIT = 500


@dataclass
class ReportEntry:
    """A jurisdiction of the index, with the years its targets cover."""

    jurisdiction: Jurisdiction
    targets: int
    years: list[int] = field(default_factory=list)


def report_index(*, search: str = "", year: int | None = None) -> list[ReportEntry]:
    """Jurisdictions with targets, by division code, matching a name or code and covering a year."""
    jurisdictions = Jurisdiction.objects.filter(targets__isnull=False)
    search = search.strip()
    if search:
        jurisdictions = jurisdictions.filter(
            Q(name_zh__icontains=search) | Q(name_en__icontains=search) | Q(code__startswith=search)
        )
    if year is not None:
        jurisdictions = jurisdictions.filter(
            targets__period_start__year__lte=year, targets__period_end__year__gte=year
        )
    found = (
        jurisdictions.annotate(
            first=Min("targets__period_start__year"),
            last=Max("targets__period_end__year"),
            target_count=Count("targets", distinct=True),
        )
        .select_related("parent")
        .order_by("code")[:INDEX_LIMIT]
    )
    entries = []
    for jurisdiction in found:
        years = list(range(jurisdiction.first, jurisdiction.last + 1))
        if year is not None:
            years = [year]
        entries.append(ReportEntry(jurisdiction, jurisdiction.target_count, years))
    return entries


def report_years(*, jurisdiction: Jurisdiction) -> list[int]:
    """The years some target of a jurisdiction covers, in order."""
    spans = (
        jurisdiction.targets.values_list("period_start__year", "period_end__year")
        .distinct()
        .order_by()
    )
    return sorted({year for first, last in spans for year in range(first, last + 1)})
