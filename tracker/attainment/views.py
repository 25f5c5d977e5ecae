"""The auditor's HTML pages: a scorecard per jurisdiction and year, and each number's quote."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from tracker.attainment import charts
from tracker.attainment.filters import as_of_from_query
from tracker.attainment.models import Evaluation
from tracker.attainment.rows import attainment_row, row_values
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_values, evaluations_of, stored_answers
from tracker.attainment.selectors.compare import (
    Answered,
    attainment_comparison,
    jurisdiction_trajectory,
)
from tracker.display import format_quantity
from tracker.models import Actual, Jurisdiction, Measure, Target
from tracker.rest.permissions import user_role
from tracker.selectors import fact_correction

LOGIN_URL = "/api-auth/login/"
FACT_MODELS = {"target": Target, "actual": Actual}
EXCERPT_CONTEXT = 120


def _require_reader(request: HttpRequest) -> None:
    if user_role(request.user) is None:
        raise PermissionDenied("Your account has no role that allows reading the tracker.")


def quote_url(kind: str, fact_id: int | None) -> str:
    """Where a number's source quote is shown."""
    if fact_id is None:
        return ""
    return reverse("fact-quote", kwargs={"kind": kind, "pk": fact_id})


def _chart_link(row: dict) -> str:
    if row["actual"]:
        return quote_url("actual", row["actual"]["id"])
    return quote_url("target", row["target"]["id"])


@login_required(login_url=LOGIN_URL)
def attainment_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Scorecard, attainment chart and growth-gap chart of one jurisdiction's targets for a year."""
    _require_reader(request)
    jurisdiction = get_object_or_404(Jurisdiction, code=code)
    try:
        as_of = as_of_from_query(request.GET) or timezone.localdate()
    except ValidationError as exc:  # a bad date is a bad link
        raise Http404("as_of must be a date written YYYY-MM-DD.") from exc
    rules = rules_get()
    stored = stored_answers(as_of=as_of, rules=rules)
    of_year = {"period_start__year__lte": year, "period_end__year__gte": year}
    if stored:
        evaluations = Evaluation.objects.filter(jurisdiction=jurisdiction, **of_year).order_by(
            "indicator_code", "target__measure", "period_start", "target_id"
        )
        values = evaluation_values(ids=list(evaluations.values_list("target_id", flat=True)))
    else:
        targets = Target.objects.filter(jurisdiction=jurisdiction, **of_year).order_by(
            "indicator__code", "measure", "period_start", "id"
        )
        ids = list(targets.values_list("id", flat=True))
        values = [row_values(e) for e in evaluations_of(ids=ids, as_of=as_of, rules=rules)]
    rows = [attainment_row(v, rules=rules) for v in values]
    for row in rows:
        row["target_url"] = quote_url("target", row["target"]["id"])
        row["actual_url"] = quote_url("actual", row["actual"]["id"] if row["actual"] else None)
        baseline = row["baseline"]
        row["baseline_url"] = quote_url("actual", baseline["id"] if baseline else None)
    # One indicator compared with the jurisdiction's siblings and followed across the years.
    indicators = list(dict.fromkeys(r["target"]["indicator"]["code"] for r in rows))
    indicator = request.GET.get("indicator") or next(iter(indicators), "")
    answered = Answered(as_of, rules, stored)
    comparison = attainment_comparison(
        indicator=indicator,
        year=year,
        level=jurisdiction.level,
        parent=jurisdiction.parent,
        measure=Measure.LEVEL,
        answered=answered,
    )
    trajectory = jurisdiction_trajectory(
        jurisdiction=jurisdiction, indicator=indicator, measure=Measure.LEVEL, answered=answered
    )
    context = {
        "jurisdiction": jurisdiction,
        "year": year,
        "as_of": as_of,
        "rules": rules,
        "evaluation": "stored" if stored else "live",
        "rows": rows,
        "attainment_svg": charts.attainment_chart(rows, link=_chart_link),
        "growth_svg": charts.growth_gap_chart(rows, link=_chart_link),
        "indicator": indicator,
        "indicators": indicators,
        "ranking_svg": charts.ranking_chart(comparison, highlight=jurisdiction.id),
        "trajectory_svg": charts.trajectory_chart(trajectory),
    }
    return render(request, "tracker/attainment_report.html", context)


@login_required(login_url=LOGIN_URL)
def fact_quote(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A target's or actual's source: the quote, highlighted in its document, and who vouched."""
    _require_reader(request)
    model = FACT_MODELS.get(kind)
    if model is None:
        raise Http404("Unknown kind of fact.")
    fact = get_object_or_404(
        model.objects.select_related(
            "jurisdiction", "indicator", "source_document", "entered_by", "reviewed_by"
        ),
        pk=pk,
    )
    before = highlighted = after = ""
    document = fact.source_document
    if document is not None and fact.span_start is not None:
        text = document.text
        start, end = fact.span_start, fact.span_end
        before = text[max(0, start - EXCERPT_CONTEXT) : start]
        highlighted = text[start:end]
        after = text[end : end + EXCERPT_CONTEXT]
    correction = fact_correction(fact=fact)
    if correction is not None and document is not None:
        # The span marks what the source says: show it with the figure first taken from it.
        highlighted = highlighted or correction["original_quote"]
    context = {
        "kind": kind,
        "fact": fact,
        "correction": correction,
        "current_display": format_quantity(fact.value, fact.unit),
        "document": document,
        "before": before,
        "highlighted": highlighted or fact.quote,
        "after": after,
    }
    return render(request, "tracker/fact_quote.html", context)
