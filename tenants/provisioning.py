"""Creating tenant schemas: a migrated template schema, cloned by replaying its DDL.

Public schema plus the new tenant schema; called by tenants.services only.

Why not django-tenants' stock clone: its plpgsql clone walks the catalogs on every call and
gets slower as the database holds more schemas (see ARCHITECTURE.md). Here the template is
dumped once with pg_dump (structure plus the rows that make it a migrated schema, e.g.
django_migrations), cached in the process keyed by the template's migration state, and each
new schema is one batch of DDL with the schema name substituted. PostgreSQL DDL is
transactional, so a failed clone leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

logger = logging.getLogger(__name__)

_cache_lock = threading.Lock()
_ddl_cache: dict[tuple, str] = {}

# Statements of a pg_dump script that change session state rather than create objects.
_SESSION_STATEMENT = re.compile(r"^(SET |SELECT pg_catalog\.set_config\().*?;\s*$", re.MULTILINE)


class ProvisioningError(RuntimeError):
    pass


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def template_ensure(*, verbosity: int = 0) -> None:
    """Create the template schema if missing and bring it to the latest tenant migrations."""
    name = template_schema_name()
    connection.set_schema_to_public()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()
    with _cache_lock:
        _ddl_cache.clear()


def _template_fingerprint() -> tuple:
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*), coalesce(max(id), 0) FROM "{name}".django_migrations')  # noqa: S608
        count, last = cursor.fetchone()
    return (connection.settings_dict["NAME"], name, count, last)


def _pg_dump_candidates() -> list[str]:
    candidates = []
    try:
        from nastavnik.localdb import bin_dir

        candidates.append(str(bin_dir() / "pg_dump"))
    except ImportError:
        logger.info("pgserver is not installed; using the system pg_dump")
    system = shutil.which("pg_dump")
    if system:
        candidates.append(system)
    return candidates


def _dump_template() -> str:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--schema", template_schema_name(), "--no-owner", "--no-privileges", "--inserts", "--dbname", db["NAME"]]
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host")
    if host:
        args += ["--host", str(host)]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    errors = []
    for binary in _pg_dump_candidates():
        try:
            result = subprocess.run([binary, *args], capture_output=True, text=True, env=env, check=False)
        except OSError as error:
            errors.append(f"{binary}: {error.strerror}")
            continue
        if result.returncode == 0:
            return result.stdout
        errors.append(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}")
    raise ProvisioningError("pg_dump of the template schema failed: " + "; ".join(errors or ["pg_dump not found"]))


def template_sql() -> str:
    """The template's DDL and rows as one script, schema name still the template's."""
    key = _template_fingerprint()
    with _cache_lock:
        cached = _ddl_cache.get(key)
    if cached is not None:
        return cached
    script = _SESSION_STATEMENT.sub("", _dump_template())
    with _cache_lock:
        _ddl_cache.clear()
        _ddl_cache[key] = script
    return script


def schema_clone(schema_name: str) -> None:
    """Create `schema_name` as a copy of the migrated template (structure and its rows)."""
    if schema_exists(schema_name):
        raise ProvisioningError(f"schema {schema_name} already exists")
    template = template_schema_name()
    if not schema_exists(template):
        raise ProvisioningError("the template schema is missing: run `manage.py migrate_platform`")
    connection.set_schema_to_public()
    try:
        script = re.sub(rf"\b{re.escape(template)}\b", schema_name, template_sql())
    except ProvisioningError:
        # No pg_dump that can read this server (e.g. a newer PostgreSQL than pgserver's client):
        # still correct, only slower — django-tenants' catalog-walking clone.
        logger.warning("pg_dump unavailable; provisioning %s with the stock clone", schema_name)
        from django_tenants.clone import CloneSchema

        CloneSchema().clone_schema(template, schema_name, "DATA", set_connection=False)
    else:
        with connection.cursor() as cursor:
            cursor.execute(script)
    # The script may have touched the session's search_path: make django-tenants set it again.
    connection.search_path_set_schemas = None


def schema_migrate(schema_name: str) -> None:
    """The naive way, kept for the benchmark: create an empty schema and run every migration."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command("migrate_schemas", schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def schema_name_for(code: str) -> str:
    return "org_" + code.replace("-", "_")
