"""Final reports: rules, deadlines in the organization's time zone, privacy, DOCX, permission matrix."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutional.dates import organization_today
from institutional.documents.reports import report_document
from institutional.models import EndReason, FinalReport, Pair, Staff
from institutional.selectors import reports as selectors
from institutional.services import pairs as pair_services
from institutional.services import reports as services
from institutional.tests.programs_factories import approved_pair, grant, new_user
from nastavnik.documents import document_bytes, document_text
from tenants.models import Role
from tests.permissions import check_matrix

MENTOR_DATA = {"results": "Проведено 12 открытых уроков", "recommendations": "Продолжить работу над дисциплиной"}
MENTEE_DATA = {"results": "Освоила электронный журнал", "mentor_score": 5, "mentor_comment": "Всегда помогала"}
OVERSEERS = ("curator", "council_member", "director")


def staff_of(user):
    return Staff.objects.get(user_id=user.pk)


def ended(pair, *, days_ago=2, reason=EndReason.PLAN_COMPLETED):
    return pair_services.pair_end(
        actor=None, pair=pair, reason=reason, ended_on=organization_today() - timedelta(days=days_ago), note="x"
    )


@pytest.fixture
def people(world, in_school_a):
    mentee_user = new_user("Молодова")
    grant(mentee_user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user], status=Pair.Status.ACTIVE)
    return world.teacher_a, mentee_user, pair


def test_report_before_the_end_is_refused(people):
    mentor, _, pair = people
    with pytest.raises(ValidationError, match="Отчёт подаётся после завершения наставничества"):
        services.final_report_submit(actor=mentor, pair=pair, author=staff_of(mentor), data=MENTOR_DATA)
    assert FinalReport.objects.count() == 0


def test_mentor_and_mentee_submit_once_each(people):
    mentor, mentee, pair = people
    pair = ended(pair)
    report = services.final_report_submit(actor=mentor, pair=pair, author=staff_of(mentor), data=MENTOR_DATA)
    assert report.author_role == "mentor" and report.mentee is None and report.mentor_score is None
    own = services.final_report_submit(actor=mentee, pair=pair, author=staff_of(mentee), data=MENTEE_DATA)
    assert own.author_role == "mentee" and own.mentor_score == 5 and own.mentee is not None
    for user, data in ((mentor, MENTOR_DATA), (mentee, MENTEE_DATA)):
        with pytest.raises(ValidationError, match="уже подан"):
            services.final_report_submit(actor=user, pair=pair, author=staff_of(user), data=data)
    assert FinalReport.objects.count() == 2


def test_required_fields_per_role(people):
    mentor, mentee, pair = people
    pair = ended(pair)
    with pytest.raises(ValidationError) as error:
        services.final_report_submit(actor=mentor, pair=pair, author=staff_of(mentor), data={"results": "x"})
    assert "recommendations" in error.value.message_dict
    for score in (None, 0, 6, "плохо"):
        with pytest.raises(ValidationError) as error:
            services.final_report_submit(
                actor=mentee, pair=pair, author=staff_of(mentee), data={"results": "x", "mentor_score": score}
            )
        assert "mentor_score" in error.value.message_dict
    assert FinalReport.objects.count() == 0


def test_someone_outside_the_pair_cannot_submit(people, world):
    _, _, pair = people
    pair = ended(pair)
    stranger = Staff.objects.exclude(user_id=None).exclude(user_id__in=[world.teacher_a.pk]).first()
    other = stranger if stranger and stranger.pk != pair.participants.first().mentee.staff_id else None
    if other is None:
        from institutional.tests.test_banks_factories import make_staff

        other = make_staff("Посторонняя")
    with pytest.raises(ValidationError, match="только наставник и наставляемые"):
        services.final_report_submit(actor=None, pair=pair, author=other, data=MENTOR_DATA)


def test_due_date_and_overdue_boundary_in_the_organization_time_zone(people):
    _, _, pair = people
    pair = ended(pair, days_ago=10)
    due_on = selectors.report_due_on(pair)
    assert due_on == pair.ended_on + timedelta(days=10)
    assert selectors.report_state(None, due_on, today=due_on) == selectors.MISSING
    assert selectors.report_state(None, due_on, today=due_on + timedelta(days=1)) == selectors.OVERDUE
    rows = selectors.expected_reports(pair, today=due_on + timedelta(days=1))
    assert [r.state for r in rows] == ["overdue", "overdue"]
    # "today" comes from the organization's time zone, not the server's.
    with mock.patch("institutional.selectors.reports.organization_today", return_value=due_on):
        assert [r.state for r in selectors.expected_reports(pair)] == ["missing", "missing"]


def test_group_expects_one_report_per_mentee(world, in_school_a):
    users = [new_user("Первая"), new_user("Вторая")]
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=users, status=Pair.Status.ACTIVE)
    pair = ended(pair)
    rows = selectors.expected_reports(pair)
    assert [r.author_role for r in rows] == ["mentor", "mentee", "mentee"]
    services.final_report_submit(actor=users[0], pair=pair, author=staff_of(users[0]), data=MENTEE_DATA)
    services.final_report_submit(actor=users[1], pair=pair, author=staff_of(users[1]), data=MENTEE_DATA)
    assert [r.state for r in selectors.expected_reports(pair)] == ["missing", "submitted", "submitted"]


def test_docx_of_both_reports(people, world):
    mentor, mentee, pair = people
    pair = ended(pair)
    report = services.final_report_submit(actor=mentor, pair=pair, author=staff_of(mentor), data=MENTOR_DATA)
    text = document_text(document_bytes(report_document(report, organization=world.school_a)))
    for expected in (
        world.school_a.full_name,
        "ИТОГОВЫЙ ОТЧЁТ НАСТАВНИКА",
        staff_of(mentor).full_name,
        "Период наставничества: с",
        "Проведено 12 открытых уроков",
        "Рекомендации",
        "Продолжить работу над дисциплиной",
        "Куратор",
        "_______________",
    ):
        assert expected in text, expected
    own = services.final_report_submit(actor=mentee, pair=pair, author=staff_of(mentee), data=MENTEE_DATA)
    text = document_text(document_bytes(report_document(own, organization=world.school_a)))
    assert "ОТЧЁТ НАСТАВЛЯЕМОГО" in text and "5 из 5 (отлично)" in text and "Всегда помогала" in text


# ---- pages and endpoints -------------------------------------------------------------------------


def _counts():
    return FinalReport.objects.count()


@pytest.fixture
def submitted(people):
    mentor, mentee, pair = people
    pair = ended(pair)
    mentor_report = services.final_report_submit(actor=mentor, pair=pair, author=staff_of(mentor), data=MENTOR_DATA)
    mentee_report = services.final_report_submit(actor=mentee, pair=pair, author=staff_of(mentee), data=MENTEE_DATA)
    connection.set_schema_to_public()
    return mentor, mentee, pair, mentor_report, mentee_report


def test_overview_matrix(world, client_on, submitted):
    for path in ("/org/reports/", "/api/v1/org/reports/status/"):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
    everyone = (*OVERSEERS, "teacher", "psychologist")
    for path in ("/org/reports/my/", "/api/v1/org/reports/my/", "/api/v1/org/reports/"):
        check_matrix(world, client_on, "get", path, allowed=everyone)


def test_overview_marks_states(world, client_on, people):
    _, _, pair = people
    ended(pair, days_ago=20)
    connection.set_schema_to_public()
    page = client_on(world.host(world.school_a), world.curator_a).get("/org/reports/").content.decode()
    assert "просрочен" in page and "table-danger" in page


def test_mentor_report_matrix(world, client_on, submitted):
    _, mentee, _, mentor_report, _ = submitted
    for path in (
        f"/org/reports/{mentor_report.pk}/",
        f"/org/reports/{mentor_report.pk}/docx/",
        f"/api/v1/org/reports/{mentor_report.pk}/",
        f"/api/v1/org/reports/{mentor_report.pk}/docx/",
    ):
        check_matrix(world, client_on, "get", path, allowed=(*OVERSEERS, "teacher"))
        assert client_on(world.host(world.school_a), mentee).get(path).status_code == 200


def test_mentee_report_is_hidden_from_the_mentor_and_the_psychologist(world, client_on, submitted):
    _, mentee, _, _, mentee_report = submitted
    for path in (
        f"/org/reports/{mentee_report.pk}/",
        f"/org/reports/{mentee_report.pk}/docx/",
        f"/api/v1/org/reports/{mentee_report.pk}/",
        f"/api/v1/org/reports/{mentee_report.pk}/docx/",
    ):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
        assert client_on(world.host(world.school_a), mentee).get(path).status_code == 200
    mentor_list = client_on(world.host(world.school_a), world.teacher_a).get("/api/v1/org/reports/").json()
    assert [r["author_role"] for r in mentor_list] == ["mentor"]


def test_submit_matrix_and_page_flow(world, client_on, people):
    _, mentee, pair = people
    connection.set_schema_to_public()
    host = world.host(world.school_a)
    # Before the end: the mentor sees the refusal, nothing is written.
    response = client_on(host, world.teacher_a).post(f"/org/reports/pair/{pair.pk}/submit/", MENTOR_DATA)
    assert response.status_code == 400 and "после завершения наставничества" in response.content.decode()
    connection.set_tenant(world.school_a)
    ended(pair)
    connection.set_schema_to_public()
    # Nobody but the pair may open or post; the overseers are not authors either (404).
    for method in ("get", "post"):
        check_matrix(
            world,
            client_on,
            method,
            f"/org/reports/pair/{pair.pk}/submit/",
            allowed=("teacher",) if method == "get" else (),
            roles=("curator", "council_member", "director", "psychologist") if method == "post" else None,
            data=MENTOR_DATA,
            state=_counts,
        )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/reports/pair/{pair.pk}/submit/",
        allowed=(),
        roles=("curator", "council_member", "director", "psychologist"),
        data=MENTOR_DATA,
        content_type="application/json",
        state=_counts,
    )
    mentor_client = client_on(host, world.teacher_a)
    assert "Заполнить отчёт" in mentor_client.get("/org/reports/my/").content.decode()
    response = mentor_client.post(f"/org/reports/pair/{pair.pk}/submit/", MENTOR_DATA)
    assert response.status_code == 302
    again = mentor_client.post(f"/org/reports/pair/{pair.pk}/submit/", MENTOR_DATA)
    assert again.status_code == 400 and "уже подан" in again.content.decode()
    api = client_on(host, mentee).post(
        f"/api/v1/org/reports/pair/{pair.pk}/submit/", {"results": "x"}, content_type="application/json"
    )
    assert api.status_code == 400 and "mentor_score" in api.json()
    api = client_on(host, mentee).post(
        f"/api/v1/org/reports/pair/{pair.pk}/submit/", MENTEE_DATA, content_type="application/json"
    )
    assert api.status_code == 201
    assert client_on(host, mentee).get("/api/v1/org/reports/my/").json() == []
    connection.set_tenant(world.school_a)
    assert FinalReport.objects.count() == 2
    connection.set_schema_to_public()
