"""The regional dashboard's indicators and the region-wide XLSX export at 2,500 organizations.

How: a worker process (``python -m bench.monitoring --worker``) gets its own throw-away database
(``nastavnik_bench_monitoring``) and grows the demo region to 2,500 educational organizations with
``seed_demo(orgs=2500)`` -- a real tenant schema each, provisioned through the services -- and brings
the demo gymnasium to "banks ready" through the services (``seed_mentoring``), so at least one
schema holds real raw records. The projection tables of every other organization are then filled
with a deterministic, realistic volume of facts (40 staff, about 8 pairs with their participants,
satisfaction answers and 4 roadmap stages per organization: about 100,000 staff facts and 20,000
pairs for the region), since generating raw records through the services for 2,500 schemas would
take hours; about one organization in five has cases in the bank of practices (K10).

Measured side by side in the same run, interleaved so that load from other users of this shared
machine hits both alike:

- **projections**: everything the regional dashboard shows for the academic year, as its page
  builds it (``analytics.dashboard.scope_overview(..., every_organization=False,
  lagging_limit=LAGGING_PAGE)``): the indicators stored with each organization's projection added up
  per municipality by PostgreSQL (``analytics.kpi.scope_rollups``), K10 counted from the bank of
  practices, the region's total, and the first page of lagging organizations with their reasons --
  30 repetitions;
- **naive baseline**: a loop over the tenant schemas of the region's organizations that reads each
  one's raw tables (``compute_facts()`` in each schema, the same reading the projection does once per
  write) -- 3 repetitions. Most schemas are empty here, so the baseline is a lower bound of its cost
  on a real region;
- **region XLSX export**: ``build_export`` of an export job of the whole region (rows in chunks,
  pandas workbook with every sheet), 3 repetitions.

Targets (issue 5): projections at least 100× faster than the naive loop (median against median);
95th percentile of the projections' query under 200 ms; the region-wide XLSX under 5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, datetime, timedelta

from bench import BENCH_DATABASE, Target, run_worker

ORGANIZATIONS = 2_500
DATABASE = f"{BENCH_DATABASE}_monitoring"
KPI_REPEATS = 30
NAIVE_REPEATS = 3
EXPORT_REPEATS = 3


def _fill_projections(organization_ids: list[int], year: int, rng: random.Random) -> None:
    """Facts of a plausible organization for each id (only ids whose projection is still empty)."""
    from analytics.kpi import FORMULAS_VERSION, Period, compute_organization_kpis, kpi_to_json
    from analytics.models import (
        OrganizationFacts,
        OrganizationYearKpi,
        PairFact,
        ParticipationFact,
        RoadmapStageFact,
        SatisfactionFact,
        StaffFact,
    )

    start = date(year, 9, 1)
    forms = ["teacher_teacher", "director_teacher", "teacher_student"]
    kinds = ["traditional", "group", "short_term", "virtual"]
    facts, staff, pairs, participations, scores, stages = [], [], [], [], [], []
    for organization_id in organization_ids:
        implements = rng.random() < 0.8
        facts.append(
            OrganizationFacts(
                organization_id=organization_id,
                as_of=start + timedelta(days=80),
                regulation_approved_on=start - timedelta(days=200) if implements or rng.random() < 0.5 else None,
                curator_since=start - timedelta(days=100) if implements else None,
                roadmap_years=[year] if implements else [],
                staff_employed=40,
                mentors_in_bank=6,
                mentees_waiting=rng.randint(0, 3),
                overdue_appointments=rng.choice([0, 0, 0, 1]),
                overdue_programs=rng.choice([0, 0, 1]),
                overdue_reports=rng.choice([0, 0, 0, 2]),
                overdue_roadmap_activities=rng.choice([0, 1]),
                mentor_loads={"0": 2, "1": 2, "2": 2},
                mentors_over_cap=0,
                mentor_cap=3,
            )
        )
        for staff_id in range(1, 41):
            staff.append(
                StaffFact(
                    organization_id=organization_id,
                    staff_id=staff_id,
                    hired_on=start - timedelta(days=rng.randint(30, 5000)),
                    dismissed_on=start + timedelta(days=rng.randint(1, 200)) if rng.random() < 0.05 else None,
                    is_young_specialist=staff_id > 32,
                )
            )
        for pair_id in range(1, (rng.randint(6, 10) if implements else 0) + 1):
            ended = rng.random() < 0.3
            starts = start + timedelta(days=rng.randint(0, 60))
            pairs.append(
                PairFact(
                    organization_id=organization_id,
                    pair_id=pair_id,
                    form=rng.choice(forms),
                    kinds=[rng.choice(kinds)],
                    is_network=rng.random() < 0.1,
                    status="completed" if ended else "active",
                    approved_on=starts - timedelta(days=5),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=270),
                    ended_on=starts + timedelta(days=60) if ended else None,
                    end_reason="plan_completed" if ended else "",
                    mentee_count=1,
                    program_status="confirmed",
                    program_extended=False,
                )
            )
            until = starts + timedelta(days=60 if ended else 270)
            participations.append(
                ParticipationFact(
                    organization_id=organization_id,
                    pair_id=pair_id,
                    staff_id=pair_id,
                    role="mentor",
                    from_date=starts,
                    to_date=until,
                )
            )
            participations.append(
                ParticipationFact(
                    organization_id=organization_id,
                    pair_id=pair_id,
                    staff_id=30 + pair_id,
                    role="mentee",
                    from_date=starts,
                    to_date=until,
                )
            )
            if ended:
                for role in ("mentor", "mentee"):
                    scores.append(
                        SatisfactionFact(
                            organization_id=organization_id,
                            pair_id=pair_id,
                            role=role,
                            score=rng.choice(["3.50", "4.00", "4.50", "5.00"]),
                            pair_ended_on=starts + timedelta(days=60),
                        )
                    )
        if implements:
            for position in range(1, 5):
                stages.append(
                    RoadmapStageFact(
                        organization_id=organization_id,
                        academic_year=year,
                        position=position,
                        title=f"Этап {position}",
                        activities=5,
                        done=rng.randint(0, 5),
                        overdue=rng.randint(0, 1),
                    )
                )
    OrganizationFacts.objects.bulk_create(facts, batch_size=2000)
    for model, rows in (
        (StaffFact, staff),
        (PairFact, pairs),
        (ParticipationFact, participations),
        (SatisfactionFact, scores),
        (RoadmapStageFact, stages),
    ):
        model.objects.bulk_create(rows, batch_size=5000)
    # What `store_facts` keeps beside the facts: each organization's indicators of this and last year,
    # by the same formulas (computed here for all of them at once; per organization they are independent).
    for academic_year in (year - 1, year):
        kpis = compute_organization_kpis(organization_ids, Period.academic_year(academic_year))
        OrganizationYearKpi.objects.bulk_create(
            [
                OrganizationYearKpi(
                    organization_id=pk,
                    academic_year=academic_year,
                    formulas_version=FORMULAS_VERSION,
                    values=kpi_to_json(kpi),
                )
                for pk, kpi in kpis.items()
            ],
            batch_size=2000,
        )


def _fill_practices(refs, region, year: int, rng: random.Random) -> None:
    """Cases of best practice for about a fifth of the organizations, in every state, dated in the year."""
    from django.utils import timezone

    from regional.models import PracticeCase

    statuses = list(PracticeCase.Status)
    start = timezone.make_aware(datetime(year, 9, 1, 12))
    cases = []
    for ref in refs:
        if rng.random() >= 0.2:
            continue
        for program_id in range(1, rng.randint(1, 3) + 1):
            status = rng.choice(statuses)
            submitted = None if status == PracticeCase.Status.DRAFT else start + timedelta(days=rng.randint(0, 300))
            published = submitted + timedelta(days=20) if status == PracticeCase.Status.PUBLISHED else None
            cases.append(
                PracticeCase(
                    organization_id=ref.id,
                    municipality_id=None if ref.parent_id == region.pk else ref.parent_id,
                    region=region,
                    pair_id=program_id,
                    program_id=program_id,
                    title=f"Кейс {program_id}",
                    problem="Адаптация молодого педагога",
                    goal="Уверенное ведение уроков",
                    form="teacher_teacher",
                    kinds=["traditional"],
                    activities="Посещение и разбор уроков",
                    results="Программа выполнена",
                    status=status,
                    submitted_at=submitted,
                    published_at=published,
                )
            )
    PracticeCase.objects.bulk_create(cases, batch_size=2000)


def worker() -> None:
    from bench import bench_database

    with bench_database(DATABASE):
        from django.db import connection
        from django_tenants.utils import schema_context

        from analytics.dashboard import LAGGING_PAGE, scope_overview
        from analytics.exports import build_export
        from analytics.kpi import Period
        from analytics.models import ExportJob, OrganizationFacts
        from analytics.projection import compute_facts, refreshes_deferred
        from analytics.scope import organizations_under
        from analytics.snapshots import academic_year_of
        from fixtures.demo import REGION_CODE, seed_demo
        from fixtures.mentoring import seed_mentoring
        from tenants.models import Organization

        started = time.perf_counter()
        seed_demo(orgs=ORGANIZATIONS, staff_per_org=24)
        seeded = time.perf_counter() - started
        region = Organization.objects.get(code=REGION_CODE)
        gymnasium = Organization.objects.get(code="kamyshin-gymnasium-1")
        with refreshes_deferred():  # nothing sent to a broker; one synchronous refresh at the end
            seed_mentoring(gymnasium)
        connection.set_schema_to_public()
        year = academic_year_of(date.today())
        period = Period.academic_year(year)
        refs = organizations_under(region)
        filled = set(OrganizationFacts.objects.values_list("organization_id", flat=True))
        _fill_projections([ref.id for ref in refs if ref.id not in filled], year, random.Random(2026))
        _fill_practices(refs, region, year, random.Random(2027))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        schemas = list(
            Organization.objects.filter(pk__in=[ref.id for ref in refs]).values_list("schema_name", flat=True)
        )

        def projections() -> float:
            began = time.perf_counter()
            scope_overview(region, period, every_organization=False, lagging_limit=LAGGING_PAGE)  # as the page asks
            return time.perf_counter() - began

        def naive() -> float:
            began = time.perf_counter()
            for schema in schemas:
                with schema_context(schema):
                    compute_facts()
            return time.perf_counter() - began

        def export() -> float:
            job = ExportJob.objects.create(scope=region, period_start=period.start, period_end=period.end)
            began = time.perf_counter()
            build_export(job.pk)
            elapsed = time.perf_counter() - began
            job.refresh_from_db()
            if job.status != ExportJob.Status.DONE:
                raise RuntimeError(f"export failed: {job.error}")
            sizes.append(len(job.content))
            return elapsed

        sizes: list[int] = []
        projections()  # warm-up (imports, plans)
        kpi_times, naive_times, export_times = [], [], []
        per_round = KPI_REPEATS // NAIVE_REPEATS
        for _ in range(NAIVE_REPEATS):
            kpi_times += [projections() for _ in range(per_round // 2)]
            naive_times.append(naive())
            export_times.append(export())
            kpi_times += [projections() for _ in range(per_round - per_round // 2)]
        results = {
            "organizations": len(refs),
            "schemas_read_by_naive": len(schemas),
            "seed_seconds": seeded,
            "kpi": kpi_times,
            "naive": naive_times,
            "export": export_times,
            "export_bytes": sizes[-1],
        }
    print(json.dumps(results), flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run() -> list[Target]:
    print(f"Preparing {DATABASE}: a region of {ORGANIZATIONS} organizations (takes a few minutes) ...", flush=True)
    results = run_worker("bench.monitoring", DATABASE)
    kpi, naive, export = results["kpi"], results["naive"], results["export"]
    kpi_median, naive_median = statistics.median(kpi), statistics.median(naive)
    print(
        f"{results['organizations']} organizations (seeded in {results['seed_seconds']:.0f} s); "
        f"naive loop read {results['schemas_read_by_naive']} schemas"
    )
    print(
        f"dashboard KPIs from projections, n={len(kpi)}: median {kpi_median * 1000:.1f} ms, "
        f"p95 {_p95(kpi) * 1000:.1f} ms (min {min(kpi) * 1000:.1f}, max {max(kpi) * 1000:.1f})"
    )
    print(
        f"naive loop over schemas, n={len(naive)}: median {naive_median:.2f} s "
        f"(min {min(naive):.2f}, max {max(naive):.2f})"
    )
    print(f"naive / projections: {naive_median / kpi_median:.0f}×")
    print(
        f"region XLSX export, n={len(export)}: median {statistics.median(export):.2f} s "
        f"(min {min(export):.2f}, max {max(export):.2f}), {results['export_bytes'] / 1024:.0f} KiB"
    )
    return [
        Target("projections / naive loop over schemas (median, ≤ 0.01 = 100× faster)", kpi_median / naive_median, 0.01),
        Target("dashboard KPIs from projections, p95, ms", _p95(kpi) * 1000, 200),
        Target("region-wide XLSX export, median, s", statistics.median(export), 5),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Worker process of the monitoring benchmark.")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.parse_args()
    worker()
