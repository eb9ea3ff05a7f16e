"""Daily snapshots of the headline indicators: the points of the dashboards' trends.

`take_snapshots(region)` computes the current academic year's indicators of every organization of
the region from the projections, rolls them up per municipality and for the region, and stores one
`KpiSnapshot` per organization, municipality and region for the day (replacing that day's row, so
taking it twice a day is harmless). `trend(scope)` reads them back.

Values are kept as numerators and denominators ([n, d]) so a point can be shown as a percent or
as counts; means as [sum, count].
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from analytics.kpi import AggregateKpi, OrganizationKpi, Period, Ratio, organization_kpis, rollup
from analytics.models import KpiSnapshot
from analytics.scope import municipalities_of, organizations_under
from tenants.models import Organization

# The keys of `KpiSnapshot.values`, with what a trend line is called.
HEADLINE_LABELS = {
    "k1": "К1 — организации, внедряющие систему наставничества",
    "k2": "К2 — вовлечённость педагогов",
    "k3": "К3 — молодые специалисты с наставником",
    "k4": "К4 — пар и групп действует",
    "k5_completed": "К5 — программ выполнено",
    "k6": "К6 — просрочено",
    "k7_mentors": "К7 — удовлетворённость наставников",
    "k7_mentees": "К7 — удовлетворённость наставляемых",
    "k8_over_cap": "К8 — наставников сверх нагрузки",
    "k9": "К9 — опубликован раздел «Наставничество»",
    "k10": "К10 — организации с опубликованной лучшей практикой",
    "k10_published": "К10 — лучших практик опубликовано",
    "k10_submitted": "К10 — лучших практик направлено на рассмотрение",
    "k11": "К11 — выполнение дорожных карт",
    "k12": "К12 — закрепление бывших наставляемых",
}


def headline(kpi: OrganizationKpi | AggregateKpi) -> dict:
    """The values a snapshot keeps, for one organization or a roll-up."""
    if isinstance(kpi, OrganizationKpi):
        k1 = Ratio(int(kpi.k1_implements), 1)
        k9 = Ratio(int(kpi.k9_published), 1)
        k10 = Ratio(int(kpi.k10_has_published), 1)
    else:
        k1, k9, k10 = kpi.k1_implementing, kpi.k9_published, kpi.k10_with_published
    done = sum(stage[1] for stage in kpi.k11_stages.values())
    activities = sum(stage[0] for stage in kpi.k11_stages.values())
    return {
        "k1": [k1.numerator, k1.denominator],
        "k2": [kpi.k2_engaged.numerator, kpi.k2_engaged.denominator],
        "k3": [kpi.k3_young_with_mentor.numerator, kpi.k3_young_with_mentor.denominator],
        "k4": kpi.k4_network + kpi.k4_local,
        "k5_completed": kpi.k5_completed,
        "k6": kpi.k6_total,
        "k7_mentors": [float(kpi.k7_mentors.total), kpi.k7_mentors.count],
        "k7_mentees": [float(kpi.k7_mentees.total), kpi.k7_mentees.count],
        "k8_over_cap": kpi.k8_over_cap,
        "k9": [k9.numerator, k9.denominator],
        "k10": [k10.numerator, k10.denominator],
        "k10_published": kpi.k10_published,
        "k10_submitted": kpi.k10_submitted,
        "k11": [done, activities],
        "k12": [kpi.k12_retained.numerator, kpi.k12_retained.denominator],
    }


def academic_year_of(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def take_snapshots(region: Organization, *, on: date | None = None, as_recorded: bool = False) -> int:
    """Store the day's snapshot of the region, its municipalities and its organizations; returns the count.

    A daily snapshot holds the indicators of the whole current academic year as the projections
    show them that day. `as_recorded=True` reconstructs a past day instead (a backfill): the period
    ends on that day, so pairs, people, documents and cases of practice dated later are left out;
    the overdue and load counts (K6, K8), which the projections keep only for today, are today's.
    """
    on = on or timezone.localdate()
    year = academic_year_of(on)
    period = Period(Period.academic_year(year).start, on) if as_recorded else Period.academic_year(year)
    refs = organizations_under(region)
    kpis = organization_kpis([ref.id for ref in refs], period)
    by_parent: dict[int, list[OrganizationKpi]] = defaultdict(list)
    for ref in refs:
        by_parent[ref.parent_id].append(kpis[ref.id])
    values: dict[int, dict] = {ref.id: headline(kpis[ref.id]) for ref in refs}
    for municipality in municipalities_of(region):
        values[municipality.pk] = headline(rollup(by_parent.get(municipality.pk, [])))
    values[region.pk] = headline(rollup(kpis.values()))
    with transaction.atomic():
        KpiSnapshot.objects.filter(taken_on=on, organization_id__in=list(values)).delete()
        KpiSnapshot.objects.bulk_create(
            [
                KpiSnapshot(organization_id=pk, taken_on=on, academic_year=year, values=value)
                for pk, value in values.items()
            ],
            batch_size=2000,
        )
    return len(values)


def trend(organization_id: int, *, since: date | None = None) -> list[KpiSnapshot]:
    """The snapshots of a region, municipality or organization, oldest first."""
    queryset = KpiSnapshot.objects.filter(organization_id=organization_id)
    if since is not None:
        queryset = queryset.filter(taken_on__gte=since)
    return list(queryset.order_by("taken_on"))


def percent(pair: list | None) -> float | None:
    """A [numerator, denominator] value as a percent to one decimal; None without a denominator."""
    if not pair or not pair[1]:
        return None
    return round(100 * pair[0] / pair[1], 1)


def mean(pair: list | None) -> float | None:
    """A [sum, count] value as a mean to two decimals; None without answers."""
    if not pair or not pair[1]:
        return None
    return round(pair[0] / pair[1], 2)
