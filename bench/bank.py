"""Search in the unified regional mentor bank at 2,500 organizations and 30,000 listed mentors.

How: a worker process (``python -m bench.bank --worker``) gets its own throw-away database
(``nastavnik_bench_bank``) and grows the demo region to 2,500 educational organizations with 12
listed mentors each (30,000 in all), in two parts:

- a **sample** of ``SAMPLE`` organizations made by ``seed_demo`` -- a real tenant schema each,
  provisioned through the services. Every sampled schema gets its 12 mentors as raw records (staff
  card, bank entry shown to the region or to the municipality, signed publication consent listing
  every publishable field; written in bulk), and its bank rows are built by the real write path
  (``regional.bank.bank_rows`` in the schema, then ``bank_store``);
- the **rest** of the region (up to 2,500 organizations in about 100 municipalities) as rows of
  ``tenants.Organization`` only, with their bank rows written straight into ``regional.BankMentor``
  from the same generator (then indexed by ``regional.bank.index_search``, as ``bank_store`` does).
  Provisioning a schema takes about a second on this shared machine, so 2,500 real schemas would
  take most of an hour; the projection side never reads a tenant schema, so it does not need them.

The load ledger (``regional.MentorLoad``) gets mentees for about 60 % of the mentors, a fifth of
those with every seat taken.

Measured side by side in the same run, interleaved so that load from other users of this shared
machine hits both alike, as a school of one municipality sees the bank:

- **projection**: ``regional.bank_search.bank_search`` as the search page uses it -- the first page
  (25 mentors, with their organization, municipality and free seats) and the total found -- over
  all 30,000 rows, with two filters: (a) full text ``q`` + subject, (b) subject + free capacity;
  ``SEARCH_REPEATS`` runs each;
- **naive baseline**: a loop over tenant schemas querying each one's raw tables (MentorEntry +
  Staff + an EXISTS on the signed publication consent, text by ILIKE, the same visibility and the
  same load ledger), merging, sorting by name and cutting the first page -- what the page would do
  without the projection. It is measured over the ``SAMPLE`` real schemas and extrapolated linearly
  to 2,500 (time × 2,500 / SAMPLE). That is a lower bound: with 2,500 schemas in the database each
  schema switch is colder than with a hundred. Its results are checked against the projection's
  rows of the same organizations.

Targets (issue 6): bank_search p95 under 100 ms for each filter; the projection at least 100×
faster than the (extrapolated) naive loop, median against median.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date
from decimal import Decimal

from bench import BENCH_DATABASE, Target, run_worker

ORGANIZATIONS = 2_500
SAMPLE = 100
MENTORS_PER_ORGANIZATION = 12
ORGANIZATIONS_PER_MUNICIPALITY = 25
DATABASE = f"{BENCH_DATABASE}_bank"
SEARCH_REPEATS = 200
NAIVE_REPEATS = 3
PAGE = 25
VIEWER = "kamyshin-gymnasium-1"

SUBJECTS = [
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "Физика",
    "Химия",
    "Биология",
    "История",
    "Обществознание",
    "География",
    "Информатика",
    "Начальные классы",
    "Физическая культура",
    "Музыка",
    "Изобразительное искусство",
    "Труд (технология)",
    "Дошкольное образование",
    "Робототехника",
    "Немецкий язык",
    "Астрономия",
]
COMPETENCIES = [
    "подготовка к ОГЭ",
    "подготовка к ЕГЭ",
    "методика преподавания предмета",
    "дифференцированное обучение",
    "дисциплина и мотивация на уроке",
    "классное руководство",
    "работа с родителями",
    "формирующее оценивание",
    "проектная деятельность",
    "исследовательские проекты школьников",
    "олимпиадная подготовка",
    "цифровые образовательные ресурсы",
    "инклюзивное образование",
    "адаптация первоклассников",
    "воспитательная работа",
    "внеурочная деятельность",
    "функциональная грамотность",
    "наставничество молодых педагогов",
    "разработка рабочих программ",
    "открытые уроки и мастер-классы",
]
TAGS = [
    "открытый урок",
    "подготовка к ОГЭ",
    "дисциплина на уроке",
    "работа с родителями",
    "цифровые инструменты",
    "электронный журнал",
    "проектная деятельность",
    "олимпиады",
    "оценивание",
    "начальная школа",
    "инклюзия",
    "выгорание",
]
POSITIONS = ["Учитель", "Воспитатель", "Педагог дополнительного образования", "Методист", "Учитель-логопед"]
ACHIEVEMENTS = ["contest_winner", "materials_author", "webinars", "community_leader", "expert", "honorary"]
PUBLISHED = ["full_name", "position", "subjects", "competencies", "achievements"]

SCENARIOS = {
    "q+subject": {"query": "подготовка к ОГЭ", "subject": "Математика"},
    "subject+free": {"subject": "Русский язык", "has_free_capacity": True},
}


def _sentence(parts: list[str]) -> str:
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def _mentors(rng: random.Random, count: int) -> list[dict]:
    from fixtures.names import FATHER_NAMES, FEMALE_NAMES, MALE_NAMES, SURNAMES, patronymic, surname

    mentors = []
    for _ in range(count):
        female = rng.random() < 0.75
        subjects = rng.sample(SUBJECTS, rng.choice([1, 1, 2]))
        years = Decimal(rng.randint(5, 35))
        mentors.append(
            {
                "last_name": surname(rng.choice(SURNAMES), female),
                "first_name": rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                "patronymic": patronymic(rng.choice(FATHER_NAMES), female),
                "position": f"{rng.choice(POSITIONS)} ({subjects[0].lower()})",
                "subjects": subjects,
                "years": years,
                "category": rng.choice(["first", "highest", "highest", "methodist", "mentor"]),
                "competencies": _sentence(rng.sample(COMPETENCIES, rng.choice([2, 3]))),
                "tags": rng.sample(TAGS, rng.choice([1, 2, 3])),
                "achievements": rng.sample(ACHIEVEMENTS, rng.choice([0, 1, 2])),
                "capacity": rng.choice([1, 2, 3, 3, 3]),
                "visibility": "municipality" if rng.random() < 0.15 else "region",
            }
        )
    return mentors


def _fill_schema(mentors: list[dict], today) -> None:
    """Raw records of the current schema: staff cards, bank entries, signed publication consents."""
    from institutional.models import Consent, ConsentKind, MentorEntry, Staff

    staff = Staff.objects.bulk_create(
        [
            Staff(
                last_name=m["last_name"],
                first_name=m["first_name"],
                patronymic=m["patronymic"],
                position=m["position"],
                subjects=m["subjects"],
                hire_date=date(today.year - int(m["years"]) + 1, 9, 1),
                pedagogical_experience_years=m["years"],
                total_experience_years=m["years"] + 1,
                qualification_category=m["category"],
            )
            for m in mentors
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                kind=ConsentKind.PUBLICATION,
                staff=person,
                subject_full_name=person.full_name,
                operator_name="Образовательная организация",
                purpose="публикация сведений о наставнике",
                data_list="ФИО, должность, предметы, компетенции, достижения",
                actions="распространение",
                term="до отзыва",
                withdrawal_procedure="письменное заявление",
                published_fields=PUBLISHED,
                status=Consent.Status.SIGNED,
                signed_on=today,
            )
            for person in staff
        ]
    )
    MentorEntry.objects.bulk_create(
        [
            MentorEntry(
                staff=person,
                competencies=m["competencies"],
                subjects=m["subjects"],
                achievements=m["achievements"],
                tags=m["tags"],
                capacity=m["capacity"],
                visibility=m["visibility"],
            )
            for person, m in zip(staff, mentors, strict=True)
        ]
    )


def _fill_ledger(rng: random.Random) -> int:
    from regional.models import BankMentor, MentorLoad

    rows = []
    for organization_id, entry_id, capacity in BankMentor.objects.values_list(
        "organization_id", "mentor_entry_id", "capacity"
    ):
        if rng.random() < 0.6:
            taken = capacity if rng.random() < 0.2 else rng.randint(0, capacity - 1)
            network = min(taken, rng.choice([0, 0, 0, 1]))
            rows.append(
                MentorLoad(
                    organization_id=organization_id,
                    mentor_entry_id=entry_id,
                    capacity=capacity,
                    local_mentees=taken - network,
                    network_mentees=network,
                )
            )
    # Creating the bank entries already gave every mentor a ledger row (institutional migration 0018).
    MentorLoad.objects.bulk_create(
        rows,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["organization", "mentor_entry_id"],
        update_fields=["capacity", "local_mentees", "network_mentees"],
    )
    return len(rows)


def _naive_search(targets, *, query: str = "", subject: str = "", has_free_capacity: bool = False):
    """The page without the projection: every schema's raw tables, merged, sorted, first page cut."""
    from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce
    from django_tenants.utils import schema_context

    from institutional.models import Consent, ConsentKind, MentorEntry, Staff
    from regional.models import MentorLoad

    found = []
    for organization_id, schema, visibilities in targets:
        with schema_context(schema):
            signed = Consent.objects.filter(
                staff_id=OuterRef("staff_id"), kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED
            )
            load = MentorLoad.objects.filter(organization_id=organization_id, mentor_entry_id=OuterRef("pk")).values(
                total=F("local_mentees") + F("network_mentees")
            )[:1]
            rows = (
                MentorEntry.objects.filter(
                    is_active=True,
                    visibility__in=visibilities,
                    home_organization_id__isnull=True,
                    staff__status=Staff.Status.EMPLOYED,
                    staff__is_outside=False,
                )
                .filter(Exists(signed))
                .annotate(taken=Coalesce(Subquery(load, output_field=IntegerField()), Value(0)))
            )
            if query:
                rows = rows.filter(
                    Q(competencies__icontains=query)
                    | Q(tags__icontains=query)
                    | Q(staff__position__icontains=query)
                    | Q(staff__last_name__icontains=query)
                )
            if subject:
                rows = rows.filter(subjects__contains=[subject])
            if has_free_capacity:
                rows = rows.filter(capacity__gt=F("taken"))
            found.extend(
                (staff_last, staff_first, organization_id, pk, capacity, taken)
                for staff_last, staff_first, pk, capacity, taken in rows.values_list(
                    "staff__last_name", "staff__first_name", "pk", "capacity", "taken"
                )
            )
    found.sort()
    return found[:PAGE], len(found)


def _grow_region(region, count: int, rng: random.Random) -> list:
    """Organizations (rows only, no schema) until the region has `count`, ~25 per municipality."""
    from tenants.models import Level, Organization, OrganizationKind

    existing = Organization.objects.filter(level=Level.ORGANIZATION).count()
    missing = count - existing
    if missing <= 0:
        return []
    municipalities = list(Organization.objects.filter(level=Level.MUNICIPALITY, parent=region))
    wanted = -(-count // ORGANIZATIONS_PER_MUNICIPALITY)
    municipalities += Organization.objects.bulk_create(
        [
            Organization(
                code=f"bench-mo-{number:03d}",
                schema_name=f"bench_mo_{number:03d}",
                level=Level.MUNICIPALITY,
                parent=region,
                full_name=f"Управление образования муниципального образования № {number}",
                short_name=f"МО № {number}",
                time_zone=region.time_zone,
            )
            for number in range(len(municipalities) + 1, wanted + 1)
        ]
    )
    kinds = [OrganizationKind.SCHOOL] * 6 + [OrganizationKind.KINDERGARTEN] * 3 + [OrganizationKind.EXTRA_EDUCATION]
    return Organization.objects.bulk_create(
        [
            Organization(
                code=f"bench-org-{number:05d}",
                schema_name=f"bench_org_{number:05d}",
                level=Level.ORGANIZATION,
                kind=rng.choice(kinds),
                parent=municipalities[number % len(municipalities)],
                full_name=f"Муниципальное образовательное учреждение № {number}",
                short_name=f"МОУ № {number}",
                time_zone=region.time_zone,
            )
            for number in range(1, missing + 1)
        ],
        batch_size=1000,
    )


def _bank_rows_without_schema(organizations, rng: random.Random) -> int:
    """What `bank_rows` would publish for organizations whose raw records are not generated."""
    from regional.bank import index_search
    from regional.models import BankMentor

    rows = []
    for organization in organizations:
        municipality_id, region_id = organization.parent_id, organization.parent.parent_id
        for number, m in enumerate(_mentors(rng, MENTORS_PER_ORGANIZATION), start=1):
            rows.append(
                BankMentor(
                    organization_id=organization.pk,
                    municipality_id=municipality_id,
                    region_id=region_id,
                    organization_kind=organization.kind,
                    mentor_entry_id=number,
                    staff_id=number,
                    visibility=m["visibility"],
                    full_name=f"{m['last_name']} {m['first_name']} {m['patronymic']}",
                    position=m["position"],
                    subjects=m["subjects"],
                    competencies=m["competencies"],
                    achievements=m["achievements"],
                    tags=m["tags"],
                    pedagogical_experience_years=m["years"],
                    qualification_category=m["category"],
                    capacity=m["capacity"],
                    trainings=rng.choice([0, 0, 1, 2]),
                )
            )
    BankMentor.objects.bulk_create(rows, batch_size=5000)
    index_search()
    return len(rows)


def worker(organizations_count: int = ORGANIZATIONS, sample: int = SAMPLE) -> None:
    from bench import bench_database

    with bench_database(DATABASE):
        from django.db import connection
        from django_tenants.utils import schema_context

        from fixtures.demo import REGION_CODE, seed_demo
        from institutional.dates import organization_today
        from regional.bank import bank_rows, bank_store
        from regional.bank_search import bank_search, municipality_group_of
        from regional.models import BankMentor
        from tenants.models import Level, Organization

        started = time.perf_counter()
        seed_demo(orgs=sample, staff_per_org=2)
        seeded = time.perf_counter() - started
        region = Organization.objects.get(code=REGION_CODE)

        sampled = list(
            Organization.objects.filter(level=Level.ORGANIZATION).select_related("parent__parent").order_by("pk")
        )
        rng = random.Random(2026)
        started = time.perf_counter()
        today = organization_today(sampled[0])
        for organization in sampled:
            with schema_context(organization.schema_name):
                _fill_schema(_mentors(rng, MENTORS_PER_ORGANIZATION), today)
        raw_seconds = time.perf_counter() - started

        started = time.perf_counter()
        for organization in sampled:
            with schema_context(organization.schema_name):
                bank_store(organization.pk, bank_rows(organization))
        projection_seconds = time.perf_counter() - started
        connection.set_schema_to_public()

        started = time.perf_counter()
        grown = _grow_region(region, organizations_count, rng)
        grown = list(Organization.objects.filter(pk__in=[o.pk for o in grown]).select_related("parent"))
        _bank_rows_without_schema(grown, rng)
        grow_seconds = time.perf_counter() - started
        ledger_rows = _fill_ledger(rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

        viewer = Organization.objects.select_related("parent__parent").get(code=VIEWER)
        group = municipality_group_of(viewer)
        targets = [
            (o.pk, o.schema_name, ["region", "municipality"] if o.parent_id == group else ["region"]) for o in sampled
        ]
        sample_ids = {o.pk for o in sampled}

        def projection(name: str) -> float:
            began = time.perf_counter()
            page = bank_search(viewer=viewer, **SCENARIOS[name]).page(1, PAGE)
            elapsed = time.perf_counter() - began
            counts[name] = (page.paginator.count, len(page))
            return elapsed

        def naive(name: str) -> float:
            began = time.perf_counter()
            _page, total = _naive_search(targets, **SCENARIOS[name])
            elapsed = time.perf_counter() - began
            connection.set_schema_to_public()
            naive_counts[name] = total
            return elapsed

        counts: dict[str, tuple[int, int]] = {}
        naive_counts: dict[str, int] = {}
        times = {name: [] for name in SCENARIOS}
        naive_times = {name: [] for name in SCENARIOS}
        for name in SCENARIOS:
            projection(name)  # warm-up (imports, plans)
            naive(name)
        per_round = -(-SEARCH_REPEATS // NAIVE_REPEATS)  # at least SEARCH_REPEATS runs in all
        for _ in range(NAIVE_REPEATS):
            for name in SCENARIOS:
                times[name] += [projection(name) for _ in range(per_round // 2)]
                naive_times[name].append(naive(name))
                times[name] += [projection(name) for _ in range(per_round - per_round // 2)]
        # The same question answered by the projection for the sampled organizations only.
        in_sample = {
            name: sum(mentor.organization_id in sample_ids for mentor in bank_search(viewer=viewer, **SCENARIOS[name]))
            for name in SCENARIOS
        }
        results = {
            "organizations": Organization.objects.filter(level=Level.ORGANIZATION, parent__parent=region).count()
            + Organization.objects.filter(level=Level.ORGANIZATION, parent=region).count(),
            "sample": len(sampled),
            "listed": BankMentor.objects.count(),
            "visible": bank_search(viewer=viewer).count(),
            "ledger_rows": ledger_rows,
            "seed_seconds": seeded,
            "raw_seconds": raw_seconds,
            "projection_seconds": projection_seconds,
            "grow_seconds": grow_seconds,
            "times": times,
            "naive": naive_times,
            "counts": counts,
            "naive_counts": naive_counts,
            "projection_counts_in_sample": in_sample,
        }
    print(json.dumps(results), flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run() -> list[Target]:
    print(
        f"Preparing {DATABASE}: {ORGANIZATIONS} organizations ({SAMPLE} with a real schema), "
        f"{ORGANIZATIONS * MENTORS_PER_ORGANIZATION} listed mentors (takes a few minutes) ...",
        flush=True,
    )
    results = run_worker("bench.bank", DATABASE)
    scale = results["organizations"] / results["sample"]
    print(
        f"{results['organizations']} organizations, {results['sample']} of them with a real schema (seeded in "
        f"{results['seed_seconds']:.0f} s; raw mentors written in {results['raw_seconds']:.1f} s; their bank rows "
        f"built by bank_rows + bank_store in {results['projection_seconds']:.1f} s); the other organizations' rows "
        f"written in {results['grow_seconds']:.1f} s; {results['listed']} rows in the bank, {results['visible']} "
        f"visible to {VIEWER}; {results['ledger_rows']} ledger rows given mentees"
    )
    targets = []
    for name in SCENARIOS:
        times, naive = results["times"][name], results["naive"][name]
        median, naive_median = statistics.median(times), statistics.median(naive)
        extrapolated = naive_median * scale
        print(
            f"[{name}] bank_search over all {results['listed']} rows, n={len(times)}: median {median * 1000:.1f} ms, "
            f"p95 {_p95(times) * 1000:.1f} ms (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); "
            f"found {results['counts'][name][0]}"
        )
        print(
            f"[{name}] naive loop over the {results['sample']} sampled schemas, n={len(naive)}: median "
            f"{naive_median * 1000:.0f} ms (min {min(naive) * 1000:.0f}, max {max(naive) * 1000:.0f}); found "
            f"{results['naive_counts'][name]} (the projection finds {results['projection_counts_in_sample'][name]} "
            f"in the same organizations); extrapolated to {results['organizations']} schemas: {extrapolated:.2f} s"
        )
        print(f"[{name}] naive (extrapolated) / projection: {extrapolated / median:.0f}×")
        targets += [
            Target(f"bank search {name}, p95, ms", _p95(times) * 1000, 100),
            Target(f"bank search {name} / naive loop, extrapolated (median, ≤ 0.01)", median / extrapolated, 0.01),
        ]
    return targets


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Worker process of the mentor bank benchmark.")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--orgs", type=int, default=ORGANIZATIONS, help="organizations in all (a trial run: fewer)")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="organizations with a real schema")
    arguments = parser.parse_args()
    worker(arguments.orgs, arguments.sample)
