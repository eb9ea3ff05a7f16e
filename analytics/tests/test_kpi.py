"""KPI formulas on hand-built projections, at their edges (docs/kpi.md has the same worked examples)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from analytics.kpi import K1_REASONS, Period, Ratio, lagging, organization_kpis, rollup
from analytics.models import (
    OrganizationFacts,
    PairFact,
    ParticipationFact,
    RoadmapStageFact,
    SatisfactionFact,
    StaffFact,
)
from regional.models import PracticeCase
from tenants.models import Level, Organization

YEAR = Period.academic_year(2026)  # 01.09.2026 – 31.08.2027
D = date


def facts(org, **extra):
    values = {
        "as_of": D(2026, 11, 20),
        "regulation_approved_on": D(2025, 8, 30),
        "curator_since": D(2025, 9, 1),
        "roadmap_years": [2026],
        "mentor_loads": {"0": 1, "2": 2},
    }
    values.update(extra)
    return OrganizationFacts.objects.create(organization=org, **values)


LONG_AGO = D(2020, 9, 1)


def staff(org, staff_id, hired=LONG_AGO, dismissed=None, young=False):
    return StaffFact.objects.create(
        organization=org, staff_id=staff_id, hired_on=hired, dismissed_on=dismissed, is_young_specialist=young
    )


def pair(org, pair_id, starts, ends, *, ended=None, status="active", reason="", form="teacher_teacher", **extra):
    values = {
        "kinds": ["traditional"],
        "approved_on": starts,
        "mentee_count": 1,
        "program_status": "confirmed",
    }
    values.update(extra)
    return PairFact.objects.create(
        organization=org,
        pair_id=pair_id,
        form=form,
        status=status,
        starts_on=starts,
        ends_on=ends,
        ended_on=ended,
        end_reason=reason,
        **values,
    )


def took_part(org, pair_id, staff_id, role, start, end):
    return ParticipationFact.objects.create(
        organization=org, pair_id=pair_id, staff_id=staff_id, role=role, from_date=start, to_date=end
    )


@pytest.fixture
def orgs(world):
    return world.school_a, world.school_b


def test_k1_needs_all_four_conditions_and_names_what_is_missing(orgs):
    a, b = orgs
    facts(a)
    facts(b, curator_since=None, roadmap_years=[2025])
    # A pair that spans two academic years counts in both.
    pair(a, 1, D(2026, 3, 1), D(2027, 2, 28))
    kpis = organization_kpis([a.pk, b.pk], YEAR)
    assert kpis[a.pk].k1_implements
    assert kpis[b.pk].k1_missing == [K1_REASONS["roadmap"], K1_REASONS["curator"], K1_REASONS["pairs"]]
    previous = organization_kpis([a.pk], Period.academic_year(2025))[a.pk]
    assert previous.k1_missing == [K1_REASONS["roadmap"]]  # the pair counts in 2025/26 too
    assert rollup(kpis.values()).k1_implementing == Ratio(1, 2)
    assert lagging(kpis) == {b.pk: kpis[b.pk].k1_missing}


def test_k1_an_organization_never_projected_lags_on_everything(orgs):
    a, _b = orgs
    kpi = organization_kpis([a.pk], YEAR)[a.pk]
    assert kpi.k1_missing == list(K1_REASONS.values())


def test_k2_and_k3_count_distinct_people_employed_in_the_period(orgs):
    a, _b = orgs
    facts(a)
    staff(a, 1)  # mentor of two pairs: counted once
    staff(a, 2, young=True)  # mentee
    staff(a, 3, young=True)  # young, no mentor
    staff(a, 4, dismissed=D(2026, 6, 30))  # left before the period: not in the denominator
    staff(a, 5, dismissed=D(2026, 10, 15))  # dismissed mentor, mentored in the period: counted
    staff(a, 6, hired=D(2027, 9, 1))  # hired after the period
    pair(a, 10, D(2026, 9, 10), D(2027, 5, 31), mentee_count=1)
    took_part(a, 10, 1, "mentor", D(2026, 9, 10), D(2027, 5, 31))
    took_part(a, 10, 2, "mentee", D(2026, 9, 10), D(2027, 5, 31))
    pair(a, 11, D(2026, 9, 1), D(2026, 10, 14))
    took_part(a, 11, 1, "mentor", D(2026, 9, 1), D(2026, 10, 14))
    took_part(a, 11, 5, "mentor", D(2026, 9, 1), D(2026, 10, 14))
    kpi = organization_kpis([a.pk], YEAR)[a.pk]
    assert kpi.k2_engaged == Ratio(3, 4)  # people 1, 2, 5 of 1, 2, 3, 5
    assert kpi.k2_engaged.percent == Decimal("75.0")
    assert kpi.k3_young_with_mentor == Ratio(1, 2)


def test_k4_k5_group_of_three_ended_early_completed_and_extended(orgs):
    a, _b = orgs
    facts(a)
    pair(a, 1, D(2026, 9, 1), D(2027, 5, 31), form="teacher_teacher", kinds=["group", "traditional"], mentee_count=3)
    pair(a, 2, D(2026, 9, 1), D(2027, 5, 31), ended=D(2026, 12, 1), status="ended_early", reason="mutual")
    pair(a, 3, D(2026, 1, 10), D(2026, 9, 30), ended=D(2026, 9, 30), status="completed", reason="plan_completed")
    pair(a, 4, D(2026, 10, 1), D(2027, 6, 1), is_network=True, program_status="", program_extended=True)
    pair(a, 5, D(2025, 9, 1), D(2026, 5, 31), ended=D(2026, 5, 31), status="completed", reason="plan_completed")
    kpi = organization_kpis([a.pk], YEAR)[a.pk]
    assert kpi.k4_by_form == {"teacher_teacher": 4}
    assert kpi.k4_by_kind == {"traditional": 4, "group": 1}
    assert (kpi.k4_network, kpi.k4_local) == (1, 3)
    assert kpi.k5_active == 3  # pair 4 has no program yet
    assert kpi.k5_completed == 1  # pair 5 ended before the period
    assert kpi.k5_ended_early == {"mutual": 1}
    assert kpi.k5_extended == 1


def test_k6_k8_come_from_the_facts_row_and_add_up(orgs):
    a, b = orgs
    facts(a, overdue_programs=2, overdue_reports=1, mentors_over_cap=0)
    facts(b, overdue_programs=1, overdue_appointments=3, mentor_loads={"3": 1, "4": 1}, mentors_over_cap=1)
    kpis = organization_kpis([a.pk, b.pk], YEAR)
    total = rollup(kpis.values())
    assert total.k6_overdue == {"program": 3, "report": 1, "appointment": 3, "roadmap": 0}
    assert total.k8_loads == {0: 1, 2: 2, 3: 1, 4: 1}
    assert total.k8_over_cap == 1
    assert "наставники сверх предельной нагрузки: 1" in lagging(kpis)[b.pk]


def test_k7_mean_satisfaction_by_role_of_pairs_ended_in_the_period(orgs):
    a, b = orgs
    for org, pair_id, role, score, ended in (
        (a, 1, "mentor", "4.50", D(2027, 5, 31)),
        (a, 1, "mentee", "5.00", D(2027, 5, 31)),
        (a, 2, "mentee", "3.00", D(2027, 5, 31)),
        (b, 3, "mentee", "4.00", D(2026, 12, 1)),
        (b, 4, "mentee", "1.00", D(2026, 8, 31)),  # ended the day before the period
    ):
        SatisfactionFact.objects.create(
            organization=org, pair_id=pair_id, role=role, score=Decimal(score), pair_ended_on=ended
        )
    kpis = organization_kpis([a.pk, b.pk], YEAR)
    assert kpis[a.pk].k7_mentees.value == Decimal("4.00")
    total = rollup(kpis.values())
    assert (total.k7_mentors.value, total.k7_mentees.value) == (Decimal("4.50"), Decimal("4.00"))


def test_k11_stages_and_k9(orgs):
    a, b = orgs
    facts(a)
    facts(b, regulation_approved_on=None)
    for org, position, activities, done, overdue in ((a, 1, 4, 4, 0), (a, 2, 5, 1, 2), (b, 1, 3, 1, 1)):
        RoadmapStageFact.objects.create(
            organization=org,
            academic_year=2026,
            position=position,
            title=f"Этап {position}",
            activities=activities,
            done=done,
            overdue=overdue,
        )
    total = rollup(organization_kpis([a.pk, b.pk], YEAR).values())
    assert total.k11_stages == {1: [7, 5, 1], 2: [5, 1, 2]}
    assert total.k9_published == Ratio(1, 2)


def test_k12_former_mentees_still_employed_a_year_later(orgs):
    a, _b = orgs
    facts(a)
    staff(a, 1)  # stayed
    staff(a, 2, dismissed=D(2026, 3, 1))  # left within the year
    staff(a, 3, dismissed=D(2027, 3, 1))  # left after the year had passed: retained
    staff(a, 4)  # ended too early to count in this period
    for staff_id, ended in ((1, D(2025, 10, 1)), (2, D(2025, 10, 1)), (3, D(2025, 12, 20)), (4, D(2025, 8, 1))):
        pair(a, staff_id, D(2025, 1, 10), ended, ended=ended, status="completed", reason="plan_completed")
        took_part(a, staff_id, staff_id, "mentee", D(2025, 1, 10), ended)
    kpi = organization_kpis([a.pk], YEAR)[a.pk]
    assert kpi.k12_retained == Ratio(2, 3)


def test_kpis_take_a_fixed_number_of_queries(orgs, django_assert_max_num_queries):
    a, b = orgs
    facts(a)
    facts(b)
    from analytics.kpi import compute_organization_kpis

    with django_assert_max_num_queries(9):
        compute_organization_kpis([a.pk, b.pk], YEAR)
    with django_assert_max_num_queries(11):  # looks for stored rows of the year first; K10 from the bank
        organization_kpis([a.pk, b.pk], YEAR)


def test_an_academic_year_is_read_from_the_rows_stored_with_the_projection(world, in_school_a):
    from django.db import connection

    from analytics.kpi import FORMULAS_VERSION, compute_organization_kpis
    from analytics.models import OrganizationYearKpi
    from analytics.projection import refresh_organization, verify_organization
    from institutional.dates import organization_today
    from institutional.tests.programs_factories import approved_pair

    approved_pair(starts_days_ago=30)
    connection.set_schema_to_public()
    a = world.school_a
    refresh_organization(a)
    today = organization_today(a)
    year = Period.academic_year(today.year if today.month >= 9 else today.year - 1)

    stored = OrganizationYearKpi.objects.get(organization=a, academic_year=year.start.year)
    assert stored.formulas_version == FORMULAS_VERSION
    fast = organization_kpis([a.pk], year)[a.pk]
    assert fast == compute_organization_kpis([a.pk], year)[a.pk]
    assert fast.k4_local == 1
    assert verify_organization(a) == []

    # A row of older formulas is never read: the facts are used instead, and verification flags it.
    OrganizationYearKpi.objects.filter(pk=stored.pk).update(
        formulas_version=0, values={**stored.values, "k4_local": 99}
    )
    assert organization_kpis([a.pk], year)[a.pk].k4_local == 1
    assert any("устарели" in line for line in verify_organization(a))


def test_only_an_exact_academic_year_is_read_from_stored_rows():
    assert Period.academic_year(2026).as_academic_year() == 2026
    assert Period(D(2026, 9, 1), D(2026, 12, 31)).as_academic_year() is None
    assert Period(D(2026, 1, 1), D(2026, 8, 31)).as_academic_year() is None


def case(org, program_id, *, status, submitted=None, published=None):
    """A case of best practice as the practices' services leave it (written directly: the ORM is enough here)."""
    municipality = org.parent if org.parent.level == Level.MUNICIPALITY else None
    return PracticeCase.objects.create(
        organization=org,
        municipality=municipality,
        region=org.region,
        pair_id=program_id,
        program_id=program_id,
        title=f"Кейс {program_id}",
        problem="Адаптация молодого педагога",
        goal="Уверенное ведение уроков",
        form="teacher_teacher",
        kinds=["traditional"],
        activities="Посещение уроков, разбор",
        results="Программа выполнена",
        status=status,
        submitted_at=submitted,
        published_at=published,
    )


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_k10_cases_submitted_and_published_in_the_period_by_the_organizations_own_day(orgs):
    a, b = orgs  # school A keeps the region's time (Volgograd, UTC+3); school B is moved to UTC+5
    Organization.objects.filter(pk=b.pk).update(time_zone="Asia/Yekaterinburg")
    S = PracticeCase.Status
    case(a, 1, status=S.PUBLISHED, submitted=utc(2026, 10, 15, 9), published=utc(2026, 12, 20, 9))
    # Submitted at 23:30 on 31.08.2026 in Volgograd: the previous year; published in this one.
    case(a, 2, status=S.PUBLISHED, submitted=utc(2026, 8, 31, 20, 30), published=utc(2026, 9, 10, 9))
    case(a, 3, status=S.RETURNED, submitted=utc(2027, 3, 1, 9))
    case(a, 4, status=S.DRAFT)
    case(a, 5, status=S.REJECTED, submitted=utc(2027, 6, 1, 9))
    # The same moment is already 01:30 on 01.09.2026 in Yekaterinburg: this year for school B.
    case(b, 6, status=S.REGIONAL_REVIEW, submitted=utc(2026, 8, 31, 20, 30))
    case(b, 7, status=S.PUBLISHED, submitted=utc(2027, 5, 1, 9), published=utc(2027, 9, 1, 9))  # published later

    kpis = organization_kpis([a.pk, b.pk], YEAR)

    assert (kpis[a.pk].k10_submitted, kpis[a.pk].k10_published) == (3, 2)  # submitted 1, 3, 5; published 1, 2
    assert (kpis[b.pk].k10_submitted, kpis[b.pk].k10_published) == (2, 0)  # submitted 6, 7
    total = rollup(kpis.values())
    assert (total.k10_submitted, total.k10_published) == (5, 2)
    assert total.k10_with_published == Ratio(1, 2)  # only school A has a case published in the period
    assert total.k10_with_published.percent == Decimal("50.0")
    previous = organization_kpis([a.pk, b.pk], Period.academic_year(2025))
    assert (previous[a.pk].k10_submitted, previous[a.pk].k10_published) == (1, 0)  # case 2, submitted 31.08.2026
    assert previous[b.pk].k10_submitted == 0


def test_k10_is_counted_for_a_stored_year_and_for_any_range_alike(orgs):
    from analytics.projection import store_year_kpis

    a, _b = orgs
    facts(a)
    store_year_kpis(a.pk, D(2026, 11, 20))  # the stored row of 2026/27 is read, K10 is added to it
    case(a, 1, status=PracticeCase.Status.PUBLISHED, submitted=utc(2026, 10, 1, 9), published=utc(2026, 11, 2, 9))

    assert organization_kpis([a.pk], YEAR)[a.pk].k10_published == 1
    october = organization_kpis([a.pk], Period(D(2026, 10, 1), D(2026, 10, 31)))[a.pk]
    assert (october.k10_submitted, october.k10_published) == (1, 0)
