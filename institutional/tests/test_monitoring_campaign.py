"""The organization's side of the monitoring campaign: review the figures, recompute, submit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from analytics import campaigns
from analytics.models import CampaignSubmission, MonitoringCampaign, OrganizationFacts
from institutional.dates import academic_year_of, organization_today
from institutional.tests.staff_factories import make_staff

PAGE = "/org/monitoring/"
API = "/api/v1/org/monitoring/"


def _open(world, *, starts=-1, ends=10):
    today = organization_today(world.school_a)
    return campaigns.campaign_open(
        actor=world.coordinator,
        region=world.region,
        title="Мониторинг наставничества",
        academic_year=academic_year_of(today),
        opens_on=today + timedelta(days=starts),
        closes_on=today + timedelta(days=ends),
    )


@pytest.fixture
def curator(world, client_on):
    return client_on(world.host(world.school_a), world.curator_a)


def test_without_a_campaign_the_page_says_so_and_shows_the_figures(world, curator):
    page = curator.get(PAGE)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="no-campaign"' in html
    assert 'data-testid="submit-form"' not in html
    for code in ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10", "K11", "K12"):
        assert f'data-testid="figure-group-{code}"' in html
    assert "Нет утверждённого положения о наставничестве" in html  # K1: what is missing


def test_each_indicator_links_to_the_records_behind_it(world, curator):
    html = curator.get(PAGE).content.decode()

    assert html.count("Проверить записи") == 12
    for path in ("/org/staff/", "/org/regulation/", "/org/pairs/", "/org/deadlines/", "/org/roadmap/", "/practices/"):
        assert f'href="{path}' in html


def test_recompute_updates_the_figures_from_the_records(world, curator):
    connection.set_tenant(world.school_a)
    make_staff(last_name="Первая")
    make_staff(last_name="Вторая")
    connection.set_schema_to_public()
    assert not OrganizationFacts.objects.filter(organization=world.school_a).exists()  # no refresh ran yet

    response = curator.post(f"{PAGE}refresh/")

    assert response.status_code == 302 and response["Location"] == PAGE
    year = academic_year_of(organization_today(world.school_a))
    assert campaigns.organization_figures(world.school_a, year)["k2_staff"] >= 2
    assert "Показатели пересчитаны" in curator.get(PAGE).content.decode()


def test_the_curator_submits_inside_the_window_and_may_submit_again(world, curator, client_on):
    campaign = _open(world)
    assert 'data-testid="submit-form"' in curator.get(PAGE).content.decode()

    response = curator.post(f"{PAGE}submit/", {"comment": "Всё проверено"})

    assert response.status_code == 302
    submission = CampaignSubmission.objects.get(campaign=campaign, organization=world.school_a)
    assert submission.status == CampaignSubmission.Status.SUBMITTED
    assert submission.comment == "Всё проверено"
    html = curator.get(PAGE).content.decode()
    assert "Сведения сданы" in html
    assert 'data-testid="submitted-figures"' in html
    assert "Сдать сведения повторно" in html

    connection.set_tenant(world.school_a)
    make_staff(last_name="Добавленная")
    connection.set_schema_to_public()
    director = client_on(world.host(world.school_a), world.director_a)
    director.post(f"{PAGE}submit/", {"comment": "Добавлен педагог"})

    again = CampaignSubmission.objects.get(campaign=campaign, organization=world.school_a)
    assert again.pk == submission.pk
    assert again.figures["k2_staff"] == submission.figures["k2_staff"] + 1
    assert again.comment == "Добавлен педагог"
    assert again.submitted_by == world.director_a


def test_before_the_window_the_page_tells_when_and_submitting_is_refused(world, curator):
    campaign = _open(world, starts=2, ends=9)

    html = curator.get(PAGE).content.decode()
    assert f"Приём сведений начнётся {campaign.opens_on:%d.%m.%Y}" in html
    assert 'data-testid="submit-form"' not in html

    response = curator.post(f"{PAGE}submit/", {"comment": "Рано"}, follow=True)
    assert f"Приём сведений начнётся {campaign.opens_on:%d.%m.%Y}" in response.content.decode()
    assert not CampaignSubmission.objects.exists()


def test_after_closing_the_submission_is_refused_and_the_past_row_is_shown(world, curator):
    campaign = _open(world)
    curator.post(f"{PAGE}submit/")
    campaigns.campaign_close(actor=world.coordinator, campaign=campaign)
    frozen = CampaignSubmission.objects.get(organization=world.school_a).figures

    response = curator.post(f"{PAGE}submit/", follow=True)

    html = response.content.decode()
    assert "не проводится" in html
    assert 'data-testid="past-submissions"' in html and "Мониторинг наставничества" in html
    assert CampaignSubmission.objects.get(organization=world.school_a).figures == frozen
    assert MonitoringCampaign.objects.get().status == MonitoringCampaign.Status.CLOSED


@pytest.mark.parametrize("member", ["teacher_a", "council_a", "psychologist_a"])
def test_other_members_of_the_organization_get_forbidden(world, client_on, member):
    _open(world)
    client = client_on(world.host(world.school_a), getattr(world, member))

    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}submit/").status_code == 403
    assert client.post(f"{PAGE}refresh/").status_code == 403
    assert client.get(API).status_code == 404
    assert client.post(API, {}, content_type="application/json").status_code == 404
    assert not CampaignSubmission.objects.exists()


def test_the_api_shows_the_campaign_and_submits(world, curator):
    campaign = _open(world)

    before = curator.get(API)
    assert before.status_code == 200
    body = before.json()
    assert body["campaign"]["id"] == campaign.pk
    assert body["state"] == "open"
    assert body["submission"] is None
    assert [group["code"] for group in body["groups"]] == [
        "K1",
        "K2",
        "K3",
        "K4",
        "K5",
        "K6",
        "K7",
        "K8",
        "K9",
        "K10",
        "K11",
        "K12",
    ]

    submitted = curator.post(API, {"comment": "Через API"}, content_type="application/json")

    assert submitted.status_code == 200
    assert submitted.json()["submission"]["status"] == "submitted"
    assert submitted.json()["submission"]["comment"] == "Через API"
    assert CampaignSubmission.objects.get(campaign=campaign).figures == submitted.json()["submission"]["figures"]


def test_the_api_refuses_a_submission_outside_the_window(world, curator):
    _open(world, starts=3, ends=5)

    response = curator.post(API, {}, content_type="application/json")

    assert response.status_code == 400
    assert "Приём сведений начнётся" in str(response.json())
    assert not CampaignSubmission.objects.exists()
