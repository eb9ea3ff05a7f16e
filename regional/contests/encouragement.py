"""The organization's order of encouragement by a contest's published results (the organization's schema).

Called on the organization's host: the content lists the organization's prize winners (with their
place) and its other participants, named from its own staff registry — the order is the
organization's internal document, so it names people (and, for «Лучшая пара», the mentees) even when
their names are hidden in the public results. The order is created as a draft in the organization's
register (institutional.services.orders); its DOCX is built by institutional.documents.encouragement,
and it is signed through the register's pages like every other order.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from institutional.models import Order, Pair, Staff
from institutional.services import orders as order_services
from regional.contests.selectors import organization_nominations
from regional.models import Contest, Nomination
from tenants.models import Organization


def _person(staff: Staff | None, fallback: Nomination | None = None) -> dict:
    if staff is None:
        return {"full_name": fallback.nominee_name if fallback else "", "position": ""}
    return {"full_name": staff.full_name, "short_name": staff.short_name, "position": staff.position}


def _entry(nomination: Nomination) -> dict:
    staff = Staff.objects.filter(pk=nomination.staff_id).first()
    entry = {"nomination_id": nomination.pk, **_person(staff, nomination), "mentees": []}
    if nomination.pair_id:
        pair = Pair.objects.filter(pk=nomination.pair_id).prefetch_related("participants__mentee__staff").first()
        if pair is not None:
            for participant in pair.participants.all():
                mentee = participant.mentee
                if mentee.staff_id:
                    entry["mentees"].append(_person(mentee.staff))
                else:
                    entry["mentees"].append({"full_name": mentee.full_name, "position": "стажёр (студент)"})
    if nomination.place is not None:
        entry["place"] = nomination.place
    return entry


def order_title(contest: Contest, *, has_winners: bool, has_participants: bool) -> str:
    title = contest.title.strip('«»" ')
    if contest.kind == Contest.Kind.HONORARY_BADGE and has_winners:
        return "О поощрении педагогических работников, удостоенных нагрудного знака «Почётный наставник»"
    who = (
        "победителей и участников"
        if has_winners and has_participants
        else ("победителей" if has_winners else "участников")
    )
    return f"О поощрении {who} регионального конкурса «{title}»"[:500]


def encouragement_content(*, contest: Contest, organization: Organization) -> dict:
    """The order's data: the contest, the organization's winners (by place) and other participants."""
    nominations = organization_nominations(contest, organization)
    winners = [_entry(n) for n in nominations if n.place is not None]
    participants = [_entry(n) for n in nominations if n.place is None]
    winners.sort(key=lambda entry: (entry["place"], entry["full_name"]))
    participants.sort(key=lambda entry: entry["full_name"])
    zone = ZoneInfo(contest.region.time_zone or "Europe/Moscow")
    published_on = timezone.localdate(contest.results_published_at or timezone.now(), timezone=zone)
    return {
        "contest": {
            "id": contest.pk,
            "title": contest.title.strip('«»" '),
            "kind": contest.kind,
            "kind_label": contest.get_kind_display(),
            "region": contest.region.full_name,
            "results_published_on": published_on.isoformat(),
            "prize_places": contest.winners,
        },
        "winners": winners,
        "participants": participants,
    }


def encouragement_order_of(contest: Contest) -> Order | None:
    """The order of encouragement already made by this contest in the current organization's register."""
    return (
        Order.objects.filter(kind=Order.Kind.ENCOURAGEMENT, content__contest__id=contest.pk)
        .order_by("-date", "-id")
        .first()
    )


def contest_encouragement_order_create(
    *, actor, organization: Organization, contest: Contest, number: str, day: date | None
) -> Order:
    """A draft order of encouragement of the organization's winners and participants (its own schema)."""
    if contest.status != Contest.Status.RESULTS:
        raise ValidationError("Приказ о поощрении формируется после публикации итогов конкурса.")
    if contest.region_id != organization.region.pk:
        raise ValidationError("Конкурс проводится в другом регионе.")
    content = encouragement_content(contest=contest, organization=organization)
    if not content["winners"] and not content["participants"]:
        raise ValidationError("От организации на конкурс никто не выдвигался — поощрять по его итогам некого.")
    title = order_title(contest, has_winners=bool(content["winners"]), has_participants=bool(content["participants"]))
    return order_services.order_contest_encouragement_create(
        actor=actor, number=number, day=day, title=title, content=content
    )
