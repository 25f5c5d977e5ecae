"""API of the evaluation engine: attainment rows, their summary, growth gaps and exports."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.pagination import EvaluationPagination
from tracker.attainment import exports
from tracker.attainment.filters import AttainmentFilter, as_of_from_query
from tracker.attainment.rows import evaluate_iter, evaluate_page
from tracker.attainment.rules import Status, rules_get
from tracker.attainment.selectors import (
    COMPUTED_FIELDS,
    SUMMARY_GROUPS,
    AllTargetPages,
    EvaluatedPages,
    FilteredEvaluations,
    attainment_list,
    attainment_summary,
)
from tracker.attainment.serializers import (
    AttainmentRowSerializer,
    GrowthGapRowSerializer,
    represent_rows,
)
from tracker.filters import filters_given
from tracker.models import Target

ATTAINMENT_ORDERING = [
    "period_end",
    "period_start",
    "id",
    "status",
    "attainment_ratio",
    "gap",
    "growth_gap",
    "indicator__code",
    "jurisdiction__code",
]
AS_OF_PARAMETER = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Evaluate as if today were this date."
)
GROUP_BY_PARAMETER = OpenApiParameter(
    "group_by", str, enum=list(SUMMARY_GROUPS), description="Group rows by (default jurisdiction)."
)


def request_as_of(request) -> date:
    """The evaluation date of a request: its as_of parameter, else today."""
    try:
        return as_of_from_query(request.query_params) or timezone.localdate()
    except Exception as exc:  # forms.ValidationError
        raise serializers.ValidationError({"as_of": ["Enter a date as YYYY-MM-DD."]}) from exc


class EvaluationMixin:
    """Builds the evaluated queryset for the request's as_of and completes each page."""

    filterset_class = AttainmentFilter
    pagination_class = EvaluationPagination
    ordering_fields = ATTAINMENT_ORDERING
    ordering = ["-period_end", "jurisdiction__code", "indicator__code", "id"]

    def get_queryset(self):
        self.as_of = request_as_of(self.request)
        self.rules = rules_get()
        return attainment_list(as_of=self.as_of, rules=self.rules)

    # Whether a page may be picked (and counted) among the bare targets and only its rows
    # evaluated, when the request neither filters nor orders by an evaluated field.
    page_before_evaluating = False

    def _pages_before_evaluating(self, request) -> bool:
        ordering = request.query_params.get("ordering", "").replace("-", "").split(",")
        return (
            self.page_before_evaluating
            and "status" not in request.query_params
            and not COMPUTED_FIELDS.intersection(o.strip() for o in ordering)
        )

    def _filters_nothing(self, request) -> bool:
        """Whether the request neither filters nor orders: all targets in the default order."""
        params = request.query_params
        return "ordering" not in params and not filters_given(self.filterset_class, params)

    def list(self, request, *args, **kwargs):
        evaluations = self.get_queryset()
        if not self._pages_before_evaluating(request):
            pages = FilteredEvaluations(
                evaluations=self.filter_queryset(evaluations), as_of=self.as_of, rules=self.rules
            )
        elif self._filters_nothing(request):
            pages = AllTargetPages(ordering=self.ordering, as_of=self.as_of, rules=self.rules)
        else:
            # Counting and ordering every evaluated row costs the whole evaluation; the
            # bare targets give the same page (see docs/performance.md).
            targets = self.filter_queryset(Target.objects.all())
            pages = EvaluatedPages(targets=targets, as_of=self.as_of, rules=self.rules)
        page = self.paginate_queryset(pages)
        rows = evaluate_page(list(page), as_of=self.as_of, rules=self.rules)
        data = represent_rows(rows, rules=self.rules, serializer=self.get_serializer_class())
        response = self.get_paginated_response(data)
        response.data["as_of"] = self.as_of
        response.data["rules"] = self.rules.as_dict()
        return response


@extend_schema(parameters=[AS_OF_PARAMETER])
class AttainmentViewSet(EvaluationMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """For every target: met, missed, on track or behind, by how much, from which actual."""

    serializer_class = AttainmentRowSerializer
    page_before_evaluating = True

    @extend_schema(
        parameters=[GROUP_BY_PARAMETER, AS_OF_PARAMETER],
        responses=inline_serializer(
            "AttainmentSummary",
            {
                "group_by": serializers.ChoiceField(choices=list(SUMMARY_GROUPS)),
                "as_of": serializers.DateField(),
                "results": inline_serializer(
                    "AttainmentSummaryGroup",
                    {
                        "group": serializers.DictField(),
                        "total": serializers.IntegerField(),
                        "mean_attainment": serializers.FloatField(allow_null=True),
                        "by_status": serializers.DictField(child=serializers.IntegerField()),
                    },
                    many=True,
                ),
            },
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request, *args, **kwargs):
        """Counts by status and mean attainment ratio per jurisdiction, indicator or year."""
        group_by = request.query_params.get("group_by", "jurisdiction")
        if group_by not in SUMMARY_GROUPS:
            raise serializers.ValidationError(
                {"group_by": [f"Choose one of: {', '.join(SUMMARY_GROUPS)}."]}
            )
        as_of, rules = request_as_of(request), rules_get()
        rows = attainment_summary(
            as_of=as_of, rules=rules, group_by=group_by, filters=request.query_params
        )
        places = rules.ratio_places
        groups = []
        for row in rows:
            mean = row["mean_attainment"]
            groups.append(
                {
                    "group": {k: row[k] for k in SUMMARY_GROUPS[group_by]},
                    "total": row["total"],
                    "mean_attainment": None if mean is None else round(mean, places),
                    "by_status": {s.value: row[s.value] for s in Status},
                }
            )
        return Response({"group_by": group_by, "as_of": as_of, "results": groups})


@extend_schema(parameters=[AS_OF_PARAMETER])
class GrowthGapViewSet(EvaluationMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The growth view of the evaluations: required and achieved growth, gaps, progress."""

    serializer_class = GrowthGapRowSerializer
    ordering = ["-period_end", "jurisdiction__code", "indicator__code", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.exclude(required_growth__isnull=True, achieved_growth__isnull=True)


class AttainmentExportView(EvaluationMixin, APIView):
    """The attainment rows with provenance as a CSV or XLSX file, streamed."""

    file_format = "csv"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        filters=True,
    )
    def get(self, request, *args, **kwargs):
        evaluations = AttainmentFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not evaluations.is_valid():
            raise serializers.ValidationError(evaluations.errors)
        queryset = evaluations.qs.order_by(*self.ordering)
        rows = evaluate_iter(queryset, as_of=self.as_of, rules=self.rules)
        name = f"attainment-{self.as_of:%Y-%m-%d}.{self.file_format}"
        if self.file_format == "xlsx":
            return FileResponse(
                exports.xlsx_file(rows, rules=self.rules),
                as_attachment=True,
                filename=name,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response = StreamingHttpResponse(
            exports.csv_stream(rows, rules=self.rules), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AttainmentXlsxExportView(AttainmentExportView):
    """The attainment rows with provenance as an XLSX workbook."""

    file_format = "xlsx"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
