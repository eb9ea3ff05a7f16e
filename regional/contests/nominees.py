"""What an organization may nominate for a contest, read in the organization's own schema (tenant schema).

A nominee is a mentor of the organization's own mentor bank (not an outside mentor of open mentoring),
employed; for «Лучшая пара» a pair (group) of the organization, active or completed, with its mentor.
What may leave the organization about them is decided by the mentor's signed publication consent:
the full name (required to nominate) and the position (only when the consent lists it). About a
mentee only the category label leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from institutional.models import Consent, ConsentKind, MenteeCategory, MentorEntry, Pair, Staff

NOMINATABLE_PAIR_STATUSES = (Pair.Status.ACTIVE, Pair.Status.COMPLETED)


@dataclass(frozen=True)
class Candidate:
    id: int
    label: str
    staff_id: int
    has_name_consent: bool


def published_fields(staff_id: int) -> frozenset[str]:
    """What the person's signed publication consent in force lets publish (empty without one)."""
    consent = (
        Consent.objects.filter(staff_id=staff_id, kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED)
        .order_by("-signed_on", "-id")
        .first()
    )
    return frozenset(consent.published_fields) if consent else frozenset()


def _consented_staff_ids(staff_ids) -> set[int]:
    signed = Consent.objects.filter(
        staff_id__in=list(staff_ids), kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED
    ).order_by("staff_id", "-signed_on", "-id")
    latest: dict[int, list[str]] = {}
    for consent in signed:
        latest.setdefault(consent.staff_id, consent.published_fields)
    return {staff_id for staff_id, fields in latest.items() if "full_name" in fields}


def own_mentors():
    return (
        MentorEntry.objects.filter(
            is_active=True, home_organization_id__isnull=True, staff__status=Staff.Status.EMPLOYED
        )
        .select_related("staff")
        .order_by("staff__last_name", "staff__first_name", "id")
    )


def own_pairs():
    return (
        Pair.objects.filter(
            status__in=NOMINATABLE_PAIR_STATUSES,
            is_network=False,
            mentor__home_organization_id__isnull=True,
            mentor__staff__status=Staff.Status.EMPLOYED,
        )
        .select_related("mentor__staff")
        .prefetch_related("participants__mentee__staff")
        .order_by("mentor__staff__last_name", "-starts_on", "id")
    )


def mentor_candidates() -> list[Candidate]:
    entries = list(own_mentors())
    consented = _consented_staff_ids(entry.staff_id for entry in entries)
    return [
        Candidate(
            id=entry.pk,
            label=f"{entry.staff.full_name}, {entry.staff.position}" if entry.staff.position else entry.staff.full_name,
            staff_id=entry.staff_id,
            has_name_consent=entry.staff_id in consented,
        )
        for entry in entries
    ]


def pair_candidates() -> list[Candidate]:
    pairs = list(own_pairs())
    consented = _consented_staff_ids(pair.mentor.staff_id for pair in pairs)
    candidates = []
    for pair in pairs:
        mentees = ", ".join(participant.mentee.full_name for participant in pair.participants.all())
        candidates.append(
            Candidate(
                id=pair.pk,
                label=(
                    f"{pair.mentor.staff.full_name} — {mentees} ({pair.get_status_display().lower()}, "
                    f"{pair.starts_on:%d.%m.%Y}–{pair.ends_on:%d.%m.%Y})"
                ),
                staff_id=pair.mentor.staff_id,
                has_name_consent=pair.mentor.staff_id in consented,
            )
        )
    return candidates


def mentee_category_labels(pair: Pair) -> list[str]:
    """The category labels of the pair's mentees, each once, in the order of the categories list."""
    codes: list[str] = []
    for participant in pair.participants.all():
        for code in participant.mentee.categories:
            if code not in codes:
                codes.append(code)
    return [MenteeCategory(code).label if code in MenteeCategory.values else code for code in codes]
