"""Benchmarks run by `make bench` (`python -m bench`).

Every module of this package that defines ``run()`` is a benchmark; ``bench.__main__`` runs
them in name order and prints all their targets at the end. ``run()`` prints its own report
and returns the list of ``Target`` it checked.

Benchmarks never touch the development or the test database: ``bench_database()`` creates a
throw-away database ``nastavnik_bench`` on the same PostgreSQL server (the private pgserver
cluster when DATABASE_URL is unset), points Django at it before ``django.setup()`` and drops
it again at the end.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
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


def _with_database(url: str, name: str) -> str:
    """The same server URL with the database name replaced."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _server_urls() -> tuple[str, str]:
    """URLs of the bench database and of the maintenance database on the project's server."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from nastavnik import localdb

        # Starts the private cluster if needed; the database it creates is recreated below.
        url = localdb.ensure_database(BENCH_DATABASE)
    return _with_database(url, BENCH_DATABASE), _with_database(url, MAINTENANCE_DATABASE)


def _admin(url: str, *statements) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _drop_statement():
    from psycopg import sql

    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE))


@contextlib.contextmanager
def bench_database() -> Iterator[None]:
    """A fresh ``nastavnik_bench`` with the platform migrated (public + template); dropped on exit."""
    from psycopg import sql

    bench_url, admin_url = _server_urls()
    _admin(admin_url, _drop_statement(), sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    try:
        # The settings read DATABASE_URL when they are imported, i.e. in django.setup().
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        name = settings.DATABASES["default"]["NAME"]
        if name != BENCH_DATABASE:
            raise RuntimeError(f"Django is configured for database {name!r}, not {BENCH_DATABASE!r}: refusing to run")
        call_command("migrate_platform", verbosity=0)
        yield
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        _admin(admin_url, _drop_statement())
