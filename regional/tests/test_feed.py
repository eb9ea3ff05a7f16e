"""The feed «what is new from above»: sources, order, paging, reach across the region and no further."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regional.feed import Feed, feed_latest
from regional.models import Contest, DocumentTemplate, Event
from regional.practices import services
from regional.tests.test_practices_factories import completed_program
from tenants import services as tenant_services
from tenants.models import Level, Organization

PROBLEM = "Молодые учителя теряются в первые месяцы работы."


def _provision(code: str, level: str, parent: str = "", kind: str = ""):
    return tenant_services.organization_provision(
        actor=None,
        data=tenant_services.OrganizationData(
            code=code,
            level=level,
            parent_code=parent,
            kind=kind,
            full_name=f"Организация {code}",
            short_name=code,
            time_zone="Europe/Samara" if level == Level.REGION else "",
        ),
    )


def _published_case(world, title: str):
    connection.set_tenant(world.school_a)
    made = completed_program(title=title)
    case = services.case_start(actor=world.curator_a, program_id=made.program.pk)
    services.case_update(actor=world.curator_a, case=case, data={"problem": PROBLEM})
    services.case_submit(actor=world.curator_a, case=case)
    services.case_review(actor=world.municipal, case=case, decision="approve")
    services.case_review(actor=world.coordinator, case=case, decision="approve")
    connection.set_schema_to_public()
    case.refresh_from_db()
    return case


def _age_project_models(now):
    """The project's default models were published when the test database was migrated, minutes ago."""
    DocumentTemplate.objects.filter(publisher__isnull=True).update(published_at=now - timedelta(days=400))


def _titles(organization, limit=50) -> list[str]:
    return [item.title for item in feed_latest(organization, limit=limit)]


def test_a_published_case_reaches_the_feed_of_every_organization_of_the_region_and_no_other(world, client_on):
    other_region = _provision("t-region-f2", Level.REGION)
    other_school = _provision("t-school-f2", Level.ORGANIZATION, "t-region-f2", "school")
    college = _provision("t-college-f", Level.ORGANIZATION, "t-region", "college")
    connection.set_schema_to_public()

    case = _published_case(world, "Школа молодого наставника")
    news = f"Опубликован кейс «{case.title}»"

    for organization in (world.school_a, world.school_b, college, world.municipality, world.region):
        assert news in _titles(organization), organization.code
    for organization in (other_region, other_school):
        assert news not in _titles(organization), organization.code

    # The same on the pages: the feed and the home page's block of another school of the region.
    reader = client_on(world.host(world.school_b), world.teacher_b)
    assert news in reader.get("/feed/").content.decode()
    home = reader.get("/").content.decode()
    assert 'data-testid="feed-block"' in home
    assert news in home


def test_the_feed_merges_every_source_newest_first(world):
    now = timezone.now()
    other_municipality = _provision("t-mun-f2", Level.MUNICIPALITY, "t-region")
    connection.set_schema_to_public()
    _age_project_models(now)

    def template(title, publisher, minutes_ago, **extra):
        return DocumentTemplate.objects.create(
            kind=DocumentTemplate.Kind.ROADMAP,
            code=f"feed-{title}",
            title=title,
            publisher=publisher,
            published_at=now - timedelta(minutes=minutes_ago),
            **extra,
        )

    def event(title, publisher, minutes_ago):
        return Event.objects.create(
            publisher=publisher,
            kind=Event.Kind.WEBINAR,
            title=title,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=2),
            created_at=now - timedelta(minutes=minutes_ago),
        )

    def contest(title, minutes_ago, status, results_minutes_ago=None):
        return Contest.objects.create(
            region=world.region,
            kind=Contest.Kind.MENTOR_OF_YEAR,
            title=title,
            nominations_from=date(2026, 9, 1),
            nominations_until=date(2026, 10, 1),
            status=status,
            created_at=now - timedelta(minutes=minutes_ago),
            results_published_at=None if results_minutes_ago is None else now - timedelta(minutes=results_minutes_ago),
        )

    template("Модель региона", world.region, 50)
    template("Модель муниципалитета", world.municipality, 40)
    template("Модель чужого муниципалитета", other_municipality, 1)
    template("Снятая модель", world.region, 1, is_published=False)
    event("Вебинар региона", world.region, 30)
    event("Семинар муниципалитета", world.municipality, 20)
    event("Семинар чужого муниципалитета", other_municipality, 2)
    contest("Наставник года", 60, Contest.Status.RESULTS, results_minutes_ago=10)
    contest("Конкурс в подготовке", 3, Contest.Status.DRAFT)

    titles = _titles(world.school_a, limit=7)

    assert titles == [
        "Подведены итоги конкурса «Наставник года»",
        "Семинар муниципалитета",
        "Вебинар региона",
        "Модель муниципалитета (версия 1)",
        "Модель региона (версия 1)",
        "Объявлен конкурс «Наставник года»",
        # then the project's default models, published when the platform was installed
        titles[6],
    ]
    assert titles[6].endswith("(версия 1)")
    everything = _titles(world.school_a)
    for hidden in ("Модель чужого муниципалитета", "Снятая модель", "Семинар чужого муниципалитета"):
        assert not any(hidden in title for title in everything)
    assert not any("Конкурс в подготовке" in title for title in everything)

    # The region sees what it publishes itself, not what a municipality publishes.
    region_titles = _titles(world.region)
    assert "Вебинар региона" in region_titles
    assert "Семинар муниципалитета" not in region_titles


def test_the_feed_pages_through_all_items_and_the_home_block_costs_one_query_per_source(world):
    now = timezone.now()
    _age_project_models(now)
    for number in range(7):
        Event.objects.create(
            publisher=world.region,
            kind=Event.Kind.SEMINAR,
            title=f"Семинар № {number}",
            starts_at=now + timedelta(days=number + 1),
            ends_at=now + timedelta(days=number + 1, hours=1),
            created_at=now - timedelta(minutes=number),
        )
    feed = Feed(world.school_a)
    total = feed.count()

    pages = Paginator(feed, 3)
    seen = [item.title for number in pages.page_range for item in pages.page(number).object_list]

    assert pages.count == total
    assert len(seen) == total
    assert seen[:7] == [f"Семинар № {number}" for number in range(7)]
    host = Organization.objects.select_related("parent").get(pk=world.school_a.pk)  # as the middleware loads it
    with CaptureQueriesContext(connection) as queries:
        latest = feed_latest(host)
    assert len(latest) == 5
    assert len(queries) == 4  # cases, model documents, events, contests
