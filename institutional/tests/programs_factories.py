"""Test helpers of the programs area: approved pairs with users on both sides (tenant schema)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import MenteeCategory, Order, Pair, PairForm, PairKind
from institutional.selectors.programs import add_months
from institutional.services import banks as bank_services
from institutional.services.pairs import pair_create
from institutional.tests.test_banks_factories import make_staff

_counter = {"n": 0}


def new_user(last_name: str):
    from tenants.models import User

    _counter["n"] += 1
    return User.objects.create_user(
        email=f"prog-{_counter['n']}-{timezone.now().timestamp()}@test.test",
        password="Correct-Horse-42",
        last_name=last_name,
        first_name="Ольга",
    )


def grant(user, organization, role):
    from tenants import services

    services.membership_grant(actor=None, user=user, organization=organization, role=role)


def approved_pair(
    *, mentor_user=None, mentee_users=(None,), starts_days_ago=30, months=12, status=Pair.Status.APPROVED
):
    """A pair (or group) approved by an order made through the ORM; mentees may be linked to users."""
    today = organization_today()
    mentor_staff = make_staff("Опытнова", user=mentor_user)
    mentor = bank_services.mentor_entry_create(actor=None, staff=mentor_staff, competencies="Методика")
    mentees = []
    for index, user in enumerate(mentee_users):
        staff = make_staff(f"Молодова{index}", user=user, hired_days_ago=40)
        mentees.append(bank_services.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.YOUNG]))
    starts_on = today - timedelta(days=starts_days_ago)
    pair = pair_create(
        actor=None,
        mentor=mentor,
        mentees=mentees,
        form=PairForm.TEACHER_TEACHER,
        kinds=[PairKind.TRADITIONAL],
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
    )
    order = Order.objects.create(
        number=f"{pair.pk}-н",
        date=starts_on,
        kind=Order.Kind.PAIRS_APPROVAL,
        title="Об утверждении наставнических пар",
        status=Order.Status.SIGNED,
    )
    Pair.objects.filter(pk=pair.pk).update(
        status=status, order=order, approved_at=timezone.now() - timedelta(days=starts_days_ago)
    )
    return Pair.objects.get(pk=pair.pk)


def program_data(pair, *, months=4, **extra):
    starts_on = pair.starts_on

    data = {
        "title": "Адаптация молодого учителя",
        "request": "Выстроить дисциплину на уроке и освоить электронный журнал",
        "goal": "Успешная адаптация в профессии",
        "tasks": "1. Посетить уроки наставника. 2. Разработать технологические карты.",
        "interaction_formats": ["consultation", "lesson_visit"],
        "meeting_mode": "in_person",
        "schedule": "По вторникам, 45 минут",
        "intermediate_results": "Проведён открытый урок",
        "planned_results": "Самостоятельное ведение уроков",
        "starts_on": starts_on,
        "ends_on": add_months(starts_on, months),
    }
    data.update(extra)
    return data


def plan(pair, count=2):
    return [
        {"title": f"Мероприятие {n}", "due_on": pair.starts_on + timedelta(days=10 * n)} for n in range(1, count + 1)
    ]
