"""Cabinets: the mentor's and the mentee's sections of «Мой кабинет», the curator's board, the
director's approvals queue, their API, privacy and the board's fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutional.dates import organization_today
from institutional.models import (
    EndReason,
    MenteeEntry,
    Pair,
    ProgramActivity,
    RegulationVersion,
    Roadmap,
    Staff,
)
from institutional.selectors import cabinets as selectors
from institutional.services import meetings as meeting_services
from institutional.services import pairs as pair_services
from institutional.services import programs as program_services
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor
from institutional.tests.programs_factories import approved_pair, grant, new_user, plan, program_data
from institutional.tests.questionnaire_factories import questionnaire_make, run_make
from tenants.models import Role
from tests.permissions import check_matrix

OVERSEERS = ("curator", "council_member", "director")
EVERYONE = (*OVERSEERS, "teacher", "psychologist")
REQUEST_TEXT = "Хочу научиться держать дисциплину в 7 «Б»"
OTHER_REQUEST_TEXT = "Боюсь родительских собраний"


def _member(world, last_name):
    user = new_user(last_name)
    grant(user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    return user


def _set_requests(pair, text):
    # approved_pair approves through the ORM, so the mentees are put in the pair here as the service would.
    MenteeEntry.objects.filter(pk__in=pair.participants.values("mentee_id")).update(
        requests=text, status=MenteeEntry.Status.IN_PAIR
    )


def _meeting(pair, *, minutes=90, days_ago=0, topic="Разбор урока"):
    return meeting_services.meeting_create(
        actor=None,
        pair=pair,
        held_on=organization_today() - timedelta(days=days_ago),
        duration_minutes=minutes,
        mode="in_person",
        topic=topic,
    )


def _page(client_on, world, user, path="/org/banks/me/"):
    connection.set_schema_to_public()
    response = client_on(world.host(world.school_a), user).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def mentoring(world, in_school_a):
    """teacher_a mentors a new member (active pair, approved 30 days ago, no program yet); another
    mentor (also a member) has another mentee with her own requests."""
    mentee_user = _member(world, "Молодова")
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user], status=Pair.Status.ACTIVE)
    _set_requests(pair, REQUEST_TEXT)
    other_mentor = _member(world, "Другова")
    other_mentee = _member(world, "Чужакова")
    other_pair = approved_pair(mentor_user=other_mentor, mentee_users=[other_mentee], status=Pair.Status.ACTIVE)
    _set_requests(other_pair, OTHER_REQUEST_TEXT)
    return {
        "mentor": world.teacher_a,
        "mentee": mentee_user,
        "pair": pair,
        "other_mentor": other_mentor,
        "other_mentee": other_mentee,
        "other_pair": other_pair,
    }


# ---- the mentor's cabinet --------------------------------------------------------------------


def test_mentor_sees_mentees_requests_overdue_program_meetings_and_hours(world, client_on, mentoring):
    pair = mentoring["pair"]
    _meeting(pair, minutes=90, topic="Первая встреча")
    cabinet = selectors.cabinet_for(Staff.objects.get(user_id=world.teacher_a.pk), request=_request(world.teacher_a))
    assert [card.pair.pk for card in cabinet.as_mentor] == [pair.pk]
    card = cabinet.as_mentor[0]
    assert card.program is None and card.program_state.is_overdue
    assert card.program_state.due_on == pair.order.date + timedelta(days=10)
    assert card.meetings_count == 1 and card.last_meetings[0].topic == "Первая встреча"
    assert cabinet.hours.month_minutes == 90 and cabinet.hours.year_minutes == 90
    assert cabinet.as_mentee == []

    page = _page(client_on, world, world.teacher_a)
    assert 'data-testid="mentor-cabinet"' in page and 'data-testid="mentee-cabinet"' not in page
    assert "Молодова0" in page and REQUEST_TEXT in page
    assert "не составлена" in page and "просрочено" in page
    assert f"/org/programs/pair/{pair.pk}/new/" in page
    assert f"/org/programs/pair/{pair.pk}/meetings/new/" in page and "Записать встречу" in page
    assert "Первая встреча" in page
    assert f"/org/programs/hours/?mentor={pair.mentor_id}" in page


def test_mentor_sees_next_activities_and_plan_progress(world, client_on, mentoring):
    pair = mentoring["pair"]
    program = program_services.program_create(
        actor=world.teacher_a, pair=pair, data=program_data(pair), activities=plan(pair, count=4)
    )
    program_services.program_submit(actor=world.teacher_a, program=program)
    program_services.program_confirm(actor=mentoring["mentee"], program=program)
    first = ProgramActivity.objects.filter(program=program).order_by("position").first()
    program_services.activity_mark_done(actor=world.teacher_a, activity=first, done_on=first.due_on)
    card = selectors.cabinet_for(
        Staff.objects.get(user_id=world.teacher_a.pk), request=_request(world.teacher_a)
    ).as_mentor[0]
    assert card.activities_done == 1 and len(card.activities) == 4
    assert [a.title for a in card.next_activities] == ["Мероприятие 2", "Мероприятие 3", "Мероприятие 4"]
    page = _page(client_on, world, world.teacher_a)
    assert "выполнено 1 из 4" in page and "Мероприятие 3" in page
    assert program.title in page


def test_mentor_sees_reports_due_after_the_end(world, client_on, mentoring):
    pair = pair_services.pair_end(
        actor=None,
        pair=mentoring["pair"],
        reason=EndReason.PLAN_COMPLETED,
        ended_on=organization_today() - timedelta(days=2),
        note="",
    )
    due_on = pair.ended_on + timedelta(days=10)
    page = _page(client_on, world, world.teacher_a)
    assert 'data-testid="mentor-reports-due"' in page
    assert f"/org/reports/pair/{pair.pk}/submit/" in page and due_on.strftime("%d.%m.%Y") in page
    mentee_page = _page(client_on, world, mentoring["mentee"])
    assert 'data-testid="mentee-reports"' in mentee_page and f"/org/reports/pair/{pair.pk}/submit/" in mentee_page


# ---- the mentee's cabinet --------------------------------------------------------------------


def test_mentee_sees_mentor_program_to_confirm_and_plan_marks(world, client_on, mentoring):
    pair = mentoring["pair"]
    program = program_services.program_create(
        actor=world.teacher_a, pair=pair, data=program_data(pair), activities=plan(pair, count=2)
    )
    program_services.program_submit(actor=world.teacher_a, program=program)

    page = _page(client_on, world, mentoring["mentee"])
    assert 'data-testid="mentee-cabinet"' in page and 'data-testid="mentor-cabinet"' not in page
    assert "Опытнова" in page  # the mentor
    assert 'data-testid="confirm-program"' in page and f"/org/programs/{program.pk}/" in page
    assert "Мероприятие 1" in page and "Мероприятие 2" in page and "✓" not in page

    connection.set_tenant(world.school_a)
    program_services.program_confirm(actor=mentoring["mentee"], program=program)
    first = ProgramActivity.objects.filter(program=program).order_by("position").first()
    program_services.activity_mark_done(actor=world.teacher_a, activity=first, done_on=first.due_on)
    page = _page(client_on, world, mentoring["mentee"])
    assert 'data-testid="confirm-program"' not in page
    assert f"✓ выполнено {first.due_on:%d.%m.%Y}" in page


def test_open_questionnaires_are_listed_until_answered(world, client_on, mentoring):
    questionnaire, _ = questionnaire_make()
    run = run_make(questionnaire, audience="all_staff")
    page = _page(client_on, world, mentoring["mentee"])
    assert 'data-testid="open-questionnaires"' in page and f"/org/questionnaires/my/{run.pk}/" in page


# ---- privacy ---------------------------------------------------------------------------------


def test_a_mentor_sees_only_their_own_mentees(world, client_on, mentoring):
    page = _page(client_on, world, world.teacher_a)
    assert REQUEST_TEXT in page
    assert OTHER_REQUEST_TEXT not in page and "Чужакова" not in page
    other = _page(client_on, world, mentoring["other_mentor"])
    assert OTHER_REQUEST_TEXT in other and REQUEST_TEXT not in other


def test_a_mentee_does_not_see_requests_even_their_own_pairs_mentor_sees(world, client_on, mentoring):
    page = _page(client_on, world, mentoring["mentee"])
    assert OTHER_REQUEST_TEXT not in page and "Чужакова" not in page
    assert 'data-testid="mentee-requests"' not in page


def test_a_teacher_without_pairs_sees_only_their_own_things(world, client_on, mentoring):
    loner = _member(world, "Одинокова")
    Staff.objects.create(
        last_name="Одинокова",
        first_name="Ольга",
        position="учитель",
        hire_date=organization_today() - timedelta(days=400),
        user=loner,
    )
    page = _page(client_on, world, loner)
    assert "Одинокова" in page
    for secret in (REQUEST_TEXT, OTHER_REQUEST_TEXT, "Молодова0", "Опытнова", "mentor-cabinet", "mentee-cabinet"):
        assert secret not in page, secret
    api = client_on(world.host(world.school_a), loner).get("/api/v1/org/cabinet/").json()
    assert api["as_mentor"] == [] and api["as_mentee"] == [] and api["hours"] is None


def test_cabinet_api_is_the_signed_in_persons_own(world, client_on, mentoring):
    pair = mentoring["pair"]
    _meeting(pair, minutes=45)
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.teacher_a)
    data = client.get("/api/v1/org/cabinet/").json()
    assert [row["pair"] for row in data["as_mentor"]] == [pair.pk]
    assert data["as_mentor"][0]["program"]["is_overdue"] is True
    assert data["as_mentor"][0]["meetings_count"] == 1
    assert data["hours"]["month_hours"] == "0.8" and data["as_mentee"] == []
    mentee_data = client_on(world.host(world.school_a), mentoring["mentee"]).get("/api/v1/org/cabinet/").json()
    assert [row["pair"] for row in mentee_data["as_mentee"]] == [pair.pk] and mentee_data["as_mentor"] == []
    # A member without a staff record gets an empty cabinet, not an error.
    empty = client_on(world.host(world.school_a), world.curator_a).get("/api/v1/org/cabinet/").json()
    assert empty["full_name"] is None and empty["as_mentor"] == [] and empty["hours"] is None


def test_permission_matrix(world, client_on, mentoring):
    connection.set_schema_to_public()
    for path in ("/org/cabinet/board/", "/api/v1/org/cabinet/board/"):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
    for path in ("/org/cabinet/approvals/", "/api/v1/org/cabinet/approvals/"):
        check_matrix(world, client_on, "get", path, allowed=("director", "curator"))
    for path in ("/org/banks/me/", "/api/v1/org/cabinet/"):
        check_matrix(world, client_on, "get", path, allowed=EVERYONE)
    # The mentor and the mentee themselves (plain teachers) are refused the board.
    for user in (mentoring["mentee"], world.teacher_a):
        assert client_on(world.host(world.school_a), user).get("/org/cabinet/board/").status_code == 403
        assert client_on(world.host(world.school_a), user).get("/org/cabinet/approvals/").status_code == 403


# ---- the curator's board ---------------------------------------------------------------------


def test_board_rows_marks_and_waiting_block(world, client_on, mentoring):
    pair, other_pair = mentoring["pair"], mentoring["other_pair"]
    program = program_services.program_create(
        actor=mentoring["other_mentor"], pair=other_pair, data=program_data(other_pair), activities=plan(other_pair)
    )
    program_services.program_submit(actor=mentoring["other_mentor"], program=program)
    program_services.program_confirm(actor=mentoring["other_mentee"], program=program)
    _meeting(other_pair, days_ago=1)
    waiting_overdue = make_mentee(last_name="Ждунова")
    MenteeEntry.objects.filter(pk=waiting_overdue.pk).update(needed_from=organization_today() - timedelta(days=45))
    waiting_fresh = make_mentee(last_name="Новенькая")
    draft = make_draft(make_mentor(), [make_mentee()])

    data = selectors.board()
    by_pair = {row.pair.pk: row for row in data.rows}
    assert [row.pair.status for row in data.rows][:2] == ["active", "active"]
    assert by_pair[pair.pk].program_state.is_overdue and by_pair[pair.pk].has_overdue
    # The overdue marks come from institutional.selectors.deadlines.
    assert [d.kind for d in by_pair[pair.pk].overdue] == ["program"]
    assert by_pair[other_pair.pk].overdue == [] and by_pair[draft.pk].overdue == []
    assert by_pair[other_pair.pk].program_state.program == program and not by_pair[other_pair.pk].has_overdue
    assert by_pair[other_pair.pk].activities_total == 2 and by_pair[other_pair.pk].meetings_count == 1
    assert by_pair[draft.pk].program_state.due_on is None and not by_pair[draft.pk].has_overdue
    waiting = {row.entry.pk: row for row in data.waiting}
    assert waiting[waiting_overdue.pk].is_overdue and not waiting[waiting_fresh.pk].is_overdue
    assert data.counters["active"] == 2 and data.counters["draft"] == 1
    assert data.counters["programs_overdue"] == 1, data.counters
    assert data.counters["waiting_overdue"] == 1, [
        (w.entry.full_name, w.deadline, w.entry.status) for w in data.waiting
    ]

    page = _page(client_on, world, world.curator_a, "/org/cabinet/board/")
    assert f'class="table-danger" data-pair="{pair.pk}"' in page
    assert f'class="table-danger" data-pair="{other_pair.pk}"' not in page
    assert "программа просрочена" in page and "Ждунова" in page and "Новенькая" in page
    marks = page.split(f'data-pair="{pair.pk}"')[1].split('data-testid="overdue-marks"')[1].split("</td>")[0]
    assert "просрочено" in marks and by_pair[pair.pk].overdue[0].url in marks
    assert "в проекте пары" in page  # the draft pair's mentee is still waiting for the order
    assert "0 из 2" in page  # the other pair's plan
    assert (organization_today() - timedelta(days=1)).strftime("%d.%m.%Y") in page  # last meeting
    assert 'data-testid="board-waiting"' in page


def test_board_filters_and_bad_filters(world, client_on, mentoring):
    make_draft(make_mentor(), [make_mentee()])
    assert {r.pair.status for r in selectors.board(status="draft").rows} == {"draft"}
    assert len(selectors.board(status="draft").rows) == 1
    assert selectors.board(form="other").rows == []
    assert len(selectors.board(status="nonsense", form="'; drop").rows) == 3
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.curator_a)
    page = client.get("/org/cabinet/board/", {"status": "draft"}).content.decode()
    table = page.split('data-testid="board-table"')[1].split("</table>")[0]
    assert "Наставникова" in table and "Опытнова" not in table
    for params in ({"status": "x" * 500}, {"form": "\x00"}, {"status": ["a", "b"]}):
        assert client.get("/org/cabinet/board/", params).status_code == 200
        assert client.get("/api/v1/org/cabinet/board/", params).status_code == 200


def test_board_reports_state_of_ended_pairs(world, client_on, mentoring):
    pair = pair_services.pair_end(
        actor=None,
        pair=mentoring["pair"],
        reason=EndReason.PLAN_COMPLETED,
        ended_on=organization_today() - timedelta(days=20),
        note="",
    )
    row = next(r for r in selectors.board().rows if r.pair.pk == pair.pk)
    assert row.reports.expected == 2 and row.reports.submitted == 0 and row.reports.is_overdue
    assert "отчёты просрочены" in _page(client_on, world, world.curator_a, "/org/cabinet/board/")


def test_board_api(world, client_on, mentoring):
    connection.set_schema_to_public()
    data = client_on(world.host(world.school_a), world.director_a).get("/api/v1/org/cabinet/board/").json()
    pairs = {row["pair"]: row for row in data["rows"]}
    assert pairs[mentoring["pair"].pk]["program"]["is_overdue"] is True
    assert pairs[mentoring["pair"].pk]["mentor"] == mentoring["pair"].mentor.staff.full_name
    assert data["counters"]["active"] == 2


def _populate(count):
    """`count` pairs of every kind: active with a program, plan and meetings; a group; ended ones."""
    for index in range(count):
        kind = index % 3
        if kind == 0:
            pair = approved_pair(status=Pair.Status.ACTIVE)
            program_services.program_create(actor=None, pair=pair, data=program_data(pair), activities=plan(pair))
            _meeting(pair)
        elif kind == 1:
            approved_pair(mentee_users=(None, None), status=Pair.Status.APPROVED)
        else:
            pair = approved_pair(status=Pair.Status.ACTIVE)
            pair_services.pair_end(
                actor=None,
                pair=pair,
                reason=EndReason.PLAN_COMPLETED,
                ended_on=organization_today() - timedelta(days=1),
                note="",
            )
        make_mentee()


def _board_queries(world, client_on):
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.curator_a)
    client.get("/org/cabinet/board/")  # warm up the session and the caches
    with CaptureQueriesContext(connection) as page:
        assert client.get("/org/cabinet/board/").status_code == 200
    with CaptureQueriesContext(connection) as api:
        assert client.get("/api/v1/org/cabinet/board/").status_code == 200
    connection.set_tenant(world.school_a)
    return len(page), len(api)


def test_board_makes_the_same_number_of_queries_for_3_and_12_pairs(world, client_on, in_school_a):
    _populate(3)
    few = _board_queries(world, client_on)
    _populate(9)
    assert Pair.objects.count() >= 12
    many = _board_queries(world, client_on)
    assert few == many, (few, many)


# ---- the director's approvals queue ----------------------------------------------------------


@pytest.fixture
def queue(world, in_school_a):
    RegulationVersion.objects.create(number=77, source=RegulationVersion.Source.UPLOAD, title="Положение (проект)")
    Roadmap.objects.create(academic_year=2031)
    ready = make_draft(make_mentor(last_name="Готовова"), [make_mentee()])
    unready = make_draft(make_mentor(consents=False, last_name="Несогласова"), [make_mentee(consents=False)])
    signed_pair = approved_pair(status=Pair.Status.ACTIVE)  # its order has no scan
    return {"ready": ready, "unready": unready, "order": signed_pair.order}


def test_approvals_queue_lists_what_waits_for_the_director(world, client_on, queue):
    data = selectors.approvals()
    assert [v.number for v in data.regulation_drafts] == [77]
    assert [r.academic_year for r in data.roadmap_drafts] == [2031]
    rows = {row.pair.pk: row for row in data.draft_pairs}
    assert rows[queue["ready"].pk].is_ready and not rows[queue["unready"].pk].is_ready
    assert any(
        "согласие на выполнение обязанностей наставника" in p for p in rows[queue["unready"].pk].missing_consents
    )
    assert data.ready_pair_ids == [queue["ready"].pk]
    assert queue["order"] in data.orders_without_scan and queue["order"] in data.recent_orders

    page = _page(client_on, world, world.director_a, "/org/cabinet/approvals/")
    assert "версия 77" in page and "2031/2032" in page and "Несогласова" in page and "Готовова" in page
    assert f"/org/pairs/approve/?pair={queue['ready'].pk}" in page
    assert f"pair={queue['unready'].pk}" not in page
    assert f"/org/orders/{queue['order'].pk}/" in page and "загрузить скан" in page
    assert 'data-testid="read-only"' not in page


def test_curator_sees_the_queue_read_only(world, client_on, queue):
    page = _page(client_on, world, world.curator_a, "/org/cabinet/approvals/")
    assert 'data-testid="read-only"' in page and "Готовова" in page
    assert "/org/pairs/approve/" not in page and "загрузить скан" not in page


def test_approvals_api(world, client_on, queue):
    connection.set_schema_to_public()
    data = client_on(world.host(world.school_a), world.director_a).get("/api/v1/org/cabinet/approvals/").json()
    assert [row["pair"] for row in data["draft_pairs"] if row["is_ready"]] == [queue["ready"].pk]
    assert data["regulation_drafts"][0]["id"] and data["roadmap_drafts"]
    assert queue["order"].pk in [o["id"] for o in data["orders_without_scan"]]
    assert data["total"] == 1 + 1 + 2 + len(data["orders_without_scan"])


def test_empty_queue_says_so(world, client_on, in_school_a):
    assert "Сейчас ничего не ждёт утверждения" in _page(client_on, world, world.director_a, "/org/cabinet/approvals/")


# ---- helpers ---------------------------------------------------------------------------------


def _request(user):
    """A minimal request for selectors that read the signed-in user (tenant schema already set)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    request.roles = frozenset({Role.TEACHER})
    request.tenant = connection.tenant
    return request
