"""Cross-tenant isolation over every route of every tenant URLconf, picked up automatically.

For each route: a member of another organization gets "not found" (GET and POST) and nothing
in the database changes; an anonymous visitor gets the login page (HTML) or 401 (API).
Only the sign-in routes listed in TENANT_OPEN_PATH_PREFIXES are exempt.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import Resolver404, resolve
from django_tenants.utils import schema_context

from tenants.models import Domain
from tests.urlwalk import iter_routes

OPEN_PREFIXES_EXPECTED = {
    "/nastavnichestvo/",  # the public section; its privacy is tested in institutional/tests/test_public_section*.py
    "/accounts/login/",
    "/accounts/password-reset/",
    "/accounts/reset/",
    "/accounts/handoff/",
    "/api/v1/auth/token/",
    "/static/",
    "/favicon.ico",
}


def tenant_routes():
    for level, urlconf in settings.TENANT_URLCONFS.items():
        for route in iter_routes(urlconf):
            yield pytest.param(level, urlconf, route, id=f"{level}:{route.path}")


ROUTES = list(tenant_routes())
GUARDED = [p for p in ROUTES if not p.values[2].path.startswith(settings.TENANT_OPEN_PATH_PREFIXES)]
GUARDED_API = [p for p in GUARDED if p.values[2].path.startswith("/api/")]


def test_every_level_has_routes_and_the_walk_sees_all_of_them():
    assert {level for level, *_ in (p.values for p in ROUTES)} == {"region", "municipality", "organization"}
    assert len(ROUTES) >= 3 * 10


def test_only_sign_in_paths_are_open_to_non_members():
    assert set(settings.TENANT_OPEN_PATH_PREFIXES) == OPEN_PREFIXES_EXPECTED


def _host_and_outsider(world, level):
    """A host of the given level and a signed-in user who is a member elsewhere, not there."""
    if level == "organization":
        return world.host(world.school_b), world.curator_a
    if level == "municipality":
        return world.host(world.municipality), world.curator_a
    return world.host(world.region), world.municipal


def _row_counts(tenant):
    """Rows of every public model, and of every tenant model in the tenant's schema."""
    tenant_labels = {app.split(".")[-1] for app in settings.TENANT_APPS}
    counts = {}
    connection.set_schema_to_public()
    for model in apps.get_models():
        if model._meta.app_label not in tenant_labels:
            counts[model._meta.label] = model.objects.count()
    with schema_context(tenant.schema_name):
        for model in apps.get_models():
            if model._meta.app_label in tenant_labels:
                counts["tenant:" + model._meta.label] = model.objects.count()
    return counts


@pytest.mark.parametrize(("level", "urlconf", "route"), ROUTES)
def test_every_walked_path_resolves_to_its_route(level, urlconf, route):
    """Without this the 404s below could come from paths that match nothing."""
    try:
        match = resolve(route.path, urlconf)
    except Resolver404:
        pytest.fail(f"the walk produced {route.path}, which does not resolve")
    assert match.func == route.callback


@pytest.mark.parametrize(("level", "urlconf", "route"), GUARDED)
def test_a_member_of_another_organization_gets_not_found_and_changes_nothing(world, client_on, level, urlconf, route):
    host, outsider = _host_and_outsider(world, level)
    tenant = Domain.objects.get(domain=host).tenant
    client = client_on(host, outsider)
    before = _row_counts(tenant)

    assert client.get(route.path).status_code == 404
    assert client.post(route.path, {}).status_code == 404

    assert _row_counts(tenant) == before


@pytest.mark.parametrize(("level", "urlconf", "route"), GUARDED)
def test_an_anonymous_visitor_gets_the_login_page(world, client_on, level, urlconf, route):
    host, _ = _host_and_outsider(world, level)
    response = client_on(host).get(route.path)

    if route.path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("level", "urlconf", "route"), GUARDED_API)
def test_a_token_of_another_organizations_member_gets_not_found(world, client_on, level, urlconf, route):
    from rest_framework.authtoken.models import Token

    host, outsider = _host_and_outsider(world, level)
    token, _ = Token.objects.get_or_create(user=outsider)
    response = client_on(host).get(route.path, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 404


def test_members_do_reach_the_same_routes(world, client_on):
    """The control: the 404s above come from the membership rule, not from broken routes."""
    client = client_on(world.host(world.school_b), world.teacher_b)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
