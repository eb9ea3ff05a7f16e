"""The mentee cap holds when 20 approvals for one mentor arrive at the same moment.

Threads need their own database connections, which cannot see an open test transaction, so the
data is committed for real in a schema of its own, which is dropped afterwards.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from institutional.dates import organization_today
from tenants.models import Domain, Level, Organization
from tenants.services import OrganizationData, organization_provision

CODE = "t-pairs-race"
THREADS = 20


def _drop():
    connection.set_schema_to_public()
    for organization in Organization.objects.filter(code=CODE):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{organization.schema_name}" CASCADE')
        Domain.objects.filter(tenant=organization).delete()
        organization.delete()


@pytest.mark.usefixtures("_media_root")
def test_twenty_simultaneous_approvals_for_a_mentor_capped_at_three(django_db_setup, django_db_blocker):
    from institutional.models import Pair
    from institutional.services.pairs import pair_approve
    from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor

    with django_db_blocker.unblock():
        _drop()
        try:
            organization = organization_provision(
                actor=None,
                data=OrganizationData(
                    code=CODE,
                    level=Level.REGION,
                    full_name="Организация для проверки одновременных утверждений",
                    short_name=CODE,
                    time_zone="Europe/Moscow",
                ),
            )
            connection.set_tenant(organization)
            mentor = make_mentor(capacity=3)
            pair_ids = [make_draft(mentor, [make_mentee()]).pk for _ in range(THREADS)]
            connection.set_schema_to_public()

            barrier = threading.Barrier(THREADS)
            outcomes: dict[int, str] = {}

            def approve(index: int, pair_id: int):
                try:
                    connection.set_tenant(organization)
                    pair = Pair.objects.get(pk=pair_id)
                    barrier.wait(timeout=30)
                    pair_approve(actor=None, pairs=[pair], order_number=f"{index}-н", order_date=organization_today())
                    outcomes[index] = "approved"
                except ValidationError as error:
                    outcomes[index] = "refused: " + " ".join(error.messages)
                except Exception as error:
                    outcomes[index] = f"error: {error!r}"
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=approve, args=(i, pid)) for i, pid in enumerate(pair_ids)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)

            results = list(outcomes.values())
            assert len(results) == THREADS
            assert not [r for r in results if r.startswith("error")], results
            assert results.count("approved") == 3, results
            assert all("предел — 3" in r for r in results if r.startswith("refused")), results
            connection.set_tenant(organization)
            assert Pair.objects.filter(status__in=("approved", "active")).count() == 3
            assert Pair.objects.filter(status="draft").count() == THREADS - 3
        finally:
            _drop()
