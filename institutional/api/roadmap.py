"""API of the area «roadmap» (mounted under /api/v1/org/roadmap/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views: validate input, call one service or selector, render.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS
from institutional.api.regulation import ApproveSerializer
from institutional.dates import organization_today
from institutional.documents.roadmap import roadmap_docx_response
from institutional.models import Roadmap, RoadmapActivity, RoadmapStage
from institutional.selectors import roadmap as selectors
from institutional.services import roadmap as services
from institutional.services.regulation import Order
from nastavnik.api.base import TenantAPIView, raise_as_api_error


class RoadmapSerializer(serializers.ModelSerializer):
    academic_year_label = serializers.CharField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "academic_year",
            "academic_year_label",
            "title",
            "status",
            "template_id",
            "template_title",
            "template_version",
            "copied_from",
            "order_number",
            "order_date",
            "approved_at",
            "overdue_count",
        ]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoadmapActivity
        fields = [
            "id",
            "position",
            "title",
            "deadline",
            "deadline_text",
            "responsible_roles",
            "responsible",
            "expected_documents",
            "status",
            "done_at",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_responsible(self, activity) -> list[dict]:
        return [{"id": person.pk, "name": person.full_name} for person in activity.responsible.all()]


class StageSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = RoadmapStage
        fields = ["id", "position", "title", "activities"]


class RoadmapDetailSerializer(RoadmapSerializer):
    stages = serializers.SerializerMethodField()

    class Meta(RoadmapSerializer.Meta):
        fields = [*RoadmapSerializer.Meta.fields, "stages"]
        read_only_fields = fields

    def get_stages(self, roadmap) -> list[dict]:
        return StageSerializer(self.context["stages"], many=True).data


class CreateSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField()
    template_id = serializers.IntegerField(required=False, help_text="модель региона; без неё — копия прошлого года")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RoadmapActivity.Status.choices)
    done_at = serializers.DateField(required=False, allow_null=True, default=None)


class RoadmapApprovedSerializer(RoadmapDetailSerializer):
    """The approved roadmap and the id of its order in the register."""

    order_id = serializers.IntegerField(read_only=True)

    class Meta(RoadmapDetailSerializer.Meta):
        fields = [*RoadmapDetailSerializer.Meta.fields, "order_id"]
        read_only_fields = fields


def _detail(roadmap) -> dict:
    today = organization_today()
    stages = selectors.roadmap_stages(roadmap=roadmap, today=today)
    roadmap.overdue_count = sum(1 for stage in stages for activity in stage.activities.all() if activity.is_overdue)
    return RoadmapDetailSerializer(roadmap, context={"stages": stages}).data


class RoadmapListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Дорожные карты по учебным годам", responses=RoadmapSerializer(many=True))
    def get(self, request):
        return Response(RoadmapSerializer(selectors.roadmap_list(), many=True).data)


class RoadmapCreateView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Создать дорожную карту по модели или копией прошлого года",
        request=CreateSerializer,
        responses={201: RoadmapDetailSerializer},
    )
    def post(self, request):
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, template_id = data.validated_data["academic_year"], data.validated_data.get("template_id")
        try:
            if template_id is None:
                roadmap = services.roadmap_copy_previous(actor=request.user, academic_year=year)
            else:
                roadmap = services.roadmap_create_from_template(
                    actor=request.user, academic_year=year, template_id=template_id
                )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(roadmap), status=status.HTTP_201_CREATED)


class RoadmapDetailView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Дорожная карта с этапами и мероприятиями", responses=RoadmapDetailSerializer)
    def get(self, request, roadmap_id: int):
        return Response(_detail(selectors.access_roadmap(roadmap_id=roadmap_id)))


class RoadmapApproveView(TenantAPIView):
    allowed_roles = DIRECTORS

    @extend_schema(
        summary="Утвердить дорожную карту приказом руководителя",
        request=ApproveSerializer,
        responses=RoadmapApprovedSerializer,
    )
    def post(self, request, roadmap_id: int):
        roadmap = selectors.access_roadmap(roadmap_id=roadmap_id)
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = Order(
            data.validated_data["order_number"], data.validated_data["order_date"], data.validated_data["order_scan"]
        )
        try:
            roadmap = services.roadmap_approve(actor=request.user, roadmap=roadmap, order=order)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response({**_detail(roadmap), "order_id": roadmap.register_order.pk})


class ActivityStatusView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Отметить выполнение мероприятия", request=StatusSerializer, responses=ActivitySerializer)
    def patch(self, request, activity_id: int):
        activity = selectors.access_activity(activity_id=activity_id)
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            activity = services.activity_set_status(actor=request.user, activity=activity, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        activity.is_overdue = activity.is_overdue_on(organization_today())
        return Response(ActivitySerializer(activity).data)


class RoadmapDocxView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Дорожная карта в DOCX для печати и подписи",
        responses={
            (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
                OpenApiTypes.BINARY
            )
        },
    )
    def get(self, request, roadmap_id: int):
        return roadmap_docx_response(selectors.access_roadmap(roadmap_id=roadmap_id))


urlpatterns = [
    path("", RoadmapListView.as_view(), name="api_roadmap_list"),
    path("create/", RoadmapCreateView.as_view(), name="api_roadmap_create"),
    path("<int:roadmap_id>/", RoadmapDetailView.as_view(), name="api_roadmap_detail"),
    path("<int:roadmap_id>/approve/", RoadmapApproveView.as_view(), name="api_roadmap_approve"),
    path("<int:roadmap_id>/docx/", RoadmapDocxView.as_view(), name="api_roadmap_docx"),
    path("activities/<int:activity_id>/status/", ActivityStatusView.as_view(), name="api_roadmap_activity_status"),
]
