"""Write path of the unified regional mentor bank (`regional.BankMentor`, public schema).

`bank_rows()` runs in an organization's schema and reads only its raw tables: one row per mentor
whose bank entry is active and shown to the municipality or the region, who is employed here (not
an outside network mentor) and whose publication consent is signed. The personal fields hold only
what that consent lists; the rest of the row (tags, experience, category, capacity, trainings)
says nothing about the person beyond their mentoring. Nothing about a mentee is ever read.

`bank_store()` replaces an organization's rows (called by `analytics.projection.store_facts`, in the
same transaction as the facts) and fills the full-text vector; `unpublish_person()` takes a person
out at once, in the transaction of the write that withdrew the right to publish (a withdrawn
consent, a dismissal, an exclusion from the bank). Both take one per-organization lock, and a
store re-checks in the organization's schema who may still be published, so a refresh computed
just before a withdrawal can never put the person back.
"""

from __future__ import annotations

import zlib

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django_tenants.utils import get_public_schema_name

from regional.models import BankMentor
from tenants.models import Level, Organization

# The columns a row is compared by (`analytics.projection.verify_organization`) and rewritten on refresh.
BANK_FIELDS = (
    "mentor_entry_id",
    "staff_id",
    "visibility",
    "municipality_id",
    "region_id",
    "organization_kind",
    "full_name",
    "position",
    "subjects",
    "competencies",
    "achievements",
    "achievements_details",
    "tags",
    "pedagogical_experience_years",
    "qualification_category",
    "capacity",
    "trainings",
)
# What a refresh rewrites on a row that stays (model field names; the id and `published_at` stay).
_UPDATED_FIELDS = [
    {"municipality_id": "municipality", "region_id": "region"}.get(name, name)
    for name in BANK_FIELDS
    if name != "mentor_entry_id"
]
# Entry visibilities that list a mentor beyond their organization.
LISTED_VISIBILITIES = (BankMentor.Visibility.MUNICIPALITY, BankMentor.Visibility.REGION)
# One advisory lock namespace for the bank (the second key is the organization).
_LOCK_NAMESPACE = zlib.crc32(b"regional.bank") & 0x7FFFFFFF

# The full-text vector of a row: competencies weigh most (A, and only they: the competency filter
# reads the A part alone), then subjects and position (B), tags and achievements (C), the name (D).
SEARCH_VECTOR_SQL = """
    setweight(to_tsvector('russian', coalesce(competencies, '')), 'A')
    || setweight(to_tsvector('russian', array_to_string(subjects, ' ') || ' ' || coalesce(position, '')), 'B')
    || setweight(to_tsvector('russian', array_to_string(tags, ' ') || ' ' || coalesce(achievements_details, '')), 'C')
    || setweight(to_tsvector('russian', coalesce(full_name, '')), 'D')
"""


# --- reading one organization (tenant schema) -----------------------------------------------------


def current_organization() -> Organization:
    """The organization whose schema the connection uses, with its parents (one query)."""
    return Organization.objects.select_related("parent__parent").get(schema_name=connection.schema_name)


def current_organization_id() -> int:
    """The id of the organization whose schema the connection uses (no query when the tenant is loaded)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Organization) and tenant.schema_name == connection.schema_name:
        return tenant.pk
    return Organization.objects.values_list("pk", flat=True).get(schema_name=connection.schema_name)


def placement(organization: Organization) -> tuple[int | None, int]:
    """(municipality id, region id) of an organization's rows.

    The municipality is the organization's parent when that is a municipality, the organization
    itself when it is a municipality (its own methodologists), and empty for organizations of
    regional subordination and the region's own staff.
    """
    if organization.level == Level.MUNICIPALITY:
        municipality = organization
    elif organization.parent_id is not None and organization.parent.level == Level.MUNICIPALITY:
        municipality = organization.parent
    else:
        municipality = None
    return (municipality.pk if municipality else None), organization.region.pk


def publishable_entries():
    """Bank entries of this organization that may be listed in the regional bank now."""
    from institutional.models import Consent, ConsentKind, MentorEntry, Staff

    signed = Consent.objects.filter(
        staff_id=OuterRef("staff_id"), kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED
    )
    return MentorEntry.objects.filter(
        is_active=True,
        visibility__in=LISTED_VISIBILITIES,
        home_organization_id__isnull=True,
        staff__status=Staff.Status.EMPLOYED,
        staff__is_outside=False,
    ).filter(Exists(signed))


def bank_rows(organization: Organization | None = None) -> list[dict]:
    """The rows the current organization lists in the regional bank (read only, two queries)."""
    from institutional.models import Consent, ConsentKind

    organization = organization or current_organization()
    municipality_id, region_id = placement(organization)
    consent_fields = (
        Consent.objects.filter(
            staff_id=OuterRef("staff_id"), kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED
        )
        .order_by("-signed_on", "-id")
        .values("published_fields")[:1]
    )
    entries = (
        publishable_entries()
        .select_related("staff")
        .annotate(
            consented=Subquery(consent_fields, output_field=ArrayField(models.CharField(max_length=40))),
            training_count=Count("trainings"),
        )
        .order_by("pk")
    )
    rows = []
    for entry in entries:
        allowed = set(entry.consented or [])
        staff = entry.staff
        rows.append(
            {
                "mentor_entry_id": entry.pk,
                "staff_id": staff.pk,
                "visibility": entry.visibility,
                "municipality_id": municipality_id,
                "region_id": region_id,
                "organization_kind": organization.kind,
                "full_name": staff.full_name[:300] if "full_name" in allowed else "",
                "position": (staff.position or "")[:200] if "position" in allowed else "",
                "subjects": [s[:100] for s in (entry.subjects or staff.subjects or [])]
                if "subjects" in allowed
                else [],
                "competencies": entry.competencies if "competencies" in allowed else "",
                "achievements": list(entry.achievements or []) if "achievements" in allowed else [],
                "achievements_details": entry.achievements_details if "achievements" in allowed else "",
                "tags": [tag[:60] for tag in entry.tags or []],
                "pedagogical_experience_years": staff.pedagogical_experience_years,
                "qualification_category": staff.qualification_category,
                "capacity": entry.capacity,
                "trainings": entry.training_count,
            }
        )
    return rows


# --- writing the public rows ----------------------------------------------------------------------


def _lock(organization_id: int) -> None:
    """Serialize stores and withdrawals of one organization (held until the transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, int(organization_id) & 0x7FFFFFFF])


def _in_schema_of(organization_id: int) -> bool:
    schema = connection.schema_name
    if schema == get_public_schema_name():
        return False
    return Organization.objects.filter(pk=organization_id, schema_name=schema).exists()


def bank_store(organization_id: int, rows: list[dict]) -> None:
    """Replace the organization's rows with `rows` (ids of unchanged mentors are kept) and index them.

    Called in the organization's schema, a store drops the rows of people who may no longer be
    published at this moment (the rows may have been computed before a withdrawal committed).
    """
    with transaction.atomic():
        _lock(organization_id)
        if rows and _in_schema_of(organization_id):
            still = set(publishable_entries().values_list("pk", flat=True))
            rows = [row for row in rows if row["mentor_entry_id"] in still]
        BankMentor.objects.filter(organization_id=organization_id).exclude(
            mentor_entry_id__in=[row["mentor_entry_id"] for row in rows]
        ).delete()
        BankMentor.objects.bulk_create(
            [BankMentor(organization_id=organization_id, **row) for row in rows],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["organization", "mentor_entry_id"],
            update_fields=_UPDATED_FIELDS,
        )
        if rows:
            index_search(organization_id)


def index_search(organization_id: int | None = None) -> None:
    """Fill the full-text vector of the organization's rows (of every row when None)."""
    where, params = ("WHERE organization_id = %s", [organization_id]) if organization_id is not None else ("", [])
    with connection.cursor() as cursor:
        sql = f"UPDATE {BankMentor._meta.db_table} SET search = {SEARCH_VECTOR_SQL} {where}"  # noqa: S608 - constants
        cursor.execute(sql, params)


def unpublish_person(*, organization_id: int, staff_id: int) -> int:
    """Take a person of the organization out of the regional bank now; returns how many rows went."""
    with transaction.atomic():
        _lock(organization_id)
        deleted, _ = BankMentor.objects.filter(organization_id=organization_id, staff_id=staff_id).delete()
    return deleted


def unindexed_rows(organization_id: int) -> int:
    return BankMentor.objects.filter(organization_id=organization_id, search__isnull=True).count()
