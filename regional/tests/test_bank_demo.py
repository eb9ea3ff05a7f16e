"""The demo region's unified mentor bank: after seeding, mentors of both demo schools are listed."""

from __future__ import annotations

from django.db import connection

from analytics.projection import refresh_organization
from fixtures.demo import seed_demo
from fixtures.mentoring import DEMO_MENTORING_ORGANIZATIONS, MENTOR_BANK, MUNICIPAL_ONLY, seed_mentoring
from regional.bank_search import bank_search
from regional.models import BankMentor
from tenants.models import Organization


def test_after_seeding_the_region_bank_lists_mentors_of_both_demo_schools(world):
    seed_demo(staff_per_org=24)
    schools = list(Organization.objects.filter(code__in=DEMO_MENTORING_ORGANIZATIONS).order_by("code"))
    assert len(schools) == 2
    for school in schools:
        seed_mentoring(school)
        connection.set_schema_to_public()
        refresh_organization(school)

    published = [profile for profile in MENTOR_BANK if profile.publication]
    for school in schools:
        rows = BankMentor.objects.filter(organization=school)
        assert rows.count() == len(published)
        assert all(row.full_name and row.competencies for row in rows)
        assert rows.filter(visibility=BankMentor.Visibility.MUNICIPALITY).count() == len(MUNICIPAL_ONLY)

    gymnasium = next(school for school in schools if school.code == "kamyshin-gymnasium-1")
    other = Organization.objects.select_related("parent").get(code="kamyshin-school-5")
    seen = {mentor.organization_id for mentor in bank_search(viewer=other)}
    assert seen == {school.pk for school in schools}
    # The municipality-only mentor of the other municipality's school is not seen from Kamyshin.
    assert len(bank_search(viewer=other)) == 2 * len(published) - len(MUNICIPAL_ONLY)
    assert gymnasium.parent_id == other.parent_id
