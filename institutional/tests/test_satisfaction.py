"""K7 satisfaction: the exact formula of institutional.selectors.satisfaction and its edges."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from institutional.models import Answer, Order, Pair, Question, Questionnaire, QuestionnaireRun, Response
from institutional.selectors.satisfaction import (
    SatisfactionSummary,
    final_satisfaction_scores,
    mean_rounded,
    rescaled,
    response_score,
    satisfaction_summary,
)
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor

START, END = date(2025, 9, 1), date(2026, 8, 31)
EMPTY = SatisfactionSummary(mentor_mean=None, mentor_count=0, mentee_mean=None, mentee_count=0)


def final_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(template_code="final_satisfaction")


def scale(questionnaire, number: int) -> Question:
    """The n-th 1–5 scale question of the seeded final satisfaction questionnaire."""
    return list(questionnaire.questions.filter(type=Question.Type.SCALE).order_by("position"))[number]


def ten_point(questionnaire) -> Question:
    position = questionnaire.questions.order_by("-position").first().position + 1
    return Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        text="Оценка по 10-балльной шкале",
        type="scale",
        scale_min=1,
        scale_max=10,
    )


def text_question(questionnaire) -> Question:
    return questionnaire.questions.filter(type=Question.Type.TEXT).order_by("position").first()


def ended_pair(mentees: int = 1, *, ended_on: date = date(2026, 5, 20)):
    mentor = make_mentor()
    pair = make_draft(mentor, [make_mentee() for _ in range(mentees)])
    order = Order.objects.create(number=f"A-{pair.pk}", date=pair.starts_on, kind="pairs_approval", title="x")
    Pair.objects.filter(pk=pair.pk).update(
        status=Pair.Status.COMPLETED, order=order, ended_on=ended_on, end_reason="plan_completed"
    )
    return Pair.objects.select_related("mentor__staff").get(pk=pair.pk)


def run_for(pair, questionnaire=None) -> QuestionnaireRun:
    questionnaire = questionnaire or final_questionnaire()
    return QuestionnaireRun.objects.create(
        questionnaire=questionnaire,
        title="Итоговая удовлетворённость",
        audience=QuestionnaireRun.Audience.PAIR,
        pair=pair,
        opens_on=pair.ended_on,
        closes_on=pair.ended_on + timedelta(days=10),
    )


def respond(run, staff, role, answers: dict) -> Response:
    response = Response.objects.create(run=run, respondent=staff, role=role)
    Answer.objects.bulk_create(Answer(response=response, question=q, value=v) for q, v in answers.items())
    return response


def mentee_staff(pair):
    return [p.mentee.staff for p in pair.participants.select_related("mentee__staff").order_by("pk")]


def test_no_responses_gives_no_means(in_school_a):
    assert satisfaction_summary(start=START, end=END) == EMPTY


def test_worked_example_of_the_docstring(in_school_a):
    questionnaire = final_questionnaire()
    ten = ten_point(questionnaire)
    pair = ended_pair(mentees=2)
    run = run_for(pair)
    first, second = mentee_staff(pair)
    respond(
        run,
        first,
        "mentee",
        {scale(questionnaire, 0): 4, scale(questionnaire, 1): 5, ten: 8, text_question(questionnaire): "Всё полезно"},
    )
    respond(run, second, "mentee", {scale(questionnaire, 0): 3})
    respond(run, pair.mentor.staff, "mentor", {text_question(questionnaire): "Только текст"})

    summary = satisfaction_summary(start=START, end=END)

    assert summary == SatisfactionSummary(mentor_mean=None, mentor_count=0, mentee_mean=Decimal("3.69"), mentee_count=2)


def test_a_one_to_ten_scale_is_rescaled_linearly_to_one_to_five(in_school_a):
    questionnaire = final_questionnaire()
    ten = ten_point(questionnaire)
    assert rescaled(1, scale_min=1, scale_max=10) == Decimal(1)
    assert rescaled(10, scale_min=1, scale_max=10) == Decimal(5)
    assert rescaled(6, scale_min=1, scale_max=10).quantize(Decimal("0.001")) == Decimal("3.222")
    pair = ended_pair()
    respond(run_for(pair), mentee_staff(pair)[0], "mentee", {ten: 6})
    assert satisfaction_summary(start=START, end=END).mentee_mean == Decimal("3.22")


def test_a_response_with_only_text_answers_is_ignored(in_school_a):
    questionnaire = final_questionnaire()
    pair = ended_pair()
    run = run_for(pair)
    respond(run, mentee_staff(pair)[0], "mentee", {text_question(questionnaire): "Очень понравилось"})
    respond(run, pair.mentor.staff, "mentor", {scale(questionnaire, 0): 4})
    assert satisfaction_summary(start=START, end=END) == SatisfactionSummary(Decimal("4.00"), 1, None, 0)


def test_each_mentee_of_a_group_of_three_counts_once(in_school_a):
    questionnaire = final_questionnaire()
    pair = ended_pair(mentees=3)
    run = run_for(pair)
    for staff, value in zip(mentee_staff(pair), (5, 4, 2), strict=True):
        respond(run, staff, "mentee", {scale(questionnaire, 0): value, scale(questionnaire, 1): value})
    summary = satisfaction_summary(start=START, end=END)
    assert summary.mentee_count == 3
    assert summary.mentee_mean == Decimal("3.67")  # 11 / 3 = 3.666…


def test_only_final_satisfaction_runs_of_pairs_ended_in_the_range_with_a_role_count(in_school_a):
    questionnaire = final_questionnaire()
    inside = ended_pair(ended_on=END)
    outside = ended_pair(ended_on=END + timedelta(days=1))
    before = ended_pair(ended_on=START - timedelta(days=1))
    respond(run_for(inside), mentee_staff(inside)[0], "mentee", {scale(questionnaire, 0): 5})
    respond(run_for(outside), mentee_staff(outside)[0], "mentee", {scale(questionnaire, 0): 1})
    respond(run_for(before), mentee_staff(before)[0], "mentee", {scale(questionnaire, 0): 1})
    # An intermediate questionnaire of the same pair does not count.
    intermediate = Questionnaire.objects.get(template_code="intermediate")
    intermediate_scale = intermediate.questions.filter(type="scale").first()
    respond(run_for(inside, intermediate), inside.mentor.staff, "mentor", {intermediate_scale: 1})
    # A response without a role (not given through the pair) does not count.
    second_run = run_for(inside)
    respond(second_run, mentee_staff(inside)[0], "", {scale(questionnaire, 0): 1})
    # A pair that has not ended does not count.
    open_pair = make_draft(make_mentor(), [make_mentee()])
    QuestionnaireRun.objects.create(
        questionnaire=questionnaire, title="x", audience="pair", pair=open_pair, opens_on=START, closes_on=END
    )

    assert satisfaction_summary(start=START, end=END) == SatisfactionSummary(None, 0, Decimal("5.00"), 1)
    assert satisfaction_summary(start=END + timedelta(days=1), end=END + timedelta(days=1)).mentee_mean == Decimal(
        "1.00"
    )


@pytest.mark.parametrize("value", [0, 6, 2.5, "пять", None, True, [3]])
def test_values_outside_the_scale_or_not_whole_numbers_are_ignored(value):
    question = Question(type=Question.Type.SCALE, scale_min=1, scale_max=5)
    assert response_score([Answer(question=question, value=value)]) is None
    assert response_score([Answer(question=question, value=value), Answer(question=question, value=4)]) == 4


def test_rounding_is_half_up_and_only_at_the_end():
    assert mean_rounded([Decimal("4.5"), Decimal(4), Decimal(4), Decimal(4)]) == Decimal("4.13")
    assert mean_rounded([]) is None
    assert response_score([]) is None


def test_published_scores_are_the_rounded_response_scores_and_give_the_same_means(in_school_a):
    questionnaire = final_questionnaire()
    ten = ten_point(questionnaire)
    pair = ended_pair(mentees=2)
    run = run_for(pair)
    first, second = mentee_staff(pair)
    respond(run, first, "mentee", {scale(questionnaire, 0): 4, scale(questionnaire, 1): 5, ten: 8})
    respond(run, second, "mentee", {scale(questionnaire, 0): 3})
    respond(run, pair.mentor.staff, "mentor", {text_question(questionnaire): "Только текст"})
    later = ended_pair(ended_on=END + timedelta(days=30))
    respond(run_for(later), later.mentor.staff, "mentor", {scale(questionnaire, 0): 5})

    rows = sorted(final_satisfaction_scores())

    assert rows == sorted(
        [
            (pair.pk, "mentee", Decimal("4.37"), pair.ended_on),
            (pair.pk, "mentee", Decimal("3.00"), pair.ended_on),
            (later.pk, "mentor", Decimal("5.00"), later.ended_on),
        ]
    )
    in_range = [score for _, role, score, ended_on in rows if role == "mentee" and START <= ended_on <= END]
    assert mean_rounded(in_range) == satisfaction_summary(start=START, end=END).mentee_mean == Decimal("3.69")
