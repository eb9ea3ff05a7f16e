"""Read path of the cabinets (tenant schema): the mentor's and the mentee's own cabinet, the curator's
board of every pair and group, and the director's queue of documents awaiting approval.

Privacy: a person's cabinet is built only from the pairs they take part in (a mentee's requests
reach the mentor only for the mentor's own mentees). The board and the approvals queue read
everything; their views let only overseers in. The board makes a fixed number of queries
whatever the number of pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Max, Prefetch, Q, Sum
from django.utils import timezone

from institutional.access import DIRECTORS
from institutional.dates import organization_today
from institutional.models import (
    FinalReport,
    Meeting,
    MenteeEntry,
    MentorEntry,
    Order,
    Pair,
    PairForm,
    PairMentee,
    Program,
    ProgramActivity,
    RegulationVersion,
    Roadmap,
    Staff,
)
from institutional.selectors.banks import mentee_rows
from institutional.selectors.deadlines import overdue_by_pair
from institutional.selectors.meetings import hours
from institutional.selectors.questionnaires import my_runs
from institutional.selectors.regulation import rules_in_force
from institutional.selectors.reports import ENDED_STATUSES, my_expected_reports
from tenants.models import Role

# The director approves; the curator sees the same queue to prepare it (read-only).
APPROVALS_READERS = DIRECTORS | {Role.CURATOR}
ACTIVE_STATUSES = (Pair.Status.ACTIVE, Pair.Status.APPROVED)
# Running pairs first, then drafts awaiting an order, then ended ones.
STATUS_ORDER = {
    Pair.Status.ACTIVE: 0,
    Pair.Status.APPROVED: 1,
    Pair.Status.DRAFT: 2,
    Pair.Status.COMPLETED: 3,
    Pair.Status.ENDED_EARLY: 4,
}
NEXT_ACTIVITIES = 3
LAST_MEETINGS = 3


def _sorted_pairs(pairs) -> list[Pair]:
    return sorted(pairs, key=lambda p: (STATUS_ORDER.get(p.status, 9), -p.starts_on.toordinal(), -p.pk))


def _approved_on(pair: Pair) -> date | None:
    if pair.approved_at is not None:
        return timezone.localtime(pair.approved_at).date()
    return None


def _current_mentees(pair: Pair) -> list[MenteeEntry]:
    """Mentees still in the pair (uses the prefetched participants)."""
    return [p.mentee for p in pair.participants.all() if p.left_on is None]


def _final_participants(pair: Pair) -> list[PairMentee]:
    """Participants who were in the pair when it ended (uses the prefetched participants)."""
    return [p for p in pair.participants.all() if p.left_on is None or (pair.ended_on and p.left_on >= pair.ended_on)]


@dataclass
class ProgramState:
    """Where a pair's program stands: its draft deadline and the overdue mark."""

    program: Program | None
    due_on: date | None
    is_overdue: bool

    @property
    def label(self) -> str:
        if self.program is None:
            return "Не составлена"
        return self.program.get_status_display()


def _program_state(pair: Pair, program: Program | None, *, draft_days: int, today: date) -> ProgramState:
    if program is not None:
        overdue = program.status == Program.Status.DRAFT and today > program.draft_due_on
        return ProgramState(program, program.draft_due_on, overdue)
    if pair.status not in ACTIVE_STATUSES:
        return ProgramState(None, None, False)
    approved = _approved_on(pair) or (pair.order.date if pair.order_id else None)
    if approved is None:
        return ProgramState(None, None, False)
    due_on = approved + timedelta(days=draft_days)
    return ProgramState(None, due_on, today > due_on)


# ---- the person's own cabinet -----------------------------------------------------------------


@dataclass
class CabinetPair:
    """A pair as one of its members sees it in their cabinet."""

    pair: Pair
    side: str
    mentees: list[MenteeEntry]
    program_state: ProgramState
    activities: list[ProgramActivity]
    meetings: list[Meeting]
    meetings_count: int

    @property
    def program(self) -> Program | None:
        return self.program_state.program

    @property
    def is_running(self) -> bool:
        return self.pair.status in ACTIVE_STATUSES

    @property
    def next_activities(self) -> list[ProgramActivity]:
        return [a for a in self.activities if a.done_on is None][:NEXT_ACTIVITIES]

    @property
    def last_meetings(self) -> list[Meeting]:
        return self.meetings[:LAST_MEETINGS]

    @property
    def activities_done(self) -> int:
        return sum(1 for a in self.activities if a.done_on is not None)

    @property
    def awaits_my_confirmation(self) -> bool:
        return self.side == "mentee" and self.program is not None and self.program.status == Program.Status.SUBMITTED


@dataclass
class Hours:
    mentor: MentorEntry | None
    year: int
    month_minutes: int = 0
    year_minutes: int = 0

    @property
    def month(self) -> Decimal:
        return hours(self.month_minutes)

    @property
    def this_year(self) -> Decimal:
        return hours(self.year_minutes)


@dataclass
class Cabinet:
    staff: Staff | None
    today: date
    as_mentor: list[CabinetPair] = field(default_factory=list)
    as_mentee: list[CabinetPair] = field(default_factory=list)
    hours: Hours | None = None
    reports_due: list = field(default_factory=list)
    reports_submitted: list = field(default_factory=list)
    open_questionnaires: list = field(default_factory=list)

    @property
    def is_mentor(self) -> bool:
        return bool(self.as_mentor)

    @property
    def is_mentee(self) -> bool:
        return bool(self.as_mentee)

    def reports_of(self, role: str) -> list:
        return [row for row in self.reports_due if row.author_role == role]

    @property
    def mentor_reports_due(self) -> list:
        return self.reports_of(FinalReport.AuthorRole.MENTOR)

    @property
    def mentee_reports_due(self) -> list:
        return self.reports_of(FinalReport.AuthorRole.MENTEE)

    @property
    def mentee_reports_submitted(self) -> list:
        return [r for r in self.reports_submitted if r.author_role == FinalReport.AuthorRole.MENTEE]


def _pairs_with_details(pairs, *, side: str, today: date, draft_days: int) -> list[CabinetPair]:
    pairs = list(pairs)
    ids = [p.pk for p in pairs]
    programs = {
        program.pair_id: program
        for program in Program.objects.filter(pair_id__in=ids).prefetch_related(
            Prefetch("activities", queryset=ProgramActivity.objects.order_by("due_on", "position"))
        )
    }
    meetings = defaultdict(list)
    for meeting in Meeting.objects.filter(pair_id__in=ids).order_by("-held_on", "-pk"):
        meetings[meeting.pair_id].append(meeting)
    rows = []
    for pair in _sorted_pairs(pairs):
        program = programs.get(pair.pk)
        rows.append(
            CabinetPair(
                pair=pair,
                side=side,
                mentees=_current_mentees(pair),
                program_state=_program_state(pair, program, draft_days=draft_days, today=today),
                activities=list(program.activities.all()) if program else [],
                meetings=meetings[pair.pk],
                meetings_count=len(meetings[pair.pk]),
            )
        )
    return rows


def _pairs_base():
    return Pair.objects.select_related("mentor__staff", "order").prefetch_related(
        Prefetch("participants", queryset=PairMentee.objects.select_related("mentee__staff").order_by("pk"))
    )


def cabinet_for(staff: Staff, *, request) -> Cabinet:
    """Everything the person does as a mentor or a mentee; nothing about pairs they are not in."""
    today = organization_today()
    draft_days = rules_in_force().program_draft_days
    cabinet = Cabinet(staff=staff, today=today)
    mentor_pairs = _pairs_base().filter(mentor__staff=staff)
    cabinet.as_mentor = _pairs_with_details(mentor_pairs, side="mentor", today=today, draft_days=draft_days)
    # A mentee sees pairs they are still in, and ended ones they stayed in to the end (for reports).
    # One filter() call, so the conditions apply to the same participant row.
    mentee_pairs = (
        _pairs_base()
        .filter(
            Q(participants__mentee__staff=staff)
            & (
                Q(participants__left_on__isnull=True)
                | Q(status__in=ENDED_STATUSES, participants__left_on__gte=F("ended_on"))
            )
        )
        .exclude(status=Pair.Status.DRAFT)
        .distinct()
    )
    cabinet.as_mentee = _pairs_with_details(mentee_pairs, side="mentee", today=today, draft_days=draft_days)
    mentor_entries = list(MentorEntry.objects.filter(staff=staff).order_by("-is_active", "-pk"))
    if mentor_entries or cabinet.as_mentor:
        cabinet.hours = _hours(staff, mentor_entries[0] if mentor_entries else None, today)
    expected = my_expected_reports(request)
    cabinet.reports_due = [row for row in expected if row.report is None]
    cabinet.reports_submitted = [row for row in expected if row.report is not None]
    cabinet.open_questionnaires = [item for item in my_runs(staff=staff) if item.is_open and item.response is None]
    return cabinet


def empty_cabinet() -> Cabinet:
    """The cabinet of a member who is not linked to a staff record: nothing of theirs to show."""
    return Cabinet(staff=None, today=organization_today())


def _hours(staff: Staff, mentor: MentorEntry | None, today: date) -> Hours:
    totals = Meeting.objects.filter(mentor__staff=staff, held_on__year=today.year).aggregate(
        year=Sum("duration_minutes"), month=Sum("duration_minutes", filter=Q(held_on__month=today.month))
    )
    return Hours(mentor=mentor, year=today.year, month_minutes=totals["month"] or 0, year_minutes=totals["year"] or 0)


# ---- the curator's board ----------------------------------------------------------------------


@dataclass
class ReportsState:
    expected: int
    submitted: int
    due_on: date | None
    is_overdue: bool

    @property
    def label(self) -> str:
        if self.expected == 0:
            return "—"
        return f"подано {self.submitted} из {self.expected}"


@dataclass
class BoardRow:
    pair: Pair
    mentees: list[MenteeEntry]
    program_state: ProgramState
    meetings_count: int
    last_meeting_on: date | None
    activities_done: int
    activities_total: int
    reports: ReportsState | None
    overdue: list = field(default_factory=list)

    @property
    def has_overdue(self) -> bool:
        return bool(self.overdue) or self.program_state.is_overdue or bool(self.reports and self.reports.is_overdue)


@dataclass
class Board:
    rows: list[BoardRow]
    waiting: list
    counters: dict[str, int]
    today: date
    status: str
    form: str
    # Waiting mentees already proposed in a draft pair (awaiting the director's order).
    proposed_mentee_ids: frozenset[int] = frozenset()


def board(*, status: str = "", form: str = "", today: date | None = None) -> Board:
    """Every pair and group with its program, meetings, plan and reports; a fixed number of queries."""
    today = today or organization_today()
    rules = rules_in_force()
    status = status if status in Pair.Status.values else ""
    form = form if form in PairForm.values else ""
    pairs = list(_pairs_base())
    ids = [p.pk for p in pairs]
    programs = {
        program.pair_id: program
        for program in Program.objects.filter(pair_id__in=ids).annotate(
            activities_total=Count("activities"),
            activities_done=Count("activities", filter=Q(activities__done_on__isnull=False)),
        )
    }
    meetings = {
        row["pair_id"]: row
        for row in Meeting.objects.filter(pair_id__in=ids)
        .values("pair_id")
        .annotate(count=Count("id"), last=Max("held_on"))
        .order_by()
    }
    reports = dict(
        FinalReport.objects.filter(pair_id__in=ids)
        .values("pair_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("pair_id", "count")
    )
    overdue = overdue_by_pair(today=today)
    rows = []
    for pair in _sorted_pairs(pairs):
        program = programs.get(pair.pk)
        meeting = meetings.get(pair.pk, {})
        rows.append(
            BoardRow(
                pair=pair,
                mentees=_current_mentees(pair) or [p.mentee for p in pair.participants.all()],
                program_state=_program_state(pair, program, draft_days=rules.program_draft_days, today=today),
                meetings_count=meeting.get("count", 0),
                last_meeting_on=meeting.get("last"),
                activities_done=program.activities_done if program else 0,
                activities_total=program.activities_total if program else 0,
                reports=_reports_state(pair, reports.get(pair.pk, 0), report_days=rules.report_days, today=today),
                overdue=[d for d in overdue.get(pair.pk, []) if d.is_overdue],
            )
        )
    waiting = sorted(
        mentee_rows(MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).select_related("staff")),
        key=lambda row: (row.deadline, row.entry.pk),
    )
    proposed = frozenset(
        p.mentee_id for pair in pairs if pair.status == Pair.Status.DRAFT for p in pair.participants.all()
    )
    counters = {
        "active": sum(1 for r in rows if r.pair.status in ACTIVE_STATUSES),
        "draft": sum(1 for r in rows if r.pair.status == Pair.Status.DRAFT),
        "ended": sum(1 for r in rows if r.pair.status in ENDED_STATUSES),
        "with_overdue": sum(1 for r in rows if r.has_overdue),
        "programs_overdue": sum(1 for r in rows if r.program_state.is_overdue),
        "reports_overdue": sum(1 for r in rows if r.reports and r.reports.is_overdue),
        "waiting": len(waiting),
        "waiting_overdue": sum(1 for w in waiting if w.is_overdue),
    }
    if status:
        rows = [r for r in rows if r.pair.status == status]
    if form:
        rows = [r for r in rows if r.pair.form == form]
    return Board(
        rows=rows,
        waiting=waiting,
        counters=counters,
        today=today,
        status=status,
        form=form,
        proposed_mentee_ids=proposed,
    )


def _reports_state(pair: Pair, submitted: int, *, report_days: int, today: date) -> ReportsState | None:
    if pair.status not in ENDED_STATUSES or pair.ended_on is None:
        return None
    expected = 1 + len(_final_participants(pair))
    due_on = pair.ended_on + timedelta(days=report_days)
    return ReportsState(expected, submitted, due_on, submitted < expected and today > due_on)


# ---- the director's approvals queue -----------------------------------------------------------


@dataclass
class DraftPair:
    pair: Pair
    mentees: list[MenteeEntry]
    missing_consents: list[str]

    @property
    def is_ready(self) -> bool:
        return not self.missing_consents


@dataclass
class Approvals:
    regulation_drafts: list[RegulationVersion]
    roadmap_drafts: list[Roadmap]
    draft_pairs: list[DraftPair]
    orders_without_scan: list[Order]
    recent_orders: list[Order]

    @property
    def total(self) -> int:
        return (
            len(self.regulation_drafts)
            + len(self.roadmap_drafts)
            + len(self.draft_pairs)
            + len(self.orders_without_scan)
        )

    @property
    def ready_pair_ids(self) -> list[int]:
        return [row.pair.pk for row in self.draft_pairs if row.is_ready]


RECENT_ORDERS = 10


def approvals() -> Approvals:
    """What waits for the director: drafts to approve by order, orders whose signed scan is missing."""
    from institutional.services.pairs import missing_consents

    drafts = _sorted_pairs(_pairs_base().filter(status=Pair.Status.DRAFT))
    return Approvals(
        regulation_drafts=list(
            RegulationVersion.objects.filter(status=RegulationVersion.Status.DRAFT).order_by("-number")
        ),
        roadmap_drafts=list(Roadmap.objects.filter(status=Roadmap.Status.DRAFT).order_by("-academic_year")),
        draft_pairs=[DraftPair(pair, _current_mentees(pair), missing_consents(pair)) for pair in drafts],
        orders_without_scan=list(Order.objects.filter(signed_scan="").order_by("-date", "-pk")),
        recent_orders=list(Order.objects.order_by("-date", "-pk")[:RECENT_ORDERS]),
    )
