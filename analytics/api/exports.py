"""API of statistical exports (mounted under /api/v1/monitoring/ on region and municipality hosts).

Public schema only; thin views over `analytics.exports`. A job is visible only on the host of its
scope or above it (404 otherwise, the same as for a missing one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from analytics import exports
from analytics.access import MONITORING_LEVELS, MONITORS
from analytics.kpi import Period
from analytics.models import ExportJob
from analytics.views_exports import period_from_query
from nastavnik.api.base import TenantAPIView
from nastavnik.xlsx import XLSX_CONTENT_TYPE, _attachment

FILE_RESPONSES = {(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.BINARY}


class MonitoringExportStartSerializer(serializers.Serializer):
    scope = serializers.IntegerField(
        required=False, help_text="Ид. региона или его муниципалитета; по умолчанию — организация хоста."
    )
    format = serializers.CharField(default=ExportJob.Format.XLSX, help_text="xlsx или csv.")
    academic_year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Учебный год (год начала); по умолчанию текущий."
    )
    period_start = serializers.DateField(required=False, help_text="Начало произвольного периода.")
    period_end = serializers.DateField(required=False, help_text="Окончание произвольного периода.")

    def validate_format(self, value: str) -> str:
        value = value.lower()
        if value not in ExportJob.Format.values:
            raise serializers.ValidationError("Выберите формат выгрузки: xlsx или csv.")
        return value

    def validate(self, attrs):
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start is not None or end is not None:
            if "academic_year" in attrs:
                raise serializers.ValidationError("Укажите либо учебный год, либо даты периода, но не то и другое.")
            try:
                attrs["period"] = exports.period_check(start, end)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"period_end": error.messages}) from error
        else:
            year = attrs.get("academic_year") or exports.current_academic_year(self.context["host"])
            attrs["period"] = Period.academic_year(year)
        return attrs


class MonitoringExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scope = serializers.IntegerField(source="scope_id")
    scope_name = serializers.CharField(source="scope.short_name")
    format = serializers.CharField(help_text="xlsx или csv.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    status = serializers.CharField(help_text="pending, running, done или failed.")
    status_label = serializers.CharField(source="get_status_display")
    processed = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    file_name = serializers.CharField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        return reverse("api_monitoring_export_file", kwargs={"job_id": job.pk})


class _MonitoringExportAPI(TenantAPIView):
    allowed_roles = MONITORS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.tenant.level not in MONITORING_LEVELS:
            raise NotFound("Не найдено.")


class _FileAPI(_MonitoringExportAPI):
    def perform_content_negotiation(self, request, force=False):
        # A file is the answer whatever Accept or ?format= says; errors still render as JSON.
        return super().perform_content_negotiation(request, force=True)


def _file_response(content: bytes, *, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(file_name)
    return response


class ExportListAPI(_MonitoringExportAPI):
    @extend_schema(
        summary="Последние выгрузки организации хоста и её муниципалитетов",
        responses=MonitoringExportJobSerializer(many=True),
    )
    def get(self, request):
        return Response(MonitoringExportJobSerializer(exports.export_job_list(host=request.tenant), many=True).data)

    @extend_schema(
        summary="Запустить выгрузку (в фоне)",
        request=MonitoringExportStartSerializer,
        responses={202: MonitoringExportJobSerializer},
    )
    def post(self, request):
        data = MonitoringExportStartSerializer(data=request.data, context={"host": request.tenant})
        data.is_valid(raise_exception=True)
        scopes = {scope.pk: scope for scope in exports.export_scopes(request.tenant)}
        scope = scopes.get(data.validated_data.get("scope", request.tenant.pk))
        if scope is None:
            raise NotFound("Организация не найдена.")
        period = data.validated_data["period"]
        try:
            job = exports.export_job_start(
                actor=request.user,
                scope=scope,
                format=data.validated_data["format"],
                period_start=period.start,
                period_end=period.end,
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(error.message_dict) from error
            raise ValidationError({"detail": error.messages}) from error
        return Response(MonitoringExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailAPI(_MonitoringExportAPI):
    @extend_schema(summary="Состояние выгрузки", responses=MonitoringExportJobSerializer)
    def get(self, request, job_id: int):
        job = exports.access_export_job(host=request.tenant, job_id=job_id)
        return Response(MonitoringExportJobSerializer(job).data)


class ExportFileAPI(_FileAPI):
    @extend_schema(summary="Файл готовой выгрузки", responses={**FILE_RESPONSES, 409: OpenApiTypes.OBJECT})
    def get(self, request, job_id: int):
        job = exports.access_export_job(host=request.tenant, job_id=job_id)
        if job.status != ExportJob.Status.DONE:
            return Response({"detail": "Файл ещё не готов: выгрузка не завершена."}, status=status.HTTP_409_CONFLICT)
        return _file_response(
            exports.export_job_content(job), content_type=exports.job_content_type(job), file_name=job.file_name
        )


class ExportOrganizationAPI(_FileAPI):
    @extend_schema(
        summary="Выгрузка одной организации (сразу, без фоновой задачи)",
        parameters=[
            OpenApiParameter(
                "format", str, enum=list(ExportJob.Format.values), description="xlsx (по умолчанию) или csv"
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Начало периода (вместе с «to»)"),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Окончание периода; по умолчанию текущий учебный год"
            ),
        ],
        responses={**FILE_RESPONSES, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request, organization_id: int):
        organization = exports.access_export_organization(host=request.tenant, organization_id=organization_id)
        file_format = request.query_params.get("format", ExportJob.Format.XLSX).lower()
        try:
            period = period_from_query(request.query_params, request.tenant)
            built = exports.organization_export(organization=organization, period=period, file_format=file_format)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return _file_response(built.content, content_type=built.content_type, file_name=built.file_name)


urlpatterns = [
    path("exports/", ExportListAPI.as_view(), name="api_monitoring_export_list"),
    path("exports/<int:job_id>/", ExportDetailAPI.as_view(), name="api_monitoring_export_detail"),
    path("exports/<int:job_id>/file/", ExportFileAPI.as_view(), name="api_monitoring_export_file"),
    path(
        "export/organization/<int:organization_id>/",
        ExportOrganizationAPI.as_view(),
        name="api_monitoring_export_organization",
    ),
]
