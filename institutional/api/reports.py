"""API of the area «reports» (mounted under /api/v1/org/reports/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views over institutional.selectors/services.reports. A mentee's
report is visible only to its author, the curator, the council and the director (others: 404).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from institutional.access import OVERSEERS, own_staff
from institutional.documents.reports import report_document
from institutional.models import FinalReport
from institutional.selectors import reports as selectors
from institutional.services import reports as services
from nastavnik.api.base import TenantAPIView
from nastavnik.documents import DOCX_CONTENT_TYPE, docx_response


class FinalReportSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = FinalReport
        fields = [
            "id",
            "pair",
            "author_role",
            "author_name",
            "mentee",
            "results",
            "what_worked",
            "difficulties",
            "recommendations",
            "mentor_score",
            "mentor_comment",
            "submitted_at",
        ]


class ExpectedReportSerializer(serializers.Serializer):
    pair = serializers.IntegerField(source="pair.pk")
    author_role = serializers.CharField()
    author_name = serializers.CharField()
    mentee = serializers.IntegerField(source="mentee.pk", allow_null=True, default=None)
    due_on = serializers.DateField()
    state = serializers.CharField()
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)


class ReportInput(serializers.Serializer):
    results = serializers.CharField(allow_blank=True, required=False)
    what_worked = serializers.CharField(allow_blank=True, required=False)
    difficulties = serializers.CharField(allow_blank=True, required=False)
    recommendations = serializers.CharField(allow_blank=True, required=False)
    mentor_score = serializers.IntegerField(required=False, allow_null=True)
    mentor_comment = serializers.CharField(allow_blank=True, required=False)


class ReportListAPI(TenantAPIView):
    @extend_schema(summary="Итоговые отчёты, доступные пользователю", responses=FinalReportSerializer(many=True))
    def get(self, request):
        return Response(FinalReportSerializer(selectors.visible_reports(request), many=True).data)


class ReportStatusAPI(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Ожидаемые отчёты по завершённым парам", responses=ExpectedReportSerializer(many=True))
    def get(self, request):
        rows = [row for group in selectors.reports_overview() for row in group.rows]
        return Response(ExpectedReportSerializer(rows, many=True).data)


class MyReportsAPI(TenantAPIView):
    @extend_schema(summary="Мои неподанные отчёты", responses=ExpectedReportSerializer(many=True))
    def get(self, request):
        rows = [row for row in selectors.my_expected_reports(request) if row.report is None]
        return Response(ExpectedReportSerializer(rows, many=True).data)


class ReportSubmitAPI(TenantAPIView):
    @extend_schema(summary="Подать итоговый отчёт по паре", request=ReportInput, responses=FinalReportSerializer)
    def post(self, request, pair_id: int):
        pair, _, _ = selectors.pair_for_report(request=request, pair_id=pair_id)
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = services.final_report_submit(
                actor=request.user, pair=pair, author=own_staff(request), data=data.validated_data
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(error.message_dict) from error
            raise ValidationError({"detail": error.messages}) from error
        return Response(FinalReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetailAPI(TenantAPIView):
    @extend_schema(summary="Итоговый отчёт", responses=FinalReportSerializer)
    def get(self, request, report_id: int):
        return Response(FinalReportSerializer(selectors.access_report(request=request, report_id=report_id)).data)


class ReportDocxAPI(TenantAPIView):
    @extend_schema(summary="DOCX итогового отчёта", responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request, report_id: int):
        report = selectors.access_report(request=request, report_id=report_id)
        return docx_response(report_document(report, organization=request.tenant), f"Итоговый отчёт {report.pk}.docx")


urlpatterns = [
    path("", ReportListAPI.as_view(), name="api_report_list"),
    path("status/", ReportStatusAPI.as_view(), name="api_report_status"),
    path("my/", MyReportsAPI.as_view(), name="api_report_my"),
    path("pair/<int:pair_id>/submit/", ReportSubmitAPI.as_view(), name="api_report_submit"),
    path("<int:report_id>/", ReportDetailAPI.as_view(), name="api_report_detail"),
    path("<int:report_id>/docx/", ReportDocxAPI.as_view(), name="api_report_docx"),
]
