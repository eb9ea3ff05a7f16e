"""Celery entry points of pairs: activate the pairs whose start date has come.

`pairs_activate_due` runs in the schema it was sent from (tenant-schemas-celery);
`pairs_activate_due_all` runs in the public schema and sends it into every organization's schema.
Both are safe to run twice. Beat schedule entry (to add in settings):
    "pairs-activate-due": {"task": "institutional.pairs_activate_due_all", "schedule": crontab(hour=0, minute=30)}
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Organization


@shared_task(name="institutional.pairs_activate_due")
def pairs_activate_due() -> int:
    """approved → active for every pair of this organization whose start date has come; returns how many."""
    from institutional.services.pairs import pair_activate_due

    if getattr(connection, "tenant", None) is None or connection.schema_name == get_public_schema_name():
        return 0
    return pair_activate_due()


@shared_task(name="institutional.pairs_activate_due_all")
def pairs_activate_due_all() -> int:
    schemas = list(
        Organization.objects.filter(is_active=True)
        .exclude(schema_name=get_public_schema_name())
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        with schema_context(schema):
            pairs_activate_due.delay()
    return len(schemas)
