"""List pages and endpoints do a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants import services
from tenants.models import Level, OrganizationKind


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _add_schools(count):
    for number in range(count):
        services.organization_provision(
            actor=None,
            data=services.OrganizationData(
                code=f"qc-school-{number}",
                level=Level.ORGANIZATION,
                parent_code="t-mun",
                kind=OrganizationKind.SCHOOL,
                full_name=f"Школа № {number}",
                short_name=f"Школа № {number}",
            ),
        )


def test_the_region_home_page_does_not_query_per_organization(world, client_on):
    client = client_on(world.host(world.region), world.coordinator)
    before = _queries(client, "/")
    _add_schools(3)
    assert _queries(client, "/") == before


def test_the_children_endpoint_does_not_query_per_organization(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)
    before = _queries(client, "/api/v1/organization/children/")
    _add_schools(3)
    assert _queries(client, "/api/v1/organization/children/") == before


def _add_people(world, count, start):
    """`count` staff members, each in both banks with a signed consent (school A's schema)."""
    from institutional.models import Consent, ConsentKind, MenteeEntry, MentorEntry, Staff

    connection.set_tenant(world.school_a)
    try:
        for number in range(start, start + count):
            staff = Staff.objects.create(
                last_name=f"Сотрудник{number}",
                first_name="Анна",
                position="учитель",
                hire_date="2015-09-01",
                personnel_number=f"Q{number}",
            )
            MenteeEntry.objects.create(staff=staff, categories=["young"], needed_from="2026-09-01")
            MentorEntry.objects.create(staff=staff, competencies="методика", capacity=2)
            Consent.objects.create(
                kind=ConsentKind.PERSONAL_DATA,
                staff=staff,
                subject_full_name=staff.full_name,
                operator_name="Школа",
                purpose="цель",
                data_list="данные",
                actions="действия",
                term="срок",
                withdrawal_procedure="порядок",
                status="signed",
                signed_on="2026-09-01",
            )
    finally:
        connection.set_schema_to_public()


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "path",
    [
        "/org/staff/",
        "/org/banks/mentees/",
        "/org/banks/mentors/",
        "/org/consents/",
        "/api/v1/org/staff/",
        "/api/v1/org/banks/mentees/",
        "/api/v1/org/banks/mentors/",
        "/api/v1/org/consents/",
    ],
)
def test_institutional_lists_do_not_query_per_row(world, client_on, path):
    client = client_on(world.host(world.school_a), world.curator_a)
    _add_people(world, 3, 0)
    before = _queries(client, path)
    _add_people(world, 4, 100)
    assert _queries(client, path) == before
