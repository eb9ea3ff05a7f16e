"""Read path of final reports (tenant schema): who owes which report, deadlines, access.

Privacy: a mentee's report (with the evaluation of the mentor) is visible only to its author, the
curator, the council and the director; the mentor's report also to the pair's mentees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.http import Http404

from institutional.access import OVERSEERS, has_any_role, own_staff
from institutional.dates import organization_today
from institutional.models import FinalReport, MenteeEntry, Pair, PairMentee, Staff
from institutional.selectors.regulation import rules_in_force

ENDED_STATUSES = (Pair.Status.COMPLETED, Pair.Status.ENDED_EARLY)

SUBMITTED, MISSING, OVERDUE = "submitted", "missing", "overdue"


def report_due_on(pair: Pair, rules=None) -> date | None:
    """Reports are due report_days (regulation) after the pair actually ended."""
    if pair.ended_on is None:
        return None
    return pair.ended_on + timedelta(days=(rules or rules_in_force()).report_days)


def was_in_at_end(participant: PairMentee, pair: Pair) -> bool:
    """Whether the mentee was still in the pair (group) when it ended: one report is expected from each."""
    return participant.left_on is None or (pair.ended_on is not None and participant.left_on >= pair.ended_on)


def report_state(report: FinalReport | None, due_on: date | None, today: date | None = None) -> str:
    if report is not None:
        return SUBMITTED
    today = today or organization_today()
    if due_on is not None and today > due_on:
        return OVERDUE
    return MISSING


def final_participants(pair: Pair) -> list[PairMentee]:
    """The mentees who were in the pair when it ended (one report is expected from each)."""
    query = Q(left_on__isnull=True)
    if pair.ended_on is not None:
        query |= Q(left_on__gte=pair.ended_on)
    return list(pair.participants.filter(query).select_related("mentee__staff").order_by("pk"))


@dataclass
class ExpectedReport:
    pair: Pair
    author_role: str
    author_name: str
    author_user_id: int | None
    mentee: MenteeEntry | None
    report: FinalReport | None
    due_on: date | None
    state: str

    @property
    def role_label(self) -> str:
        return FinalReport.AuthorRole(self.author_role).label


def expected_reports(pair: Pair, *, today: date | None = None) -> list[ExpectedReport]:
    today = today or organization_today()
    due_on = report_due_on(pair)
    reports = list(FinalReport.objects.filter(pair=pair))
    mentor_report = next((r for r in reports if r.author_role == FinalReport.AuthorRole.MENTOR), None)
    mentor_staff = pair.mentor.staff
    rows = [
        ExpectedReport(
            pair=pair,
            author_role=FinalReport.AuthorRole.MENTOR,
            author_name=mentor_staff.full_name,
            author_user_id=mentor_staff.user_id,
            mentee=None,
            report=mentor_report,
            due_on=due_on,
            state=report_state(mentor_report, due_on, today),
        )
    ]
    for participant in final_participants(pair):
        mentee = participant.mentee
        report = next(
            (r for r in reports if r.author_role == FinalReport.AuthorRole.MENTEE and r.mentee_id == mentee.pk), None
        )
        rows.append(
            ExpectedReport(
                pair=pair,
                author_role=FinalReport.AuthorRole.MENTEE,
                author_name=mentee.full_name,
                author_user_id=mentee.staff.user_id if mentee.staff_id else None,
                mentee=mentee,
                report=report,
                due_on=due_on,
                state=report_state(report, due_on, today),
            )
        )
    return rows


def ended_pairs():
    return Pair.objects.filter(status__in=ENDED_STATUSES).select_related("mentor__staff").order_by("-ended_on", "-pk")


@dataclass
class PairReports:
    pair: Pair
    rows: list[ExpectedReport]


def reports_overview(*, today: date | None = None) -> list[PairReports]:
    """For the curator, the council and the director: every ended pair with each expected report."""
    today = today or organization_today()
    return [PairReports(pair=pair, rows=expected_reports(pair, today=today)) for pair in ended_pairs()]


def my_expected_reports(request) -> list[ExpectedReport]:
    """The reports the signed-in user owes or has submitted (as a mentor or as a mentee)."""
    staff = own_staff(request)
    if staff is None:
        return []
    pairs = ended_pairs().filter(Q(mentor__staff=staff) | Q(participants__mentee__staff=staff)).distinct()
    today = organization_today()
    rows = []
    for pair in pairs:
        for row in expected_reports(pair, today=today):
            if _row_is_of(row, staff):
                rows.append(row)
    return rows


def _row_is_of(row: ExpectedReport, staff: Staff) -> bool:
    if row.author_role == FinalReport.AuthorRole.MENTOR:
        return row.pair.mentor.staff_id == staff.pk
    return row.mentee is not None and row.mentee.staff_id == staff.pk


def pair_for_report(*, request, pair_id: int) -> tuple[Pair, str, MenteeEntry | None]:
    """The pair the signed-in user reports on, their side and (for a mentee) their bank entry.

    Anyone who is not the pair's mentor or one of its final mentees gets "not found".
    """
    staff = own_staff(request)
    pair = Pair.objects.select_related("mentor__staff").filter(pk=pair_id).first()
    if pair is None or staff is None:
        raise Http404("Пара не найдена.")
    if pair.mentor.staff_id == staff.pk:
        return pair, FinalReport.AuthorRole.MENTOR, None
    for participant in final_participants(pair):
        if participant.mentee.staff_id == staff.pk:
            return pair, FinalReport.AuthorRole.MENTEE, participant.mentee
    raise Http404("Пара не найдена.")


def may_see(request, report: FinalReport) -> bool:
    if has_any_role(request, OVERSEERS):
        return True
    staff = own_staff(request)
    if staff is None:
        return False
    if report.author_id == staff.pk:
        return True
    if report.author_role != FinalReport.AuthorRole.MENTOR:
        return False
    return any(p.mentee.staff_id == staff.pk for p in final_participants(report.pair))


def access_report(*, request, report_id: int) -> FinalReport:
    """A report for whoever may read it (see the module docstring); the same 404 otherwise."""
    report = (
        FinalReport.objects.select_related("pair__mentor__staff", "author", "mentee__staff")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not may_see(request, report):
        raise Http404("Отчёт не найден.")
    return report


def visible_reports(request):
    """Reports the user may read: all for overseers; otherwise their own and their pairs' mentor reports."""
    reports = FinalReport.objects.select_related("pair__mentor__staff", "author", "mentee__staff").order_by(
        "-submitted_at", "-pk"
    )
    if has_any_role(request, OVERSEERS):
        return list(reports)
    staff = own_staff(request)
    if staff is None:
        return []
    candidates = reports.filter(
        Q(author=staff) | Q(author_role=FinalReport.AuthorRole.MENTOR, pair__participants__mentee__staff=staff)
    ).distinct()
    return [r for r in candidates if may_see(request, r)]
