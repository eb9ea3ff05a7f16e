"""API of the municipality's mentor base: list with filters, detail, verify, categories, export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from openpyxl import load_workbook

from municipal import services
from municipal.models import MentorCategory, MentorVerification
from municipal.tests.factories import bank_mentor
from tenants.models import AuditEvent


@pytest.fixture
def api(world, client_on):
    return client_on(world.host(world.municipality), world.municipal)


@pytest.fixture
def mentors(world):
    return (
        bank_mentor(world.school_a, full_name="Алексеева Ольга Ивановна", subjects=["Математика"]),
        bank_mentor(world.school_b, full_name="Борисов Павел Андреевич", subjects=["История"], tags=["музей"]),
    )


def test_the_list_returns_the_base_with_filters(world, api, mentors):
    everyone = api.get("/api/v1/base/mentors/").json()
    assert [item["full_name"] for item in everyone] == ["Алексеева Ольга Ивановна", "Борисов Павел Андреевич"]
    assert everyone[0]["organization"] == {"id": world.school_a.pk, "short_name": world.school_a.short_name}
    assert everyone[0]["status"] == "unverified"
    assert everyone[0]["status_label"] == "Не проверен"
    assert everyone[0]["verification"] is None
    assert everyone[0]["pedagogical_experience_years"] == "12.5"

    by_subject = api.get("/api/v1/base/mentors/", {"subject": "история"}).json()
    assert [item["id"] for item in by_subject] == [mentors[1].pk]
    by_organization = api.get("/api/v1/base/mentors/", {"organization": world.school_a.pk}).json()
    assert [item["id"] for item in by_organization] == [mentors[0].pk]
    assert api.get("/api/v1/base/mentors/", {"status": "verified"}).json() == []


def test_verify_records_and_replaces_the_verification(world, api, mentors):
    category = api.post("/api/v1/base/categories/", {"title": "ЕГЭ"}, content_type="application/json").json()
    url = f"/api/v1/base/mentors/{mentors[0].pk}/verify/"

    first = api.post(
        url,
        {"status": "verified", "categories": [category["id"]], "tags": ["#Эксперт"]},
        content_type="application/json",
    )
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "verified"
    assert body["verification"]["categories"] == [{"id": category["id"], "title": "ЕГЭ", "description": ""}]
    assert body["verification"]["tags"] == ["эксперт"]
    assert body["verification"]["verified_by"] == world.municipal.get_full_name()

    second = api.post(url, {"status": "needs_changes", "note": "Уточнить стаж"}, content_type="application/json")
    assert second.json()["verification"]["note"] == "Уточнить стаж"
    assert MentorVerification.objects.count() == 1
    detail = api.get(f"/api/v1/base/mentors/{mentors[0].pk}/").json()
    assert detail["status"] == "needs_changes"
    assert detail["verification"]["categories"] == []


def test_verdicts_go_into_the_audit_trail_with_who_gave_them(world, api, mentors):
    url = f"/api/v1/base/mentors/{mentors[0].pk}/verify/"
    assert api.post(url, {"status": "verified"}, content_type="application/json").status_code == 200
    second = api.post(url, {"status": "needs_changes", "note": "Уточнить стаж"}, content_type="application/json")
    assert second.status_code == 200

    connection.set_schema_to_public()  # the trail of public tables is the public schema's
    verification = MentorVerification.objects.get()
    events = list(
        AuditEvent.objects.filter(table_name="municipal_mentorverification", row_id=str(verification.pk)).order_by("id")
    )
    assert [event.action for event in events] == ["I", "U"]
    assert {event.actor_id for event in events} == {world.municipal.pk}
    assert events[1].changes["status"] == ["verified", "needs_changes"]
    assert events[1].changes["note"] == ["", "Уточнить стаж"]


def test_verify_refuses_bad_input_with_russian_messages_and_changes_nothing(world, api, mentors):
    url = f"/api/v1/base/mentors/{mentors[0].pk}/verify/"

    too_long = api.post(url, {"status": "verified", "tags": ["т" * 61]}, content_type="application/json")
    assert too_long.status_code == 400
    assert "длиннее 60 символов" in too_long.json()["tags"][0]
    no_note = api.post(url, {"status": "needs_changes"}, content_type="application/json")
    assert no_note.json() == {"note": ["Укажите в примечании, что нужно уточнить."]}
    foreign = api.post(url, {"status": "verified", "categories": [999999999]}, content_type="application/json")
    assert foreign.status_code == 400 and "categories" in foreign.json()
    assert not MentorVerification.objects.exists()


def test_categories_list_create_rename_delete(world, api, mentors):
    created = api.post("/api/v1/base/categories/", {"title": "ЕГЭ"}, content_type="application/json")
    assert created.status_code == 201
    duplicate = api.post("/api/v1/base/categories/", {"title": " егэ "}, content_type="application/json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"title": ["Категория «егэ» уже есть."]}

    category_id = created.json()["id"]
    services.mentor_verify(
        actor=world.municipal,
        municipality=world.municipality,
        bank_mentor=mentors[0],
        status="verified",
        category_ids=[category_id],
    )
    assert api.get("/api/v1/base/categories/").json() == [
        {"id": category_id, "title": "ЕГЭ", "description": "", "mentor_count": 1}
    ]
    renamed = api.patch(
        f"/api/v1/base/categories/{category_id}/", {"title": "ЕГЭ и ОГЭ"}, content_type="application/json"
    )
    assert renamed.json()["title"] == "ЕГЭ и ОГЭ"
    assert api.delete(f"/api/v1/base/categories/{category_id}/").status_code == 204
    assert not MentorCategory.objects.exists()


def test_the_export_is_an_xlsx_of_the_filtered_base(world, api, mentors):
    response = api.get("/api/v1/base/export.xlsx", {"q": "Борисов"})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Борисов Павел Андреевич"]
