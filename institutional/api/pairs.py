"""API of the area «pairs» (mounted under /api/v1/org/pairs/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views: validate input, call one service or selector, render.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from institutional.access import DIRECTORS, MANAGERS, STAFF_READERS
from institutional.models import EndReason, MenteeEntry, MentorEntry, Pair, PairForm, PairKind, ReplacementReason
from institutional.selectors.pairs import access_pair, pair_list
from institutional.services import pairs as services
from nastavnik.api.base import TenantAPIView, raise_as_api_error


class PairSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.staff.full_name", read_only=True)
    mentees = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True, default=None)
    order_date = serializers.DateField(source="order.date", read_only=True, default=None)

    class Meta:
        model = Pair
        fields = [
            "id", "mentor", "mentor_name", "mentees", "form", "kinds", "starts_on", "ends_on", "status",
            "status_display", "order", "order_number", "order_date", "approved_at", "ended_on", "end_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_mentees(self, pair) -> list[dict]:
        return [{"id": p.mentee_id, "name": p.mentee.full_name, "left_on": p.left_on} for p in pair.participants.all()]


class PairInputSerializer(serializers.Serializer):
    mentor = serializers.PrimaryKeyRelatedField(queryset=MentorEntry.objects.all())
    mentees = serializers.PrimaryKeyRelatedField(queryset=MenteeEntry.objects.all(), many=True)
    form = serializers.ChoiceField(choices=PairForm.choices)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=PairKind.choices))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class PairApproveSerializer(serializers.Serializer):
    pairs = serializers.PrimaryKeyRelatedField(queryset=Pair.objects.all(), many=True)
    order_number = serializers.CharField(max_length=50, allow_blank=True)
    order_date = serializers.DateField()


class PairEndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    ended_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PairReplaceSerializer(serializers.Serializer):
    new_mentor = serializers.PrimaryKeyRelatedField(queryset=MentorEntry.objects.all())
    reason = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    order_number = serializers.CharField(max_length=50, allow_blank=True)
    order_date = serializers.DateField()

    def validate_reason(self, value):
        if value not in ReplacementReason.values:
            raise serializers.ValidationError("Замена наставника допускается только по основаниям из положения.")
        return value


class PairListView(TenantAPIView):
    allowed_roles = STAFF_READERS

    @extend_schema(summary="Пары и группы", responses=PairSerializer(many=True))
    def get(self, request):
        pairs = pair_list(status=request.query_params.get("status", ""), form=request.query_params.get("form", ""))
        return Response(PairSerializer(pairs, many=True).data)

    @extend_schema(summary="Создать проект пары (группы)", request=PairInputSerializer, responses={201: PairSerializer})
    def post(self, request):
        if not set(request.roles) & MANAGERS:
            return Response({"detail": "Не найдено."}, status=status.HTTP_404_NOT_FOUND)
        data = PairInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pair = services.pair_create(actor=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(PairSerializer(pair).data, status=status.HTTP_201_CREATED)


class PairDetailView(TenantAPIView):
    allowed_roles = STAFF_READERS

    @extend_schema(summary="Пара (группа)", responses=PairSerializer)
    def get(self, request, pair_id: int):
        return Response(PairSerializer(access_pair(request=request, pair_id=pair_id)).data)


class PairApprovedOrderSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()


class PairApproveView(TenantAPIView):
    allowed_roles = DIRECTORS

    @extend_schema(
        summary="Утвердить проекты пар (групп) одним приказом",
        request=PairApproveSerializer,
        responses={201: PairApprovedOrderSerializer},
    )
    def post(self, request):
        data = PairApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            order = services.pair_approve(actor=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response({"order": order.pk, "number": order.number}, status=status.HTTP_201_CREATED)


class PairEndView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Завершить наставничество", request=PairEndSerializer, responses=PairSerializer)
    def post(self, request, pair_id: int):
        pair = access_pair(request=request, pair_id=pair_id)
        data = PairEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.pair_end(actor=request.user, pair=pair, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(PairSerializer(pair).data)


class PairReplaceView(TenantAPIView):
    allowed_roles = DIRECTORS

    @extend_schema(summary="Заменить наставника приказом", request=PairReplaceSerializer, responses=PairSerializer)
    def post(self, request, pair_id: int):
        pair = access_pair(request=request, pair_id=pair_id)
        data = PairReplaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.pair_replace_mentor(
                actor=request.user, pair=pair, replacement=services.Replacement(**data.validated_data)
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        pair.refresh_from_db()
        return Response(PairSerializer(pair).data)


urlpatterns = [
    path("", PairListView.as_view(), name="api_pair_list"),
    path("approve/", PairApproveView.as_view(), name="api_pair_approve"),
    path("<int:pair_id>/", PairDetailView.as_view(), name="api_pair_detail"),
    path("<int:pair_id>/end/", PairEndView.as_view(), name="api_pair_end"),
    path("<int:pair_id>/replace-mentor/", PairReplaceView.as_view(), name="api_pair_replace_mentor"),
]
