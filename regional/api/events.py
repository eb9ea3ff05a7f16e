"""API of the events calendar (mounted under /api/v1/events/ on every tenant host; public tables).

Every member lists the events their organization sees and registers (a curator or director also
their staff); the organizers of a region or a municipality create, change and cancel their events,
read the participants and mark attendance. Another organization's event is "not found".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from institutional.access import has_any_role
from nastavnik.api.base import TenantAPIView, raise_as_api_error
from regional import events
from regional.models import Event
from tenants.models import User


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="webinar, conference, training, seminar, other")
    format = serializers.CharField(read_only=True, help_text="online, offline, mixed")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    publisher_id = serializers.IntegerField(read_only=True)
    publisher_name = serializers.CharField(source="publisher.short_name", read_only=True)
    registered = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "format",
            "format_label",
            "place",
            "capacity",
            "registration_until",
            "is_cancelled",
            "publisher_id",
            "publisher_name",
            "registered",
            "attended",
        ]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    is_registered = serializers.SerializerMethodField()
    registration_open = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "is_registered", "registration_open"]
        read_only_fields = fields

    def get_is_registered(self, event) -> bool:
        return events.own_registration(event=event, user=self.context["user"]) is not None

    def get_registration_open(self, event) -> bool:
        return not event.is_cancelled and timezone.now() < events.registration_deadline(event)


class EventInput(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    format = serializers.CharField(default=Event.Format.ONLINE)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    capacity = serializers.IntegerField(required=False, allow_null=True, default=None)
    registration_until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class EventRegisterInput(serializers.Serializer):
    user_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="сотрудник организации; без него — сам пользователь"
    )


class EventUnregisterInput(serializers.Serializer):
    registration_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="регистрация сотрудника; без неё — своя"
    )


class EventRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.get_full_name")
    organization_id = serializers.IntegerField()
    organization_name = serializers.CharField(source="organization.short_name")
    registered_at = serializers.DateTimeField()
    attended = serializers.BooleanField(allow_null=True)


class EventAttendanceMarkInput(serializers.Serializer):
    registration_id = serializers.IntegerField()
    attended = serializers.BooleanField(allow_null=True)


class EventAttendanceInput(serializers.Serializer):
    marks = EventAttendanceMarkInput(many=True)


class EventAttendanceResult(serializers.Serializer):
    changed = serializers.IntegerField()


def _require_organizer(request) -> None:
    if request.tenant.level not in events.ORGANIZERS:
        raise NotFound("Не найдено.")
    if not events.can_organize(request):
        raise PermissionDenied(
            "Мероприятия проводят региональный координатор и методист, в муниципалитете — координатор."
        )


def _data(request) -> events.EventData:
    data = EventInput(data=request.data)
    data.is_valid(raise_exception=True)
    return events.EventData(**data.validated_data)


def _detail(request, event_id) -> dict:
    event = events.access_event(organization=request.tenant, event_id=event_id)
    return EventDetailSerializer(event, context={"user": request.user}).data


class EventListAPI(TenantAPIView):
    @extend_schema(
        summary="Мероприятия, которые видит организация (региона и её муниципалитета)",
        parameters=[
            OpenApiParameter("upcoming", OpenApiTypes.BOOL, description="только предстоящие и неотменённые"),
        ],
        responses=EventSerializer(many=True),
    )
    def get(self, request):
        if request.query_params.get("upcoming") in ("1", "true", "yes"):
            rows = events.upcoming_events(organization=request.tenant, limit=200)
        else:
            rows = events.event_list(organization=request.tenant)
        return Response(EventSerializer(rows, many=True).data)

    @extend_schema(
        summary="Опубликовать мероприятие (организатор)", request=EventInput, responses={201: EventSerializer}
    )
    def post(self, request):
        _require_organizer(request)
        try:
            event = events.event_create(actor=request.user, publisher=request.tenant, data=_data(request))
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, event.pk), status=status.HTTP_201_CREATED)


class EventDetailAPI(TenantAPIView):
    @extend_schema(summary="Мероприятие", responses=EventDetailSerializer)
    def get(self, request, event_id: int):
        return Response(_detail(request, event_id))

    @extend_schema(summary="Изменить мероприятие (организатор)", request=EventInput, responses=EventDetailSerializer)
    def put(self, request, event_id: int):
        _require_organizer(request)
        event = events.access_own_event(organization=request.tenant, event_id=event_id)
        try:
            events.event_update(actor=request.user, publisher=request.tenant, event=event, data=_data(request))
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, event.pk))


class EventCancelAPI(TenantAPIView):
    @extend_schema(summary="Отменить мероприятие (организатор)", request=None, responses=EventDetailSerializer)
    def post(self, request, event_id: int):
        _require_organizer(request)
        event = events.access_own_event(organization=request.tenant, event_id=event_id)
        try:
            events.event_cancel(actor=request.user, publisher=request.tenant, event=event)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, event.pk))


class EventRegisterAPI(TenantAPIView):
    @extend_schema(
        summary="Зарегистрироваться (или зарегистрировать сотрудника — куратор, руководитель)",
        request=EventRegisterInput,
        responses={201: EventDetailSerializer},
    )
    def post(self, request, event_id: int):
        event = events.access_event(organization=request.tenant, event_id=event_id)
        data = EventRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        user_id = data.validated_data["user_id"]
        if user_id not in (None, request.user.pk):
            if not has_any_role(request, events.STAFF_REGISTRARS):
                raise PermissionDenied("Регистрировать других сотрудников могут куратор и руководитель организации.")
            user = User.objects.filter(pk=user_id).first()
            if user is None:
                raise ValidationError({"user_id": ["Сотрудник не найден."]})
        try:
            events.registration_create(actor=request.user, event=event, organization=request.tenant, user=user)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, event.pk), status=status.HTTP_201_CREATED)


class EventUnregisterAPI(TenantAPIView):
    @extend_schema(
        summary="Отменить регистрацию (свою или сотрудника) до начала",
        request=EventUnregisterInput,
        responses={204: None},
    )
    def post(self, request, event_id: int):
        event = events.access_event(organization=request.tenant, event_id=event_id)
        data = EventUnregisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = events.registration_for_cancel(
            actor=request.user,
            organization=request.tenant,
            event=event,
            registration_id=data.validated_data["registration_id"],
        )
        try:
            events.registration_cancel(actor=request.user, registration=registration)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventParticipantsAPI(TenantAPIView):
    @extend_schema(summary="Участники по организациям (организатор)", responses=EventRegistrationSerializer(many=True))
    def get(self, request, event_id: int):
        _require_organizer(request)
        event = events.access_own_event(organization=request.tenant, event_id=event_id)
        rows = [
            registration for group in events.participants_by_organization(event) for registration in group.registrations
        ]
        return Response(EventRegistrationSerializer(rows, many=True).data)


class EventAttendanceAPI(TenantAPIView):
    @extend_schema(
        summary="Отметить присутствие после начала (организатор)",
        request=EventAttendanceInput,
        responses=EventAttendanceResult,
    )
    def post(self, request, event_id: int):
        _require_organizer(request)
        event = events.access_own_event(organization=request.tenant, event_id=event_id)
        data = EventAttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        marks = {mark["registration_id"]: mark["attended"] for mark in data.validated_data["marks"]}
        try:
            changed = events.attendance_mark(actor=request.user, publisher=request.tenant, event=event, marks=marks)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response({"changed": changed})


urlpatterns = [
    path("", EventListAPI.as_view(), name="api_events_list"),
    path("<int:event_id>/", EventDetailAPI.as_view(), name="api_events_detail"),
    path("<int:event_id>/cancel/", EventCancelAPI.as_view(), name="api_events_cancel"),
    path("<int:event_id>/register/", EventRegisterAPI.as_view(), name="api_events_register"),
    path("<int:event_id>/unregister/", EventUnregisterAPI.as_view(), name="api_events_unregister"),
    path("<int:event_id>/participants/", EventParticipantsAPI.as_view(), name="api_events_participants"),
    path("<int:event_id>/attendance/", EventAttendanceAPI.as_view(), name="api_events_attendance"),
]
