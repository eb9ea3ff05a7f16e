"""The questionnaire engine: seeded templates, question rules, runs, answering, results and XLSX."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from institutional.dates import organization_today
from institutional.models import Answer, Question, Questionnaire, QuestionnaireRun, Response, Staff
from institutional.questionnaire_templates import TEMPLATES
from institutional.selectors import questionnaires as selectors
from institutional.services import questionnaires as services
from institutional.tests.questionnaire_factories import (
    mentee_make,
    mentor_make,
    questionnaire_make,
    run_make,
    staff_make,
)
from nastavnik.xlsx import workbook_bytes

EXPECTED_KINDS = {"needs_analysis", "mentor_helpfulness", "preferences", "intermediate", "final_satisfaction"}


# Seeded templates ----------------------------------------------------------------------------


def test_a_new_organization_starts_with_the_five_seeded_questionnaires(in_school_a):
    seeded = Questionnaire.objects.exclude(template_code="")

    assert {q.template_code for q in seeded} == EXPECTED_KINDS
    assert {q.kind for q in seeded} == EXPECTED_KINDS
    for questionnaire in seeded:
        questions = list(questionnaire.questions.order_by("position"))
        assert 6 <= len(questions) <= 12, questionnaire.template_code
        assert [q.position for q in questions] == list(range(1, len(questions) + 1))
        assert any(q.is_required for q in questions) and any(not q.is_required for q in questions)
        for question in questions:
            if question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                assert len(set(question.options)) == len(question.options) >= 2
            else:
                assert question.options == []


def test_seeded_questionnaires_mix_question_types(in_school_a):
    types = set(Question.objects.filter(questionnaire__template_code__in=EXPECTED_KINDS).values_list("type", flat=True))
    assert types == set(Question.Type.values)
    needs = Questionnaire.objects.get(template_code="needs_analysis")
    assert {q.type for q in needs.questions.all()} == set(Question.Type.values)


def test_final_satisfaction_scales_are_all_one_to_five(in_school_a):
    final = Questionnaire.objects.get(template_code="final_satisfaction")
    scales = list(final.questions.filter(type=Question.Type.SCALE))
    assert len(scales) >= 5
    assert {(q.scale_min, q.scale_max) for q in scales} == {(1, 5)}
    assert all(q.scale_min_label and q.scale_max_label for q in scales)


def test_template_data_is_valid_for_the_engine():
    for template in TEMPLATES:
        for question in template["questions"]:
            services._clean_question(services.QuestionData(**question))


def test_seeding_again_changes_nothing_even_after_edits(in_school_a):
    migration = importlib.import_module("institutional.migrations.0007_questionnaire_templates")
    needs = Questionnaire.objects.get(template_code="needs_analysis")
    services.questionnaire_update(actor=None, questionnaire=needs, title="Наша анкета", description="")
    before = (Questionnaire.objects.count(), Question.objects.count())

    migration.seed_questionnaires(django_apps, None)

    assert (Questionnaire.objects.count(), Question.objects.count()) == before
    assert Questionnaire.objects.get(template_code="needs_analysis").title == "Наша анкета"


# Questions -----------------------------------------------------------------------------------


def _data(**overrides):
    values = {"text": "Вопрос", "type": Question.Type.SINGLE, "options": ["Да", "Нет"]}
    values.update(overrides)
    return services.QuestionData(**values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "   "}, "text"),
        ({"type": "ranking"}, "type"),
        ({"options": ["Да"]}, "options"),
        ({"options": ["Да", " да ", ""]}, "options"),
        ({"type": Question.Type.MULTIPLE, "options": []}, "options"),
        ({"type": Question.Type.SCALE, "scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"type": Question.Type.SCALE, "scale_min": 5, "scale_max": 1}, "scale_max"),
        ({"type": Question.Type.SCALE, "scale_min": 0, "scale_max": 20}, "scale_min"),
        ({"type": Question.Type.SCALE, "scale_min": -10, "scale_max": 10}, "scale_max"),
    ],
)
def test_a_wrong_question_definition_is_refused_and_nothing_is_written(in_school_a, overrides, field):
    questionnaire = services.questionnaire_create(actor=None, title="Анкета")

    with pytest.raises(ValidationError) as refused:
        services.question_create(actor=None, questionnaire=questionnaire, data=_data(**overrides))

    assert field in refused.value.message_dict
    assert not questionnaire.questions.exists()


def test_questions_are_appended_in_order_and_irrelevant_fields_are_cleared(in_school_a):
    questionnaire = services.questionnaire_create(actor=None, title="Анкета")
    first = services.question_create(actor=None, questionnaire=questionnaire, data=_data(options=[" Да ", "Нет", ""]))
    second = services.question_create(
        actor=None,
        questionnaire=questionnaire,
        data=_data(type=Question.Type.SCALE, options=["лишнее"], scale_min=0, scale_max=10, scale_max_label="Очень"),
    )
    third = services.question_create(actor=None, questionnaire=questionnaire, data=_data(type=Question.Type.TEXT))

    assert (first.position, second.position, third.position) == (1, 2, 3)
    assert first.options == ["Да", "Нет"]
    assert second.options == [] and (second.scale_min, second.scale_max, second.scale_max_label) == (0, 10, "Очень")
    assert third.options == []


def test_questions_move_up_and_down(in_school_a):
    questionnaire, (scale, single, multiple, text) = questionnaire_make()

    services.question_move(actor=None, question=multiple, direction="up")
    services.question_move(actor=None, question=scale, direction="down")
    services.question_move(actor=None, question=text, direction="down")  # already last: nothing happens

    order = list(questionnaire.questions.order_by("position").values_list("pk", flat=True))
    assert order == [multiple.pk, scale.pk, single.pk, text.pk]


def test_deleting_a_question_closes_the_gap(in_school_a):
    questionnaire, (scale, single, multiple, text) = questionnaire_make()

    services.question_delete(actor=None, question=single)

    assert list(questionnaire.questions.order_by("position").values_list("pk", "position")) == [
        (scale.pk, 1),
        (multiple.pk, 2),
        (text.pk, 3),
    ]


def _answered(questionnaire, questions):
    scale, _single, multiple, _text = questions
    run = run_make(questionnaire)
    services.response_submit(
        actor=None, run=run, respondent=staff_make(), answers={scale.pk: 4, multiple.pk: ["Методика"]}
    )
    return run


def test_once_answered_questions_cannot_be_deleted_or_change_type_but_wording_can(in_school_a):
    questionnaire, questions = questionnaire_make()
    scale, single, multiple, text = questions
    _answered(questionnaire, questions)

    with pytest.raises(ValidationError, match="удалять нельзя"):
        services.question_delete(actor=None, question=text)
    with pytest.raises(ValidationError) as type_change:
        services.question_update(
            actor=None, question=single, data=_data(type=Question.Type.MULTIPLE, options=single.options)
        )
    assert "type" in type_change.value.message_dict
    with pytest.raises(ValidationError) as bounds:
        services.question_update(actor=None, question=scale, data=_data(type=Question.Type.SCALE, scale_max=10))
    assert "scale_min" in bounds.value.message_dict
    with pytest.raises(ValidationError) as removed:
        services.question_update(
            actor=None, question=multiple, data=_data(type=Question.Type.MULTIPLE, options=["Методика", "Дисциплина"])
        )
    assert "options" in removed.value.message_dict

    services.question_update(
        actor=None,
        question=multiple,
        data=_data(text="Темы встреч", type=Question.Type.MULTIPLE, options=[*multiple.options, "Цифровые навыки"]),
    )
    multiple.refresh_from_db()
    assert multiple.text == "Темы встреч" and multiple.options[-1] == "Цифровые навыки"
    assert questionnaire.questions.count() == 4
    single.refresh_from_db()
    assert single.type == Question.Type.SINGLE


def test_duplicate_copies_questions_but_not_runs(in_school_a):
    questionnaire, questions = questionnaire_make()
    _answered(questionnaire, questions)

    copy = services.questionnaire_duplicate(actor=None, questionnaire=questionnaire)

    assert copy.title == "Проверочная анкета (копия)" and copy.template_code == ""
    assert list(copy.questions.values_list("position", "text", "type", "options")) == list(
        questionnaire.questions.values_list("position", "text", "type", "options")
    )
    assert not copy.runs.exists()
    assert not selectors.questionnaire_has_responses(questionnaire=copy)


# Runs ----------------------------------------------------------------------------------------


def test_a_run_cannot_close_before_it_opens(in_school_a):
    questionnaire, _ = questionnaire_make()
    today = organization_today()

    with pytest.raises(ValidationError) as refused:
        services.run_create(
            actor=None,
            questionnaire=questionnaire,
            title="Опрос",
            audience="all_staff",
            opens_on=today,
            closes_on=today - timedelta(days=1),
        )

    assert "closes_on" in refused.value.message_dict
    assert not QuestionnaireRun.objects.exists()


def test_an_archived_or_empty_questionnaire_cannot_be_run(in_school_a):
    questionnaire, _ = questionnaire_make()
    services.questionnaire_set_archived(actor=None, questionnaire=questionnaire, is_archived=True)
    empty = services.questionnaire_create(actor=None, title="Пустая")

    with pytest.raises(ValidationError, match="в архиве"):
        run_make(questionnaire)
    with pytest.raises(ValidationError, match="нет ни одного вопроса"):
        run_make(empty)
    assert not QuestionnaireRun.objects.exists()


def test_closing_a_run_early_stops_answers(in_school_a):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    run = run_make(questionnaire)
    services.run_close(actor=None, run=run)

    assert run.closed_at is not None and run.closes_on == organization_today()
    with pytest.raises(services.ResponseRejected, match="закрыт"):
        services.response_submit(
            actor=None, run=run, respondent=staff_make(), answers={scale.pk: 3, multiple.pk: ["Методика"]}
        )
    with pytest.raises(ValidationError, match="уже закрыт"):
        services.run_close(actor=None, run=run)
    assert not Response.objects.exists()


# Answering -----------------------------------------------------------------------------------


def test_valid_answers_are_stored_normalized(in_school_a):
    questionnaire, (scale, single, multiple, text) = questionnaire_make()
    run = run_make(questionnaire)
    staff = staff_make()

    response = services.response_submit(
        actor=None,
        run=run,
        respondent=staff,
        answers={
            str(scale.pk): "5",
            single.pk: "Очно",
            multiple.pk: ["Родители", "Методика", "Методика"],
            text.pk: "  ",
        },
    )

    stored = {answer.question_id: answer.value for answer in response.answers.all()}
    assert stored == {scale.pk: 5, single.pk: "Очно", multiple.pk: ["Методика", "Родители"]}


@pytest.mark.parametrize(
    ("answers", "bad"),
    [
        ({"multiple": ["Методика"]}, "scale"),  # required scale missing
        ({"scale": 3, "multiple": []}, "multiple"),  # required multiple empty
        ({"scale": 6, "multiple": ["Методика"]}, "scale"),  # above the scale
        ({"scale": 0, "multiple": ["Методика"]}, "scale"),  # below the scale
        ({"scale": "много", "multiple": ["Методика"]}, "scale"),
        ({"scale": True, "multiple": ["Методика"]}, "scale"),
        ({"scale": 3, "multiple": ["Методика"], "single": "По телефону"}, "single"),
        ({"scale": 3, "multiple": ["Методика"], "single": ["Очно", "Дистанционно"]}, "single"),
        ({"scale": 3, "multiple": ["Методика", "Астрология"]}, "multiple"),
        ({"scale": 3, "multiple": ["Методика"], "text": "я" * 5001}, "text"),
        ({"scale": 3, "multiple": ["Методика"], "text": 42}, "text"),
    ],
)
def test_wrong_or_missing_answers_are_reported_per_question_and_nothing_is_written(in_school_a, answers, bad):
    questionnaire, (scale, single, multiple, text) = questionnaire_make()
    by_name = {"scale": scale, "single": single, "multiple": multiple, "text": text}
    run = run_make(questionnaire)

    with pytest.raises(services.AnswersInvalid) as refused:
        services.response_submit(
            actor=None, run=run, respondent=staff_make(), answers={by_name[k].pk: v for k, v in answers.items()}
        )

    assert set(refused.value.question_errors) == {by_name[bad].pk}
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_answer_to_a_question_of_another_questionnaire_is_refused(in_school_a):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    _other, (foreign, *_rest) = questionnaire_make(title="Другая")
    run = run_make(questionnaire)

    with pytest.raises(services.ResponseRejected, match="нет в анкете"):
        services.response_submit(
            actor=None,
            run=run,
            respondent=staff_make(),
            answers={scale.pk: 3, multiple.pk: ["Методика"], foreign.pk: 3},
        )
    assert not Response.objects.exists()


def test_one_response_per_person_per_run(in_school_a):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    run = run_make(questionnaire)
    staff = staff_make()
    answers = {scale.pk: 2, multiple.pk: ["Методика"]}
    services.response_submit(actor=None, run=run, respondent=staff, answers=answers)

    with pytest.raises(services.ResponseRejected, match="уже ответили"):
        services.response_submit(
            actor=None, run=run, respondent=staff, answers={scale.pk: 5, multiple.pk: ["Родители"]}
        )

    assert Response.objects.count() == 1
    assert Answer.objects.get(question=scale).value == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(run=run, respondent=staff)


@pytest.mark.parametrize(("starts_in", "lasts", "message"), [(1, 5, "ещё не начался"), (-10, 5, "закрыт")])
def test_answers_outside_the_run_dates_are_refused(in_school_a, starts_in, lasts, message):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    run = run_make(questionnaire, starts_in=starts_in, lasts=lasts)

    with pytest.raises(services.ResponseRejected, match=message):
        services.response_submit(
            actor=None, run=run, respondent=staff_make(), answers={scale.pk: 3, multiple.pk: ["Методика"]}
        )
    assert not Response.objects.exists()


def test_answers_on_the_first_and_last_day_are_accepted(in_school_a):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    first_day = run_make(questionnaire, starts_in=0, lasts=3)
    last_day = run_make(questionnaire, starts_in=-3, lasts=3)
    for run in (first_day, last_day):
        services.response_submit(
            actor=None, run=run, respondent=staff_make(), answers={scale.pk: 3, multiple.pk: ["Методика"]}
        )
    assert Response.objects.count() == 2


def test_audiences_follow_the_banks_and_employment(in_school_a):
    mentee = staff_make()
    mentee_make(mentee)
    former_mentee = staff_make()
    mentee_make(former_mentee, status="left", left_on=organization_today(), left_reason="completed")
    mentor = staff_make()
    mentor_make(mentor)
    excluded_mentor = staff_make()
    mentor_make(excluded_mentor, is_active=False)
    dismissed = staff_make(status=Staff.Status.DISMISSED, dismissal_date=organization_today())
    mentee_make(dismissed)

    def audience(staff):
        return {a for a in QuestionnaireRun.Audience.values if selectors.staff_in_audience(staff=staff, audience=a)}

    assert audience(mentee) == {"mentees", "all_staff"}
    assert audience(former_mentee) == {"all_staff"}
    assert audience(mentor) == {"mentors", "all_staff"}
    assert audience(excluded_mentor) == {"all_staff"}
    assert audience(dismissed) == set()


def test_someone_outside_the_audience_cannot_answer(in_school_a):
    questionnaire, (scale, _s, multiple, _t) = questionnaire_make()
    run = run_make(questionnaire, audience="mentors")

    with pytest.raises(services.ResponseRejected, match="не для вас"):
        services.response_submit(
            actor=None, run=run, respondent=staff_make(), answers={scale.pk: 3, multiple.pk: ["Методика"]}
        )
    assert not Response.objects.exists()


# Results -------------------------------------------------------------------------------------


def _results_fixture():
    questionnaire, (scale, single, multiple, text) = questionnaire_make()
    run = run_make(questionnaire)
    services.response_submit(
        actor=None,
        run=run,
        respondent=staff_make(last_name="Борисова"),
        answers={scale.pk: 5, single.pk: "Очно", multiple.pk: ["Методика", "Родители"], text.pk: "Всё понравилось"},
    )
    services.response_submit(
        actor=None,
        run=run,
        respondent=staff_make(last_name="Алексеева"),
        answers={scale.pk: 2, multiple.pk: ["Методика"]},
    )
    return run, (scale, single, multiple, text)


def test_results_have_a_row_per_respondent_and_a_summary_per_question(in_school_a):
    run, _questions = _results_fixture()

    results = selectors.run_results(run=run)

    assert [row.respondent for row in results.rows] == ["Алексеева Анна Петровна", "Борисова Анна Петровна"]
    assert results.rows[0].values == [2, None, ["Методика"], None]
    assert results.rows[1].display == ["5", "Очно", "Методика; Родители", "Всё понравилось"]
    scale_summary, single_summary, multiple_summary, text_summary = results.summaries
    assert scale_summary.mean == 3.5 and scale_summary.answered == 2
    assert scale_summary.counts == [("1", 0), ("2", 1), ("3", 0), ("4", 0), ("5", 1)]
    assert single_summary.counts == [("Очно", 1), ("Дистанционно", 0)] and single_summary.answered == 1
    assert multiple_summary.counts == [("Методика", 2), ("Дисциплина", 0), ("Родители", 1)]
    assert text_summary.answered == 1 and text_summary.mean is None


def test_results_xlsx_holds_the_table_and_the_summary(in_school_a):
    run, _ = _results_fixture()

    workbook = load_workbook(io.BytesIO(workbook_bytes(selectors.run_results_sheets(selectors.run_results(run=run)))))

    assert workbook.sheetnames == ["Ответы", "Сводка"]
    answers = [list(row) for row in workbook["Ответы"].iter_rows(values_only=True)]
    assert answers[0] == [
        "Респондент",
        "Дата ответа",
        "1. Оцените встречу",
        "2. Формат встреч",
        "3. Темы",
        "4. Комментарий",
    ]
    assert answers[1][0] == "Алексеева Анна Петровна" and answers[1][2] == 2 and answers[1][4] == "Методика"
    assert answers[2][2:] == [5, "Очно", "Методика; Родители", "Всё понравилось"]
    summary = [list(row) for row in workbook["Сводка"].iter_rows(values_only=True)]
    assert ["1. Оцените встречу", "Среднее", 3.5] in summary
    assert ["3. Темы", "Методика", 2] in summary
    assert ["2. Формат встреч", "Ответили", 1] in summary
