"""The public host: every route answers without a server error, for visitors and for the admin."""

import pytest
from django.conf import settings

from tests.urlwalk import iter_routes

# Admin routes that need a real object id or a specific app; the walk covers the rest.
SKIP_FRAGMENTS = ("/r/", "/password/", "/delete/", "/history/", "/change/", "/autocomplete/")

ROUTES = [
    pytest.param(route, id=route.path)
    for route in iter_routes(settings.PUBLIC_SCHEMA_URLCONF)
    if not any(fragment in route.path for fragment in SKIP_FRAGMENTS)
]


@pytest.mark.parametrize("route", ROUTES)
def test_public_routes_answer_visitors_without_errors(world, client_on, route):
    response = client_on("localhost").get(route.path)
    assert response.status_code in (200, 302, 404, 405), response.status_code


@pytest.mark.parametrize("route", ROUTES)
def test_public_routes_answer_the_platform_admin_without_errors(world, client_on, route):
    response = client_on("localhost", world.admin).get(route.path)
    assert response.status_code in (200, 302, 403, 404, 405), response.status_code


def test_the_admin_lists_organizations_and_users(world, client_on):
    client = client_on("localhost", world.admin)
    assert "t-school-a" in client.get("/admin/tenants/organization/").content.decode()
    page = client.get(f"/admin/tenants/user/{world.curator_a.pk}/change/")
    assert page.status_code == 200
    assert "Кураторова" in page.content.decode()


def test_onboarding_pages_are_for_platform_administrators_only(world, client_on):
    assert client_on("localhost").get("/platform/onboarding/").status_code == 302
    assert client_on("localhost", world.curator_a).get("/platform/onboarding/").status_code == 302
    assert client_on("localhost", world.admin).get("/platform/onboarding/").status_code == 200
