"""API of the curator's annual analytical report (mounted under /api/v1/org/annual-report/).

Runs in the tenant schema. GET: the year's figures and the curator's saved analysis (curator,
council, director); PUT: conclusions and proposals (curator, council); GET .../docx/: the report.
A year that is not a whole number from 2019 to the current academic year answers 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from institutional.access import MANAGERS, OVERSEERS, has_any_role
from institutional.selectors import annual_report as selectors
from institutional.services import annual_report as services
from institutional.services.annual_report import TEXT_MAX_LENGTH
from institutional.views.annual_report import annual_report_docx_response
from nastavnik.api.base import TenantAPIView
from nastavnik.documents import DOCX_CONTENT_TYPE


class LabelCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StageSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class UnpairedSerializer(serializers.Serializer):
    name = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    support = serializers.CharField()


class SatisfactionSerializer(serializers.Serializer):
    mentor_mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    mentor_count = serializers.IntegerField()
    mentee_mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    mentee_count = serializers.IntegerField()


def _decimal(places: int = 1, digits: int = 8):
    return serializers.DecimalField(max_digits=digits, decimal_places=places, allow_null=True)


class AnnualFiguresSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField()
    label = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    staff_total = serializers.IntegerField()
    young_specialists = serializers.IntegerField()
    young_specialists_with_mentor = serializers.IntegerField()
    young_specialists_share = _decimal()
    staff_in_mentoring = serializers.IntegerField()
    staff_in_mentoring_share = _decimal()
    mentors_in_bank = serializers.IntegerField()
    mentors_with_pairs = serializers.IntegerField()
    mentees_in_bank = serializers.IntegerField()
    mentees_by_category = LabelCountSerializer(many=True)
    mentees_in_pairs = serializers.IntegerField()
    pairs_total = serializers.IntegerField()
    pairs_individual = serializers.IntegerField()
    groups = serializers.IntegerField()
    pairs_started = serializers.IntegerField()
    pairs_active_at_end = serializers.IntegerField()
    pairs_completed = serializers.IntegerField()
    pairs_ended_early = serializers.IntegerField()
    ended_early_by_reason = LabelCountSerializer(many=True)
    pairs_by_form = LabelCountSerializer(many=True)
    pairs_by_kind = LabelCountSerializer(many=True)
    programs_total = serializers.IntegerField()
    programs_confirmed = serializers.IntegerField()
    programs_completed = serializers.IntegerField()
    programs_by_outcome = LabelCountSerializer(many=True)
    meetings_total = serializers.IntegerField()
    hours_total = _decimal()
    mean_mentees_per_mentor = _decimal(2)
    mean_hours_per_mentor = _decimal()
    reports_expected = serializers.IntegerField()
    reports_submitted = serializers.IntegerField()
    reports_share = _decimal()
    mentor_evaluation_mean = _decimal(2)
    mentor_evaluation_count = serializers.IntegerField()
    satisfaction = SatisfactionSerializer()
    roadmap_exists = serializers.BooleanField()
    roadmap_stages = StageSerializer(many=True)
    roadmap_total = serializers.IntegerField()
    roadmap_done = serializers.IntegerField()
    roadmap_overdue = serializers.IntegerField()
    unpaired_mentees = UnpairedSerializer(many=True)


class AnnualReportSerializer(serializers.Serializer):
    figures = AnnualFiguresSerializer()
    conclusions = serializers.CharField()
    proposals = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)


class AnnualReportInput(serializers.Serializer):
    conclusions = serializers.CharField(
        allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH, trim_whitespace=False
    )
    proposals = serializers.CharField(
        allow_blank=True, required=False, max_length=TEXT_MAX_LENGTH, trim_whitespace=False
    )


def _payload(year: int) -> dict:
    saved = services.annual_report_get(academic_year=year)
    return AnnualReportSerializer(
        {
            "figures": selectors.annual_report_data(academic_year=year),
            "conclusions": saved.conclusions if saved else "",
            "proposals": saved.proposals if saved else "",
            "updated_at": saved.updated_at if saved else None,
        }
    ).data


class AnnualReportAPI(TenantAPIView):
    allowed_roles = OVERSEERS

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "PUT" and not has_any_role(request._request, MANAGERS):
            self.permission_denied(request)

    @extend_schema(summary="Показатели и выводы аналитического отчёта за учебный год", responses=AnnualReportSerializer)
    def get(self, request, year: int):
        return Response(_payload(selectors.academic_year_or_404(year)))

    @extend_schema(
        summary="Сохранить выводы и предложения аналитического отчёта",
        request=AnnualReportInput,
        responses=AnnualReportSerializer,
    )
    def put(self, request, year: int):
        year = selectors.academic_year_or_404(year)
        data = AnnualReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.annual_report_get(academic_year=year)
        values = {
            "conclusions": data.validated_data.get("conclusions", saved.conclusions if saved else ""),
            "proposals": data.validated_data.get("proposals", saved.proposals if saved else ""),
        }
        try:
            services.annual_report_save(actor=request.user, academic_year=year, **values)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(error.message_dict) from error
            raise ValidationError({"detail": error.messages}) from error
        return Response(_payload(year))


class AnnualReportDocxAPI(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="DOCX аналитического отчёта за учебный год", responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY}
    )
    def get(self, request, year: int):
        return annual_report_docx_response(request, selectors.academic_year_or_404(year))


urlpatterns = [
    path("<int:year>/", AnnualReportAPI.as_view(), name="api_annual_report"),
    path("<int:year>/docx/", AnnualReportDocxAPI.as_view(), name="api_annual_report_docx"),
]
