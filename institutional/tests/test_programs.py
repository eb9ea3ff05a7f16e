"""Rules and transitions of personalized programs: period, plan, agreement, changes with history, DOCX."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from institutional.dates import organization_today
from institutional.documents.programs import program_document
from institutional.models import Pair, Program, ProgramActivity, ProgramChange
from institutional.selectors import programs as selectors
from institutional.services import programs as services
from institutional.tests.programs_factories import approved_pair, new_user, plan, program_data
from nastavnik.documents import document_bytes, document_text


@pytest.fixture
def people(world, in_school_a):
    mentee_user = new_user("Молодова")
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[mentee_user])
    return world.teacher_a, mentee_user, pair


def make_program(people, **extra):
    mentor, _, pair = people
    return services.program_create(actor=mentor, pair=pair, data=program_data(pair, **extra), activities=plan(pair))


def confirmed(people):
    mentor, mentee, _ = people
    program = make_program(people)
    services.program_submit(actor=mentor, program=program)
    return services.program_confirm(actor=mentee, program=program)


def test_create_keeps_every_field_and_plan_and_deadline(people):
    program = make_program(people)
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    assert program.goal == "Успешная адаптация в профессии"
    assert program.interaction_formats == ["consultation", "lesson_visit"]
    assert [a.title for a in program.activities.all()] == ["Мероприятие 1", "Мероприятие 2"]
    approved = people[2].approved_at
    from django.utils import timezone

    assert program.draft_due_on == timezone.localtime(approved).date() + timedelta(days=10)
    assert program.is_group is False


@pytest.mark.parametrize(
    ("months", "message"),
    [(2, "не может быть короче 3 месяцев"), (13, "не может быть длиннее 12 месяцев")],
)
def test_program_length_is_refused_outside_the_regulation(people, months, message):
    with pytest.raises(ValidationError) as error:
        make_program(people, months=months)
    assert message in str(error.value)
    assert Program.objects.count() == 0


def test_dates_out_of_order_and_outside_the_pair_are_refused(people):
    _, _, pair = people
    with pytest.raises(ValidationError, match="позже начала"):
        make_program(people, ends_on=pair.starts_on - timedelta(days=1))
    with pytest.raises(ValidationError, match="раньше наставничества"):
        make_program(people, starts_on=pair.starts_on - timedelta(days=5))
    mentor = people[0]
    bad_plan = [{"title": "Вне срока", "due_on": pair.starts_on - timedelta(days=1)}]
    with pytest.raises(ValidationError, match="вне периода программы"):
        services.program_create(actor=mentor, pair=pair, data=program_data(pair), activities=bad_plan)
    assert Program.objects.count() == 0 and ProgramActivity.objects.count() == 0


def test_required_fields_and_draft_pair_refused(people, world):
    _, _, pair = people
    with pytest.raises(ValidationError) as error:
        make_program(people, goal="", interaction_formats=[])
    assert "goal" in error.value.message_dict and "interaction_formats" in error.value.message_dict
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.DRAFT, order=None)
    pair.refresh_from_db()
    with pytest.raises(ValidationError, match="утверждённой приказом"):
        services.program_create(actor=world.teacher_a, pair=pair, data=program_data(pair), activities=plan(pair))


def test_submit_return_confirm_only_by_the_mentee(people, world):
    mentor, mentee, _ = people
    program = make_program(people)
    with pytest.raises(ValidationError, match=r"только черновик|только программу"):
        services.program_confirm(actor=mentee, program=program)
    services.program_submit(actor=mentor, program=program)
    for stranger in (mentor, world.curator_a):
        with pytest.raises(ValidationError, match="только наставляемый"):
            services.program_confirm(actor=stranger, program=program)
    with pytest.raises(ValidationError):
        services.program_return(actor=mentee, program=program, comment="  ")
    services.program_return(actor=mentee, program=program, comment="Добавьте посещение уроков")
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT and program.mentee_comment == "Добавьте посещение уроков"
    services.program_submit(actor=mentor, program=program)
    services.program_confirm(actor=mentee, program=program)
    program.refresh_from_db()
    assert program.status == Program.Status.CONFIRMED and program.confirmed_at is not None
    with pytest.raises(ValidationError, match="только черновик"):
        services.program_update(actor=mentor, program=program, data=program_data(program.pair), activities=[])


def test_overdue_draft_stands_out(people):
    program = make_program(people)
    today = organization_today()
    assert selectors.is_overdue(program, today=program.draft_due_on) is False
    assert selectors.is_overdue(program, today=program.draft_due_on + timedelta(days=1)) is True
    program.status = Program.Status.SUBMITTED
    assert selectors.is_overdue(program, today=today + timedelta(days=100)) is False


def test_activity_done_rules(people):
    mentor, mentee, _ = people
    program = make_program(people)
    activity = program.activities.first()
    with pytest.raises(ValidationError, match="согласованной"):
        services.activity_mark_done(actor=mentor, activity=activity, done_on=organization_today())
    services.program_submit(actor=mentor, program=program)
    services.program_confirm(actor=mentee, program=program)
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="в будущем"):
        services.activity_mark_done(actor=mentor, activity=activity, done_on=organization_today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="вне периода"):
        services.activity_mark_done(actor=mentor, activity=activity, done_on=program.starts_on - timedelta(days=1))
    services.activity_mark_done(actor=mentor, activity=activity, done_on=organization_today(), result="Проведено")
    activity.refresh_from_db()
    assert activity.done_on == organization_today() and activity.result == "Проведено"


def test_extension_applies_only_when_the_other_side_confirms(people):
    mentor, mentee, _ = people
    program = confirmed(people)
    old_end = program.ends_on
    new_end = old_end + timedelta(days=30)
    change = services.program_change_propose(
        actor=mentor, program=program, kind="extend", description="Болезнь наставляемого", proposed={"ends_on": new_end}
    )
    program.refresh_from_db()
    assert program.ends_on == old_end
    with pytest.raises(ValidationError, match="другая сторона"):
        services.program_change_confirm(actor=mentor, change=change)
    services.program_change_confirm(actor=mentee, change=change)
    program.refresh_from_db()
    change.refresh_from_db()
    assert program.ends_on == new_end
    assert change.previous == {"ends_on": old_end.isoformat()} and change.applied_at is not None
    with pytest.raises(ValidationError, match="уже рассмотрено"):
        services.program_change_reject(actor=mentee, change=change)


def test_extension_beyond_the_maximum_is_refused(people):
    mentor, _, _ = people
    program = confirmed(people)
    too_far = selectors.add_months(program.starts_on, 13)
    with pytest.raises(ValidationError, match=r"длиннее 12|срока наставничества"):
        services.program_change_propose(
            actor=mentor, program=program, kind="extend", description="Нужно больше", proposed={"ends_on": too_far}
        )
    assert ProgramChange.objects.count() == 0


def test_plan_change_rejected_keeps_the_old_plan(people):
    mentor, mentee, pair = people
    program = confirmed(people)
    new_plan = [{"title": "Новое мероприятие", "due_on": (pair.starts_on + timedelta(days=20)).isoformat()}]
    change = services.program_change_propose(
        actor=mentee, program=program, kind="plan", description="Заменить план", proposed={"activities": new_plan}
    )
    services.program_change_reject(actor=mentor, change=change)
    assert [a.title for a in program.activities.all()] == ["Мероприятие 1", "Мероприятие 2"]
    change.refresh_from_db()
    assert change.rejected_at is not None and change.applied_at is None
    # Proposed again and confirmed this time: the history keeps both, with the previous plan.
    change = services.program_change_propose(
        actor=mentee, program=program, kind="plan", description="Заменить план", proposed={"activities": new_plan}
    )
    services.program_change_confirm(actor=mentor, change=change)
    assert [a.title for a in program.activities.all()] == ["Новое мероприятие"]
    change.refresh_from_db()
    assert [a["title"] for a in change.previous["activities"]] == ["Мероприятие 1", "Мероприятие 2"]
    assert selectors.program_changes(program).count() == 2


def test_form_change_updates_the_pair_after_both_confirm(people, world):
    mentor, mentee, pair = people
    program = confirmed(people)
    with pytest.raises(ValidationError, match="только наставник или наставляемый"):
        services.program_change_propose(
            actor=world.curator_a, program=program, kind="form", description="x", proposed={"kinds": ["virtual"]}
        )
    change = services.program_change_propose(
        actor=mentor,
        program=program,
        kind="form",
        description="Переход на дистанционный формат",
        proposed={"kinds": ["virtual"]},
    )
    pair.refresh_from_db()
    assert pair.kinds == ["traditional"]
    services.program_change_confirm(actor=mentee, change=change)
    pair.refresh_from_db()
    assert pair.kinds == ["virtual"]
    change.refresh_from_db()
    assert change.previous == {"form": "teacher_teacher", "kinds": ["traditional"]}


def test_changes_only_in_a_confirmed_program(people):
    mentor, _, pair = people
    program = make_program(people)
    with pytest.raises(ValidationError, match="согласованную программу"):
        services.program_change_propose(
            actor=mentor, program=program, kind="extend", description="x", proposed={"ends_on": pair.ends_on}
        )


def test_docx_contains_title_fields_plan_and_signatures(people, world):
    program = make_program(people)
    text = document_text(document_bytes(program_document(program, organization=world.school_a)))
    assert "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА" in text.upper()
    assert "Тестовая организация t-school-a" in text
    assert "Опытнова Анна Петровна" in text and "Молодова0 Анна Петровна" in text
    assert "Педагог – педагог" in text and "Традиционное (один на один)" in text
    for value in (
        "Выстроить дисциплину",
        "Успешная адаптация",
        "технологические карты",
        "Консультации",
        "По вторникам",
        "Проведён открытый урок",
        "Самостоятельное ведение",
    ):
        assert value in text
    assert "№ | Мероприятие | Срок | Отметка о выполнении" in text
    assert "1 | Мероприятие 1 |" in text
    assert "Наставник" in text and "Наставляемый" in text and "Куратор" in text
