"""Write path of meetings (tenant schema): a pair's logged meetings, which feed the mentor's hours."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from institutional.dates import organization_today
from institutional.models import Meeting, MeetingAttendance, MeetingMode, Pair
from institutional.selectors.programs import ACTIVE_PAIR_STATUSES
from nastavnik.audit import actor_context, actor_id


def pair_mentor_on(pair: Pair, day) -> int:
    """The id of the mentor who led `pair` on `day`: a later replacement names the earlier one."""
    later = pair.replacements.filter(replaced_on__gt=day).order_by("replaced_on", "pk").first()
    return later.previous_mentor_id if later else pair.mentor_id


def meeting_create(
    *,
    actor,
    pair: Pair,
    held_on: date | None,
    duration_minutes: int | None,
    mode: str,
    topic: str,
    kind: str = Meeting.Kind.REGULAR,
    notes: str = "",
    attendance: dict[int, bool] | None = None,
) -> Meeting:
    """A meeting of an approved or active pair; for a group, attendance of every participant."""
    errors: dict = {}
    if pair.status not in ACTIVE_PAIR_STATUSES:
        raise ValidationError("Встречи записывают для пары, утверждённой приказом и ещё не завершённой.")
    if held_on is None:
        errors["held_on"] = "Укажите дату встречи."
    elif held_on > organization_today():
        errors["held_on"] = "Дата встречи не может быть в будущем."
    elif not pair.starts_on <= held_on <= pair.ends_on:
        errors["held_on"] = (
            f"Дата встречи вне срока наставничества ({pair.starts_on:%d.%m.%Y} – {pair.ends_on:%d.%m.%Y})."
        )
    if duration_minutes is None or not 5 <= duration_minutes <= 600:
        errors["duration_minutes"] = "Продолжительность встречи — от 5 до 600 минут."
    if mode not in MeetingMode.values:
        errors["mode"] = "Укажите формат встречи."
    if kind not in Meeting.Kind.values:
        errors["kind"] = "Укажите вид встречи."
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = "Укажите тему встречи."
    participants = list(pair.participants.filter(left_on__isnull=True).order_by("pk"))
    attendance = dict(attendance or {})
    unknown = set(attendance) - {p.pk for p in participants}
    if unknown:
        errors["attendance"] = "Отмечен участник, которого нет в этой группе."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        meeting = Meeting.objects.create(
            pair=pair,
            mentor_id=pair_mentor_on(pair, held_on),
            held_on=held_on,
            duration_minutes=duration_minutes,
            mode=mode,
            kind=kind,
            topic=topic[:300],
            notes=(notes or "").strip(),
            created_by_id=actor_id(actor),
        )
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(meeting=meeting, participant=p, attended=attendance.get(p.pk, True))
                for p in participants
            ]
        )
    return meeting
