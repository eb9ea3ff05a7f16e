"""Write path of pairs and groups (tenant schema). Other areas create pairs only through here."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from institutional.models import MenteeEntry, MentorEntry, Pair, PairForm, PairKind, PairMentee
from nastavnik.audit import actor_context, actor_id


def pair_create(
    *,
    actor,
    mentor: MentorEntry,
    mentees: list[MenteeEntry],
    form: str,
    kinds: list[str],
    starts_on: date,
    ends_on: date,
) -> Pair:
    """A draft pair (one mentee) or group (two or more) — approved later by the director's order."""
    errors = {}
    if not mentor.is_active:
        errors["mentor"] = f"{mentor.staff.short_name} исключён(а) из банка наставников."
    if not mentees:
        errors["mentees"] = "Укажите хотя бы одного наставляемого."
    if len({m.pk for m in mentees}) != len(mentees):
        errors["mentees"] = "Наставляемый указан дважды."
    for mentee in mentees:
        if mentee.status == MenteeEntry.Status.LEFT:
            errors["mentees"] = f"{mentee.full_name} выбыл(а) из банка наставляемых."
    if form not in PairForm.values:
        errors["form"] = "Укажите форму наставничества."
    if not kinds or any(kind not in PairKind.values for kind in kinds):
        errors["kinds"] = "Укажите вид (виды) наставничества."
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        errors["ends_on"] = "Окончание наставничества должно быть позже начала."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        pair = Pair.objects.create(
            mentor=mentor,
            form=form,
            kinds=list(dict.fromkeys(kinds)),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by_id=actor_id(actor),
        )
        PairMentee.objects.bulk_create(
            [PairMentee(pair=pair, mentee=mentee, joined_on=starts_on) for mentee in mentees]
        )
    return pair
