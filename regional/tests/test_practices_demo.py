"""The demo's best practices: a completed program in the gymnasium, a published case in Volzhsky, idempotent."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from fixtures import practices_demo
from fixtures.demo import seed_demo
from fixtures.mentoring import DEMO_MENTORING_ORGANIZATIONS, seed_mentoring
from institutional.dates import academic_year_of, organization_today
from institutional.models import FinalReport, MenteeEntry, Pair, Program
from regional.models import PracticeCase, PracticeReview
from regional.practices import source
from tenants.models import Organization


def test_the_demo_has_a_completed_program_and_a_published_case_and_a_second_run_changes_nothing(world):
    seed_demo(orgs=5, staff_per_org=40)  # the fifth demo organization is volzhsky-school-21
    organizations = {org.code: org for org in Organization.objects.filter(code__in=DEMO_MENTORING_ORGANIZATIONS)}
    for organization in organizations.values():
        seed_mentoring(organization)

    practices_demo.seed()

    gymnasium = organizations["kamyshin-gymnasium-1"]
    with tenant_context(gymnasium):
        pair = Pair.objects.get()
        assert pair.status == Pair.Status.COMPLETED
        assert pair.order.number == practices_demo.GYMNASIUM_PROGRAM.order_number
        # The previous academic year: this year's figures and annual report stay as they were.
        assert academic_year_of(pair.ended_on) == academic_year_of(organization_today(gymnasium)) - 1
        program = Program.objects.get(pair=pair)
        assert program.status == Program.Status.CONFIRMED
        assert not program.activities.filter(done_on__isnull=True).exists()
        assert source.is_completed(program)
        assert FinalReport.objects.filter(pair=pair).count() == 2
        # Everyone the browser test of pairs and programs uses is still waiting in the banks.
        assert MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).count() == 5
    assert not PracticeCase.objects.filter(organization=gymnasium).exists()

    case = PracticeCase.objects.get(organization=organizations["volzhsky-school-21"])
    assert case.status == PracticeCase.Status.PUBLISHED
    assert case.title == practices_demo.VOLZHSKY_PROGRAM.title
    assert [(r.stage, r.decision) for r in case.reviews.all()] == [("municipality", "approve"), ("region", "approve")]
    assert practices_demo.VOLZHSKY_PROGRAM.difficulties not in str(PracticeCase.objects.values().get(pk=case.pk))

    practices_demo.seed()

    assert PracticeCase.objects.count() == 1
    assert PracticeReview.objects.count() == 2
    with tenant_context(gymnasium):
        assert Pair.objects.count() == 1
