"""Monitoring campaign API of a region's and a municipality's host (mounted under /api/v1/monitoring/).

Public tables only. Every monitor reads; only the region's coordinator, on the region's host, opens
and closes a campaign (others: 403). A municipality sees its own organizations only; a campaign of
another region is "not found".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from analytics import campaigns
from analytics.access import CAMPAIGN_MANAGERS, MONITORS
from institutional.access import has_any_role
from nastavnik.api.base import TenantAPIView, raise_as_api_error
from tenants.models import Level


class MonitoringCampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    academic_year = serializers.IntegerField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    closed_at = serializers.DateTimeField(allow_null=True)


class MonitoringCampaignListItemSerializer(MonitoringCampaignSerializer):
    submitted = serializers.IntegerField(help_text="Сдали сведения (в пределах муниципалитета на его хосте)")


class MonitoringCampaignOpenInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    academic_year = serializers.IntegerField(min_value=2000, max_value=2100)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()


class MonitoringCampaignProgressRowSerializer(serializers.Serializer):
    parent_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    organizations = serializers.IntegerField()
    submitted = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class MonitoringCampaignPendingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    short_name = serializers.CharField()
    parent_name = serializers.CharField()


class MonitoringCampaignDetailSerializer(serializers.Serializer):
    campaign = MonitoringCampaignSerializer()
    rows = MonitoringCampaignProgressRowSerializer(many=True)
    total = MonitoringCampaignProgressRowSerializer()
    pending = MonitoringCampaignPendingSerializer(many=True)


def _require_manager(request) -> None:
    if request.tenant.level != Level.REGION or not has_any_role(request, CAMPAIGN_MANAGERS):
        raise PermissionDenied("Открывать и завершать кампании мониторинга может только региональный координатор.")


def _detail(campaign, scope) -> dict:
    progress = campaigns.campaign_progress(campaign, scope)
    return MonitoringCampaignDetailSerializer(
        {
            "campaign": campaign,
            "rows": progress.rows,
            "total": progress.total,
            "pending": campaigns.pending_organizations(campaign, scope),
        }
    ).data


class MonitoringCampaignListAPI(TenantAPIView):
    allowed_roles = MONITORS

    @extend_schema(summary="Кампании мониторинга региона", responses=MonitoringCampaignListItemSerializer(many=True))
    def get(self, request):
        return Response(MonitoringCampaignListItemSerializer(campaigns.campaign_list(request.tenant), many=True).data)

    @extend_schema(
        summary="Открыть кампанию мониторинга (региональный координатор)",
        request=MonitoringCampaignOpenInput,
        responses={201: MonitoringCampaignSerializer},
    )
    def post(self, request):
        _require_manager(request)
        data = MonitoringCampaignOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            campaign = campaigns.campaign_open(actor=request.user, region=request.tenant, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(MonitoringCampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class MonitoringCampaignDetailAPI(TenantAPIView):
    allowed_roles = MONITORS

    @extend_schema(
        summary="Ход кампании: сдали сведения по муниципалитетам, кто ещё не сдал",
        responses=MonitoringCampaignDetailSerializer,
    )
    def get(self, request, campaign_id: int):
        campaign = campaigns.campaign_get(scope=request.tenant, campaign_id=campaign_id)
        return Response(_detail(campaign, request.tenant))


class MonitoringCampaignCloseAPI(TenantAPIView):
    allowed_roles = MONITORS

    @extend_schema(
        summary="Завершить кампанию (сведения не сдавших фиксируются по текущим показателям)",
        request=None,
        responses=MonitoringCampaignDetailSerializer,
    )
    def post(self, request, campaign_id: int):
        campaign = campaigns.campaign_get(scope=request.tenant, campaign_id=campaign_id)
        _require_manager(request)
        try:
            campaign = campaigns.campaign_close(actor=request.user, campaign=campaign)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(campaign, request.tenant))


urlpatterns = [
    path("campaigns/", MonitoringCampaignListAPI.as_view(), name="api_monitoring_campaign_list"),
    path("campaigns/<int:campaign_id>/", MonitoringCampaignDetailAPI.as_view(), name="api_monitoring_campaign_detail"),
    path(
        "campaigns/<int:campaign_id>/close/",
        MonitoringCampaignCloseAPI.as_view(),
        name="api_monitoring_campaign_close",
    ),
]
