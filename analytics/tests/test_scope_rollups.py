"""The regional dashboard's roll-ups summed in SQL equal the per-organization formulas added up in Python."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.dashboard import indicators, scope_organizations, scope_overview
from analytics.kpi import (
    FORMULAS_VERSION,
    Period,
    compute_organization_kpis,
    lagging,
    organization_kpis,
    rollup,
    rollup_aggregates,
    scope_rollups,
)
from analytics.models import OrganizationYearKpi, RoadmapStageFact, SatisfactionFact
from analytics.projection import store_year_kpis
from analytics.scope import organizations_under, scope_members
from analytics.tests.test_dashboard import _provision
from analytics.tests.test_kpi import case, facts, pair, staff, took_part, utc
from regional.models import PracticeCase
from tenants.models import Level, Organization

YEAR = Period.academic_year(2026)
D = date
AS_OF = D(2026, 11, 20)
S = PracticeCase.Status


def _stage(org, position, activities, done, overdue=0):
    RoadmapStageFact.objects.create(
        organization=org,
        academic_year=2026,
        position=position,
        title=f"Этап {position}",
        activities=activities,
        done=done,
        overdue=overdue,
    )


@pytest.fixture
def region(world):
    """Two municipalities, one closed; organizations of regional subordination; every kind of state.

    Most organizations have the row of the year stored with their projection; one has a row of older
    formulas and one was never projected (both are computed from the facts); one is inactive.
    """
    a, b = world.school_a, world.school_b
    second = _provision("sr-mun-2", Level.MUNICIPALITY, "t-region", "Второй район")
    closed = _provision("sr-mun-closed", Level.MUNICIPALITY, "t-region", "Закрытый район")
    c = _provision("sr-school-c", Level.ORGANIZATION, "sr-mun-2", "Школа В")
    d = _provision("sr-school-d", Level.ORGANIZATION, "sr-mun-2", "Школа Г")
    e = _provision("sr-college-e", Level.ORGANIZATION, "t-region", "Колледж Д")
    f = _provision("sr-school-f", Level.ORGANIZATION, "sr-mun-closed", "Школа Е")
    g = _provision("sr-school-g", Level.ORGANIZATION, "sr-mun-2", "Школа Ё")
    Organization.objects.filter(pk=closed.pk).update(is_active=False)
    Organization.objects.filter(pk=g.pk).update(is_active=False)

    # School A: implements everything; pairs of two forms and three kinds; satisfaction; stages.
    facts(a, mentor_loads={"0": 1, "1": 2, "2": 1})
    for staff_id, young in ((1, False), (2, True), (3, True), (4, False), (5, False)):
        staff(a, staff_id, young=young)
    pair(a, 1, D(2026, 9, 10), D(2027, 5, 31), kinds=["traditional", "group"], mentee_count=2)
    pair(a, 2, D(2026, 10, 1), D(2027, 6, 30), form="director_teacher", kinds=["virtual"], is_network=True)
    pair(a, 3, D(2026, 9, 1), D(2027, 5, 31), ended=D(2026, 12, 1), status="ended_early", reason="mutual")
    took_part(a, 1, 1, "mentor", D(2026, 9, 10), D(2027, 5, 31))
    took_part(a, 1, 2, "mentee", D(2026, 9, 10), D(2027, 5, 31))
    took_part(a, 2, 4, "mentee", D(2026, 10, 1), D(2027, 6, 30))
    for role, score in (("mentor", "4.50"), ("mentee", "3.75")):
        SatisfactionFact.objects.create(organization=a, pair_id=3, role=role, score=score, pair_ended_on=D(2026, 12, 1))
    _stage(a, 1, 4, 4)
    _stage(a, 2, 5, 1, 2)
    # School B: no curator, overdue programs, a mentor over the cap: lags three ways.
    facts(b, curator_since=None, overdue_programs=2, mentors_over_cap=1, mentor_loads={"4": 1})
    staff(b, 1, young=True)
    pair(b, 1, D(2026, 9, 15), D(2027, 3, 1), kinds=["short_term"])
    _stage(b, 1, 3, 1, 1)
    _stage(b, 3, 2, 2)
    # School C (second municipality): a stored row of older formulas, never read.
    facts(c, roadmap_years=[2025], overdue_reports=1)
    pair(c, 1, D(2026, 9, 1), D(2027, 5, 31), ended=D(2027, 2, 1), status="completed", reason="plan_completed")
    # School D was never projected. College E (regional subordination) implements everything.
    facts(e)
    pair(e, 1, D(2026, 9, 1), D(2027, 5, 31), form="teacher_student")
    # School F of the closed municipality still works; school G is inactive and counts nowhere.
    facts(f, overdue_appointments=1)
    pair(f, 1, D(2026, 9, 1), D(2027, 5, 31))
    facts(g)

    for org in (a, b, c, e, f, g):
        store_year_kpis(org.pk, AS_OF)
    OrganizationYearKpi.objects.filter(organization=c).update(formulas_version=FORMULAS_VERSION - 1)

    # K10: cases in and out of the period, of organizations stored, computed and inactive.
    case(a, 1, status=S.PUBLISHED, submitted=utc(2026, 10, 1, 9), published=utc(2026, 11, 1, 9))
    case(a, 2, status=S.RETURNED, submitted=utc(2027, 1, 10, 9))
    case(c, 1, status=S.PUBLISHED, submitted=utc(2026, 5, 1, 9), published=utc(2026, 9, 20, 9))
    case(d, 1, status=S.MUNICIPAL_REVIEW, submitted=utc(2027, 4, 1, 9))
    case(e, 1, status=S.PUBLISHED, submitted=utc(2027, 2, 1, 9), published=utc(2027, 9, 2, 9))
    case(g, 1, status=S.PUBLISHED, submitted=utc(2026, 10, 1, 9), published=utc(2026, 11, 1, 9))
    return {"second": second, "closed": closed, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def _slow(region: Organization, period: Period):
    """The formulas applied organization by organization to the facts, added up in Python."""
    refs = organizations_under(region)
    ids = [ref.id for ref in refs]
    kpis = compute_organization_kpis(ids, period)
    for pk, kpi in organization_kpis(ids, period).items():  # K10 is never part of the facts
        kpis[pk].k10_submitted, kpis[pk].k10_published = kpi.k10_submitted, kpi.k10_published
    by_parent = defaultdict(list)
    for ref in refs:
        by_parent[ref.parent_id].append(kpis[ref.id])
    parts = {pk: rollup(items) for pk, items in by_parent.items()}
    reasons = lagging(kpis)
    return {
        "parts": {pk: indicators(part) for pk, part in parts.items()},
        "total": indicators(rollup_aggregates(parts.values())),
        "lagging": [(ref.id, reasons[ref.id]) for ref in refs if ref.id in reasons],
    }


@pytest.mark.parametrize("period", [YEAR, Period(D(2026, 10, 1), D(2027, 2, 15))], ids=["academic year", "range"])
def test_the_sql_rollups_equal_the_formulas_added_up_organization_by_organization(world, region, period):
    slow = _slow(world.region, period)

    summary = scope_rollups(scope_members(world.region), period)

    assert {pk: indicators(part) for pk, part in summary.groups.items()} == slow["parts"]
    assert indicators(rollup_aggregates(summary.groups.values())) == slow["total"]
    assert [(kpi.organization_id, reasons) for kpi, reasons in summary.lagging] == slow["lagging"]
    assert summary.lagging_total == len(slow["lagging"])
    assert set(summary.groups) == {world.municipality.pk, region["second"].pk, region["closed"].pk, world.region.pk}


def test_the_worked_figures_of_the_varied_region(world, region):
    total = indicators(rollup_aggregates(scope_rollups(scope_members(world.region), YEAR).groups.values()))

    assert total["organizations"] == 6  # A, B, C, D, E, F — not the inactive G
    assert total["k1"]["numerator"] == 3  # A, E and F (F lags only on an overdue appointment)
    assert total["k4"]["by_form"]["director_teacher"] == 1
    assert total["k4"]["by_kind"]["traditional"] == 5  # A 2 (one ended early in the period), C, E, F
    assert total["k7"]["mentors"]["mean"] == 4.5
    assert total["k8"]["loads"] == {"0": 4, "1": 2, "2": 7, "4": 1}  # A, B, and C, E, F with {"0": 1, "2": 2}
    assert [stage["position"] for stage in total["k11"]["stages"]] == [1, 2, 3]
    # K10: A submitted 2 and published 1; C published 1 (submitted the year before); D and E submitted 1
    # each (E's case was published after the period); G is inactive.
    assert total["k10"] == {
        "submitted": 4,
        "published": 2,
        "with_published": {"numerator": 2, "denominator": 6, "percent": 33.3},
    }


def test_a_breakdown_key_outside_the_choices_is_still_added_up(world, region):
    row = OrganizationYearKpi.objects.get(organization=region["a"], academic_year=2026)
    values = {**row.values, "k4_by_kind": {**row.values["k4_by_kind"], "legacy_kind": 2}, "k5_ended_early": {"": 1}}
    OrganizationYearKpi.objects.filter(pk=row.pk).update(values=values)
    refs = organizations_under(world.region)
    kpis = organization_kpis([ref.id for ref in refs], YEAR)  # reads the stored rows as they are

    summary = scope_rollups(scope_members(world.region), YEAR)

    municipality = indicators(summary.groups[world.municipality.pk])
    expected = indicators(rollup(kpis[ref.id] for ref in refs if ref.parent_id == world.municipality.pk))
    assert municipality == expected
    assert municipality["k4"]["by_kind"]["legacy_kind"] == 2
    assert municipality["k5"]["ended_early_by_reason"][""] == 1


def test_the_region_page_overview_equals_the_full_one_and_pages_the_lagging(world, region):
    full = scope_overview(world.region, YEAR)

    fast = scope_overview(world.region, YEAR, every_organization=False)
    assert fast["indicators"] == full["indicators"]
    assert fast["rows"] == full["rows"]
    assert [row["name"] for row in fast["rows"]] == [
        world.municipality.short_name,
        "Второй район",
        "Закрытый район",
        "Региональное подчинение",
    ]
    assert [(e["id"], e["lagging_reasons"]) for e in fast["lagging"]] == [
        (e["id"], e["lagging_reasons"]) for e in full["lagging"]
    ]
    assert fast["lagging_total"] == full["lagging_total"] == 4  # B, C, D, F
    assert [entry["id"] for entry in fast["regional"]] == [region["e"].pk]

    second_page = scope_overview(world.region, YEAR, every_organization=False, lagging_offset=1, lagging_limit=2)
    assert [entry["id"] for entry in second_page["lagging"]] == [entry["id"] for entry in full["lagging"][1:3]]
    assert second_page["lagging_total"] == 4
    assert second_page["lagging"][0]["indicators"] is None  # the page reads no organization's indicators


def test_the_region_page_overview_takes_a_fixed_number_of_queries(world, region):
    scope_overview(world.region, YEAR, every_organization=False, lagging_limit=50)
    # Every organization stored: no fact queries; the number does not depend on the region's size.
    OrganizationYearKpi.objects.filter(organization=region["c"]).update(formulas_version=FORMULAS_VERSION)
    store_year_kpis(region["d"].pk, AS_OF)
    with CaptureQueriesContext(connection) as captured:
        scope_overview(world.region, YEAR, every_organization=False, lagging_limit=50)
    # Active municipalities; the roll-ups with the page of lagging; the names of the organizations listed;
    # the name of the closed municipality whose school still works.
    assert len(captured) == 4


def test_the_api_pages_organizations_and_lagging_ones(world, region):
    everyone, total = scope_organizations(world.region, YEAR, offset=1, limit=2)
    refs = organizations_under(world.region)
    assert total == len(refs) == 6
    assert [entry["id"] for entry in everyone] == [ref.id for ref in refs[1:3]]
    assert everyone[0]["indicators"] is not None

    lagging_page, lagging_total = scope_organizations(world.region, YEAR, lagging_only=True, limit=2)
    full = scope_overview(world.region, YEAR)
    assert lagging_total == 4
    assert [entry["id"] for entry in lagging_page] == [entry["id"] for entry in full["lagging"][:2]]
    assert lagging_page[0]["indicators"] == full["lagging"][0]["indicators"]
