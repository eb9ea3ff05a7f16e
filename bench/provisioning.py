"""Provisioning a tenant schema: cloning the template versus migrating, at 10 and 500 schemas.

Three ways to create a schema are timed at two points, 10 and 500 tenant schemas already in
the database (not counting ``public`` and the template):

- clone: ``tenants.provisioning.schema_clone`` -- replay of the template's DDL from pg_dump
  (the dump is taken once per process and cached; its one-off cost is reported separately);
- migrate: ``tenants.provisioning.schema_migrate`` -- CREATE SCHEMA plus ``migrate_schemas``;
- stock: django-tenants' ``CloneSchema().clone_schema(template, new, "DATA")``, for reference only
  (ARCHITECTURE.md cites it).

Method: every timed creation starts on a fresh connection (the connection is closed and a
trivial query opens the new one before the clock starts, so connect time is excluded), and the
new schema is dropped again afterwards so that the schema count stays exactly at the point.
The repetitions of the methods are interleaved evenly over the measuring period, so that noise
from this shared machine hits them alike, and medians are compared. The schemas that make up
the count are ``bench_fill_NNNN`` clones (no Organization rows), made with the connection
recycled every ``RECYCLE_EVERY`` schemas.

Targets: clone / migrate ≤ 0.2 at both points, and clone at 500 / clone at 10 ≤ 2.0.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version

from bench import Target, bench_database

POINTS = (10, 500)
RECYCLE_EVERY = 25
CLONE_VS_MIGRATE_LIMIT = 0.2
CLONE_GROWTH_LIMIT = 2.0


@dataclass
class Method:
    key: str
    label: str
    prefix: str
    repeats: int
    create: Callable[[str], None]
    samples: dict[int, list[float]] = field(default_factory=dict)

    def median(self, point: int) -> float:
        return statistics.median(self.samples[point])


def _methods() -> list[Method]:
    from django_tenants.clone import CloneSchema

    from tenants import provisioning

    template = provisioning.template_schema_name()

    def stock_clone(name: str) -> None:
        CloneSchema().clone_schema(template, name, "DATA")

    return [
        Method("clone", "clone (template DDL replay)", "bench_c_", 15, provisioning.schema_clone),
        Method("migrate", "migrate (CREATE SCHEMA + migrate)", "bench_m_", 5, provisioning.schema_migrate),
        Method("stock", "stock clone (django-tenants)", "bench_s_", 5, stock_clone),
    ]


def _execute(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _fresh_connection() -> None:
    """Close the connection and open a new one, so the next operation starts from a clean session."""
    from django.db import connection

    connection.close()
    _execute("SELECT 1")


def _drop_schema(name: str) -> None:
    from django.db import connection

    connection.set_schema_to_public()
    _execute(f"DROP SCHEMA {connection.ops.quote_name(name)} CASCADE")


def _timed(method: Method, name: str) -> float:
    _fresh_connection()
    gc.collect()
    start = time.perf_counter()
    method.create(name)
    elapsed = time.perf_counter() - start
    _drop_schema(name)
    return elapsed


def _tenant_schema_count() -> int:
    from tenants.provisioning import template_schema_name

    rows = _execute(
        "SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema', %s)"
        " AND nspname NOT LIKE 'pg\\_%%'",
        [template_schema_name()],
    )
    return rows[0][0]


def _fill(start: int, stop: int) -> float:
    """Create bench_fill_{start+1..stop} by cloning; returns the seconds it took."""
    from django.db import connection

    from tenants.provisioning import schema_clone

    began = time.perf_counter()
    for number in range(start + 1, stop + 1):
        if number % RECYCLE_EVERY == 0:
            connection.close()
        schema_clone(f"bench_fill_{number:04d}")
    connection.close()
    return time.perf_counter() - began


def _settle() -> float:
    """VACUUM ANALYZE the database (what autovacuum does in a steady state); returns the seconds."""
    from django.db import connection

    connection.close()
    began = time.perf_counter()
    _execute("VACUUM (ANALYZE)")
    connection.close()
    return time.perf_counter() - began


def _schedule(methods: list[Method]) -> list[Method]:
    """Order of the timed operations: each method's repetitions spread evenly over the period."""
    slots = [((i + 0.5) / m.repeats, k, m) for k, m in enumerate(methods) for i in range(m.repeats)]
    return [m for _, _, m in sorted(slots, key=lambda slot: slot[:2])]


def _measure(methods: list[Method], point: int) -> None:
    # One untimed warm-up per method: imports, migration graph, the stock clone's function.
    for method in methods:
        _timed(method, f"{method.prefix}{point}_w")
    for method in methods:
        method.samples[point] = []
    for method in _schedule(methods):
        samples = method.samples[point]
        samples.append(_timed(method, f"{method.prefix}{point}_{len(samples):02d}"))
        print(".", end="", flush=True)
    print(flush=True)


def _template_info() -> tuple[str, float, int]:
    """(object counts of the template, seconds of the first template_sql() i.e. pg_dump, script size)."""
    from tenants import provisioning

    ((tables, indexes, sequences),) = _execute(
        "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')), count(*) FILTER (WHERE c.relkind = 'i'),"
        " count(*) FILTER (WHERE c.relkind = 'S')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
        [provisioning.template_schema_name()],
    )
    # migrate_platform emptied the DDL cache (template_ensure), so this call runs pg_dump.
    start = time.perf_counter()
    script = provisioning.template_sql()
    dump_seconds = time.perf_counter() - start
    return f"{tables} tables, {indexes} indexes, {sequences} sequences", dump_seconds, len(script)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _report(methods: list[Method]) -> None:
    by_key = {m.key: m for m in methods}
    width = 36
    head = "".join(f"{f'{p} schemas: median (min–max), ms':>38}" for p in POINTS)
    print(f"{'method':<{width}}{head}")
    for m in methods:
        cells = ""
        for p in POINTS:
            s = m.samples[p]
            cells += f"{f'{_ms(m.median(p))} ({_ms(min(s))}–{_ms(max(s))}) n={len(s)}':>38}"
        print(f"{m.label:<{width}}{cells}")
    migrate = by_key["migrate"]
    for key in ("clone", "stock"):
        ratio = "".join(f"{by_key[key].median(p) / migrate.median(p):>38.3f}" for p in POINTS)
        print(f"{by_key[key].label.split(' (')[0] + ' / migrate':<{width}}{ratio}")
    growth = "".join(f"{m.median(POINTS[-1]) / m.median(POINTS[0]):>8.2f} ({m.key})" for m in methods)
    print(f"{f'growth {POINTS[-1]} / {POINTS[0]} schemas':<{width}}{growth}")


def run() -> list[Target]:
    low, high = POINTS
    with bench_database():
        from django.db import connection

        from tenants.provisioning import template_schema_name

        methods = _methods()
        objects, dump_seconds, script_size = _template_info()
        print(
            f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, "
            f"Django {version('Django')}, django-tenants {version('django-tenants')}; database {connection.settings_dict['NAME']}"
        )
        print(f"Template {template_schema_name()}: {objects}; DDL script {script_size / 1024:.1f} kB")
        print(f"pg_dump of the template (once per process, then cached): {_ms(dump_seconds)} ms")
        print(
            "Repetitions per point: " + ", ".join(f"{m.key} {m.repeats}" for m in methods) + "; interleaved; "
            "fresh connection before each, connect time excluded; medians"
        )

        fill_seconds = {}
        for point, previous in zip(POINTS, (0, *POINTS), strict=False):
            fill_seconds[point] = _fill(previous, point)
            vacuum_seconds = _settle()
            count = _tenant_schema_count()
            if count != point:
                raise RuntimeError(f"expected {point} tenant schemas, found {count}")
            print(
                f"{count} schemas (filled {point - previous} in {fill_seconds[point]:.1f} s, "
                f"VACUUM ANALYZE {vacuum_seconds:.1f} s); measuring ",
                end="",
            )
            _measure(methods, point)
        per_schema = fill_seconds[high] / (high - low)
        print(f"Fill rate {low}→{high} (clone, connection recycled every {RECYCLE_EVERY}): {_ms(per_schema)} ms/schema")
        print()
        _report(methods)

    clone, migrate = methods[0], methods[1]
    targets = [
        Target(
            f"clone / migrate at {point} schemas", clone.median(point) / migrate.median(point), CLONE_VS_MIGRATE_LIMIT
        )
        for point in POINTS
    ]
    targets.append(
        Target(f"clone at {high} / clone at {low} schemas", clone.median(high) / clone.median(low), CLONE_GROWTH_LIMIT)
    )
    return targets
