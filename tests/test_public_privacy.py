"""Privacy across the whole public schema (the tier rule of ARCHITECTURE.md, "Identity and access").

Nothing about a mentee beyond category and topic ever leaves their organization: after a history that
touches every cross-organization feature (the read model, the regional bank, a network request and
network pair, a best-practice case), no text column of ANY public table holds a mentee's name,
requests, difficulties or personal program request. And a withdrawn publication consent takes the
person out of every bank and list at once, before any projection refresh.

The scan reads the catalogue, so a table added later is checked without touching this test.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from analytics.projection import refresh_organization
from institutional.dates import organization_today
from institutional.models import Consent, ConsentKind, Staff
from institutional.services import consents as consent_services
from institutional.tests.test_banks_factories import signed_consent
from regional.models import BankMentor, Contest, Nomination
from regional.practices import services as practice_services
from regional.tests import test_network_factories as network
from regional.tests import test_practices_factories as practices

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text", "character varying", "jsonb", "json", "ARRAY")
# Global accounts carry their owner's own name by design (one person, one account across the region).
ACCOUNT_TABLES = {"tenants_user"}


def public_hits(needle: str, *, skip: set[str] = frozenset()) -> list[str]:
    """Every `table.column` of the public schema whose text contains `needle` (case-insensitive)."""
    hits = []
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        columns = [(table, column) for table, column in cursor.fetchall() if table not in skip]
        quote = connection.ops.quote_name
        for table, column in columns:
            # The public audit trail records changes of the account tables too; those rows are the
            # accounts' own history, like the accounts themselves.
            own_history = " AND table_name <> ALL(%s)" if table == "audit_event" else ""
            params = [f"%{needle}%", sorted(skip)] if own_history else [f"%{needle}%"]
            cursor.execute(
                # Identifiers come from the catalogue and are quoted; the needle is a parameter.
                f"SELECT EXISTS (SELECT 1 FROM public.{quote(table)} "  # noqa: S608
                f"WHERE {quote(column)}::text ILIKE %s{own_history})",
                params,
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def test_the_scan_finds_what_is_there(world):
    # Given a value that is certainly public (guards against a scan that can never fail)
    assert "tenants_organization.full_name" in public_hits(world.school_a.full_name)


def test_nothing_of_a_mentee_reaches_any_public_table(world):
    # Given a network request, an accepted network pair approved by order, and both read models
    net = network.make_network(world)
    accepted = network.accepted(net)
    network.approve_in(world.school_a, [accepted.pair_id], number="1-сп")
    # …and a best-practice case written from a completed program and sent upward
    with tenant_context(world.school_a):
        made = practices.completed_program()
        case = practice_services.case_start(actor=world.curator_a, program_id=made.program.pk)
        case = practice_services.case_update(
            actor=world.curator_a,
            case=case,
            data={"problem": "Молодому учителю трудно удерживать дисциплину на уроке."},
        )
        practice_services.case_submit(actor=world.curator_a, case=case)
    for organization in (world.school_a, world.school_b):
        refresh_organization(organization)

    # Then the published rows exist (the test is about something)…
    assert accepted.pair_id and case.pk
    # …and no public table holds the mentees' names, requests, difficulties or the program's request
    private = (
        network.MENTEE_LAST_NAME,
        "ЗАПРОС-МАРКЕР",
        "ЗАТРУДНЕНИЕ-МАРКЕР",
        *practices.PRIVATE_TOKENS,
    )
    leaks = {token: public_hits(token, skip=ACCOUNT_TABLES) for token in private}
    assert leaks == {token: [] for token in private}


def test_withdrawn_publication_consent_leaves_every_bank_and_list_at_once(world):
    # Given a mentor of school A listed region-wide with a publication consent that includes the name
    with tenant_context(world.school_a):
        entry = network.make_home_mentor(world.school_a, last_name="Публикуемова")
        staff = Staff.objects.get(pk=entry.staff_id)
        publication = signed_consent(
            kind=ConsentKind.PUBLICATION, staff=staff, published_fields=["full_name", "position", "subjects"]
        )
        entry.visibility = "region"
        entry.save(update_fields=["visibility"])
    refresh_organization(world.school_a)
    assert BankMentor.objects.filter(organization=world.school_a, staff_id=staff.pk).exists()
    # …and nominated for a contest under that name
    contest = Contest.objects.create(
        region=world.region,
        kind=Contest.Kind.MENTOR_OF_YEAR,
        title="Наставник года",
        nominations_from=organization_today(world.region),
        nominations_until=organization_today(world.region),
        status=Contest.Status.NOMINATION,
        criteria=[{"code": "c1", "title": "Результаты", "max": 10}],
    )
    Nomination.objects.create(
        contest=contest,
        organization=world.school_a,
        municipality=world.municipality,
        staff_id=staff.pk,
        nominee_name=staff.full_name,
        nominee_position=staff.position,
        justification="Многолетняя успешная работа с молодыми педагогами.",
    )
    assert public_hits("Публикуемова", skip=ACCOUNT_TABLES)

    # When the consent is withdrawn (no projection refresh happens in between)
    with tenant_context(world.school_a):
        consent_services.consent_withdraw(
            actor=world.curator_a,
            consent=Consent.objects.get(pk=publication.pk),
            withdrawn_on=organization_today(),
            note="Заявление работника",
        )

    # Then the name is in no public table at all, at once
    assert public_hits("Публикуемова", skip=ACCOUNT_TABLES) == []
    assert not BankMentor.objects.filter(organization=world.school_a, staff_id=staff.pk).exists()
