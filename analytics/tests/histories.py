"""Random histories of mentoring in several organizations, written through the institutional services.

Used by the property test of the read model (test_projection_property.py). A `Step` is plain data
drawn by hypothesis: a code, the organization it happens in and a few small numbers. `History.apply`
runs it in that organization's schema and reads the numbers as picks among the rows there now
(index modulo count), so any drawn list is a history; a step a service refuses (ValidationError) is
part of the history too and must leave the projection as it was.

The clock: the services ask `institutional.dates.organization_today()` for today, which reads
`timezone.now()` of that module; `Clock` replaces it with a fixed moment moved forward by whole
days, so a history can let time pass (pairs start, deadlines become overdue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from institutional.models import (
    Consent,
    ConsentKind,
    EndReason,
    MenteeCategory,
    MenteeEntry,
    MentorEntry,
    Pair,
    PairForm,
    PairKind,
    Question,
    QuestionnaireKind,
    QuestionnaireRun,
    ReplacementReason,
    Staff,
)
from institutional.services import banks, consents, pairs, programs, questionnaires, reports
from institutional.services import staff as staff_services
from institutional.tests.programs_factories import plan, program_data

SCAN_PDF = b"%PDF-1.4\n% scan of a signed consent\n%%EOF\n"
PASSPORT = "паспорт 18 04 123456, выдан ГУ МВД России по Волгоградской области 01.02.2010"

# Steps in one organization; ADVANCE moves the clock of every organization.
HIRE = "hire"
MENTOR_BANK = "mentor_bank"
MENTEE_BANK = "mentee_bank"
SIGN = "sign"
PAIR = "pair"
ACTIVATE_DUE = "activate_due"
PROGRAM = "program"
COMPLETE = "complete"
END_EARLY = "end_early"
REPORT = "report"
ANSWER = "answer"
REPLACE = "replace"
DISMISS = "dismiss"
WITHDRAW = "withdraw"
ADVANCE = "advance"
STEP_CODES = (
    HIRE,
    MENTOR_BANK,
    MENTEE_BANK,
    SIGN,
    PAIR,
    PAIR,
    ACTIVATE_DUE,
    PROGRAM,
    COMPLETE,
    END_EARLY,
    REPORT,
    ANSWER,
    REPLACE,
    DISMISS,
    WITHDRAW,
    ADVANCE,
)
GLOBAL_STEPS = {ADVANCE}

# What `History.apply` says happened.
CHANGED, REFUSED, NOTHING_TO_DO = "changed", "refused", "nothing to do"

EARLY_REASONS = [reason for reason in EndReason.values if reason != EndReason.PLAN_COMPLETED]
OPEN_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)
ENDED_PAIR_STATUSES = (Pair.Status.COMPLETED, Pair.Status.ENDED_EARLY)


@dataclass(frozen=True)
class Step:
    code: str
    organization: int
    picks: tuple[int, int, int]

    def pick(self, number: int, candidates: list):
        return candidates[self.picks[number] % len(candidates)] if candidates else None


class Clock:
    """A stand-in for `django.utils.timezone` in `institutional.dates`: a fixed moment plus whole days."""

    def __init__(self):
        self.base = timezone.now()
        self.days = 0

    def now(self) -> datetime:
        return self.base + timedelta(days=self.days)


class History:
    """Applies steps in the organizations through the services (actor None, as the service factories do)."""

    def __init__(self, organizations, clock: Clock):
        self.organizations = list(organizations)
        self.clock = clock
        self.numbers = iter(range(1, 10**6))

    # --- the world every history starts from -------------------------------------------------------

    def seed(self) -> None:
        """In each organization: mentors and mentees with their consents signed, one teacher outside the banks."""
        for organization in self.organizations:
            with tenant_context(organization):
                for _ in range(3):
                    staff = self._hire(young=False, hired_days_ago=4000)
                    self._sign(staff, ConsentKind.PERSONAL_DATA)
                    self._sign(staff, ConsentKind.MENTORING_DUTIES)
                    banks.mentor_entry_create(actor=None, staff=staff, competencies="Методика преподавания")
                for _ in range(4):
                    staff = self._hire(young=True, hired_days_ago=60)
                    self._sign(staff, ConsentKind.PERSONAL_DATA)
                    banks.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.YOUNG])
                self._hire(young=True, hired_days_ago=10)

    def seed_pairs(self) -> None:
        """In each organization after `seed`: an active pair and a group that ended early (its final
        questionnaire open), so that steps on programs, reports and answers have something to act on."""
        for organization in self.organizations:
            with tenant_context(organization):
                mentors = list(MentorEntry.objects.order_by("pk"))
                mentees = list(MenteeEntry.objects.order_by("pk"))
                today = organization_today()
                for mentor, group, started_days_ago in ((mentors[0], mentees[:1], 60), (mentors[1], mentees[1:3], 100)):
                    starts_on = today - timedelta(days=started_days_ago)
                    draft = pairs.pair_create(
                        actor=None,
                        mentor=mentor,
                        mentees=group,
                        form=PairForm.TEACHER_TEACHER,
                        kinds=[PairKind.TRADITIONAL],
                        starts_on=starts_on,
                        ends_on=starts_on + relativedelta(months=6),
                    )
                    pairs.pair_approve(actor=None, pairs=[draft], order_number=self._order_number(), order_date=today)
                pairs.pair_end(
                    actor=None,
                    pair=draft,
                    reason=EndReason.MUTUAL,
                    ended_on=today - timedelta(days=2),
                    note="Перевод наставника в другую школу",
                )

    # --- steps -----------------------------------------------------------------------------------

    def apply(self, step: Step) -> str:
        if step.code == ADVANCE:
            self.clock.days += 1 + step.picks[0] % 45
            return CHANGED
        with tenant_context(self.organizations[step.organization]):
            try:
                return getattr(self, f"_step_{step.code}")(step)
            except ValidationError:
                return REFUSED

    def _step_hire(self, step: Step) -> str:
        self._hire(young=step.picks[0] % 2 == 0, hired_days_ago=step.picks[1] * 37 % 4000)
        return CHANGED

    def _step_mentor_bank(self, step: Step) -> str:
        staff = step.pick(0, list(Staff.objects.order_by("pk")))
        if staff is None:
            return NOTHING_TO_DO
        banks.mentor_entry_create(
            actor=None, staff=staff, competencies="Методика преподавания", capacity=1 + step.picks[1] % 3
        )
        return CHANGED

    def _step_mentee_bank(self, step: Step) -> str:
        staff = step.pick(0, list(Staff.objects.order_by("pk")))
        if staff is None:
            return NOTHING_TO_DO
        banks.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.YOUNG])
        return CHANGED

    def _step_sign(self, step: Step) -> str:
        staff = step.pick(0, list(Staff.objects.order_by("pk")))
        if staff is None:
            return NOTHING_TO_DO
        kind = (ConsentKind.PERSONAL_DATA, ConsentKind.MENTORING_DUTIES)[step.picks[1] % 2]
        self._sign(staff, kind)
        return CHANGED

    def _step_pair(self, step: Step) -> str:
        """A draft pair (or a group of up to three) approved by the director's order."""
        mentor = step.pick(0, list(MentorEntry.objects.order_by("pk")))
        entries = list(MenteeEntry.objects.order_by("pk"))
        if mentor is None or not entries:
            return NOTHING_TO_DO
        size = 1 + step.picks[1] % 3
        mentees = list({entries[(step.picks[1] + 7 * i) % len(entries)].pk: None for i in range(size)})
        mentees = [entry for entry in entries if entry.pk in mentees]
        today = organization_today()
        starts_on = today + timedelta(days=step.picks[2] % 121 - 90)
        draft = pairs.pair_create(
            actor=None,
            mentor=mentor,
            mentees=mentees,
            form=PairForm.TEACHER_TEACHER,
            kinds=[PairKind.TRADITIONAL],
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=1 + step.picks[2] % 12),
        )
        pairs.pair_approve(actor=None, pairs=[draft], order_number=self._order_number(), order_date=today)
        return CHANGED

    def _step_activate_due(self, step: Step) -> str:
        return CHANGED if pairs.pair_activate_due() else NOTHING_TO_DO

    def _step_program(self, step: Step) -> str:
        pair = step.pick(0, self._pairs())
        if pair is None:
            return NOTHING_TO_DO
        programs.program_create(
            actor=None, pair=pair, data=program_data(pair, months=2 + step.picks[1] % 5), activities=plan(pair)
        )
        return CHANGED

    def _step_complete(self, step: Step) -> str:
        pair = step.pick(0, self._pairs())
        if pair is None:
            return NOTHING_TO_DO
        pairs.pair_end(actor=None, pair=pair, reason=EndReason.PLAN_COMPLETED, ended_on=organization_today())
        return CHANGED

    def _step_end_early(self, step: Step) -> str:
        pair = step.pick(0, self._pairs())
        if pair is None:
            return NOTHING_TO_DO
        pairs.pair_end(
            actor=None,
            pair=pair,
            reason=EARLY_REASONS[step.picks[1] % len(EARLY_REASONS)],
            ended_on=organization_today() - timedelta(days=step.picks[2] % 20),
            note="Переезд наставляемого в другой город",
        )
        return CHANGED

    def _step_report(self, step: Step) -> str:
        """The mentor's final report on an ended pair."""
        pair = step.pick(0, self._pairs(ENDED_PAIR_STATUSES))
        if pair is None:
            return NOTHING_TO_DO
        reports.final_report_submit(
            actor=None,
            pair=pair,
            author=pair.mentor.staff,
            data={"results": "Программа освоена", "recommendations": "Продолжить методическую работу"},
        )
        return CHANGED

    def _step_answer(self, step: Step) -> str:
        """The mentor or a mentee answers the final satisfaction questionnaire of an ended pair."""
        run = step.pick(
            0,
            list(
                QuestionnaireRun.objects.filter(
                    questionnaire__kind=QuestionnaireKind.FINAL_SATISFACTION, pair__isnull=False
                ).order_by("pk")
            ),
        )
        if run is None:
            return NOTHING_TO_DO
        people = [run.pair.mentor.staff] + [p.mentee.staff for p in run.pair.participants.order_by("pk")]
        respondent = step.pick(1, [person for person in people if person is not None])
        questionnaires.response_submit(
            actor=None, run=run, respondent=respondent, answers=self._answers(run, step.picks[2])
        )
        return CHANGED

    def _step_replace(self, step: Step) -> str:
        pair = step.pick(0, self._pairs())
        new_mentor = step.pick(1, list(MentorEntry.objects.order_by("pk")))
        if pair is None or new_mentor is None:
            return NOTHING_TO_DO
        pairs.pair_replace_mentor(
            actor=None,
            pair=pair,
            replacement=pairs.Replacement(
                new_mentor=new_mentor,
                reason=ReplacementReason.values[step.picks[2] % len(ReplacementReason.values)],
                order_number=self._order_number(),
                order_date=organization_today(),
            ),
        )
        return CHANGED

    def _step_dismiss(self, step: Step) -> str:
        staff = step.pick(0, list(Staff.objects.order_by("pk")))
        if staff is None:
            return NOTHING_TO_DO
        staff_services.staff_dismiss(
            actor=None, staff=staff, dismissal_date=organization_today() - timedelta(days=step.picks[1] % 30)
        )
        return CHANGED

    def _step_withdraw(self, step: Step) -> str:
        consent = step.pick(0, list(Consent.objects.order_by("pk")))
        if consent is None:
            return NOTHING_TO_DO
        consents.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today())
        return CHANGED

    # --- helpers -----------------------------------------------------------------------------------

    def _hire(self, *, young: bool, hired_days_ago: int) -> Staff:
        number = next(self.numbers)
        years = Decimal("1.5") if young else Decimal("12")
        return staff_services.staff_create(
            actor=None,
            values={
                "last_name": f"Педагогова{number}",
                "first_name": "Анна",
                "patronymic": "Сергеевна",
                "position": "Учитель математики",
                "birth_date": organization_today() - timedelta(days=365 * (24 if young else 45)),
                "hire_date": organization_today() - timedelta(days=hired_days_ago),
                "total_experience_years": years,
                "pedagogical_experience_years": years,
            },
        )

    def _sign(self, staff: Staff, kind: str) -> Consent:
        extra = {"subject_document": PASSPORT} if kind == ConsentKind.PERSONAL_DATA else {}
        consent = consents.consent_create(actor=None, kind=kind, staff=staff, **extra)
        scan = SimpleUploadedFile("scan.pdf", SCAN_PDF, content_type="application/pdf")
        return consents.consent_sign(actor=None, consent=consent, signed_on=organization_today(), scan=scan)

    def _order_number(self) -> str:
        return f"{next(self.numbers)}-н"

    @staticmethod
    def _pairs(statuses=None) -> list[Pair]:
        """Pairs past the draft (every one, so that some steps on them are refused), or of the statuses."""
        found = Pair.objects.exclude(status=Pair.Status.DRAFT).select_related("mentor__staff").order_by("pk")
        return list(found.filter(status__in=statuses) if statuses else found)

    @staticmethod
    def _answers(run: QuestionnaireRun, seed: int) -> dict:
        """An answer to every question (the role question is left to the service, which fills it)."""
        questions = list(run.questionnaire.questions.order_by("position"))
        role_question = questionnaires.role_question_of(questions)
        answers = {}
        for question in questions:
            if question.type == Question.Type.SCALE:
                span = question.scale_max - question.scale_min + 1
                answers[question.pk] = question.scale_min + (seed + question.position) % span
            elif question.type == Question.Type.TEXT:
                answers[question.pk] = "Всё было полезно"
            elif question.type == Question.Type.MULTIPLE:
                answers[question.pk] = question.options[:1]
            elif question != role_question:
                answers[question.pk] = question.options[seed % len(question.options)]
        return answers
