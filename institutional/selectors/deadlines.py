"""Read path of deadlines (tenant schema): every undone item of the organization that has a due date.

Four kinds, each computed by the rule of its own area (see the functions referenced below):

* ``appointment`` — a mentee waiting in the bank must get a mentor within the regulation's
  appointment days (``selectors.banks.appointment_deadline``);
* ``program`` — an approved or active pair's personalized program must be drafted within the
  regulation's draft days of the approval (``Program.draft_due_on`` / ``selectors.programs.draft_due_on``)
  until the mentee confirms it;
* ``report`` — each final report of an ended pair is due report_days after the end
  (``selectors.reports.expected_reports``);
* ``roadmap`` — a planned or in-progress activity with a deadline in an approved roadmap
  (``selectors.roadmap.overdue_filter``).

`open_deadlines` runs a constant number of queries whatever the counts: the regulation is read once
and the per-pair helpers are applied to prefetched rows with the same arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse

from institutional.access import OVERSEERS, has_any_role, own_staff
from institutional.dates import organization_today
from institutional.models import (
    FinalReport,
    MenteeEntry,
    Pair,
    PairMentee,
    Program,
    Roadmap,
    RoadmapActivity,
)
from institutional.selectors.banks import appointment_deadline
from institutional.selectors.programs import draft_due_on
from institutional.selectors.regulation import rules_in_force
from institutional.selectors.reports import ENDED_STATUSES, report_due_on, was_in_at_end
from institutional.selectors.roadmap import OPEN_STATUSES

APPOINTMENT, PROGRAM, REPORT, ROADMAP = "appointment", "program", "report", "roadmap"

KIND_LABELS = {
    APPOINTMENT: "Назначение наставника",
    PROGRAM: "Персонализированная программа",
    REPORT: "Итоговый отчёт",
    ROADMAP: "Дорожная карта",
}

ACTIVE_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)
UNCONFIRMED_PROGRAM_STATUSES = (Program.Status.DRAFT, Program.Status.SUBMITTED)


@dataclass(frozen=True)
class Deadline:
    kind: str
    key: str
    title: str
    due_on: date
    today: date
    # Staff ids of those who must act; empty means the curator.
    responsible_staff_ids: tuple[int, ...]
    pair_id: int | None
    url: str

    @property
    def days_left(self) -> int:
        """Days until the due date: 0 on the day, negative when overdue."""
        return (self.due_on - self.today).days

    @property
    def is_overdue(self) -> bool:
        return self.today > self.due_on

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def _url(name: str, fallback: str, **kwargs) -> str:
    try:
        return reverse(f"institutional:{name}", kwargs=kwargs, urlconf="nastavnik.urls_organization")
    except NoReverseMatch:
        return fallback


def _initials_name(last: str, first: str, patronymic: str) -> str:
    initials = "".join(f"{part[0]}." for part in (first, patronymic) if part)
    return f"{last} {initials}".strip()


def mentee_short_name(entry: MenteeEntry) -> str:
    """«Ефимов К.О.» for staff and trainees alike."""
    if entry.staff_id:
        return entry.staff.short_name
    return _initials_name(entry.trainee_last_name, entry.trainee_first_name, entry.trainee_patronymic)


def pair_label(pair: Pair, participants: list[PairMentee]) -> str:
    """«Сафонова Н.И. — Ефимов К.О.» (the mentor, then the mentees)."""
    mentees = ", ".join(mentee_short_name(p.mentee) for p in participants)
    return f"{pair.mentor.staff.short_name} — {mentees}" if mentees else pair.mentor.staff.short_name


def _appointment_deadlines(today: date, rules) -> list[Deadline]:
    entries = MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).select_related("staff").order_by("pk")
    return [
        Deadline(
            kind=APPOINTMENT,
            key=f"appointment:mentee:{entry.pk}",
            title=f"Назначить наставника: {mentee_short_name(entry)}",
            due_on=appointment_deadline(entry, appointment_days=rules.appointment_days),
            today=today,
            responsible_staff_ids=(),
            pair_id=None,
            url=_url("mentee_detail", "/org/banks/mentees/", entry_id=entry.pk),
        )
        for entry in entries
    ]


def _current_participants(pair: Pair) -> list[PairMentee]:
    return sorted((p for p in pair.participants.all() if p.left_on is None), key=lambda p: p.pk)


def _program_deadlines(today: date, rules) -> list[Deadline]:
    pairs = (
        Pair.objects.filter(status__in=ACTIVE_PAIR_STATUSES)
        .select_related("mentor__staff", "order")
        .prefetch_related(
            Prefetch("participants", queryset=PairMentee.objects.select_related("mentee__staff")),
        )
        .order_by("pk")
    )
    pairs = list(pairs)
    programs = {
        program.pair_id: program
        for program in Program.objects.filter(pair_id__in=[pair.pk for pair in pairs]).only(
            "pk", "pair_id", "status", "draft_due_on"
        )
    }
    deadlines = []
    for pair in pairs:
        program = programs.get(pair.pk)
        if program is not None and program.status not in UNCONFIRMED_PROGRAM_STATUSES:
            continue
        label = pair_label(pair, _current_participants(pair))
        if program is None:
            key, due_on = f"program:pair:{pair.pk}", draft_due_on(pair, rules)
            url = _url("program_pair", "/org/programs/", pair_id=pair.pk)
        else:
            key, due_on = f"program:{program.pk}", program.draft_due_on
            url = _url("program_detail", "/org/programs/", program_id=program.pk)
        deadlines.append(
            Deadline(
                kind=PROGRAM,
                key=key,
                title=f"Составить и согласовать персонализированную программу пары {label}",
                due_on=due_on,
                today=today,
                responsible_staff_ids=(pair.mentor.staff_id,),
                pair_id=pair.pk,
                url=url,
            )
        )
    return deadlines


def _report_deadlines(today: date, rules) -> list[Deadline]:
    """Missing final reports, as `selectors.reports.expected_reports` lists them, for every ended pair."""
    pairs = list(
        Pair.objects.filter(status__in=ENDED_STATUSES, ended_on__isnull=False)
        .select_related("mentor__staff")
        .prefetch_related(
            Prefetch("participants", queryset=PairMentee.objects.select_related("mentee__staff").order_by("pk")),
            Prefetch("final_reports", queryset=FinalReport.objects.only("pk", "pair_id", "author_role", "mentee_id")),
        )
        .order_by("pk")
    )
    deadlines = []
    for pair in pairs:
        due_on = report_due_on(pair, rules)
        participants = [p for p in pair.participants.all() if was_in_at_end(p, pair)]
        label = pair_label(pair, participants)
        reports = list(pair.final_reports.all())
        url = _url("report_submit", "/org/reports/", pair_id=pair.pk)
        if not any(r.author_role == FinalReport.AuthorRole.MENTOR for r in reports):
            deadlines.append(
                Deadline(
                    kind=REPORT,
                    key=f"report:{pair.pk}:mentor",
                    title=f"Подать итоговый отчёт наставника {pair.mentor.staff.short_name} (пара {label})",
                    due_on=due_on,
                    today=today,
                    responsible_staff_ids=(pair.mentor.staff_id,),
                    pair_id=pair.pk,
                    url=url,
                )
            )
        for participant in participants:
            mentee = participant.mentee
            if any(r.author_role == FinalReport.AuthorRole.MENTEE and r.mentee_id == mentee.pk for r in reports):
                continue
            deadlines.append(
                Deadline(
                    kind=REPORT,
                    key=f"report:{pair.pk}:mentee:{mentee.pk}",
                    title=f"Подать итоговый отчёт наставляемого {mentee_short_name(mentee)} (пара {label})",
                    due_on=due_on,
                    today=today,
                    responsible_staff_ids=(mentee.staff_id,) if mentee.staff_id else (),
                    pair_id=pair.pk,
                    url=url,
                )
            )
    return deadlines


def _roadmap_deadlines(today: date) -> list[Deadline]:
    activities = (
        RoadmapActivity.objects.filter(
            stage__roadmap__status=Roadmap.Status.APPROVED, deadline__isnull=False, status__in=OPEN_STATUSES
        )
        .select_related("stage__roadmap")
        .prefetch_related("responsible")
        .order_by("deadline", "pk")
    )
    deadlines = []
    for activity in activities:
        roadmap = activity.stage.roadmap
        url = _url("roadmap_detail", "/org/roadmap/", roadmap_id=roadmap.pk)
        deadlines.append(
            Deadline(
                kind=ROADMAP,
                key=f"roadmap:{activity.pk}",
                title=f"Выполнить мероприятие дорожной карты на {roadmap.academic_year_label} учебный год: "
                f"{activity.title}",
                due_on=activity.deadline,
                today=today,
                responsible_staff_ids=tuple(sorted(staff.pk for staff in activity.responsible.all())),
                pair_id=None,
                url=url,
            )
        )
    return deadlines


def open_deadlines(*, today: date | None = None) -> list[Deadline]:
    """Every undone item with a due date, sorted by the due date (then kind and key)."""
    today = today or organization_today()
    rules = rules_in_force()
    deadlines = [
        *_appointment_deadlines(today, rules),
        *_program_deadlines(today, rules),
        *_report_deadlines(today, rules),
        *_roadmap_deadlines(today),
    ]
    return sorted(deadlines, key=lambda d: (d.due_on, d.kind, d.key))


def overdue_by_pair(*, today: date | None = None) -> dict[int, list[Deadline]]:
    """Only overdue deadlines that belong to a pair, grouped by the pair's id."""
    grouped: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in open_deadlines(today=today):
        if deadline.is_overdue and deadline.pair_id is not None:
            grouped[deadline.pair_id].append(deadline)
    return dict(grouped)


def deadlines_of_staff(deadlines: list[Deadline], staff_id: int | None) -> list[Deadline]:
    """The deadlines where the given staff member is among those responsible."""
    if staff_id is None:
        return []
    return [d for d in deadlines if staff_id in d.responsible_staff_ids]


def overdue_first(deadlines: list[Deadline]) -> list[Deadline]:
    """Overdue ones first (the oldest first), then the rest by the due date."""
    return sorted(deadlines, key=lambda d: (not d.is_overdue, d.due_on, d.kind, d.key))


def deadlines_visible(request, *, today: date | None = None) -> list[Deadline]:
    """Overseers (curator, council, director) see every open deadline; anyone else only their own.

    Overdue ones come first.
    """
    deadlines = open_deadlines(today=today)
    if not has_any_role(request, OVERSEERS):
        staff = own_staff(request)
        deadlines = deadlines_of_staff(deadlines, staff.pk if staff is not None else None)
    return overdue_first(deadlines)
