"""Platform-level Celery tasks. Runs in whatever schema the task was sent from."""

from celery import shared_task
from django.db import connection


@shared_task(name="nastavnik.schema_probe")
def schema_probe() -> str:
    """Report the schema the worker ran this task in (health check of schema propagation)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (current,) = cursor.fetchone()
    return f"{connection.schema_name}:{current}"


def send_to_every_organization(task) -> int:
    """Fan-out for periodic jobs: send `task` once into the schema of every active organization.

    Runs in the public schema (a beat task); each copy runs in its organization's schema.
    Returns how many were sent.
    """
    from django_tenants.utils import get_public_schema_name, schema_context

    from tenants.models import Organization

    schemas = list(
        Organization.objects.filter(is_active=True)
        .exclude(schema_name=get_public_schema_name())
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        with schema_context(schema):
            task.delay()
    return len(schemas)
