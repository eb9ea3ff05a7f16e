"""Write path of pairs and groups (tenant schema). Other areas create pairs only through here.

Lifecycle: draft → approved (by the director's order, with every consent signed) → active (on the
start date) → completed or ended early. The cap of mentees per mentor is checked here for a clear
message and enforced by the database trigger (migrations 0010 and 0018), which also serializes
concurrent approvals for one mentor — across organizations too: a mentor's mentees here, their
network pairs in other organizations and an outside mentor's pairs here all count against one cap
(the public ledger `regional.MentorLoad`).

A network pair (`is_network`) has a mentor of another organization (an outside bank entry); it is
created only by `regional.services.network` when the mentor accepts a request, is approved here by
order like any pair, and when it ends or loses that mentor the request is closed and both
organizations' published figures are refreshed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import (
    ConsentKind,
    EndReason,
    MenteeEntry,
    MentorEntry,
    MentorReplacement,
    Order,
    Pair,
    PairForm,
    PairKind,
    PairMentee,
    ReplacementReason,
)
from institutional.selectors.banks import is_minor_trainee, mentor_capacity, mentor_load, mentor_network_mentees
from institutional.selectors.consents import has_signed_consent
from institutional.selectors.regulation import rules_in_force
from institutional.services.orders import order_check_details, order_create
from nastavnik.audit import actor_context, actor_id

OPEN_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)
CAPACITY_ERROR = re.compile(r"mentor_capacity_exceeded: mentor (\d+)")


def months_word(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "месяца"
    return "месяцев"


def _check_period(starts_on: date | None, ends_on: date | None) -> dict:
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        return {"ends_on": "Окончание наставничества должно быть позже начала."}
    rules = rules_in_force()
    shortest = starts_on + relativedelta(months=rules.mentoring_min_months)
    longest = starts_on + relativedelta(months=rules.mentoring_max_months)
    if ends_on < shortest or ends_on > longest:
        return {
            "ends_on": (
                f"Срок наставничества — от {rules.mentoring_min_months} до {rules.mentoring_max_months} "
                f"{months_word(rules.mentoring_max_months)} (положение о системе наставничества); "
                f"при начале {starts_on:%d.%m.%Y} окончание — с {shortest:%d.%m.%Y} по {longest:%d.%m.%Y}."
            )
        }
    return {}


def _busy_mentees(mentees, *, exclude_pair_id=None) -> list[str]:
    """Names of the mentees who are already in an approved or active pair."""
    memberships = PairMentee.objects.filter(
        mentee__in=[m.pk for m in mentees], pair__status__in=OPEN_STATUSES, left_on__isnull=True
    )
    if exclude_pair_id:
        memberships = memberships.exclude(pair_id=exclude_pair_id)
    busy = set(memberships.values_list("mentee_id", flat=True))
    return [m.full_name for m in mentees if m.pk in busy]


OUTSIDE_ONLY_BY_REQUEST = (
    "Наставник другой организации закрепляется только по запросу сетевого наставничества, "
    "с согласия его руководителя и его самого."
)


def is_outside(mentor: MentorEntry | None) -> bool:
    return mentor is not None and mentor.home_organization_id is not None


def _check_draft(*, mentor, mentees, form, kinds, starts_on, ends_on, pair_id=None, allow_outside=False) -> None:
    errors = {}
    if mentor is None:
        errors["mentor"] = "Выберите наставника."
    elif not mentor.is_active:
        errors["mentor"] = f"{mentor.staff.short_name} исключён(а) из банка наставников."
    elif is_outside(mentor) and not allow_outside:
        errors["mentor"] = OUTSIDE_ONLY_BY_REQUEST
    if not mentees:
        errors["mentees"] = "Укажите хотя бы одного наставляемого."
    elif len({m.pk for m in mentees}) != len(mentees):
        errors["mentees"] = "Наставляемый указан дважды."
    else:
        for mentee in mentees:
            if mentee.status == MenteeEntry.Status.LEFT:
                errors["mentees"] = f"{mentee.full_name} выбыл(а) из банка наставляемых."
        busy = _busy_mentees(mentees, exclude_pair_id=pair_id)
        if busy:
            errors["mentees"] = f"Уже в утверждённой или действующей паре (группе): {', '.join(busy)}."
    if form not in PairForm.values:
        errors["form"] = "Укажите форму наставничества."
    if not kinds or any(kind not in PairKind.values for kind in kinds):
        errors["kinds"] = "Укажите вид (виды) наставничества."
    errors.update(_check_period(starts_on, ends_on))
    if errors:
        raise ValidationError(errors)


def pair_create(
    *,
    actor,
    mentor: MentorEntry,
    mentees: list[MenteeEntry],
    form: str,
    kinds: list[str],
    starts_on: date,
    ends_on: date,
    is_network: bool = False,
) -> Pair:
    """A draft pair (one mentee) or group (two or more) — approved later by the director's order.

    `is_network` only from `regional.services.network` (the mentor of another organization accepted).
    """
    mentees = list(mentees)
    _check_draft(
        mentor=mentor,
        mentees=mentees,
        form=form,
        kinds=kinds,
        starts_on=starts_on,
        ends_on=ends_on,
        allow_outside=is_network,
    )
    if is_network and not is_outside(mentor):
        raise ValidationError({"mentor": "В сетевой паре наставник — из другой организации."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair = Pair.objects.create(
            mentor=mentor,
            form=form,
            kinds=list(dict.fromkeys(kinds)),
            starts_on=starts_on,
            ends_on=ends_on,
            is_network=is_network,
            created_by_id=actor_id(actor),
        )
        PairMentee.objects.bulk_create(
            [PairMentee(pair=pair, mentee=mentee, joined_on=starts_on) for mentee in mentees]
        )
    return pair


def _check_is_draft(pair: Pair) -> None:
    if pair.status != Pair.Status.DRAFT:
        raise ValidationError(f"Пара (группа) уже {pair.get_status_display().lower()}: менять можно только проект.")


def pair_update(
    *,
    actor,
    pair: Pair,
    mentor: MentorEntry,
    mentees: list[MenteeEntry],
    form: str,
    kinds: list[str],
    starts_on: date,
    ends_on: date,
) -> Pair:
    """Change a draft: its mentor, participants, form, kinds and period.

    A network draft keeps its outside mentor or takes one of this organization (the request is then
    withdrawn); another outside mentor comes only through a request.
    """
    _check_is_draft(pair)
    mentees = list(mentees)
    keeps_outside = mentor is not None and pair.is_network and mentor.pk == pair.mentor_id
    _check_draft(
        mentor=mentor,
        mentees=mentees,
        form=form,
        kinds=kinds,
        starts_on=starts_on,
        ends_on=ends_on,
        pair_id=pair.pk,
        allow_outside=keeps_outside,
    )
    leaves_network = pair.is_network and not keeps_outside
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair.mentor, pair.form, pair.kinds = mentor, form, list(dict.fromkeys(kinds))
        pair.starts_on, pair.ends_on = starts_on, ends_on
        pair.is_network = keeps_outside
        pair.save()
        if leaves_network:
            _network_closed(pair, home_organization_id=None, cancelled=True)
        pair.participants.all().delete()
        PairMentee.objects.bulk_create(
            [PairMentee(pair=pair, mentee=mentee, joined_on=starts_on) for mentee in mentees]
        )
    return pair


def pair_delete(*, actor, pair: Pair) -> None:
    _check_is_draft(pair)
    pair_id, is_network = pair.pk, pair.is_network
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair.delete()
        if is_network:
            _network_closed(pair, home_organization_id=None, cancelled=True, pair_id=pair_id)


def _network_closed(pair: Pair, *, home_organization_id: int | None, cancelled: bool = False, pair_id=None) -> None:
    """The network request behind `pair` is over (in the caller's transaction)."""
    from regional.services.network import network_pair_closed

    network_pair_closed(pair_id=pair_id or pair.pk, home_organization_id=home_organization_id, cancelled=cancelled)


def missing_consents(pair: Pair) -> list[str]:
    """What is missing before the pair may be approved, one line per person («Иванов И. И.: …»).

    The consents of a mentor of another organization (network pair) are kept and checked in their own
    organization when its director releases them, so only the mentees' are asked for here.
    """
    problems = []
    mentor_staff = pair.mentor.staff
    mentor_missing = [
        label
        for kind, label in (
            (ConsentKind.PERSONAL_DATA, "согласие на обработку персональных данных"),
            (ConsentKind.MENTORING_DUTIES, "согласие на выполнение обязанностей наставника"),
        )
        if not is_outside(pair.mentor) and not has_signed_consent(kind=kind, staff=mentor_staff)
    ]
    if mentor_missing:
        problems.append(f"наставник {mentor_staff.short_name}: нет подписанного {'; '.join(mentor_missing)}")
    for participant in pair.participants.select_related("mentee__staff"):
        mentee = participant.mentee
        if is_minor_trainee(mentee):
            if not has_signed_consent(kind=ConsentKind.PARENT_PERSONAL_DATA, mentee_entry=mentee):
                problems.append(
                    f"наставляемый {mentee.full_name}: нет подписанного согласия родителя (законного "
                    "представителя) на обработку персональных данных"
                )
        elif mentee.staff_id:
            if not has_signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=mentee.staff):
                problems.append(
                    f"наставляемый {mentee.full_name}: нет подписанного согласия на обработку персональных данных"
                )
        elif not has_signed_consent(kind=ConsentKind.PERSONAL_DATA, mentee_entry=mentee):
            problems.append(
                f"наставляемый {mentee.full_name}: нет подписанного согласия на обработку персональных данных"
            )
    return problems


def _capacity_message(mentor: MentorEntry, *, adding: int = 0) -> str:
    load = mentor_load(mentor)
    elsewhere = mentor_network_mentees(mentor)
    return (
        f"У наставника {mentor.staff.short_name} уже {load} наставляемых"
        + (f" (из них в других организациях — {elsewhere})" if elsewhere else "")
        + (f", а к утверждению — ещё {adding}" if adding else "")
        + f"; предел — {mentor_capacity(mentor)} (положение о системе наставничества)."
    )


def _over_capacity(mentor: MentorEntry, adding: int) -> bool:
    return mentor_load(mentor) + adding > mentor_capacity(mentor)


def _capacity_error(error: DatabaseError) -> ValidationError | None:
    match = CAPACITY_ERROR.search(str(error))
    if match is None:
        return None
    mentor = MentorEntry.objects.select_related("staff").get(pk=int(match.group(1)))
    return ValidationError(_capacity_message(mentor))


def pair_order_content(pairs: list[Pair]) -> dict:
    """The data the order's DOCX table is built from (kept with the order as it was decided)."""
    rows = []
    for pair in pairs:
        mentor_staff = pair.mentor.staff
        position = mentor_staff.position
        if mentor_staff.is_outside and mentor_staff.home_organization_name:
            position = f"{position}, {mentor_staff.home_organization_name} (сетевое наставничество)"
        rows.append(
            {
                "pair_id": pair.pk,
                "mentor": mentor_staff.full_name,
                "mentor_position": position,
                "mentees": [p.mentee.full_name for p in pair.participants.select_related("mentee__staff")],
                "form": pair.get_form_display(),
                "kinds": [PairKind(kind).label for kind in pair.kinds],
                "starts_on": pair.starts_on.isoformat(),
                "ends_on": pair.ends_on.isoformat(),
            }
        )
    return {"pairs": rows}


def _start_participants(pair: Pair) -> None:
    MenteeEntry.objects.filter(pk__in=pair.participants.values("mentee_id")).update(
        status=MenteeEntry.Status.IN_PAIR, left_on=None, left_reason=""
    )


def pair_approve(*, actor, pairs: list[Pair], order_number: str, order_date: date | None) -> Order:
    """Approve draft pairs by ONE order of the director, all or nothing.

    Refused with a message naming who and what is missing when a consent is not signed, a
    participant is already in another pair, or a mentor's cap would be exceeded.
    """
    pairs = list(pairs)
    if not pairs:
        raise ValidationError({"pairs": "Выберите хотя бы одну пару (группу) для утверждения."})
    order_check_details(number=order_number, day=order_date)
    errors = []
    for pair in pairs:
        if pair.status != Pair.Status.DRAFT:
            errors.append(f"Пара (группа) № {pair.pk} уже {pair.get_status_display().lower()}.")
            continue
        problems = missing_consents(pair)
        if problems:
            errors.append(f"Пара (группа) № {pair.pk} — " + "; ".join(problems) + ".")
        mentees = [p.mentee for p in pair.participants.select_related("mentee__staff")]
        busy = _busy_mentees(mentees)
        if busy:
            errors.append(f"Пара (группа) № {pair.pk}: уже в утверждённой паре (группе) — {', '.join(busy)}.")
        period = _check_period(pair.starts_on, pair.ends_on)
        if period:
            errors.append(f"Пара (группа) № {pair.pk}: {period['ends_on']}")
    adding: dict[int, int] = {}
    for pair in pairs:
        adding[pair.mentor_id] = adding.get(pair.mentor_id, 0) + pair.participants.count()
    for pair in {p.mentor_id: p for p in pairs}.values():
        if _over_capacity(pair.mentor, adding[pair.mentor_id]):
            errors.append(_capacity_message(pair.mentor, adding=adding[pair.mentor_id]))
    if errors:
        raise ValidationError(errors)
    today = organization_today()
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            order = order_create(
                actor=actor,
                kind=Order.Kind.PAIRS_APPROVAL,
                number=order_number,
                day=order_date,
                title=Order.Kind.PAIRS_APPROVAL.label,
                content=pair_order_content(pairs),
            )
            now = timezone.now()
            for pair in pairs:
                pair.status = Pair.Status.ACTIVE if pair.starts_on <= today else Pair.Status.APPROVED
                pair.order, pair.approved_at = order, now
                pair.save(update_fields=["status", "order", "approved_at"])
                _start_participants(pair)
            # The outside mentor's own organization publishes their load across the region too.
            for home in {p.mentor.home_organization_id for p in pairs if is_outside(p.mentor)}:
                _refresh_home(home)
    except DatabaseError as error:
        translated = _capacity_error(error)
        if translated is None:
            raise
        for pair in pairs:
            pair.refresh_from_db()
        raise translated from error
    return order


def _refresh_home(organization_id: int) -> None:
    from regional.services.network import refresh_after_commit

    refresh_after_commit(organization_id)


def pair_activate(*, actor, pair: Pair) -> Pair:
    """approved → active, from the start date on."""
    if pair.status != Pair.Status.APPROVED:
        raise ValidationError("Начать можно только утверждённую пару (группу).")
    if pair.starts_on > organization_today():
        raise ValidationError(f"Наставничество начнётся {pair.starts_on:%d.%m.%Y}.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair.status = Pair.Status.ACTIVE
        pair.save(update_fields=["status"])
    return pair


def pair_activate_due(*, today: date | None = None) -> int:
    """Every approved pair whose start date has come becomes active; returns how many (safe to rerun)."""
    today = today or organization_today()
    with transaction.atomic(), actor_context(None):
        return Pair.objects.filter(status=Pair.Status.APPROVED, starts_on__lte=today).update(status=Pair.Status.ACTIVE)


def pair_end(*, actor, pair: Pair, reason: str, ended_on: date | None, note: str = "") -> Pair:
    """active → completed (plan done) or ended early (any other listed reason, with a note).

    An approved pair that never started can only end early. Participants leave the pair; a mentee
    goes back to waiting after an early end and leaves the bank as «completed» after completion.
    """
    note = (note or "").strip()
    errors = {}
    if reason not in EndReason.values:
        errors["reason"] = "Укажите основание завершения из перечня положения."
    completed = reason == EndReason.PLAN_COMPLETED
    if completed and pair.status != Pair.Status.ACTIVE:
        errors["reason"] = "Завершить с выполнением программы можно только действующую пару (группу)."
    if pair.status not in OPEN_STATUSES:
        raise ValidationError("Завершить можно только утверждённую или действующую пару (группу).")
    if reason in EndReason.values and not completed and not note:
        errors["note"] = "При досрочном завершении поясните причину."
    today = organization_today()
    if ended_on is None:
        errors["ended_on"] = "Укажите дату завершения."
    elif ended_on > today:
        errors["ended_on"] = "Дата завершения не может быть в будущем."
    elif ended_on < pair.starts_on and pair.status == Pair.Status.ACTIVE:
        errors["ended_on"] = "Дата завершения не может быть раньше начала наставничества."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair.status = Pair.Status.COMPLETED if completed else Pair.Status.ENDED_EARLY
        pair.ended_on, pair.end_reason, pair.end_note = ended_on, reason, note
        pair.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
        mentee_ids = list(pair.participants.filter(left_on__isnull=True).values_list("mentee_id", flat=True))
        pair.participants.filter(left_on__isnull=True).update(left_on=ended_on)
        entries = MenteeEntry.objects.filter(pk__in=mentee_ids, status=MenteeEntry.Status.IN_PAIR)
        if completed:
            entries.update(
                status=MenteeEntry.Status.LEFT, left_on=ended_on, left_reason=MenteeEntry.LeftReason.COMPLETED
            )
        else:
            entries.update(status=MenteeEntry.Status.WAITING)
        # The final satisfaction questionnaire for the mentor and the mentees (same transaction).
        from institutional.services.questionnaires import pair_satisfaction_run_create

        pair_satisfaction_run_create(actor=actor, pair=pair)
        if pair.is_network:
            _network_closed(pair, home_organization_id=pair.mentor.home_organization_id)
    return pair


@dataclass(frozen=True)
class Replacement:
    new_mentor: MentorEntry | None
    reason: str
    order_number: str
    order_date: date | None
    note: str = ""
    replaced_on: date | None = None


def pair_replace_mentor(*, actor, pair: Pair, replacement: Replacement) -> MentorReplacement:
    """Replace the mentor of an approved or active pair by the director's order, for a listed reason."""
    new_mentor = replacement.new_mentor
    errors = {}
    if pair.status not in OPEN_STATUSES:
        raise ValidationError("Заменить наставника можно только в утверждённой или действующей паре (группе).")
    if replacement.reason not in ReplacementReason.values:
        errors["reason"] = "Замена наставника допускается только по основаниям, перечисленным в положении."
    if new_mentor is None:
        errors["new_mentor"] = "Выберите нового наставника."
    elif new_mentor.pk == pair.mentor_id:
        errors["new_mentor"] = "Новый наставник должен отличаться от прежнего."
    elif not new_mentor.is_active:
        errors["new_mentor"] = f"{new_mentor.staff.short_name} исключён(а) из банка наставников."
    elif is_outside(new_mentor):
        errors["new_mentor"] = OUTSIDE_ONLY_BY_REQUEST
    else:
        missing = [
            label
            for kind, label in (
                (ConsentKind.PERSONAL_DATA, "на обработку персональных данных"),
                (ConsentKind.MENTORING_DUTIES, "на выполнение обязанностей наставника"),
            )
            if not has_signed_consent(kind=kind, staff=new_mentor.staff)
        ]
        if missing:
            errors["new_mentor"] = (
                f"У наставника {new_mentor.staff.short_name} нет подписанного согласия {' и '.join(missing)}."
            )
        elif _over_capacity(new_mentor, pair.participants.filter(left_on__isnull=True).count()):
            errors["new_mentor"] = _capacity_message(
                new_mentor, adding=pair.participants.filter(left_on__isnull=True).count()
            )
    try:
        order_check_details(number=replacement.order_number, day=replacement.order_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    replaced_on = replacement.replaced_on or replacement.order_date
    if replaced_on and replacement.order_date and replaced_on < replacement.order_date:
        errors["replaced_on"] = "Дата замены не может быть раньше даты приказа."
    if errors:
        raise ValidationError(errors)
    previous = pair.mentor
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            order = order_create(
                actor=actor,
                kind=Order.Kind.MENTOR_REPLACEMENT,
                number=replacement.order_number,
                day=replacement.order_date,
                title=Order.Kind.MENTOR_REPLACEMENT.label,
                content={
                    "pair_id": pair.pk,
                    "previous_mentor": previous.staff.full_name,
                    "new_mentor": new_mentor.staff.full_name,
                    "new_mentor_position": new_mentor.staff.position,
                    "mentees": [p.mentee.full_name for p in pair.participants.select_related("mentee__staff")],
                    "reason": ReplacementReason(replacement.reason).label,
                    "note": replacement.note.strip(),
                    "replaced_on": replaced_on.isoformat(),
                },
            )
            record = MentorReplacement.objects.create(
                pair=pair,
                previous_mentor=previous,
                new_mentor=new_mentor,
                reason=replacement.reason,
                note=replacement.note.strip(),
                replaced_on=replaced_on,
                order=order,
            )
            was_network = pair.is_network
            pair.mentor, pair.is_network = new_mentor, False
            pair.save(update_fields=["mentor", "is_network"])
            if was_network:
                _network_closed(pair, home_organization_id=previous.home_organization_id)
    except DatabaseError as error:
        translated = _capacity_error(error)
        pair.refresh_from_db()
        if translated is None:
            raise
        raise translated from error
    return record
