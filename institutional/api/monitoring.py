"""API of the area «monitoring» (mounted under /api/v1/org/monitoring/ by institutional/api/urls.py).

The organization's side of the region's monitoring campaign: the campaign, the figures as the region
sees them, the submission; POST submits (the curator or the director; others: 404 like any API view).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics import campaigns
from analytics.access import SUBMITTERS
from nastavnik.api.base import TenantAPIView


class OrgMonitoringCampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    academic_year = serializers.IntegerField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    status = serializers.CharField()


class OrgMonitoringFigureItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class OrgMonitoringFigureGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    items = serializers.SerializerMethodField()

    @extend_schema_field(OrgMonitoringFigureItemSerializer(many=True))
    def get_items(self, group) -> list[dict]:
        return [{"label": label, "value": str(value)} for label, value in group.items]


class OrgMonitoringSubmissionSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    comment = serializers.CharField()
    figures = serializers.DictField(help_text="Показатели в том виде, в каком сданы (ключи — см. выгрузку)")


class OrgMonitoringSerializer(serializers.Serializer):
    applies = serializers.BooleanField(help_text="Сдаёт ли организация сведения (только образовательные организации)")
    campaign = OrgMonitoringCampaignSerializer(allow_null=True, required=False)
    state = serializers.ChoiceField(
        choices=["before", "open", "after", "closed"], allow_null=True, required=False, help_text="Окно приёма"
    )
    academic_year = serializers.IntegerField(source="year", required=False)
    figures = serializers.DictField(source="current", required=False, help_text="Текущие показатели (из проекции)")
    groups = OrgMonitoringFigureGroupSerializer(many=True, required=False)
    submission = OrgMonitoringSubmissionSerializer(allow_null=True, required=False)
    changed_since_submission = serializers.BooleanField(required=False)
    past = OrgMonitoringSubmissionSerializer(many=True, required=False)


class OrgMonitoringSubmitInput(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, max_length=2000)


def _payload(organization) -> dict:
    context = campaigns.organization_monitoring(organization)
    if context["applies"]:
        context["groups"] = campaigns.figure_groups(context["current"])
    return OrgMonitoringSerializer(context).data


class OrgMonitoringAPI(TenantAPIView):
    allowed_roles = SUBMITTERS

    @extend_schema(
        summary="Кампания мониторинга, показатели организации, сданные сведения", responses=OrgMonitoringSerializer
    )
    def get(self, request):
        return Response(_payload(request.tenant))

    @extend_schema(
        summary="Сдать сведения в кампанию мониторинга (показатели пересчитываются перед сдачей)",
        request=OrgMonitoringSubmitInput,
        responses=OrgMonitoringSerializer,
    )
    def post(self, request):
        data = OrgMonitoringSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            campaigns.submission_submit(
                actor=request.user, organization=request.tenant, comment=data.validated_data.get("comment", "")
            )
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(_payload(request.tenant))


urlpatterns = [
    path("", OrgMonitoringAPI.as_view(), name="api_org_monitoring"),
]
