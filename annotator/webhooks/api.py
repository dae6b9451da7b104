"""``/api/webhooks/``: endpoints and their deliveries, for editors and superusers only."""

from __future__ import annotations

import orjson
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from articles import roles

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .validation import EVENTS


class IsEditor(BasePermission):
    message = "Only editors manage webhooks."

    def has_permission(self, request, view) -> bool:
        return roles.is_editor(request.user)


class WebhookSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "events", "description", "active", "consecutive_failures",
            "disabled_at", "disabled_reason", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSerializer):
    """The create response alone carries the secret: keep it, it is not shown again."""

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookWriteSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), allow_empty=False)
    secret = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The HMAC-SHA256 key; leave it out and one is made (answered once).",
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number", "started_at", "duration_ms", "succeeded", "status_code", "address",
            "error", "response_excerpt",
        ]  # fmt: skip


class DeliverySerializer(serializers.ModelSerializer):
    attempts = AttemptSerializer(many=True, read_only=True)
    data = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event", "status", "attempt_count", "next_attempt_at", "created_at",
            "delivered_at", "data", "attempts",
        ]  # fmt: skip

    def get_data(self, delivery) -> dict:
        return orjson.Fragment(bytes(delivery.data))


@extend_schema(tags=["webhooks"])
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Endpoints that receive a signed POST for each event they subscribe to."""

    lookup_value_regex = "[0-9]+"
    permission_classes = [IsEditor]
    serializer_class = WebhookSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return WebhookEndpoint.objects.select_related("created_by").order_by("id")

    def get_serializer_class(self):
        return {
            "create": WebhookWriteSerializer,
            "partial_update": WebhookWriteSerializer,
            "deliveries": DeliverySerializer,
            "test": DeliverySerializer,
        }.get(self.action, WebhookSerializer)

    @extend_schema(request=WebhookWriteSerializer, responses={201: WebhookCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = WebhookWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_create(user=request.user, **serializer.validated_data)
        return Response(WebhookCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookWriteSerializer, responses={200: WebhookSerializer})
    def partial_update(self, request, *args, **kwargs):
        serializer = WebhookWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_update(
            endpoint=self.get_object(), user=request.user, changes=serializer.validated_data
        )
        return Response(WebhookSerializer(endpoint).data)

    def perform_destroy(self, instance):
        services.webhook_delete(endpoint=instance, user=self.request.user)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The endpoint's deliveries, newest first, each with every attempt made."""
        deliveries = (
            self.get_object().deliveries.prefetch_related("attempts").order_by("-created_at", "-id")
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={201: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Send a `ping` event now, whatever the endpoint subscribes to; answers the delivery
        (with the default task backend, already tried)."""
        made = services.send_test_event(endpoint=self.get_object(), user=request.user)
        made = WebhookDelivery.objects.prefetch_related("attempts").get(pk=made.pk)
        return Response(DeliverySerializer(made).data, status=status.HTTP_201_CREATED)
