"""Who reaches the municipality's mentor base: the permission matrix of every page and API endpoint.

Anonymous → the login page (API: 401); the pages do not exist on an organization's or a region's
host (404, even for that host's members); a member of the municipality without the municipal
coordinator's role → 403 and nothing changes; the coordinator of this municipality → the page.
"""

from __future__ import annotations

import pytest

from municipal.models import MentorCategory, MentorVerification
from municipal.tests.factories import bank_mentor
from tenants import services as tenant_services
from tenants.models import Role


@pytest.fixture
def mentor(world):
    return bank_mentor(world.school_a)


def _reads(mentor_id):
    return [
        "/base/",
        f"/base/{mentor_id}/",
        "/base/categories/",
        "/base/methodologists/add/",
        "/base/export.xlsx",
        "/api/v1/base/mentors/",
        f"/api/v1/base/mentors/{mentor_id}/",
        "/api/v1/base/categories/",
        "/api/v1/base/export.xlsx",
    ]


def _state():
    return (MentorCategory.objects.count(), MentorVerification.objects.count())


def test_an_anonymous_visitor_is_sent_to_sign_in(world, client_on, mentor):
    client = client_on(world.host(world.municipality))
    for url in _reads(mentor.pk):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("host_of", ["school_a", "region"])
def test_the_base_does_not_exist_on_an_organization_or_region_host(world, client_on, mentor, host_of):
    # Members of that host, including its most privileged roles, get "not found".
    user = world.curator_a if host_of == "school_a" else world.coordinator
    client = client_on(world.host(getattr(world, host_of)), user)
    before = _state()

    for url in _reads(mentor.pk):
        assert client.get(url).status_code == 404, url
    assert client.post("/base/categories/", {"title": "Новая"}).status_code == 404
    assert client.post(f"/base/{mentor.pk}/", {"status": "verified"}).status_code == 404
    assert client.post("/api/v1/base/categories/", {"title": "Новая"}).status_code == 404

    assert _state() == before


def test_a_member_of_the_municipality_without_the_role_is_forbidden_and_changes_nothing(world, client_on, mentor):
    tenant_services.membership_grant(
        actor=None, user=world.teacher_b, organization=world.municipality, role=Role.TEACHER
    )
    client = client_on(world.host(world.municipality), world.teacher_b)
    before = _state()

    for url in _reads(mentor.pk):
        assert client.get(url).status_code == 403, url
    assert client.post("/base/categories/", {"title": "Новая"}).status_code == 403
    assert client.post(f"/base/{mentor.pk}/", {"status": "verified"}).status_code == 403
    assert client.post("/base/methodologists/add/", {}).status_code == 403
    assert client.post("/api/v1/base/categories/", {"title": "Новая"}).status_code == 403
    assert client.post(f"/api/v1/base/mentors/{mentor.pk}/verify/", {"status": "verified"}).status_code == 403

    assert _state() == before


def test_the_municipal_coordinator_reaches_every_page_and_endpoint(world, client_on, mentor):
    client = client_on(world.host(world.municipality), world.municipal)
    for url in _reads(mentor.pk):
        assert client.get(url).status_code == 200, url


def test_a_mentor_outside_the_district_is_not_found(world, client_on):
    # A mentor of an organization of regional subordination: in the regional bank, not in this base.
    outside = bank_mentor(world.region, visibility="region")
    client = client_on(world.host(world.municipality), world.municipal)

    assert client.get(f"/base/{outside.pk}/").status_code == 404
    assert client.post(f"/base/{outside.pk}/", {"status": "verified"}).status_code == 404
    assert client.get(f"/api/v1/base/mentors/{outside.pk}/").status_code == 404
    assert client.post(f"/api/v1/base/mentors/{outside.pk}/verify/", {"status": "verified"}).status_code == 404
    assert client.get("/base/999999999/").status_code == 404
    assert not MentorVerification.objects.exists()


def test_the_nav_link_shows_for_the_coordinator_only(world, client_on, mentor):
    page = client_on(world.host(world.municipality), world.municipal).get("/base/").content.decode()
    assert 'data-testid="nav-municipal-base"' in page

    other = client_on(world.host(world.school_a), world.curator_a).get("/").content.decode()
    assert 'data-testid="nav-municipal-base"' not in other
