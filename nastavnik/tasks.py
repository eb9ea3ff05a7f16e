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
