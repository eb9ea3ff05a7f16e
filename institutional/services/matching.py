"""Write path of matching (tenant schema): pairs from suggestions, matching rounds, the stable assignment.

Pairs are only ever created through institutional.services.pairs.pair_create (as drafts); the
director approves them later by order.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from institutional.dates import organization_today
from institutional.matching import stable_assignment
from institutional.models import (
    MatchingRound,
    MatchPreference,
    MatchProposal,
    MenteeEntry,
    MentorEntry,
    Pair,
    PairForm,
    PairKind,
)
from institutional.selectors import matching as selectors
from institutional.selectors.regulation import rules_in_force
from institutional.services.pairs import pair_create
from nastavnik.audit import actor_context, actor_id


def default_period(today: date | None = None) -> tuple[date, date]:
    starts_on = today or organization_today()
    return starts_on, starts_on + relativedelta(months=rules_in_force().mentoring_max_months)


def suggestion_pair_create(*, actor, mentee: MenteeEntry, mentor: MentorEntry) -> Pair:
    """A draft pair from a suggestion: «педагог – педагог», traditional, for the regulation's longest period."""
    if mentee.status != MenteeEntry.Status.WAITING:
        raise ValidationError(f"{mentee.full_name} уже не ожидает наставника.")
    if mentor.staff_id == mentee.staff_id:
        raise ValidationError("Наставник и наставляемый — одно и то же лицо.")
    if selectors.free_places([mentor])[mentor.pk] <= 0:
        raise ValidationError(f"У наставника {mentor.staff.short_name} нет свободных мест.")
    starts_on, ends_on = default_period()
    return pair_create(
        actor=actor,
        mentor=mentor,
        mentees=[mentee],
        form=PairForm.TEACHER_TEACHER,
        kinds=[PairKind.TRADITIONAL],
        starts_on=starts_on,
        ends_on=ends_on,
    )


# --- rounds ---------------------------------------------------------------------------------------


def round_create(*, actor, title: str, meeting_on: date | None = None) -> MatchingRound:
    """A round for every waiting mentee and every active mentor at this moment."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Укажите название тура."})
    if meeting_on is not None and meeting_on > organization_today():
        raise ValidationError({"meeting_on": "Дата групповой встречи не может быть в будущем."})
    waiting = selectors.waiting_mentees()
    # A mentee takes part in one undecided round at a time: two rounds would propose two mentors.
    in_open_round = MatchPreference.objects.filter(mentee__isnull=False).exclude(
        round__status=MatchingRound.Status.SENT
    )
    if not waiting.exists():
        raise ValidationError("В банке наставляемых нет ожидающих наставника.")
    mentees = list(waiting.exclude(pk__in=in_open_round.values("mentee_id")).values_list("pk", flat=True))
    mentors = list(selectors.active_mentors().values_list("pk", flat=True))
    if not mentees:
        raise ValidationError(
            "Все ожидающие наставника уже участвуют в незавершённом туре подбора: завершите его "
            "(отправьте распределение на утверждение), прежде чем открывать новый."
        )
    if not mentors:
        raise ValidationError("В банке наставников нет действующих наставников.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        matching_round = MatchingRound.objects.create(title=title, meeting_on=meeting_on, created_by_id=actor_id(actor))
        MatchPreference.objects.bulk_create(
            [MatchPreference(round=matching_round, mentee_id=pk) for pk in mentees]
            + [MatchPreference(round=matching_round, mentor_id=pk) for pk in mentors]
        )
    return matching_round


def _require_editable(matching_round: MatchingRound) -> None:
    if matching_round.status == MatchingRound.Status.SENT:
        raise ValidationError("Тур уже отправлен на утверждение; изменить его нельзя.")


def candidate_ids(matching_round: MatchingRound, preference: MatchPreference) -> list[int]:
    """Entry ids of the other side of the round for this participant."""
    if preference.mentee_id:
        return list(
            matching_round.preferences.filter(mentor__isnull=False)
            .exclude(mentor__staff_id=preference.mentee.staff_id)
            .values_list("mentor_id", flat=True)
        )
    return list(
        matching_round.preferences.filter(mentee__isnull=False)
        .exclude(mentee__staff_id=preference.mentor.staff_id)
        .values_list("mentee_id", flat=True)
    )


def preference_set(
    *, actor, preference: MatchPreference, ranked: list[int], support_note: str | None = None
) -> MatchPreference:
    """Save a participant's ranking (best first; a partial list is fine)."""
    matching_round = preference.round
    _require_editable(matching_round)
    ranked = [int(value) for value in ranked]
    if len(set(ranked)) != len(ranked):
        raise ValidationError({"ranked": "Один и тот же участник указан на нескольких местах."})
    allowed = set(candidate_ids(matching_round, preference))
    if any(value not in allowed for value in ranked):
        raise ValidationError({"ranked": "В списке есть участник, который не входит в этот тур."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        preference.ranked = ranked
        fields = ["ranked", "entered_by", "updated_at"]
        if support_note is not None and preference.mentee_id:
            preference.support_note = support_note.strip()
            fields.append("support_note")
        preference.entered_by_id = actor_id(actor)
        preference.save(update_fields=fields)
    return preference


def _instance(matching_round: MatchingRound, rows=None, free=None):
    rows = list(rows if rows is not None else matching_round.preferences.select_related("mentor"))
    mentee_prefs = {row.mentee_id: list(row.ranked) for row in rows if row.mentee_id}
    mentor_prefs = {row.mentor_id: list(row.ranked) for row in rows if row.mentor_id}
    if free is None:
        free = selectors.free_places([row.mentor for row in rows if row.mentor_id])
    return mentee_prefs, mentor_prefs, free


def round_run(*, actor, matching_round: MatchingRound) -> list[MatchProposal]:
    """Compute the stable assignment and put it in place of the current proposal."""
    _require_editable(matching_round)
    mentee_prefs, mentor_prefs, free = _instance(matching_round)
    assignment = stable_assignment(mentee_prefs, mentor_prefs, free)
    with transaction.atomic(), actor_context(actor_id(actor)):
        matching_round.proposals.all().delete()
        proposals = MatchProposal.objects.bulk_create(
            [MatchProposal(round=matching_round, mentee_id=m, mentor_id=r) for m, r in sorted(assignment.items())]
        )
        matching_round.status = MatchingRound.Status.PROPOSED
        matching_round.save(update_fields=["status"])
    return proposals


def proposal_set(*, actor, matching_round: MatchingRound, mentee_id: int, mentor_id: int | None) -> list[str]:
    """The curator's edit: assign a mentee to a mentor of the round, or remove them (mentor_id None).

    Refused over a mentor's free places; a pair that is not mutually acceptable is allowed with a
    warning (returned), since the curator may know more than the lists say.
    """
    _require_editable(matching_round)
    rows = list(matching_round.preferences.select_related("mentor__staff", "mentee__staff"))
    mentee_row = next((row for row in rows if row.mentee_id == mentee_id), None)
    if mentee_row is None:
        raise ValidationError("Наставляемый не участвует в этом туре.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        if mentor_id is None:
            matching_round.proposals.filter(mentee_id=mentee_id).delete()
            return []
        mentor_row = next((row for row in rows if row.mentor_id == mentor_id), None)
        if mentor_row is None:
            raise ValidationError("Наставник не участвует в этом туре.")
        if mentor_row.mentor.staff_id == mentee_row.mentee.staff_id:
            raise ValidationError("Наставник и наставляемый — одно и то же лицо.")
        free = selectors.free_places([mentor_row.mentor])[mentor_id]
        others = matching_round.proposals.filter(mentor_id=mentor_id).exclude(mentee_id=mentee_id).count()
        if others + 1 > free:
            raise ValidationError(
                f"У наставника {mentor_row.mentor.staff.short_name} свободных мест: {free}; "
                "больше наставляемых назначить нельзя."
            )
        MatchProposal.objects.update_or_create(
            round=matching_round, mentee_id=mentee_id, defaults={"mentor_id": mentor_id, "is_manual": True}
        )
    warnings = []
    if mentor_id not in mentee_row.ranked:
        warnings.append(f"{mentee_row.mentee.full_name} не выбрал(а) этого наставника.")
    if mentee_id not in mentor_row.ranked:
        warnings.append(f"Наставник {mentor_row.mentor.staff.short_name} не выбрал(а) этого наставляемого.")
    return warnings


def round_problems(matching_round: MatchingRound, *, rows, proposals, free) -> list[str]:
    """Warnings on the current proposal: one-sided pairs and mentors over their free places."""
    names = {row.mentee_id: row.mentee.full_name for row in rows if row.mentee_id}
    mentors = {row.mentor_id: row for row in rows if row.mentor_id}
    mentee_ranked = {row.mentee_id: row.ranked for row in rows if row.mentee_id}
    warnings = []
    for proposal in proposals:
        mentor_row = mentors.get(proposal.mentor_id)
        if mentor_row is None:
            continue
        if proposal.mentor_id not in mentee_ranked.get(proposal.mentee_id, []) or (
            proposal.mentee_id not in mentor_row.ranked
        ):
            warnings.append(
                f"Пара {names.get(proposal.mentee_id, '')} — {mentor_row.mentor.staff.short_name} "
                "не выбрана обеими сторонами."
            )
    for mentor_id, count in Counter(p.mentor_id for p in proposals).items():
        if count > free.get(mentor_id, 0):
            warnings.append(f"У наставника {mentors[mentor_id].mentor.staff.short_name} не хватает свободных мест.")
    return warnings


def round_send(*, actor, matching_round: MatchingRound, group_mentor_ids=()) -> list[Pair]:
    """Create draft pairs for the proposal; mentees of a ticked mentor form one group."""
    _require_editable(matching_round)
    proposals = list(matching_round.proposals.select_related("mentee__staff", "mentor__staff"))
    if not proposals:
        raise ValidationError("В распределении нет ни одной пары.")
    by_mentor: dict[int, list[MatchProposal]] = {}
    for proposal in proposals:
        by_mentor.setdefault(proposal.mentor_id, []).append(proposal)
    free = selectors.free_places([items[0].mentor for items in by_mentor.values()])
    problems = []
    for mentor_id, items in by_mentor.items():
        if len(items) > free[mentor_id]:
            problems.append(f"У наставника {items[0].mentor.staff.short_name} не хватает свободных мест.")
        for proposal in items:
            if proposal.mentee.status != MenteeEntry.Status.WAITING:
                problems.append(f"{proposal.mentee.full_name} уже не ожидает наставника.")
    if problems:
        raise ValidationError(problems)
    group_mentor_ids = {int(pk) for pk in group_mentor_ids}
    starts_on, ends_on = default_period()
    pairs = []
    with transaction.atomic(), actor_context(actor_id(actor)):
        for mentor_id, items in by_mentor.items():
            groups = [items] if mentor_id in group_mentor_ids and len(items) > 1 else [[item] for item in items]
            for group in groups:
                pair = pair_create(
                    actor=actor,
                    mentor=group[0].mentor,
                    mentees=[item.mentee for item in group],
                    form=PairForm.TEACHER_TEACHER,
                    kinds=[PairKind.GROUP] if len(group) > 1 else [PairKind.TRADITIONAL],
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
                MatchProposal.objects.filter(pk__in=[item.pk for item in group]).update(pair=pair)
                pairs.append(pair)
        matching_round.status = MatchingRound.Status.SENT
        matching_round.sent_at = timezone.now()
        matching_round.save(update_fields=["status", "sent_at"])
    return pairs
