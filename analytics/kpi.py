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
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from analytics.models import (
    OrganizationFacts,
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


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def academic_year(cls, start_year: int) -> Period:
        return cls(date(start_year, 9, 1), date(start_year + 1, 8, 31))

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


def organization_kpis(organization_ids: Iterable[int], period: Period) -> dict[int, OrganizationKpi]:
    """The inputs of every indicator for each organization, from the projections (a fixed number of queries)."""
    ids = list(organization_ids)
    result = {pk: OrganizationKpi(organization_id=pk) for pk in ids}
    if not ids:
        return result
    years = period.academic_years

    # Facts rows: K1 (regulation, roadmap, curator), K6, K8, K9.
    for facts in OrganizationFacts.objects.filter(organization_id__in=ids):
        kpi = result[facts.organization_id]
        kpi.facts_as_of = facts.as_of
        has_regulation = facts.regulation_approved_on is not None and facts.regulation_approved_on <= period.end
        has_roadmap = bool(set(facts.roadmap_years) & set(years))
        if not has_regulation:
            kpi.k1_missing.append(K1_REASONS["regulation"])
        if not has_roadmap:
            kpi.k1_missing.append(K1_REASONS["roadmap"])
        if facts.curator_since is None or facts.curator_since > period.end:
            kpi.k1_missing.append(K1_REASONS["curator"])
        kpi.k6_overdue = Counter(
            {
                "appointment": facts.overdue_appointments,
                "program": facts.overdue_programs,
                "report": facts.overdue_reports,
                "roadmap": facts.overdue_roadmap_activities,
            }
        )
        kpi.k8_loads = Counter({int(load): count for load, count in facts.mentor_loads.items()})
        kpi.k8_over_cap = facts.mentors_over_cap
        kpi.k9_published = has_regulation and has_roadmap
    for kpi in result.values():
        if kpi.facts_as_of is None:  # never projected: nothing is known to be in place
            kpi.k1_missing.extend([K1_REASONS["regulation"], K1_REASONS["roadmap"], K1_REASONS["curator"]])

    # Pairs active in the period: K1 (a pair), K4, K5.
    active_pairs = (
        PairFact.objects.filter(organization_id__in=ids)
        .annotate(until=Coalesce("ended_on", "ends_on"))
        .filter(_overlapping(period, "starts_on", "until"), approved_on__lte=period.end)
    )
    with_pairs = set()
    for row in active_pairs.values(
        "organization_id", "form", "kinds", "is_network", "program_status", "program_extended"
    ):
        kpi = result[row["organization_id"]]
        with_pairs.add(row["organization_id"])
        kpi.k4_by_form[row["form"]] += 1
        kpi.k4_by_kind.update(row["kinds"])
        if row["is_network"]:
            kpi.k4_network += 1
        else:
            kpi.k4_local += 1
        if row["program_status"]:
            kpi.k5_active += 1
        if row["program_extended"]:
            kpi.k5_extended += 1
    for pk, kpi in result.items():
        if pk not in with_pairs:
            kpi.k1_missing.append(K1_REASONS["pairs"])

    ended = PairFact.objects.filter(organization_id__in=ids, ended_on__gte=period.start, ended_on__lte=period.end)
    for row in ended.values("organization_id", "status", "end_reason").annotate(n=Count("id")):
        kpi = result[row["organization_id"]]
        if row["status"] == ENDED_EARLY:
            kpi.k5_ended_early[row["end_reason"]] += row["n"]
        elif row["end_reason"] == COMPLETED_IN_FULL:
            kpi.k5_completed += row["n"]

    # K2 and K3 in one pass over the pedagogical workers employed at some time in the period:
    # K2 = those who were a mentor or a mentee in the period / all of them;
    # K3 = young specialists among them who were a mentee in the period / all young specialists.
    def took_part(*roles):
        return ParticipationFact.objects.filter(
            organization_id=OuterRef("organization_id"), staff_id=OuterRef("staff_id"), role__in=roles
        ).filter(_overlapping(period, "from_date", "to_date"))

    employed = (
        StaffFact.objects.filter(organization_id__in=ids, hired_on__lte=period.end)
        .filter(Q(dismissed_on__isnull=True) | Q(dismissed_on__gte=period.start))
        .annotate(
            engaged=Exists(took_part(ParticipationFact.Role.MENTOR, ParticipationFact.Role.MENTEE)),
            mentored=Exists(took_part(ParticipationFact.Role.MENTEE)),
        )
        .values("organization_id")
        .annotate(
            total=Count("id"),
            engaged_count=Count("id", filter=Q(engaged=True)),
            young=Count("id", filter=Q(is_young_specialist=True)),
            young_mentored=Count("id", filter=Q(is_young_specialist=True, mentored=True)),
        )
    )
    for row in employed:
        kpi = result[row["organization_id"]]
        kpi.k2_engaged = Ratio(row["engaged_count"], row["total"])
        kpi.k3_young_with_mentor = Ratio(row["young_mentored"], row["young"])

    # K7: final satisfaction of pairs that ended in the period.
    scores = (
        SatisfactionFact.objects.filter(
            organization_id__in=ids, pair_ended_on__gte=period.start, pair_ended_on__lte=period.end
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
        RoadmapStageFact.objects.filter(organization_id__in=ids, academic_year__in=years)
        .values("organization_id", "position")
        .annotate(activities=Sum("activities"), done=Sum("done"), overdue=Sum("overdue"))
    )
    for row in stages:
        result[row["organization_id"]].k11_stages[row["position"]] = [row["activities"], row["done"], row["overdue"]]

    # K12: mentees whose participation ended a year before a day of the period, still employed a year on.
    _retention(ids, period, result)
    return result


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


def rollup(kpis: Iterable[OrganizationKpi]) -> AggregateKpi:
    """Indicators of a set of organizations: shares are sums of numerators over sums of denominators."""
    total = AggregateKpi()
    for kpi in kpis:
        total.organizations += 1
        total.k1_implementing += Ratio(int(kpi.k1_implements), 1)
        total.k2_engaged += kpi.k2_engaged
        total.k3_young_with_mentor += kpi.k3_young_with_mentor
        total.k4_by_form.update(kpi.k4_by_form)
        total.k4_by_kind.update(kpi.k4_by_kind)
        total.k4_network += kpi.k4_network
        total.k4_local += kpi.k4_local
        total.k5_active += kpi.k5_active
        total.k5_completed += kpi.k5_completed
        total.k5_ended_early.update(kpi.k5_ended_early)
        total.k5_extended += kpi.k5_extended
        total.k6_overdue.update(kpi.k6_overdue)
        total.k7_mentors += kpi.k7_mentors
        total.k7_mentees += kpi.k7_mentees
        total.k8_loads.update(kpi.k8_loads)
        total.k8_over_cap += kpi.k8_over_cap
        total.k9_published += Ratio(int(kpi.k9_published), 1)
        for position, values in kpi.k11_stages.items():
            stage = total.k11_stages.setdefault(position, [0, 0, 0])
            for index, value in enumerate(values):
                stage[index] += value
        total.k12_retained += kpi.k12_retained
    return total


def lagging(kpis: dict[int, OrganizationKpi]) -> dict[int, list[str]]:
    """Organizations that lag, each with the reasons (K1 conditions missing, overdue items, over-cap mentors)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for pk, kpi in kpis.items():
        reasons[pk].extend(kpi.k1_missing)
        labels = {
            "appointment": "наставляемые без наставника сверх срока",
            "program": "программы не составлены в срок",
            "report": "итоговые отчёты не сданы в срок",
            "roadmap": "просрочены мероприятия дорожной карты",
        }
        for kind, label in labels.items():
            if kpi.k6_overdue.get(kind):
                reasons[pk].append(f"{label}: {kpi.k6_overdue[kind]}")
        if kpi.k8_over_cap:
            reasons[pk].append(f"наставники сверх предельной нагрузки: {kpi.k8_over_cap}")
    return {pk: items for pk, items in reasons.items() if items}
