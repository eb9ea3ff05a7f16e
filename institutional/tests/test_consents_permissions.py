"""Permission matrix of every consent page and endpoint; nothing changes on refusal."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from institutional.dates import organization_today
from institutional.models import Consent, ConsentKind, MentorEntry, Notification
from institutional.services import banks as bank_services
from institutional.services import consents as services
from institutional.tests.test_banks_factories import ReusableUpload, make_staff, signed_consent, use_media_root
from tests.permissions import check_matrix

ALL = ("curator", "director", "council_member", "teacher", "psychologist")
OVERSEERS = ("curator", "director", "council_member")
MANAGERS = ("curator", "council_member")
NOT_COUNCIL = ("director", "teacher", "psychologist")


@dataclass
class Objects:
    staff_id: int
    draft_id: int
    signed_id: int
    own_signed_id: int


@pytest.fixture
def objects(world, in_school_a, settings, tmp_path):
    use_media_root(settings, tmp_path)
    teacher_staff = make_staff("Педагогова", user=world.teacher_a)
    other = make_staff("Другова")
    bank_services.mentor_entry_create(actor=None, staff=other, competencies="Проекты")
    draft = services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=other)
    signed = signed_consent(staff=other)
    own = signed_consent(staff=teacher_staff)
    yield Objects(other.pk, draft.pk, signed.pk, own.pk)
    use_media_root(settings, tmp_path)


def state():
    return (
        list(Consent.objects.order_by("pk").values_list("pk", "status", "signed_on", "withdrawn_on", "signed_scan")),
        list(MentorEntry.objects.order_by("pk").values_list("pk", "is_active")),
        Notification.objects.count(),
    )


def test_page_matrix(world, client_on, objects):
    o = objects
    today = organization_today().isoformat()
    check_matrix(world, client_on, "get", "/org/consents/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", "/org/consents/add/", allowed=MANAGERS)
    check_matrix(world, client_on, "get", f"/org/consents/{o.signed_id}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/consents/{o.signed_id}/docx/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/consents/{o.signed_id}/scan/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        "/org/consents/add/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        data={"kind": "publication", "subject": f"staff:{o.staff_id}", "published_fields": ["full_name"]},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/consents/{o.draft_id}/sign/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        data={"signed_on": today, "signed_scan": ReusableUpload()},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/consents/{o.signed_id}/withdraw/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        data={"withdrawn_on": today},
    )
    assert Consent.objects.get(pk=o.signed_id).status == Consent.Status.WITHDRAWN


def test_the_council_member_records_signing_and_withdrawal(world, client_on, objects):
    client = client_on(world.host(world.school_a), world.council_a)
    today = organization_today().isoformat()
    assert (
        client.post(
            f"/org/consents/{objects.draft_id}/sign/", {"signed_on": today, "signed_scan": ReusableUpload()}
        ).status_code
        == 302
    )
    assert client.post(f"/org/consents/{objects.draft_id}/withdraw/", {"withdrawn_on": today}).status_code == 302
    assert Consent.objects.get(pk=objects.draft_id).status == Consent.Status.WITHDRAWN


def test_a_teacher_sees_prints_and_withdraws_only_their_own_consent(world, client_on, objects):
    o = objects
    teacher = client_on(world.host(world.school_a), world.teacher_a)
    assert teacher.get(f"/org/consents/{o.own_signed_id}/").status_code == 200
    assert teacher.get(f"/org/consents/{o.own_signed_id}/docx/").status_code == 200
    assert teacher.get(f"/org/consents/{o.signed_id}/docx/").status_code == 404
    before = state()
    assert (
        teacher.post(
            f"/org/consents/{o.signed_id}/withdraw/", {"withdrawn_on": organization_today().isoformat()}
        ).status_code
        == 404
    )
    assert state() == before
    assert (
        teacher.post(
            f"/org/consents/{o.own_signed_id}/sign/", {"signed_on": organization_today().isoformat()}
        ).status_code
        == 403
    )
    response = teacher.post(
        f"/org/consents/{o.own_signed_id}/withdraw/", {"withdrawn_on": organization_today().isoformat(), "next": "me"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/org/banks/me/")
    assert Consent.objects.get(pk=o.own_signed_id).status == Consent.Status.WITHDRAWN


def test_api_matrix(world, client_on, objects):
    o = objects
    today = organization_today().isoformat()
    check_matrix(world, client_on, "get", "/api/v1/org/consents/", allowed=ALL)
    check_matrix(world, client_on, "get", f"/api/v1/org/consents/{o.signed_id}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/api/v1/org/consents/{o.signed_id}/docx/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/consents/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        content_type="application/json",
        data={"kind": "publication", "staff": o.staff_id, "published_fields": ["full_name"]},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/consents/{o.draft_id}/sign/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        data={"signed_on": today, "signed_scan": ReusableUpload()},
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/consents/{o.signed_id}/withdraw/",
        allowed=("curator",),
        roles=NOT_COUNCIL,
        state=state,
        content_type="application/json",
        data={"withdrawn_on": today},
    )


def test_api_gives_a_teacher_only_their_own_consents(world, client_on, objects):
    client = client_on(world.host(world.school_a), world.teacher_a)
    assert [c["id"] for c in client.get("/api/v1/org/consents/").json()] == [objects.own_signed_id]
    assert client.get(f"/api/v1/org/consents/{objects.signed_id}/").status_code == 404
    response = client.post(
        f"/api/v1/org/consents/{objects.own_signed_id}/withdraw/",
        {"withdrawn_on": organization_today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_api_refuses_a_bad_withdrawal_date_and_writes_nothing(world, client_on, objects):
    client = client_on(world.host(world.school_a), world.curator_a)
    before = state()
    response = client.post(
        f"/api/v1/org/consents/{objects.signed_id}/withdraw/",
        {"withdrawn_on": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "раньше даты подписания" in response.json()["withdrawn_on"][0]
    assert state() == before
