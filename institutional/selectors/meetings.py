"""Read path of meetings and the mentor's hours ledger (tenant schema).

The ledger is the basis of the extra pay for mentoring (art. 351.8 of the Labour Code): per month,
the total duration of the mentor's meetings across their pairs, in hours to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404

from institutional.access import OVERSEERS, has_any_role, own_staff
from institutional.models import Meeting, MentorEntry, Pair
from institutional.selectors.programs import pair_side
from nastavnik.documents import MONTHS


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pair_meetings(pair: Pair, *, with_notes: bool):
    """The pair's meetings; notes are blanked unless the caller may read them."""
    meetings = list(
        pair.meetings.prefetch_related("attendance__participant__mentee__staff").order_by("-held_on", "-pk")
    )
    if not with_notes:
        for meeting in meetings:
            meeting.notes = ""
    return meetings


def may_read_notes(request, pair: Pair) -> bool:
    """Notes are private to the pair, the curator, the council and the director."""
    return has_any_role(request, OVERSEERS) or pair_side(request.user, pair) is not None


@dataclass
class LedgerMonth:
    year: int
    month: int
    minutes: int = 0
    meetings: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)


def mentor_ledger(*, mentor: MentorEntry, year: int, month: int | None = None) -> list[LedgerMonth]:
    """Months of `year` (or the one month) with the mentor's meetings and their total duration."""
    meetings = Meeting.objects.filter(mentor=mentor, held_on__year=year).select_related("pair")
    if month:
        meetings = meetings.filter(held_on__month=month)
    months = {m: LedgerMonth(year, m) for m in ([month] if month else range(1, 13))}
    for meeting in meetings.order_by("held_on", "pk"):
        row = months[meeting.held_on.month]
        row.minutes += meeting.duration_minutes
        row.meetings.append(meeting)
    return [months[m] for m in sorted(months)]


def ledger_mentors(request):
    """Mentors whose ledger the user may see: every one for overseers, otherwise their own."""
    entries = MentorEntry.objects.select_related("staff").order_by("staff__last_name", "staff__first_name")
    if has_any_role(request, OVERSEERS):
        return list(entries)
    staff = own_staff(request)
    if staff is None:
        return []
    return list(entries.filter(staff=staff))


def access_ledger_mentor(*, request, mentor_id) -> MentorEntry:
    """The mentor whose ledger is asked for; none given → the user's own. Not allowed → 404."""
    allowed = ledger_mentors(request)
    if not allowed:
        raise Http404("Табель не найден.")
    if mentor_id in (None, ""):
        if has_any_role(request, OVERSEERS):
            return allowed[0]
        return allowed[0]
    try:
        wanted = int(mentor_id)
    except (TypeError, ValueError):
        raise Http404("Табель не найден.") from None
    for entry in allowed:
        if entry.pk == wanted:
            return entry
    raise Http404("Табель не найден.")


def ledger_sheets(*, mentor: MentorEntry, ledger: list[LedgerMonth]):
    """XLSX sheets: the monthly totals and every meeting counted."""
    totals = [(row.label, len(row.meetings), row.minutes, float(row.hours)) for row in ledger]
    total_minutes = sum(row.minutes for row in ledger)
    totals.append(("Итого", sum(len(r.meetings) for r in ledger), total_minutes, float(hours(total_minutes))))
    details = []
    for row in ledger:
        for meeting in row.meetings:
            details.append(
                (
                    meeting.held_on,
                    ", ".join(p.mentee.full_name for p in meeting.pair.participants.all()),
                    meeting.get_kind_display(),
                    meeting.get_mode_display(),
                    meeting.topic,
                    meeting.duration_minutes,
                    float(hours(meeting.duration_minutes)),
                )
            )
    name = mentor.staff.full_name
    return [
        (
            "Часы по месяцам",
            [f"Наставник: {name}", "Встреч", "Минут", "Часов"],
            totals,
        ),
        (
            "Встречи",
            ["Дата", "Наставляемые", "Вид встречи", "Формат", "Тема", "Минут", "Часов"],
            details,
        ),
    ]
