"""API of the cabinets (mounted under /api/v1/org/cabinet/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views over institutional.selectors.cabinets: the signed-in person's
own cabinet (any member; only their own pairs), the curator's board (overseers) and the approvals
queue (the director and the curator).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from institutional.access import OVERSEERS, own_staff
from institutional.selectors import cabinets as selectors
from nastavnik.api.base import TenantAPIView


class CabinetPersonField(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()


class CabinetProgramStateSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program.pk", allow_null=True, default=None)
    title = serializers.CharField(source="program.title", allow_null=True, default=None)
    status = serializers.CharField(source="program.status", allow_null=True, default=None)
    status_label = serializers.CharField(source="label")
    draft_due_on = serializers.DateField(source="due_on", allow_null=True)
    is_overdue = serializers.BooleanField()


class CabinetActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)


class CabinetMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    topic = serializers.CharField()


class CabinetPairSerializer(serializers.Serializer):
    pair = serializers.IntegerField(source="pair.pk")
    status = serializers.CharField(source="pair.status")
    status_label = serializers.CharField(source="pair.get_status_display")
    form = serializers.CharField(source="pair.form")
    starts_on = serializers.DateField(source="pair.starts_on")
    ends_on = serializers.DateField(source="pair.ends_on")
    mentor = serializers.CharField(source="pair.mentor.staff.full_name")
    mentees = CabinetPersonField(many=True)
    program = CabinetProgramStateSerializer(source="program_state")
    activities = CabinetActivitySerializer(many=True)
    activities_done = serializers.IntegerField()
    meetings_count = serializers.IntegerField()
    last_meetings = CabinetMeetingSerializer(many=True)


class CabinetHoursSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(source="mentor.pk", allow_null=True, default=None)
    year = serializers.IntegerField()
    month_hours = serializers.DecimalField(source="month", max_digits=7, decimal_places=1)
    year_hours = serializers.DecimalField(source="this_year", max_digits=7, decimal_places=1)


class CabinetReportDueSerializer(serializers.Serializer):
    pair = serializers.IntegerField(source="pair.pk")
    author_role = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()


class CabinetQuestionnaireDueSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    title = serializers.CharField(source="run.title")
    closes_on = serializers.DateField(source="run.closes_on")


class CabinetSerializer(serializers.Serializer):
    # Null for a member who is not linked to a staff record (the lists are then empty).
    full_name = serializers.CharField(source="staff.full_name", allow_null=True, default=None)
    as_mentor = CabinetPairSerializer(many=True)
    as_mentee = CabinetPairSerializer(many=True)
    hours = CabinetHoursSerializer(allow_null=True)
    reports_due = CabinetReportDueSerializer(many=True)
    open_questionnaires = CabinetQuestionnaireDueSerializer(many=True)


class CabinetDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    days_left = serializers.IntegerField()


class CabinetReportsStateSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()


class CabinetBoardRowSerializer(serializers.Serializer):
    pair = serializers.IntegerField(source="pair.pk")
    status = serializers.CharField(source="pair.status")
    form = serializers.CharField(source="pair.form")
    starts_on = serializers.DateField(source="pair.starts_on")
    ends_on = serializers.DateField(source="pair.ends_on")
    mentor = serializers.CharField(source="pair.mentor.staff.full_name")
    mentees = CabinetPersonField(many=True)
    program = CabinetProgramStateSerializer(source="program_state")
    meetings_count = serializers.IntegerField()
    last_meeting_on = serializers.DateField(allow_null=True)
    activities_done = serializers.IntegerField()
    activities_total = serializers.IntegerField()
    reports = CabinetReportsStateSerializer(allow_null=True)
    overdue = CabinetDeadlineSerializer(many=True)
    has_overdue = serializers.BooleanField()


class CabinetWaitingSerializer(serializers.Serializer):
    mentee = serializers.IntegerField(source="entry.pk")
    full_name = serializers.CharField(source="entry.full_name")
    needed_from = serializers.DateField(source="entry.needed_from")
    deadline = serializers.DateField()
    is_overdue = serializers.BooleanField()


class CabinetBoardCountersSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    draft = serializers.IntegerField()
    ended = serializers.IntegerField()
    with_overdue = serializers.IntegerField()
    programs_overdue = serializers.IntegerField()
    reports_overdue = serializers.IntegerField()
    waiting = serializers.IntegerField()
    waiting_overdue = serializers.IntegerField()


class CabinetBoardSerializer(serializers.Serializer):
    counters = CabinetBoardCountersSerializer()
    rows = CabinetBoardRowSerializer(many=True)
    waiting = CabinetWaitingSerializer(many=True)


class CabinetDocumentDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="__str__")
    created_at = serializers.DateTimeField(allow_null=True, default=None)


class CabinetDraftPairSerializer(serializers.Serializer):
    pair = serializers.IntegerField(source="pair.pk")
    mentor = serializers.CharField(source="pair.mentor.staff.full_name")
    mentees = CabinetPersonField(many=True)
    starts_on = serializers.DateField(source="pair.starts_on")
    ends_on = serializers.DateField(source="pair.ends_on")
    missing_consents = serializers.ListField(child=serializers.CharField())
    is_ready = serializers.BooleanField()


class CabinetOrderBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    date = serializers.DateField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    has_scan = serializers.SerializerMethodField()

    def get_has_scan(self, order) -> bool:
        return bool(order.signed_scan)


class CabinetApprovalsSerializer(serializers.Serializer):
    regulation_drafts = CabinetDocumentDraftSerializer(many=True)
    roadmap_drafts = CabinetDocumentDraftSerializer(many=True)
    draft_pairs = CabinetDraftPairSerializer(many=True)
    orders_without_scan = CabinetOrderBriefSerializer(many=True)
    recent_orders = CabinetOrderBriefSerializer(many=True)
    total = serializers.IntegerField()


class CabinetAPI(TenantAPIView):
    @extend_schema(
        summary="Мой кабинет: пары как наставника и как наставляемого, программы, отчёты, часы",
        responses=CabinetSerializer,
    )
    def get(self, request):
        staff = own_staff(request)
        cabinet = selectors.cabinet_for(staff, request=request) if staff else selectors.empty_cabinet()
        return Response(CabinetSerializer(cabinet).data)


class BoardAPI(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Доска куратора: все пары и группы, просрочки, ожидающие наставника", responses=CabinetBoardSerializer
    )
    def get(self, request):
        data = selectors.board(status=request.query_params.get("status", ""), form=request.query_params.get("form", ""))
        return Response(CabinetBoardSerializer(data).data)


class ApprovalsAPI(TenantAPIView):
    allowed_roles = selectors.APPROVALS_READERS

    @extend_schema(summary="Ожидает утверждения руководителем", responses=CabinetApprovalsSerializer)
    def get(self, request):
        return Response(CabinetApprovalsSerializer(selectors.approvals()).data)


urlpatterns = [
    path("", CabinetAPI.as_view(), name="api_cabinet"),
    path("board/", BoardAPI.as_view(), name="api_cabinet_board"),
    path("approvals/", ApprovalsAPI.as_view(), name="api_cabinet_approvals"),
]
