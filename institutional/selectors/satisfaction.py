"""Satisfaction of mentors and mentees with mentoring (K7), read in the tenant schema.

The formula, exactly:

* Counted responses: responses to runs with audience «pair» whose questionnaire kind is
  «final_satisfaction», given in the role «mentor» or «mentee», where the pair (group) actually
  ended (``Pair.ended_on``) within [start, end], both ends included.
* Score of one response: every SCALE answer is rescaled linearly from the question's
  [scale_min, scale_max] to [1, 5]: ``1 + 4 × (value − scale_min) / (scale_max − scale_min)``;
  the response's score is the mean of its rescaled answers, rounded to 2 decimals half up. Answers
  of other types (single, multiple, text) and scale answers that are not whole numbers inside the
  scale are ignored; a response with no usable scale answer is not counted at all.
* Per role: the mean of the response scores (each response weighs the same, so each mentee of a
  group counts once), rounded to 2 decimals half up; ``None`` when no response is counted.
  Rounding each response score first makes the organization's figure equal to the one the region
  recomputes from the published per-response scores (``final_satisfaction_scores``, analytics K7).

Worked example. A pair ended on 20 May 2027. Its mentee answered 4 and 5 on two 1–5 questions
and 8 on a 1–10 question, plus a text answer: 8 → 1 + 4 × 7/9 = 4.111…, the response scores
(4 + 5 + 4.111…) / 3 = 4.370… → 4.37; a second mentee of the same group answered 3 on one 1–5
question: 3.00. Mentee mean = (4.37 + 3.00) / 2 = 3.685 → 3.69, mentee count 2. A mentor who
answered only text questions is not counted: mentor mean None, mentor count 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from institutional.models import Answer, Question, QuestionnaireKind, QuestionnaireRun, Response

TARGET_MIN = Decimal(1)
TARGET_MAX = Decimal(5)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class SatisfactionSummary:
    mentor_mean: Decimal | None
    mentor_count: int
    mentee_mean: Decimal | None
    mentee_count: int


def rescaled(value, *, scale_min: int, scale_max: int) -> Decimal | None:
    """A scale answer moved linearly onto [1, 5]; None for a value that is not a whole number in the scale."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    if scale_max <= scale_min or not scale_min <= number <= scale_max:
        return None
    return TARGET_MIN + (TARGET_MAX - TARGET_MIN) * Decimal(number - scale_min) / Decimal(scale_max - scale_min)


def response_score(answers: Iterable[Answer]) -> Decimal | None:
    """The mean of the response's SCALE answers rescaled to [1, 5], to 2 decimals; None without any."""
    scores = []
    for answer in answers:
        question = answer.question
        if question.type != Question.Type.SCALE:
            continue
        score = rescaled(answer.value, scale_min=question.scale_min, scale_max=question.scale_max)
        if score is not None:
            scores.append(score)
    return mean_rounded(scores)


def mean_rounded(scores: list[Decimal]) -> Decimal | None:
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _scores(*, start: date | None = None, end: date | None = None) -> list[tuple[int, str, Decimal, date]]:
    """(pair id, role, response score, pair ended on) of every counted response; one query."""
    answers = Answer.objects.filter(
        response__run__audience=QuestionnaireRun.Audience.PAIR,
        response__run__questionnaire__kind=QuestionnaireKind.FINAL_SATISFACTION,
        response__run__pair__ended_on__isnull=False,
        response__role__in=[Response.Role.MENTOR, Response.Role.MENTEE],
        question__type=Question.Type.SCALE,
    )
    if start is not None:
        answers = answers.filter(response__run__pair__ended_on__gte=start)
    if end is not None:
        answers = answers.filter(response__run__pair__ended_on__lte=end)
    answers = answers.select_related("question", "response__run__pair").order_by("response_id", "pk")
    by_response: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_response[answer.response_id].append(answer)
    rows = []
    for items in by_response.values():
        score = response_score(items)
        if score is not None:
            response = items[0].response
            rows.append((response.run.pair_id, response.role, score, response.run.pair.ended_on))
    return rows


def final_satisfaction_scores() -> list[tuple[int, str, Decimal, date]]:
    """Every counted response of every ended pair: (pair id, role, score, pair ended on).

    What the organization publishes for the region's K7 (analytics.projection); the region's means
    over these scores equal satisfaction_summary's over the same period.
    """
    return _scores()


def satisfaction_summary(*, start: date, end: date) -> SatisfactionSummary:
    """K7 over the pairs that ended within [start, end] (see the module docstring); one query."""
    per_role: dict[str, list[Decimal]] = {Response.Role.MENTOR: [], Response.Role.MENTEE: []}
    for _pair_id, role, score, _ended_on in _scores(start=start, end=end):
        per_role[role].append(score)
    mentors, mentees = per_role[Response.Role.MENTOR], per_role[Response.Role.MENTEE]
    return SatisfactionSummary(
        mentor_mean=mean_rounded(mentors),
        mentor_count=len(mentors),
        mentee_mean=mean_rounded(mentees),
        mentee_count=len(mentees),
    )
