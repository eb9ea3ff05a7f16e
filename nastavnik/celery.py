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
# Platform-level tasks live in the project package, which is not an installed app.
app.conf.include = ["nastavnik.tasks"]
