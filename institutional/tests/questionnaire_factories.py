"""Test data for the questionnaire suites, made in the current tenant schema.

Staff and bank rows are created with the ORM (the bank services belong to another area);
questionnaires, questions and runs go through this area's services.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from institutional.dates import organization_today
from institutional.models import MenteeEntry, MentorEntry, Question, Staff
from institutional.services import questionnaires as services

_numbers = count(1)


def staff_make(*, user=None, last_name=None, **extra) -> Staff:
    number = next(_numbers)
    values = {
        "last_name": last_name or f"Иванова{number}",
        "first_name": "Анна",
        "patronymic": "Петровна",
        "position": "учитель",
        "hire_date": date(2020, 9, 1),
        "user_id": user.pk if user is not None else None,
    }
    values.update(extra)
    return Staff.objects.create(**values)


def mentee_make(staff: Staff, **extra) -> MenteeEntry:
    return MenteeEntry.objects.create(staff=staff, categories=["young"], needed_from=date(2024, 9, 1), **extra)


def mentor_make(staff: Staff, **extra) -> MentorEntry:
    return MentorEntry.objects.create(staff=staff, competencies="Методика преподавания математики", capacity=3, **extra)


def questionnaire_make(*, actor=None, title="Проверочная анкета"):
    """A questionnaire with one question of each type: scale (required), single, multiple (required), text."""
    questionnaire = services.questionnaire_create(actor=actor, title=title)
    scale = services.question_create(
        actor=actor,
        questionnaire=questionnaire,
        data=services.QuestionData(
            text="Оцените встречу", type=Question.Type.SCALE, scale_min_label="Плохо", scale_max_label="Отлично"
        ),
    )
    single = services.question_create(
        actor=actor,
        questionnaire=questionnaire,
        data=services.QuestionData(
            text="Формат встреч", type=Question.Type.SINGLE, is_required=False, options=["Очно", "Дистанционно"]
        ),
    )
    multiple = services.question_create(
        actor=actor,
        questionnaire=questionnaire,
        data=services.QuestionData(
            text="Темы", type=Question.Type.MULTIPLE, options=["Методика", "Дисциплина", "Родители"]
        ),
    )
    text = services.question_create(
        actor=actor,
        questionnaire=questionnaire,
        data=services.QuestionData(text="Комментарий", type=Question.Type.TEXT, is_required=False),
    )
    return questionnaire, (scale, single, multiple, text)


def run_make(questionnaire, *, audience="all_staff", actor=None, starts_in=-1, lasts=10):
    today = organization_today()
    opens_on = today + timedelta(days=starts_in)
    return services.run_create(
        actor=actor,
        questionnaire=questionnaire,
        title="Опрос",
        audience=audience,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=lasts),
    )
