"""API of the evaluations: attainment rows, their summary, growth gaps and exports.

Every read answers from the stored evaluations when it asks for the day and the rules they
hold (today, the rules in force: the usual case), and evaluates live otherwise; the answer
says which (`evaluation`: `stored` or `live`, and the `X-Evaluation` header of exports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from tracker.attainment import exports, rows, workbook
from tracker.attainment.api.serializers import (
    AttainmentRowSerializer,
    CompareQuerySerializer,
    ComparisonSerializer,
    GrowthGapRowSerializer,
    JurisdictionTrajectorySerializer,
    RollupListSerializer,
    RollupQuerySerializer,
    SummarySerializer,
    TrajectoryQuerySerializer,
)
from tracker.attainment.filters import EvaluationFilter, as_of_from_query
from tracker.attainment.models import Evaluation, Status
from tracker.attainment.rules import AttainmentRules, rules_get
from tracker.attainment.selectors import (
    SUMMARY_GROUPS,
    LiveEvaluations,
    evaluation_summary,
    evaluation_values,
    evaluations_count,
    evaluations_live,
    evaluations_with_growth,
    live_evaluations,
    stored_version,
    summary_live,
)
from tracker.attainment.selectors.compare import (
    Answered,
    attainment_comparison,
    jurisdiction_rollups,
    jurisdiction_trajectory,
)
from tracker.filters import filter_jurisdiction
from tracker.models import Jurisdiction
from tracker.rest.pagination import CountedQuerySet, StandardPagination
from tracker.rest.query import check_query_parameters, view_query_parameters

AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Evaluate as if today were this date (default today: the stored evaluations).",
)
GROUP_BY_PARAMETER = OpenApiParameter(
    "group_by", str, enum=list(SUMMARY_GROUPS), description="Group rows by (default jurisdiction)."
)
STORED, LIVE = "stored", "live"
# Query parameters that page or order a list but do not change which rows it holds.
NOT_FILTERS = frozenset({"page", "page_size", "ordering", "format"})


@dataclass(frozen=True)
class Answer:
    """What a read answers with: the day, the rules, and whether the stored rows hold them."""

    as_of: date
    rules: AttainmentRules
    version: str | None  # of the stored evaluations, when they hold this day and rules

    @property
    def stored(self) -> bool:
        return self.version is not None

    @property
    def evaluation(self) -> str:
        return STORED if self.stored else LIVE


def request_answer(request) -> Answer:
    """The day (as_of, default today) and rules a request is answered with."""
    try:
        as_of = as_of_from_query(request.query_params) or timezone.localdate()
    except ValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from exc
    rules = rules_get()
    return Answer(as_of=as_of, rules=rules, version=stored_version(as_of=as_of, rules=rules))


class EvaluationPagination(StandardPagination):
    """A page of evaluations that also says the day, the rules and where the rows came from."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [*paginated.get("required", []), "as_of", "rules", "evaluation"]
        paginated["properties"] |= {
            "as_of": {
                "type": "string",
                "format": "date",
                "description": "The date the rows were evaluated as of.",
            },
            "rules": {
                "type": "object",
                "additionalProperties": {},
                "description": "The evaluation rules in force (tolerances, thresholds).",
            },
            "evaluation": {
                "type": "string",
                "enum": [STORED, LIVE],
                "description": "stored: read from the evaluations kept current; live: "
                "evaluated for this request (another day or other rules).",
            },
        }
        return paginated


class EvaluationReads:
    """What the attainment and growth-gap lists, the summary and the exports share."""

    filterset_class = EvaluationFilter
    filter_backends = [DjangoFilterBackend]
    with_growth = False  # only rows with a required or achieved growth rate

    def get_queryset(self) -> QuerySet[Evaluation]:
        evaluations = Evaluation.objects.all()
        return evaluations_with_growth(evaluations) if self.with_growth else evaluations

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "rules": self.answer.rules}

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # Lists and exports (other methods answer 405, the other actions check their own).
        if request.method == "GET" and getattr(self, "action", None) in (None, "list"):
            check_query_parameters(request, **view_query_parameters(self))
        self.answer = request_answer(request)

    def count_key(self) -> str:
        """What decides which rows a list holds: the view and its filters (not the page)."""
        filters = sorted(
            (name, value)
            for name, values in self.request.query_params.lists()
            if name not in NOT_FILTERS
            for value in values
        )
        return f"{type(self).__name__}?{urlencode(filters)}"

    def live_evaluations(self) -> LiveEvaluations:
        """The request's rows evaluated live (another day or other rules)."""
        return live_evaluations(
            params=self.request.query_params,
            as_of=self.answer.as_of,
            rules=self.answer.rules,
            with_growth=self.with_growth,
        )


class EvaluationListViewSet(EvaluationReads, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list of evaluations, stored or live, with the day, rules and source of its rows.

    `serializer_class` is the rows' contract (and schema); a page is written by
    `write_row` from flat values, which writes the same (see tracker/attainment/api/rows.py).
    """

    pagination_class = EvaluationPagination
    write_row = staticmethod(rows.attainment_row)

    def list(self, request, *args, **kwargs):
        rules = self.answer.rules
        if self.answer.stored:
            # Counted and paged by the evaluations alone (their indexes give a page's ids);
            # then the page's rows, joined to all they show, as flat values.
            evaluations = self.filter_queryset(self.get_queryset())
            counted = CountedQuerySet(
                evaluations.values_list("target_id", flat=True),
                count=lambda: evaluations_count(
                    evaluations=evaluations, version=self.answer.version, key=self.count_key()
                ),
            )
            ids = self.paginate_queryset(counted)
            page = evaluation_values(ids=ids)
        else:
            page = [rows.row_values(e) for e in self.paginate_queryset(self.live_evaluations())]
        response = self.get_paginated_response([self.write_row(v, rules=rules) for v in page])
        response.data["as_of"] = self.answer.as_of
        response.data["rules"] = rules.as_dict()
        response.data["evaluation"] = self.answer.evaluation
        return response


@extend_schema(parameters=[AS_OF_PARAMETER])
class AttainmentViewSet(EvaluationListViewSet):
    """For every target: met, missed, on track or behind, by how much, from which actual."""

    serializer_class = AttainmentRowSerializer

    @extend_schema(parameters=[GROUP_BY_PARAMETER, AS_OF_PARAMETER], responses=SummarySerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request, *args, **kwargs):
        """Counts by status and mean attainment ratio per jurisdiction, indicator or year."""
        parameters = view_query_parameters(self)
        parameters["known"].add("group_by")
        check_query_parameters(request, **parameters)
        group_by = request.query_params.get("group_by", "jurisdiction")
        if group_by not in SUMMARY_GROUPS:
            raise serializers.ValidationError(
                {"group_by": [f"Choose one of: {', '.join(SUMMARY_GROUPS)}."]}
            )
        if self.answer.stored:
            evaluations = EvaluationFilter(
                request.query_params, queryset=Evaluation.objects.all(), request=request
            )
            if not evaluations.is_valid():
                raise serializers.ValidationError(evaluations.errors)
            rows = evaluation_summary(evaluations=evaluations.qs, group_by=group_by)
        else:
            live = self.live_evaluations()
            judged = evaluations_live(targets=live.targets, as_of=live.as_of, rules=live.rules)
            rows = summary_live((e for e in judged if live.matches(e)), group_by=group_by)
        groups = [
            {
                "group": {k: row[k] for k in SUMMARY_GROUPS[group_by]},
                "total": row["total"],
                "mean_attainment": row["mean_attainment"],
                "by_status": {s.value: row[s.value] for s in Status},
            }
            for row in rows
        ]
        body = {
            "group_by": group_by,
            "as_of": self.answer.as_of,
            "evaluation": self.answer.evaluation,
            "results": groups,
        }
        return Response(SummarySerializer(body, context=self.get_serializer_context()).data)

    def _answered(self) -> Answered:
        return Answered(self.answer.as_of, self.answer.rules, self.answer.stored)

    @extend_schema(
        parameters=[CompareQuerySerializer, AS_OF_PARAMETER], responses=ComparisonSerializer
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def compare(self, request, *args, **kwargs):
        """One indicator and year across every jurisdiction of a level, ranked by attainment
        ratio (and by value); under one parent when asked."""
        check_query_parameters(request, known=[*CompareQuerySerializer().fields, "as_of"])
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        parent = _jurisdiction(given["parent"], field="parent") if "parent" in given else None
        rows = attainment_comparison(
            indicator=given["indicator"],
            year=given["year"],
            level=given["level"],
            parent=parent,
            measure=given["measure"],
            answered=self._answered(),
        )
        body = {
            **{k: given[k] for k in ("indicator", "year", "level")},
            "parent": parent,
            "as_of": self.answer.as_of,
            "evaluation": self.answer.evaluation,
            "results": rows,
        }
        return Response(ComparisonSerializer(body, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[TrajectoryQuerySerializer, AS_OF_PARAMETER],
        responses=JurisdictionTrajectorySerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def trajectory(self, request, *args, **kwargs):
        """One jurisdiction's indicator year by year: its figure, its target, how it stands."""
        check_query_parameters(request, known=[*TrajectoryQuerySerializer().fields, "as_of"])
        query = TrajectoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        jurisdiction = _jurisdiction(given["jurisdiction"], field="jurisdiction")
        rows = jurisdiction_trajectory(
            jurisdiction=jurisdiction,
            indicator=given["indicator"],
            measure=given["measure"],
            answered=self._answered(),
        )
        body = {
            "jurisdiction": jurisdiction,
            "indicator": given["indicator"],
            "measure": given["measure"],
            "as_of": self.answer.as_of,
            "evaluation": self.answer.evaluation,
            "results": rows,
        }
        serializer = JurisdictionTrajectorySerializer(body, context=self.get_serializer_context())
        return Response(serializer.data)

    @extend_schema(
        parameters=[RollupQuerySerializer, AS_OF_PARAMETER], responses=RollupListSerializer
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def rollups(self, request, *args, **kwargs):
        """A parent's figures derived from its children's (flows and stocks summed; ratios and
        growth rates never), per indicator and period, each with its coverage."""
        check_query_parameters(request, known=[*RollupQuerySerializer().fields, "as_of"])
        query = RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        jurisdiction = _jurisdiction(given["jurisdiction"], field="jurisdiction")
        rows = jurisdiction_rollups(
            jurisdiction=jurisdiction,
            indicator=given.get("indicator"),
            year=given.get("year"),
            as_of=self.answer.as_of,
            min_coverage=self.answer.rules.rollup_min_coverage,
        )
        body = {"jurisdiction": jurisdiction, "as_of": self.answer.as_of, "results": rows}
        return Response(RollupListSerializer(body, context=self.get_serializer_context()).data)


UNKNOWN_JURISDICTION = _("No jurisdiction has this name or division code.")


def _jurisdiction(value: str, *, field: str) -> Jurisdiction:
    found = filter_jurisdiction(Jurisdiction.objects.all(), "", value).order_by("level", "code")
    jurisdiction = found.first()
    if jurisdiction is None:
        raise serializers.ValidationError({field: [UNKNOWN_JURISDICTION]})
    return jurisdiction


@extend_schema(parameters=[AS_OF_PARAMETER])
class GrowthGapViewSet(EvaluationListViewSet):
    """The growth view of the evaluations: required and achieved growth, gaps, progress."""

    serializer_class = GrowthGapRowSerializer
    write_row = staticmethod(rows.growth_row)
    with_growth = True


class AttainmentExportView(EvaluationReads, GenericAPIView):
    """The attainment rows with provenance as a CSV file, streamed as they are read."""

    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        filters=True,
    )
    def get(self, request, *args, **kwargs):
        answer = self.answer
        if answer.stored:
            evaluations = self.filter_queryset(Evaluation.objects.all())
            values = exports.stored_values(evaluations)
        else:
            values = exports.live_values(iter(self.live_evaluations()))
        response = StreamingHttpResponse(self.stream(values), content_type=self.media_type)
        name = f"attainment-{answer.as_of:%Y-%m-%d}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Evaluation"] = answer.evaluation
        return response

    def stream(self, values):
        return exports.csv_stream(values, rules=self.answer.rules)


class AttainmentXlsxExportView(AttainmentExportView):
    """The attainment rows with provenance as an XLSX workbook, streamed as they are read."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY
        },
        filters=True,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def stream(self, values):
        answer = self.answer
        return workbook.workbook_chunks(
            values, rules=answer.rules, as_of=answer.as_of, evaluation=answer.evaluation
        )
