"""The region's indicators (K1–K12): each an exact formula over the public schema (never a tenant schema).

Every function here reads only public tables — the `analytics` projections, and for K10 the regional
bank of practices (`regional.PracticeCase`) — and aggregates in SQL, one query per table, so a region
of 2,500 organizations costs the same handful of queries as one. `organization_kpis()` gives the
inputs per organization; `rollup()` adds them up for a municipality or the region; `scope_rollups()`
does the same additions in SQL, per municipality, for the regional dashboard. The formulas, with
worked examples, are in docs/kpi.md; the tests in analytics/tests/test_kpi.py check each one at its
edges.

A period is any range of dates [start, end] (by default the current academic year, 1 Sep – 31 Aug).
"Active in the period" means an interval that overlaps it: from ≤ end and to ≥ start.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from analytics.models import (
    OrganizationFacts,
    OrganizationYearKpi,
    PairFact,
    ParticipationFact,
    RoadmapStageFact,
    SatisfactionFact,
    StaffFact,
)
from institutional.models.pairs import EndReason, PairForm, PairKind
from regional.models import PracticeCase
from tenants.models import Organization

COMPLETED_IN_FULL = "plan_completed"
ENDED_EARLY = "ended_early"
RETENTION_DAYS = 365
# Missing conditions of K1, as the lagging-organizations list shows them.
K1_REASONS = {
    "regulation": "нет утверждённого положения о наставничестве",
    "roadmap": "нет утверждённой дорожной карты на учебный год",
    "curator": "не назначен куратор",
    "pairs": "нет ни одной утверждённой пары или группы, действующей в периоде",
}
K1_CODES = {reason: code for code, reason in K1_REASONS.items()}
# K6 by kind, as the lagging list, the exports and the cards name them.
K6_KINDS = {
    "appointment": "наставляемые без наставника сверх срока",
    "program": "программы не составлены в срок",
    "report": "итоговые отчёты не сданы в срок",
    "roadmap": "мероприятия дорожной карты просрочены",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def academic_year(cls, start_year: int) -> Period:
        return cls(date(start_year, 9, 1), date(start_year + 1, 8, 31))

    def as_academic_year(self) -> int | None:
        """The academic year this period is exactly (1 Sep – 31 Aug), or None."""
        if self.start.month == 9 and self.start.day == 1 and self == Period.academic_year(self.start.year):
            return self.start.year
        return None

    @property
    def academic_years(self) -> list[int]:
        first = self.start.year if self.start.month >= 9 else self.start.year - 1
        last = self.end.year if self.end.month >= 9 else self.end.year - 1
        return list(range(first, last + 1))


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """numerator / denominator × 100, to one decimal (half up); None when there is no denominator."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class Mean:
    total: Decimal
    count: int

    @property
    def value(self) -> Decimal | None:
        if not self.count:
            return None
        return (self.total / self.count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __add__(self, other: Mean) -> Mean:
        return Mean(self.total + other.total, self.count + other.count)


@dataclass(kw_only=True)
class _Indicators:
    """The inputs that add up the same way for one organization and for a set of them."""

    k2_engaged: Ratio = Ratio(0, 0)
    k3_young_with_mentor: Ratio = Ratio(0, 0)
    k4_by_form: Counter = field(default_factory=Counter)
    k4_by_kind: Counter = field(default_factory=Counter)
    k4_network: int = 0
    k4_local: int = 0
    k5_active: int = 0
    k5_completed: int = 0
    k5_ended_early: Counter = field(default_factory=Counter)
    k5_extended: int = 0
    k6_overdue: Counter = field(default_factory=Counter)
    k7_mentors: Mean = Mean(Decimal(0), 0)
    k7_mentees: Mean = Mean(Decimal(0), 0)
    k8_loads: Counter = field(default_factory=Counter)
    k8_over_cap: int = 0
    k11_stages: dict[int, list[int]] = field(default_factory=dict)  # position → [activities, done, overdue]
    k12_retained: Ratio = Ratio(0, 0)
    k10_submitted: int = 0
    k10_published: int = 0

    @property
    def k6_total(self) -> int:
        return sum(self.k6_overdue.values())


@dataclass(kw_only=True)
class OrganizationKpi(_Indicators):
    """Every indicator's inputs for one organization in one period."""

    organization_id: int
    k1_missing: list[str] = field(default_factory=list)
    k9_published: bool = False
    facts_as_of: date | None = None

    @property
    def k1_implements(self) -> bool:
        return not self.k1_missing

    @property
    def k10_has_published(self) -> bool:
        return self.k10_published > 0


@dataclass(kw_only=True)
class AggregateKpi(_Indicators):
    """Indicators of a set of organizations (a municipality, the region)."""

    organizations: int = 0
    k1_implementing: Ratio = Ratio(0, 0)
    k9_published: Ratio = Ratio(0, 0)
    k10_with_published: Ratio = Ratio(0, 0)  # organizations with a case published in the period


def _overlapping(period: Period, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": period.end, f"{end}__gte": period.start})


def _ids_in(ids: list[int]) -> RawSQL:
    """The organizations as ONE array parameter: `organization_id__in=_ids_in(ids)`.

    A plain list would put one placeholder per organization into every query (2,500 of them for a
    region), which costs more to build and send than the query takes to run.
    """
    return RawSQL("SELECT unnest(%s::bigint[])", (ids,))


# Bumped whenever a formula below changes: stored per-year rows of older formulas are then ignored.
FORMULAS_VERSION = 2


def organization_kpis(organization_ids: Iterable[int], period: Period) -> dict[int, OrganizationKpi]:
    """The inputs of every indicator for each organization in the period.

    For an academic year, the rows stored with each organization's projection (`OrganizationYearKpi`,
    computed by `compute_organization_kpis` in the same transaction as the facts) are read: one query
    for a whole region. Organizations without such a row, and any other period, are computed from the
    fact tables. K10 is not part of an organization's projection (the region publishes its cases): it
    is counted from the bank of practices by one more query.
    """
    ids = list(organization_ids)
    year = period.as_academic_year()
    if year is None or not ids:
        result = compute_organization_kpis(ids, period)
    else:
        stored = OrganizationYearKpi.objects.filter(
            organization_id__in=_ids_in(ids), academic_year=year, formulas_version=FORMULAS_VERSION
        ).values_list("organization_id", "values")
        result = {pk: kpi_from_json(pk, values) for pk, values in stored}
        missing = [pk for pk in ids if pk not in result]
        if missing:
            result.update(compute_organization_kpis(missing, period))
        result = {pk: result[pk] for pk in ids}
    if ids:
        for pk, submitted, published in _practice_counts(ids, period):
            result[pk].k10_submitted, result[pk].k10_published = submitted, published
    return result


def _practices_sql(organizations: str, period: Period) -> tuple[str, list]:
    """K10 per organization — rows (organization_id, submitted, published) — for the organizations the SQL
    condition `organizations` on `c.organization_id` selects (its own parameters follow the returned ones).

    A case counts as submitted in the period when the day of `submitted_at` (its first submission) is
    in it, and as published when the day of `published_at` is; the day is taken in the organization's
    time zone, as every other date of an organization.
    """
    day = "(c.{field} AT TIME ZONE COALESCE(NULLIF(o.time_zone, ''), %s))::date BETWEEN %s AND %s"
    sql = f"""
        SELECT c.organization_id,
               COUNT(*) FILTER (WHERE {day.format(field="submitted_at")}) AS submitted,
               COUNT(*) FILTER (WHERE {day.format(field="published_at")}) AS published
        FROM {PracticeCase._meta.db_table} c
        JOIN {Organization._meta.db_table} o ON o.id = c.organization_id
        WHERE (c.submitted_at IS NOT NULL OR c.published_at IS NOT NULL) AND {organizations}
        GROUP BY c.organization_id
    """  # noqa: S608 - table names only, values are parameters
    return sql, [settings.TIME_ZONE, period.start, period.end] * 2


def _practice_counts(ids: list[int], period: Period) -> list[tuple[int, int, int]]:
    """K10 of each organization that has cases in the period (one query); the others have none."""
    sql, params = _practices_sql("c.organization_id = ANY(%s)", period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) counts WHERE submitted > 0 OR published > 0",  # noqa: S608
            [*params, ids],
        )
        return cursor.fetchall()


def kpi_to_json(kpi: OrganizationKpi) -> dict:
    """An organization's inputs as JSON (the inverse of `kpi_from_json`)."""
    return {
        "k1_missing": [K1_CODES[reason] for reason in kpi.k1_missing],
        "k9_published": kpi.k9_published,
        "facts_as_of": kpi.facts_as_of.isoformat() if kpi.facts_as_of else None,
        "k2_engaged": [kpi.k2_engaged.numerator, kpi.k2_engaged.denominator],
        "k3_young_with_mentor": [kpi.k3_young_with_mentor.numerator, kpi.k3_young_with_mentor.denominator],
        "k4_by_form": dict(kpi.k4_by_form),
        "k4_by_kind": dict(kpi.k4_by_kind),
        "k4_network": kpi.k4_network,
        "k4_local": kpi.k4_local,
        "k5_active": kpi.k5_active,
        "k5_completed": kpi.k5_completed,
        "k5_ended_early": dict(kpi.k5_ended_early),
        "k5_extended": kpi.k5_extended,
        "k6_overdue": dict(kpi.k6_overdue),
        "k7_mentors": [str(kpi.k7_mentors.total), kpi.k7_mentors.count],
        "k7_mentees": [str(kpi.k7_mentees.total), kpi.k7_mentees.count],
        "k8_loads": {str(load): count for load, count in kpi.k8_loads.items()},
        "k8_over_cap": kpi.k8_over_cap,
        "k11_stages": {str(position): values for position, values in kpi.k11_stages.items()},
        "k12_retained": [kpi.k12_retained.numerator, kpi.k12_retained.denominator],
    }


def _counter(counts: dict) -> Counter:
    """A Counter of a plain dict without Counter's per-call type checks (thousands per dashboard)."""
    counter = Counter()
    dict.update(counter, counts)
    return counter


def _add(total: Counter, counts: Counter) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def _ratio(pair: list) -> Ratio:
    ratio = object.__new__(Ratio)
    object.__setattr__(ratio, "numerator", pair[0])
    object.__setattr__(ratio, "denominator", pair[1])
    return ratio


def kpi_from_json(organization_id: int, data: dict) -> OrganizationKpi:
    """An organization's inputs from their JSON (built without the dataclass machinery: a region
    has thousands of them per dashboard)."""
    kpi = object.__new__(OrganizationKpi)
    kpi.__dict__.update(
        organization_id=organization_id,
        k1_missing=[K1_REASONS[code] for code in data["k1_missing"]],
        k9_published=data["k9_published"],
        facts_as_of=date.fromisoformat(data["facts_as_of"]) if data["facts_as_of"] else None,
        k2_engaged=_ratio(data["k2_engaged"]),
        k3_young_with_mentor=_ratio(data["k3_young_with_mentor"]),
        k4_by_form=_counter(data["k4_by_form"]),
        k4_by_kind=_counter(data["k4_by_kind"]),
        k4_network=data["k4_network"],
        k4_local=data["k4_local"],
        k5_active=data["k5_active"],
        k5_completed=data["k5_completed"],
        k5_ended_early=_counter(data["k5_ended_early"]),
        k5_extended=data["k5_extended"],
        k6_overdue=_counter(data["k6_overdue"]),
        k7_mentors=Mean(Decimal(data["k7_mentors"][0]), data["k7_mentors"][1]),
        k7_mentees=Mean(Decimal(data["k7_mentees"][0]), data["k7_mentees"][1]),
        k8_loads=_counter({int(load): count for load, count in data["k8_loads"].items()}),
        k8_over_cap=data["k8_over_cap"],
        k11_stages={int(position): list(values) for position, values in data["k11_stages"].items()},
        k12_retained=_ratio(data["k12_retained"]),
        k10_submitted=0,  # never stored: counted from the bank of practices by `organization_kpis`
        k10_published=0,
    )
    return kpi


def compute_organization_kpis(organization_ids: Iterable[int], period: Period) -> dict[int, OrganizationKpi]:
    """The inputs of every indicator for each organization, from the fact tables (a fixed number of queries)."""
    ids = list(organization_ids)
    result = {pk: OrganizationKpi(organization_id=pk) for pk in ids}
    if not ids:
        return result
    years = set(period.academic_years)
    in_scope = _ids_in(ids)

    # Facts rows: K1 (regulation, roadmap, curator), K6, K8, K9.
    fact_rows = OrganizationFacts.objects.filter(organization_id__in=in_scope).values_list(
        "organization_id",
        "as_of",
        "regulation_approved_on",
        "roadmap_years",
        "curator_since",
        "overdue_appointments",
        "overdue_programs",
        "overdue_reports",
        "overdue_roadmap_activities",
        "mentor_loads",
        "mentors_over_cap",
    )
    for (
        organization_id,
        as_of,
        regulation_approved_on,
        roadmap_years,
        curator_since,
        overdue_appointments,
        overdue_programs,
        overdue_reports,
        overdue_roadmap_activities,
        mentor_loads,
        mentors_over_cap,
    ) in fact_rows:
        kpi = result[organization_id]
        kpi.facts_as_of = as_of
        has_regulation = regulation_approved_on is not None and regulation_approved_on <= period.end
        has_roadmap = bool(set(roadmap_years) & years)
        if not has_regulation:
            kpi.k1_missing.append(K1_REASONS["regulation"])
        if not has_roadmap:
            kpi.k1_missing.append(K1_REASONS["roadmap"])
        if curator_since is None or curator_since > period.end:
            kpi.k1_missing.append(K1_REASONS["curator"])
        kpi.k6_overdue = Counter(
            {
                "appointment": overdue_appointments,
                "program": overdue_programs,
                "report": overdue_reports,
                "roadmap": overdue_roadmap_activities,
            }
        )
        kpi.k8_loads = Counter({int(load): count for load, count in mentor_loads.items()})
        kpi.k8_over_cap = mentors_over_cap
        kpi.k9_published = has_regulation and has_roadmap
    for kpi in result.values():
        if kpi.facts_as_of is None:  # never projected: nothing is known to be in place
            kpi.k1_missing.extend([K1_REASONS["regulation"], K1_REASONS["roadmap"], K1_REASONS["curator"]])

    # Pairs active in the period: K1 (a pair), K4, K5 — counted in SQL per organization, per form and
    # per kind (raw rows: a region has tens of thousands of pairs and they are only counted here).
    active = f"""
        SELECT organization_id, form, kinds, is_network, program_status <> '' AS has_program, program_extended
        FROM {PairFact._meta.db_table}
        WHERE organization_id = ANY(%(ids)s) AND approved_on <= %(end)s
          AND starts_on <= %(end)s AND COALESCE(ended_on, ends_on) >= %(start)s
    """  # noqa: S608 - a table name only, values are parameters
    parameters = {"ids": ids, "start": period.start, "end": period.end}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT organization_id, COUNT(*) FILTER (WHERE is_network), COUNT(*) FILTER (WHERE NOT is_network),
                   COUNT(*) FILTER (WHERE has_program), COUNT(*) FILTER (WHERE program_extended)
            FROM ({active}) active GROUP BY organization_id
            """,  # noqa: S608
            parameters,
        )
        for organization_id, network, local, with_program, extended in cursor.fetchall():
            kpi = result[organization_id]
            kpi.k4_network, kpi.k4_local, kpi.k5_active, kpi.k5_extended = network, local, with_program, extended
        cursor.execute(
            f"SELECT organization_id, form, COUNT(*) FROM ({active}) active GROUP BY organization_id, form",  # noqa: S608
            parameters,
        )
        for organization_id, form, count in cursor.fetchall():
            result[organization_id].k4_by_form[form] = count
        cursor.execute(
            f"""
            SELECT organization_id, kind, COUNT(*) FROM ({active}) active, unnest(active.kinds) AS kind
            GROUP BY organization_id, kind
            """,  # noqa: S608
            parameters,
        )
        for organization_id, kind, count in cursor.fetchall():
            result[organization_id].k4_by_kind[kind] = count
    for kpi in result.values():
        if not kpi.k4_network + kpi.k4_local:
            kpi.k1_missing.append(K1_REASONS["pairs"])

    ended = PairFact.objects.filter(
        organization_id__in=in_scope, ended_on__gte=period.start, ended_on__lte=period.end
    ).order_by()
    for row in ended.values("organization_id", "status", "end_reason").annotate(n=Count("id")):
        kpi = result[row["organization_id"]]
        if row["status"] == ENDED_EARLY:
            kpi.k5_ended_early[row["end_reason"]] += row["n"]
        elif row["end_reason"] == COMPLETED_IN_FULL:
            kpi.k5_completed += row["n"]

    _engagement(ids, period, result)

    # K7: final satisfaction of pairs that ended in the period.
    scores = (
        SatisfactionFact.objects.filter(
            organization_id__in=in_scope, pair_ended_on__gte=period.start, pair_ended_on__lte=period.end
        )
        .values("organization_id", "role")
        .annotate(total=Sum("score"), n=Count("id"))
    )
    for row in scores:
        mean = Mean(Decimal(row["total"]), row["n"])
        kpi = result[row["organization_id"]]
        if row["role"] == ParticipationFact.Role.MENTOR:
            kpi.k7_mentors = mean
        else:
            kpi.k7_mentees = mean

    # K11: roadmap activities by stage for the academic years of the period.
    stages = (
        RoadmapStageFact.objects.filter(organization_id__in=in_scope, academic_year__in=sorted(years))
        .values("organization_id", "position")
        .annotate(activities=Sum("activities"), done=Sum("done"), overdue=Sum("overdue"))
    )
    for row in stages:
        result[row["organization_id"]].k11_stages[row["position"]] = [row["activities"], row["done"], row["overdue"]]

    # K12: mentees whose participation ended a year before a day of the period, still employed a year on.
    _retention(ids, period, result)
    return result


def _engagement(ids: list[int], period: Period, result: dict[int, OrganizationKpi]) -> None:
    """K2 and K3 in one pass over the pedagogical workers employed at some time in the period.

    K2 = those who were a mentor or a mentee in the period / all of them; K3 = young specialists among
    them who were a mentee in the period / all young specialists. The participations of the period are
    grouped per person first and joined once (a hash join, not a lookup per worker).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH took_part AS (
                SELECT organization_id, staff_id, bool_or(role = 'mentee') AS mentored
                FROM {ParticipationFact._meta.db_table}
                WHERE organization_id = ANY(%(ids)s) AND staff_id IS NOT NULL
                  AND from_date <= %(end)s AND to_date >= %(start)s
                GROUP BY organization_id, staff_id
            )
            SELECT staff.organization_id,
                   COUNT(*) AS total,
                   COUNT(took_part.staff_id) AS engaged,
                   COUNT(*) FILTER (WHERE staff.is_young_specialist) AS young,
                   COUNT(*) FILTER (WHERE staff.is_young_specialist AND took_part.mentored) AS young_mentored
            FROM {StaffFact._meta.db_table} staff
            LEFT JOIN took_part
              ON took_part.organization_id = staff.organization_id AND took_part.staff_id = staff.staff_id
            WHERE staff.organization_id = ANY(%(ids)s) AND staff.hired_on <= %(end)s
              AND (staff.dismissed_on IS NULL OR staff.dismissed_on >= %(start)s)
            GROUP BY staff.organization_id
            """,  # noqa: S608 - table names only, values are parameters
            {"ids": ids, "start": period.start, "end": period.end},
        )
        for organization_id, total, engaged, young, young_mentored in cursor.fetchall():
            kpi = result[organization_id]
            kpi.k2_engaged = Ratio(engaged, total)
            kpi.k3_young_with_mentor = Ratio(young_mentored, young)


def _retention(ids: list[int], period: Period, result: dict[int, OrganizationKpi]) -> None:
    window_start = period.start - timedelta(days=RETENTION_DAYS)
    window_end = period.end - timedelta(days=RETENTION_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT former.organization_id,
                   COUNT(*) AS former,
                   COUNT(*) FILTER (
                       WHERE staff.dismissed_on IS NULL
                          OR staff.dismissed_on > former.left_on + {RETENTION_DAYS}
                   ) AS retained
            FROM (
                SELECT p.organization_id, p.staff_id, MAX(p.to_date) AS left_on
                FROM {ParticipationFact._meta.db_table} p
                JOIN {PairFact._meta.db_table} pair
                  ON pair.organization_id = p.organization_id AND pair.pair_id = p.pair_id
                WHERE p.organization_id = ANY(%s) AND p.role = 'mentee' AND p.staff_id IS NOT NULL
                  AND pair.ended_on IS NOT NULL
                GROUP BY p.organization_id, p.staff_id
                HAVING MAX(p.to_date) BETWEEN %s AND %s
            ) former
            JOIN {StaffFact._meta.db_table} staff
              ON staff.organization_id = former.organization_id AND staff.staff_id = former.staff_id
            GROUP BY former.organization_id
            """,  # noqa: S608 - table names and a constant, values are parameters
            [ids, window_start, window_end],
        )
        for organization_id, former, retained in cursor.fetchall():
            result[organization_id].k12_retained = Ratio(retained, former)


def _add_indicators(total: _Indicators, part: _Indicators) -> None:
    """Add the inputs shared by organizations and roll-ups (sums of numerators and denominators)."""
    total.k2_engaged += part.k2_engaged
    total.k3_young_with_mentor += part.k3_young_with_mentor
    _add(total.k4_by_form, part.k4_by_form)
    _add(total.k4_by_kind, part.k4_by_kind)
    total.k4_network += part.k4_network
    total.k4_local += part.k4_local
    total.k5_active += part.k5_active
    total.k5_completed += part.k5_completed
    _add(total.k5_ended_early, part.k5_ended_early)
    total.k5_extended += part.k5_extended
    _add(total.k6_overdue, part.k6_overdue)
    total.k7_mentors += part.k7_mentors
    total.k7_mentees += part.k7_mentees
    _add(total.k8_loads, part.k8_loads)
    total.k8_over_cap += part.k8_over_cap
    for position, values in part.k11_stages.items():
        stage = total.k11_stages.setdefault(position, [0, 0, 0])
        for index, value in enumerate(values):
            stage[index] += value
    total.k12_retained += part.k12_retained
    total.k10_submitted += part.k10_submitted
    total.k10_published += part.k10_published


def _add_organization(total: AggregateKpi, kpi: OrganizationKpi) -> None:
    total.organizations += 1
    total.k1_implementing += Ratio(int(kpi.k1_implements), 1)
    total.k9_published += Ratio(int(kpi.k9_published), 1)
    total.k10_with_published += Ratio(int(kpi.k10_has_published), 1)
    _add_indicators(total, kpi)


def rollup(kpis: Iterable[OrganizationKpi]) -> AggregateKpi:
    """Indicators of a set of organizations: shares are sums of numerators over sums of denominators."""
    total = AggregateKpi()
    for kpi in kpis:
        _add_organization(total, kpi)
    return total


def rollup_aggregates(parts: Iterable[AggregateKpi]) -> AggregateKpi:
    """The roll-up of disjoint roll-ups (the region from its municipalities): the same sums."""
    total = AggregateKpi()
    for part in parts:
        total.organizations += part.organizations
        total.k1_implementing += part.k1_implementing
        total.k9_published += part.k9_published
        total.k10_with_published += part.k10_with_published
        _add_indicators(total, part)
    return total


def lagging(kpis: dict[int, OrganizationKpi]) -> dict[int, list[str]]:
    """Organizations that lag, each with the reasons (K1 conditions missing, overdue items, over-cap mentors).

    `scope_rollups` selects the same organizations in SQL (its `lags`): change both together.
    """
    reasons: dict[int, list[str]] = defaultdict(list)
    for pk, kpi in kpis.items():
        reasons[pk].extend(kpi.k1_missing)
        for kind, label in K6_KINDS.items():
            if kpi.k6_overdue.get(kind):
                reasons[pk].append(f"{label}: {kpi.k6_overdue[kind]}")
        if kpi.k8_over_cap:
            reasons[pk].append(f"наставники сверх предельной нагрузки: {kpi.k8_over_cap}")
    return {pk: items for pk, items in reasons.items() if items}


# --- a scope's roll-ups in SQL (the regional dashboard) --------------------------------------------

# What `scope_rollups` sums of each stored row (`kpi_to_json`): [numerator, denominator] pairs, [sum,
# count] means and plain counts; the breakdowns whose keys are the codes of a fixed list are summed
# key by key in columns, the open-ended ones (loads, stage positions) row by row.
_STORED_RATIOS = ("k2_engaged", "k3_young_with_mentor", "k12_retained")
_STORED_MEANS = ("k7_mentors", "k7_mentees")
_STORED_COUNTS = ("k4_network", "k4_local", "k5_active", "k5_completed", "k5_extended", "k8_over_cap")


def _stored_breakdowns() -> dict[str, list[str]]:
    return {
        "k4_by_form": list(PairForm.values),
        "k4_by_kind": list(PairKind.values),
        "k5_ended_early": list(EndReason.values),
        "k6_overdue": list(K6_KINDS),
    }


@dataclass
class ScopeRollups:
    """A scope's indicators per group of its organizations, and one page of its lagging organizations."""

    groups: dict[int, AggregateKpi]  # group (municipality) id → the roll-up of its organizations
    lagging_total: int
    # (the organization's inputs, its reasons to lag) in the order of the members, from the offset on.
    lagging: list[tuple[OrganizationKpi, list[str]]]


def scope_rollups(
    members: QuerySet, period: Period, *, lagging_offset: int = 0, lagging_limit: int | None = None
) -> ScopeRollups:
    """`rollup()` of each group of a scope's organizations, computed in SQL, and a page of `lagging()`.

    `members` is a queryset of tuples (organization id, group id, group name, name): the scope's
    organizations and the group (municipality) each is counted under (`analytics.scope.scope_members`).
    The result is the same as `rollup(organization_kpis(...).values())` per group, without decoding a
    row per organization: for an academic year PostgreSQL sums the stored rows (`OrganizationYearKpi`)
    per group; organizations without a row of the current formulas — and all of them, for any other
    period — are computed from the facts and added in Python; K10 is counted per group from the bank of
    practices. Only the lagging organizations of the requested page are decoded (ordered by group name,
    name and id, as `organizations_under` orders them). One statement whatever the size of the scope;
    when organizations had to be computed from the facts, their fact queries and, if one of them lags,
    one more for the page.
    """
    members_sql, members_params = members.query.sql_with_params()
    year = period.as_academic_year()
    breakdowns = _stored_breakdowns()
    yearly = OrganizationYearKpi._meta.db_table
    # Each stored row's JSON is taken apart once, into a narrow row of numbers and the small objects of
    # the breakdowns; the sums below read plain columns. (`->>` and a cast from text is the cheapest
    # way PostgreSQL has to read a number out of a JSON value.)
    fields = [
        "y.values->'k1_missing' = '[]'::jsonb AS implements",
        "y.values->>'k9_published' = 'true' AS k9_published",
    ]
    for name in _STORED_RATIOS:
        fields += [f"(y.values->'{name}'->>0)::int AS {name}_n", f"(y.values->'{name}'->>1)::int AS {name}_d"]
    for name in _STORED_MEANS:
        fields += [f"(y.values->'{name}'->>0)::numeric AS {name}_n", f"(y.values->'{name}'->>1)::int AS {name}_d"]
    fields += [f"(y.values->>'{name}')::int AS {name}" for name in _STORED_COUNTS]
    fields += [f"y.values->'{name}' AS {name}" for name in (*breakdowns, "k8_loads", "k11_stages")]
    counts = [
        "COUNT(*)",
        "COUNT(*) FILTER (WHERE implements)",
        "COUNT(*) FILTER (WHERE k9_published)",
        "COUNT(*) FILTER (WHERE lags)",
    ]
    for name in _STORED_RATIOS:
        counts += [f"SUM({name}_n)", f"SUM({name}_d)"]
    counts += [f"SUM({name}_d)" for name in _STORED_MEANS]
    counts += [f"SUM({name})" for name in _STORED_COUNTS]
    count_params: list = []
    for name, keys in breakdowns.items():
        counts += [f"SUM(({name}->>%s)::int)" for _key in keys]
        count_params += keys
    # Rows whose breakdown has a key outside its list (none by construction: the keys are codes of the
    # choices) are counted here, and that breakdown is then summed key by key (`_breakdown_sums`).
    for name, keys in breakdowns.items():
        counts.append(f"COUNT(*) FILTER (WHERE {name} - %s::text[] <> '{{}}'::jsonb)")
        count_params.append(keys)
    sums = [f"SUM({name}_n)" for name in _STORED_MEANS]
    # The same condition as `lagging()`: a K1 condition missing, an overdue item of a K6 kind, a mentor
    # over the cap.
    lags = " OR ".join(
        [
            "NOT implements",
            "COALESCE(k8_over_cap, 0) <> 0",
            *[f"COALESCE((k6_overdue->>'{kind}')::int, 0) <> 0" for kind in K6_KINDS],
        ]
    )
    practices_sql, practices_params = _practices_sql(
        "c.organization_id IN (SELECT organization_id FROM members)", period
    )
    head = f"""
        WITH members(organization_id, group_id, group_name, name) AS ({members_sql}),
        stored AS MATERIALIZED (
            SELECT *, ({lags}) AS lags
            FROM (
                SELECT m.organization_id, m.group_id, m.group_name, m.name, {", ".join(fields)}
                FROM members m
                JOIN {yearly} y
                  ON y.organization_id = m.organization_id AND y.academic_year = %s AND y.formulas_version = %s
            ) taken_apart
        )
    """  # noqa: S608 - a table name and SQL built here from constants, values are parameters
    head_params = [*members_params, year, FORMULAS_VERSION]
    # One statement, rows (part, group, key, counts, sums, stored JSON); open-ended breakdowns (loads,
    # stage positions) are expanded with jsonb_object_keys, which PostgreSQL streams row by row.
    sql = f"""{head}
        SELECT 'stored', group_id, NULL, ARRAY[{", ".join(counts)}]::bigint[], ARRAY[{", ".join(sums)}], NULL
        FROM stored GROUP BY group_id
        UNION ALL
        SELECT 'k8_loads', group_id, key, ARRAY[SUM((k8_loads->>key)::int)]::bigint[], NULL, NULL
        FROM (SELECT group_id, k8_loads, jsonb_object_keys(k8_loads) AS key FROM stored) loads
        GROUP BY group_id, key
        UNION ALL
        SELECT 'k11_stages', group_id, key,
               ARRAY[
                   SUM((k11_stages->key->>0)::int), SUM((k11_stages->key->>1)::int), SUM((k11_stages->key->>2)::int)
               ]::bigint[],
               NULL, NULL
        FROM (SELECT group_id, k11_stages, jsonb_object_keys(k11_stages) AS key FROM stored) stages
        GROUP BY group_id, key
        UNION ALL
        SELECT 'missing', m.group_id, m.organization_id::text, NULL, NULL, NULL
        FROM members m
        WHERE NOT EXISTS (SELECT 1 FROM stored WHERE stored.organization_id = m.organization_id)
        UNION ALL
        SELECT 'k10', m.group_id, NULL,
               ARRAY[SUM(p.submitted), SUM(p.published), COUNT(*) FILTER (WHERE p.published > 0)]::bigint[],
               NULL, NULL
        FROM members m JOIN ({practices_sql}) p ON p.organization_id = m.organization_id
        GROUP BY m.group_id
        UNION ALL
        SELECT 'lagging', page.group_id, page.organization_id::text, ARRAY[page.position]::bigint[], NULL,
               y.values::text
        FROM (
            SELECT group_id, organization_id,
                   row_number() OVER (ORDER BY group_name COLLATE "C", name COLLATE "C", organization_id) AS position
            FROM stored WHERE lags
            ORDER BY position LIMIT %s OFFSET %s
        ) page
        JOIN {yearly} y
          ON y.organization_id = page.organization_id AND y.academic_year = %s AND y.formulas_version = %s
    """  # noqa: S608 - table names and SQL built here from constants, values are parameters
    params = [
        *head_params,
        *count_params,
        *practices_params,
        lagging_limit,
        lagging_offset,
        year,
        FORMULAS_VERSION,
    ]

    groups: dict[int, AggregateKpi] = defaultdict(AggregateKpi)
    missing: dict[int, int] = {}  # organization → group
    practices: dict[int, list[int]] = {}
    page: list[tuple[int, int, str | None]] = []  # (position, organization, stored JSON)
    unlisted_keys: set[str] = set()
    lagging_stored = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, group_id, key, numbers, sums, data in cursor.fetchall():
            if part == "missing":
                missing[int(key)] = group_id
            elif part == "lagging":
                page.append((numbers[0], int(key), data))
            elif part == "stored":
                lagging_stored += _stored_sums(groups[group_id], numbers, sums, breakdowns, unlisted_keys)
            elif part == "k8_loads":
                groups[group_id].k8_loads[int(key)] = numbers[0]
            elif part == "k11_stages":
                groups[group_id].k11_stages[int(key)] = numbers
            else:
                practices[group_id] = numbers
        for name in sorted(unlisted_keys):
            _breakdown_sums(cursor, head, head_params, name, groups)

    computed = compute_organization_kpis(sorted(missing), period) if missing else {}
    lagging_computed = lagging(computed)
    for pk, kpi in computed.items():
        _add_organization(groups[missing[pk]], kpi)
    for group_id, total in groups.items():
        submitted, published, with_published = practices.get(group_id, [0, 0, 0])
        total.k10_submitted, total.k10_published = submitted, published
        total.k10_with_published = Ratio(with_published, total.organizations)

    if lagging_computed:  # organizations computed from the facts lag too: the page is chosen among all
        rows = _lagging_page(
            head, head_params, year, sorted(lagging_computed), offset=lagging_offset, limit=lagging_limit
        )
    else:
        rows = [(pk, data) for _position, pk, data in sorted(page)]
    entries = []
    for pk, data in rows:
        kpi = computed[pk] if data is None else kpi_from_json(pk, json.loads(data))
        entries.append((kpi, lagging_computed.get(pk) or lagging({pk: kpi})[pk]))
    return ScopeRollups(groups=dict(groups), lagging_total=lagging_stored + len(lagging_computed), lagging=entries)


def _stored_sums(
    total: AggregateKpi,
    counts: list[int | None],
    sums: list[Decimal | None],
    breakdowns: dict[str, list[str]],
    unlisted: set[str],
) -> int:
    """Put a group's sums of stored rows (a 'stored' row of `scope_rollups`) into its roll-up; returns how
    many of the rows lag. Breakdowns with keys outside their list are added to `unlisted`."""
    numbers = iter(counts)

    def count() -> int:
        return next(numbers) or 0

    organizations, implementing, published, lagging_rows = count(), count(), count(), count()
    total.organizations += organizations
    total.k1_implementing += Ratio(implementing, organizations)
    total.k9_published += Ratio(published, organizations)
    for name in _STORED_RATIOS:
        setattr(total, name, getattr(total, name) + Ratio(count(), count()))
    for name, mean_total in zip(_STORED_MEANS, sums, strict=True):
        setattr(total, name, getattr(total, name) + Mean(Decimal(0) if mean_total is None else mean_total, count()))
    for name in _STORED_COUNTS:
        setattr(total, name, getattr(total, name) + count())
    for name, keys in breakdowns.items():
        breakdown = getattr(total, name)
        for key in keys:
            value = next(numbers)
            if value is not None:  # the key is in at least one row: kept, as `rollup` keeps it, even when 0
                breakdown[key] = breakdown.get(key, 0) + value
    for name in breakdowns:
        if count():
            unlisted.add(name)
    return lagging_rows


def _breakdown_sums(cursor, head: str, head_params: list, name: str, groups: dict[int, AggregateKpi]) -> None:
    """Sum one breakdown of the stored rows key by key, whatever its keys (replaces the column sums)."""
    cursor.execute(
        f"{head} SELECT group_id, key, SUM(value::int) FROM stored, jsonb_each_text({name}) "  # noqa: S608
        "GROUP BY group_id, key",
        head_params,
    )
    sums: dict[int, Counter] = defaultdict(Counter)
    for group_id, key, value in cursor.fetchall():
        sums[group_id][key] = int(value)
    for group_id, counts in sums.items():
        setattr(groups[group_id], name, counts)


def _lagging_page(
    head: str, head_params: list, year: int | None, also: list[int], *, offset: int, limit: int | None
) -> list[tuple[int, str | None]]:
    """(organization id, its stored row's JSON or None) of the lagging organizations from `offset`, at
    most `limit` of them: the stored rows that lag and the organizations `also` (computed from the facts
    and found lagging), in the order of the members (`head` is the WITH clause of `scope_rollups`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""{head}
            SELECT m.organization_id, y.values::text
            FROM members m
            LEFT JOIN stored s ON s.organization_id = m.organization_id
            LEFT JOIN {OrganizationYearKpi._meta.db_table} y
              ON y.organization_id = s.organization_id AND y.academic_year = %s AND y.formulas_version = %s
            WHERE s.lags OR m.organization_id = ANY(%s)
            ORDER BY m.group_name COLLATE "C", m.name COLLATE "C", m.organization_id
            LIMIT %s OFFSET %s
            """,  # noqa: S608 - a table name and SQL built here from constants, values are parameters
            [*head_params, year, FORMULAS_VERSION, also, limit, offset],
        )
        return cursor.fetchall()
