"""Benchmarks run by `make bench` (`python -m bench`).

Every module of this package that defines ``run()`` is a benchmark; ``bench.__main__`` runs
them in name order and prints all their targets at the end. ``run()`` prints its own report
and returns the list of ``Target`` it checked.

Benchmarks never touch the development or the test database: ``bench_database()`` creates a
throw-away database named ``nastavnik_bench`` (or ``nastavnik_bench_<suffix>``) on the project's
PostgreSQL server -- the private pgserver cluster when DATABASE_URL is unset, otherwise the
server of DATABASE_URL -- points Django at it before ``django.setup()`` and drops it at the end.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "nastavnik_bench"
MAINTENANCE_DATABASE = "postgres"


@dataclass(frozen=True)
class Target:
    """A checked target: ``value`` must not exceed ``limit``."""

    name: str
    value: float
    limit: float

    @property
    def passed(self) -> bool:
        return self.value <= self.limit

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{verdict}  {self.name}: {self.value:.3f} (target ≤ {self.limit:g})"


def server_url(database: str) -> str:
    """URL of `database` on the project's server (which is started first if it is the private cluster)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from nastavnik import localdb

        url = localdb.ensure_database(MAINTENANCE_DATABASE)
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def _check_name(database: str) -> None:
    if database != BENCH_DATABASE and not database.startswith(BENCH_DATABASE + "_"):
        raise ValueError(f"{database!r} is not a bench database")


def _admin(statement) -> None:
    import psycopg

    with psycopg.connect(server_url(MAINTENANCE_DATABASE), autocommit=True) as conn:
        conn.execute(statement)


def drop_database(database: str) -> None:
    from psycopg import sql

    _check_name(database)
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def create_database(database: str) -> None:
    """Create `database` empty, dropping a leftover of an earlier run first."""
    from psycopg import sql

    drop_database(database)
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


@contextlib.contextmanager
def bench_database(database: str = BENCH_DATABASE) -> Iterator[None]:
    """A fresh `database` with the platform migrated (public + template schema), dropped on exit.

    Sets up Django for it, so call it once per process, before anything imports the settings.
    """
    url = server_url(database)
    create_database(database)
    try:
        # The settings read DATABASE_URL when they are imported, i.e. in django.setup().
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        _discard_tasks(settings)
        configured = settings.DATABASES["default"]["NAME"]
        if configured != database:
            raise RuntimeError(f"Django is configured for database {configured!r}, not {database!r}")
        call_command("migrate_platform", verbosity=0)
        yield
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        drop_database(database)


def _discard_tasks(settings) -> None:
    """Tasks a benchmark sends (projection refreshes after writes) go to a throw-away queue and broker
    folder, never to the development worker, whose database has none of the bench's schemas."""
    import tempfile
    import uuid

    from nastavnik.celery import app

    app.conf.task_default_queue = f"bench-discard-{uuid.uuid4().hex[:8]}"
    if not settings.REDIS_URL:
        folder = tempfile.mkdtemp(prefix="nastavnik-bench-broker-")
        app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "processed_folder": folder,
            "control_folder": folder,
            "store_processed": False,
        }


def run_worker(module: str, database: str) -> dict:
    """Run `python -m <module> --worker` (which measures in `database`), drop the database whatever
    happens, and return the JSON object the worker printed last."""
    import json
    import subprocess
    import sys

    try:
        output = subprocess.run(
            [sys.executable, "-m", module, "--worker"],
            cwd=Path(__file__).resolve().parent.parent,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        drop_database(database)
    return json.loads(output.strip().splitlines()[-1])
