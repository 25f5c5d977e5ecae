"""The auditor's HTML pages: the index of reports, a scorecard per jurisdiction and year, and
each number's quote. Signed in with a session (the login form) or an API token
(`Authorization: Token …`, for systems that render the pages for their users)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed

from ingest.models import ClaimStatus
from tracker.attainment import charts
from tracker.attainment.filters import as_of_from_query
from tracker.attainment.models import Evaluation, Flag, Progress, Status
from tracker.attainment.rows import attainment_row, row_values
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import evaluation_values, evaluations_of, stored_answers
from tracker.attainment.selectors.compare import (
    Answered,
    attainment_comparison,
    jurisdiction_trajectory,
)
from tracker.attainment.selectors.reports import INDEX_LIMIT, report_index, report_years
from tracker.display import format_promise, format_quantity
from tracker.i18n import LANGUAGE_PARAMETER
from tracker.models import Actual, Jurisdiction, Measure, Target
from tracker.rest.authentication import TokenAuthentication
from tracker.rest.permissions import user_role
from tracker.selectors import fact_correction

LOGIN_URL = "/api-auth/login/"
FACT_MODELS = {"target": Target, "actual": Actual}
KIND_LABELS = {"target": _("target"), "actual": _("actual")}
EXCERPT_CONTEXT = 120


NO_READER_ROLE = _("Your account has no role that allows reading the tracker.")
BAD_TOKEN = _("The API token is not valid.")
AS_OF_BAD_LINK = _("as_of must be a date written YYYY-MM-DD.")


def reader_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for readers: a valid API token in the Authorization header, or a session.

    Without either, the browser is sent to the login form; a signed-in user without the
    reader role (or a bad token) gets 403.
    """

    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.session_login = True
        if request.headers.get("Authorization", "").startswith("Token "):
            try:
                found = TokenAuthentication().authenticate(request)
            except AuthenticationFailed as exc:
                raise PermissionDenied(BAD_TOKEN) from exc
            if found is not None:
                request.user, request.session_login = found[0], False
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        if user_role(request.user) is None:
            raise PermissionDenied(NO_READER_ROLE)
        return view(request, *args, **kwargs)

    return page


def page_context(request: HttpRequest) -> dict:
    """What every auditor's page shows around its content: languages and who is signed in."""
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        query = request.GET.copy()
        query[LANGUAGE_PARAMETER] = code
        links.append(
            {
                "code": code,
                "name": name,
                "href": "?" + query.urlencode(),
                "current": translation.get_supported_language_variant(current) == code,
            }
        )
    index = reverse("report-index")
    if request.GET.get(LANGUAGE_PARAMETER):
        index += "?" + urlencode({LANGUAGE_PARAMETER: request.GET[LANGUAGE_PARAMETER]})
    return {
        "language_links": links,
        "index_url": index,
        "session_login": getattr(request, "session_login", True),
    }


def _with_language(request: HttpRequest, params: dict) -> dict:
    """Query parameters of a link, keeping a language the page was asked for by ?lang=."""
    if request.GET.get(LANGUAGE_PARAMETER):
        params = {**params, LANGUAGE_PARAMETER: request.GET[LANGUAGE_PARAMETER]}
    return params


def quote_url(kind: str, fact_id: int | None) -> str:
    """Where a number's source quote is shown."""
    if fact_id is None:
        return ""
    return reverse("fact-quote", kwargs={"kind": kind, "pk": fact_id})


def _chart_link(row: dict) -> str:
    if row["actual"]:
        return quote_url("actual", row["actual"]["id"])
    return quote_url("target", row["target"]["id"])


@reader_page
def reports_index(request: HttpRequest) -> HttpResponse:
    """The index of reports: jurisdictions with targets and their years, searchable."""
    search = request.GET.get("q", "")[:100]
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and 1900 <= int(raw_year) <= 2200 else None
    entries = report_index(search=search, year=year)
    query = "?" + urlencode(_with_language(request, {})) if request.GET.get("lang") else ""
    for entry in entries:
        entry.links = [(y, _report_url(entry.jurisdiction.code, y) + query) for y in entry.years]
    context = {
        **page_context(request),
        "entries": entries,
        "search": search,
        "year": year,
        "year_asked": raw_year,
        "limit": INDEX_LIMIT,
        "lang": request.GET.get(LANGUAGE_PARAMETER, ""),
    }
    return render(request, "tracker/reports_index.html", context)


@reader_page
def attainment_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Scorecard, attainment chart and growth-gap chart of one jurisdiction's targets for a year."""
    jurisdiction = get_object_or_404(Jurisdiction, code=code)
    try:
        as_of = as_of_from_query(request.GET) or timezone.localdate()
    except ValidationError as exc:  # a bad date is a bad link
        raise Http404(AS_OF_BAD_LINK) from exc
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
        _label_codes(row)
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
        **page_context(request),
        **_report_links(request, jurisdiction=jurisdiction, year=year),
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


@reader_page
def fact_quote(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A target's or actual's source: the quote, highlighted in its document, and who vouched."""
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
        **page_context(request),
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "fact": fact,
        "correction": correction,
        "current_display": format_quantity(fact.value, fact.unit),
        "value_display": format_promise(fact.value, fact.unit, fact.comparator),
        "document": document,
        "before": before,
        "highlighted": highlighted or fact.quote,
        "after": after,
    }
    return render(request, "tracker/fact_quote.html", context)


def _label(choices: type, code: str | None) -> str:
    """The label of a stored code in the current language (the code itself if unknown)."""
    if code is None:
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _label_codes(row: dict) -> None:
    """Readable labels beside a row's stable codes (the codes stay in data attributes)."""
    row["status_label"] = _label(Status, row["status"])
    row["measure_label"] = _label(Measure, row["target"]["measure"])
    if row["progress"]:
        row["progress_label"] = _label(Progress, row["progress"]["category"])
    row["flag_labels"] = [{"code": flag, "label": _label(Flag, flag)} for flag in row["flags"]]
    for claim in row["claims"]:
        claim["claimed_label"] = _label(ClaimStatus, claim["claimed_status"])
        claim["computed_label"] = _label(Status, claim["computed_status"])


def _report_links(request: HttpRequest, *, jurisdiction: Jurisdiction, year: int) -> dict:
    """The exports of a report and its previous and next years (those with targets)."""
    years = report_years(jurisdiction=jurisdiction)
    earlier = [y for y in years if y < year]
    later = [y for y in years if y > year]
    exported = {"jurisdiction": jurisdiction.code, "year": year}
    if request.GET.get("as_of"):
        exported["as_of"] = request.GET["as_of"]
    exported = _with_language(request, exported)
    links = {
        "export_csv": reverse("attainment-export-csv") + "?" + urlencode(exported),
        "export_xlsx": reverse("attainment-export-xlsx") + "?" + urlencode(exported),
        "previous_year": "",
        "next_year": "",
    }
    query = "?" + urlencode(_with_language(request, {})) if request.GET.get("lang") else ""
    if earlier:
        links["previous_year"] = _report_url(jurisdiction.code, earlier[-1]) + query
        links["previous_year_number"] = earlier[-1]
    if later:
        links["next_year"] = _report_url(jurisdiction.code, later[0]) + query
        links["next_year_number"] = later[0]
    return links


def _report_url(code: str, year: int) -> str:
    return reverse("attainment-report", kwargs={"code": code, "year": year})
