"""Daily snapshots: one point per organization, municipality and region; a day taken twice keeps one row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from analytics.models import KpiSnapshot
from analytics.snapshots import academic_year_of, mean, percent, take_snapshots, trend
from analytics.tests.test_kpi import facts, pair, staff, took_part

D = date


def test_a_snapshot_holds_each_level_and_rolls_up_numerators_and_denominators(world):
    a, b = world.school_a, world.school_b
    facts(a)
    facts(b, curator_since=None)
    for staff_id in (1, 2, 3, 4):
        staff(a, staff_id)
    staff(b, 1)
    pair(a, 1, D(2026, 9, 10), D(2027, 5, 31))
    took_part(a, 1, 1, "mentor", D(2026, 9, 10), D(2027, 5, 31))
    took_part(a, 1, 2, "mentee", D(2026, 9, 10), D(2027, 5, 31))

    created = take_snapshots(world.region, on=D(2026, 11, 21))

    assert created == 4  # two schools, their municipality, the region
    school = KpiSnapshot.objects.get(organization=a, taken_on=D(2026, 11, 21))
    assert school.academic_year == 2026
    assert school.values["k1"] == [1, 1]
    assert school.values["k2"] == [2, 4]
    municipality = KpiSnapshot.objects.get(organization=world.municipality).values
    region = KpiSnapshot.objects.get(organization=world.region).values
    assert municipality["k1"] == region["k1"] == [1, 2]  # school B has no curator
    assert region["k2"] == [2, 5]
    assert percent(region["k2"]) == 40.0
    assert region["k4"] == 1
    assert mean(region["k7_mentors"]) is None


def test_taking_a_day_twice_keeps_one_row_with_the_latest_values(world):
    facts(world.school_a)
    take_snapshots(world.region, on=D(2026, 11, 21))
    staff(world.school_a, 1)
    take_snapshots(world.region, on=D(2026, 11, 21))

    rows = KpiSnapshot.objects.filter(organization=world.region, taken_on=D(2026, 11, 21))
    assert rows.count() == 1
    assert rows.get().values["k2"] == [0, 1]


def test_a_backfilled_day_leaves_out_what_was_dated_later(world):
    a = world.school_a
    facts(a)
    staff(a, 1, hired=D(2026, 11, 1))
    pair(a, 1, D(2026, 10, 15), D(2027, 5, 31))

    take_snapshots(world.region, on=D(2026, 10, 1), as_recorded=True)
    take_snapshots(world.region, on=D(2026, 11, 21))

    points = trend(a.pk)
    assert [point.taken_on for point in points] == [D(2026, 10, 1), D(2026, 11, 21)]
    assert points[0].values["k4"] == 0 and points[0].values["k2"] == [0, 0]
    assert points[1].values["k4"] == 1 and points[1].values["k2"] == [0, 1]


def test_the_command_backfills_and_takes_today(world):
    facts(world.school_a)
    out = io.StringIO()
    call_command("take_snapshots", "--region", world.region.code, "--backfill-days", "2", stdout=out)

    days = sorted(set(KpiSnapshot.objects.filter(organization=world.region).values_list("taken_on", flat=True)))
    assert len(days) == 3
    assert "снимок на" in out.getvalue()


def test_the_command_names_an_unknown_region(world):
    with pytest.raises(CommandError, match="не найден"):
        call_command("take_snapshots", "--region", "no-such-region")


def test_academic_year_turns_on_the_first_of_september():
    assert academic_year_of(D(2026, 8, 31)) == 2025
    assert academic_year_of(D(2026, 9, 1)) == 2026
