"""API views of jurisdictions, targets and actuals: validate, call a service, serialize."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import selectors, services
from tracker.api import serializers as s
from tracker.filters import ActualFilter, JurisdictionFilter, TargetFilter
from tracker.models import Fact
from tracker.rest.authentication import TokenAuthentication
from tracker.rest.conditional import (
    ETAG_PARAMETER,
    IF_MATCH_PARAMETER,
    etag,
    if_match_versions,
)
from tracker.rest.permissions import Role
from tracker.rest.throttling import ScopedRateThrottle, shared_cache_status

FACT_ORDERING = [
    "period_start",
    "period_end",
    "value",
    "created_at",
    "updated_at",
    "id",
    "indicator__code",
    "jurisdiction__code",
]

REASON_PARAMETER = OpenApiParameter(
    "reason", str, description="Why; required when deleting an accepted fact."
)


class JurisdictionViewSet(viewsets.ModelViewSet):
    """Provinces, cities and counties. Admins write; everyone with a role reads."""

    queryset = selectors.jurisdiction_list()
    serializer_class = s.JurisdictionSerializer
    filterset_class = JurisdictionFilter
    ordering_fields = ["code", "name_zh", "name_en", "level", "id"]
    write_role = Role.ADMIN

    def perform_create(self, serializer):
        jurisdiction = services.jurisdiction_create(**serializer.validated_data)
        serializer.instance = self._reread(jurisdiction)

    def perform_update(self, serializer):
        jurisdiction = services.jurisdiction_update(
            jurisdiction=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self._reread(jurisdiction)

    def perform_destroy(self, instance):
        services.jurisdiction_delete(jurisdiction=instance)

    def _reread(self, jurisdiction):
        # parent_code is annotated by the selector; the saved object lacks it or has it stale.
        return self.get_queryset().get(pk=jurisdiction.pk)


class FactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Shared behaviour of the target and actual endpoints."""

    input_serializer_class: type[s.FactInputSerializer]
    ordering_fields = FACT_ORDERING
    ordering = ["-period_end", "id"]

    def create(self, request, *args, **kwargs):
        data = self._validated(request)
        data.pop("version", None)
        fact = services.fact_create(
            model=self.queryset.model,
            user=request.user,
            reason=data.pop("change_reason", "") or "",
            **data,
        )
        return Response(self._output(fact), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ETAG_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        fact = self.get_object()
        return Response(self.get_serializer(fact).data, headers={"ETag": etag(fact.version)})

    @extend_schema(parameters=[IF_MATCH_PARAMETER, ETAG_PARAMETER])
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        fact = self.get_object()
        data = self._validated(request, instance=fact, partial=partial)
        fact = services.fact_update(
            fact=fact,
            user=request.user,
            reason=data.pop("change_reason", "") or "",
            expected_version=data.pop("version", None),
            if_match=if_match_versions(request),
            data=data,
        )
        body = self._output(fact)
        return Response(body, headers={"ETag": etag(body["version"])})

    @extend_schema(parameters=[IF_MATCH_PARAMETER, ETAG_PARAMETER])
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(parameters=[REASON_PARAMETER, IF_MATCH_PARAMETER], responses={204: None})
    def destroy(self, request, *args, **kwargs):
        services.fact_delete(
            fact=self.get_object(),
            user=request.user,
            reason=request.query_params.get("reason", ""),
            if_match=if_match_versions(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.FactChangeSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        """Every change of this fact: who, when, why, and old and new values."""
        changes = selectors.fact_history(fact=self.get_object())
        return Response(s.FactChangeSerializer(changes, many=True).data)

    def get_serializer_context(self):
        # A single fact carries its correction (it reads the history); a list does not.
        return {**super().get_serializer_context(), "with_correction": self.action != "list"}

    def _validated(self, request, *, instance: Fact | None = None, partial: bool = False) -> dict:
        serializer = self.input_serializer_class(
            instance=instance, data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def get_queryset(self):
        if self.action in ("update", "partial_update", "destroy"):
            # The service reads the fact again, locked, with what the answer shows of it.
            return self.queryset.model.objects.all()
        return super().get_queryset()

    def _output(self, fact: Fact) -> dict:
        return self.get_serializer(fact).data


@extend_schema(request=s.TargetInputSerializer, responses=s.TargetSerializer)
class TargetViewSet(FactViewSet):
    """Targets: what a government promised. Editors write; readers read."""

    queryset = selectors.target_list()
    serializer_class = s.TargetSerializer
    input_serializer_class = s.TargetInputSerializer
    filterset_class = TargetFilter


@extend_schema(request=s.ActualInputSerializer, responses=s.ActualSerializer)
class ActualViewSet(FactViewSet):
    """Actuals: what a government reported. Editors write; readers read."""

    queryset = selectors.actual_list()
    serializer_class = s.ActualSerializer
    input_serializer_class = s.ActualInputSerializer
    filterset_class = ActualFilter


class AuthTokenView(APIView):
    """Exchange a username and password for an API token (POST), or revoke yours (DELETE)."""

    # Token only: a login form must not depend on a session's CSRF token.
    authentication_classes = [TokenAuthentication]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(
        request=s.CredentialsSerializer,
        responses={200: s.TokenSerializer},
        description="Your API token for a username and password; the same token until revoked.",
    )
    def post(self, request):
        credentials = s.CredentialsSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token = services.token_obtain(user=credentials.validated_data["user"])
        return Response(s.TokenSerializer(token).data)

    @extend_schema(
        request=None,
        responses={204: None},
        description="Revoke the token this request is authenticated with.",
    )
    def delete(self, request):
        services.token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["ok", "degraded"]),
        "database": serializers.CharField(),
        # "ok", "eager" (tasks run in the web process) or "error: …"
        "broker": serializers.CharField(),
        # "ok", "local" (no shared cache configured) or "error: …"
        "cache": serializers.CharField(),
    },
)


class HealthView(APIView):
    """Whether the database, the task broker and the shared cache answer; open to monitoring
    without a token. 503 only without the database: without Redis the API still serves."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(responses={200: HEALTH, 503: HEALTH})
    def get(self, request):
        report = {
            "database": _database_status(),
            "broker": _broker_status(),
            "cache": shared_cache_status(),
        }
        healthy = all(v in ("ok", "eager", "local") for v in report.values())
        body = {"status": "ok" if healthy else "degraded", **report}
        return Response(body, status=200 if report["database"] == "ok" else 503)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any driver error means unhealthy
        return f"error: {exc.__class__.__name__}"


def _broker_status() -> str:
    from tracker.celery import app

    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0)
        return "ok"
    except Exception as exc:  # any transport error means unhealthy
        return f"error: {exc.__class__.__name__}"
