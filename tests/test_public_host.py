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


def test_uploading_something_that_is_not_a_spreadsheet_shows_the_reason_and_queues_nothing(world, client_on):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenants.models import OnboardingJob

    client = client_on("localhost", world.admin)
    response = client.post(
        "/platform/onboarding/", {"file": SimpleUploadedFile("region.pdf", b"%PDF-1.7\x00\x01\x02", "application/pdf")}
    )

    assert response.status_code == 200
    assert "Файл не загружен" in response.content.decode()
    assert "не похож на таблицу" in response.content.decode()
    assert not OnboardingJob.objects.exists()


def test_a_valid_upload_queues_a_job_and_shows_its_progress_page(world, client_on):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenants.models import OnboardingJob
    from tenants.tests.test_onboarding import csv_bytes, region_rows

    client = client_on("localhost", world.admin)
    response = client.post(
        "/platform/onboarding/", {"file": SimpleUploadedFile("region.csv", csv_bytes(region_rows()))}
    )

    job = OnboardingJob.objects.get()
    assert response["Location"] == f"/platform/onboarding/{job.pk}/"
    assert (job.total, job.status, job.created_by_id) == (4, "pending", world.admin.pk)
    page = client.get(response["Location"]).content.decode()
    assert "В очереди" in page
    assert 'hx-trigger="every 1s"' in page
