"""API of the area «banks» (mounted under /api/v1/org/banks/ by institutional/api/urls.py).

Runs in the tenant schema. Thin views: validate input, call one service or selector, render.
STAFF_READERS see every entry; any other member sees only their own (others are "not found").
Managers (curator, council) create and change entries; a person may change a few fields of their own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from institutional.access import MANAGERS, has_any_role
from institutional.models import (
    MenteeCategory,
    MenteeEntry,
    MentorAchievement,
    MentorEntry,
    MentorTraining,
    Staff,
    Visibility,
)
from institutional.selectors import banks as selectors
from institutional.selectors.regulation import rules_in_force
from institutional.services import banks as services
from nastavnik.api.base import TenantAPIView, raise_as_api_error


def _call(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise_as_api_error(error)


def _require_manager(request):
    if not has_any_role(request, MANAGERS):
        raise NotFound("Не найдено.")


def _staff(staff_id):
    staff = Staff.objects.filter(pk=staff_id).first()
    if staff is None:
        raise ValidationError({"staff": "Сотрудник не найден."})
    return staff


# --- serializers -----------------------------------------------------------------------------------


class MenteeEntrySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    appointment_deadline = serializers.SerializerMethodField()

    class Meta:
        model = MenteeEntry
        fields = [
            "id",
            "staff",
            "full_name",
            "trainee_last_name",
            "trainee_first_name",
            "trainee_patronymic",
            "trainee_birth_date",
            "trainee_study_place",
            "categories",
            "requests",
            "difficulties",
            "tags",
            "needed_from",
            "appointment_deadline",
            "status",
            "status_display",
            "left_on",
            "left_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_appointment_deadline(self, entry) -> str:
        # The regulation is read once per response, not once per row.
        if "appointment_days" not in self.context:
            self.context["appointment_days"] = rules_in_force().appointment_days
        return selectors.appointment_deadline(entry, appointment_days=self.context["appointment_days"]).isoformat()


class MenteeCreateSerializer(serializers.Serializer):
    staff = serializers.IntegerField(required=False, allow_null=True)
    trainee_last_name = serializers.CharField(required=False, allow_blank=True, default="")
    trainee_first_name = serializers.CharField(required=False, allow_blank=True, default="")
    trainee_patronymic = serializers.CharField(required=False, allow_blank=True, default="")
    trainee_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    trainee_study_place = serializers.CharField(required=False, allow_blank=True, default="")
    categories = serializers.ListField(child=serializers.ChoiceField(choices=MenteeCategory.choices))
    requests = serializers.CharField(required=False, allow_blank=True, default="")
    difficulties = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    needed_from = serializers.DateField(required=False, allow_null=True, default=None)


class MenteeUpdateSerializer(serializers.Serializer):
    categories = serializers.ListField(child=serializers.ChoiceField(choices=MenteeCategory.choices), required=False)
    requests = serializers.CharField(required=False, allow_blank=True)
    difficulties = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    needed_from = serializers.DateField(required=False)


class MenteeStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MenteeEntry.Status.choices)
    left_on = serializers.DateField(required=False, allow_null=True, default=None)
    left_reason = serializers.CharField(required=False, allow_blank=True, default="")


class TrainingSerializer(serializers.ModelSerializer):
    has_certificate = serializers.SerializerMethodField()

    class Meta:
        model = MentorTraining
        fields = ["id", "title", "provider", "hours", "completed_on", "has_certificate"]
        read_only_fields = fields

    def get_has_certificate(self, training) -> bool:
        return bool(training.certificate)


class MentorEntrySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="staff.full_name", read_only=True)
    load = serializers.SerializerMethodField()
    trainings = TrainingSerializer(many=True, read_only=True)

    class Meta:
        model = MentorEntry
        fields = [
            "id",
            "staff",
            "full_name",
            "competencies",
            "subjects",
            "achievements",
            "achievements_details",
            "tags",
            "capacity",
            "load",
            "visibility",
            "is_active",
            "excluded_on",
            "excluded_reason",
            "trainings",
            "created_at",
        ]
        read_only_fields = fields

    def get_load(self, entry) -> int:
        # One query for every mentor of the response (the view puts the loads in the context).
        loads = self.context.get("loads")
        if loads is None:
            return selectors.mentor_load(entry)
        return loads.get(entry.pk, 0)


class MentorUpdateSerializer(serializers.Serializer):
    competencies = serializers.CharField(required=False)
    subjects = serializers.ListField(child=serializers.CharField(), required=False)
    achievements = serializers.ListField(
        child=serializers.ChoiceField(choices=MentorAchievement.choices), required=False
    )
    achievements_details = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    capacity = serializers.IntegerField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class MentorCreateSerializer(MentorUpdateSerializer):
    staff = serializers.IntegerField()
    competencies = serializers.CharField()


class MentorExcludeSerializer(serializers.Serializer):
    excluded_on = serializers.DateField()
    excluded_reason = serializers.CharField()


class TrainingCreateSerializer(serializers.Serializer):
    title = serializers.CharField()
    provider = serializers.CharField(required=False, allow_blank=True, default="")
    hours = serializers.IntegerField(required=False, allow_null=True, default=None)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    certificate = serializers.FileField(required=False, allow_null=True, default=None)


# --- mentee bank -----------------------------------------------------------------------------------


class MenteeListView(TenantAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(summary="Банк наставляемых (свои записи — для педагога)", responses=MenteeEntrySerializer(many=True))
    def get(self, request):
        entries = selectors.mentee_entries_visible(request)
        entry_status = request.query_params.get("status")
        if entry_status:
            entries = entries.filter(status=entry_status)
        category = request.query_params.get("category")
        if category:
            entries = entries.filter(categories__contains=[category])
        return Response(MenteeEntrySerializer(entries, many=True).data)

    @extend_schema(
        summary="Внести в банк наставляемых (куратор, совет)",
        request=MenteeCreateSerializer,
        responses={201: MenteeEntrySerializer},
    )
    def post(self, request):
        _require_manager(request)
        serializer = MenteeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        staff_id = data.pop("staff", None)
        data["staff"] = _staff(staff_id) if staff_id else None
        entry = _call(lambda: services.mentee_entry_create(actor=request.user, **data))
        return Response(MenteeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class MenteeDetailView(TenantAPIView):
    @extend_schema(summary="Запись банка наставляемых", responses=MenteeEntrySerializer)
    def get(self, request, entry_id: int):
        return Response(MenteeEntrySerializer(selectors.access_mentee_entry(request=request, entry_id=entry_id)).data)

    @extend_schema(
        summary="Изменить запись (куратор, совет — все поля; сам наставляемый — запросы, затруднения, метки)",
        request=MenteeUpdateSerializer,
        responses=MenteeEntrySerializer,
    )
    def patch(self, request, entry_id: int):
        manager = has_any_role(request, MANAGERS)
        if manager:
            entry = selectors.access_mentee_entry(request=request, entry_id=entry_id)
        else:
            entry = selectors.access_mentee_entry(request=request, entry_id=entry_id, own_only=True)
        serializer = MenteeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if not manager:
            refused = set(serializer.validated_data) - set(services.MENTEE_OWN_FIELDS)
            if refused:
                raise ValidationError(dict.fromkeys(refused, "Это поле изменяет куратор."))
        entry = _call(
            lambda: services.mentee_entry_update(
                actor=request.user, entry=entry, data=serializer.validated_data, own=not manager
            )
        )
        return Response(MenteeEntrySerializer(entry).data)


class MenteeStatusView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Изменить статус наставляемого", request=MenteeStatusSerializer, responses=MenteeEntrySerializer
    )
    def post(self, request, entry_id: int):
        entry = selectors.access_mentee_entry(request=request, entry_id=entry_id)
        serializer = MenteeStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = _call(
            lambda: services.mentee_entry_set_status(actor=request.user, entry=entry, **serializer.validated_data)
        )
        return Response(MenteeEntrySerializer(entry).data)


# --- mentor bank -----------------------------------------------------------------------------------


class MentorListView(TenantAPIView):
    @extend_schema(summary="Банк наставников (своя запись — для педагога)", responses=MentorEntrySerializer(many=True))
    def get(self, request):
        entries = selectors.mentor_entries_visible(request)
        if request.query_params.get("all") != "1":
            entries = entries.filter(is_active=True)
        entries = list(entries)
        loads = selectors.mentor_loads([entry.pk for entry in entries])
        return Response(MentorEntrySerializer(entries, many=True, context={"loads": loads}).data)

    @extend_schema(
        summary="Внести в банк наставников (куратор, совет)",
        request=MentorCreateSerializer,
        responses={201: MentorEntrySerializer},
    )
    def post(self, request):
        _require_manager(request)
        serializer = MentorCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["staff"] = _staff(data["staff"])
        entry = _call(lambda: services.mentor_entry_create(actor=request.user, **data))
        return Response(MentorEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class MentorDetailView(TenantAPIView):
    @extend_schema(summary="Запись банка наставников", responses=MentorEntrySerializer)
    def get(self, request, entry_id: int):
        return Response(MentorEntrySerializer(selectors.access_mentor_entry(request=request, entry_id=entry_id)).data)

    @extend_schema(
        summary="Изменить запись (куратор, совет — все поля; сам наставник — компетенции, предметы, метки, видимость)",
        request=MentorUpdateSerializer,
        responses=MentorEntrySerializer,
    )
    def patch(self, request, entry_id: int):
        manager = has_any_role(request, MANAGERS)
        entry = selectors.access_mentor_entry(request=request, entry_id=entry_id, own_only=not manager)
        serializer = MentorUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if not manager:
            refused = set(serializer.validated_data) - set(services.MENTOR_OWN_FIELDS)
            if refused:
                raise ValidationError(dict.fromkeys(refused, "Это поле изменяет куратор."))
        entry = _call(
            lambda: services.mentor_entry_update(
                actor=request.user, entry=entry, data=serializer.validated_data, own=not manager
            )
        )
        return Response(MentorEntrySerializer(entry).data)


class MentorExcludeView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Исключить из банка наставников", request=MentorExcludeSerializer, responses=MentorEntrySerializer
    )
    def post(self, request, entry_id: int):
        entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
        serializer = MentorExcludeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = _call(
            lambda: services.mentor_entry_exclude(
                actor=request.user, entry=entry, excluded_on=data["excluded_on"], reason=data["excluded_reason"]
            )
        )
        return Response(MentorEntrySerializer(entry).data)


class MentorTrainingCreateView(TenantAPIView):
    allowed_roles = MANAGERS
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary="Добавить обучение наставника", request=TrainingCreateSerializer, responses={201: TrainingSerializer}
    )
    def post(self, request, entry_id: int):
        entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
        serializer = TrainingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        training = _call(
            lambda: services.mentor_training_add(actor=request.user, mentor=entry, **serializer.validated_data)
        )
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)


class MentorTrainingDeleteView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Удалить запись об обучении", responses={204: None})
    def delete(self, request, training_id: int):
        try:
            training = selectors.access_mentor_training(request=request, training_id=training_id)
        except Http404 as error:
            raise NotFound("Не найдено.") from error
        services.mentor_training_remove(actor=request.user, training=training)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("mentees/", MenteeListView.as_view(), name="api_mentee_list"),
    path("mentees/<int:entry_id>/", MenteeDetailView.as_view(), name="api_mentee_detail"),
    path("mentees/<int:entry_id>/status/", MenteeStatusView.as_view(), name="api_mentee_status"),
    path("mentors/", MentorListView.as_view(), name="api_mentor_list"),
    path("mentors/<int:entry_id>/", MentorDetailView.as_view(), name="api_mentor_detail"),
    path("mentors/<int:entry_id>/exclude/", MentorExcludeView.as_view(), name="api_mentor_exclude"),
    path("mentors/<int:entry_id>/trainings/", MentorTrainingCreateView.as_view(), name="api_mentor_training_add"),
    path("trainings/<int:training_id>/", MentorTrainingDeleteView.as_view(), name="api_mentor_training_delete"),
]
