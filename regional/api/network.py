"""API of network mentoring (mounted under /api/v1/network/ on every tenant host).

The same rules as the pages (`regional.views.network`): the mentee's organization (curator, council,
director) lists and sends its requests; the director of the mentor's organization releases or
declines; the mentor accepts or declines. A request nobody here may see is "not found"; a decision
by someone who may see the request but not decide it is refused with the Russian reason (400).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from nastavnik.api.base import TenantAPIView, raise_as_api_error
from regional import network as selectors
from regional.models import NetworkRequest
from regional.services import network as services


class NetworkOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    short_name = serializers.CharField()


class NetworkTimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(allow_null=True)
    text = serializers.CharField()
    comment = serializers.CharField()


class NetworkRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    status = serializers.CharField(source="request.status")
    status_label = serializers.CharField(source="request.get_status_display")
    mentee_organization = NetworkOrganizationSerializer(source="request.mentee_organization")
    mentor_organization = NetworkOrganizationSerializer(source="request.mentor_organization")
    mentee_categories = serializers.ListField(child=serializers.CharField(), source="request.mentee_categories")
    mentee_category_labels = serializers.ListField(child=serializers.CharField(), source="categories")
    topic = serializers.CharField(source="request.topic")
    mentor_name = serializers.CharField()
    mentee_name = serializers.CharField(help_text="Только для организации наставляемого")
    requested_at = serializers.DateTimeField(source="request.requested_at")
    director_decided_at = serializers.DateTimeField(source="request.director_decided_at", allow_null=True)
    director_comment = serializers.CharField(source="request.director_comment")
    mentor_decided_at = serializers.DateTimeField(source="request.mentor_decided_at", allow_null=True)
    mentor_comment = serializers.CharField(source="request.mentor_comment")
    pair_id = serializers.IntegerField(source="request.pair_id", allow_null=True)
    timeline = NetworkTimelineEventSerializer(many=True)


class NetworkListSerializer(serializers.Serializer):
    sent = NetworkRequestSerializer(many=True, help_text="Мои запросы (куратор, совет, руководитель)")
    incoming = NetworkRequestSerializer(many=True, help_text="Входящие запросы (руководитель организации наставника)")
    offers = NetworkRequestSerializer(many=True, help_text="Предложения мне (наставник)")


class NetworkRequestInput(serializers.Serializer):
    bank_mentor_id = serializers.IntegerField(min_value=1, max_value=2**62)
    mentee_entry_id = serializers.IntegerField(min_value=1, max_value=2**62)
    topic = serializers.CharField(max_length=services.TOPIC_MAX)


class NetworkDecisionInput(serializers.Serializer):
    comment = serializers.CharField(max_length=services.COMMENT_MAX, required=False, allow_blank=True, default="")


def _card(request, found: NetworkRequest):
    sides = selectors.viewer_sides(request, found)
    side = next(s for s in ("mentee_side", "mentor_side", "mentor") if s in sides)
    return selectors.cards([found], side=side)[0]


class NetworkListAPI(TenantAPIView):
    @extend_schema(
        operation_id="network_list", summary="Запросы сетевого наставничества по ролям", responses=NetworkListSerializer
    )
    def get(self, request):
        data = {
            "sent": (
                selectors.cards(selectors.sent_requests(request.tenant), side="mentee_side")
                if selectors.may_request(request)
                else []
            ),
            "incoming": (
                selectors.cards(selectors.incoming_requests(request.tenant), side="mentor_side")
                if selectors.may_decide_for_organization(request)
                else []
            ),
            "offers": selectors.cards(selectors.offers(request.user), side="mentor"),
        }
        return Response(NetworkListSerializer(data).data)

    @extend_schema(
        operation_id="network_create",
        summary="Запросить наставника другой организации из банка (куратор, совет, руководитель)",
        request=NetworkRequestInput,
        responses={201: NetworkRequestSerializer},
    )
    def post(self, request):
        if not selectors.may_request(request):
            raise PermissionDenied(services.REQUESTER_ONLY)
        data = NetworkRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        selectors.access_bank_mentor(organization=request.tenant, bank_mentor_id=data.validated_data["bank_mentor_id"])
        try:
            created = services.network_request_create(
                actor=request.user, organization=request.tenant, **data.validated_data
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(NetworkRequestSerializer(_card(request, created)).data, status=status.HTTP_201_CREATED)


class NetworkRequestDetailAPI(TenantAPIView):
    @extend_schema(
        operation_id="network_detail",
        summary="Запрос сетевого наставника с ходом решения",
        responses=NetworkRequestSerializer,
    )
    def get(self, request, request_id: int):
        found = selectors.access_network_request(request=request, request_id=request_id)
        return Response(NetworkRequestSerializer(_card(request, found)).data)


def _decision_view(name: str, action, summary: str):
    class DecisionAPI(TenantAPIView):
        @extend_schema(
            operation_id=f"network_{name.lower()}",
            summary=summary,
            request=NetworkDecisionInput,
            responses=NetworkRequestSerializer,
        )
        def post(self, request, request_id: int):
            found = selectors.access_network_request(request=request, request_id=request_id)
            data = NetworkDecisionInput(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                if action is services.network_request_cancel:
                    found = action(actor=request.user, network_request=found)
                else:
                    found = action(actor=request.user, network_request=found, **data.validated_data)
            except DjangoValidationError as error:
                raise_as_api_error(error)
            found = selectors.access_network_request(request=request, request_id=found.pk)
            return Response(NetworkRequestSerializer(_card(request, found)).data)

    DecisionAPI.__name__ = DecisionAPI.__qualname__ = f"NetworkRequest{name}API"
    return DecisionAPI.as_view()


urlpatterns = [
    path("", NetworkListAPI.as_view(), name="api_network_list"),
    path("<int:request_id>/", NetworkRequestDetailAPI.as_view(), name="api_network_detail"),
    path(
        "<int:request_id>/release/",
        _decision_view(
            "Release", services.network_request_release, "Отпустить наставника (руководитель его организации)"
        ),
        name="api_network_release",
    ),
    path(
        "<int:request_id>/decline/",
        _decision_view(
            "Decline", services.network_request_decline_by_director, "Отказать (руководитель организации наставника)"
        ),
        name="api_network_decline",
    ),
    path(
        "<int:request_id>/accept/",
        _decision_view(
            "Accept", services.network_request_accept, "Согласиться (наставник): создаётся проект сетевой пары"
        ),
        name="api_network_accept",
    ),
    path(
        "<int:request_id>/refuse/",
        _decision_view("Refuse", services.network_request_decline_by_mentor, "Отказаться (наставник)"),
        name="api_network_refuse",
    ),
    path(
        "<int:request_id>/cancel/",
        _decision_view("Cancel", services.network_request_cancel, "Отозвать запрос (организация наставляемого)"),
        name="api_network_cancel",
    ),
]
