"""API of the area «programs» (mounted under /api/v1/org/programs/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views over institutional.services.programs/meetings. A program is
visible to its pair, the curator, the council and the director; anyone else gets 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from institutional.access import MANAGERS, has_any_role
from institutional.models import Meeting, MeetingMode, Program, ProgramActivity, ProgramChange
from institutional.selectors import meetings as meeting_selectors
from institutional.selectors import programs as selectors
from institutional.services import meetings as meeting_services
from institutional.services import programs as services
from nastavnik.api.base import TenantAPIView
from nastavnik.xlsx import XLSX_CONTENT_TYPE as XLSX
from nastavnik.xlsx import xlsx_response


def _call(action):
    try:
        return action()
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise ValidationError({"detail": error.messages}) from error


def _require(condition: bool):
    if not condition:
        raise NotFound("Не найдено.")


def _may_draft(request, pair) -> bool:
    return has_any_role(request, MANAGERS) or selectors.pair_side(request.user, pair) == "mentor"


class ProgramActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramActivity
        fields = ["id", "position", "title", "due_on", "done_on", "result"]


class ProgramChangeSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = ProgramChange
        fields = [
            "id",
            "kind",
            "description",
            "proposed",
            "previous",
            "mentor_confirmed_at",
            "mentee_confirmed_at",
            "applied_at",
            "rejected_at",
            "created_at",
        ]


class ProgramSerializer(serializers.ModelSerializer):
    activities = ProgramActivitySerializer(many=True, read_only=True)
    changes = ProgramChangeSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    meeting_mode = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    interaction_formats = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "pair",
            "title",
            "request",
            "goal",
            "tasks",
            "is_group",
            "interaction_formats",
            "meeting_mode",
            "schedule",
            "intermediate_results",
            "planned_results",
            "starts_on",
            "ends_on",
            "status",
            "draft_due_on",
            "submitted_at",
            "confirmed_at",
            "mentee_comment",
            "template_id",
            "template_version",
            "overdue",
            "activities",
            "changes",
        ]

    def get_overdue(self, program) -> bool:
        return selectors.is_overdue(program)


class ProgramActivityInput(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    due_on = serializers.DateField()


class ProgramInput(serializers.Serializer):
    pair = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    request = serializers.CharField()
    goal = serializers.CharField()
    tasks = serializers.CharField()
    interaction_formats = serializers.ListField(child=serializers.CharField())
    meeting_mode = serializers.CharField(default=MeetingMode.MIXED)
    schedule = serializers.CharField(required=False, allow_blank=True, default="")
    intermediate_results = serializers.CharField(required=False, allow_blank=True, default="")
    planned_results = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    activities = ProgramActivityInput(many=True)
    template_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="модельная программа, по которой заполнена"
    )


class ProgramReturnInput(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True)


class ProgramChangeInput(serializers.Serializer):
    kind = serializers.CharField(help_text="extend, plan or form")
    description = serializers.CharField(allow_blank=True)
    proposed = serializers.DictField()


class ProgramActivityDoneInput(serializers.Serializer):
    done_on = serializers.DateField()
    result = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    mode = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "pair", "held_on", "duration_minutes", "mode", "kind", "topic", "notes", "created_at"]
        read_only_fields = ["pair", "created_at"]


class MeetingInput(serializers.Serializer):
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    mode = serializers.CharField()
    kind = serializers.CharField(default=Meeting.Kind.REGULAR)
    topic = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    attendance = serializers.DictField(child=serializers.BooleanField(), required=False)


def _program(request, program_id):
    program = selectors.access_program(request=request, program_id=program_id)
    return Program.objects.prefetch_related("activities", "changes").get(pk=program.pk)


class ProgramListView(TenantAPIView):
    @extend_schema(responses=ProgramSerializer(many=True), summary="Программы, доступные пользователю")
    def get(self, request):
        programs = [row.program for row in selectors.programs_for(request) if row.program is not None]
        return Response(ProgramSerializer(programs, many=True).data)

    @extend_schema(request=ProgramInput, responses=ProgramSerializer, summary="Составить программу пары")
    def post(self, request):
        data = ProgramInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pair = selectors.access_pair_for_program(request=request, pair_id=values.pop("pair"))
        _require(_may_draft(request, pair))
        activities = [dict(a) for a in values.pop("activities")]
        template_id = values.pop("template_id")
        program = _call(
            lambda: services.program_create(
                actor=request.user, pair=pair, data=values, activities=activities, template_id=template_id
            )
        )
        return Response(ProgramSerializer(_program(request, program.pk)).data, status=status.HTTP_201_CREATED)


class ProgramDetailView(TenantAPIView):
    @extend_schema(responses=ProgramSerializer, summary="Программа")
    def get(self, request, program_id: int):
        return Response(ProgramSerializer(_program(request, program_id)).data)


class ProgramSubmitView(TenantAPIView):
    @extend_schema(request=None, responses=ProgramSerializer, summary="Передать наставляемому")
    def post(self, request, program_id: int):
        program = _program(request, program_id)
        _require(_may_draft(request, program.pair))
        _call(lambda: services.program_submit(actor=request.user, program=program))
        return Response(ProgramSerializer(_program(request, program_id)).data)


class ProgramConfirmView(TenantAPIView):
    @extend_schema(request=None, responses=ProgramSerializer, summary="Согласовать (наставляемый)")
    def post(self, request, program_id: int):
        program = _program(request, program_id)
        _require(selectors.pair_side(request.user, program.pair) == "mentee")
        _call(lambda: services.program_confirm(actor=request.user, program=program))
        return Response(ProgramSerializer(_program(request, program_id)).data)


class ProgramReturnView(TenantAPIView):
    @extend_schema(
        request=ProgramReturnInput, responses=ProgramSerializer, summary="Вернуть на доработку (наставляемый)"
    )
    def post(self, request, program_id: int):
        program = _program(request, program_id)
        _require(selectors.pair_side(request.user, program.pair) == "mentee")
        data = ProgramReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = data.validated_data["comment"]
        _call(lambda: services.program_return(actor=request.user, program=program, comment=comment))
        return Response(ProgramSerializer(_program(request, program_id)).data)


class ChangeProposeView(TenantAPIView):
    @extend_schema(request=ProgramChangeInput, responses=ProgramChangeSerializer, summary="Предложить изменение")
    def post(self, request, program_id: int):
        program = _program(request, program_id)
        _require(selectors.pair_side(request.user, program.pair) is not None)
        data = ProgramChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        change = _call(
            lambda: services.program_change_propose(actor=request.user, program=program, **data.validated_data)
        )
        return Response(ProgramChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ChangeDecisionView(TenantAPIView):
    decision = "confirm"

    @extend_schema(request=None, responses=ProgramChangeSerializer, summary="Подтвердить или отклонить изменение")
    def post(self, request, change_id: int):
        change = selectors.access_change(request=request, change_id=change_id)
        _require(selectors.pair_side(request.user, change.program.pair) is not None)
        action = services.program_change_confirm if self.decision == "confirm" else services.program_change_reject
        change = _call(lambda: action(actor=request.user, change=change))
        return Response(ProgramChangeSerializer(change).data)


class ActivityDoneView(TenantAPIView):
    @extend_schema(
        request=ProgramActivityDoneInput, responses=ProgramActivitySerializer, summary="Отметить выполнение мероприятия"
    )
    def post(self, request, activity_id: int):
        activity = selectors.access_activity(request=request, activity_id=activity_id)
        _require(_may_draft(request, activity.program.pair))
        data = ProgramActivityDoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        activity = _call(
            lambda: services.activity_mark_done(actor=request.user, activity=activity, **data.validated_data)
        )
        return Response(ProgramActivitySerializer(activity).data)


class MeetingListView(TenantAPIView):
    @extend_schema(responses=MeetingSerializer(many=True), summary="Встречи пары")
    def get(self, request, pair_id: int):
        pair = selectors.access_pair_for_program(request=request, pair_id=pair_id)
        meetings = meeting_selectors.pair_meetings(pair, with_notes=meeting_selectors.may_read_notes(request, pair))
        return Response(MeetingSerializer(meetings, many=True).data)

    @extend_schema(request=MeetingInput, responses=MeetingSerializer, summary="Записать встречу")
    def post(self, request, pair_id: int):
        pair = selectors.access_pair_for_program(request=request, pair_id=pair_id)
        _require(_may_draft(request, pair))
        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        attendance = values.pop("attendance", None)
        if attendance is not None:
            try:
                attendance = {int(k): v for k, v in attendance.items()}
            except ValueError:
                raise ValidationError({"attendance": "Участник указан неверно."}) from None
        meeting = _call(
            lambda: meeting_services.meeting_create(actor=request.user, pair=pair, attendance=attendance, **values)
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


def _ledger(request):
    mentor = meeting_selectors.access_ledger_mentor(request=request, mentor_id=request.query_params.get("mentor"))
    try:
        year = int(request.query_params.get("year") or 0) or None
        month = int(request.query_params.get("month") or 0) or None
    except ValueError:
        raise ValidationError({"year": "Год и месяц — числа."}) from None
    from institutional.dates import organization_today

    year = year or organization_today().year
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": "Месяц — от 1 до 12."})
    return mentor, year, month, meeting_selectors.mentor_ledger(mentor=mentor, year=year, month=month)


class LedgerView(TenantAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Часы наставника по месяцам (ст. 351.8 ТК РФ)")
    def get(self, request):
        mentor, year, month, ledger = _ledger(request)
        return Response(
            {
                "mentor": mentor.pk,
                "mentor_name": mentor.staff.full_name,
                "year": year,
                "month": month,
                "months": [
                    {
                        "month": row.month,
                        "minutes": row.minutes,
                        "hours": str(row.hours),
                        "meetings": [
                            {"id": m.id, "held_on": m.held_on, "topic": m.topic, "duration_minutes": m.duration_minutes}
                            for m in row.meetings
                        ],
                    }
                    for row in ledger
                ],
                "total_hours": str(meeting_selectors.hours(sum(row.minutes for row in ledger))),
            }
        )


class LedgerXlsxView(TenantAPIView):
    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, summary="Часы наставника, XLSX")
    def get(self, request):
        mentor, year, month, ledger = _ledger(request)
        period = f"{month:02d}.{year}" if month else str(year)
        return xlsx_response(
            f"Часы наставника {mentor.staff.short_name} {period}.xlsx",
            meeting_selectors.ledger_sheets(mentor=mentor, ledger=ledger),
        )


urlpatterns = [
    path("", ProgramListView.as_view()),
    path("<int:program_id>/", ProgramDetailView.as_view()),
    path("<int:program_id>/submit/", ProgramSubmitView.as_view()),
    path("<int:program_id>/confirm/", ProgramConfirmView.as_view()),
    path("<int:program_id>/return/", ProgramReturnView.as_view()),
    path("<int:program_id>/changes/", ChangeProposeView.as_view()),
    path("changes/<int:change_id>/confirm/", ChangeDecisionView.as_view(decision="confirm")),
    path("changes/<int:change_id>/reject/", ChangeDecisionView.as_view(decision="reject")),
    path("activities/<int:activity_id>/done/", ActivityDoneView.as_view()),
    path("pairs/<int:pair_id>/meetings/", MeetingListView.as_view()),
    path("hours/", LedgerView.as_view()),
    path("hours/xlsx/", LedgerXlsxView.as_view()),
]
