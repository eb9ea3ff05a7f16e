"""API of the area «orders» (mounted under /api/v1/org/orders/ by institutional/api/urls.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from institutional.access import OVERSEERS
from institutional.documents.orders import order_docx_response
from institutional.models import Order
from institutional.selectors.orders import access_order, order_list
from institutional.services import orders as services
from nastavnik.api.base import TenantAPIView
from nastavnik.uploads import stored_file_response


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


urlpatterns = [
    path("", OrderListView.as_view(), name="api_order_list"),
    path("<int:order_id>/", OrderDetailView.as_view(), name="api_order_detail"),
    path("<int:order_id>/docx/", OrderDocxView.as_view(), name="api_order_docx"),
    path("<int:order_id>/scan/", OrderScanView.as_view(), name="api_order_scan"),
]
