"""API of the staff area: permission matrix per endpoint, create/update, import with its error report."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.db import connection

from institutional.models import Appointment, Staff, StaffListReview
from institutional.tests.staff_factories import csv_bytes, hr_row, make_staff
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

READERS = ("curator", "council_member", "director", "psychologist")
MANAGERS = ("curator", "council_member")


def in_school(world, function):
    connection.set_tenant(world.school_a)
    try:
        return function()
    finally:
        connection.set_schema_to_public()


def state():
    return (
        sorted(Staff.objects.values_list("id", "last_name", "position", "status", "user_id")),
        StaffListReview.objects.count(),
        Appointment.objects.count(),
    )


@pytest.fixture
def staff(world):
    return in_school(world, lambda: make_staff(personnel_number="100"))


def test_matrix_reads(world, client_on, staff):
    check_matrix(world, client_on, "get", "/api/v1/org/staff/", allowed=READERS, state=state)
    check_matrix(world, client_on, "get", f"/api/v1/org/staff/{staff.pk}/", allowed=READERS, state=state)
    check_matrix(world, client_on, "get", "/api/v1/org/staff/export/", allowed=READERS, state=state)
    check_matrix(
        world,
        client_on,
        "get",
        "/api/v1/org/staff/reviews/",
        allowed=("curator", "council_member", "director"),
        state=state,
    )
    check_matrix(
        world,
        client_on,
        "get",
        "/api/v1/org/staff/appointments/",
        allowed=("curator", "council_member", "director"),
        state=state,
    )


def test_matrix_writes(world, client_on, staff):
    body = {"last_name": "Апишина", "first_name": "Вера", "position": "Учитель", "hire_date": "2023-09-01"}
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/staff/",
        allowed=MANAGERS,
        state=state,
        data=body,
        content_type="application/json",
    )
    check_matrix(
        world,
        client_on,
        "patch",
        f"/api/v1/org/staff/{staff.pk}/",
        allowed=MANAGERS,
        state=state,
        data={"position": "Методист"},
        content_type="application/json",
    )
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/staff/reviews/",
        allowed=MANAGERS,
        state=state,
        data={"note": "ok"},
        content_type="application/json",
    )
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).position) == "Методист"
    assert in_school(world, lambda: Staff.objects.filter(last_name="Апишина").count()) == 2


def test_matrix_dismiss_and_appointments(world, client_on, staff):
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/staff/appointments/",
        allowed=("director",),
        roles=("council_member", "teacher", "psychologist", "director"),
        state=state,
        data={
            "staff": staff.pk,
            "role": "council_member",
            "order_number": "3",
            "order_date": "2025-08-01",
            "starts_on": "2025-09-01",
        },
        content_type="application/json",
    )
    appointment = in_school(world, Appointment.objects.get)
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/staff/appointments/{appointment.pk}/end/",
        allowed=("curator",),
        roles=("council_member", "teacher", "psychologist", "curator"),
        state=state,
        data={"ended_on": "2026-01-01"},
        content_type="application/json",
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/staff/{staff.pk}/dismiss/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist", "curator"),
        state=state,
        data={"dismissal_date": "2025-12-01"},
        content_type="application/json",
    )


def _file(content: bytes, name="staff.csv"):
    file = io.BytesIO(content)
    file.name = name
    return file


def test_matrix_import(world, client_on):
    content = csv_bytes([hr_row(1)])
    host = world.host(world.school_a)
    for user in (world.director_a, world.teacher_a, world.psychologist_a, world.teacher_b):
        assert client_on(host, user).post("/api/v1/org/staff/import/", {"file": _file(content)}).status_code == 404
    assert client_on(host).post("/api/v1/org/staff/import/", {"file": _file(content)}).status_code == 401
    assert in_school(world, Staff.objects.count) == 0

    response = client_on(host, world.curator_a).post("/api/v1/org/staff/import/", {"file": _file(content)})

    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "written": True}
    assert in_school(world, Staff.objects.count) == 1


def test_import_returns_the_error_report_and_writes_nothing(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)

    response = client.post(
        "/api/v1/org/staff/import/", {"file": _file(csv_bytes([hr_row(1), hr_row(2, **{"Стаж общий": "x"})]))}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 3
    assert response.json()["errors"][0]["column"] == "Стаж общий"
    assert in_school(world, Staff.objects.count) == 0


def test_import_dry_run_and_explicit_mapping(world, client_on):
    client = client_on(world.host(world.school_a), world.council_a)
    content = "Кто;Код;Пост;Когда\nЛебедева Алла;9;Учитель;01.09.2022\n".encode()
    mapping = json.dumps({"full_name": 0, "personnel_number": 1, "position": 2, "hire_date": 3})

    dry = client.post("/api/v1/org/staff/import/", {"file": _file(content), "mapping": mapping, "dry_run": "true"})
    assert dry.json() == {"created": 1, "updated": 0, "unchanged": 0, "written": False}
    assert in_school(world, Staff.objects.count) == 0

    real = client.post("/api/v1/org/staff/import/", {"file": _file(content), "mapping": mapping})
    assert real.json()["written"] is True
    assert in_school(world, lambda: Staff.objects.get().personnel_number) == "9"


def test_create_refuses_inconsistent_experience(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    body = {
        "last_name": "Ошибкина",
        "first_name": "Ада",
        "position": "Учитель",
        "hire_date": "2023-09-01",
        "birth_date": "2001-01-01",
        "total_experience_years": "30",
        "pedagogical_experience_years": "2",
    }

    response = client.post("/api/v1/org/staff/", body, content_type="application/json")

    assert response.status_code == 400
    assert "позволяет возраст" in response.json()["total_experience_years"][0]
    assert in_school(world, Staff.objects.count) == 0


def test_list_and_detail_show_the_derived_flag(world, client_on, staff):
    client = client_on(world.host(world.school_a), world.psychologist_a)

    listed = client.get("/api/v1/org/staff/").json()
    assert listed[0]["full_name"] == "Петрова Ольга Сергеевна"
    assert listed[0]["is_young_specialist"] is False
    assert client.get(f"/api/v1/org/staff/{staff.pk}/").json()["personnel_number"] == "100"
    assert client.get("/api/v1/org/staff/999999/").status_code == 404


def test_export_is_xlsx(world, client_on, staff):
    response = client_on(world.host(world.school_a), world.director_a).get("/api/v1/org/staff/export/")

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "100"
