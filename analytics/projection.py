"""The read model's write path: what one organization publishes upward, recomputed as a whole.

`compute_facts()` runs in an organization's schema and reads only its raw tables; `store_facts()`
replaces that organization's rows in the public projection tables in one transaction (the facts
row is locked first, so two refreshes of one organization run one after the other and the later
one wins with the newer data). `refresh_organization()` does both and is idempotent: running it
twice leaves the same rows. `verify_organization()` recomputes and lists every difference from what
is stored (the `verify_projections` command).

The organization's entries of the unified regional mentor bank (`regional.BankMentor`, see
`regional.bank`) are part of what it publishes: computed, stored and verified with the facts, in
the same transaction.

Refreshes are triggered after the commit of every write (`mark_dirty`, called by
`nastavnik.audit.actor_context`, which every write service uses) and by a daily reconciliation of
every organization.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from analytics.models import (
    OrganizationFacts,
    OrganizationYearKpi,
    PairFact,
    ParticipationFact,
    RoadmapStageFact,
    SatisfactionFact,
    StaffFact,
)
from regional.bank import BANK_FIELDS, bank_rows, bank_store, unindexed_rows
from regional.models import BankMentor

# The projection tables of one organization besides its facts row, with the fields that are compared.
ROW_TABLES = {
    "staff": (StaffFact, ("staff_id", "hired_on", "dismissed_on", "is_young_specialist")),
    "pairs": (
        PairFact,
        (
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
        ),
    ),
    "participations": (ParticipationFact, ("pair_id", "staff_id", "role", "from_date", "to_date")),
    "satisfaction": (SatisfactionFact, ("pair_id", "role", "score", "pair_ended_on")),
    "roadmap": (RoadmapStageFact, ("academic_year", "position", "title", "activities", "done", "overdue")),
    # The organization's mentors listed in the regional bank (only what each consented to publish);
    # stored by `regional.bank.bank_store`, which keeps the ids of rows that stay and indexes them.
    "bank": (BankMentor, BANK_FIELDS),
}
SUMMARY_FIELDS = (
    "as_of",
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
)


@dataclass
class Facts:
    summary: dict
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def comparable(self) -> dict:
        return {
            "summary": dict(self.summary),
            **{
                name: sorted(tuple(_plain(row[f]) for f in ROW_TABLES[name][1]) for row in rows)
                for name, rows in self.rows.items()
            },
        }


def _plain(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return value


# --- reading one organization (tenant schema) -----------------------------------------------------


def compute_facts(*, today: date | None = None) -> Facts:
    """Everything the current organization publishes, from its raw tables (read only)."""
    from institutional.dates import organization_today
    from institutional.models import (
        Appointment,
        MenteeEntry,
        MentorEntry,
        Pair,
        ProgramChange,
        Roadmap,
        RoadmapActivity,
        Staff,
    )
    from institutional.selectors.banks import mentor_loads
    from institutional.selectors.deadlines import open_deadlines
    from institutional.selectors.regulation import regulation_in_force, rules_in_force

    today = today or organization_today()
    rules = rules_in_force()
    regulation = regulation_in_force()
    curator = (
        Appointment.objects.filter(role=Appointment.Role.CURATOR, ended_on__isnull=True).order_by("starts_on").first()
    )
    # Outside (network) mentors are counted by their own organization, never here.
    outside = set(Staff.objects.filter(is_outside=True).values_list("pk", flat=True))
    staff = list(
        Staff.objects.filter(is_outside=False).values_list(
            "pk", "hire_date", "dismissal_date", "status", "pedagogical_experience_years"
        )
    )
    from institutional.models.staff import YOUNG_SPECIALIST_MAX_YEARS

    staff_rows = [
        {
            "staff_id": pk,
            "hired_on": hired,
            "dismissed_on": dismissed if status == Staff.Status.DISMISSED else None,
            "is_young_specialist": experience < YOUNG_SPECIALIST_MAX_YEARS,
        }
        for pk, hired, dismissed, status, experience in staff
    ]

    pairs = list(
        Pair.objects.exclude(status=Pair.Status.DRAFT)
        .select_related("order", "mentor", "program")
        .prefetch_related("participants__mentee", "replacements")
        .order_by("pk")
    )
    extended = set(
        ProgramChange.objects.filter(kind=ProgramChange.Kind.EXTEND, applied_at__isnull=False).values_list(
            "program__pair_id", flat=True
        )
    )
    pair_rows, participation_rows = [], []
    for pair in pairs:
        program = getattr(pair, "program", None) if hasattr(pair, "program") else None
        end = pair.ended_on or pair.ends_on
        participants = list(pair.participants.all())
        pair_rows.append(
            {
                "pair_id": pair.pk,
                "form": pair.form,
                "kinds": sorted(pair.kinds),
                "is_network": pair.is_network,
                "status": pair.status,
                "approved_on": pair.order.date,
                "starts_on": pair.starts_on,
                "ends_on": pair.ends_on,
                "ended_on": pair.ended_on,
                "end_reason": pair.end_reason,
                "mentee_count": len(participants),
                "program_status": program.status if program else "",
                "program_extended": pair.pk in extended,
            }
        )
        participation_rows.extend(row for row in _mentor_segments(pair, end) if row["staff_id"] not in outside)
        for participant in participants:
            participation_rows.append(
                {
                    "pair_id": pair.pk,
                    "staff_id": participant.mentee.staff_id,
                    "role": ParticipationFact.Role.MENTEE,
                    "from_date": participant.joined_on,
                    "to_date": min(participant.left_on or end, end),
                }
            )

    loads = mentor_loads()
    outside_entries = set(MentorEntry.objects.filter(home_organization_id__isnull=False).values_list("pk", flat=True))
    active_mentors = list(
        MentorEntry.objects.filter(is_active=True, home_organization_id__isnull=True).values_list("pk", flat=True)
    )
    load_counts = Counter(loads.get(pk, 0) for pk in active_mentors)
    over_cap = sum(1 for pk, load in loads.items() if pk not in outside_entries and load > rules.mentees_per_mentor_max)

    overdue = Counter(d.kind for d in open_deadlines(today=today) if d.is_overdue)

    roadmaps = {r.pk: r.academic_year for r in Roadmap.objects.filter(status=Roadmap.Status.APPROVED)}
    stage_rows: dict[tuple[int, int], dict] = {}
    activities = RoadmapActivity.objects.filter(stage__roadmap_id__in=list(roadmaps)).values_list(
        "stage__roadmap_id", "stage__position", "stage__title", "status", "deadline"
    )
    from institutional.models import RoadmapStage

    for roadmap_id, position, title in RoadmapStage.objects.filter(roadmap_id__in=list(roadmaps)).values_list(
        "roadmap_id", "position", "title"
    ):
        stage_rows[(roadmaps[roadmap_id], position)] = {
            "academic_year": roadmaps[roadmap_id],
            "position": position,
            "title": title,
            "activities": 0,
            "done": 0,
            "overdue": 0,
        }
    for roadmap_id, position, _title, status, deadline in activities:
        row = stage_rows[(roadmaps[roadmap_id], position)]
        row["activities"] += 1
        row["done"] += status == RoadmapActivity.Status.DONE
        row["overdue"] += (
            deadline is not None
            and deadline < today
            and status in (RoadmapActivity.Status.PLANNED, RoadmapActivity.Status.IN_PROGRESS)
        )

    summary = {
        "as_of": today,
        "regulation_approved_on": regulation.order_date if regulation else None,
        "curator_since": curator.starts_on if curator else None,
        "roadmap_years": sorted(set(roadmaps.values())),
        "staff_employed": sum(1 for row in staff if row[3] == Staff.Status.EMPLOYED),
        "mentors_in_bank": len(active_mentors),
        "mentees_waiting": MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).count(),
        "overdue_appointments": overdue.get("appointment", 0),
        "overdue_programs": overdue.get("program", 0),
        "overdue_reports": overdue.get("report", 0),
        "overdue_roadmap_activities": overdue.get("roadmap", 0),
        "mentor_loads": {str(load): count for load, count in sorted(load_counts.items())},
        "mentors_over_cap": over_cap,
        "mentor_cap": rules.mentees_per_mentor_max,
    }
    return Facts(
        summary=summary,
        rows={
            "staff": staff_rows,
            "pairs": pair_rows,
            "participations": participation_rows,
            "satisfaction": _satisfaction_rows(),
            "roadmap": list(stage_rows.values()),
            "bank": bank_rows(),
        },
    )


def _mentor_segments(pair, end: date) -> list[dict]:
    """The mentor's days in a pair: each replaced mentor up to the day before the replacement."""
    segments, start = [], pair.starts_on
    for replacement in sorted(pair.replacements.all(), key=lambda r: (r.replaced_on, r.pk)):
        if replacement.replaced_on > start:
            segments.append((replacement.previous_mentor.staff_id, start, replacement.replaced_on - timedelta(days=1)))
        start = max(start, replacement.replaced_on)
    segments.append((pair.mentor.staff_id, start, end))
    return [
        {
            "pair_id": pair.pk,
            "staff_id": staff_id,
            "role": ParticipationFact.Role.MENTOR,
            "from_date": begin,
            "to_date": max(begin, finish),
        }
        for staff_id, begin, finish in segments
    ]


def _satisfaction_rows() -> list[dict]:
    """Final satisfaction answers reduced to scores (the formula is institutional.selectors.satisfaction)."""
    from institutional.selectors.satisfaction import final_satisfaction_scores

    return [
        {"pair_id": pair_id, "role": role, "score": score, "pair_ended_on": ended_on}
        for pair_id, role, score, ended_on in final_satisfaction_scores()
    ]


# --- writing the public rows --------------------------------------------------------------------


def store_facts(organization_id: int, facts: Facts, *, computed_at=None) -> None:
    """Replace everything the organization published with `facts`, in one transaction.

    `computed_at` is when the recomputation began (its data include every write committed before).
    """
    with transaction.atomic():
        OrganizationFacts.objects.update_or_create(
            organization_id=organization_id, defaults={**facts.summary, "computed_at": computed_at or timezone.now()}
        )
        OrganizationFacts.objects.select_for_update().get(organization_id=organization_id)
        for name, (model, _fields) in ROW_TABLES.items():
            if model is BankMentor:
                bank_store(organization_id, facts.rows.get(name, []))
                continue
            model.objects.filter(organization_id=organization_id).delete()
            model.objects.bulk_create(
                [model(organization_id=organization_id, **row) for row in facts.rows.get(name, [])], batch_size=2000
            )
        store_year_kpis(organization_id, facts.summary["as_of"])


def store_year_kpis(organization_id: int, as_of: date) -> None:
    """The organization's indicators of the current and the previous academic year, from its stored facts."""
    from analytics.kpi import FORMULAS_VERSION, Period, compute_organization_kpis, kpi_to_json

    current = as_of.year if as_of.month >= 9 else as_of.year - 1
    OrganizationYearKpi.objects.filter(organization_id=organization_id).delete()
    rows = []
    for year in (current - 1, current):
        kpi = compute_organization_kpis([organization_id], Period.academic_year(year))[organization_id]
        rows.append(
            OrganizationYearKpi(
                organization_id=organization_id,
                academic_year=year,
                formulas_version=FORMULAS_VERSION,
                values=kpi_to_json(kpi),
            )
        )
    OrganizationYearKpi.objects.bulk_create(rows)


def stored_facts(organization_id: int) -> Facts | None:
    row = OrganizationFacts.objects.filter(organization_id=organization_id).values(*SUMMARY_FIELDS).first()
    if row is None:
        return None
    return Facts(
        summary=row,
        rows={
            name: list(model.objects.filter(organization_id=organization_id).values(*fields))
            for name, (model, fields) in ROW_TABLES.items()
        },
    )


def refresh_current_organization(organization_id: int, *, requested_at: float | None = None) -> bool:
    """Recompute and store the current organization's projection (in its schema).

    `requested_at` (a POSIX time, taken after the commit that asked for it) lets a backlog of requests
    coalesce: when a recomputation that began after that moment is already stored, it included the
    write, and nothing is done. Returns whether it recomputed.
    """
    tenant = connection.tenant
    if requested_at is not None:
        stored = (
            OrganizationFacts.objects.filter(organization_id=tenant.pk).values_list("computed_at", flat=True).first()
        )
        if stored is not None and stored.timestamp() > requested_at:
            return False
    began = timezone.now()
    store_facts(organization_id, compute_facts(), computed_at=began)
    return True


def refresh_organization(organization) -> None:
    """Recompute and store what `organization` publishes (from any schema)."""
    with schema_context(organization.schema_name):
        refresh_current_organization(organization.pk)


def verify_organization(organization) -> list[str]:
    """Differences between the stored projection and a recomputation now, as readable lines."""
    with schema_context(organization.schema_name):
        fresh = compute_facts()
        stored = stored_facts(organization.pk)
    if stored is None:
        return ["нет строки показателей"]
    expected, actual = fresh.comparable(), stored.comparable()
    differences = []
    for key in ("summary", *ROW_TABLES):
        if key == "summary":
            for name in SUMMARY_FIELDS:
                if name == "as_of":
                    continue
                if _plain(expected["summary"][name]) != _plain(actual["summary"][name]):
                    differences.append(
                        f"{name}: в проекции {actual['summary'][name]!r}, пересчёт даёт {expected['summary'][name]!r}"
                    )
        elif expected[key] != actual[key]:
            if len(expected[key]) == len(actual[key]):
                differences.append(f"{key}: строки проекции ({len(actual[key])}) расходятся с пересчётом")
            else:
                differences.append(f"{key}: в проекции {len(actual[key])} строк, пересчёт даёт {len(expected[key])}")
    if unindexed := unindexed_rows(organization.pk):
        differences.append(f"bank: у {unindexed} строк не заполнен поисковый индекс")
    differences.extend(_year_kpi_differences(organization.pk))
    return differences


def _year_kpi_differences(organization_id: int) -> list[str]:
    """Stored per-year indicators that differ from the formulas applied to the stored facts."""
    from analytics.kpi import FORMULAS_VERSION, Period, compute_organization_kpis, kpi_from_json

    differences = []
    for row in OrganizationYearKpi.objects.filter(organization_id=organization_id):
        recomputed = compute_organization_kpis([organization_id], Period.academic_year(row.academic_year))
        if (
            row.formulas_version != FORMULAS_VERSION
            or kpi_from_json(organization_id, row.values) != recomputed[organization_id]
        ):
            differences.append(f"показатели {row.academic_year}/{row.academic_year + 1} учебного года устарели")
    return differences


# --- triggering -----------------------------------------------------------------------------------


# Inside `refreshes_deferred()`: the schemas written to, refreshed once when the block ends.
_DEFERRED: ContextVar[set[str] | None] = ContextVar("projection_refreshes_deferred", default=None)


@contextmanager
def refreshes_deferred():
    """For bulk work (seeding, imports run as commands): no refresh per transaction; each organization
    written to is recomputed once, synchronously, when the block ends."""
    from tenants.models import Organization

    token = _DEFERRED.set(set())
    try:
        yield
        schemas = _DEFERRED.get()
    finally:
        _DEFERRED.reset(token)
    for organization in Organization.objects.filter(schema_name__in=sorted(schemas)):
        refresh_organization(organization)


def mark_dirty() -> None:
    """After the current transaction commits, refresh the current organization's projection.

    Called on every write (nastavnik.audit.actor_context). One refresh per transaction and
    organization; nothing is sent if the transaction rolls back (Django drops on_commit callbacks).
    """
    schema = connection.schema_name
    if schema == get_public_schema_name() or getattr(connection, "tenant", None) is None:
        return
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.add(schema)
        return
    for _savepoints, callback, *_rest in connection.run_on_commit:
        if getattr(callback, "projection_schema", None) == schema:
            return

    def send() -> None:
        from analytics.tasks import refresh_organization_facts

        with schema_context(schema):
            refresh_organization_facts.delay(requested_at=time.time())

    send.projection_schema = schema
    transaction.on_commit(send)
