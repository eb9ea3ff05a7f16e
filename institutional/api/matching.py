"""API of the area «matching» (mounted under /api/v1/org/matching/ by institutional/api/urls.py).

Runs in the tenant schema. Managers (curator, council) act; the director reads suggestions and
rounds. A participant submits their own ranking; managers may submit anyone's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from institutional.access import MANAGERS, OVERSEERS, has_any_role
from institutional.models import MatchingRound
from institutional.selectors import matching as selectors
from institutional.services import matching as services
from nastavnik.api.base import TenantAPIView


def _call(action):
    try:
        return action()
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise ValidationError({"detail": error.messages}) from error


def _require_manager(request):
    if not has_any_role(request, MANAGERS):
        raise NotFound("Не найдено.")


class RoundOutput(serializers.ModelSerializer):
    class Meta:
        model = MatchingRound
        fields = ["id", "title", "meeting_on", "status", "created_at", "sent_at"]


class RoundInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    meeting_on = serializers.DateField(required=False, allow_null=True)


class PreferenceInput(serializers.Serializer):
    ranked = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)
    support_note = serializers.CharField(required=False, allow_blank=True)


class SendInput(serializers.Serializer):
    group_mentor_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


def _round_output(matching_round):
    view = selectors.round_view(matching_round)
    return {
        **RoundOutput(matching_round).data,
        "mentees": [
            {"preference_id": r.pk, "mentee_id": r.mentee_id, "name": r.mentee.full_name, "ranked": r.ranked}
            for r in view.mentee_rows
        ],
        "mentors": [
            {
                "preference_id": r.pk,
                "mentor_id": r.mentor_id,
                "name": r.mentor.staff.full_name,
                "free_places": view.free_places.get(r.mentor_id, 0),
                "ranked": r.ranked,
            }
            for r in view.mentor_rows
        ],
        "proposals": [
            {"mentee_id": p.mentee_id, "mentor_id": p.mentor_id, "is_manual": p.is_manual, "pair_id": p.pair_id}
            for p in view.proposals
        ],
        "unmatched": [
            {"mentee_id": r.mentee_id, "support_note": r.support_note, "appointment_deadline": deadline}
            for r, deadline in view.unmatched
        ],
        "warnings": view.warnings,
    }


class SuggestionsView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Ранжированные наставники для ожидающего наставляемого, с разбором оценки",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, mentee_id):
        entry = selectors.access_waiting_mentee(entry_id=mentee_id)
        (row,) = selectors.suggestions_for(mentees=[entry])
        return Response(
            {
                "mentee_id": entry.pk,
                "appointment_deadline": row.deadline,
                "suggestions": [s.as_dict() for s in row.suggestions],
            }
        )


class RoundListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Туры подбора по взаимным предпочтениям", responses=RoundOutput(many=True))
    def get(self, request):
        return Response(RoundOutput(selectors.round_list(), many=True).data)

    @extend_schema(summary="Открыть тур подбора", request=RoundInput, responses=RoundOutput)
    def post(self, request):
        _require_manager(request)
        data = RoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        matching_round = _call(lambda: services.round_create(actor=request.user, **data.validated_data))
        return Response(RoundOutput(matching_round).data, status=status.HTTP_201_CREATED)


class RoundDetailView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Тур: участники, их выбор, распределение, нераспределённые", responses=OpenApiTypes.OBJECT)
    def get(self, request, round_id):
        return Response(_round_output(selectors.access_round(round_id=round_id)))


class PreferenceView(TenantAPIView):
    @extend_schema(
        summary="Сохранить предпочтения участника тура (по порядку, начиная с лучшего)",
        request=PreferenceInput,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, round_id, preference_id):
        matching_round = selectors.access_round(round_id=round_id)
        is_manager = has_any_role(request, MANAGERS)
        row = selectors.access_preference(
            request=request, matching_round=matching_round, preference_id=preference_id, may_enter_for_others=is_manager
        )
        data = PreferenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("support_note") if is_manager else None
        _call(
            lambda: services.preference_set(
                actor=request.user, preference=row, ranked=data.validated_data["ranked"], support_note=note
            )
        )
        return Response({"preference_id": row.pk, "ranked": row.ranked})


class RoundRunView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Рассчитать устойчивое распределение", request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, round_id):
        matching_round = selectors.access_round(round_id=round_id)
        _call(lambda: services.round_run(actor=request.user, matching_round=matching_round))
        return Response(_round_output(matching_round))


class RoundSendView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Отправить распределение на утверждение (создать проекты пар)",
        request=SendInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, round_id):
        matching_round = selectors.access_round(round_id=round_id)
        data = SendInput(data=request.data)
        data.is_valid(raise_exception=True)
        pairs = _call(
            lambda: services.round_send(
                actor=request.user,
                matching_round=matching_round,
                group_mentor_ids=data.validated_data["group_mentor_ids"],
            )
        )
        return Response({"pair_ids": [pair.pk for pair in pairs]}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("suggestions/<int:mentee_id>/", SuggestionsView.as_view(), name="api_matching_suggestions"),
    path("rounds/", RoundListView.as_view(), name="api_matching_rounds"),
    path("rounds/<int:round_id>/", RoundDetailView.as_view(), name="api_matching_round"),
    path(
        "rounds/<int:round_id>/preferences/<int:preference_id>/",
        PreferenceView.as_view(),
        name="api_matching_preference",
    ),
    path("rounds/<int:round_id>/run/", RoundRunView.as_view(), name="api_matching_round_run"),
    path("rounds/<int:round_id>/send/", RoundSendView.as_view(), name="api_matching_round_send"),
]
