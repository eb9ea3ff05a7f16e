"""Celery entry points of the read model.

`refresh_organization_facts` runs in the schema it was sent from (tenant-schemas-celery) and
recomputes that organization's projection; `reconcile_all` runs in the public schema and sends it
into every organization's schema (daily, in case a refresh was lost). Both are safe to run twice.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name

from nastavnik.tasks import send_to_every_organization


@shared_task(name="analytics.refresh_organization_facts")
def refresh_organization_facts(requested_at: float | None = None) -> bool:
    """Recompute this organization's projection unless one begun after `requested_at` is stored."""
    from analytics.projection import refresh_current_organization

    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == get_public_schema_name():
        return False
    return refresh_current_organization(tenant.pk, requested_at=requested_at)


@shared_task(name="analytics.reconcile_all")
def reconcile_all() -> int:
    return send_to_every_organization(refresh_organization_facts)


@shared_task(name="analytics.take_snapshots_all")
def take_snapshots_all() -> int:
    """The day's snapshot of every region (after the reconciliation); runs in the public schema."""
    from analytics.snapshots import take_snapshots
    from tenants.models import Level, Organization

    taken = 0
    for region in Organization.objects.filter(level=Level.REGION, is_active=True):
        taken += take_snapshots(region)
    return taken


@shared_task(name="analytics.build_export", acks_late=True)
def build_export(job_id: int) -> str | None:
    """Build a statistical export in the public schema; a done job is left alone, a failure is kept in the job."""
    from analytics.exports import build_export as export_build

    connection.set_schema_to_public()
    job = export_build(job_id)
    return job.status if job is not None else None
