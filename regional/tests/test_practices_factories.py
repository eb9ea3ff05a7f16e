"""Test helpers of best practices: a completed program in the current organization's schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import EndReason, MenteeCategory, Order, Pair, PairForm, PairKind, Program
from institutional.selectors.programs import add_months
from institutional.services import banks as bank_services
from institutional.services import pairs as pair_services
from institutional.services import programs as program_services
from institutional.tests.programs_factories import new_user
from institutional.tests.test_banks_factories import make_staff

# What only the mentee's own records hold: none of it may ever reach a PracticeCase row.
MENTEE_LAST_NAME = "Засекреченная"
MENTEE_REQUESTS = "Побороть страх перед открытыми уроками цзюйтэпрос"
MENTEE_DIFFICULTIES = "Тревога на педсоветах шуршаллея; конфликт с завучем кракозябрия"
PROGRAM_REQUEST = "Личный запрос наставляемой фыркамаска"
PRIVATE_TOKENS = (MENTEE_LAST_NAME, "цзюйтэпрос", "шуршаллея", "кракозябрия", "фыркамаска")

TITLE = "Адаптация молодого учителя математики через взаимопосещение уроков"
GOAL = "Молодой учитель уверенно планирует и проводит уроки в 7-х классах."
PLANNED_RESULTS = "Проведён открытый урок; составлены технологические карты уроков на четверть."
PLAN = ("Посещение уроков опытного учителя", "Совместное планирование серии уроков", "Открытый урок и его разбор")


@dataclass
class Completed:
    program: Program
    pair: Pair
    mentor_user: object
    mentee_user: object


def running_program(*, title: str = TITLE) -> Completed:
    """A confirmed program of an active pair (still being carried out), started 200 days ago."""
    today = organization_today()
    mentor_user, mentee_user = new_user("Опытнова"), new_user(MENTEE_LAST_NAME)
    mentor = bank_services.mentor_entry_create(
        actor=None, staff=make_staff("Опытнова", user=mentor_user, hired_days_ago=6000), competencies="Методика"
    )
    mentee = bank_services.mentee_entry_create(
        actor=None,
        staff=make_staff(MENTEE_LAST_NAME, user=mentee_user, hired_days_ago=400),
        categories=[MenteeCategory.YOUNG, MenteeCategory.DIGITAL],
        requests=MENTEE_REQUESTS,
        difficulties=MENTEE_DIFFICULTIES,
    )
    starts_on = today - timedelta(days=200)
    pair = pair_services.pair_create(
        actor=None,
        mentor=mentor,
        mentees=[mentee],
        form=PairForm.TEACHER_TEACHER,
        kinds=[PairKind.TRADITIONAL, PairKind.VIRTUAL],
        starts_on=starts_on,
        ends_on=add_months(starts_on, 6),
    )
    order = Order.objects.create(
        number=f"{pair.pk}-пр",
        date=starts_on,
        kind=Order.Kind.PAIRS_APPROVAL,
        title="Об утверждении наставнических пар",
        status=Order.Status.SIGNED,
    )
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.ACTIVE, order=order, approved_at=timezone.now())
    pair.refresh_from_db()
    program = program_services.program_create(
        actor=mentor_user,
        pair=pair,
        data={
            "title": title,
            "request": PROGRAM_REQUEST,
            "goal": GOAL,
            "tasks": "1. Посетить уроки наставника. 2. Провести открытый урок.",
            "interaction_formats": ["consultation", "lesson_visit"],
            "meeting_mode": "in_person",
            "schedule": "По вторникам",
            "planned_results": PLANNED_RESULTS,
            "starts_on": starts_on,
            "ends_on": add_months(starts_on, 4),
        },
        activities=[
            {"title": name, "due_on": starts_on + timedelta(days=20 * number)}
            for number, name in enumerate(PLAN, start=1)
        ],
    )
    program_services.program_submit(actor=mentor_user, program=program)
    program_services.program_confirm(actor=mentee_user, program=program)
    return Completed(program=program, pair=pair, mentor_user=mentor_user, mentee_user=mentee_user)


def complete(made: Completed) -> Completed:
    """Every activity done, the pair completed with the plan carried out in full."""
    for activity in made.program.activities.all():
        program_services.activity_mark_done(actor=made.mentor_user, activity=activity, done_on=activity.due_on)
    pair_services.pair_end(actor=None, pair=made.pair, reason=EndReason.PLAN_COMPLETED, ended_on=made.program.ends_on)
    made.pair.refresh_from_db()
    made.program.refresh_from_db()
    return made


def completed_program(*, title: str = TITLE) -> Completed:
    return complete(running_program(title=title))
