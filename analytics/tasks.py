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
