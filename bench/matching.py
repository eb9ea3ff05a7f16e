"""Matching: mentor suggestions for a 200-teacher organization and the stable assignment for 60 × 40.

How: a worker process (``python -m bench.matching --worker``) gets its own throw-away database
(``nastavnik_bench_matching``), provisions one organization and fills it deterministically with 200
teachers: 120 waiting mentees (requests, difficulties, tags, subjects) and 80 active mentors
(competencies, subjects, tags, capacity 1–3, signed consents for most of them, some approved pairs
so loads are not all zero). Then it times, median of 5 runs after one warm-up:

1. ``institutional.selectors.matching.suggestions_for`` for every waiting mentee (120 × 80 scored
   with breakdowns, from one query per table), beside a naive baseline measured in the same run:
   the same scoring with per-pair database queries (each mentor's consents and load, the mentee's
   consent, fetched for every mentee × mentor pair) — for the first 30 mentees only, since it is
   slow, and also shown scaled to 120;
2. ``institutional.matching.stable_assignment`` (mentee-proposing deferred acceptance) on a random
   instance of 60 mentees × 40 mentors (capacities 1–3, partial lists), beside a naive baseline on
   the same instance: start empty and repeatedly satisfy a random blocking pair until none is left
   (``naive_stable_assignment``, Roth–Vande Vate), which rescans for blocking pairs every step.

Targets (issue 4): suggestions for the whole organization ≤ 1000 ms; the assignment ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from bench import BENCH_DATABASE, Target, run_worker

DATABASE = f"{BENCH_DATABASE}_matching"
MENTEES, MENTORS = 120, 80
NAIVE_MENTEES = 30
ASSIGN_MENTEES, ASSIGN_MENTORS = 60, 40
SUGGESTIONS_LIMIT_MS = 1000.0
ASSIGNMENT_LIMIT_MS = 50.0
REPEAT = 5

SUBJECTS = ["Математика", "Физика", "Русский язык", "Литература", "История", "Биология", "Химия", "Английский язык"]
TOPICS = [
    "подготовка к ОГЭ",
    "подготовка к ЕГЭ",
    "дисциплина на уроках",
    "работа с родителями",
    "цифровые инструменты",
    "проектная деятельность",
    "дети с ОВЗ",
    "классное руководство",
    "функциональная грамотность",
    "олимпиадная подготовка",
]


def _median_ms(action) -> float:
    action()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _fill(rng: random.Random) -> None:
    from datetime import date

    from institutional.models import Consent, ConsentKind, MenteeEntry, MentorEntry, Order, Pair, PairMentee, Staff

    staff = Staff.objects.bulk_create(
        [
            Staff(
                personnel_number=f"{n:05d}",
                last_name=f"Фамилия{n}",
                first_name=f"Имя{n}",
                position="Учитель",
                subjects=rng.sample(SUBJECTS, rng.randint(1, 2)),
                hire_date=date(2000 + n % 24, 9, 1),
                total_experience_years=30 if n >= MENTEES else 5,
                pedagogical_experience_years=rng.randint(5, 30) if n >= MENTEES else rng.randint(0, 4),
            )
            for n in range(MENTEES + MENTORS)
        ]
    )
    mentees = MenteeEntry.objects.bulk_create(
        [
            MenteeEntry(
                staff=person,
                categories=["young"],
                requests=", ".join(rng.sample(TOPICS, 2)) + f"; {person.subjects[0].lower()}",
                difficulties=rng.choice(TOPICS),
                tags=rng.sample(["ОГЭ", "ЕГЭ", "ОВЗ", "родители", "цифра"], 2),
                needed_from=date(2024, 9, 1),
            )
            for person in staff[:MENTEES]
        ]
    )
    mentors = MentorEntry.objects.bulk_create(
        [
            MentorEntry(
                staff=person,
                competencies="Методика: " + ", ".join(rng.sample(TOPICS, 4)),
                subjects=person.subjects,
                tags=rng.sample(["ОГЭ", "ЕГЭ", "ОВЗ", "родители", "цифра"], 2),
                capacity=rng.randint(1, 3),
            )
            for person in staff[MENTEES:]
        ]
    )
    consent = {
        "subject_full_name": "x",
        "operator_name": "Школа",
        "purpose": "x",
        "data_list": "x",
        "actions": "x",
        "term": "x",
        "withdrawal_procedure": "x",
        "status": "signed",
        "signed_on": date(2024, 9, 1),
    }
    Consent.objects.bulk_create(
        [Consent(staff=person, kind=ConsentKind.PERSONAL_DATA, **consent) for person in staff if rng.random() < 0.8]
        + [Consent(staff=m.staff, kind=ConsentKind.MENTORING_DUTIES, **consent) for m in mentors if rng.random() < 0.8]
    )
    # A few approved pairs so that some mentors are (partly) busy.
    order = Order.objects.create(number="1", date=date(2024, 9, 1), kind="pairs_approval", title="x")
    for mentor, mentee in zip(mentors[:20], mentees[:20], strict=True):
        pair = Pair.objects.create(
            mentor=mentor,
            form="teacher_teacher",
            kinds=["traditional"],
            starts_on=date(2024, 9, 1),
            ends_on=date(2025, 8, 31),
            status="approved",
            order=order,
        )
        PairMentee.objects.create(pair=pair, mentee=mentee, joined_on=date(2024, 9, 1))
        MenteeEntry.objects.filter(pk=mentee.pk).update(status="in_pair")
    # Keep MENTEES waiting: add 20 more waiting ones for those taken into pairs.
    extra = Staff.objects.bulk_create(
        [
            Staff(
                personnel_number=f"9{n:04d}",
                last_name=f"Новый{n}",
                first_name="Имя",
                position="Учитель",
                subjects=[rng.choice(SUBJECTS)],
                hire_date=date(2024, 9, 1),
            )
            for n in range(20)
        ]
    )
    MenteeEntry.objects.bulk_create(
        [
            MenteeEntry(staff=p, categories=["young"], requests=rng.choice(TOPICS), needed_from=date(2024, 9, 1))
            for p in extra
        ]
    )


def _naive_suggestions(mentees) -> None:
    """Baseline: the same scoring, with the database asked separately for every mentee × mentor pair."""
    from institutional.matching import MentorProfile, score_mentors
    from institutional.models import ConsentKind
    from institutional.selectors import matching as selectors
    from institutional.selectors.consents import has_signed_consent

    mentors = list(selectors.active_mentors())
    for entry in mentees:
        mentee_consent = has_signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=entry.staff)
        profile = selectors.mentee_profile(entry, selectors.SignedConsents(set(), set()))
        profile = profile.__class__(**{**profile.__dict__, "has_personal_data_consent": mentee_consent})
        ranked = []
        for mentor in mentors:
            mentor_profile = MentorProfile(
                id=mentor.pk,
                staff_id=mentor.staff_id,
                name=mentor.staff.full_name,
                competencies=mentor.competencies,
                subjects=tuple(mentor.subjects),
                tags=tuple(mentor.tags),
                experience_years=mentor.staff.pedagogical_experience_years,
                capacity=mentor.capacity,
                load=selectors.mentor_loads([mentor.pk]).get(mentor.pk, 0),
                has_personal_data_consent=has_signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=mentor.staff),
                has_mentoring_duties_consent=has_signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=mentor.staff),
            )
            ranked += score_mentors(profile, [mentor_profile])
        ranked.sort(key=lambda s: (not s.has_free_place, -s.score))


def assignment_instance(rng: random.Random):
    mentees = list(range(ASSIGN_MENTEES))
    mentors = list(range(1000, 1000 + ASSIGN_MENTORS))
    mentee_prefs = {m: rng.sample(mentors, rng.randint(8, 15)) for m in mentees}
    mentor_prefs = {r: rng.sample(mentees, rng.randint(10, 25)) for r in mentors}
    capacity = {r: rng.randint(1, 3) for r in mentors}
    return mentee_prefs, mentor_prefs, capacity


def worker() -> None:
    from bench import bench_database

    with bench_database(DATABASE):
        from django.db import connection

        from institutional.matching import (
            assignment_problems,
            blocking_pairs,
            naive_stable_assignment,
            stable_assignment,
        )
        from institutional.selectors import matching as selectors
        from tenants import services

        services.organization_provision(
            actor=None,
            data=services.OrganizationData(
                code="bench-region", level="region", full_name="Регион", short_name="Регион", time_zone="Europe/Moscow"
            ),
        )
        school = services.organization_provision(
            actor=None,
            data=services.OrganizationData(
                code="bench-school",
                level="organization",
                parent_code="bench-region",
                kind="school",
                full_name="Школа",
                short_name="Школа",
            ),
        )
        connection.set_tenant(school)
        rng = random.Random(4)
        _fill(rng)
        mentees = list(selectors.waiting_mentees())
        rows = selectors.suggestions_for(mentees=mentees)
        results = {
            "waiting mentees": len(mentees),
            "active mentors": len(list(selectors.active_mentors())),
            "suggestions scored": sum(len(row.suggestions) for row in rows),
            "suggestions ms": _median_ms(lambda: selectors.suggestions_for(mentees=mentees)),
        }
        started = time.perf_counter()
        _naive_suggestions(mentees[:NAIVE_MENTEES])
        results["naive suggestions ms"] = (time.perf_counter() - started) * 1000

        mentee_prefs, mentor_prefs, capacity = assignment_instance(random.Random(60))
        result = stable_assignment(mentee_prefs, mentor_prefs, capacity)
        assert not assignment_problems(result, mentee_prefs, mentor_prefs, capacity)
        assert not blocking_pairs(result, mentee_prefs, mentor_prefs, capacity)
        results["matched"] = len(result)
        results["assignment ms"] = _median_ms(lambda: stable_assignment(mentee_prefs, mentor_prefs, capacity))
        started = time.perf_counter()
        naive, steps = naive_stable_assignment(mentee_prefs, mentor_prefs, capacity, seed=1)
        results["naive assignment ms"] = (time.perf_counter() - started) * 1000
        results["naive steps"] = steps
        results["naive matched"] = len(naive)
        connection.set_schema_to_public()
    print(json.dumps(results), flush=True)


def run() -> list[Target]:
    print(f"Preparing {DATABASE} (migrate, one organization of 200 teachers) ...", flush=True)
    r = run_worker("bench.matching", DATABASE)
    naive_scaled = r["naive suggestions ms"] * r["waiting mentees"] / NAIVE_MENTEES
    print(
        f"suggestions, {r['waiting mentees']} mentees × {r['active mentors']} mentors "
        f"({r['suggestions scored']} scored): {r['suggestions ms']:8.1f} ms (median of {REPEAT})"
    )
    print(
        f"naive per-pair queries, first {NAIVE_MENTEES} mentees: {r['naive suggestions ms']:8.1f} ms "
        f"(≈ {naive_scaled:.0f} ms for all {r['waiting mentees']}; ×{naive_scaled / r['suggestions ms']:.0f})"
    )
    print(
        f"stable assignment, {ASSIGN_MENTEES} × {ASSIGN_MENTORS}: {r['assignment ms']:8.3f} ms "
        f"(median of {REPEAT}; {r['matched']} matched, stable, within capacity)"
    )
    print(
        f"naive blocking-pair loop, same instance: {r['naive assignment ms']:8.1f} ms "
        f"({r['naive steps']} steps, {r['naive matched']} matched)"
    )
    return [
        Target("matching suggestions, 120 mentees × 80 mentors, ms", r["suggestions ms"], SUGGESTIONS_LIMIT_MS),
        Target("stable assignment, 60 mentees × 40 mentors, ms", r["assignment ms"], ASSIGNMENT_LIMIT_MS),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Worker process of the matching benchmark.")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.parse_args()
    worker()
