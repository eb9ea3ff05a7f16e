"""The region's monitoring campaign: opening, the window, submissions, progress, closing, frozen figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import campaigns
from analytics.models import CampaignSubmission, MonitoringCampaign
from analytics.tests.test_kpi import facts, staff
from institutional.dates import academic_year_of, organization_today
from institutional.tests.staff_factories import make_staff
from tenants import services
from tenants.models import Level, OrganizationKind, Role, User


def _today(world):
    return organization_today(world.school_a)


def _open(world, *, starts=-1, ends=10, **extra):
    today = _today(world)
    values = {
        "actor": world.coordinator,
        "region": world.region,
        "title": "Мониторинг 2026",
        "academic_year": academic_year_of(today),
        "opens_on": today + timedelta(days=starts),
        "closes_on": today + timedelta(days=ends),
    }
    values.update(extra)
    return campaigns.campaign_open(**values)


def _provision(code, level, parent, kind=""):
    return services.organization_provision(
        actor=None,
        data=services.OrganizationData(
            code=code,
            level=level,
            parent_code=parent,
            kind=kind,
            full_name=f"Организация {code}",
            short_name=code,
            time_zone="Europe/Samara" if level == Level.REGION else "",
        ),
    )


def _member(world, local, role, organization):
    user = User.objects.create_user(
        email=f"{local}@test.test", password="Correct-Horse-42", last_name="Иванова", first_name="Анна"
    )
    services.membership_grant(actor=None, user=user, organization=organization, role=role)
    return user


# --- opening ------------------------------------------------------------------------------------


def test_the_coordinator_opens_a_campaign_from_the_region_page(world, client_on):
    today = _today(world)
    client = client_on(world.host(world.region), world.coordinator)

    page = client.get("/monitoring/campaigns/")
    assert page.status_code == 200
    assert 'data-testid="campaign-open-form"' in page.content.decode()

    response = client.post(
        "/monitoring/campaigns/open/",
        {
            "title": "Мониторинг наставничества",
            "academic_year": academic_year_of(today),
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
        },
    )

    campaign = MonitoringCampaign.objects.get(region=world.region)
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/campaigns/{campaign.pk}/"
    assert campaign.status == MonitoringCampaign.Status.OPEN
    assert campaign.created_by == world.coordinator
    assert campaign.closes_on == today + timedelta(days=14)


def test_a_second_open_campaign_in_the_region_is_refused(world, client_on):
    first = _open(world)

    with pytest.raises(ValidationError, match="уже идёт мониторинговая кампания «Мониторинг 2026»"):
        _open(world, title="Ещё одна")

    today = _today(world)
    response = client_on(world.host(world.region), world.coordinator).post(
        "/monitoring/campaigns/open/",
        {
            "title": "Ещё одна",
            "academic_year": academic_year_of(today),
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "уже идёт мониторинговая кампания" in response.content.decode()
    assert list(MonitoringCampaign.objects.filter(region=world.region)) == [first]


def test_a_new_campaign_may_open_once_the_previous_one_is_closed(world):
    first = _open(world)
    campaigns.campaign_close(actor=world.coordinator, campaign=first)

    second = _open(world, title="Следующая")

    assert second.status == MonitoringCampaign.Status.OPEN
    assert MonitoringCampaign.objects.filter(region=world.region).count() == 2


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"starts": 5, "ends": 2}, "closes_on", "не может быть раньше его начала"),
        ({"starts": -10, "ends": -1}, "closes_on", "уже прошло"),
        ({"title": "   "}, "title", "Укажите название кампании"),
    ],
)
def test_a_bad_window_or_title_is_refused_and_nothing_is_written(world, extra, field, message):
    with pytest.raises(ValidationError) as raised:
        _open(world, **extra)

    assert message in " ".join(raised.value.message_dict[field])
    assert not MonitoringCampaign.objects.exists()


def test_only_a_region_opens_a_campaign(world):
    with pytest.raises(ValidationError, match="«t-mun» — не регион"):
        _open(world, region=world.municipality)
    assert not MonitoringCampaign.objects.exists()


def test_a_methodologist_and_a_municipal_coordinator_may_not_open_or_close(world, client_on):
    methodologist = _member(world, "methodologist", Role.REGIONAL_METHODOLOGIST, world.region)
    campaign = _open(world)
    today = _today(world)
    data = {
        "title": "Чужая",
        "academic_year": academic_year_of(today),
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
    }
    region = client_on(world.host(world.region), methodologist)

    assert region.get("/monitoring/campaigns/").status_code == 200  # a monitor sees the campaigns
    assert 'data-testid="campaign-open-form"' not in region.get("/monitoring/campaigns/").content.decode()
    assert region.post("/monitoring/campaigns/open/", data).status_code == 403
    assert region.post(f"/monitoring/campaigns/{campaign.pk}/close/").status_code == 403
    api = region.post("/api/v1/monitoring/campaigns/", data, content_type="application/json")
    assert api.status_code == 403

    municipal = client_on(world.host(world.municipality), world.municipal)
    assert municipal.post("/monitoring/campaigns/open/", data).status_code == 403
    assert municipal.post(f"/monitoring/campaigns/{campaign.pk}/close/").status_code == 403
    assert municipal.post(f"/api/v1/monitoring/campaigns/{campaign.pk}/close/").status_code == 403

    assert list(MonitoringCampaign.objects.all()) == [campaign]
    campaign.refresh_from_db()
    assert campaign.status == MonitoringCampaign.Status.OPEN


# --- submitting ---------------------------------------------------------------------------------


def test_a_submission_inside_the_window_refreshes_and_stores_the_figures(world):
    campaign = _open(world)
    connection.set_tenant(world.school_a)
    make_staff(last_name="Первая")
    make_staff(last_name="Вторая")

    submission = campaigns.submission_submit(actor=world.curator_a, organization=world.school_a, comment="Проверено")

    connection.set_schema_to_public()
    assert submission.campaign == campaign
    assert submission.status == CampaignSubmission.Status.SUBMITTED
    assert submission.parent == world.municipality
    assert submission.submitted_by == world.curator_a
    assert submission.comment == "Проверено"
    assert submission.figures["organization_id"] == world.school_a.pk
    assert submission.figures["k2_staff"] >= 2  # the projection was refreshed from the records first
    assert submission.figures == campaigns.organization_figures(world.school_a, campaign.academic_year)


def test_a_second_submission_in_the_window_replaces_the_figures(world):
    _open(world)
    connection.set_tenant(world.school_a)
    first = campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    before = first.figures["k2_staff"]
    make_staff(last_name="Новая")

    second = campaigns.submission_submit(actor=world.director_a, organization=world.school_a, comment="Уточнено")

    connection.set_schema_to_public()
    assert second.pk == first.pk
    assert CampaignSubmission.objects.filter(organization=world.school_a).count() == 1
    second.refresh_from_db()
    assert second.figures["k2_staff"] == before + 1
    assert second.submitted_at > first.submitted_at
    assert second.submitted_by == world.director_a


def test_before_the_window_the_submission_is_refused_with_the_start_date(world):
    campaign = _open(world, starts=3, ends=10)

    with pytest.raises(ValidationError, match=f"Приём сведений начнётся {campaign.opens_on:%d.%m.%Y}"):
        campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    assert not CampaignSubmission.objects.exists()


def test_after_the_window_the_submission_is_refused(world):
    campaign = _open(world, starts=-10, ends=0)
    # The last day has passed (time moves on; the window was valid when opened).
    MonitoringCampaign.objects.filter(pk=campaign.pk).update(closes_on=_today(world) - timedelta(days=1))

    with pytest.raises(ValidationError, match="Приём сведений завершён"):
        campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    assert not CampaignSubmission.objects.exists()


def test_without_an_open_campaign_the_submission_is_refused(world):
    with pytest.raises(ValidationError, match="не проводится"):
        campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)


# --- progress -----------------------------------------------------------------------------------


def test_progress_counts_organizations_and_submissions_per_municipality(world, client_on):
    other = _provision("t-mun-2", Level.MUNICIPALITY, "t-region")
    _provision("t-school-c", Level.ORGANIZATION, "t-mun-2", OrganizationKind.SCHOOL)
    _provision("t-college", Level.ORGANIZATION, "t-region", OrganizationKind.COLLEGE)
    campaign = _open(world)
    campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)

    progress = campaigns.campaign_progress(campaign, world.region)

    rows = {row.name: (row.organizations, row.submitted, row.percent) for row in progress.rows}
    assert rows["t-mun"] == (2, 1, 50)
    assert rows["t-mun-2"] == (1, 0, 0)
    assert rows[campaigns.REGIONAL_SUBORDINATION] == (1, 0, 0)
    assert (progress.total.organizations, progress.total.submitted) == (4, 1)
    assert str(progress.total.percent) == "25.0"
    pending = [item.short_name for item in campaigns.pending_organizations(campaign, world.region)]
    assert sorted(pending) == ["t-college", "t-school-b", "t-school-c"]

    page = client_on(world.host(world.region), world.coordinator).get(f"/monitoring/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="progress-row"') == 3
    assert other.short_name in page.content.decode()


def test_progress_takes_a_fixed_number_of_queries(world):
    campaign = _open(world)

    def count():
        with CaptureQueriesContext(connection) as captured:
            campaigns.campaign_progress(campaign, world.region)
            campaigns.pending_organizations(campaign, world.region)
        return len(captured)

    before = count()
    for number in range(3):
        _provision(f"t-extra-{number}", Level.ORGANIZATION, "t-mun", OrganizationKind.SCHOOL)
    campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    assert count() == before


def test_a_municipality_sees_only_its_own_organizations(world, client_on):
    _provision("t-mun-2", Level.MUNICIPALITY, "t-region")
    _provision("t-school-c", Level.ORGANIZATION, "t-mun-2", OrganizationKind.SCHOOL)
    campaign = _open(world)
    campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)

    progress = campaigns.campaign_progress(campaign, world.municipality)
    assert [(row.name, row.organizations, row.submitted) for row in progress.rows] == [("t-mun", 2, 1)]
    assert [item.short_name for item in campaigns.pending_organizations(campaign, world.municipality)] == ["t-school-b"]

    client = client_on(world.host(world.municipality), world.municipal)
    page = client.get(f"/monitoring/campaigns/{campaign.pk}/").content.decode()
    assert "t-school-b" in page
    assert "t-school-c" not in page and "t-mun-2" not in page
    assert 'data-testid="campaign-close"' not in page
    api = client.get(f"/api/v1/monitoring/campaigns/{campaign.pk}/").json()
    assert [row["name"] for row in api["rows"]] == ["t-mun"]
    assert api["total"]["organizations"] == 2
    assert [item["short_name"] for item in api["pending"]] == ["t-school-b"]


def test_a_campaign_of_another_region_is_not_found(world, client_on):
    other_region = _provision("t-region-2", Level.REGION, "")
    foreign = campaigns.campaign_open(
        actor=None,
        region=other_region,
        title="Чужой регион",
        academic_year=academic_year_of(_today(world)),
        opens_on=_today(world),
        closes_on=_today(world) + timedelta(days=5),
    )

    region = client_on(world.host(world.region), world.coordinator)
    assert region.get(f"/monitoring/campaigns/{foreign.pk}/").status_code == 404
    assert region.post(f"/monitoring/campaigns/{foreign.pk}/close/").status_code == 404
    assert region.get(f"/api/v1/monitoring/campaigns/{foreign.pk}/").status_code == 404
    assert region.post(f"/api/v1/monitoring/campaigns/{foreign.pk}/close/").status_code == 404
    assert "Чужой регион" not in region.get("/monitoring/campaigns/").content.decode()
    municipal = client_on(world.host(world.municipality), world.municipal)
    assert municipal.get(f"/monitoring/campaigns/{foreign.pk}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == MonitoringCampaign.Status.OPEN


# --- closing ------------------------------------------------------------------------------------


def test_closing_fixes_the_missing_organizations_with_their_projection_figures(world, client_on):
    campaign = _open(world)
    campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    # School B never submits; its projection holds three workers, one of them a young specialist.
    facts(world.school_b)
    for staff_id in (1, 2, 3):
        staff(world.school_b, staff_id, young=staff_id == 3)

    response = client_on(world.host(world.region), world.coordinator).post(
        f"/monitoring/campaigns/{campaign.pk}/close/"
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == MonitoringCampaign.Status.CLOSED
    assert campaign.closed_by == world.coordinator and campaign.closed_at is not None
    missing = CampaignSubmission.objects.get(campaign=campaign, organization=world.school_b)
    assert missing.status == CampaignSubmission.Status.MISSING
    assert missing.parent == world.municipality
    assert missing.figures["k2_staff"] == 3
    assert missing.figures["k3_young"] == 1
    assert missing.figures["short_name"] == "t-school-b"
    assert CampaignSubmission.objects.get(organization=world.school_a).status == CampaignSubmission.Status.SUBMITTED
    progress = campaigns.campaign_progress(campaign, world.region)
    assert (progress.total.organizations, progress.total.submitted) == (2, 1)


def test_after_closing_nothing_changes(world, client_on):
    campaign = _open(world)
    campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    facts(world.school_b)
    staff(world.school_b, 1)
    campaigns.campaign_close(actor=world.coordinator, campaign=campaign)
    frozen = {row.organization_id: row.figures for row in CampaignSubmission.objects.filter(campaign=campaign)}

    # The records change afterwards, and the projections with them.
    staff(world.school_b, 2)
    connection.set_tenant(world.school_a)
    make_staff(last_name="Поздняя")
    connection.set_schema_to_public()
    with pytest.raises(ValidationError, match="не проводится"):
        campaigns.submission_submit(actor=world.curator_a, organization=world.school_a)
    with pytest.raises(ValidationError, match="уже завершена"):
        campaigns.campaign_close(actor=world.coordinator, campaign=campaign)

    assert campaigns.organization_figures(world.school_b, campaign.academic_year)["k2_staff"] == 2
    assert {row.organization_id: row.figures for row in CampaignSubmission.objects.filter(campaign=campaign)} == frozen
    assert frozen[world.school_b.pk]["k2_staff"] == 1
    # Closing again through the page changes nothing either.
    client_on(world.host(world.region), world.coordinator).post(f"/monitoring/campaigns/{campaign.pk}/close/")
    assert CampaignSubmission.objects.filter(campaign=campaign).count() == 2


def test_an_open_campaign_is_not_exported(world, client_on):
    campaign = _open(world)

    with pytest.raises(ValidationError, match="после её завершения"):
        campaigns.campaign_export(actor=world.coordinator, campaign=campaign, scope=world.region)
    response = client_on(world.host(world.region), world.coordinator).post(
        f"/monitoring/campaigns/{campaign.pk}/export/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/campaigns/{campaign.pk}/"


def test_the_api_opens_lists_and_closes(world, client_on):
    client = client_on(world.host(world.region), world.coordinator)
    today = _today(world)

    opened = client.post(
        "/api/v1/monitoring/campaigns/",
        {
            "title": "Через API",
            "academic_year": academic_year_of(today),
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert opened.status_code == 201
    campaign_id = opened.json()["id"]
    refused = client.post(
        "/api/v1/monitoring/campaigns/",
        {"title": "Вторая", "academic_year": 2026, "opens_on": today.isoformat(), "closes_on": today.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "уже идёт" in str(refused.json())
    listed = client.get("/api/v1/monitoring/campaigns/").json()
    assert [(item["id"], item["submitted"]) for item in listed] == [(campaign_id, 0)]

    closed = client.post(f"/api/v1/monitoring/campaigns/{campaign_id}/close/")
    assert closed.status_code == 200
    assert closed.json()["campaign"]["status"] == "closed"
    assert closed.json()["total"] == {
        "parent_id": None,
        "name": "Итого",
        "organizations": 2,
        "submitted": 0,
        "percent": "0.0",
    }
    assert sorted(item["short_name"] for item in closed.json()["pending"]) == ["t-school-a", "t-school-b"]


def test_a_closed_campaign_exports_the_figures_exactly_as_frozen(world, client_on):
    import io

    from openpyxl import load_workbook

    from analytics.exports import build_export, column_title
    from analytics.models import ExportJob

    campaign = _open(world)
    facts(world.school_b)
    staff(world.school_b, 1)
    campaigns.campaign_close(actor=world.coordinator, campaign=campaign)
    staff(world.school_b, 2)  # after closing: the projection moves on, the campaign does not
    client = client_on(world.host(world.region), world.coordinator)
    page = client.get(f"/monitoring/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="campaign-export"' in page and 'data-testid="campaign-close"' not in page

    response = client.post(f"/monitoring/campaigns/{campaign.pk}/export/")

    job = ExportJob.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/exports/{job.pk}/"
    assert (job.scope, job.format) == (world.region, "xlsx")
    assert (job.period_start.year, job.period_end.year) == (campaign.academic_year, campaign.academic_year + 1)
    build_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    sheet = load_workbook(io.BytesIO(bytes(job.content)), read_only=True)["Организации"]
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if column_title("k2_staff") in row)
    header = rows[header_index]
    school_b = next(row for row in rows[header_index + 1 :] if "t-school-b" in row)
    assert school_b[header.index(column_title("k2_staff"))] == 1
