"""Test helpers of network mentoring: a mentor of school B listed in the bank, a mentee of school A.

School B (the mentor's organization) gets a director; teacher_b is the mentor (their staff record is
linked to the account, both consents signed, capacity 3 unless told). The bank card is written
directly (the projection writes it in production). School A (the mentee's organization) gets a
waiting mentee whose requests and difficulties carry markers the privacy tests look for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from institutional.models import ConsentKind, MenteeCategory, MenteeEntry, MentorEntry
from institutional.services import banks as bank_services
from institutional.services import pairs as pair_services
from institutional.tests.test_banks_factories import make_staff, signed_consent
from regional.models import BankMentor, NetworkRequest
from regional.services import network as services
from tenants.models import Role, User
from tenants.services import membership_grant

MENTEE_LAST_NAME = "Секретова"
MENTEE_REQUESTS = "ЗАПРОС-МАРКЕР дисциплина в 7-х классах"
MENTEE_DIFFICULTIES = "ЗАТРУДНЕНИЕ-МАРКЕР страх открытых уроков"
TOPIC = "Управление классом и подготовка открытого урока"


@dataclass
class Network:
    world: object
    director_b: User
    mentor_user: User
    mentor_entry: MentorEntry  # in school B's schema
    bank: BankMentor
    mentee: MenteeEntry  # in school A's schema


def director_of(organization, local: str) -> User:
    user = User.objects.create_user(
        email=f"{local}@test.test", password="x-Horse-42", last_name="Руководителева", first_name="Ольга"
    )
    membership_grant(actor=None, user=user, organization=organization, role=Role.DIRECTOR)
    return user


def make_home_mentor(organization, *, user=None, capacity=3, consents=True, last_name="Наставникова"):
    """A mentor of `organization` (its schema) with both consents signed."""
    with tenant_context(organization):
        staff = make_staff(last_name, user=user, hired_days_ago=5000, position="учитель математики")
        if consents:
            signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=staff)
            signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=staff)
        return bank_services.mentor_entry_create(
            actor=None,
            staff=staff,
            competencies="методика преподавания математики, управление классом",
            subjects=["Математика"],
            capacity=capacity,
        )


def list_in_bank(organization, entry: MentorEntry, *, world, visibility=BankMentor.Visibility.REGION) -> BankMentor:
    return BankMentor.objects.create(
        organization=organization,
        municipality=world.municipality,
        region=world.region,
        organization_kind=organization.kind,
        mentor_entry_id=entry.pk,
        staff_id=entry.staff_id,
        visibility=visibility,
        full_name=entry.staff.full_name,
        position=entry.staff.position,
        subjects=["Математика"],
        competencies=entry.competencies,
        pedagogical_experience_years=20,
        capacity=entry.capacity,
    )


def make_waiting_mentee(organization, *, last_name=MENTEE_LAST_NAME, consents=True) -> MenteeEntry:
    with tenant_context(organization):
        staff = make_staff(last_name, hired_days_ago=30)
        if consents:
            signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=staff)
        return bank_services.mentee_entry_create(
            actor=None,
            staff=staff,
            categories=[MenteeCategory.YOUNG, MenteeCategory.GROWTH_PARENTS],
            requests=MENTEE_REQUESTS,
            difficulties=MENTEE_DIFFICULTIES,
        )


def make_network(world, *, capacity=3) -> Network:
    director_b = director_of(world.school_b, "director-b")
    entry = make_home_mentor(world.school_b, user=world.teacher_b, capacity=capacity)
    bank = list_in_bank(world.school_b, entry, world=world)
    mentee = make_waiting_mentee(world.school_a)
    return Network(world, director_b, world.teacher_b, entry, bank, mentee)


def request_for(net: Network, *, mentee=None, actor=None, topic=TOPIC) -> NetworkRequest:
    with tenant_context(net.world.school_a):
        return services.network_request_create(
            actor=actor or net.world.curator_a,
            organization=net.world.school_a,
            bank_mentor_id=net.bank.pk,
            mentee_entry_id=(mentee or net.mentee).pk,
            topic=topic,
        )


def accepted(net: Network, **kwargs) -> NetworkRequest:
    found = request_for(net, **kwargs)
    found = services.network_request_release(actor=net.director_b, network_request=found, comment="Отпускаем")
    return services.network_request_accept(actor=net.mentor_user, network_request=found, comment="Готов помочь")


def approve_in(organization, pair_ids, *, number, actor=None):
    from institutional.models import Pair

    with tenant_context(organization):
        pairs = list(Pair.objects.filter(pk__in=pair_ids))
        return pair_services.pair_approve(
            actor=actor, pairs=pairs, order_number=number, order_date=organization_today()
        )


def local_pair(organization, entry: MentorEntry, *, approve_number=None, mentee_name="Местных"):
    """A draft (or, with `approve_number`, approved) pair of the mentor in their own organization."""
    from institutional.models import PairForm, PairKind

    mentee = make_waiting_mentee(organization, last_name=mentee_name)
    with tenant_context(organization):
        today = organization_today()
        pair = pair_services.pair_create(
            actor=None,
            mentor=MentorEntry.objects.get(pk=entry.pk),
            mentees=[MenteeEntry.objects.get(pk=mentee.pk)],
            form=PairForm.TEACHER_TEACHER,
            kinds=[PairKind.TRADITIONAL],
            starts_on=today,
            ends_on=today + timedelta(days=180),
        )
    if approve_number:
        approve_in(organization, [pair.pk], number=approve_number)
    return pair
