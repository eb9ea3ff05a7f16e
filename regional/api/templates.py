"""API of the model documents (mounted under /api/v1/templates/ on every tenant host; public tables).

Every member lists and reads the models that apply to their organization. On a region's host the
regional coordinator and methodologist, on a municipality's host the municipal coordinator, create
their own models from the ones above, change drafts, publish and start new versions (others: 403 on
those hosts, 404 on an organization's host; a model of another organization is "not found").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from nastavnik.api.base import TenantAPIView, raise_as_api_error
from regional import selectors
from regional.models import DocumentTemplate
from regional.selectors import TEMPLATE_EDITORS as EDITORS
from regional.selectors import can_edit_templates as can_edit
from regional.services import templates as services


class ModelDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    publisher_id = serializers.IntegerField(read_only=True, allow_null=True)
    publisher_name = serializers.SerializerMethodField()
    based_on_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = DocumentTemplate
        fields = [
            "id",
            "kind",
            "kind_label",
            "code",
            "version",
            "title",
            "publisher_id",
            "publisher_name",
            "is_published",
            "published_at",
            "based_on_id",
            "change_note",
        ]
        read_only_fields = fields

    def get_publisher_name(self, template) -> str:
        return template.publisher.short_name if template.publisher_id else "Модель проекта"


class ModelDocumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentTemplate
        fields = ["id", "version", "is_published", "published_at", "change_note"]
        read_only_fields = fields


class ModelDocumentDetailSerializer(ModelDocumentSerializer):
    content = serializers.JSONField(read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta(ModelDocumentSerializer.Meta):
        fields = [*ModelDocumentSerializer.Meta.fields, "content", "versions"]
        read_only_fields = fields

    @extend_schema_field(ModelDocumentVersionSerializer(many=True))
    def get_versions(self, template) -> list[dict]:
        organization = self.context["organization"]
        return ModelDocumentVersionSerializer(
            selectors.template_versions(template=template, organization=organization), many=True
        ).data


class ModelDocumentAdaptInput(serializers.Serializer):
    source_id = serializers.IntegerField(help_text="опубликованная модель проекта (или региона — для муниципалитета)")


class ModelDocumentDraftInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    content = serializers.JSONField(
        help_text="положение: parameters, sections[{heading, paragraphs}]; дорожная карта: stages[{title, "
        "activities[{title, deadline, responsible_role, expected_documents}]}]; программа: fields, "
        "plan[{title, percent}]; анкета: questionnaire_kind, description, questions"
    )


class ModelDocumentPublishInput(serializers.Serializer):
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


def _require_editor(request) -> None:
    if request.tenant.level not in EDITORS:
        raise NotFound("Не найдено.")
    if not can_edit(request):
        raise PermissionDenied(
            "Модельные документы ведут региональный координатор и методист, в муниципалитете — координатор."
        )


def _detail(request, template) -> dict:
    return ModelDocumentDetailSerializer(template, context={"organization": request.tenant}).data


class TemplateListAPI(TenantAPIView):
    @extend_schema(
        summary="Модели, которые применяются в организации (последняя опубликованная версия каждой)",
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=DocumentTemplate.Kind.values, description="вид; без него — все виды"
            )
        ],
        responses=ModelDocumentSerializer(many=True),
    )
    def get(self, request):
        kind = request.query_params.get("kind")
        kinds = [kind] if kind in DocumentTemplate.Kind.values else DocumentTemplate.Kind.values
        rows = [
            template for value in kinds for template in selectors.template_list(kind=value, organization=request.tenant)
        ]
        if can_edit(request):
            published = {template.pk for template in rows}
            rows += [
                template
                for value in kinds
                for template in selectors.own_templates(kind=value, organization=request.tenant)
                if template.pk not in published
            ]
        return Response(ModelDocumentSerializer(rows, many=True).data)

    @extend_schema(
        summary="Создать свою модель (черновик, версия 1) на основе модели выше",
        request=ModelDocumentAdaptInput,
        responses={201: ModelDocumentDetailSerializer},
    )
    def post(self, request):
        _require_editor(request)
        data = ModelDocumentAdaptInput(data=request.data)
        data.is_valid(raise_exception=True)
        source = selectors.template_visible(organization=request.tenant, template_id=data.validated_data["source_id"])
        try:
            template = services.template_adapt(actor=request.user, publisher=request.tenant, source=source)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, template), status=status.HTTP_201_CREATED)


class TemplateDetailAPI(TenantAPIView):
    @extend_schema(summary="Модель с содержанием и историей версий", responses=ModelDocumentDetailSerializer)
    def get(self, request, template_id: int):
        template = selectors.template_visible(organization=request.tenant, template_id=template_id)
        return Response(_detail(request, template))

    @extend_schema(
        summary="Изменить черновик своей модели",
        request=ModelDocumentDraftInput,
        responses=ModelDocumentDetailSerializer,
    )
    def put(self, request, template_id: int):
        _require_editor(request)
        template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
        data = ModelDocumentDraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            template = services.template_update_draft(
                actor=request.user,
                publisher=request.tenant,
                template=template,
                title=data.validated_data["title"],
                content=data.validated_data["content"],
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, template))

    @extend_schema(summary="Удалить неопубликованный черновик", request=None, responses={204: None})
    def delete(self, request, template_id: int):
        _require_editor(request)
        template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
        try:
            services.template_delete_draft(actor=request.user, publisher=request.tenant, template=template)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplatePublishAPI(TenantAPIView):
    @extend_schema(
        summary="Опубликовать черновик (со второй версии — с описанием изменений)",
        request=ModelDocumentPublishInput,
        responses=ModelDocumentDetailSerializer,
    )
    def post(self, request, template_id: int):
        _require_editor(request)
        template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
        data = ModelDocumentPublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            template = services.template_publish(
                actor=request.user,
                publisher=request.tenant,
                template=template,
                change_note=data.validated_data["change_note"],
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, template))


class TemplateNewVersionAPI(TenantAPIView):
    @extend_schema(
        summary="Начать новую версию (черновик — копия последней опубликованной)",
        request=None,
        responses={201: ModelDocumentDetailSerializer},
    )
    def post(self, request, template_id: int):
        _require_editor(request)
        template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
        try:
            draft = services.template_new_version(actor=request.user, publisher=request.tenant, template=template)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, draft), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", TemplateListAPI.as_view(), name="api_templates_list"),
    path("<int:template_id>/", TemplateDetailAPI.as_view(), name="api_templates_detail"),
    path("<int:template_id>/publish/", TemplatePublishAPI.as_view(), name="api_templates_publish"),
    path("<int:template_id>/new-version/", TemplateNewVersionAPI.as_view(), name="api_templates_new_version"),
]
