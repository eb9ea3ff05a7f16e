"""The events calendar: who sees which event, registration and its refusals, attendance, the XLSX list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from regional import events
from regional.models import Event, EventRegistration
from tenants import services as tenant_services
from tenants.models import Level, OrganizationKind, Role, User


def provision(code, level, parent, kind=""):
    return tenant_services.organization_provision(
        actor=None,
        data=tenant_services.OrganizationData(
            code=code, level=level, parent_code=parent, kind=kind, full_name=f"Организация {code}", short_name=code
        ),
    )


def member(role, organization, local, last_name="Участникова"):
    account = User.objects.create_user(
        email=f"{local}@test.test", password="Correct-Horse-42", last_name=last_name, first_name="Анна"
    )
    tenant_services.membership_grant(actor=None, user=account, organization=organization, role=role)
    return account


def event_data(title="Вебинар для наставников", *, days=7, hours=2, **extra) -> events.EventData:
    starts_at = timezone.now() + timedelta(days=days)
    values = {
        "kind": Event.Kind.WEBINAR,
        "title": title,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "format": Event.Format.ONLINE,
        "place": "https://webinar.example/room",
    }
    values.update(extra)
    return events.EventData(**values)


def started(event, *, hours_ago=1):
    """Time passes: the event began `hours_ago` hours ago (the services refuse to create past events)."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=hours_ago), ends_at=now + timedelta(hours=1), registration_until=None
    )
    event.refresh_from_db()
    return event


@pytest.fixture
def elsewhere(world):
    mun2 = provision("t-mun2", Level.MUNICIPALITY, "t-region")
    school_c = provision("t-school-c", Level.ORGANIZATION, "t-mun2", OrganizationKind.SCHOOL)
    college = provision("t-college", Level.ORGANIZATION, "t-region", OrganizationKind.COLLEGE)
    return mun2, school_c, college


@pytest.fixture
def both(world):
    regional = events.event_create(
        actor=world.coordinator, publisher=world.region, data=event_data("Региональный вебинар")
    )
    municipal = events.event_create(
        actor=world.municipal,
        publisher=world.municipality,
        data=event_data("Семинар муниципалитета", days=3, format=Event.Format.OFFLINE, place="Актовый зал"),
    )
    return regional, municipal


def registrations():
    return list(EventRegistration.objects.order_by("pk").values_list("pk", "event_id", "user_id", "attended"))


# --- visibility -------------------------------------------------------------------------------------


def test_each_level_sees_its_region_s_events_and_its_own_municipality_s(world, both, elsewhere):
    regional, municipal = both
    mun2, school_c, college = elsewhere

    def seen(organization):
        return {event.pk for event in events.event_list(organization=organization)}

    for organization in (world.region, world.municipality, world.school_a, world.school_b):
        assert seen(organization) == {regional.pk, municipal.pk}
    for organization in (mun2, school_c, college):
        assert seen(organization) == {regional.pk}


def test_pages_show_the_calendar_and_hide_another_municipality_s_events(world, client_on, both, elsewhere):
    regional, municipal = both
    _, school_c, _ = elsewhere
    teacher_c = member(Role.TEACHER, school_c, "teacher-c")
    page = client_on(world.host(world.school_a), world.teacher_a).get("/events/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="event-calendar"' in text
    assert "Региональный вебинар" in text and "Семинар муниципалитета" in text
    other = client_on(world.host(school_c), teacher_c)
    text = other.get("/events/").content.decode()
    assert "Региональный вебинар" in text and "Семинар муниципалитета" not in text
    assert other.get(f"/events/{municipal.pk}/").status_code == 404
    assert other.get(f"/api/v1/events/{municipal.pk}/").status_code == 404
    assert {row["id"] for row in other.get("/api/v1/events/").json()} == {regional.pk}
    # The month grid navigates, and garbage falls back to the current month.
    later = regional.starts_at + timedelta(days=40)
    response = other.get(f"/events/?year={later.year}&month={later.month}")
    assert response.status_code == 200
    assert other.get("/events/?year=двадцать&month=13").status_code == 200


def test_the_month_grid_places_an_event_on_its_days(world, both):
    regional, _ = both
    local = timezone.localtime(regional.starts_at, events.zone_of(world.school_a))
    weeks = events.month_grid(organization=world.school_a, year=local.year, month=local.month)
    days = [cell for week in weeks for cell in week if regional in cell.events]
    assert [cell.day for cell in days] == [local.date()]
    assert all(len(week) == 7 for week in weeks) and weeks[0][0].day.weekday() == 0


# --- organizing -------------------------------------------------------------------------------------


def test_organizers_create_edit_and_cancel_through_the_pages(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)
    start = timezone.localtime(timezone.now() + timedelta(days=10), events.zone_of(world.municipality))
    form = {
        "kind": Event.Kind.SEMINAR,
        "title": "Практикум наставников",
        "starts_at": start.strftime("%Y-%m-%dT10:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "format": Event.Format.OFFLINE,
        "place": "",
        "capacity": "30",
    }
    response = client.post("/events/new/", form)
    assert response.status_code == 400 and "Укажите место проведения" in response.content.decode()
    assert not Event.objects.exists()
    form["place"] = "Гимназия № 1, актовый зал"
    response = client.post("/events/new/", form)
    event = Event.objects.get()
    assert response.status_code == 302 and event.publisher_id == world.municipality.pk
    assert timezone.localtime(event.starts_at, events.zone_of(world.municipality)).strftime("%H:%M") == "10:00"
    form["title"] = "Практикум наставников молодых педагогов"
    assert client.post(f"/events/{event.pk}/edit/", form).status_code == 302
    event.refresh_from_db()
    assert event.title == "Практикум наставников молодых педагогов"
    assert client.post(f"/events/{event.pk}/cancel/").status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert client.post(f"/events/{event.pk}/edit/", form).status_code == 400
    # Nobody else may organize, and another level's event is not found.
    school = client_on(world.host(world.school_a), world.curator_a)
    assert school.get("/events/new/").status_code == 404
    assert school.post(f"/events/{event.pk}/cancel/").status_code == 404
    region = client_on(world.host(world.region), world.coordinator)
    assert region.post(f"/events/{event.pk}/cancel/").status_code == 404
    assert region.get(f"/events/{event.pk}/").status_code == 200  # the region sees its municipalities' events


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "nonsense"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"starts_at": timezone.now() - timedelta(days=1)}, "starts_at"),
        ({"ends_at": timezone.now() + timedelta(days=6)}, "ends_at"),
        ({"registration_until": timezone.now() + timedelta(days=30)}, "registration_until"),
    ],
)
def test_bad_event_data_is_refused_and_nothing_is_written(world, changes, field):
    data = event_data()
    for name, value in changes.items():
        setattr(data, name, value)
    with pytest.raises(ValidationError) as error:
        events.event_create(actor=None, publisher=world.region, data=data)
    assert field in error.value.message_dict
    assert not Event.objects.exists()
    with pytest.raises(ValidationError, match="регион и муниципалитеты"):
        events.event_create(actor=None, publisher=world.school_a, data=event_data())


# --- registration -----------------------------------------------------------------------------------


def test_members_register_themselves_and_curators_register_their_staff(world, both, client_on):
    regional, municipal = both
    teacher = client_on(world.host(world.school_a), world.teacher_a)
    assert teacher.post(f"/events/{regional.pk}/register/").status_code == 302
    registration = EventRegistration.objects.get(event=regional, user=world.teacher_a)
    assert registration.organization_id == world.school_a.pk and registration.registered_by_id == world.teacher_a.pk
    curator = client_on(world.host(world.school_a), world.curator_a)
    assert curator.post(f"/events/{municipal.pk}/register/", {"user": world.psychologist_a.pk}).status_code == 302
    staff = EventRegistration.objects.get(event=municipal, user=world.psychologist_a)
    assert staff.registered_by_id == world.curator_a.pk
    page = curator.get(f"/events/{municipal.pk}/").content.decode()
    assert "Психологова" in page and 'data-testid="register-staff"' in page
    # A teacher may not register a colleague.
    before = registrations()
    assert teacher.post(f"/events/{municipal.pk}/register/", {"user": world.council_a.pk}).status_code == 403
    assert registrations() == before
    # Cancel one's own registration before the start.
    assert teacher.post(f"/events/{regional.pk}/unregister/").status_code == 302
    assert not EventRegistration.objects.filter(event=regional, user=world.teacher_a).exists()
    # The curator cancels the registration of their staff.
    assert curator.post(f"/events/{municipal.pk}/unregister/", {"registration": staff.pk}).status_code == 302
    assert not EventRegistration.objects.filter(pk=staff.pk).exists()


def _refused(message, **kwargs):
    before = registrations()
    with pytest.raises(ValidationError) as error:
        events.registration_create(**kwargs)
    assert message in " ".join(error.value.messages)
    assert registrations() == before


def test_every_refusal_says_why_and_changes_nothing(world, both, elsewhere):
    regional, municipal = both
    _, school_c, _ = elsewhere
    teacher_c = member(Role.TEACHER, school_c, "teacher-c")
    # Not visible to that organization.
    _refused("не проводится для вашей организации", actor=teacher_c, event=municipal, organization=school_c)
    # Duplicate.
    events.registration_create(actor=world.teacher_a, event=regional, organization=world.school_a)
    _refused("Вы уже зарегистрированы", actor=world.teacher_a, event=regional, organization=world.school_a)
    _refused(
        "уже зарегистрирован(а)",
        actor=world.curator_a,
        event=regional,
        organization=world.school_a,
        user=world.teacher_a,
    )
    # Staff of another organization, and a colleague registered by someone who is not a curator.
    _refused(
        "только сотрудника своей организации",
        actor=world.curator_a,
        event=regional,
        organization=world.school_a,
        user=world.teacher_b,
    )
    _refused(
        "куратор и руководитель",
        actor=world.council_a,
        event=regional,
        organization=world.school_a,
        user=world.psychologist_a,
    )
    # Full.
    small = events.event_create(actor=None, publisher=world.region, data=event_data("Малый семинар", capacity=1))
    events.registration_create(actor=world.teacher_b, event=small, organization=world.school_b)
    _refused("Свободных мест нет", actor=world.curator_a, event=small, organization=world.school_a)
    # Past the deadline.
    closing = events.event_create(
        actor=None,
        publisher=world.region,
        data=event_data("Конференция", registration_until=timezone.now() + timedelta(hours=1)),
    )
    Event.objects.filter(pk=closing.pk).update(registration_until=timezone.now() - timedelta(minutes=1))
    _refused("Регистрация закончилась", actor=world.curator_a, event=closing, organization=world.school_a)
    # Cancelled.
    events.event_cancel(actor=None, publisher=world.region, event=regional)
    _refused("отменено", actor=world.curator_a, event=regional, organization=world.school_a)
    # Cancelling a registration after the start.
    mine = EventRegistration.objects.get(event=small, user=world.teacher_b)
    started(small)
    before = registrations()
    with pytest.raises(ValidationError, match="уже началось"):
        events.registration_cancel(actor=world.teacher_b, registration=EventRegistration.objects.get(pk=mine.pk))
    with pytest.raises(ValidationError, match="только свою регистрацию"):
        events.registration_cancel(actor=world.teacher_a, registration=EventRegistration.objects.get(pk=mine.pk))
    assert registrations() == before


def test_refusals_reach_the_page_and_the_api_as_messages(world, both, client_on):
    regional, _ = both
    events.event_cancel(actor=None, publisher=world.region, event=regional)
    client = client_on(world.host(world.school_a), world.teacher_a)
    response = client.post(f"/events/{regional.pk}/register/", follow=True)
    assert "Мероприятие отменено: регистрация закрыта." in response.content.decode()
    api = client.post(f"/api/v1/events/{regional.pk}/register/", {}, content_type="application/json")
    assert api.status_code == 400 and "Мероприятие отменено" in api.json()["detail"][0]
    assert not EventRegistration.objects.exists()


# --- attendance and the list ------------------------------------------------------------------------


def test_attendance_is_marked_only_by_the_organizer_after_the_start(world, both, client_on):
    regional, _ = both
    first = events.registration_create(actor=world.teacher_a, event=regional, organization=world.school_a)
    second = events.registration_create(actor=world.teacher_b, event=regional, organization=world.school_b)
    coordinator = client_on(world.host(world.region), world.coordinator)
    marks = {f"attended-{first.pk}": "yes", f"attended-{second.pk}": "no"}
    response = coordinator.post(f"/events/{regional.pk}/attendance/", marks, follow=True)
    assert "после начала мероприятия" in response.content.decode()
    assert registrations() == [
        (first.pk, regional.pk, world.teacher_a.pk, None),
        (second.pk, regional.pk, world.teacher_b.pk, None),
    ]
    started(regional)
    for host, user in (
        (world.host(world.municipality), world.municipal),
        (world.host(world.school_a), world.curator_a),
        (world.host(world.school_a), world.director_a),
    ):
        client = client_on(host, user)
        assert client.post(f"/events/{regional.pk}/attendance/", marks).status_code == 404
        assert client.get(f"/events/{regional.pk}/participants.xlsx").status_code == 404
        assert (
            client.post(
                f"/api/v1/events/{regional.pk}/attendance/",
                {"marks": [{"registration_id": first.pk, "attended": True}]},
                content_type="application/json",
            ).status_code
            == 404
        )
    with pytest.raises(ValidationError, match="только организатор"):
        events.attendance_mark(actor=world.municipal, publisher=world.municipality, event=regional, marks={})
    assert all(row[3] is None for row in registrations())

    assert coordinator.post(f"/events/{regional.pk}/attendance/", marks).status_code == 302
    assert dict(EventRegistration.objects.values_list("pk", "attended")) == {first.pk: True, second.pk: False}
    api = coordinator.post(
        f"/api/v1/events/{regional.pk}/attendance/",
        {"marks": [{"registration_id": second.pk, "attended": True}, {"registration_id": 999999, "attended": True}]},
        content_type="application/json",
    )
    assert api.status_code == 400 and EventRegistration.objects.get(pk=second.pk).attended is False
    page = coordinator.get(f"/events/{regional.pk}/").content.decode()
    assert "t-school-a" in page and "t-school-b" in page and "присутствовало 1" in page
    # Above the organizer: counts only.
    summary = {
        event.pk: (event.registered, event.attended) for event in events.attendance_summary(organization=world.region)
    }
    assert summary[regional.pk] == (2, 1)
    participants = coordinator.get(f"/api/v1/events/{regional.pk}/participants/").json()
    assert {row["organization_name"] for row in participants} == {"t-school-a", "t-school-b"}


def test_the_participants_xlsx_lists_everyone_by_organization(world, both, client_on):
    regional, _ = both
    events.registration_create(actor=world.teacher_a, event=regional, organization=world.school_a)
    events.registration_create(
        actor=world.curator_a, event=regional, organization=world.school_a, user=world.psychologist_a
    )
    events.registration_create(actor=world.teacher_b, event=regional, organization=world.school_b)
    started(regional)
    teacher_a = EventRegistration.objects.get(user=world.teacher_a)
    events.attendance_mark(actor=world.coordinator, publisher=world.region, event=regional, marks={teacher_a.pk: True})
    response = client_on(world.host(world.region), world.coordinator).get(f"/events/{regional.pk}/participants.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Участники"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(events.PARTICIPANT_HEADERS)
    body = [(row[0], row[1], row[2], row[4], row[5]) for row in rows[1:]]
    assert body == [
        ("t-school-a", "t-mun", "Педагогова Мария Ивановна", "Педагогова Мария Ивановна", "присутствовал(а)"),
        ("t-school-a", "t-mun", "Психологова Мария Ивановна", "Кураторова Мария Ивановна", "не отмечено"),
        ("t-school-b", "t-mun", "Учителева Мария Ивановна", "Учителева Мария Ивановна", "не отмечено"),
    ]
    totals = [[cell.value for cell in row] for row in workbook["По организациям"].iter_rows()]
    assert totals[1:] == [["t-school-a", 2, 1], ["t-school-b", 1, 0]]


def test_the_api_lists_registers_and_unregisters(world, both, client_on):
    regional, municipal = both
    client = client_on(world.host(world.school_a), world.teacher_a)
    listed = client.get("/api/v1/events/?upcoming=1").json()
    assert [row["id"] for row in listed] == [municipal.pk, regional.pk]
    response = client.post(f"/api/v1/events/{regional.pk}/register/", {}, content_type="application/json")
    assert response.status_code == 201 and response.json()["is_registered"] is True
    assert response.json()["registered"] == 1
    assert (
        client.post(f"/api/v1/events/{regional.pk}/unregister/", {}, content_type="application/json").status_code == 204
    )
    assert not EventRegistration.objects.exists()
    forbidden = client.post(
        f"/api/v1/events/{regional.pk}/register/", {"user_id": world.council_a.pk}, content_type="application/json"
    )
    assert forbidden.status_code == 403 and not EventRegistration.objects.exists()
    created = client_on(world.host(world.region), world.coordinator).post(
        "/api/v1/events/",
        {
            "kind": "conference",
            "title": "Конференция наставников",
            "starts_at": (timezone.now() + timedelta(days=20)).isoformat(),
            "ends_at": (timezone.now() + timedelta(days=20, hours=6)).isoformat(),
            "format": "mixed",
            "place": "",
        },
        content_type="application/json",
    )
    assert created.status_code == 400 and "place" in created.json()
    assert client.post("/api/v1/events/", {}, content_type="application/json").status_code == 404


# --- demo data --------------------------------------------------------------------------------------


def test_demo_events_around_today_are_seeded_once(world):
    from fixtures import events_demo
    from fixtures.demo import REGION_CODE, seed_demo

    seed_demo(orgs=2, staff_per_org=30)
    lines = events_demo.seed()
    assert len(lines) == len(events_demo.DEMO_EVENTS)
    region = events.Event.objects.filter(publisher__code=REGION_CODE)
    municipal = events.Event.objects.filter(publisher__code="kamyshin")
    assert region.count() == 3 and municipal.count() == 2
    now = timezone.now()
    past = region.get(starts_at__lt=now)
    assert past.ends_at < now
    marks = list(EventRegistration.objects.filter(event=past).order_by("pk").values_list("attended", flat=True))
    assert marks == [True, True, False]
    assert EventRegistration.objects.filter(event__starts_at__gt=now).exists()
    before = (events.Event.objects.count(), registrations())
    assert events_demo.seed() == []
    assert (events.Event.objects.count(), registrations()) == before
