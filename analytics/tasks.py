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
def refresh_organization_facts() -> bool:
    from analytics.projection import compute_facts, store_facts

    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == get_public_schema_name():
        return False
    store_facts(tenant.pk, compute_facts())
    return True


@shared_task(name="analytics.reconcile_all")
def reconcile_all() -> int:
    return send_to_every_organization(refresh_organization_facts)
