"""Deadlines: each kind appears and disappears on the right dates, constant queries, page/API privacy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutional.dates import organization_today
from institutional.models import (
    EndReason,
    FinalReport,
    MenteeCategory,
    MenteeEntry,
    Pair,
    Program,
    Roadmap,
    RoadmapActivity,
    RoadmapStage,
    Staff,
)
from institutional.selectors import deadlines as selectors
from institutional.selectors.banks import appointment_deadline
from institutional.selectors.programs import draft_due_on
from institutional.selectors.reports import expected_reports
from institutional.services import banks as bank_services
from institutional.services import pairs as pair_services
from institutional.services import programs as program_services
from institutional.services import regulation as regulation_services
from institutional.services import reports as report_services
from institutional.tests.programs_factories import approved_pair, grant, new_user, plan, program_data
from institutional.tests.test_banks_factories import make_staff
from regional.models import DocumentTemplate
from regional.templates_content import REGULATION_CODE
from tenants.models import Role
from tests.permissions import check_matrix

EVERYONE = ("curator", "council_member", "director", "teacher", "psychologist")


def by_key(today=None) -> dict[str, selectors.Deadline]:
    return {d.key: d for d in selectors.open_deadlines(today=today)}


def waiting_mentee(last_name="Ефимов", *, needed_days_ago=0, user=None) -> MenteeEntry:
    staff = make_staff(last_name, user=user, first_name="Кирилл", patronymic="Олегович", hired_days_ago=40)
    return bank_services.mentee_entry_create(
        actor=None,
        staff=staff,
        categories=[MenteeCategory.YOUNG],
        needed_from=organization_today() - timedelta(days=needed_days_ago),
    )


def approved_roadmap(*, deadline, responsible=(), status=Roadmap.Status.APPROVED, year=None):
    today = organization_today()
    year = year or (today.year if today.month >= 9 else today.year - 1)
    roadmap = Roadmap.objects.create(
        academic_year=year,
        status=status,
        order_number="5-од" if status == Roadmap.Status.APPROVED else "",
        order_date=today if status == Roadmap.Status.APPROVED else None,
    )
    stage = RoadmapStage.objects.create(roadmap=roadmap, position=1, title="Подготовительный этап")
    activity = RoadmapActivity.objects.create(
        stage=stage, position=1, title="Провести заседание совета", deadline=deadline
    )
    activity.responsible.set(responsible)
    return activity


def end_pair(pair, *, days_ago):
    return pair_services.pair_end(
        actor=None,
        pair=pair,
        reason=EndReason.PLAN_COMPLETED,
        ended_on=organization_today() - timedelta(days=days_ago),
        note="x",
    )


def staff_of(user) -> Staff:
    return Staff.objects.get(user_id=user.pk)


# --- appointment ---------------------------------------------------------------------------------


def test_appointment_due_today_then_overdue_then_gone(in_school_a):
    today = organization_today()
    entry = waiting_mentee(needed_days_ago=30)
    deadline = by_key()[f"appointment:mentee:{entry.pk}"]
    assert deadline.kind == "appointment" and deadline.due_on == today == appointment_deadline(entry)
    assert deadline.days_left == 0 and not deadline.is_overdue
    assert deadline.title == "Назначить наставника: Ефимов К.О."
    assert deadline.responsible_staff_ids == () and deadline.pair_id is None
    assert deadline.url == f"/org/banks/mentees/{entry.pk}/"

    tomorrow = by_key(today + timedelta(days=1))[f"appointment:mentee:{entry.pk}"]
    assert tomorrow.is_overdue and tomorrow.days_left == -1 and tomorrow.days_overdue == 1

    MenteeEntry.objects.filter(pk=entry.pk).update(status=MenteeEntry.Status.IN_PAIR)
    assert f"appointment:mentee:{entry.pk}" not in by_key()


def test_appointment_follows_the_approved_regulation(in_school_a):
    entry = waiting_mentee(needed_days_ago=25)
    assert by_key()[f"appointment:mentee:{entry.pk}"].days_left == 5
    version = regulation_services.regulation_create_from_template(
        actor=None, template_id=DocumentTemplate.objects.get(code=REGULATION_CODE, version=1).pk
    )
    values = {name: getattr(version, name) for name in regulation_services.RULE_FIELDS}
    regulation_services.regulation_update_parameters(
        actor=None, version=version, parameters={**values, "appointment_days": 20}
    )
    regulation_services.regulation_approve(
        actor=None, version=version, order=regulation_services.Order(number="1-о", day=date(2026, 1, 15))
    )
    deadline = by_key()[f"appointment:mentee:{entry.pk}"]
    assert deadline.days_left == -5 and deadline.is_overdue
    assert deadline.due_on == appointment_deadline(entry)


# --- program -------------------------------------------------------------------------------------


def test_program_missing_draft_submitted_confirmed(world, in_school_a):
    mentee_user = new_user("Молодова")
    grant(mentee_user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user], starts_days_ago=10)
    today = organization_today()

    missing = by_key()[f"program:pair:{pair.pk}"]
    assert missing.kind == "program" and missing.due_on == draft_due_on(pair) == today
    assert missing.responsible_staff_ids == (pair.mentor.staff_id,) and missing.pair_id == pair.pk
    assert "персонализированную программу пары Опытнова А.П. — Молодова0 А.П." in missing.title
    assert by_key(today + timedelta(days=1))[f"program:pair:{pair.pk}"].is_overdue

    program = program_services.program_create(
        actor=world.teacher_a, pair=pair, data=program_data(pair), activities=plan(pair)
    )
    keys = by_key()
    assert f"program:pair:{pair.pk}" not in keys
    assert keys[f"program:{program.pk}"].due_on == program.draft_due_on
    program = program_services.program_submit(actor=world.teacher_a, program=program)
    assert f"program:{program.pk}" in by_key()
    program_services.program_confirm(actor=mentee_user, program=program)
    assert Program.objects.get(pk=program.pk).status == Program.Status.CONFIRMED
    assert not [k for k in by_key() if k.startswith("program:")]


def test_draft_pairs_have_no_program_deadline(world, in_school_a):
    pair = approved_pair(starts_days_ago=40)
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.DRAFT)
    assert f"program:pair:{pair.pk}" not in by_key()


# --- final reports -------------------------------------------------------------------------------


def test_reports_due_after_the_end_and_gone_when_submitted(world, in_school_a):
    mentee_user = new_user("Молодова")
    grant(mentee_user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user], status=Pair.Status.ACTIVE)
    assert not [k for k in by_key() if k.startswith("report:")]
    pair = end_pair(pair, days_ago=10)
    mentee_entry = pair.participants.get().mentee
    keys = by_key()
    mentor_key, mentee_key = f"report:{pair.pk}:mentor", f"report:{pair.pk}:mentee:{mentee_entry.pk}"
    expected = {row.author_role: row.due_on for row in expected_reports(pair)}
    assert keys[mentor_key].due_on == expected["mentor"] == organization_today()
    assert keys[mentee_key].due_on == expected["mentee"]
    assert not keys[mentor_key].is_overdue
    assert keys[mentor_key].responsible_staff_ids == (staff_of(world.teacher_a).pk,)
    assert keys[mentee_key].responsible_staff_ids == (staff_of(mentee_user).pk,)
    assert keys[mentor_key].url == f"/org/reports/pair/{pair.pk}/submit/"
    assert by_key(organization_today() + timedelta(days=1))[mentee_key].is_overdue

    report_services.final_report_submit(
        actor=world.teacher_a,
        pair=pair,
        author=staff_of(world.teacher_a),
        data={"results": "Проведены уроки", "recommendations": "Продолжить"},
    )
    keys = by_key()
    assert mentor_key not in keys and mentee_key in keys
    assert FinalReport.objects.count() == 1


# --- roadmap -------------------------------------------------------------------------------------


def test_roadmap_activity_deadlines(world, in_school_a):
    today = organization_today()
    responsible = make_staff("Ответственная")
    activity = approved_roadmap(deadline=today - timedelta(days=1), responsible=[responsible])
    deadline = by_key()[f"roadmap:{activity.pk}"]
    assert deadline.is_overdue and deadline.days_left == -1
    assert deadline.responsible_staff_ids == (responsible.pk,)
    assert "Провести заседание совета" in deadline.title
    assert deadline.url == f"/org/roadmap/{activity.stage.roadmap_id}/"

    RoadmapActivity.objects.filter(pk=activity.pk).update(status=RoadmapActivity.Status.IN_PROGRESS)
    assert f"roadmap:{activity.pk}" in by_key()
    RoadmapActivity.objects.filter(pk=activity.pk).update(status=RoadmapActivity.Status.DONE, done_at=today)
    assert f"roadmap:{activity.pk}" not in by_key()
    RoadmapActivity.objects.filter(pk=activity.pk).update(status=RoadmapActivity.Status.CANCELLED, done_at=None)
    assert f"roadmap:{activity.pk}" not in by_key()

    no_deadline = RoadmapActivity.objects.create(stage=activity.stage, position=2, title="Без срока")
    assert f"roadmap:{no_deadline.pk}" not in by_key()


def test_draft_roadmap_has_no_deadlines(in_school_a):
    activity = approved_roadmap(deadline=organization_today(), status=Roadmap.Status.DRAFT)
    assert f"roadmap:{activity.pk}" not in by_key()


# --- grouping, sorting, query count --------------------------------------------------------------


def _one_of_each(world, index):
    today = organization_today()
    waiting_mentee(f"Ждущий{index}", needed_days_ago=40)
    approved_pair(starts_days_ago=30)
    end_pair(approved_pair(status=Pair.Status.ACTIVE), days_ago=20)
    approved_roadmap(deadline=today - timedelta(days=3), responsible=[make_staff(f"Отв{index}")], year=2000 + index)


def _count_queries():
    with CaptureQueriesContext(connection) as context:
        deadlines = selectors.open_deadlines()
    return len(context.captured_queries), deadlines


def test_constant_number_of_queries_and_sorting(world, in_school_a):
    _one_of_each(world, 1)
    small, deadlines = _count_queries()
    assert {d.kind for d in deadlines} == {"appointment", "program", "report", "roadmap"}
    for index in range(2, 5):
        _one_of_each(world, index)
    large, deadlines = _count_queries()
    assert large == small
    assert [d.due_on for d in deadlines] == sorted(d.due_on for d in deadlines)


def test_overdue_by_pair(world, in_school_a):
    today = organization_today()
    late = approved_pair(starts_days_ago=30)
    on_time = approved_pair(starts_days_ago=2)
    waiting_mentee(needed_days_ago=60)
    grouped = selectors.overdue_by_pair()
    assert list(grouped) == [late.pk]
    assert [d.key for d in grouped[late.pk]] == [f"program:pair:{late.pk}"]
    assert on_time.pk in selectors.overdue_by_pair(today=today + timedelta(days=30))


# --- page and API ----------------------------------------------------------------------------------


@pytest.fixture
def mixed(world, in_school_a):
    """An overdue program of teacher_a's pair, another pair's report and a waiting mentee."""
    pair = approved_pair(mentor_user=world.teacher_a, starts_days_ago=30)
    other = end_pair(approved_pair(status=Pair.Status.ACTIVE), days_ago=3)
    entry = waiting_mentee(needed_days_ago=5)
    connection.set_schema_to_public()
    return pair, other, entry


def test_page_and_api_matrix(world, client_on, mixed):
    for path in ("/org/deadlines/", "/api/v1/org/deadlines/"):
        check_matrix(world, client_on, "get", path, allowed=EVERYONE)


def test_overseers_see_everything_overdue_first(world, client_on, mixed):
    pair, other, entry = mixed
    host = world.host(world.school_a)
    for user in (world.curator_a, world.council_a, world.director_a):
        rows = client_on(host, user).get("/api/v1/org/deadlines/").json()
        keys = [row["key"] for row in rows]
        assert f"program:pair:{pair.pk}" in keys and f"report:{other.pk}:mentor" in keys
        assert f"appointment:mentee:{entry.pk}" in keys
        assert keys[0] == f"program:pair:{pair.pk}" and rows[0]["is_overdue"] is True
    page = client_on(host, world.curator_a).get("/org/deadlines/").content.decode()
    assert "Назначить наставника: Ефимов К.О." in page and "просрочено на" in page
    assert f"/org/programs/pair/{pair.pk}/" in page


def test_a_teacher_sees_only_own_deadlines(world, client_on, mixed):
    pair, _other, _entry = mixed
    host = world.host(world.school_a)
    rows = client_on(host, world.teacher_a).get("/api/v1/org/deadlines/").json()
    assert [row["key"] for row in rows] == [f"program:pair:{pair.pk}"]
    page = client_on(host, world.teacher_a).get("/org/deadlines/").content.decode()
    assert "Ефимов" not in page and "Назначить наставника" not in page
    assert "Составить и согласовать персонализированную программу" in page
    for user in (world.psychologist_a,):
        assert client_on(host, user).get("/api/v1/org/deadlines/").json() == []
        assert "Ефимов" not in client_on(host, user).get("/org/deadlines/").content.decode()
    assert client_on(world.host(world.school_b), world.teacher_b).get("/api/v1/org/deadlines/").json() == []
