"""Read path of matching (tenant schema): mentor suggestions and matching rounds.

Suggestions are computed in Python (institutional.matching) from one query per table — mentees,
mentors, consents, current loads — never per pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.http import Http404

from institutional.matching import MenteeProfile, MentorProfile, Scorer, Suggestion
from institutional.models import (
    Consent,
    ConsentKind,
    MatchingRound,
    MatchPreference,
    MatchProposal,
    MenteeEntry,
    MentorEntry,
    Staff,
)
from institutional.selectors.banks import appointment_deadline, mentor_loads
from institutional.selectors.regulation import rules_in_force


def waiting_mentees():
    return MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).select_related("staff")


def active_mentors():
    """This organization's mentors who may be matched (a network mentor comes only through a request)."""
    return MentorEntry.objects.filter(
        is_active=True, staff__status=Staff.Status.EMPLOYED, home_organization_id__isnull=True
    ).select_related("staff")


@dataclass(frozen=True)
class SignedConsents:
    by_staff: set[tuple[int, str]]
    by_mentee_entry: set[tuple[int, str]]

    def staff_has(self, staff_id, kind) -> bool:
        return (staff_id, kind) in self.by_staff

    def mentee_has(self, entry: MenteeEntry, kind) -> bool:
        if entry.staff_id is not None and (entry.staff_id, kind) in self.by_staff:
            return True
        return (entry.pk, kind) in self.by_mentee_entry


def signed_consents() -> SignedConsents:
    rows = Consent.objects.filter(
        status=Consent.Status.SIGNED, kind__in=[ConsentKind.PERSONAL_DATA, ConsentKind.MENTORING_DUTIES]
    ).values_list("staff_id", "mentee_entry_id", "kind")
    by_staff, by_entry = set(), set()
    for staff_id, entry_id, kind in rows:
        if staff_id is not None:
            by_staff.add((staff_id, kind))
        if entry_id is not None:
            by_entry.add((entry_id, kind))
    return SignedConsents(by_staff, by_entry)


def mentee_profile(entry: MenteeEntry, consents: SignedConsents) -> MenteeProfile:
    staff = entry.staff
    return MenteeProfile(
        id=entry.pk,
        staff_id=entry.staff_id,
        requests=entry.requests,
        difficulties=entry.difficulties,
        tags=tuple(entry.tags),
        subjects=tuple(staff.subjects) if staff else (),
        experience_years=staff.pedagogical_experience_years if staff else 0,
        has_personal_data_consent=consents.mentee_has(entry, ConsentKind.PERSONAL_DATA),
    )


def mentor_profiles(mentors, consents: SignedConsents, loads: dict[int, int]) -> list[MentorProfile]:
    return [
        MentorProfile(
            id=mentor.pk,
            staff_id=mentor.staff_id,
            name=mentor.staff.full_name,
            competencies=mentor.competencies,
            subjects=tuple(dict.fromkeys([*mentor.subjects, *mentor.staff.subjects])),
            tags=tuple(mentor.tags),
            experience_years=mentor.staff.pedagogical_experience_years,
            capacity=mentor.capacity,
            load=loads.get(mentor.pk, 0),
            has_personal_data_consent=consents.staff_has(mentor.staff_id, ConsentKind.PERSONAL_DATA),
            has_mentoring_duties_consent=consents.staff_has(mentor.staff_id, ConsentKind.MENTORING_DUTIES),
        )
        for mentor in mentors
    ]


@dataclass
class MenteeSuggestions:
    entry: MenteeEntry
    deadline: date
    suggestions: list[Suggestion]


def suggestions_for(*, mentees, limit: int | None = None) -> list[MenteeSuggestions]:
    """Ranked mentors for each of the mentees (each list cut to `limit` when given)."""
    mentees = list(mentees)
    consents = signed_consents()
    mentors = list(active_mentors())
    scorer = Scorer(mentor_profiles(mentors, consents, mentor_loads()))
    days = rules_in_force().appointment_days
    result = []
    for entry in mentees:
        ranked = scorer.rank(mentee_profile(entry, consents))
        result.append(
            MenteeSuggestions(
                entry=entry,
                deadline=appointment_deadline(entry, appointment_days=days),
                suggestions=ranked[:limit] if limit else ranked,
            )
        )
    return result


def access_waiting_mentee(*, entry_id: int) -> MenteeEntry:
    """A waiting mentee entry for the managers' matching pages; 404 otherwise."""
    entry = waiting_mentees().filter(pk=entry_id).first()
    if entry is None:
        raise Http404("Запись не найдена.")
    return entry


# --- rounds ---------------------------------------------------------------------------------------


def round_list():
    return MatchingRound.objects.annotate(
        mentee_count=Count("preferences", filter=Q(preferences__mentee__isnull=False)),
        mentor_count=Count("preferences", filter=Q(preferences__mentor__isnull=False)),
    )


def access_round(*, round_id: int) -> MatchingRound:
    matching_round = MatchingRound.objects.filter(pk=round_id).first()
    if matching_round is None:
        raise Http404("Тур не найден.")
    return matching_round


def own_preferences(*, matching_round: MatchingRound, staff) -> list[MatchPreference]:
    """The rows of the round that belong to this staff member (as a mentee, as a mentor or both)."""
    if staff is None:
        return []
    return list(
        matching_round.preferences.filter(Q(mentee__staff=staff) | Q(mentor__staff=staff)).select_related(
            "mentee__staff", "mentor__staff"
        )
    )


def matching_invitations(staff) -> list[MatchPreference]:
    """The person's rows in rounds still collecting preferences: where «Мой кабинет» asks them to rank."""
    if staff is None:
        return []
    return list(
        MatchPreference.objects.filter(round__status=MatchingRound.Status.OPEN)
        .filter(Q(mentee__staff=staff) | Q(mentor__staff=staff))
        .select_related("round")
        .order_by("round__created_at", "pk")
    )


def access_preference(*, request, matching_round: MatchingRound, preference_id: int, may_enter_for_others: bool):
    """A participant's row: managers may open anyone's; a participant only their own; else 404."""
    from institutional.access import own_staff

    rows = matching_round.preferences.select_related("mentee__staff", "mentor__staff")
    if not may_enter_for_others:
        staff = own_staff(request)
        if staff is None:
            raise Http404("Участник не найден.")
        rows = rows.filter(Q(mentee__staff=staff) | Q(mentor__staff=staff))
    row = rows.filter(pk=preference_id).first()
    if row is None:
        raise Http404("Участник не найден.")
    return row


@dataclass
class RoundView:
    """Everything the round page shows: participants, their lists, the proposal and the unmatched."""

    matching_round: MatchingRound
    mentee_rows: list[MatchPreference]
    mentor_rows: list[MatchPreference]
    proposals: list[MatchProposal]
    unmatched: list[tuple[MatchPreference, date]]
    free_places: dict[int, int]
    warnings: list[str]


def round_view(matching_round: MatchingRound) -> RoundView:
    from institutional.services.matching import round_problems

    rows = list(matching_round.preferences.select_related("mentee__staff", "mentor__staff"))
    mentee_rows = sorted((r for r in rows if r.mentee_id), key=lambda r: r.mentee.full_name)
    mentor_rows = sorted((r for r in rows if r.mentor_id), key=lambda r: r.mentor.staff.full_name)
    proposals = list(
        matching_round.proposals.select_related("mentee__staff", "mentor__staff").order_by(
            "mentor__staff__last_name", "mentee_id"
        )
    )
    matched = {p.mentee_id for p in proposals}
    days = rules_in_force().appointment_days
    unmatched = [
        (row, appointment_deadline(row.mentee, appointment_days=days))
        for row in mentee_rows
        if row.mentee_id not in matched
    ]
    free = free_places([r.mentor for r in mentor_rows])
    return RoundView(
        matching_round=matching_round,
        mentee_rows=mentee_rows,
        mentor_rows=mentor_rows,
        proposals=proposals,
        unmatched=unmatched,
        free_places=free,
        warnings=round_problems(matching_round, rows=rows, proposals=proposals, free=free),
    )


def free_places(mentors) -> dict[int, int]:
    mentors = list(mentors)
    loads = mentor_loads([m.pk for m in mentors])
    return {m.pk: max(m.capacity - loads.get(m.pk, 0), 0) for m in mentors}
