"""The region's indicators (K1–K12): each an exact formula over the public projection tables.

Every function here reads only `analytics` tables (never a tenant schema) and aggregates in SQL, one
query per table, so a region of 2,500 organizations costs the same handful of queries as one.
`organization_kpis()` gives the inputs per organization; `rollup()` adds them up for a municipality
or the region. The formulas, with worked examples, are in docs/kpi.md; the tests in
analytics/tests/test_kpi.py check each one at its edges.

A period is any range of dates [start, end] (by default the current academic year, 1 Sep – 31 Aug).
"Active in the period" means an interval that overlaps it: from ≤ end and to ≥ start.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
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


@dataclass(kw_only=True)
class AggregateKpi(_Indicators):
    """Indicators of a set of organizations (a municipality, the region)."""

    organizations: int = 0
    k1_implementing: Ratio = Ratio(0, 0)
    k9_published: Ratio = Ratio(0, 0)


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
    fact tables.
    """
    ids = list(organization_ids)
    year = period.as_academic_year()
    if year is None or not ids:
        return compute_organization_kpis(ids, period)
    stored = OrganizationYearKpi.objects.filter(
        organization_id__in=_ids_in(ids), academic_year=year, formulas_version=FORMULAS_VERSION
    ).values_list("organization_id", "values")
    result = {pk: kpi_from_json(pk, values) for pk, values in stored}
    missing = [pk for pk in ids if pk not in result]
    if missing:
        result.update(compute_organization_kpis(missing, period))
    return {pk: result[pk] for pk in ids}


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


def rollup(kpis: Iterable[OrganizationKpi]) -> AggregateKpi:
    """Indicators of a set of organizations: shares are sums of numerators over sums of denominators."""
    total = AggregateKpi()
    for kpi in kpis:
        total.organizations += 1
        total.k1_implementing += Ratio(int(kpi.k1_implements), 1)
        total.k9_published += Ratio(int(kpi.k9_published), 1)
        _add_indicators(total, kpi)
    return total


def rollup_aggregates(parts: Iterable[AggregateKpi]) -> AggregateKpi:
    """The roll-up of disjoint roll-ups (the region from its municipalities): the same sums."""
    total = AggregateKpi()
    for part in parts:
        total.organizations += part.organizations
        total.k1_implementing += part.k1_implementing
        total.k9_published += part.k9_published
        _add_indicators(total, part)
    return total


def lagging(kpis: dict[int, OrganizationKpi]) -> dict[int, list[str]]:
    """Organizations that lag, each with the reasons (K1 conditions missing, overdue items, over-cap mentors)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for pk, kpi in kpis.items():
        reasons[pk].extend(kpi.k1_missing)
        for kind, label in K6_KINDS.items():
            if kpi.k6_overdue.get(kind):
                reasons[pk].append(f"{label}: {kpi.k6_overdue[kind]}")
        if kpi.k8_over_cap:
            reasons[pk].append(f"наставники сверх предельной нагрузки: {kpi.k8_over_cap}")
    return {pk: items for pk, items in reasons.items() if items}
