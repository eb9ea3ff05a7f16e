"""API of the area «regulation» (mounted under /api/v1/org/regulation/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views: validate input, call one service or selector, render.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS
from institutional.documents.regulation import regulation_docx_response
from institutional.models import RegulationVersion
from institutional.selectors.regulation import RULE_FIELDS, access_regulation_version, regulation_version_list
from institutional.services import regulation as services
from nastavnik.api.base import TenantAPIView, raise_as_api_error
from nastavnik.uploads import stored_file_response
from regional.models import DocumentTemplate
from regional.selectors import template_list


class TemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentTemplate
        fields = ["id", "code", "version", "title", "published_at"]


class RegulationVersionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = RegulationVersion
        fields = [
            "id",
            "number",
            "title",
            "source",
            "status",
            "status_display",
            "template_id",
            "template_title",
            "template_version",
            *RULE_FIELDS,
            "order_number",
            "order_date",
            "approved_at",
            "created_at",
            "has_document",
        ]
        read_only_fields = fields

    def get_has_document(self, version) -> bool:
        return bool(version.document)


class RegulationApprovedSerializer(RegulationVersionSerializer):
    """The approved version and the id of its order in the register."""

    order_id = serializers.SerializerMethodField()

    class Meta(RegulationVersionSerializer.Meta):
        fields = [*RegulationVersionSerializer.Meta.fields, "order_id"]
        read_only_fields = fields

    def get_order_id(self, version) -> int | None:
        order = getattr(version, "register_order", None)
        return order.pk if order else None


class FromTemplateSerializer(serializers.Serializer):
    template_id = serializers.IntegerField()


class ParametersSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            self.fields[name] = serializers.IntegerField()


class ApproveSerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    order_date = serializers.DateField(required=False, allow_null=True, default=None)
    order_scan = serializers.FileField(required=False, allow_null=True, default=None)


class RegulationTemplateListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Модельные положения, которые применяются в организации (проекта, региона, муниципалитета)",
        responses=TemplateSerializer(many=True),
    )
    def get(self, request):
        templates = template_list(kind=DocumentTemplate.Kind.REGULATION, organization=request.tenant)
        return Response(TemplateSerializer(templates, many=True).data)


class RegulationListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Версии положения (история)", responses=RegulationVersionSerializer(many=True))
    def get(self, request):
        return Response(RegulationVersionSerializer(regulation_version_list(), many=True).data)


class RegulationFromTemplateView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Создать проект положения по модели региона",
        request=FromTemplateSerializer,
        responses={201: RegulationVersionSerializer},
    )
    def post(self, request):
        data = FromTemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            version = services.regulation_create_from_template(
                actor=request.user, template_id=data.validated_data["template_id"]
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(RegulationVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class RegulationDetailView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Версия положения", responses=RegulationVersionSerializer)
    def get(self, request, version_id: int):
        return Response(RegulationVersionSerializer(access_regulation_version(version_id=version_id)).data)


class RegulationParametersView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Изменить параметры проекта положения",
        request=ParametersSerializer,
        responses=RegulationVersionSerializer,
    )
    def put(self, request, version_id: int):
        version = access_regulation_version(version_id=version_id)
        data = ParametersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        title = values.pop("title", None)
        try:
            version = services.regulation_update_parameters(
                actor=request.user, version=version, parameters=values, title=title
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(RegulationVersionSerializer(version).data)


class RegulationApproveView(TenantAPIView):
    allowed_roles = DIRECTORS
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Утвердить проект положения приказом руководителя",
        request=ApproveSerializer,
        responses=RegulationApprovedSerializer,
    )
    def post(self, request, version_id: int):
        version = access_regulation_version(version_id=version_id)
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.Order(
            number=data.validated_data["order_number"],
            day=data.validated_data["order_date"],
            scan=data.validated_data["order_scan"],
        )
        try:
            version = services.regulation_approve(actor=request.user, version=version, order=order)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(RegulationApprovedSerializer(version).data)


class RegulationDocumentView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Документ положения (DOCX по модели или загруженный файл)",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, version_id: int):
        version = access_regulation_version(version_id=version_id)
        if version.source == RegulationVersion.Source.UPLOAD:
            return stored_file_response(version.document)
        return regulation_docx_response(version)


urlpatterns = [
    path("", RegulationListView.as_view(), name="api_regulation_list"),
    path("templates/", RegulationTemplateListView.as_view(), name="api_regulation_templates"),
    path("from-template/", RegulationFromTemplateView.as_view(), name="api_regulation_from_template"),
    path("<int:version_id>/", RegulationDetailView.as_view(), name="api_regulation_detail"),
    path("<int:version_id>/parameters/", RegulationParametersView.as_view(), name="api_regulation_parameters"),
    path("<int:version_id>/approve/", RegulationApproveView.as_view(), name="api_regulation_approve"),
    path("<int:version_id>/document/", RegulationDocumentView.as_view(), name="api_regulation_document"),
]
