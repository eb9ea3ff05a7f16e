"""Pages and endpoints of programs: permission matrix (nothing changes on refusal), flows, DOCX download."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from institutional.dates import organization_today
from institutional.models import Program, ProgramActivity, ProgramChange
from institutional.services import programs as services
from institutional.tests.programs_factories import approved_pair, grant, new_user, plan, program_data
from nastavnik.documents import document_text
from tenants.models import Role
from tests.permissions import check_matrix

OVERSEERS_AND_MENTOR = ("curator", "council_member", "director", "teacher")
DRAFTERS = ("curator", "council_member", "teacher")


@pytest.fixture
def objects(world, in_school_a):
    mentee_user = new_user("Молодова")
    grant(mentee_user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user])
    empty_pair = approved_pair(mentor_user=None, mentee_users=[None])
    program = services.program_create(actor=None, pair=pair, data=program_data(pair), activities=plan(pair))
    return pair, empty_pair, program, mentee_user


def state():
    return (
        list(Program.objects.order_by("pk").values_list("pk", "status", "title", "ends_on", "mentee_comment")),
        list(ProgramActivity.objects.order_by("pk").values_list("pk", "title", "done_on")),
        list(ProgramChange.objects.order_by("pk").values_list("pk", "applied_at", "rejected_at")),
    )


def form_post(pair):
    data = program_data(pair)
    data["starts_on"] = data["starts_on"].isoformat()
    data["ends_on"] = data["ends_on"].isoformat()
    data["activities"] = "\n".join(f"{a['due_on']:%d.%m.%Y} | {a['title']}" for a in plan(pair))
    return data


def test_reading_matrix(world, client_on, objects):
    _pair, _, program, _ = objects
    everyone = ("curator", "council_member", "director", "teacher", "psychologist")
    check_matrix(world, client_on, "get", "/org/programs/", allowed=everyone)
    check_matrix(world, client_on, "get", "/api/v1/org/programs/", allowed=everyone)
    for path in (
        f"/org/programs/{program.pk}/",
        f"/org/programs/{program.pk}/docx/",
        f"/api/v1/org/programs/{program.pk}/",
    ):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS_AND_MENTOR)


def test_drafting_matrix(world, client_on, objects):
    pair, empty_pair, program, _ = objects
    check_matrix(
        world, client_on, "get", f"/org/programs/pair/{empty_pair.pk}/new/", allowed=("curator", "council_member")
    )
    check_matrix(world, client_on, "get", f"/org/programs/{program.pk}/edit/", allowed=DRAFTERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/programs/{program.pk}/edit/",
        allowed=DRAFTERS,
        data=form_post(pair) | {"title": "Новое название"},
        state=None,
    )
    connection.set_tenant(world.school_a)
    assert Program.objects.get(pk=program.pk).title == "Новое название"
    connection.set_schema_to_public()
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/programs/pair/{empty_pair.pk}/new/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist"),
        data=form_post(empty_pair),
        state=state,
    )


def test_page_flow_submit_return_confirm(world, client_on, objects):
    _pair, _, program, mentee_user = objects
    host = world.host(world.school_a)
    mentor, mentee, curator = (client_on(host, u) for u in (world.teacher_a, mentee_user, world.curator_a))
    # The mentee and the curator cannot submit; the psychologist cannot even see it.
    assert mentee.post(f"/org/programs/{program.pk}/submit/").status_code == 403
    assert client_on(host, world.psychologist_a).post(f"/org/programs/{program.pk}/submit/").status_code == 404
    assert mentor.post(f"/org/programs/{program.pk}/submit/").status_code == 302
    assert mentor.post(f"/org/programs/{program.pk}/confirm/").status_code == 403
    assert curator.post(f"/org/programs/{program.pk}/confirm/").status_code == 403
    assert mentee.post(f"/org/programs/{program.pk}/return/", {"comment": "Уточните задачи"}).status_code == 302
    connection.set_tenant(world.school_a)
    program.refresh_from_db()
    assert program.status == "draft" and program.mentee_comment == "Уточните задачи"
    connection.set_schema_to_public()
    page = mentor.get(f"/org/programs/{program.pk}/")
    assert "Уточните задачи" in page.content.decode()
    assert "Консультации, Взаимопосещение занятий" in page.content.decode()
    assert "lesson_visit" not in page.content.decode()
    mentor.post(f"/org/programs/{program.pk}/submit/")
    assert mentee.post(f"/org/programs/{program.pk}/confirm/").status_code == 302
    connection.set_tenant(world.school_a)
    program.refresh_from_db()
    assert program.status == "confirmed"
    activity = program.activities.first()
    connection.set_schema_to_public()
    today = organization_today().isoformat()
    assert mentee.post(f"/org/programs/activities/{activity.pk}/done/", {"done_on": today}).status_code == 403
    assert mentor.post(f"/org/programs/activities/{activity.pk}/done/", {"done_on": today}).status_code == 302
    # Extension proposed by the mentee on the page, confirmed by the mentor.
    new_end = (program.ends_on + timedelta(days=20)).isoformat()
    assert curator.get(f"/org/programs/{program.pk}/changes/new/").status_code == 403
    response = mentee.post(
        f"/org/programs/{program.pk}/changes/new/", {"kind": "extend", "description": "Болезнь", "ends_on": new_end}
    )
    assert response.status_code == 302
    connection.set_tenant(world.school_a)
    change = ProgramChange.objects.get(program=program)
    connection.set_schema_to_public()
    assert mentee.post(f"/org/programs/changes/{change.pk}/confirm/").status_code == 302  # refused in a message
    connection.set_tenant(world.school_a)
    assert Program.objects.get(pk=program.pk).ends_on == program.ends_on
    connection.set_schema_to_public()
    assert mentor.post(f"/org/programs/changes/{change.pk}/confirm/").status_code == 302
    connection.set_tenant(world.school_a)
    assert Program.objects.get(pk=program.pk).ends_on.isoformat() == new_end
    assert ProgramActivity.objects.get(pk=activity.pk).done_on is not None
    connection.set_schema_to_public()
    assert "Продление срока" in curator.get(f"/org/programs/{program.pk}/").content.decode()


def test_bad_form_input_shows_errors_and_writes_nothing(world, client_on, objects):
    _, empty_pair, _, _ = objects
    host = world.host(world.school_a)
    data = form_post(empty_pair)
    data["ends_on"] = (empty_pair.starts_on + timedelta(days=40)).isoformat()
    data["activities"] = "завтра | что-то"
    before = None
    connection.set_tenant(world.school_a)
    before = state()
    connection.set_schema_to_public()
    response = client_on(host, world.curator_a).post(f"/org/programs/pair/{empty_pair.pk}/new/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "не в формате ДД.ММ.ГГГГ" in text
    data["activities"] = form_post(empty_pair)["activities"]
    response = client_on(host, world.curator_a).post(f"/org/programs/pair/{empty_pair.pk}/new/", data)
    assert "не может быть короче 3 месяцев" in response.content.decode()
    connection.set_tenant(world.school_a)
    assert state() == before


def test_api_flow_and_docx(world, client_on, objects):
    pair, empty_pair, program, mentee_user = objects
    host = world.host(world.school_a)
    mentor, mentee = client_on(host, world.teacher_a), client_on(host, mentee_user)
    assert mentee.post(f"/api/v1/org/programs/{program.pk}/submit/").status_code == 404
    assert mentor.post(f"/api/v1/org/programs/{program.pk}/submit/").json()["status"] == "submitted"
    assert mentor.post(f"/api/v1/org/programs/{program.pk}/confirm/").status_code == 404
    assert mentee.post(f"/api/v1/org/programs/{program.pk}/confirm/").json()["status"] == "confirmed"
    plan_change = {
        "kind": "plan",
        "description": "Добавить мероприятие",
        "proposed": {
            "activities": [{"title": "Открытый урок", "due_on": (pair.starts_on + timedelta(days=15)).isoformat()}]
        },
    }
    created = mentor.post(f"/api/v1/org/programs/{program.pk}/changes/", plan_change, content_type="application/json")
    assert created.status_code == 201, created.content
    change_id = created.json()["id"]
    assert mentee.post(f"/api/v1/org/programs/changes/{change_id}/reject/").json()["rejected_at"]
    detail = mentor.get(f"/api/v1/org/programs/{program.pk}/").json()
    assert [a["title"] for a in detail["activities"]] == ["Мероприятие 1", "Мероприятие 2"]
    # Creation through the API with a too short period: 400 and nothing written.
    body = program_data(empty_pair, months=2)
    body.update(
        pair=empty_pair.pk,
        starts_on=body["starts_on"].isoformat(),
        ends_on=body["ends_on"].isoformat(),
        activities=[{"title": "А", "due_on": (empty_pair.starts_on + timedelta(days=5)).isoformat()}],
    )
    curator = client_on(host, world.curator_a)
    refused = curator.post("/api/v1/org/programs/", body, content_type="application/json")
    assert refused.status_code == 400 and "короче 3 месяцев" in str(refused.json())
    body["ends_on"] = program_data(empty_pair, months=3)["ends_on"].isoformat()
    assert curator.post("/api/v1/org/programs/", body, content_type="application/json").status_code == 201
    docx = mentee.get(f"/org/programs/{program.pk}/docx/")
    assert "Адаптация молодого учителя" in document_text(docx.content)


def test_list_marks_overdue_and_shows_only_own(world, client_on, objects):
    _pair, empty_pair, program, mentee_user = objects
    from django.utils import timezone

    from institutional.models import Pair

    connection.set_tenant(world.school_a)
    Pair.objects.filter(pk=empty_pair.pk).update(approved_at=timezone.now() - timedelta(days=60))
    connection.set_schema_to_public()
    host = world.host(world.school_a)
    curator_page = client_on(host, world.curator_a).get("/org/programs/").content.decode()
    assert "просрочено" in curator_page and "не составлена" in curator_page
    mentee_page = client_on(host, mentee_user).get("/org/programs/").content.decode()
    assert program.title in mentee_page and "не составлена" not in mentee_page
