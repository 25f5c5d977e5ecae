"""API of webhook subscriptions (admins only) and their delivery log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from tracker.rest.permissions import Role, user_role
from tracker.rest.query import KnownParametersFilter
from tracker.webhooks import services
from tracker.webhooks.api.serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionInputSerializer,
    WebhookSubscriptionSerializer,
)
from tracker.webhooks.models import WebhookDelivery, WebhookSubscription


class AdminRole(BasePermission):
    """Only admins see and change subscriptions: their URLs reach other systems."""

    message = "Only admins may see or change webhook subscriptions."

    def has_permission(self, request, view) -> bool:
        return user_role(request.user) == Role.ADMIN


@extend_schema(request=WebhookSubscriptionInputSerializer, responses=WebhookSubscriptionSerializer)
class WebhookSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook subscriptions: a URL, a secret and the events it is told of."""

    queryset = WebhookSubscription.objects.select_related("created_by")
    serializer_class = WebhookSubscriptionSerializer
    # What a POST sends (OPTIONS describes it: tracker.rest.metadata).
    input_serializer_class = WebhookSubscriptionInputSerializer
    permission_classes = [AdminRole]
    filterset_class = None
    # No filters: only the pagination's parameters are known (anything else is a 400).
    filter_backends = [KnownParametersFilter]

    def create(self, request, *args, **kwargs):
        given = WebhookSubscriptionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        subscription = services.webhook_subscription_create(
            user=request.user, **given.validated_data
        )
        body = WebhookSubscriptionSerializer(subscription).data
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        given = WebhookSubscriptionInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        subscription = services.webhook_subscription_update(
            subscription=self.get_object(), data=dict(given.validated_data)
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(request=None, responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, *args, **kwargs):
        """The delivery log of this subscription, newest first."""
        deliveries = WebhookDelivery.objects.filter(subscription=self.get_object())
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
