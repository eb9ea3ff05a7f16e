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
