"""Permission matrix of every page and endpoint of the banks and the cabinet: anonymous, another
organization, each role without the right, each role with it — and nothing changes on refusal."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from institutional.dates import organization_today
from institutional.models import MenteeCategory, MenteeEntry, MentorEntry, MentorTraining
from institutional.services import banks as services
from institutional.tests.test_banks_factories import make_staff, scan, use_media_root
from tests.permissions import check_matrix

ALL = ("curator", "director", "council_member", "teacher", "psychologist")
READERS = ("curator", "director", "council_member", "psychologist")
MANAGERS = ("curator", "council_member")


@dataclass
class Objects:
    mentee_id: int
    own_mentee_id: int
    mentor_id: int
    own_mentor_id: int
    training_id: int


@pytest.fixture
def objects(world, in_school_a, settings, tmp_path):
    use_media_root(settings, tmp_path)
    teacher_staff = make_staff("Педагогова", user=world.teacher_a)
    other = make_staff("Другова")
    mentor_staff = make_staff("Опытнова")
    own_mentee = services.mentee_entry_create(actor=None, staff=teacher_staff, categories=[MenteeCategory.YOUNG])
    mentee = services.mentee_entry_create(
        actor=None, staff=other, categories=[MenteeCategory.DIGITAL], difficulties="Секрет"
    )
    mentor = services.mentor_entry_create(actor=None, staff=mentor_staff, competencies="Проекты")
    own_mentor = services.mentor_entry_create(actor=None, staff=teacher_staff, competencies="Олимпиады")
    training = services.mentor_training_add(actor=None, mentor=mentor, title="Школа наставников", certificate=scan())
    yield Objects(mentee.pk, own_mentee.pk, mentor.pk, own_mentor.pk, training.pk)
    use_media_root(settings, tmp_path)


def state():
    return (
        list(MenteeEntry.objects.order_by("pk").values_list("pk", "status", "requests", "tags", "categories")),
        list(
            MentorEntry.objects.order_by("pk").values_list("pk", "is_active", "competencies", "capacity", "visibility")
        ),
        MentorTraining.objects.count(),
    )


def test_page_matrix_reading(world, client_on, objects):
    o = objects
    check_matrix(world, client_on, "get", "/org/banks/mentees/", allowed=READERS)
    check_matrix(world, client_on, "get", f"/org/banks/mentees/{o.mentee_id}/", allowed=READERS)
    check_matrix(world, client_on, "get", "/org/banks/mentors/", allowed=READERS)
    check_matrix(world, client_on, "get", f"/org/banks/mentors/{o.mentor_id}/", allowed=READERS)
    check_matrix(world, client_on, "get", f"/org/banks/trainings/{o.training_id}/certificate/", allowed=READERS)
    check_matrix(world, client_on, "get", "/org/banks/me/", allowed=ALL)


def test_page_matrix_managing(world, client_on, objects):
    o = objects
    check_matrix(world, client_on, "get", "/org/banks/mentees/add/", allowed=MANAGERS, state=state)
    check_matrix(
        world,
        client_on,
        "post",
        "/org/banks/mentees/add/",
        allowed=MANAGERS,
        state=state,
        data={
            "subject_type": "trainee",
            "trainee_last_name": "Юнова",
            "trainee_first_name": "Ольга",
            "trainee_birth_date": "2000-01-01",
            "categories": ["trainee"],
        },
    )
    check_matrix(world, client_on, "get", f"/org/banks/mentees/{o.mentee_id}/edit/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/mentees/{o.mentee_id}/edit/",
        allowed=MANAGERS,
        state=state,
        data={"categories": ["burnout"], "requests": "новое", "needed_from": organization_today().isoformat()},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/mentees/{o.mentee_id}/status/",
        allowed=MANAGERS,
        state=state,
        data={"status": "in_pair"},
    )
    check_matrix(world, client_on, "get", "/org/banks/mentors/add/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/mentors/{o.mentor_id}/edit/",
        allowed=MANAGERS,
        state=state,
        data={"competencies": "Другое", "capacity": 2, "visibility": "organization"},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/mentors/{o.mentor_id}/trainings/add/",
        allowed=MANAGERS,
        state=state,
        data={"title": "Курсы ПК"},
    )
    # One-shot actions: the curator succeeds in the matrix, the council member on a fresh object below.
    not_council = ("director", "teacher", "psychologist")
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/mentors/{o.mentor_id}/exclude/",
        allowed=("curator",),
        roles=not_council,
        state=state,
        data={"excluded_on": organization_today().isoformat(), "excluded_reason": "по заявлению"},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/trainings/{o.training_id}/remove/",
        allowed=("curator",),
        roles=not_council,
        state=state,
    )
    assert MentorTraining.objects.filter(pk=o.training_id).count() == 0


def test_council_member_may_exclude_a_mentor(world, client_on, objects):
    response = client_on(world.host(world.school_a), world.council_a).post(
        f"/org/banks/mentors/{objects.own_mentor_id}/exclude/",
        {"excluded_on": organization_today().isoformat(), "excluded_reason": "перевод"},
    )
    assert response.status_code == 302
    assert not MentorEntry.objects.get(pk=objects.own_mentor_id).is_active


def test_cabinet_edits_are_for_the_owner_only(world, client_on, objects):
    o = objects
    check_matrix(world, client_on, "get", f"/org/banks/me/mentee/{o.own_mentee_id}/", allowed=("teacher",))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/me/mentee/{o.own_mentee_id}/",
        allowed=("teacher",),
        state=state,
        data={"requests": "Мой запрос", "tags": "ФГОС"},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/banks/me/mentor/{o.own_mentor_id}/",
        allowed=("teacher",),
        state=state,
        data={"competencies": "Олимпиады и проекты", "visibility": "organization"},
    )
    # Another person's entry is "not found" for the teacher, even though it exists.
    teacher = client_on(world.host(world.school_a), world.teacher_a)
    assert teacher.get(f"/org/banks/me/mentee/{o.mentee_id}/").status_code == 404
    assert teacher.get(f"/org/banks/mentees/{o.mentee_id}/").status_code == 404
    assert teacher.get(f"/org/banks/me/mentor/{o.mentor_id}/").status_code == 404
    assert teacher.get(f"/org/banks/mentees/{o.own_mentee_id}/").status_code == 200


# --- API ------------------------------------------------------------------------------------------


def test_api_matrix(world, client_on, objects):
    o = objects
    check_matrix(world, client_on, "get", "/api/v1/org/banks/mentees/", allowed=ALL)
    check_matrix(world, client_on, "get", f"/api/v1/org/banks/mentees/{o.mentee_id}/", allowed=READERS)
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/banks/mentees/",
        allowed=MANAGERS,
        state=state,
        content_type="application/json",
        data={
            "trainee_last_name": "Юнова",
            "trainee_first_name": "Ольга",
            "trainee_birth_date": "2000-01-01",
            "categories": ["trainee"],
        },
    )
    check_matrix(
        world,
        client_on,
        "patch",
        f"/api/v1/org/banks/mentees/{o.mentee_id}/",
        allowed=MANAGERS,
        state=state,
        content_type="application/json",
        data={"requests": "через API"},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/banks/mentees/{o.mentee_id}/status/",
        allowed=MANAGERS,
        state=state,
        content_type="application/json",
        data={"status": "in_pair"},
    )
    check_matrix(world, client_on, "get", "/api/v1/org/banks/mentors/", allowed=ALL)
    check_matrix(world, client_on, "get", f"/api/v1/org/banks/mentors/{o.mentor_id}/", allowed=READERS)
    check_matrix(
        world,
        client_on,
        "patch",
        f"/api/v1/org/banks/mentors/{o.mentor_id}/",
        allowed=MANAGERS,
        state=state,
        content_type="application/json",
        data={"tags": ["ФГОС"]},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/banks/mentors/{o.mentor_id}/trainings/",
        allowed=MANAGERS,
        state=state,
        content_type="application/json",
        data={"title": "Курсы"},
    )
    not_council = ("director", "teacher", "psychologist")
    check_matrix(
        world,
        client_on,
        "delete",
        f"/api/v1/org/banks/trainings/{o.training_id}/",
        allowed=("curator",),
        roles=not_council,
        state=state,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/banks/mentors/{o.mentor_id}/exclude/",
        allowed=("curator",),
        roles=not_council,
        state=state,
        content_type="application/json",
        data={"excluded_on": organization_today().isoformat(), "excluded_reason": "по заявлению"},
    )


def test_api_gives_a_teacher_only_their_own_records(world, client_on, objects):
    client = client_on(world.host(world.school_a), world.teacher_a)
    mentees = client.get("/api/v1/org/banks/mentees/").json()
    assert [m["id"] for m in mentees] == [objects.own_mentee_id]
    mentors = client.get("/api/v1/org/banks/mentors/").json()
    assert [m["id"] for m in mentors] == [objects.own_mentor_id]
    assert client.get(f"/api/v1/org/banks/mentees/{objects.mentee_id}/").status_code == 404
    # The person may change their own requests, but not the fields the curator keeps.
    ok = client.patch(
        f"/api/v1/org/banks/mentees/{objects.own_mentee_id}/", {"requests": "Мой"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["requests"] == "Мой"
    refused = client.patch(
        f"/api/v1/org/banks/mentees/{objects.own_mentee_id}/",
        {"categories": ["burnout"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert MenteeEntry.objects.get(pk=objects.own_mentee_id).categories == ["young"]


def test_difficulties_are_hidden_from_members_who_are_not_readers(world, client_on, objects):
    """A mentee's requests and difficulties: only STAFF_READERS and the person themself."""
    teacher = client_on(world.host(world.school_a), world.teacher_a)
    assert "Секрет" not in teacher.get("/api/v1/org/banks/mentees/").content.decode()
    psychologist = client_on(world.host(world.school_a), world.psychologist_a)
    assert "Секрет" in psychologist.get(f"/api/v1/org/banks/mentees/{objects.mentee_id}/").content.decode()
