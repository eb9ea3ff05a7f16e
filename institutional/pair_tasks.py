"""Celery entry points of pairs: activate the pairs whose start date has come.

`pairs_activate_due` runs in the schema it was sent from (tenant-schemas-celery);
`pairs_activate_due_all` runs in the public schema and sends it into every organization's schema.
Both are safe to run twice; the beat schedule is in settings.CELERY_BEAT_SCHEDULE.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name

from nastavnik.tasks import send_to_every_organization


@shared_task(name="institutional.pairs_activate_due")
def pairs_activate_due() -> int:
    """approved → active for every pair of this organization whose start date has come; returns how many."""
    from institutional.services.pairs import pair_activate_due

    if getattr(connection, "tenant", None) is None or connection.schema_name == get_public_schema_name():
        return 0
    return pair_activate_due()


@shared_task(name="institutional.pairs_activate_due_all")
def pairs_activate_due_all() -> int:
    return send_to_every_organization(pairs_activate_due)
