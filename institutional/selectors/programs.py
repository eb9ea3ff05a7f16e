"""Read path of personalized programs (tenant schema): who is who in a pair, access, lists, deadlines."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from institutional.access import OVERSEERS, has_any_role
from institutional.dates import organization_today
from institutional.models import Pair, Program, ProgramActivity, ProgramChange
from institutional.selectors.regulation import rules_in_force

ACTIVE_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)


def add_months(day, months: int):
    """The same day `months` later (the last day of the month when it does not exist)."""
    import calendar

    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def pair_mentor_user_id(pair: Pair) -> int | None:
    return pair.mentor.staff.user_id


def pair_mentee_user_ids(pair: Pair) -> set[int]:
    return {
        user_id
        for user_id in pair.participants.filter(left_on__isnull=True).values_list("mentee__staff__user_id", flat=True)
        if user_id is not None
    }


def pair_side(user, pair: Pair) -> str | None:
    """'mentor' or 'mentee' when the user is in the pair, otherwise None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if pair_mentor_user_id(pair) == user.pk:
        return "mentor"
    if user.pk in pair_mentee_user_ids(pair):
        return "mentee"
    return None


def access_pair_for_program(*, request, pair_id: int) -> Pair:
    """A pair for its mentor, its mentees, the curator, the council and the director; others: 404."""
    pair = Pair.objects.select_related("mentor__staff", "order").filter(pk=pair_id).first()
    if pair is None:
        raise Http404("Пара не найдена.")
    if has_any_role(request, OVERSEERS) or pair_side(request.user, pair):
        return pair
    raise Http404("Пара не найдена.")


def access_program(*, request, program_id: int) -> Program:
    program = Program.objects.filter(pk=program_id).values_list("pair_id", flat=True).first()
    if program is None:
        raise Http404("Программа не найдена.")
    pair = access_pair_for_program(request=request, pair_id=program)
    return pair.program


def access_activity(*, request, activity_id: int) -> ProgramActivity:
    activity = ProgramActivity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise Http404("Мероприятие не найдено.")
    access_program(request=request, program_id=activity.program_id)
    return activity


def access_change(*, request, change_id: int) -> ProgramChange:
    change = ProgramChange.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404("Изменение не найдено.")
    access_program(request=request, program_id=change.program_id)
    return change


def draft_due_on(pair: Pair, rules=None):
    """The mentor drafts the program within program_draft_days of the pair's approval.

    `rules` (the regulation's, `rules_in_force()`) may be passed by a caller that handles many pairs.
    """
    from datetime import timedelta

    if pair.approved_at is not None:
        approved = timezone.localtime(pair.approved_at).date()
    elif pair.order_id:
        approved = pair.order.date
    else:
        approved = organization_today()
    return approved + timedelta(days=(rules or rules_in_force()).program_draft_days)


def is_overdue(program: Program, today=None) -> bool:
    today = today or organization_today()
    return program.status == Program.Status.DRAFT and today > program.draft_due_on


@dataclass
class ProgramRow:
    program: Program | None
    pair: Pair
    overdue: bool
    due_on: object


def programs_for(request) -> list[ProgramRow]:
    """Overseers see every approved pair's program (or its missing draft); others only their own."""
    today = organization_today()
    pairs = (
        Pair.objects.filter(status__in=(*ACTIVE_PAIR_STATUSES, Pair.Status.COMPLETED, Pair.Status.ENDED_EARLY))
        .select_related("mentor__staff", "order")
        .prefetch_related("participants__mentee__staff")
        .order_by("-starts_on", "-pk")
    )
    if not has_any_role(request, OVERSEERS):
        user_id = request.user.pk
        pairs = pairs.filter(mentor__staff__user_id=user_id) | pairs.filter(
            participants__mentee__staff__user_id=user_id, participants__left_on__isnull=True
        )
        pairs = pairs.distinct()
    programs = {p.pair_id: p for p in Program.objects.filter(pair__in=[pair.pk for pair in pairs])}
    rows = []
    for pair in pairs:
        program = programs.get(pair.pk)
        if program is not None:
            rows.append(ProgramRow(program, pair, is_overdue(program, today), program.draft_due_on))
        else:
            due = draft_due_on(pair)
            overdue = pair.status in ACTIVE_PAIR_STATUSES and today > due
            rows.append(ProgramRow(None, pair, overdue, due))
    return rows


def mentee_names(pair: Pair) -> list[str]:
    return [p.mentee.full_name for p in pair.participants.all() if p.left_on is None]


def program_changes(program: Program):
    return program.changes.order_by("-created_at", "-pk")


def pending_changes(program: Program):
    return program.changes.filter(applied_at__isnull=True, rejected_at__isnull=True)


def change_status(change: ProgramChange) -> str:
    if change.applied_at:
        return "Принято обеими сторонами"
    if change.rejected_at:
        return "Отклонено"
    return "Ожидает подтверждения второй стороны"
