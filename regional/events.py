"""Events of the region and its municipalities: calendar, registration, attendance (public schema only).

A region's coordinators and methodologists and a municipality's coordinator publish webinars,
conferences, trainings and seminars for the organizations below them. Who sees an event (and may
register for it): an educational organization sees its region's events and its own municipality's;
a municipality its region's and its own; a region its own and its municipalities'. Any member
registers themselves; a curator or director also registers the staff of their organization (users
with a membership there). The organizer sees the participants by organization, marks attendance
once the event has started and exports the list; above the organizer only the counts are shown.

Services validate everything first and write in one transaction; a refusal writes nothing and
says why in Russian. Selectors read; `access_*` answer "not found" for missing and forbidden alike.
"""

from __future__ import annotations

import calendar
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from regional.models import Event, EventRegistration
from tenants.models import Level, Membership, Role, User

ORGANIZERS = {
    Level.REGION: frozenset({Role.REGIONAL_COORDINATOR, Role.REGIONAL_METHODOLOGIST}),
    Level.MUNICIPALITY: frozenset({Role.MUNICIPAL_COORDINATOR}),
}
# Who registers other staff of their own organization.
STAFF_REGISTRARS = frozenset({Role.CURATOR, Role.DIRECTOR})
NOT_FOUND = "Мероприятие не найдено."
TITLE_MAX, PLACE_MAX, DESCRIPTION_MAX = 300, 500, 5000


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def zone_of(organization) -> zoneinfo.ZoneInfo:
    """The organization's time zone (its region's when it has none of its own)."""
    name = getattr(organization, "time_zone", "") or ""
    if not name and getattr(organization, "parent_id", None):
        name = organization.region.time_zone
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- who sees what ----------------------------------------------------------------------------------


def visible_condition(organization) -> Q:
    """The events `organization` sees and may register for."""
    level = getattr(organization, "level", None)
    if level == Level.REGION:
        return Q(publisher_id=organization.pk) | Q(
            publisher__parent_id=organization.pk, publisher__level=Level.MUNICIPALITY
        )
    if level == Level.MUNICIPALITY:
        return Q(publisher_id__in=[organization.parent_id, organization.pk])
    if level == Level.ORGANIZATION:
        parent = organization.parent
        if parent.level == Level.MUNICIPALITY:
            return Q(publisher_id__in=[parent.parent_id, parent.pk])
        return Q(publisher_id=parent.pk)
    return Q(pk__in=[])


def is_visible_to(event: Event, organization) -> bool:
    return Event.objects.filter(visible_condition(organization), pk=event.pk).exists()


def can_organize(request) -> bool:
    tenant = getattr(request, "tenant", None)
    roles = set(getattr(request, "roles", ()))
    return tenant is not None and bool(roles & ORGANIZERS.get(tenant.level, frozenset()))


def _with_counts(queryset):
    return queryset.select_related("publisher").annotate(
        registered=Count("registrations", distinct=True),
        attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
    )


def event_list(*, organization, starts_before=None, ends_after=None):
    """Events `organization` sees (cancelled included), by start, with registration counts."""
    events = Event.objects.filter(visible_condition(organization))
    if starts_before is not None:
        events = events.filter(starts_at__lt=starts_before)
    if ends_after is not None:
        events = events.filter(ends_at__gt=ends_after)
    return _with_counts(events).order_by("starts_at", "id")


def upcoming_events(*, organization, now=None, limit: int = 20) -> list[Event]:
    """Events not yet over and not cancelled, soonest first."""
    now = now or timezone.now()
    return list(event_list(organization=organization, ends_after=now).filter(is_cancelled=False)[:limit])


def organizer_events(*, organization) -> list[Event]:
    """The events `organization` published, newest first, with registration and attendance counts."""
    return list(_with_counts(Event.objects.filter(publisher_id=organization.pk)).order_by("-starts_at", "-id"))


def attendance_summary(*, organization) -> list[Event]:
    """Events already started that the organization sees, with counts (the region and municipality view)."""
    return list(
        event_list(organization=organization, starts_before=timezone.now())
        .filter(is_cancelled=False)
        .order_by("-starts_at", "-id")[:50]
    )


def access_event(*, organization, event_id) -> Event:
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    event = _with_counts(Event.objects.filter(visible_condition(organization), pk=event_id)).first()
    if event is None:
        raise Http404(NOT_FOUND)
    return event


def access_own_event(*, organization, event_id) -> Event:
    """An event `organization` published itself — the only ones it changes and sees participants of."""
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    event = _with_counts(Event.objects.filter(publisher_id=getattr(organization, "pk", None), pk=event_id)).first()
    if event is None:
        raise Http404(NOT_FOUND)
    return event


def own_registration(*, event: Event, user) -> EventRegistration | None:
    return EventRegistration.objects.filter(event=event, user_id=user.pk).first()


def organization_registrations(*, event: Event, organization) -> list[EventRegistration]:
    """The registrations of one organization's staff for the event (what its curator manages)."""
    return list(
        EventRegistration.objects.filter(event=event, organization_id=organization.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def staff_users(*, organization) -> list[User]:
    """Users with an active membership in the organization (whom its curator may register)."""
    return list(
        User.objects.filter(is_active=True, memberships__organization_id=organization.pk, memberships__is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "patronymic", "id")
    )


@dataclass
class OrganizationGroup:
    organization: object
    registrations: list = field(default_factory=list)

    @property
    def attended(self) -> int:
        return sum(1 for registration in self.registrations if registration.attended)


def participants_by_organization(event: Event) -> list[OrganizationGroup]:
    """The organizer's list: participants grouped by organization, organizations by name."""
    groups: dict[int, OrganizationGroup] = {}
    registrations = (
        EventRegistration.objects.filter(event=event)
        .select_related("user", "organization", "organization__parent", "registered_by")
        .order_by("organization__short_name", "user__last_name", "user__first_name", "id")
    )
    for registration in registrations:
        group = groups.setdefault(registration.organization_id, OrganizationGroup(registration.organization))
        group.registrations.append(registration)
    return list(groups.values())


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


def month_grid(*, organization, year: int, month: int, today: date | None = None) -> list[list[Day]]:
    """The weeks (Monday first) of a month with the events of each day, in the organization's time."""
    zone = zone_of(organization)
    today = today or timezone.now().astimezone(zone).date()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in event_list(organization=organization, starts_before=end, ends_after=start):
        day = max(event.starts_at.astimezone(zone).date(), first)
        final = min(event.ends_at.astimezone(zone).date(), last)
        while day <= final:
            by_day[day].append(event)
            day += timedelta(days=1)
    return [[Day(day, day.month == month, day == today, by_day.get(day, [])) for day in week] for week in weeks]


# --- services ---------------------------------------------------------------------------------------


@dataclass
class EventData:
    kind: str
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    format: str = Event.Format.ONLINE
    place: str = ""
    description: str = ""
    capacity: int | None = None
    registration_until: datetime | None = None


def _clean(data: EventData, *, event: Event | None = None) -> dict:
    errors: dict[str, str] = {}
    now = timezone.now()
    if data.kind not in Event.Kind.values:
        errors["kind"] = "Выберите вид мероприятия."
    title = (data.title or "").strip()
    if not title:
        errors["title"] = "Укажите название мероприятия."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Название длиннее {TITLE_MAX} символов."
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"Описание длиннее {DESCRIPTION_MAX} символов."
    if data.format not in Event.Format.values:
        errors["format"] = "Выберите формат проведения."
    place = (data.place or "").strip()
    if len(place) > PLACE_MAX:
        errors["place"] = f"Место или ссылка длиннее {PLACE_MAX} символов."
    elif not place and data.format in (Event.Format.OFFLINE, Event.Format.MIXED):
        errors["place"] = "Укажите место проведения (для очного и смешанного формата)."
    starts_at, ends_at = data.starts_at, data.ends_at
    moved = event is None or starts_at != event.starts_at
    if starts_at is None:
        errors["starts_at"] = "Укажите дату и время начала."
    elif moved and starts_at <= now:
        errors["starts_at"] = "Начало мероприятия должно быть в будущем."
    if ends_at is None:
        errors["ends_at"] = "Укажите дату и время окончания."
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "Окончание мероприятия должно быть позже начала."
    capacity = data.capacity
    if capacity is not None:
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            errors["capacity"] = "Число мест — целое число."
        else:
            if capacity < 1:
                errors["capacity"] = "Мест должно быть не меньше одного (или оставьте поле пустым — без ограничения)."
            elif event is not None and capacity < event.registrations.count():
                errors["capacity"] = (
                    f"Уже зарегистрировано {event.registrations.count()} участников: мест не может быть меньше."
                )
    until = data.registration_until
    if until is not None and starts_at is not None and until > starts_at:
        errors["registration_until"] = "Регистрация должна закончиться не позже начала мероприятия."
    elif until is not None and (event is None or until != event.registration_until) and until <= now:
        errors["registration_until"] = "Срок регистрации уже прошёл: укажите будущую дату."
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data.kind,
        "title": title,
        "description": description,
        "format": data.format,
        "place": place,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "registration_until": until,
    }


def _check_organizer(publisher) -> None:
    if getattr(publisher, "level", None) not in ORGANIZERS:
        raise ValidationError("Мероприятия проводят регион и муниципалитеты.")


def event_create(*, actor, publisher, data: EventData) -> Event:
    _check_organizer(publisher)
    values = _clean(data)
    with transaction.atomic():
        return Event.objects.create(publisher=publisher, created_by=actor, **values)


def _check_own_open(event: Event, publisher) -> None:
    if event.publisher_id != publisher.pk:
        raise ValidationError("Изменять можно только мероприятия своей организации.")
    if event.is_cancelled:
        raise ValidationError("Мероприятие отменено: изменить его нельзя.")
    if event.ends_at <= timezone.now():
        raise ValidationError("Мероприятие уже прошло: изменить его нельзя.")


def event_update(*, actor, publisher, event: Event, data: EventData) -> Event:
    _check_own_open(event, publisher)
    values = _clean(data, event=event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            raise ValidationError("Мероприятие отменено: изменить его нельзя.")
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        return locked


def event_cancel(*, actor, publisher, event: Event) -> Event:
    """Cancels the event: registration closes; the registrations stay as they were."""
    _check_own_open(event, publisher)
    with transaction.atomic():
        updated = Event.objects.filter(pk=event.pk, is_cancelled=False).update(is_cancelled=True)
        if not updated:
            raise ValidationError("Мероприятие уже отменено.")
    event.is_cancelled = True
    return event


def registration_deadline(event: Event) -> datetime:
    return event.registration_until or event.starts_at


def _holds_role(user, organization, roles) -> bool:
    return Membership.objects.filter(
        user_id=user.pk, organization_id=organization.pk, role__in=list(roles), is_active=True
    ).exists()


def registration_create(*, actor, event: Event, organization, user=None) -> EventRegistration:
    """Registers `user` (the actor themselves by default) from `organization` for the event."""
    user = user or actor
    with transaction.atomic():
        # The event's row puts registrations one after another, so the last seat is given once.
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.is_cancelled:
            raise ValidationError("Мероприятие отменено: регистрация закрыта.")
        if not is_visible_to(event, organization):
            raise ValidationError(f"Мероприятие «{event.title}» не проводится для вашей организации.")
        if timezone.now() >= registration_deadline(event):
            raise ValidationError(f"Регистрация закончилась {_moment(registration_deadline(event))}.")
        if not Membership.objects.filter(user_id=user.pk, organization_id=organization.pk, is_active=True).exists():
            raise ValidationError("Зарегистрировать можно только сотрудника своей организации.")
        if user.pk != actor.pk and not _holds_role(actor, organization, STAFF_REGISTRARS):
            raise ValidationError("Регистрировать других сотрудников могут куратор и руководитель организации.")
        if EventRegistration.objects.filter(event=event, user_id=user.pk).exists():
            who = (
                "Вы уже зарегистрированы" if user.pk == actor.pk else f"{user.get_short_name()} уже зарегистрирован(а)"
            )
            raise ValidationError(f"{who} на это мероприятие.")
        if event.capacity is not None and event.registrations.count() >= event.capacity:
            raise ValidationError(f"Свободных мест нет: все {event.capacity} мест заняты.")
        try:
            with transaction.atomic():
                return EventRegistration.objects.create(
                    event=event, user=user, organization=organization, registered_by=actor
                )
        except IntegrityError as error:
            raise ValidationError("Участник уже зарегистрирован на это мероприятие.") from error


def registration_cancel(*, actor, registration: EventRegistration) -> None:
    """The participant (or their organization's curator or director) cancels before the start."""
    if registration.user_id != actor.pk and not _holds_role(actor, registration.organization, STAFF_REGISTRARS):
        raise ValidationError("Отменить можно только свою регистрацию или регистрацию сотрудника своей организации.")
    if timezone.now() >= registration.event.starts_at:
        raise ValidationError("Мероприятие уже началось: отменить регистрацию нельзя.")
    with transaction.atomic():
        EventRegistration.objects.filter(pk=registration.pk).delete()


def attendance_mark(*, actor, publisher, event: Event, marks: dict[int, bool | None]) -> int:
    """The organizer marks who attended (True), who did not (False), or clears a mark (None)."""
    if event.publisher_id != publisher.pk:
        raise ValidationError("Отмечать присутствие может только организатор мероприятия.")
    if event.is_cancelled:
        raise ValidationError("Мероприятие отменено: отмечать присутствие нечего.")
    if timezone.now() < event.starts_at:
        raise ValidationError(f"Отметить присутствие можно после начала мероприятия ({_moment(event.starts_at)}).")
    known = set(EventRegistration.objects.filter(event=event).values_list("pk", flat=True))
    unknown = [pk for pk in marks if pk not in known]
    if unknown:
        raise ValidationError(f"Участник № {unknown[0]} не зарегистрирован на это мероприятие.")
    changed = 0
    with transaction.atomic():
        for pk, attended in marks.items():
            changed += (
                EventRegistration.objects.filter(pk=pk, event=event)
                .exclude(attended=attended)
                .update(attended=attended)
            )
    return changed


def registration_for_cancel(*, actor, organization, event: Event, registration_id=None) -> EventRegistration:
    """The registration an actor may cancel on this host: their own, or (curator, director) their staff's."""
    registrations = EventRegistration.objects.filter(event=event).select_related("event", "organization", "user")
    if registration_id in (None, ""):
        registration = registrations.filter(user_id=actor.pk).first()
    else:
        try:
            registration = registrations.filter(pk=int(registration_id), organization_id=organization.pk).first()
        except (TypeError, ValueError):
            registration = None
    if registration is None:
        raise Http404("Регистрация не найдена.")
    return registration


# --- export -----------------------------------------------------------------------------------------


PARTICIPANT_HEADERS = (
    "Организация",
    "Вышестоящая организация",
    "ФИО",
    "Зарегистрирован",
    "Кто зарегистрировал",
    "Присутствие",
)


def attendance_label(value) -> str:
    return {True: "присутствовал(а)", False: "отсутствовал(а)"}.get(value, "не отмечено")


def participants_sheets(event: Event) -> list:
    """Sheets of the organizer's XLSX: every participant, and the counts by organization."""
    zone = zone_of(event.publisher)
    rows, totals = [], []
    for group in participants_by_organization(event):
        organization = group.organization
        parent = organization.parent.short_name if organization.parent_id else ""
        for registration in group.registrations:
            rows.append(
                (
                    organization.short_name,
                    parent,
                    registration.user.get_full_name(),
                    registration.registered_at.astimezone(zone).replace(tzinfo=None),
                    registration.registered_by.get_full_name() if registration.registered_by else "",
                    attendance_label(registration.attended),
                )
            )
        totals.append((organization.short_name, len(group.registrations), group.attended))
    return [
        ("Участники", PARTICIPANT_HEADERS, rows),
        ("По организациям", ("Организация", "Зарегистрировано", "Присутствовало"), totals),
    ]
