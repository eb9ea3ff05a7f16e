"""Appointments of the curator and council by order, the role they grant, and the yearly reminder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutional.models import Appointment, Notification, Staff, StaffListReview
from institutional.services.appointments import appointment_create, appointment_end
from institutional.services.staff import staff_dismiss, staff_list_review_record
from institutional.tasks import staff_list_review_remind, staff_list_review_remind_all
from institutional.tests.staff_factories import make_staff
from tenants.models import Membership, Role
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

ORDER = {"order_number": "15-к", "order_date": date(2025, 8, 25), "starts_on": date(2025, 9, 1)}


def appoint(staff, role=Appointment.Role.CURATOR, **overrides):
    return appointment_create(actor=None, staff=staff, role=role, **{**ORDER, **overrides})


def roles_of(user, organization):
    return set(
        Membership.objects.filter(user=user, organization=organization, is_active=True).values_list("role", flat=True)
    )


def test_appointing_a_linked_person_grants_the_role_and_ending_revokes_it(world, in_school_a):
    staff = make_staff(email="teacher-a@test.test")
    assert staff.user_id == world.teacher_a.pk

    appointment = appoint(staff, Appointment.Role.COUNCIL_MEMBER)
    assert Role.COUNCIL_MEMBER in roles_of(world.teacher_a, world.school_a)

    appointment_end(actor=None, appointment=appointment, ended_on=date(2026, 1, 1))
    assert Role.COUNCIL_MEMBER not in roles_of(world.teacher_a, world.school_a)
    assert Role.TEACHER in roles_of(world.teacher_a, world.school_a)


def test_a_dismissed_person_cannot_be_appointed(in_school_a):
    staff = make_staff()
    staff_dismiss(actor=None, staff=staff, dismissal_date=date(2024, 6, 30))

    with pytest.raises(ValidationError, match="не работает в организации"):
        appoint(staff)
    assert Appointment.objects.count() == 0


def test_only_one_current_curator(in_school_a):
    first, second = make_staff(), make_staff(last_name="Второва")
    appointment = appoint(first)

    with pytest.raises(ValidationError, match="Куратор уже назначен"):
        appoint(second)
    appointment_end(actor=None, appointment=appointment, ended_on=date(2026, 1, 1))
    appoint(second)
    assert Appointment.objects.filter(ended_on__isnull=True, role="curator").get().staff == second


def test_several_council_members_but_not_the_same_one_twice(in_school_a):
    first, second = make_staff(), make_staff(last_name="Второва")
    appoint(first, Appointment.Role.COUNCIL_MEMBER)
    appoint(second, Appointment.Role.COUNCIL_MEMBER)

    with pytest.raises(ValidationError, match="уже назначен"):
        appoint(first, Appointment.Role.COUNCIL_MEMBER)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"order_number": ""}, "order_number"),
        ({"order_date": None}, "order_date"),
        ({"order_date": date.today() + timedelta(days=10)}, "order_date"),
        ({"starts_on": date(2025, 8, 1)}, "starts_on"),
    ],
)
def test_an_appointment_needs_a_valid_order(in_school_a, overrides, field):
    with pytest.raises(ValidationError) as error:
        appoint(make_staff(), **overrides)
    assert field in error.value.message_dict
    assert Appointment.objects.count() == 0


def test_an_end_before_the_start_is_refused(in_school_a):
    appointment = appoint(make_staff())
    with pytest.raises(ValidationError, match="раньше даты начала"):
        appointment_end(actor=None, appointment=appointment, ended_on=date(2025, 1, 1))


def test_dismissal_ends_current_appointments(world, in_school_a):
    staff = make_staff(email="teacher-a@test.test")
    appoint(staff)

    staff_dismiss(actor=None, staff=staff, dismissal_date=date(2025, 12, 31))

    assert Appointment.objects.get().ended_on == date(2025, 12, 31)
    assert Role.CURATOR not in roles_of(world.teacher_a, world.school_a)


# --- pages ----------------------------------------------------------------------------------------


def _in_school(world, function):
    connection.set_tenant(world.school_a)
    try:
        return function()
    finally:
        connection.set_schema_to_public()


def _state():
    return sorted(Appointment.objects.values_list("id", "staff_id", "role", "ended_on")), sorted(
        Membership.objects.filter(is_active=True).values_list("user_id", "role")
    )


def test_matrix_appointment_pages(world, client_on):
    staff = _in_school(world, lambda: make_staff())
    check_matrix(
        world,
        client_on,
        "get",
        "/org/staff/appointments/",
        allowed=("curator", "council_member", "director"),
        state=_state,
    )
    data = {
        "staff": staff.pk,
        "role": "council_member",
        "order_number": "7",
        "order_date": "2025-08-20",
        "starts_on": "2025-09-01",
    }
    check_matrix(
        world,
        client_on,
        "post",
        "/org/staff/appointments/new/",
        allowed=("director",),
        roles=("council_member", "teacher", "psychologist", "director"),
        state=_state,
        data=data,
    )
    appointment = _in_school(world, Appointment.objects.get)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/staff/appointments/{appointment.pk}/end/",
        allowed=("curator",),
        roles=("council_member", "teacher", "psychologist", "curator"),
        state=_state,
        data={"ended_on": "2026-01-01"},
    )
    assert _in_school(world, lambda: Appointment.objects.get().ended_on) == date(2026, 1, 1)


def test_the_page_refuses_a_dismissed_person_with_a_message(world, client_on):
    staff = _in_school(world, lambda: make_staff())
    _in_school(
        world, lambda: staff_dismiss(actor=None, staff=Staff.objects.get(pk=staff.pk), dismissal_date=date(2024, 1, 9))
    )
    data = {
        "staff": staff.pk,
        "role": "curator",
        "order_number": "7",
        "order_date": "2025-08-20",
        "starts_on": "2025-09-01",
    }

    response = client_on(world.host(world.school_a), world.director_a).post("/org/staff/appointments/new/", data)

    assert response.status_code == 400
    assert "не работает в организации" in response.content.decode()
    assert _in_school(world, Appointment.objects.count) == 0


# --- yearly reminder --------------------------------------------------------------------------------


def test_the_reminder_goes_once_to_each_curator_when_the_review_is_overdue(world, in_school_a):
    assert staff_list_review_remind() == 1
    assert staff_list_review_remind() == 0  # safe to run twice

    notification = Notification.objects.get()
    assert notification.user_id == world.curator_a.pk
    assert notification.key.startswith("staff-list-review:")
    assert notification.url == "/org/staff/"


def test_no_reminder_after_a_recent_review(world, in_school_a):
    staff_list_review_record(actor=world.curator_a, note="")

    assert staff_list_review_remind() == 0
    assert Notification.objects.count() == 0


def test_a_review_older_than_a_year_is_overdue_again(world, in_school_a):
    staff_list_review_record(actor=world.curator_a, note="")
    StaffListReview.objects.update(reviewed_on=date.today() - timedelta(days=366))

    assert staff_list_review_remind() == 1


def test_the_fan_out_sends_one_task_per_organization(world, monkeypatch):
    sent = []
    monkeypatch.setattr(staff_list_review_remind, "delay", lambda: sent.append(connection.schema_name))

    count = staff_list_review_remind_all()

    assert count == len(sent) >= 4
    assert world.school_a.schema_name in sent and "public" not in sent


def test_beat_runs_the_fan_out_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["staff-list-review-remind-all"]
    assert entry["task"] == staff_list_review_remind_all.name
    assert entry["schedule"].hour == {7}
