"""The read model against random histories in two organizations, written through the services.

After every step, in each organization the step touched: a refresh, then `verify_organization` finds
nothing and the stored projection equals a recomputation from the raw tables; a step a service
refused (or found nothing to do) leaves the projection as it was; the other organization's projection
and raw data are untouched. Some steps are followed by a refresh that dies midway through storing
(as a worker killed between two tables): nothing of it may remain, and the retry gives the
recomputation.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import institutional.dates
from analytics.models import OrganizationFacts
from analytics.projection import ROW_TABLES, compute_facts, refresh_organization, stored_facts, verify_organization
from analytics.tests.histories import (
    ACTIVATE_DUE,
    ADVANCE,
    CHANGED,
    COMPLETE,
    DISMISS,
    END_EARLY,
    GLOBAL_STEPS,
    HIRE,
    PAIR,
    REPLACE,
    STEP_CODES,
    WITHDRAW,
    Clock,
    History,
    Step,
)

# Where a refresh can die: after the summary row (or before it), before or after writing a row table.
KILL_POINTS = ("summary", *ROW_TABLES)

STEPS = st.builds(
    Step,
    code=st.sampled_from(STEP_CODES),
    organization=st.integers(0, 1),
    picks=st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
)
# Most steps are followed by a plain refresh; some by a killed one first.
KILLS = st.one_of(st.none(), st.none(), st.tuples(st.sampled_from(KILL_POINTS), st.booleans()))


class RefreshKilled(Exception):
    """The refresh task dies here (stands for the worker killed in the middle of storing)."""


@contextmanager
def refresh_dies(point: str, *, after_writing: bool, on_death=None):
    """`store_facts` dies at `point`, before or after writing it; `on_death()` sees the half-written state."""
    if point == "summary":
        # The summary row is written by update_or_create; the lock taken just after it is the next call.
        manager = OrganizationFacts.objects
        name = "select_for_update" if after_writing else "update_or_create"
    else:
        manager, name = ROW_TABLES[point][0].objects, "bulk_create"
    real = getattr(manager, name)

    def dying(*args, **kwargs):
        if after_writing:
            real(*args, **kwargs)
        if on_death is not None:
            on_death()
        raise RefreshKilled(point)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manager, name, dying)
        yield


@contextmanager
def rolled_back():
    """One hypothesis example: everything it wrote is undone, so every example starts from the seed."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored(organization) -> dict:
    facts = stored_facts(organization.pk)
    assert facts is not None, organization.code
    return facts.comparable()


def recomputed(organization) -> dict:
    with schema_context(organization.schema_name):
        return compute_facts().comparable()


def check_step(history: History, step: Step, kill) -> None:
    organizations = history.organizations
    acting = organizations[step.organization]
    before = {organization.pk: stored(organization) for organization in organizations}

    outcome = history.apply(step)
    event(f"{step.code}: {outcome}")  # shown by --hypothesis-show-statistics

    touched = organizations if step.code in GLOBAL_STEPS else [acting]
    if kill is not None:
        point, after_writing = kill
        with refresh_dies(point, after_writing=after_writing), pytest.raises(RefreshKilled):
            refresh_organization(acting)
        assert stored(acting) == before[acting.pk], f"{step}: a killed refresh left rows behind at {kill}"
    for organization in touched:
        refresh_organization(organization)
        assert verify_organization(organization) == [], step
        assert stored(organization) == recomputed(organization), step
    if outcome != CHANGED:
        assert stored(acting) == before[acting.pk], f"{step} was {outcome} but the projection changed"
    for organization in organizations:
        if organization not in touched:
            assert stored(organization) == before[organization.pk], f"{step} changed {organization.code}"
            assert recomputed(organization) == before[organization.pk], f"{step} changed {organization.code}"


@pytest.fixture
def history(world):
    """Two schools seeded through the services, their projections stored, the clock under the test's hand."""
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(institutional.dates, "timezone", clock)
        seeded = History([world.school_a, world.school_b], clock)
        seeded.seed()
        for organization in seeded.organizations:
            refresh_organization(organization)
        yield seeded


@pytest.fixture
def history_with_pairs(history):
    history.seed_pairs()
    for organization in history.organizations:
        refresh_organization(organization)
    return history


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(STEPS, KILLS), min_size=4, max_size=12))
def test_projection_equals_recomputation_after_every_step_of_a_random_history(history_with_pairs, steps):
    history = history_with_pairs
    history.clock.days = 0
    with rolled_back():
        for step, kill in steps:
            check_step(history, step, kill)


# A fixed history that reaches every kind of row: active, completed and early-ended pairs, a group, a replacement,
# a dismissal, a withdrawn consent, time passing.
FIXED_HISTORY = (
    Step(PAIR, 0, (0, 0, 10)),  # mentor 1 and mentee 1, started 80 days ago: active
    Step(PAIR, 0, (1, 7, 95)),  # mentor 2 and a group of mentees 3 and 4, starting in 5 days: approved
    Step(PAIR, 0, (2, 9, 40)),  # mentor 3 and mentee 2, started 50 days ago: active
    Step(REPLACE, 0, (0, 2, 1)),  # the first pair goes to mentor 3
    Step(ADVANCE, 0, (20, 0, 0)),
    Step(ACTIVATE_DUE, 0, (0, 0, 0)),  # the group starts
    Step(COMPLETE, 0, (0, 0, 0)),
    Step(END_EARLY, 0, (2, 1, 3)),
    Step(HIRE, 0, (0, 5, 0)),
    Step(DISMISS, 0, (4, 0, 0)),  # a mentee of the group
    Step(WITHDRAW, 0, (3, 0, 0)),  # mentor 2 withdraws the consent to mentoring duties
    Step(PAIR, 1, (0, 2, 60)),  # the other school: a group of three
)


def test_refreshing_twice_leaves_the_same_rows_without_duplicates(history):
    school, other = history.organizations
    for step in FIXED_HISTORY:
        assert history.apply(step) == CHANGED, step
    refresh_organization(school)
    refresh_organization(other)
    first = stored(school)
    counts = {name: model.objects.filter(organization_id=school.pk).count() for name, (model, _f) in ROW_TABLES.items()}
    other_rows = {
        name: model.objects.filter(organization_id=other.pk).count() for name, (model, _f) in ROW_TABLES.items()
    }

    refresh_organization(school)

    assert stored(school) == first == recomputed(school)
    assert OrganizationFacts.objects.filter(organization_id=school.pk).count() == 1
    for name, (model, _fields) in ROW_TABLES.items():
        assert model.objects.filter(organization_id=school.pk).count() == counts[name] == len(first[name]), name
        assert len(set(first[name])) == len(first[name]), f"{name}: duplicate rows"
        assert model.objects.filter(organization_id=other.pk).count() == other_rows[name], name
    statuses = {row[4] for row in first["pairs"]}
    assert statuses >= {"active", "completed", "ended_early"}, statuses
    assert len(first["participations"]) > len(first["pairs"])  # the group and the replaced mentor


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_refresh_killed_midway_leaves_the_previous_projection_and_the_retry_repairs_it(history, point):
    school = history.organizations[0]
    before = stored(school)
    assert history.apply(Step(HIRE, 0, (0, 0, 0))) == CHANGED
    half_written = []

    with (
        refresh_dies(point, after_writing=True, on_death=lambda: half_written.append(stored(school))),
        pytest.raises(RefreshKilled),
    ):
        refresh_organization(school)

    # The refresh had really written part of the new projection when it died…
    assert half_written[0]["summary"]["staff_employed"] == before["summary"]["staff_employed"] + 1
    # …and none of it is left.
    assert stored(school) == before
    refresh_organization(school)
    assert stored(school) == recomputed(school)
    assert stored(school)["summary"]["staff_employed"] == before["summary"]["staff_employed"] + 1
    assert verify_organization(school) == []
