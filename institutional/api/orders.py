"""API of the area «orders» (mounted under /api/v1/org/orders/ by institutional/api/urls.py).

Besides the register, the draft DOCX of the orders approving the regulation and the roadmap and
appointing the curator and council, from the details in the query string; drafts write nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from institutional.access import DIRECTORS, OVERSEERS
from institutional.documents.orders import order_docx_response, order_draft_docx_response
from institutional.models import Appointment, Order, RegulationVersion
from institutional.selectors.orders import access_order, order_list
from institutional.selectors.regulation import access_regulation_version
from institutional.selectors.roadmap import access_roadmap
from institutional.selectors.staff import employed_staff
from institutional.services import orders as services
from nastavnik.api.base import TenantAPIView
from nastavnik.uploads import stored_file_response
from tenants.models import Role

# The director signs; the curator prepares the orders, so both may download drafts.
DRAFTERS = DIRECTORS | {Role.CURATOR}
DOCX_RESPONSE = {
    (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
        OpenApiTypes.BINARY
    )
}


class OrderSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "number", "date", "kind", "kind_display", "title", "content", "status", "has_scan"]
        read_only_fields = fields

    def get_has_scan(self, order) -> bool:
        return bool(order.signed_scan)


class OrderScanSerializer(serializers.Serializer):
    scan = serializers.FileField()


class OrderListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Реестр приказов", responses=OrderSerializer(many=True))
    def get(self, request):
        return Response(OrderSerializer(order_list(kind=request.query_params.get("kind", "")), many=True).data)


class OrderDetailView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Приказ", responses=OrderSerializer)
    def get(self, request, order_id: int):
        return Response(OrderSerializer(access_order(order_id=order_id)).data)


class OrderDocxView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Приказ в DOCX", responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, order_id: int):
        return order_docx_response(access_order(order_id=order_id))


class OrderScanView(TenantAPIView):
    allowed_roles = OVERSEERS
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Скан подписанного приказа",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, order_id: int):
        return stored_file_response(access_order(order_id=order_id).signed_scan)

    @extend_schema(
        summary="Прикрепить скан подписанного приказа", request=OrderScanSerializer, responses=OrderSerializer
    )
    def post(self, request, order_id: int):
        order = access_order(order_id=order_id)
        data = OrderScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            order = services.order_attach_scan(actor=request.user, order=order, scan=data.validated_data["scan"])
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(OrderSerializer(order).data)


class DraftQuerySerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    order_date = serializers.DateField(required=False, allow_null=True, default=None)


class AppointmentDraftQuerySerializer(DraftQuerySerializer):
    staff = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    role = serializers.ChoiceField(choices=Appointment.Role.choices)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)


def _draft_query(serializer_class, request) -> dict:
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


class RegulationOrderDraftView(TenantAPIView):
    allowed_roles = DRAFTERS

    @extend_schema(
        summary="Проект приказа об утверждении положения (DOCX, ничего не сохраняется)",
        parameters=[DraftQuerySerializer],
        responses=DOCX_RESPONSE,
    )
    def get(self, request, version_id: int):
        version = access_regulation_version(version_id=version_id)
        query = _draft_query(DraftQuerySerializer, request)
        previous = (
            RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).exclude(pk=version.pk).first()
        )
        item = services.regulation_order_item(version=version, previous=previous, effective_from=query["order_date"])
        return order_draft_docx_response(
            services.order_preview(
                kind=Order.Kind.REGULATION_APPROVAL, number=query["order_number"], day=query["order_date"], item=item
            )
        )


class RoadmapOrderDraftView(TenantAPIView):
    allowed_roles = DRAFTERS

    @extend_schema(
        summary="Проект приказа об утверждении дорожной карты (DOCX, ничего не сохраняется)",
        parameters=[DraftQuerySerializer],
        responses=DOCX_RESPONSE,
    )
    def get(self, request, roadmap_id: int):
        roadmap = access_roadmap(roadmap_id=roadmap_id)
        query = _draft_query(DraftQuerySerializer, request)
        item = services.roadmap_order_item(roadmap=roadmap)
        return order_draft_docx_response(
            services.order_preview(
                kind=Order.Kind.ROADMAP_APPROVAL, number=query["order_number"], day=query["order_date"], item=item
            )
        )


class AppointmentOrderDraftView(TenantAPIView):
    allowed_roles = DRAFTERS

    @extend_schema(
        summary="Проект приказа о назначении куратора или члена совета наставников (DOCX, ничего не сохраняется)",
        parameters=[AppointmentDraftQuerySerializer],
        responses=DOCX_RESPONSE,
    )
    def get(self, request):
        query = _draft_query(AppointmentDraftQuerySerializer, request)
        staff = employed_staff().filter(pk=query["staff"]).first()
        if staff is None:
            raise ValidationError({"staff": ["Такого работающего сотрудника нет в организации."]})
        item = services.appointment_order_item(
            staff=staff, role=query["role"], starts_on=query["starts_on"] or query["order_date"]
        )
        return order_draft_docx_response(
            services.order_preview(
                kind=Order.Kind.CURATOR_APPOINTMENT, number=query["order_number"], day=query["order_date"], item=item
            )
        )


urlpatterns = [
    path("", OrderListView.as_view(), name="api_order_list"),
    path("<int:order_id>/", OrderDetailView.as_view(), name="api_order_detail"),
    path("<int:order_id>/docx/", OrderDocxView.as_view(), name="api_order_docx"),
    path("<int:order_id>/scan/", OrderScanView.as_view(), name="api_order_scan"),
    path("draft/regulation/<int:version_id>/", RegulationOrderDraftView.as_view(), name="api_order_draft_regulation"),
    path("draft/roadmap/<int:roadmap_id>/", RoadmapOrderDraftView.as_view(), name="api_order_draft_roadmap"),
    path("draft/appointment/", AppointmentOrderDraftView.as_view(), name="api_order_draft_appointment"),
]
