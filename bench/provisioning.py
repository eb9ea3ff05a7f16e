"""Provisioning a tenant schema: cloning the template versus migrating, at 10 and 500 schemas.

Three ways to create a schema are timed at two points, 10 and 500 tenant schemas already in
the database (not counting ``public`` and the template):

- clone: ``tenants.provisioning.schema_clone`` -- replay of the template's DDL from pg_dump
  (the dump is taken once per process and cached; its one-off cost is reported separately);
- migrate: ``tenants.provisioning.schema_migrate`` -- CREATE SCHEMA plus ``migrate_schemas``;
- stock: django-tenants' ``CloneSchema().clone_schema(template, new, "DATA")``, for reference
  only (ARCHITECTURE.md cites it).

How: each point has its own throw-away database (``nastavnik_bench_10``, ``nastavnik_bench_500``)
served by its own worker process (``python -m bench.provisioning --worker POINT``), which runs
``migrate_platform``, fills the database with ``bench_fill_NNNN`` clones (no Organization rows;
connection recycled every ``RECYCLE_EVERY`` schemas), runs VACUUM ANALYZE (the steady state
autovacuum keeps a real database in) and then creates schemas on request. The parent process
interleaves the requests over both points and all methods, each method's repetitions spread
evenly over the whole measuring period, so that noise from this shared machine hits every
figure alike -- including the clone at 500 / clone at 10 ratio, which two points measured one
after the other would expose to drift. Every timed creation starts on a fresh connection (the
connection is closed and a trivial query opens a new one before the clock starts, so connect
time is excluded), and the new schema is dropped afterwards so the count stays at the point.
Medians are compared.

Targets: clone / migrate ≤ 0.2 at both points, and clone at 500 / clone at 10 ≤ 2.0.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import BENCH_DATABASE, Target, bench_database, drop_database

POINTS = (10, 500)
RECYCLE_EVERY = 25
CLONE_VS_MIGRATE_LIMIT = 0.2
CLONE_GROWTH_LIMIT = 2.0
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Method:
    key: str
    label: str
    prefix: str
    repeats: int


METHODS = (
    Method("clone", "clone (template DDL replay)", "bench_c_", 15),
    Method("migrate", "migrate (CREATE SCHEMA + migrate)", "bench_m_", 5),
    Method("stock", "stock clone (django-tenants)", "bench_s_", 5),
)


def database_name(point: int) -> str:
    return f"{BENCH_DATABASE}_{point}"


# --- Worker side: one process per point, Django set up for that point's database. ---------------


def _creators() -> dict:
    from django_tenants.clone import CloneSchema

    from tenants import provisioning

    template = provisioning.template_schema_name()

    def stock_clone(name: str) -> None:
        CloneSchema().clone_schema(template, name, "DATA")

    return {"clone": provisioning.schema_clone, "migrate": provisioning.schema_migrate, "stock": stock_clone}


def _execute(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _timed(create, name: str) -> float:
    """Seconds `create(name)` takes on a fresh connection; the schema is dropped afterwards."""
    from django.db import connection

    connection.close()
    _execute("SELECT 1")  # connect and set up the session before the clock starts
    gc.collect()
    start = time.perf_counter()
    create(name)
    elapsed = time.perf_counter() - start
    connection.set_schema_to_public()
    _execute(f"DROP SCHEMA {connection.ops.quote_name(name)} CASCADE")
    return elapsed


def _fill(count: int) -> float:
    """Create bench_fill_0001..count by cloning; returns the seconds it took."""
    from django.db import connection

    from tenants.provisioning import schema_clone

    began = time.perf_counter()
    for number in range(1, count + 1):
        if number % RECYCLE_EVERY == 0:
            connection.close()
        schema_clone(f"bench_fill_{number:04d}")
    connection.close()
    return time.perf_counter() - began


def _vacuum() -> float:
    """VACUUM ANALYZE the database, as autovacuum would after a burst of DDL; returns the seconds."""
    from django.db import connection

    connection.close()
    began = time.perf_counter()
    _execute("VACUUM (ANALYZE)")
    connection.close()
    return time.perf_counter() - began


def _facts() -> dict:
    """Schema count, template size, server version and the cross-schema FK triggers on public tables."""
    from django.db import connection

    from tenants import provisioning

    template = provisioning.template_schema_name()
    ((schemas,),) = _execute(
        "SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema', %s)"
        " AND nspname NOT LIKE 'pg\\_%%'",
        [template],
    )
    ((tables, indexes, sequences),) = _execute(
        "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')), count(*) FILTER (WHERE c.relkind = 'i'),"
        " count(*) FILTER (WHERE c.relkind = 'S')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
        [template],
    )
    # Every foreign key from a tenant table to a public table puts two RI triggers on the public table.
    triggers = _execute(
        "SELECT c.relname, count(*) FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_class r ON r.oid = t.tgconstrrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace"
        " WHERE n.nspname = 'public' AND rn.nspname <> 'public' GROUP BY c.relname ORDER BY 2 DESC, 1",
    )
    # migrate_platform emptied the DDL cache (template_ensure), so this first call runs pg_dump.
    start = time.perf_counter()
    script = provisioning.template_sql()
    dump_seconds = time.perf_counter() - start
    version = connection.pg_version
    return {
        "database": connection.settings_dict["NAME"],
        "schemas": schemas,
        "template": f"{template}: {tables} tables, {indexes} indexes, {sequences} sequences",
        "script_kb": len(script) / 1024,
        "dump_seconds": dump_seconds,
        "postgres": f"{version // 10000}.{version % 10000}",
        "fk_triggers": triggers,
    }


def worker(point: int) -> None:
    """Serve timing requests for one point over stdin/stdout (one JSON object a line)."""
    # Keep the original stdout for the protocol; whatever else gets printed goes to stderr.
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(**message) -> None:
        channel.write(json.dumps(message) + "\n")

    with bench_database(database_name(point)):
        creators = _creators()
        facts = _facts()
        facts["fill_seconds"] = _fill(point)
        facts["vacuum_seconds"] = _vacuum()
        after = _facts()
        facts["schemas"], facts["fk_triggers"] = after["schemas"], after["fk_triggers"]
        if facts["schemas"] != point:
            raise RuntimeError(f"expected {point} tenant schemas, found {facts['schemas']}")
        send(ready=facts)
        for line in sys.stdin:
            request = json.loads(line)
            if request["op"] == "quit":
                break
            send(seconds=_timed(creators[request["method"]], request["name"]))


# --- Parent side: start the workers, interleave the requests, report. -------------------------


class _Worker:
    def __init__(self, point: int):
        self.point = point
        command = [sys.executable, "-m", "bench.provisioning", "--worker", str(point)]
        self.process = subprocess.Popen(
            command, cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def receive(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker for {self.point} schemas exited with code {self.process.wait()}")
        return json.loads(line)

    def time(self, method: Method, name: str) -> float:
        self.process.stdin.write(json.dumps({"op": "time", "method": method.key, "name": name}) + "\n")
        self.process.stdin.flush()
        return self.receive()["seconds"]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.process.stdin.flush()
                self.process.wait(timeout=120)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def _schedule() -> list[tuple[int, Method]]:
    """Order of the timed operations: every (point, method)'s repetitions spread evenly over the period."""
    slots = []
    for k, method in enumerate(METHODS):
        for i in range(method.repeats):
            for j, point in enumerate(POINTS):
                slots.append(((i + 0.5) / method.repeats, k, (i + j) % len(POINTS), point, method))
    slots.sort(key=lambda slot: slot[:3])
    return [(point, method) for *_, point, method in slots]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _report(samples: dict[tuple[int, str], list[float]]) -> dict[tuple[int, str], float]:
    median = {key: statistics.median(values) for key, values in samples.items()}
    low, high = POINTS
    col = 36
    print(f"{'method':<{col}}" + "".join(f"{f'{p} schemas: median (min–max), ms':>{col}}" for p in POINTS))
    for m in METHODS:
        cells = ""
        for p in POINTS:
            s = samples[p, m.key]
            cells += f"{f'{_ms(median[p, m.key])} ({_ms(min(s))}–{_ms(max(s))}) n={len(s)}':>{col}}"
        print(f"{m.label:<{col}}{cells}")
    for key in ("clone", "stock"):
        ratios = "".join(f"{median[p, key] / median[p, 'migrate']:>{col}.3f}" for p in POINTS)
        print(f"{key + ' / migrate':<{col}}{ratios}")
    growth = ", ".join(f"{m.key} {median[high, m.key] / median[low, m.key]:.2f}" for m in METHODS)
    print(f"{f'{high} schemas / {low} schemas':<{col}}{growth}")
    return median


def run() -> list[Target]:
    low, high = POINTS
    workers: dict[int, _Worker] = {}
    try:
        print(f"Preparing {', '.join(database_name(p) for p in POINTS)} (migrate, fill, VACUUM) ...", flush=True)
        for point in POINTS:  # both prepare their databases at the same time
            workers[point] = _Worker(point)
        facts = {point: worker.receive()["ready"] for point, worker in workers.items()}
        first = facts[low]
        print(f"PostgreSQL {first['postgres']}; template {first['template']}; DDL script {first['script_kb']:.1f} kB")
        print(f"pg_dump of the template (once per process, then cached): {_ms(first['dump_seconds'])} ms")
        for point in POINTS:
            f = facts[point]
            triggers = ", ".join(f"{name} {count}" for name, count in f["fk_triggers"]) or "none"
            print(
                f"{f['database']}: {f['schemas']} tenant schemas, filled in {f['fill_seconds']:.1f} s "
                f"({_ms(f['fill_seconds'] / point)} ms/schema), VACUUM ANALYZE {f['vacuum_seconds']:.1f} s; "
                f"cross-schema FK triggers on public tables: {triggers}"
            )
        print(
            "Repetitions per point: "
            + ", ".join(f"{m.key} {m.repeats}" for m in METHODS)
            + "; both points and all methods interleaved; fresh connection before each (connect time excluded); "
            "medians"
        )

        for worker in workers.values():  # untimed warm-up: imports, migration graph, stock function
            for method in METHODS:
                worker.time(method, f"{method.prefix}warmup")
        samples: dict[tuple[int, str], list[float]] = {(p, m.key): [] for p in POINTS for m in METHODS}
        print("measuring ", end="", flush=True)
        for point, method in _schedule():
            values = samples[point, method.key]
            values.append(workers[point].time(method, f"{method.prefix}{len(values):02d}"))
            print(".", end="", flush=True)
        print("\n", flush=True)
        median = _report(samples)
    finally:
        for worker in workers.values():
            worker.close()
        for point in POINTS:  # normally dropped by the worker already
            drop_database(database_name(point))

    targets = [
        Target(f"clone / migrate at {p} schemas", median[p, "clone"] / median[p, "migrate"], CLONE_VS_MIGRATE_LIMIT)
        for p in POINTS
    ]
    growth = median[high, "clone"] / median[low, "clone"]
    targets.append(Target(f"clone at {high} / clone at {low} schemas", growth, CLONE_GROWTH_LIMIT))
    return targets


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Worker process of the provisioning benchmark.")
    parser.add_argument("--worker", type=int, required=True, metavar="POINT", help="existing schemas to prepare")
    worker(parser.parse_args().worker)
