"""The cap across organizations holds when a local approval in one school and a network approval in
another school for the same mentor arrive at the same moment: exactly one of them succeeds.

Threads need their own database connections, which cannot see an open test transaction, so the
data is committed for real in organizations of their own, which are dropped afterwards (as in
institutional/tests/test_pairs_concurrency.py).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from regional.models import MentorLoad, NetworkRequest, NetworkSeat
from tenants.models import Domain, Level, Organization
from tenants.services import OrganizationData, organization_provision

HOME, GUEST = "t-net-race-home", "t-net-race-guest"
ROUNDS = 3


def _drop():
    connection.set_schema_to_public()
    for organization in Organization.objects.filter(code__in=(HOME, GUEST)):
        NetworkRequest.objects.filter(mentee_organization=organization).delete()
        NetworkSeat.objects.filter(mentee_organization=organization).delete()
        MentorLoad.objects.filter(organization=organization).delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{organization.schema_name}" CASCADE')
        Domain.objects.filter(tenant=organization).delete()
        organization.delete()


def _organization(code: str) -> Organization:
    return organization_provision(
        actor=None,
        data=OrganizationData(
            code=code,
            level=Level.REGION,
            full_name=f"Организация для проверки одновременных утверждений {code}",
            short_name=code,
            time_zone="Europe/Moscow",
        ),
    )


def _drafts(home: Organization, guest: Organization) -> tuple[int, int, int]:
    """A mentor of `home` with one place; a local draft there and a network draft in `guest`."""
    from institutional.models import MenteeEntry, MentorEntry, PairForm, PairKind, Staff, Visibility
    from institutional.services.pairs import pair_create
    from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor

    with tenant_context(home):
        mentor = make_mentor(capacity=1)
        local = make_draft(mentor, [make_mentee()])
    with tenant_context(guest):
        staff = Staff.objects.create(
            last_name="Сетевая",
            first_name="Анна",
            position="учитель математики",
            hire_date=organization_today(),
            is_outside=True,
            home_organization_name=home.full_name,
        )
        outside = MentorEntry.objects.create(
            staff=staff,
            competencies="методика",
            capacity=1,
            visibility=Visibility.ORGANIZATION,
            home_organization_id=home.pk,
            home_entry_id=mentor.pk,
        )
        today = organization_today()
        network = pair_create(
            actor=None,
            mentor=outside,
            mentees=[MenteeEntry.objects.get(pk=make_mentee().pk)],
            form=PairForm.TEACHER_TEACHER,
            kinds=[PairKind.VIRTUAL],
            starts_on=today,
            ends_on=today + timedelta(days=180),
            is_network=True,
        )
    return mentor.pk, local.pk, network.pk


def _race(home: Organization, guest: Organization, local_id: int, network_id: int, *, prefix: str) -> dict:
    """Approve the local draft in `home` and the network draft in `guest` at the same moment."""
    from institutional.models import Pair
    from institutional.services.pairs import pair_approve

    connection.set_schema_to_public()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(name: str, organization: Organization, pair_id: int):
        try:
            connection.set_tenant(organization)
            pair = Pair.objects.get(pk=pair_id)
            barrier.wait(timeout=30)
            pair_approve(actor=None, pairs=[pair], order_number=f"{prefix}-{name}", order_date=organization_today())
            outcomes[name] = "approved"
        except ValidationError as error:
            outcomes[name] = "refused: " + " ".join(error.messages)
        except Exception as error:
            outcomes[name] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=("local", home, local_id)),
        threading.Thread(target=approve, args=("network", guest, network_id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.usefixtures("_media_root")
def test_a_local_and_a_network_approval_at_the_same_moment_only_one_wins(django_db_setup, django_db_blocker):
    from institutional.models import Pair

    with django_db_blocker.unblock():
        _drop()
        try:
            home, guest = _organization(HOME), _organization(GUEST)
            for round_number in range(ROUNDS):
                mentor_id, local_id, network_id = _drafts(home, guest)
                outcomes = _race(home, guest, local_id, network_id, prefix=str(round_number))

                results = list(outcomes.values())
                assert len(results) == 2, outcomes
                assert not [r for r in results if r.startswith("error")], outcomes
                assert results.count("approved") == 1, outcomes
                assert all("предел — 1" in r for r in results if r.startswith("refused")), outcomes
                connection.set_schema_to_public()
                ledger = MentorLoad.objects.get(organization=home, mentor_entry_id=mentor_id)
                assert (ledger.local_mentees + ledger.network_mentees, ledger.capacity) == (1, 1), outcomes
                with tenant_context(home):
                    local_status = Pair.objects.get(pk=local_id).status
                with tenant_context(guest):
                    network_status = Pair.objects.get(pk=network_id).status
                winner = "local" if outcomes["local"] == "approved" else "network"
                assert (local_status != "draft", network_status != "draft") == (
                    winner == "local",
                    winner == "network",
                )
                assert NetworkSeat.objects.filter(mentee_organization=guest, pair_id=network_id).exists() == (
                    winner == "network"
                )
        finally:
            _drop()
