"""The Celery application. Tenant-aware: a task runs in the schema it was sent from.

tenant-schemas-celery puts the sender's schema into the message headers and switches the
worker's connection to that schema before the task runs.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")

app = CeleryApp("nastavnik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Autodiscovery loads each app's tasks.py only; these modules hold tasks too (platform-level tasks
# live in the project package, which is not an installed app). tests/test_celery.py checks that
# every task of the beat schedule is registered in the worker.
app.conf.include = ["nastavnik.tasks", "institutional.pair_tasks", "institutional.reminder_tasks"]
