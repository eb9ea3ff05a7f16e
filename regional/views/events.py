"""Pages of the events calendar (public tables; on every tenant host, each view checks the level and roles).

Every member sees the calendar of the events their organization sees and registers; a curator or a
director also registers their staff. On a region's or municipality's host the organizers create,
edit and cancel their events, see participants by organization, mark attendance and export the list.
Dates are shown and read in the host organization's time zone.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import has_any_role
from institutional.forms.common import BootstrapMixin, apply_errors
from nastavnik.documents import MONTHS
from nastavnik.xlsx import xlsx_response
from regional import events
from regional.models import Event
from tenants.models import User

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WEEKDAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


class EventForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=Event.Kind.choices)
    title = forms.CharField(label="Название", max_length=300)
    description = forms.CharField(label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(label="Начало", widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label="Окончание", widget=DATETIME_WIDGET)
    format = forms.ChoiceField(label="Формат", choices=Event.Format.choices)
    place = forms.CharField(
        label="Место проведения или ссылка",
        max_length=500,
        required=False,
        help_text="Адрес для очного мероприятия, ссылка на трансляцию — для дистанционного.",
    )
    capacity = forms.IntegerField(
        label="Мест", required=False, help_text="Оставьте пустым, если число участников не ограничено."
    )
    registration_until = forms.DateTimeField(
        label="Регистрация до",
        required=False,
        widget=DATETIME_WIDGET,
        help_text="Без даты регистрация открыта до начала мероприятия.",
    )

    @classmethod
    def initial_from(cls, event: Event) -> dict:
        initial = {name: getattr(event, name) for name in cls.base_fields}
        for name in ("starts_at", "ends_at", "registration_until"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name])
        return initial

    def data_object(self) -> events.EventData:
        return events.EventData(**self.cleaned_data)


def in_local_time(view):
    """Render and read dates in the host organization's time zone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(events.zone_of(request.tenant)):
            return view(request, *args, **kwargs)

    return wrapped


def _require_organizer(request) -> None:
    if request.tenant.level not in events.ORGANIZERS:
        raise Http404("Страница не найдена")
    if not events.can_organize(request):
        raise PermissionDenied(
            "Мероприятия проводят региональный координатор и методист, в муниципалитете — координатор."
        )


def _month(request, today: date) -> tuple[int, int]:
    try:
        year, month = int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month))
    except (TypeError, ValueError):
        return today.year, today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


@require_GET
@in_local_time
def event_list(request):
    organization = request.tenant
    today = timezone.localdate()
    year, month = _month(request, today)
    organizer = events.can_organize(request)
    context = {
        "weeks": events.month_grid(organization=organization, year=year, month=month, today=today),
        "month_label": f"{MONTHS[month - 1]} {year}",
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "this_month": (today.year, today.month),
        "weekdays": WEEKDAYS,
        "upcoming": events.upcoming_events(organization=organization),
        "can_organize": organizer,
        "own_events": events.organizer_events(organization=organization) if organizer else [],
        "summary": events.attendance_summary(organization=organization)
        if organization.level in events.ORGANIZERS
        else [],
    }
    return render(request, "regional/events/list.html", context)


def _form_page(request, form, *, event=None, status=200):
    return render(
        request,
        "regional/events/form.html",
        {"form": form, "event": event, "title": f"Изменение: {event.title}" if event else "Новое мероприятие"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@in_local_time
def event_create(request):
    _require_organizer(request)
    form = EventForm(request.POST or None, initial={"kind": Event.Kind.WEBINAR, "format": Event.Format.ONLINE})
    if request.method == "POST" and form.is_valid():
        try:
            event = events.event_create(actor=request.user, publisher=request.tenant, data=form.data_object())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Мероприятие «{event.title}» опубликовано.")
            return redirect("events:detail", event_id=event.pk)
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@in_local_time
def event_edit(request, event_id: int):
    _require_organizer(request)
    event = events.access_own_event(organization=request.tenant, event_id=event_id)
    form = EventForm(request.POST or None, initial=EventForm.initial_from(event))
    if request.method == "POST" and form.is_valid():
        try:
            events.event_update(actor=request.user, publisher=request.tenant, event=event, data=form.data_object())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("events:detail", event_id=event.pk)
    return _form_page(request, form, event=event, status=400 if request.method == "POST" else 200)


@require_POST
@in_local_time
def event_cancel(request, event_id: int):
    _require_organizer(request)
    event = events.access_own_event(organization=request.tenant, event_id=event_id)
    try:
        events.event_cancel(actor=request.user, publisher=request.tenant, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Мероприятие «{event.title}» отменено; участники увидят это в календаре.")
    return redirect("events:detail", event_id=event.pk)


def _may_register_staff(request) -> bool:
    return has_any_role(request, events.STAFF_REGISTRARS)


@require_GET
@in_local_time
def event_detail(request, event_id: int):
    organization = request.tenant
    event = events.access_event(organization=organization, event_id=event_id)
    is_organizer = event.publisher_id == organization.pk and events.can_organize(request)
    registrar = _may_register_staff(request)
    registrations = events.organization_registrations(event=event, organization=organization) if registrar else []
    registered_ids = {registration.user_id for registration in registrations}
    now = timezone.now()
    context = {
        "event": event,
        "mine": events.own_registration(event=event, user=request.user),
        "deadline": events.registration_deadline(event),
        "registration_open": not event.is_cancelled and now < events.registration_deadline(event),
        "has_started": now >= event.starts_at,
        "has_ended": now >= event.ends_at,
        "free": None if event.capacity is None else max(event.capacity - event.registered, 0),
        "is_organizer": is_organizer,
        "is_registrar": registrar,
        "staff_registrations": registrations,
        "staff_choices": [
            user for user in events.staff_users(organization=organization) if user.pk not in registered_ids
        ]
        if registrar
        else [],
        "groups": events.participants_by_organization(event) if is_organizer else [],
    }
    return render(request, "regional/events/detail.html", context)


@require_POST
@in_local_time
def event_register(request, event_id: int):
    organization = request.tenant
    event = events.access_event(organization=organization, event_id=event_id)
    user = request.user
    raw = request.POST.get("user", "")
    if raw not in ("", str(request.user.pk)):
        if not _may_register_staff(request):
            raise PermissionDenied("Регистрировать других сотрудников могут куратор и руководитель организации.")
        try:
            user = User.objects.filter(pk=int(raw)).first()
        except ValueError:
            user = None
        if user is None:
            messages.error(request, "Выберите сотрудника из списка.")
            return redirect("events:detail", event_id=event.pk)
    try:
        events.registration_create(actor=request.user, event=event, organization=organization, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        who = "Вы зарегистрированы" if user.pk == request.user.pk else f"{user.get_short_name()} зарегистрирован(а)"
        messages.success(request, f"{who} на мероприятие «{event.title}».")
    return redirect("events:detail", event_id=event.pk)


@require_POST
@in_local_time
def event_unregister(request, event_id: int):
    organization = request.tenant
    event = events.access_event(organization=organization, event_id=event_id)
    registration = events.registration_for_cancel(
        actor=request.user, organization=organization, event=event, registration_id=request.POST.get("registration")
    )
    try:
        events.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Регистрация отменена.")
    return redirect("events:detail", event_id=event.pk)


def _marks(post) -> dict[int, bool | None]:
    marks: dict[int, bool | None] = {}
    for name, value in post.items():
        if not name.startswith("attended-"):
            continue
        try:
            pk = int(name.removeprefix("attended-"))
        except ValueError:
            continue
        marks[pk] = {"yes": True, "no": False}.get(value)
    return marks


@require_POST
@in_local_time
def event_attendance(request, event_id: int):
    _require_organizer(request)
    event = events.access_own_event(organization=request.tenant, event_id=event_id)
    try:
        changed = events.attendance_mark(
            actor=request.user, publisher=request.tenant, event=event, marks=_marks(request.POST)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Присутствие отмечено (изменено отметок: {changed}).")
    return redirect(reverse("events:detail", kwargs={"event_id": event.pk}) + "#participants")


@require_GET
@in_local_time
def event_participants_xlsx(request, event_id: int):
    _require_organizer(request)
    event = events.access_own_event(organization=request.tenant, event_id=event_id)
    day = timezone.localtime(event.starts_at, events.zone_of(request.tenant)).date()
    return xlsx_response(f"Участники {day:%d.%m.%Y} {event.title[:60]}.xlsx", events.participants_sheets(event))
