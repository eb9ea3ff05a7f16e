"""Read path of network mentoring (сетевое наставничество): requests for a mentor of another organization.

Runs on any tenant host. The requests are public rows (`regional.NetworkRequest`) and hold nothing of
the mentee beyond their categories and the topic; what a page adds from a schema is read only in
the schema of the organization the page is on (the curator's own mentee, the director's own mentor).

Who sees a request (`access_network_request`, "not found" for anyone else and for a missing one):
- the curator, the mentors' council and the director of the mentee's organization, on its host;
- the director of the mentor's organization, on its host;
- the mentor once their director has released them, on any host of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.http import Http404

from institutional.access import DIRECTORS, OVERSEERS, has_any_role
from institutional.models import MenteeCategory
from regional import bank_search
from regional.models import BankMentor, MentorLoad, NetworkRequest
from tenants.models import Organization

# The roles of the mentee's organization that ask for a network mentor.
REQUESTERS = OVERSEERS
# What the mentor sees: their director has decided to release them (or later).
MENTOR_VISIBLE_STATUSES = (
    NetworkRequest.Status.RELEASED,
    NetworkRequest.Status.ACCEPTED,
    NetworkRequest.Status.DECLINED_BY_MENTOR,
    NetworkRequest.Status.ENDED,
)
OPEN_STATUSES = (NetworkRequest.Status.REQUESTED, NetworkRequest.Status.RELEASED)


def category_labels(values) -> list[str]:
    return [MenteeCategory(value).label for value in values or () if value in MenteeCategory.values]


# --- the bank card a request starts from -------------------------------------------------------------


def access_bank_mentor(*, organization: Organization, bank_mentor_id: int) -> BankMentor:
    """A bank card the organization sees (the bank's own visibility rule); "not found" otherwise."""
    return bank_search.access_bank_mentor(viewer=organization, bank_mentor_id=bank_mentor_id)


def mentor_ledger(*, organization_id: int, mentor_entry_id: int) -> MentorLoad | None:
    return MentorLoad.objects.filter(organization_id=organization_id, mentor_entry_id=mentor_entry_id).first()


@dataclass(frozen=True)
class Places:
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def mentor_places(*, organization_id: int, mentor_entry_id: int, default_capacity: int = 0) -> Places:
    """The mentor's places across the region now (the ledger; a mentor without pairs yet has all free)."""
    ledger = mentor_ledger(organization_id=organization_id, mentor_entry_id=mentor_entry_id)
    if ledger is None:
        return Places(capacity=default_capacity, taken=0)
    return Places(capacity=ledger.capacity, taken=ledger.total)


def waiting_mentees():
    """This organization's mentees waiting for a mentor (current schema), for the request form."""
    from institutional.models import MenteeEntry

    return MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).select_related("staff").order_by("pk")


# --- lists by role -----------------------------------------------------------------------------------


def _requests():
    return NetworkRequest.objects.select_related("mentee_organization", "mentor_organization", "mentor_user")


def sent_requests(organization: Organization):
    """Requests of the organization for its mentees (its curator's «Мои запросы»)."""
    return _requests().filter(mentee_organization=organization)


def incoming_requests(organization: Organization):
    """Requests for the organization's mentors (its director decides)."""
    return _requests().filter(mentor_organization=organization)


def offers(user):
    """Requests the user's directors released to them as a mentor, and what became of them."""
    return _requests().filter(mentor_user_id=user.pk, status__in=MENTOR_VISIBLE_STATUSES)


def may_request(request) -> bool:
    return has_any_role(request, REQUESTERS)


def may_decide_for_organization(request) -> bool:
    return has_any_role(request, DIRECTORS)


def access_network_request(*, request, request_id: int) -> NetworkRequest:
    """The request if this person, on this host, may see it; "not found" otherwise."""
    found = _requests().filter(pk=request_id).first()
    if found is None or not viewer_sides(request, found):
        raise Http404("Запрос не найден.")
    return found


def viewer_sides(request, found: NetworkRequest) -> set[str]:
    """How the signed-in person relates to the request here: "mentee_side", "mentor_side", "mentor"."""
    sides = set()
    tenant = request.tenant
    if found.mentee_organization_id == tenant.pk and has_any_role(request, REQUESTERS):
        sides.add("mentee_side")
    if found.mentor_organization_id == tenant.pk and has_any_role(request, DIRECTORS):
        sides.add("mentor_side")
    if found.mentor_user_id == request.user.pk and found.status in MENTOR_VISIBLE_STATUSES:
        sides.add("mentor")
    return sides


# --- what a page shows of a request ------------------------------------------------------------------


@dataclass
class TimelineEvent:
    at: datetime | None
    text: str
    comment: str = ""


@dataclass
class RequestCard:
    request: NetworkRequest
    categories: list[str]
    mentor_name: str = ""
    mentee_name: str = ""
    pair: object | None = None
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.request.status in OPEN_STATUSES


def _mentor_names_published(requests) -> dict[tuple[int, int], str]:
    keys = {(r.mentor_organization_id, r.mentor_entry_id) for r in requests}
    if not keys:
        return {}
    rows = BankMentor.objects.filter(
        organization_id__in={k[0] for k in keys}, mentor_entry_id__in={k[1] for k in keys}
    ).values_list("organization_id", "mentor_entry_id", "full_name")
    return {(org, entry): name for org, entry, name in rows if name}


def _own_mentor_names(requests) -> dict[int, str]:
    """Names of this organization's own mentors (current schema)."""
    from institutional.models import MentorEntry

    ids = {r.mentor_entry_id for r in requests}
    entries = MentorEntry.objects.filter(pk__in=ids).select_related("staff")
    return {entry.pk: entry.staff.full_name for entry in entries}


def _own_mentee_names(requests) -> dict[int, str]:
    """Names of this organization's own mentees (current schema), for its curator."""
    from institutional.models import MenteeEntry

    entries = MenteeEntry.objects.filter(pk__in={r.mentee_entry_id for r in requests}).select_related("staff")
    return {entry.pk: entry.full_name for entry in entries}


def _own_pairs(requests) -> dict[int, object]:
    from institutional.models import Pair

    ids = {r.pair_id for r in requests if r.pair_id}
    return {pair.pk: pair for pair in Pair.objects.filter(pk__in=ids).select_related("order")} if ids else {}


def _timeline(found: NetworkRequest, pair=None) -> list[TimelineEvent]:
    events = [TimelineEvent(found.requested_at, f"Запрос отправлен: {found.mentee_organization.short_name}")]
    if found.director_decided_at:
        declined = found.status == NetworkRequest.Status.DECLINED_BY_DIRECTOR
        events.append(
            TimelineEvent(
                found.director_decided_at,
                f"Руководитель организации наставника ({found.mentor_organization.short_name}) "
                + ("отказал" if declined else "отпустил наставника"),
                found.director_comment,
            )
        )
    if found.mentor_decided_at:
        accepted = found.status != NetworkRequest.Status.DECLINED_BY_MENTOR
        events.append(
            TimelineEvent(
                found.mentor_decided_at,
                "Наставник согласился; в организации наставляемого создан проект сетевой пары"
                if accepted
                else "Наставник отказался",
                found.mentor_comment,
            )
        )
    if pair is not None and pair.order_id:
        events.append(
            TimelineEvent(
                pair.approved_at,
                f"Руководитель организации наставляемого утвердил пару приказом № {pair.order.number} "
                f"от {pair.order.date:%d.%m.%Y}",
            )
        )
    if found.status == NetworkRequest.Status.ENDED:
        events.append(TimelineEvent(found.updated_at, "Сетевая пара завершена"))
    elif found.status == NetworkRequest.Status.CANCELLED:
        events.append(TimelineEvent(found.updated_at, "Запрос отозван организацией наставляемого"))
    return events


def cards(requests, *, side: str) -> list[RequestCard]:
    """Request cards for one section of the page; `side` says which schema's names may be added."""
    requests = list(requests)
    published = _mentor_names_published(requests) if side in ("mentee_side", "mentor") else {}
    own_mentors = _own_mentor_names(requests) if side == "mentor_side" else {}
    own_mentees = _own_mentee_names(requests) if side == "mentee_side" else {}
    pairs = _own_pairs(requests) if side == "mentee_side" else {}
    result = []
    for found in requests:
        if side == "mentor_side":
            mentor_name = own_mentors.get(found.mentor_entry_id, "")
        else:
            mentor_name = published.get((found.mentor_organization_id, found.mentor_entry_id), "")
        pair = pairs.get(found.pair_id) if found.pair_id else None
        result.append(
            RequestCard(
                request=found,
                categories=category_labels(found.mentee_categories),
                mentor_name=mentor_name or f"Наставник № {found.mentor_entry_id}",
                mentee_name=own_mentees.get(found.mentee_entry_id, ""),
                pair=pair,
                timeline=_timeline(found, pair),
            )
        )
    return result
