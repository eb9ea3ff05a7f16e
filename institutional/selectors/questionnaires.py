"""Read path of the questionnaire engine (tenant schema): lists, access checks, audiences, results.

Access functions answer Http404 for both a missing and a forbidden object. Results name the
respondents, so only the curator, the council and the director read them (a mentee's needs
analysis is private to them and to those roles; the respondent sees their own answers on
their own page).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404

from institutional.access import MANAGERS, OVERSEERS, has_any_role, own_staff
from institutional.dates import organization_today
from institutional.models import (
    Answer,
    MenteeEntry,
    MentorEntry,
    Pair,
    PairMentee,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireRun,
    Response,
    Staff,
)

# Kinds of questionnaire a curator may give as an intermediate feedback point of a pair.
FEEDBACK_KINDS = (QuestionnaireKind.INTERMEDIATE, QuestionnaireKind.OTHER)


def questionnaire_list(*, include_archived: bool = True):
    runs = QuestionnaireRun.objects.annotate(response_count=Count("responses")).order_by("-opens_on", "-pk")
    queryset = Questionnaire.objects.annotate(question_count=Count("questions", distinct=True)).prefetch_related(
        Prefetch("runs", queryset=runs)
    )
    if not include_archived:
        queryset = queryset.filter(is_archived=False)
    return queryset.order_by("is_archived", "kind", "title")


def run_list():
    return (
        QuestionnaireRun.objects.select_related("questionnaire")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on", "-pk")
    )


def questionnaire_has_responses(*, questionnaire: Questionnaire) -> bool:
    return Response.objects.filter(run__questionnaire=questionnaire).exists()


def access_questionnaire(*, request, questionnaire_id: int, roles=OVERSEERS) -> Questionnaire:
    if not has_any_role(request, roles):
        raise Http404
    try:
        return Questionnaire.objects.get(pk=questionnaire_id)
    except Questionnaire.DoesNotExist:
        raise Http404 from None


def access_question(*, request, question_id: int) -> Question:
    if not has_any_role(request, MANAGERS):
        raise Http404
    try:
        return Question.objects.select_related("questionnaire").get(pk=question_id)
    except Question.DoesNotExist:
        raise Http404 from None


def access_run(*, request, run_id: int, roles=OVERSEERS) -> QuestionnaireRun:
    """A run for those who manage it or read its results."""
    if not has_any_role(request, roles):
        raise Http404
    try:
        return QuestionnaireRun.objects.select_related("questionnaire").get(pk=run_id)
    except QuestionnaireRun.DoesNotExist:
        raise Http404 from None


def access_run_for_respondent(*, request, run_id: int) -> tuple[QuestionnaireRun, Staff]:
    """A run whose audience includes the signed-in member (open or not: the service says why not),
    or one they have answered (their own answers stay readable after they leave the audience)."""
    staff = own_staff(request)
    if staff is None:
        raise Http404
    try:
        run = QuestionnaireRun.objects.select_related("questionnaire", "pair__mentor").get(pk=run_id)
    except QuestionnaireRun.DoesNotExist:
        raise Http404 from None
    if (
        not staff_in_audience(staff=staff, audience=run.audience, pair=run.pair)
        and not Response.objects.filter(run=run, respondent=staff).exists()
    ):
        raise Http404
    return run, staff


# Audiences -----------------------------------------------------------------------------------


def staff_in_audience(*, staff: Staff, audience: str, pair: Pair | None = None) -> bool:
    """Whether `staff` is asked by a run with this audience; a pair's run asks only that pair."""
    if not staff.is_employed:
        return False
    if audience == QuestionnaireRun.Audience.PAIR:
        return pair is not None and bool(pair_role(pair=pair, staff=staff))
    if audience == QuestionnaireRun.Audience.ALL_STAFF:
        return True
    if audience == QuestionnaireRun.Audience.MENTEES:
        return MenteeEntry.objects.filter(staff=staff).exclude(status=MenteeEntry.Status.LEFT).exists()
    if audience == QuestionnaireRun.Audience.MENTORS:
        return MentorEntry.objects.filter(staff=staff, is_active=True).exists()
    return False


def _audiences_of(staff: Staff) -> list[str]:
    return [
        audience
        for audience in QuestionnaireRun.Audience.values
        if audience != QuestionnaireRun.Audience.PAIR and staff_in_audience(staff=staff, audience=audience)
    ]


# A mentee answers a pair's runs while in it; after the pair ends, those who were in it at the end
# (they left on the end date) still answer; one who left the group earlier does not.
_MEMBER_NOW = Q(left_on__isnull=True) | Q(left_on=F("pair__ended_on"))


def pair_role(*, pair: Pair, staff: Staff) -> str:
    """ "mentor" or "mentee" when `staff` answers the pair's runs in that role, else ""."""
    if pair.mentor.staff_id == staff.pk:
        return Response.Role.MENTOR
    if PairMentee.objects.filter(_MEMBER_NOW, pair=pair, mentee__staff=staff).exists():
        return Response.Role.MENTEE
    return ""


def pairs_answered_by(staff: Staff):
    """The pairs whose runs `staff` answers (as the mentor or a current or final mentee)."""
    as_mentee = PairMentee.objects.filter(_MEMBER_NOW, mentee__staff=staff).values("pair_id")
    return Pair.objects.filter(Q(mentor__staff=staff) | Q(pk__in=as_mentee))


@dataclass
class MyRun:
    run: QuestionnaireRun
    response: Response | None
    is_open: bool


def my_runs(*, staff: Staff) -> list[MyRun]:
    """Runs for this person: those open today plus any they have answered (with their answers)."""
    today = organization_today()
    audiences = _audiences_of(staff)
    responses = {
        response.run_id: response
        for response in Response.objects.filter(respondent=staff).prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position"))
        )
    }
    is_open = Q(opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True)
    mine = Q(audience__in=audiences)
    if staff.is_employed:
        mine |= Q(audience=QuestionnaireRun.Audience.PAIR, pair__in=pairs_answered_by(staff))
    runs = QuestionnaireRun.objects.select_related("questionnaire").filter((is_open & mine) | Q(pk__in=list(responses)))
    result = [MyRun(run=run, response=responses.get(run.pk), is_open=run.is_open_on(today)) for run in runs]
    result.sort(key=lambda item: (item.response is not None, item.run.closes_on))
    return result


# Runs of a pair ------------------------------------------------------------------------------


@dataclass
class PairRunRow:
    """A run of a pair with who has answered it (no answers themselves: those are on the results page)."""

    run: QuestionnaireRun
    status: str
    is_final: bool
    mentor: tuple[str, bool]
    mentees: list[tuple[str, bool]]

    @property
    def answered_count(self) -> int:
        return int(self.mentor[1]) + sum(1 for _, answered in self.mentees if answered)


def pair_runs(*, pair: Pair) -> list[PairRunRow]:
    """The feedback points and the final satisfaction run of a pair, earliest first."""
    today = organization_today()
    runs = list(QuestionnaireRun.objects.filter(pair=pair).select_related("questionnaire").order_by("opens_on", "pk"))
    answered = set(Response.objects.filter(run__pair=pair).values_list("run_id", "respondent_id"))
    mentor_staff = pair.mentor.staff
    memberships = list(PairMentee.objects.filter(pair=pair).select_related("mentee__staff").order_by("joined_on", "pk"))
    rows = []
    for run in runs:
        # Those who answer the run now, plus anyone who answered it before leaving the group.
        mentees = [
            (membership.mentee.staff.short_name, (run.pk, membership.mentee.staff_id) in answered)
            for membership in memberships
            if membership.left_on is None
            or membership.left_on == pair.ended_on
            or (run.pk, membership.mentee.staff_id) in answered
        ]
        rows.append(
            PairRunRow(
                run=run,
                status=run_status(run, today),
                is_final=run.questionnaire.kind == QuestionnaireKind.FINAL_SATISFACTION,
                mentor=(mentor_staff.short_name, (run.pk, mentor_staff.pk) in answered),
                mentees=mentees,
            )
        )
    return rows


def open_pairs():
    """Approved and active pairs: those that may get an intermediate feedback point."""
    return (
        Pair.objects.filter(status__in=(Pair.Status.APPROVED, Pair.Status.ACTIVE))
        .select_related("mentor__staff")
        .prefetch_related("participants__mentee__staff")
        .order_by("starts_on", "pk")
    )


def feedback_questionnaires():
    """Questionnaires a curator may give as an intermediate feedback point: not archived, with questions."""
    return (
        Questionnaire.objects.filter(kind__in=FEEDBACK_KINDS, is_archived=False)
        .annotate(question_count=Count("questions"))
        .filter(question_count__gt=0)
        .order_by("-kind", "title")
    )


def final_satisfaction_questionnaire() -> Questionnaire | None:
    """The organization's questionnaire given when a pair ends: the first not archived, with questions."""
    return (
        Questionnaire.objects.filter(kind=QuestionnaireKind.FINAL_SATISFACTION, is_archived=False)
        .filter(questions__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )


def run_status(run: QuestionnaireRun, today=None) -> str:
    today = today or organization_today()
    if run.closed_at is not None:
        return "закрыт досрочно"
    if today < run.opens_on:
        return "запланирован"
    if today > run.closes_on:
        return "завершён"
    return "идёт"


# Results -------------------------------------------------------------------------------------


def answer_display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None


@dataclass
class ResultRow:
    respondent: str
    submitted_at: datetime
    values: list
    role: str = ""

    @property
    def display(self) -> list[str]:
        return [answer_display(value) for value in self.values]


@dataclass
class RunResults:
    run: QuestionnaireRun
    questions: list[Question]
    rows: list[ResultRow]
    summaries: list[QuestionSummary]

    @property
    def respondent_count(self) -> int:
        return len(self.rows)


def run_results(*, run: QuestionnaireRun) -> RunResults:
    questions = list(run.questionnaire.questions.order_by("position"))
    responses = (
        Response.objects.filter(run=run)
        .select_related("respondent")
        .prefetch_related("answers")
        .order_by("respondent__last_name", "respondent__first_name", "respondent__patronymic", "pk")
    )
    rows = []
    by_question: dict[int, list] = {question.pk: [] for question in questions}
    for response in responses:
        values = {answer.question_id: answer.value for answer in response.answers.all()}
        rows.append(
            ResultRow(
                respondent=response.respondent.full_name,
                submitted_at=response.submitted_at,
                values=[values.get(question.pk) for question in questions],
                role=response.get_role_display() if response.role else "",
            )
        )
        for question_id, value in values.items():
            if question_id in by_question:
                by_question[question_id].append(value)
    summaries = [_summarize(question, by_question[question.pk]) for question in questions]
    return RunResults(run=run, questions=questions, rows=rows, summaries=summaries)


def _summarize(question: Question, values: list) -> QuestionSummary:
    summary = QuestionSummary(question=question, answered=len(values))
    if question.type == Question.Type.SCALE:
        numbers = [value for value in values if isinstance(value, int)]
        summary.counts = [
            (str(point), numbers.count(point)) for point in range(question.scale_min, question.scale_max + 1)
        ]
        summary.mean = round(sum(numbers) / len(numbers), 2) if numbers else None
    elif question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        chosen = []
        for value in values:
            chosen.extend(value if isinstance(value, list) else [value])
        summary.counts = [(option, chosen.count(option)) for option in question.options]
    return summary


def run_results_sheets(results: RunResults):
    """(title, headers, rows) triples for nastavnik.xlsx: the answers table and the summary."""
    with_role = results.run.pair_id is not None
    headers = (
        ["Респондент"]
        + (["Роль в паре"] if with_role else [])
        + ["Дата ответа"]
        + [f"{index}. {question.text}" for index, question in enumerate(results.questions, start=1)]
    )
    table = [
        [row.respondent]
        + ([row.role] if with_role else [])
        + [_local_date(row.submitted_at)]
        + [answer_display(value) if isinstance(value, list) else value for value in row.values]
        for row in results.rows
    ]
    summary = []
    for index, item in enumerate(results.summaries, start=1):
        label = f"{index}. {item.question.text}"
        summary.append([label, "Ответили", item.answered])
        for option, count in item.counts:
            summary.append([label, option, count])
        if item.mean is not None:
            summary.append([label, "Среднее", item.mean])
    return [
        ("Ответы", headers, table),
        ("Сводка", ["Вопрос", "Вариант ответа или показатель", "Значение"], summary),
    ]


def _local_date(moment: datetime):
    """The day of `moment` in the organization's time zone (the day people think they answered on)."""
    zone = getattr(getattr(connection, "tenant", None), "time_zone", "") or "Europe/Moscow"
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).date()
