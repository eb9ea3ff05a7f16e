"""API of a municipality's structured mentor base (mounted under /api/v1/base/; a municipality's host only).

Public tables only. The same rule as the pages (`municipal.access`): on a region's or an
organization's host the endpoints answer "not found"; a member of the municipality without the
municipal coordinator's role gets 403; another district's mentor or category is "not found".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from institutional.dates import organization_today
from municipal import selectors, services
from municipal.access import check_base_access
from nastavnik.api.base import TenantAPIView, raise_as_api_error
from nastavnik.xlsx import xlsx_response

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Слова из ФИО, должности, компетенций, предметов, меток, организации"),
    OpenApiParameter("organization", int, description="Организация (id)"),
    OpenApiParameter("category", int, description="Категория муниципалитета (id)"),
    OpenApiParameter("tag", str, description="Метка организации или муниципалитета"),
    OpenApiParameter(
        "status", str, enum=sorted(selectors.STATUS_FILTER_VALUES), description="Статус проверки муниципалитетом"
    ),
    OpenApiParameter("subject", str, description="Предмет"),
]


class BaseKeeperAPIView(TenantAPIView):
    """Membership (the base class), then the municipality's host and the coordinator's role."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            check_base_access(request)
        except Http404 as error:
            raise NotFound("Не найдено.") from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error


# --- serializers -------------------------------------------------------------------------------------


class BaseCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    description = serializers.CharField()


class BaseCategoryListItemSerializer(BaseCategorySerializer):
    mentor_count = serializers.IntegerField(help_text="Наставников с этой категорией")


class BaseCategoryInput(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BaseCategoryUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class BaseOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    short_name = serializers.CharField()


# Statuses are plain strings here (listed in help_text): an enum named "status" would collide with
# the other "status" enums of the schema, which only the project's ENUM_NAME_OVERRIDES could resolve.
VERIFICATION_STATUSES = "verified — проверен; needs_changes — требует уточнения"


class BaseVerificationSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=VERIFICATION_STATUSES)
    status_label = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    categories = BaseCategorySerializer(many=True, source="categories.all")
    tags = serializers.ListField(child=serializers.CharField())
    verified_at = serializers.DateTimeField()
    verified_by = serializers.SerializerMethodField()

    def get_verified_by(self, verification) -> str:
        return verification.verified_by.get_full_name() if verification.verified_by else ""


class BaseMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="mentor.pk")
    organization = BaseOrganizationSerializer(source="mentor.organization")
    full_name = serializers.CharField(source="mentor.full_name", help_text="Пусто, если ФИО не опубликовано")
    position = serializers.CharField(source="mentor.position")
    subjects = serializers.ListField(child=serializers.CharField(), source="mentor.subjects")
    competencies = serializers.CharField(source="mentor.competencies")
    achievements = serializers.ListField(child=serializers.CharField(), source="mentor.achievements")
    achievements_details = serializers.CharField(source="mentor.achievements_details")
    tags = serializers.ListField(child=serializers.CharField(), source="mentor.tags")
    pedagogical_experience_years = serializers.DecimalField(
        max_digits=4, decimal_places=1, source="mentor.pedagogical_experience_years"
    )
    qualification_category = serializers.CharField(source="mentor.qualification_category")
    capacity = serializers.IntegerField(source="mentor.capacity")
    trainings = serializers.IntegerField(source="mentor.trainings")
    visibility = serializers.CharField(source="mentor.visibility")
    status = serializers.CharField(help_text=f"Статус проверки: {VERIFICATION_STATUSES}; unverified — не проверен")
    status_label = serializers.CharField()
    verification = BaseVerificationSerializer(allow_null=True)


class BaseVerifyInput(serializers.Serializer):
    status = serializers.CharField(help_text=VERIFICATION_STATUSES)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    categories = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    tags = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)


# --- views -------------------------------------------------------------------------------------------


class BaseMentorListAPI(BaseKeeperAPIView):
    @extend_schema(
        summary="База наставников муниципалитета (с фильтрами)",
        parameters=FILTER_PARAMETERS,
        responses=BaseMentorSerializer(many=True),
    )
    def get(self, request):
        filters = selectors.BaseFilters.from_query(request.query_params)
        rows = selectors.base_list(municipality=request.tenant, **filters.as_kwargs())
        return Response(BaseMentorSerializer(rows, many=True).data)


class BaseMentorDetailAPI(BaseKeeperAPIView):
    @extend_schema(summary="Наставник базы с проверкой муниципалитета", responses=BaseMentorSerializer)
    def get(self, request, pk: int):
        mentor = selectors.access_base_mentor(municipality=request.tenant, mentor_id=pk)
        return Response(BaseMentorSerializer(selectors.base_row_get(municipality=request.tenant, mentor=mentor)).data)


class BaseMentorVerifyAPI(BaseKeeperAPIView):
    @extend_schema(
        summary="Записать проверку наставника (повторная заменяет прежнюю)",
        request=BaseVerifyInput,
        responses=BaseMentorSerializer,
    )
    def post(self, request, pk: int):
        municipality = request.tenant
        mentor = selectors.access_base_mentor(municipality=municipality, mentor_id=pk)
        data = BaseVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.mentor_verify(
                actor=request.user,
                municipality=municipality,
                bank_mentor=mentor,
                status=values["status"],
                note=values["note"],
                category_ids=values["categories"],
                tags=values["tags"],
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(BaseMentorSerializer(selectors.base_row_get(municipality=municipality, mentor=mentor)).data)


class BaseCategoryListAPI(BaseKeeperAPIView):
    @extend_schema(summary="Категории наставников муниципалитета", responses=BaseCategoryListItemSerializer(many=True))
    def get(self, request):
        return Response(
            BaseCategoryListItemSerializer(selectors.category_list(municipality=request.tenant), many=True).data
        )

    @extend_schema(summary="Добавить категорию", request=BaseCategoryInput, responses={201: BaseCategorySerializer})
    def post(self, request):
        data = BaseCategoryInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            category = services.category_create(actor=request.user, municipality=request.tenant, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(BaseCategorySerializer(category).data, status=status.HTTP_201_CREATED)


class BaseCategoryDetailAPI(BaseKeeperAPIView):
    @extend_schema(summary="Переименовать категорию", request=BaseCategoryUpdateInput, responses=BaseCategorySerializer)
    def patch(self, request, category_id: int):
        category = selectors.access_category(municipality=request.tenant, category_id=category_id)
        data = BaseCategoryUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            category = services.category_rename(actor=request.user, category=category, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(BaseCategorySerializer(category).data)

    @extend_schema(summary="Удалить категорию (снимается со всех наставников)", responses={204: None})
    def delete(self, request, category_id: int):
        category = selectors.access_category(municipality=request.tenant, category_id=category_id)
        services.category_delete(actor=request.user, category=category)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BaseExportAPI(BaseKeeperAPIView):
    @extend_schema(
        summary="Выгрузка базы наставников (XLSX, с теми же фильтрами)",
        operation_id="base_export_xlsx",
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Файл XLSX: строка на наставника"
            )
        },
    )
    def get(self, request):
        municipality = request.tenant
        filters = selectors.BaseFilters.from_query(request.query_params)
        rows = selectors.base_list(municipality=municipality, **filters.as_kwargs())
        filename = f"База наставников {municipality.short_name} {organization_today(municipality):%Y-%m-%d}.xlsx"
        return xlsx_response(filename, [selectors.base_export_sheet(rows)])


urlpatterns = [
    path("mentors/", BaseMentorListAPI.as_view(), name="api_base_mentor_list"),
    path("mentors/<int:pk>/", BaseMentorDetailAPI.as_view(), name="api_base_mentor_detail"),
    path("mentors/<int:pk>/verify/", BaseMentorVerifyAPI.as_view(), name="api_base_mentor_verify"),
    path("categories/", BaseCategoryListAPI.as_view(), name="api_base_category_list"),
    path("categories/<int:category_id>/", BaseCategoryDetailAPI.as_view(), name="api_base_category_detail"),
    path("export.xlsx", BaseExportAPI.as_view(), name="api_base_export"),
]
