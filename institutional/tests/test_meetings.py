"""Meetings and the mentor's hours ledger: rules, sums, XLSX, privacy of notes, permission matrix."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from institutional.dates import organization_today
from institutional.models import Meeting, MeetingAttendance
from institutional.selectors import meetings as selectors
from institutional.services.meetings import meeting_create
from institutional.tests.programs_factories import approved_pair, new_user
from tests.permissions import check_matrix


def log(pair, actor, days_ago=1, minutes=45, **extra):
    values = {"mode": "in_person", "topic": "Разбор урока", "notes": "Личное: трудности с классом"}
    values.update(extra)
    return meeting_create(
        actor=actor,
        pair=pair,
        held_on=organization_today() - timedelta(days=days_ago),
        duration_minutes=minutes,
        **values,
    )


def test_meeting_rules(world, in_school_a):
    pair = approved_pair(mentor_user=world.teacher_a)
    today = organization_today()
    for held_on, message in (
        (today + timedelta(days=1), "в будущем"),
        (pair.starts_on - timedelta(days=1), "вне срока наставничества"),
        (None, "Укажите дату"),
    ):
        with pytest.raises(ValidationError, match=message):
            meeting_create(actor=None, pair=pair, held_on=held_on, duration_minutes=30, mode="online", topic="Т")
    with pytest.raises(ValidationError) as error:
        meeting_create(actor=None, pair=pair, held_on=today, duration_minutes=3, mode="bad", topic=" ")
    assert set(error.value.message_dict) == {"duration_minutes", "mode", "topic"}
    assert Meeting.objects.count() == 0


def test_group_attendance_per_participant(world, in_school_a):
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[None, None, None])
    first, second, third = pair.participants.order_by("pk")
    meeting = log(pair, world.teacher_a, attendance={second.pk: False})
    marks = dict(MeetingAttendance.objects.filter(meeting=meeting).values_list("participant_id", "attended"))
    assert marks == {first.pk: True, second.pk: False, third.pk: True}


def test_ledger_sums_per_month_and_xlsx(world, in_school_a):
    pair = approved_pair(mentor_user=world.teacher_a, starts_days_ago=200)
    other = approved_pair(starts_days_ago=200)
    today = organization_today()
    day = today - timedelta(days=today.day)  # the last day of the previous month
    for minutes in (45, 50):
        meeting_create(actor=None, pair=pair, held_on=day, duration_minutes=minutes, mode="online", topic="Т")
    meeting_create(actor=None, pair=other, held_on=day, duration_minutes=90, mode="online", topic="Чужая")
    ledger = selectors.mentor_ledger(mentor=pair.mentor, year=day.year, month=day.month)
    assert len(ledger) == 1 and ledger[0].minutes == 95 and str(ledger[0].hours) == "1.6"
    year = selectors.mentor_ledger(mentor=pair.mentor, year=day.year)
    assert len(year) == 12 and sum(r.minutes for r in year) == 95
    from nastavnik.xlsx import workbook_bytes

    book = load_workbook(io.BytesIO(workbook_bytes(selectors.ledger_sheets(mentor=pair.mentor, ledger=ledger))))
    totals = list(book["Часы по месяцам"].iter_rows(values_only=True))
    assert totals[1][1:] == (2, 95, 1.6)
    assert totals[-1][0] == "Итого"
    details = list(book["Встречи"].iter_rows(values_only=True))
    assert len(details) == 3 and all(row[4] == "Т" for row in details[1:])


@pytest.fixture
def setup(world, in_school_a):
    mentee_user = new_user("Молодова")
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user])
    log(pair, world.teacher_a)
    return pair, mentee_user


def meeting_count():
    return Meeting.objects.count()


def test_meeting_pages_and_endpoints_matrix(world, client_on, setup):
    pair, _ = setup
    held = (organization_today() - timedelta(days=2)).isoformat()
    data = {"held_on": held, "duration_minutes": 40, "mode": "online", "kind": "regular", "topic": "Новая встреча"}
    allowed = ("curator", "council_member", "teacher")
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/programs/pair/{pair.pk}/meetings/new/",
        allowed=allowed,
        data=data,
        state=meeting_count,
    )
    check_matrix(world, client_on, "get", f"/org/programs/pair/{pair.pk}/meetings/new/", allowed=allowed)
    check_matrix(
        world,
        client_on,
        "get",
        f"/org/programs/pair/{pair.pk}/",
        allowed=("curator", "council_member", "director", "teacher"),
    )
    check_matrix(
        world,
        client_on,
        "get",
        f"/api/v1/org/programs/pairs/{pair.pk}/meetings/",
        allowed=("curator", "council_member", "director", "teacher"),
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/programs/pairs/{pair.pk}/meetings/",
        allowed=allowed,
        data=data,
        content_type="application/json",
        state=meeting_count,
    )


def test_hours_matrix(world, client_on, setup):
    everyone_but_psychologist = ("curator", "council_member", "director", "teacher")
    for path in (
        "/org/programs/hours/",
        "/org/programs/hours/xlsx/",
        "/api/v1/org/programs/hours/",
        "/api/v1/org/programs/hours/xlsx/",
    ):
        check_matrix(world, client_on, "get", path, allowed=everyone_but_psychologist)


def test_a_mentor_sees_only_their_own_ledger(world, client_on, setup):
    pair, _ = setup
    from django.db import connection

    connection.set_tenant(world.school_a)
    other = approved_pair(starts_days_ago=100)
    connection.set_schema_to_public()
    host = world.host(world.school_a)
    mentor = client_on(host, world.teacher_a)
    assert mentor.get(f"/org/programs/hours/?mentor={other.mentor_id}").status_code == 404
    response = mentor.get("/api/v1/org/programs/hours/")
    assert response.status_code == 200 and response.json()["mentor"] == pair.mentor_id
    curator = client_on(host, world.curator_a)
    assert curator.get(f"/org/programs/hours/?mentor={other.mentor_id}").status_code == 200
    xlsx = curator.get(f"/org/programs/hours/xlsx/?mentor={pair.mentor_id}")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Встречи" in book.sheetnames


def test_notes_are_private_to_the_pair_and_overseers(world, client_on, setup):
    pair, mentee_user = setup
    host = world.host(world.school_a)
    from django.db import connection

    from institutional.tests.programs_factories import grant
    from tenants.models import Role

    grant(mentee_user, world.school_a, Role.TEACHER)
    connection.set_schema_to_public()
    for user in (world.teacher_a, mentee_user, world.curator_a, world.director_a):
        page = client_on(host, user).get(f"/org/programs/pair/{pair.pk}/")
        assert "трудности с классом" in page.content.decode(), user
        api = client_on(host, user).get(f"/api/v1/org/programs/pairs/{pair.pk}/meetings/")
        assert api.json()[0]["notes"].endswith("трудности с классом")
    assert client_on(host, world.psychologist_a).get(f"/org/programs/pair/{pair.pk}/").status_code == 404
    assert (
        client_on(host, world.psychologist_a).get(f"/api/v1/org/programs/pairs/{pair.pk}/meetings/").status_code == 404
    )


def test_hours_stay_with_the_mentor_who_led_the_meeting_after_a_replacement(world, in_school_a):
    from institutional.services.pairs import Replacement, pair_replace_mentor
    from institutional.tests.pair_factories import make_mentor

    pair = approved_pair(mentor_user=world.teacher_a, starts_days_ago=200)
    previous = pair.mentor
    log(pair, world.teacher_a, days_ago=20, minutes=60)
    successor = make_mentor(last_name="Сменщикова")
    today = organization_today()
    pair_replace_mentor(
        actor=None,
        pair=pair,
        replacement=Replacement(
            new_mentor=successor,
            reason="request",
            order_number="31-к",
            order_date=today - timedelta(days=10),
        ),
    )
    pair.refresh_from_db()
    log(pair, None, days_ago=15, minutes=30)  # recorded late, held before the replacement
    log(pair, None, days_ago=5, minutes=90)

    def minutes_of(mentor):
        return sum(
            row.minutes
            for year in {(today - timedelta(days=d)).year for d in (5, 15, 20)}
            for row in selectors.mentor_ledger(mentor=mentor, year=year)
        )

    assert (minutes_of(previous), minutes_of(successor)) == (90, 90)
