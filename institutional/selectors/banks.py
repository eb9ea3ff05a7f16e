"""Read path of the mentee and mentor banks (tenant schema).

`access_mentee_entry` / `access_mentor_entry` are the only way a view gets an entry by id: people who
may read everyone's records (STAFF_READERS) get any entry, everyone else only their own, and both a
missing and a forbidden entry are the same "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from institutional.access import STAFF_READERS, has_any_role, own_staff
from institutional.dates import organization_today
from institutional.models import Consent, ConsentKind, MenteeCategory, MenteeEntry, MentorEntry, MentorTraining
from institutional.selectors.regulation import rules_in_force


def mentee_entry_list(*, status: str = "", category: str = "") -> QuerySet[MenteeEntry]:
    entries = MenteeEntry.objects.select_related("staff")
    if status:
        entries = entries.filter(status=status)
    if category:
        entries = entries.filter(categories__contains=[category])
    return entries


def mentor_entry_list(*, include_excluded: bool = False) -> QuerySet[MentorEntry]:
    """This organization's mentor bank; mentors of other organizations working here in network pairs
    (outside entries) are not in it."""
    entries = (
        MentorEntry.objects.filter(home_organization_id__isnull=True)
        .select_related("staff")
        .prefetch_related("trainings")
    )
    if not include_excluded:
        entries = entries.filter(is_active=True)
    return entries


def _may_read_everyone(request) -> bool:
    return has_any_role(request, STAFF_READERS)


def mentee_entries_visible(request) -> QuerySet[MenteeEntry]:
    """Everything for STAFF_READERS; only the person's own entries for everyone else."""
    if _may_read_everyone(request):
        return mentee_entry_list()
    staff = own_staff(request)
    if staff is None:
        return MenteeEntry.objects.none()
    return mentee_entry_list().filter(staff=staff)


def mentor_entries_visible(request) -> QuerySet[MentorEntry]:
    if _may_read_everyone(request):
        return mentor_entry_list(include_excluded=True)
    staff = own_staff(request)
    if staff is None:
        return MentorEntry.objects.none()
    return mentor_entry_list(include_excluded=True).filter(staff=staff)


def access_mentee_entry(*, request, entry_id: int, own_only: bool = False) -> MenteeEntry:
    """The entry if the user may see it (any for STAFF_READERS unless `own_only`); else 404."""
    if own_only:
        staff = own_staff(request)
        entry = MenteeEntry.objects.select_related("staff").filter(pk=entry_id, staff=staff).first() if staff else None
    else:
        entry = mentee_entries_visible(request).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("Запись не найдена.")
    return entry


def access_mentor_entry(*, request, entry_id: int, own_only: bool = False) -> MentorEntry:
    if own_only:
        staff = own_staff(request)
        entries = MentorEntry.objects.select_related("staff").filter(pk=entry_id, staff=staff)
        # A network mentor's entry here is a copy of the one their own organization keeps.
        entry = entries.filter(home_organization_id__isnull=True).first() if staff else None
    else:
        entry = mentor_entries_visible(request).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("Запись не найдена.")
    return entry


def access_mentor_training(*, request, training_id: int) -> MentorTraining:
    training = MentorTraining.objects.select_related("mentor__staff").filter(pk=training_id).first()
    if training is None:
        raise Http404("Запись не найдена.")
    access_mentor_entry(request=request, entry_id=training.mentor_id)
    return training


def mentor_load(entry: MentorEntry) -> int:
    """How many mentees the mentor has at the moment, in every organization of the region.

    For a mentor of this organization: participants still in (left_on empty) of their approved or
    active pairs and groups here, plus their mentees in network pairs of other organizations (the
    ledger `regional.MentorLoad`). For an outside mentor (a mentor of another organization working
    here): their total load in the ledger of their own organization.
    """
    return mentor_loads([entry.pk]).get(entry.pk, 0)


def mentor_loads(mentor_ids=None) -> dict[int, int]:
    """The load of many mentors (all when `mentor_ids` is None): {mentor entry id: mentees}, as
    `mentor_load` counts it, in three queries whatever the number of mentors."""
    from django.db.models import Count

    from institutional.models import Pair, PairMentee

    memberships = PairMentee.objects.filter(
        pair__status__in=[Pair.Status.APPROVED, Pair.Status.ACTIVE], left_on__isnull=True
    )
    if mentor_ids is not None:
        mentor_ids = list(mentor_ids)
        memberships = memberships.filter(pair__mentor_id__in=mentor_ids)
    loads = dict(memberships.values("pair__mentor_id").annotate(n=Count("id")).values_list("pair__mentor_id", "n"))
    for entry_id, network in _network_mentees(mentor_ids).items():
        loads[entry_id] = loads.get(entry_id, 0) + network
    loads.update(_outside_loads(mentor_ids))
    return loads


def _network_mentees(mentor_ids) -> dict[int, int]:
    """Mentees of this organization's mentors in network pairs of other organizations (the ledger)."""
    from regional.models import MentorLoad

    rows = MentorLoad.objects.filter(organization__schema_name=connection.schema_name, network_mentees__gt=0)
    if mentor_ids is not None:
        rows = rows.filter(mentor_entry_id__in=mentor_ids)
    return dict(rows.values_list("mentor_entry_id", "network_mentees"))


def _outside_entries(mentor_ids) -> list[tuple[int, int, int]]:
    """(entry id, home organization id, home entry id) of outside mentors among `mentor_ids`."""
    entries = MentorEntry.objects.filter(home_organization_id__isnull=False)
    if mentor_ids is not None:
        entries = entries.filter(pk__in=mentor_ids)
    return list(entries.values_list("pk", "home_organization_id", "home_entry_id"))


def _home_ledger(outside: list[tuple[int, int, int]]) -> dict[int, object]:
    """{outside entry id: the MentorLoad row of the mentor in their own organization}."""
    from regional.models import MentorLoad

    if not outside:
        return {}
    condition = Q()
    for _pk, organization_id, entry_id in outside:
        condition |= Q(organization_id=organization_id, mentor_entry_id=entry_id)
    rows = {(row.organization_id, row.mentor_entry_id): row for row in MentorLoad.objects.filter(condition)}
    return {
        pk: rows[(organization_id, entry_id)]
        for pk, organization_id, entry_id in outside
        if (organization_id, entry_id) in rows
    }


def _outside_loads(mentor_ids) -> dict[int, int]:
    return {pk: row.total for pk, row in _home_ledger(_outside_entries(mentor_ids)).items()}


def mentor_capacity(entry: MentorEntry) -> int:
    """The mentor's cap: the entry's own, or for an outside mentor the one of their own organization."""
    if entry.home_organization_id is None:
        return entry.capacity
    row = _home_ledger([(entry.pk, entry.home_organization_id, entry.home_entry_id)]).get(entry.pk)
    return row.capacity if row is not None else entry.capacity


def mentor_network_mentees(entry: MentorEntry) -> int:
    """Of the mentor's load, the mentees in other organizations than this one."""
    if entry.home_organization_id is None:
        return _network_mentees([entry.pk]).get(entry.pk, 0)
    from regional.models import NetworkSeat

    row = _home_ledger([(entry.pk, entry.home_organization_id, entry.home_entry_id)]).get(entry.pk)
    if row is None:
        return 0
    here = (
        NetworkSeat.objects.filter(
            mentee_organization__schema_name=connection.schema_name,
            mentor_organization_id=entry.home_organization_id,
            mentor_entry_id=entry.home_entry_id,
        ).aggregate(n=Sum("mentees"))["n"]
        or 0
    )
    return row.total - here


def appointment_deadline(entry: MenteeEntry, *, appointment_days: int | None = None) -> date:
    """The day a mentor must be appointed by: needed_from + the regulation's appointment days."""
    days = appointment_days if appointment_days is not None else rules_in_force().appointment_days
    return entry.needed_from + timedelta(days=days)


@dataclass(frozen=True)
class MenteeRow:
    entry: MenteeEntry
    deadline: date
    is_overdue: bool
    needs_parent_consent: bool

    @property
    def category_labels(self) -> list[str]:
        return [MenteeCategory(value).label for value in self.entry.categories if value in MenteeCategory.values]


def entry_date(entry: MenteeEntry) -> date:
    return organization_today() if entry.created_at is None else entry.created_at.date()


def is_minor_trainee(entry: MenteeEntry) -> bool:
    """A trainee/student under 18 on the day they were entered in the bank."""
    return entry.is_trainee and entry.is_minor_on(entry_date(entry))


def parent_consent_missing(entry: MenteeEntry) -> bool:
    if not is_minor_trainee(entry):
        return False
    return not Consent.objects.filter(
        mentee_entry=entry, kind=ConsentKind.PARENT_PERSONAL_DATA, status=Consent.Status.SIGNED
    ).exists()


def mentee_rows(entries) -> list[MenteeRow]:
    """Entries with their appointment deadline, overdue mark and the parent-consent warning."""
    rules = rules_in_force()
    today = organization_today()
    entries = list(entries)
    minors = [entry.pk for entry in entries if is_minor_trainee(entry)]
    with_parent_consent = set(
        Consent.objects.filter(
            mentee_entry_id__in=minors, kind=ConsentKind.PARENT_PERSONAL_DATA, status=Consent.Status.SIGNED
        ).values_list("mentee_entry_id", flat=True)
    )
    rows = []
    for entry in entries:
        deadline = appointment_deadline(entry, appointment_days=rules.appointment_days)
        rows.append(
            MenteeRow(
                entry=entry,
                deadline=deadline,
                is_overdue=entry.status == MenteeEntry.Status.WAITING and today > deadline,
                needs_parent_consent=entry.pk in minors and entry.pk not in with_parent_consent,
            )
        )
    return rows


def default_needed_from(*, staff, today: date | None = None) -> date:
    """The hire date for someone hired within the last year (it starts the appointment deadline), else today."""
    today = today or organization_today()
    if (
        staff is not None
        and staff.hire_date
        and staff.hire_date > today - timedelta(days=365)
        and staff.hire_date <= today
    ):
        return staff.hire_date
    return today
