"""Regional and municipal dashboards: numbers from the projection, drill-down, scope, trends, periods, queries."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.kpi import K1_REASONS, Period
from analytics.models import KpiSnapshot, OrganizationFacts, ParticipationFact
from analytics.projection import refresh_organization
from analytics.snapshots import academic_year_of, take_snapshots
from analytics.tests.test_kpi import pair, staff, took_part
from institutional.dates import organization_today
from tenants import services
from tenants.models import Level, OrganizationKind, Role

DASHBOARD = "/monitoring/"
API = "/api/v1/monitoring/"


@pytest.fixture
def year(world) -> Period:
    """The current academic year of the region: the dashboards' default period."""
    return Period.academic_year(academic_year_of(organization_today(world.region)))


def _facts(org, year: Period, **extra):
    values = {
        "as_of": year.start + timedelta(days=30),
        "regulation_approved_on": year.start - timedelta(days=10),
        "curator_since": year.start - timedelta(days=5),
        "roadmap_years": [year.start.year],
        "staff_employed": 3,
        "mentors_in_bank": 2,
        "mentees_waiting": 1,
        "mentor_loads": {"0": 1, "1": 1},
    }
    values.update(extra)
    return OrganizationFacts.objects.create(organization=org, **values)


@pytest.fixture
def projection(world, year):
    """School A implements everything (K2 = 2/3, K3 = 1/2); school B has no curator and 2 overdue programs."""
    a, b = world.school_a, world.school_b
    start, end = year.start + timedelta(days=5), year.end - timedelta(days=60)
    _facts(a, year)
    _facts(b, year, curator_since=None, overdue_programs=2)
    staff(a, 1)
    staff(a, 2, young=True)
    staff(a, 3, young=True)
    pair(a, 10, start, end, kinds=["traditional", "group"])
    took_part(a, 10, 1, "mentor", start, end)
    took_part(a, 10, 2, "mentee", start, end)
    return {"start": start, "end": end}


def _element(page: str, testid: str) -> str:
    """The text of the first element with that data-testid (tags stripped, whitespace collapsed)."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{re.escape(testid)}"[^>]*>', page)
    assert match, f"no element {testid}"
    tag = match.group(1)
    rest = page[match.end() :]
    depth, position = 1, 0
    for inner in re.finditer(rf"<(/?){tag}\b[^>]*>", rest):
        depth += -1 if inner.group(1) else 1
        if depth == 0:
            position = inner.start()
            break
    text = re.sub(r"<[^>]+>", " ", rest[:position])
    return " ".join(html.unescape(text).split())


def _cell(page: str, row_testid: str, column: str) -> str:
    match = re.search(rf'data-testid="{row_testid}".*?</tr>', page, re.S)
    assert match, f"no row {row_testid}"
    cell = re.search(rf'data-col="{column}"[^>]*>([^<]*)<', match.group(0))
    return html.unescape(cell.group(1))


def _get(client, path, status=200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def _provision(code, level, parent, short_name):
    return services.organization_provision(
        actor=None,
        data=services.OrganizationData(
            code=code,
            level=level,
            parent_code=parent,
            kind=OrganizationKind.SCHOOL if level == Level.ORGANIZATION else "",
            full_name=f"Тестовая организация {short_name}",
            short_name=short_name,
        ),
    )


def test_region_page_shows_kpi_tiles_table_and_heat_map_from_the_projection(world, client_on, projection):
    page = _get(client_on(world.host(world.region), world.coordinator), DASHBOARD)

    assert _element(page, "kpi-value-k1") == "50,0 %"  # school B has no curator
    assert _element(page, "kpi-target-k1") == "100 %"
    assert 'data-testid="kpi-tile-k1" data-status="bad"' in page
    assert _element(page, "kpi-value-k2") == "66,7 %"  # staff 1 and 2 of 1, 2, 3 (school B has no staff)
    assert _element(page, "kpi-value-k3") == "50,0 %"
    assert _element(page, "kpi-value-k4") == "1"
    assert _element(page, "kpi-value-k6") == "2"
    assert 'data-testid="kpi-tile-k6" data-status="bad"' in page
    assert _element(page, "kpi-value-k8") == "0"
    assert 'data-testid="kpi-tile-k8" data-status="good"' in page
    assert _element(page, "kpi-value-k10") == "0"  # no case of best practice yet
    assert "организаций с опубликованной практикой 0 из 2" in _element(page, "kpi-note-k10")
    assert "нет данных" in _element(page, "kpi-note-k2")  # no snapshot of the year yet

    row = f"row-municipality-{world.municipality.pk}"
    assert _cell(page, row, "organizations") == "2"
    assert _cell(page, row, "k1") == "50,0 %"
    assert _cell(page, row, "k2") == "66,7 %"
    assert _cell(page, row, "k6") == "2"
    assert f'href="/monitoring/m/{world.municipality.pk}/"' in page
    assert _cell(page, f"row-regional-{world.region.pk}", "organizations") == "0"
    heatmap = re.search(r'data-testid="heatmap".*?</table>', page, re.S).group(0)
    assert 'data-col="k1" data-band="bad"' in heatmap  # K1's norm is 100 %
    assert 'data-col="k6" data-band="bad"' in heatmap
    assert 'data-col="k8" data-band="good"' in heatmap
    empty_row = re.search(rf'data-testid="heat-row-regional-{world.region.pk}".*?</tr>', heatmap, re.S).group(0)
    assert set(re.findall(r'data-band="(\w+)"', empty_row)) == {"none"}  # no organizations: nothing to judge
    assert "heatmap-legend" in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert 'id="monitoring-trend"' in page


def test_a_lagging_organization_is_listed_with_every_reason_and_links_to_its_card(world, client_on, projection):
    page = _get(client_on(world.host(world.region), world.coordinator), DASHBOARD)

    entry = _element(page, f"lagging-org-{world.school_b.pk}")
    assert K1_REASONS["curator"] in entry
    assert "программы не составлены в срок: 2" in entry
    assert f'href="/monitoring/o/{world.school_b.pk}/"' in page
    assert f"lagging-org-{world.school_a.pk}" not in page


def test_drill_down_from_region_to_municipality_to_organization_card(world, client_on, projection):
    client = client_on(world.host(world.region), world.coordinator)

    municipal = _get(client, f"/monitoring/m/{world.municipality.pk}/")
    assert _element(municipal, "breadcrumbs") == f"{world.region.short_name} {world.municipality.short_name}"
    assert _cell(municipal, f"row-organization-{world.school_a.pk}", "k1") == "да"
    assert _cell(municipal, f"row-organization-{world.school_b.pk}", "k1") == "нет"
    assert _cell(municipal, f"row-organization-{world.school_a.pk}", "k2") == "66,7 %"
    assert f'href="/monitoring/o/{world.school_a.pk}/"' in municipal

    card = _get(client, f"/monitoring/o/{world.school_a.pk}/")
    assert _element(card, "breadcrumbs") == (
        f"{world.region.short_name} {world.municipality.short_name} {world.school_a.short_name}"
    )
    assert "org-card" in card
    facts = OrganizationFacts.objects.get(organization=world.school_a)
    assert _element(card, "facts-as-of") == f"данные на {facts.as_of:%d.%m.%Y}"
    assert _element(card, "fact-regulation") == f"{facts.regulation_approved_on:%d.%m.%Y}"
    assert _element(card, "fact-staff") == "3"
    assert _element(card, "fact-load-1") == "1"
    assert _element(card, "org-k1") == "да"
    assert _element(card, "org-k2") == "66,7 % (2 из 3)"
    assert _element(card, "org-k4") == "1 (сетевых 0, внутри организации 1)"
    assert "вид «Групповое»" in _element(card, "org-kpi")
    assert "форма «Педагог – педагог»" in _element(card, "org-kpi")
    assert _element(card, "org-lagging") == "Организация не отстаёт."

    other = _get(client, f"/monitoring/o/{world.school_b.pk}/")
    assert K1_REASONS["curator"] in _element(other, "org-lagging")
    assert K1_REASONS["curator"] in _element(other, "org-kpi")


def test_the_municipal_coordinator_sees_only_its_municipality(world, client_on, projection):
    other_municipality = _provision("t-mun-other", Level.MUNICIPALITY, "t-region", "Другой район")
    other_school = _provision("t-school-other", Level.ORGANIZATION, "t-mun-other", "Школа другого района")
    client = client_on(world.host(world.municipality), world.municipal)

    page = _get(client, DASHBOARD)
    assert _element(page, "kpi-value-k1") == "50,0 %"
    assert f"row-organization-{world.school_a.pk}" in page
    assert "Школа другого района" not in page
    assert _get(client, f"/monitoring/m/{world.municipality.pk}/")
    for path in (
        f"/monitoring/m/{other_municipality.pk}/",
        f"/monitoring/o/{other_school.pk}/",
        f"/monitoring/o/{world.region.pk}/",
        f"/monitoring/o/{world.municipality.pk}/",
        f"{API}organizations/{other_school.pk}/",
        f"{API}trend/?organization={other_school.pk}",
    ):
        _get(client, path, status=404)

    regional = client_on(world.host(world.region), world.coordinator)
    _get(regional, f"/monitoring/m/{other_municipality.pk}/")
    assert _element(_get(regional, f"/monitoring/o/{other_school.pk}/"), "org-lagging")
    _get(regional, "/monitoring/m/999999/", status=404)
    _get(regional, f"/monitoring/m/{world.region.pk}/", status=404)
    _get(regional, f"/monitoring/o/{world.municipality.pk}/", status=404)


def test_a_member_without_a_monitoring_role_is_refused(world, client_on):
    services.membership_grant(actor=None, user=world.teacher_b, organization=world.region, role=Role.TEACHER)
    client = client_on(world.host(world.region), world.teacher_b)

    _get(client, DASHBOARD, status=403)
    _get(client, f"/monitoring/o/{world.school_a.pk}/", status=403)
    _get(client, f"{API}kpi/", status=404)  # the API base answers "not found" to members without the role
    # On an organization's host the monitoring pages do not exist.
    _get(client_on(world.host(world.school_a), world.curator_a), DASHBOARD, status=404)


def test_api_numbers_equal_the_page(world, client_on, projection):
    client = client_on(world.host(world.region), world.coordinator)
    page = _get(client, DASHBOARD)

    kpi = client.get(f"{API}kpi/").json()
    values = kpi["indicators"]
    assert (values["k1"]["numerator"], values["k1"]["denominator"], values["k1"]["percent"]) == (1, 2, 50.0)
    for key in ("k1", "k2", "k3"):
        assert _element(page, f"kpi-value-{key}") == f"{values[key]['percent']:.1f}".replace(".", ",") + " %"
    assert _element(page, "kpi-value-k6") == str(values["k6"]["total"]) == "2"
    assert values["k4"]["by_kind"]["group"] == 1
    rows = {row["id"]: row for row in kpi["rows"]}
    assert rows[world.municipality.pk]["indicators"]["organizations"] == 2
    assert rows[world.region.pk]["kind"] == "regional"

    organizations = {row["id"]: row for row in client.get(f"{API}organizations/").json()}
    assert set(organizations) == {world.school_a.pk, world.school_b.pk}
    lagging_text = _element(page, f"lagging-org-{world.school_b.pk}")
    assert organizations[world.school_b.pk]["lagging_reasons"]
    assert all(reason in lagging_text for reason in organizations[world.school_b.pk]["lagging_reasons"])
    assert organizations[world.school_a.pk]["lagging_reasons"] == []

    card = client.get(f"{API}organizations/{world.school_a.pk}/").json()
    assert card["indicators"]["k2"] == {"numerator": 2, "denominator": 3, "percent": 66.7}
    assert card["facts"]["staff_employed"] == 3
    card_page = _get(client, f"/monitoring/o/{world.school_a.pk}/")
    assert _element(card_page, "org-k2") == "66,7 % (2 из 3)"


def test_numbers_follow_records_made_through_the_services(world, client_on, in_school_a):
    from institutional.tests.programs_factories import approved_pair

    approved_pair(starts_days_ago=10)
    connection.set_schema_to_public()
    refresh_organization(world.school_a)

    client = client_on(world.host(world.municipality), world.municipal)
    page = _get(client, DASHBOARD)
    assert _cell(page, f"row-organization-{world.school_a.pk}", "k4") == "1"
    assert client.get(f"{API}kpi/").json()["indicators"]["k4"]["total"] == 1


def test_trends_come_from_the_daily_snapshots(world, client_on, year, projection):
    first_day, second_day = year.start + timedelta(days=1), year.start + timedelta(days=20)
    # On the first day only the mentor took part: K2 = 1/3.
    ParticipationFact.objects.filter(organization=world.school_a, role="mentee").delete()
    take_snapshots(world.region, on=first_day)
    took_part(world.school_a, 10, 2, "mentee", projection["start"], projection["end"])
    take_snapshots(world.region, on=second_day)
    assert KpiSnapshot.objects.filter(organization=world.region).count() == 2
    client = client_on(world.host(world.region), world.coordinator)

    page = _get(client, DASHBOARD)
    assert _element(page, "kpi-note-k2") == "с начала учебного года: +33,3 п. п."
    assert 'data-testid="kpi-tile-k2" data-status="good"' in page
    assert f"{first_day:%d.%m.%Y}" in page and f"{second_day:%d.%m.%Y}" in page
    assert 'data-sparkline="k2"' in page and 'data-testid="trend-chart"' in page

    points = client.get(f"{API}trend/").json()
    assert [p["taken_on"] for p in points] == [first_day.isoformat(), second_day.isoformat()]
    assert [p["values"]["k2"] for p in points] == [33.3, 66.7]
    assert points[0]["raw"]["k2"] == [1, 3]
    school = client.get(f"{API}trend/", {"organization": world.school_a.pk}).json()
    assert [p["values"]["k1"] for p in school] == [100.0, 100.0]
    card = client.get(f"{API}organizations/{world.school_a.pk}/").json()
    assert len(card["trend"]) == 2
    # A period without snapshots says so instead of drawing an empty chart.
    earlier = _get(client, f"{DASHBOARD}?year={year.start.year - 1}")
    assert "trend-empty" in earlier


def test_a_bad_period_is_named_and_the_current_academic_year_is_shown(world, client_on, year, projection):
    client = client_on(world.host(world.region), world.coordinator)
    default_label = f"{year.start.year}/{year.start.year + 1} учебный год"

    for query, expected in (
        ("from=2026-02-30&to=2026-10-01", "Дата начала периода «2026-02-30» указана неверно"),
        ("from=01.10.2026&to=вчера", "Дата окончания периода «вчера» указана неверно"),
        ("from=2026-10-01&to=2026-09-01", "Дата начала периода позже даты его окончания"),
        ("from=2026-10-01", "укажите обе даты"),
        ("year=двадцать", "Учебный год «двадцать» указан неверно"),
        ("from=0001-01-01&to=2026-01-01", "вне допустимого диапазона"),
    ):
        page = _get(client, f"{DASHBOARD}?{query}")
        assert expected in _element(page, "period-error"), query
        assert "Показаны данные за текущий учебный год." in _element(page, "period-error")
        assert _element(page, "period-label") == default_label
        assert _element(page, "kpi-value-k1") == "50,0 %"

    response = client.get(f"{API}kpi/", {"from": "2026-02-30", "to": "2026-10-01"})
    assert response.status_code == 400
    assert "указана неверно" in response.json()["period"][0]


def test_a_custom_range_and_another_academic_year_change_the_numbers(world, client_on, year, projection):
    client = client_on(world.host(world.region), world.coordinator)
    before = year.start - timedelta(days=100)
    page = _get(client, f"{DASHBOARD}?from={before:%d.%m.%Y}&to={year.start - timedelta(days=1):%Y-%m-%d}")
    assert _element(page, "period-label").startswith(f"с {before:%d.%m.%Y} по ")
    assert _element(page, "kpi-value-k4") == "0"  # the pair starts after the range
    assert f"?from={before.isoformat()}&amp;to=" in page  # drill-down links keep the period

    previous = _get(client, f"{DASHBOARD}?year={year.start.year - 1}")
    assert _element(previous, "kpi-value-k1") == "0,0 %"  # no roadmap for the previous year, no pair
    api = client.get(f"{API}kpi/", {"year": year.start.year - 1}).json()
    assert api["period"] == {
        "start": date(year.start.year - 1, 9, 1).isoformat(),
        "end": date(year.start.year, 8, 31).isoformat(),
        "academic_year": year.start.year - 1,
    }


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def test_pages_and_endpoints_make_the_same_number_of_queries_for_2_and_6_organizations(
    world, client_on, year, projection
):
    region = client_on(world.host(world.region), world.coordinator)
    municipal = client_on(world.host(world.municipality), world.municipal)
    paths = [
        (region, DASHBOARD),
        (region, f"/monitoring/m/{world.municipality.pk}/"),
        (municipal, DASHBOARD),
        (region, f"{API}kpi/"),
        (region, f"{API}organizations/"),
        (municipal, f"{API}organizations/"),
    ]
    take_snapshots(world.region, on=year.start + timedelta(days=1))
    for client, path in paths:  # warm up: sessions and caches of the first request
        client.get(path)
    before = [_queries(client, path) for client, path in paths]

    _provision("qc-mun", Level.MUNICIPALITY, "t-region", "Район для подсчёта")
    for number in range(4):
        parent = "t-mun" if number < 2 else "qc-mun"
        school = _provision(f"qc-dash-{number}", Level.ORGANIZATION, parent, f"Школа № {number}")
        _facts(school, year, overdue_reports=number)
        staff(school, 1, young=True)
        pair(school, 1, projection["start"], projection["end"])
    take_snapshots(world.region, on=year.start + timedelta(days=2))

    after = [_queries(client, path) for client, path in paths]
    assert after == before
    page = _get(region, DASHBOARD)
    assert _cell(page, f"row-municipality-{world.municipality.pk}", "organizations") == "4"
    assert "Район для подсчёта" in page


def test_k10_cases_of_the_bank_of_practices_show_on_the_tiles_the_table_the_card_and_the_api(
    world, client_on, year, projection
):
    from analytics.tests.test_kpi import case
    from regional.models import PracticeCase

    moment = timezone.make_aware(datetime.combine(year.start + timedelta(days=40), time(12)))
    case(world.school_a, 1, status=PracticeCase.Status.PUBLISHED, submitted=moment, published=moment)
    case(world.school_b, 2, status=PracticeCase.Status.REGIONAL_REVIEW, submitted=moment)
    case(world.school_b, 3, status=PracticeCase.Status.DRAFT)
    client = client_on(world.host(world.region), world.coordinator)

    page = _get(client, DASHBOARD)
    assert _element(page, "kpi-value-k10") == "1"
    assert "банке практик" in _element(page, "kpi-tile-k10")
    assert _element(page, "kpi-note-k10") == (
        "направлено на рассмотрение 2; организаций с опубликованной практикой 1 из 2"
    )
    assert _cell(page, f"row-municipality-{world.municipality.pk}", "k10") == "1 / 2"
    municipal = _get(client, f"/monitoring/m/{world.municipality.pk}/")
    assert _cell(municipal, f"row-organization-{world.school_b.pk}", "k10") == "0 / 1"
    card = _get(client, f"/monitoring/o/{world.school_a.pk}/")
    assert (_element(card, "org-k10-submitted"), _element(card, "org-k10-published")) == ("1", "1")

    values = client.get(f"{API}kpi/").json()["indicators"]["k10"]
    assert values == {
        "submitted": 2,
        "published": 1,
        "with_published": {"numerator": 1, "denominator": 2, "percent": 50.0},
    }
    school = client.get(f"{API}organizations/{world.school_b.pk}/").json()["indicators"]["k10"]
    assert (school["submitted"], school["published"], school["with_published"]["numerator"]) == (1, 0, 0)
    # The next academic year has none of them.
    assert client.get(f"{API}kpi/", {"year": year.start.year + 1}).json()["indicators"]["k10"]["submitted"] == 0

    take_snapshots(world.region, on=year.start + timedelta(days=50))
    point = client.get(f"{API}trend/").json()[-1]
    assert point["raw"]["k10"] == [1, 2]
    assert (point["values"]["k10_published"], point["values"]["k10_submitted"], point["values"]["k10"]) == (1, 2, 50.0)


def test_the_lagging_list_shows_a_page_and_a_link_to_all_of_them(world, client_on, year, projection, monkeypatch):
    monkeypatch.setattr("analytics.views_dashboard.LAGGING_PAGE", 1)
    third = _provision("lag-school-c", Level.ORGANIZATION, "t-mun", "Школа в конце списка")
    _facts(third, year, overdue_reports=1)
    client = client_on(world.host(world.region), world.coordinator)

    page = _get(client, f"{DASHBOARD}?year={year.start.year}")
    assert _element(page, "lagging-total") == "2"  # school B and the third school
    assert f"lagging-org-{world.school_b.pk}" in page
    assert f"lagging-org-{third.pk}" not in page
    assert "Показаны первые 1 из 2" in _element(page, "lagging-page-note")
    assert f'href="/monitoring/?year={year.start.year}&amp;lagging=all#lagging"' in page

    everything = _get(client, f"{DASHBOARD}?year={year.start.year}&lagging=all")
    assert f"lagging-org-{world.school_b.pk}" in everything and f"lagging-org-{third.pk}" in everything
    assert "Показаны все 2" in _element(everything, "lagging-page-note")


def test_the_organizations_api_pages_and_filters_the_lagging(world, client_on, year, projection):
    client = client_on(world.host(world.region), world.coordinator)

    response = client.get(f"{API}organizations/", {"limit": 1})
    assert response["X-Total-Count"] == "2"
    assert [row["id"] for row in response.json()] == [world.school_a.pk]
    response = client.get(f"{API}organizations/", {"offset": 1, "limit": 1})
    assert [row["id"] for row in response.json()] == [world.school_b.pk]
    response = client.get(f"{API}organizations/", {"lagging": "true"})
    assert response["X-Total-Count"] == "1"
    assert [row["id"] for row in response.json()] == [world.school_b.pk]
    assert response.json()[0]["indicators"]["k6"]["total"] == 2
    for params in ({"limit": "0"}, {"limit": "много"}, {"offset": "-1"}, {"offset": "²"}, {"lagging": "может"}):
        response = client.get(f"{API}organizations/", params)
        assert response.status_code == 400, params
        assert "указано неверно" in str(response.json())
