"""The read model: what an organization publishes, idempotent refresh, verification, the commit hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from analytics.models import OrganizationFacts, PairFact, ParticipationFact, StaffFact
from analytics.projection import compute_facts, refresh_organization, store_facts, verify_organization
from institutional.dates import organization_today
from institutional.models import EndReason, Pair, Staff
from institutional.services.pairs import Replacement, pair_end, pair_replace_mentor
from institutional.tests.pair_factories import make_mentor
from institutional.tests.programs_factories import approved_pair

# Only these columns exist in the public projection: counts, dates, codes and opaque ids.
ALLOWED_COLUMNS = {
    "OrganizationFacts": {
        "organization",
        "as_of",
        "computed_at",
        "regulation_approved_on",
        "curator_since",
        "roadmap_years",
        "staff_employed",
        "mentors_in_bank",
        "mentees_waiting",
        "overdue_appointments",
        "overdue_programs",
        "overdue_reports",
        "overdue_roadmap_activities",
        "mentor_loads",
        "mentors_over_cap",
        "mentor_cap",
    },
    "StaffFact": {"id", "organization", "staff_id", "hired_on", "dismissed_on", "is_young_specialist"},
    "PairFact": {
        "id",
        "organization",
        "pair_id",
        "form",
        "kinds",
        "is_network",
        "status",
        "approved_on",
        "starts_on",
        "ends_on",
        "ended_on",
        "end_reason",
        "mentee_count",
        "program_status",
        "program_extended",
    },
    "ParticipationFact": {"id", "organization", "pair_id", "staff_id", "role", "from_date", "to_date"},
    "SatisfactionFact": {"id", "organization", "pair_id", "role", "score", "pair_ended_on"},
    "RoadmapStageFact": {"id", "organization", "academic_year", "position", "title", "activities", "done", "overdue"},
}


@pytest.fixture
def history(world, in_school_a):
    """A pair whose mentor was replaced, a group of three, and a pair that ended early."""
    today = organization_today()
    replaced = approved_pair(mentor_user=world.teacher_a, starts_days_ago=100)
    first_mentor = replaced.mentor
    pair_replace_mentor(
        actor=None,
        pair=replaced,
        replacement=Replacement(
            new_mentor=make_mentor(last_name="Преемникова"),
            reason="request",
            order_number="77-к",
            order_date=today - timedelta(days=20),
        ),
    )
    group = approved_pair(mentee_users=[None, None, None], starts_days_ago=60, status=Pair.Status.ACTIVE)
    ended = approved_pair(starts_days_ago=90, status=Pair.Status.ACTIVE)
    pair_end(actor=None, pair=ended, reason=EndReason.MUTUAL, ended_on=today - timedelta(days=5), note="Переезд")
    replaced.refresh_from_db()
    return {"replaced": replaced, "first_mentor": first_mentor, "group": group, "ended": ended, "today": today}


def test_projection_holds_counts_and_opaque_ids_only():
    from analytics import models

    for name, allowed in ALLOWED_COLUMNS.items():
        model = getattr(models, name)
        assert {f.name for f in model._meta.concrete_fields} == allowed, name


def test_refresh_publishes_pairs_participations_and_staff(world, history):
    refresh_organization(world.school_a)
    school = world.school_a.pk
    connection.set_tenant(world.school_a)
    assert StaffFact.objects.filter(organization_id=school).count() == Staff.objects.count()
    pairs = {row.pair_id: row for row in PairFact.objects.filter(organization_id=school)}
    assert set(pairs) == {history["replaced"].pk, history["group"].pk, history["ended"].pk}
    assert pairs[history["group"].pk].mentee_count == 3
    ended = pairs[history["ended"].pk]
    assert (ended.status, ended.end_reason, ended.ended_on) == (
        Pair.Status.ENDED_EARLY,
        EndReason.MUTUAL,
        history["today"] - timedelta(days=5),
    )

    mentors = ParticipationFact.objects.filter(
        organization_id=school, pair_id=history["replaced"].pk, role="mentor"
    ).order_by("from_date")
    replaced_on = history["today"] - timedelta(days=20)
    assert [(m.staff_id, m.from_date, m.to_date) for m in mentors] == [
        (history["first_mentor"].staff_id, history["replaced"].starts_on, replaced_on - timedelta(days=1)),
        (history["replaced"].mentor.staff_id, replaced_on, history["replaced"].ends_on),
    ]
    mentees = ParticipationFact.objects.filter(organization_id=school, pair_id=history["ended"].pk, role="mentee")
    assert [m.to_date for m in mentees] == [history["today"] - timedelta(days=5)]

    facts = OrganizationFacts.objects.get(organization_id=school)
    assert facts.mentors_over_cap == 0 and facts.mentor_cap == 3
    assert sum(facts.mentor_loads.values()) == facts.mentors_in_bank


def test_refresh_is_idempotent_and_verification_finds_nothing(world, history):
    refresh_organization(world.school_a)
    counts = [model.objects.count() for model in (OrganizationFacts, StaffFact, PairFact, ParticipationFact)]
    refresh_organization(world.school_a)
    assert [model.objects.count() for model in (OrganizationFacts, StaffFact, PairFact, ParticipationFact)] == counts
    assert verify_organization(world.school_a) == []
    call_command("verify_projections", "--org", world.school_a.code)


def test_verification_reports_a_stale_projection_and_fix_repairs_it(world, history, capsys):
    refresh_organization(world.school_a)
    connection.set_tenant(world.school_a)
    Pair.objects.filter(pk=history["group"].pk).update(ends_on=history["group"].ends_on + timedelta(days=30))
    connection.set_schema_to_public()
    differences = verify_organization(world.school_a)
    assert differences and any("pairs" in line for line in differences)
    with pytest.raises(CommandError, match="Расхождения в 1 из"):
        call_command("verify_projections", "--org", world.school_a.code)
    call_command("verify_projections", "--org", world.school_a.code, "--fix")
    assert verify_organization(world.school_a) == []


def test_unknown_organization_code_is_named(world):
    with pytest.raises(CommandError, match="нет-такой"):
        call_command("verify_projections", "--org", "нет-такой")


def test_store_replaces_rows_of_that_organization_only(world, history):
    refresh_organization(world.school_a)
    refresh_organization(world.school_b)
    before_b = PairFact.objects.filter(organization_id=world.school_b.pk).count()
    connection.set_tenant(world.school_a)
    facts = compute_facts()
    facts.rows["pairs"] = facts.rows["pairs"][:1]
    store_facts(world.school_a.pk, facts)
    assert PairFact.objects.filter(organization_id=world.school_a.pk).count() == 1
    assert PairFact.objects.filter(organization_id=world.school_b.pk).count() == before_b


def test_a_write_schedules_one_refresh_after_commit_and_none_on_rollback(
    world, in_school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        approved_pair()
        approved_pair()
    refreshes = [c for c in callbacks if getattr(c, "projection_schema", None)]
    assert [c.projection_schema for c in refreshes] == [world.school_a.schema_name]

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        approved_pair()
        raise RuntimeError("откат")
    assert not [c for c in callbacks if getattr(c, "projection_schema", None)]


def test_a_backlog_of_refresh_requests_coalesces(world, history):
    import time

    from analytics.projection import refresh_current_organization

    asked = time.time()
    connection.set_tenant(world.school_a)
    assert refresh_current_organization(world.school_a.pk, requested_at=asked) is True  # nothing stored yet
    computed = OrganizationFacts.objects.get(organization_id=world.school_a.pk).computed_at
    assert (
        refresh_current_organization(world.school_a.pk, requested_at=asked) is False
    )  # began after the request: skipped
    assert OrganizationFacts.objects.get(organization_id=world.school_a.pk).computed_at == computed
    assert refresh_current_organization(world.school_a.pk, requested_at=time.time() + 1) is True  # a newer write


def test_bulk_work_refreshes_each_organization_once_at_the_end(world, in_school_a, django_capture_on_commit_callbacks):
    from analytics.projection import refreshes_deferred

    with django_capture_on_commit_callbacks() as callbacks, refreshes_deferred():
        with transaction.atomic():
            approved_pair()
        with transaction.atomic():
            approved_pair()
        connection.set_tenant(world.school_a)
    assert not [c for c in callbacks if getattr(c, "projection_schema", None)]
    connection.set_schema_to_public()
    assert PairFact.objects.filter(organization_id=world.school_a.pk).count() == 2
    assert verify_organization(world.school_a) == []


def test_a_withdrawn_consent_takes_the_mentor_out_of_the_bank_counts_but_keeps_the_days_they_led(world, history):
    from analytics.kpi import Period, organization_kpis
    from institutional.models import Consent, ConsentKind
    from institutional.services.consents import consent_withdraw

    refresh_organization(world.school_a)
    before = OrganizationFacts.objects.get(organization=world.school_a)
    mentor = history["replaced"].mentor  # the successor, with signed consents
    consent = Consent.objects.get(staff=mentor.staff, kind=ConsentKind.PERSONAL_DATA, status=Consent.Status.SIGNED)
    consent_withdraw(actor=None, consent=consent, withdrawn_on=history["today"])
    refresh_organization(world.school_a)

    after = OrganizationFacts.objects.get(organization=world.school_a)
    assert after.mentors_in_bank == before.mentors_in_bank - 1
    assert sum(after.mentor_loads.values()) == sum(before.mentor_loads.values()) - 1
    # The days the mentor led the group stay in the participation facts, so K2 still counts them.
    assert ParticipationFact.objects.filter(
        organization=world.school_a, staff_id=mentor.staff_id, role="mentor"
    ).exists()
    year = Period.academic_year(history["today"].year if history["today"].month >= 9 else history["today"].year - 1)
    kpi = organization_kpis([world.school_a.pk], year)[world.school_a.pk]
    assert kpi.k2_engaged.numerator >= 1
    assert verify_organization(world.school_a) == []
