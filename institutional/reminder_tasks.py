"""Celery entry points of deadline reminders and the daily e-mail digest.

`deadline_reminders` and `daily_digest` run in the schema they were sent from (tenant-schemas-celery);
the `_all` variants run in the public schema and send them into every active organization's schema.
All are safe to run twice: each reminder has a unique key per person, and each notification is
e-mailed once. The beat schedule is in settings.CELERY_BEAT_SCHEDULE (06:30 and 07:30).
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name

from nastavnik.tasks import send_to_every_organization


def _fan_out(parent, task) -> int:
    """`send_to_every_organization`, keeping the copies on the queue the parent task came from.

    Beat sends the parent to the default queue, so production is unchanged; a parent sent to a
    dedicated queue (as the worker tests do) keeps its children there.
    """
    queue = (getattr(parent.request, "delivery_info", None) or {}).get("routing_key")
    if not queue or queue == task.app.conf.task_default_queue:
        return send_to_every_organization(task)

    class _OnQueue:
        def delay(self):
            return task.apply_async(queue=queue)

    return send_to_every_organization(_OnQueue())


def _in_organization() -> bool:
    return getattr(connection, "tenant", None) is not None and connection.schema_name != get_public_schema_name()


@shared_task(name="institutional.deadline_reminders")
def deadline_reminders() -> int:
    """Reminders of this organization's deadlines; returns how many notifications were created."""
    from institutional.services.reminders import deadline_reminders_send

    if not _in_organization():
        return 0
    return deadline_reminders_send()


@shared_task(bind=True, name="institutional.deadline_reminders_all")
def deadline_reminders_all(self) -> int:
    return _fan_out(self, deadline_reminders)


@shared_task(name="institutional.daily_digest")
def daily_digest() -> int:
    """E-mail this organization's people their notifications not e-mailed yet; returns letters sent."""
    from institutional.services.reminders import digest_send

    if not _in_organization():
        return 0
    return digest_send()


@shared_task(bind=True, name="institutional.daily_digest_all")
def daily_digest_all(self) -> int:
    return _fan_out(self, daily_digest)
