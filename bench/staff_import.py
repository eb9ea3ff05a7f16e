"""Importing a 2,000-row staff file (HR export, CSV and XLSX) into one organization.

How: a worker process (``python -m bench.staff_import --worker``) gets its own throw-away database
(``nastavnik_bench_staff``), provisions one organization, generates a deterministic 2,000-row file
and times ``institutional.services.staff.staff_import_apply`` -- read, check every row, write in one
transaction -- three times: the first import (2,000 created) of the CSV, a re-import of the same
file (2,000 unchanged), an updated file (every position changed: 2,000 updated), and the first
import of the same rows as XLSX into a second organization. Reported as rows per second, beside a
naive baseline measured in the same run: the same checked rows written by one `staff_create`
service call per row into a third organization.

Target (issue 3): the whole 2,000-row file in under 10 seconds; every case is checked against it.
"""

from __future__ import annotations

import argparse
import json
import time

from bench import BENCH_DATABASE, Target, run_worker

ROWS = 2_000
LIMIT_SECONDS = 10.0
DATABASE = f"{BENCH_DATABASE}_staff"


def _rows(position: str = "Учитель") -> tuple[list[str], list[list]]:
    from tenants.validators import snils_check_digits

    headers = [
        "ФИО",
        "Табельный номер",
        "СНИЛС",
        "Должность",
        "Дата приёма",
        "Стаж общий",
        "Стаж педагогический",
        "Категория",
        "Предметы",
        "Дата рождения",
        "Телефон",
        "E-mail",
    ]
    rows = []
    for number in range(1, ROWS + 1):
        prefix = f"{200_000_000 + number:09d}"
        rows.append(
            [
                f"Фамилия{number} Имя{number % 97} Отчество{number % 53}",
                f"{number:06d}",
                prefix + snils_check_digits(prefix) if number % 2 else "",
                f"{position} {number % 12}",
                f"{1 + number % 28:02d}.{1 + number % 12:02d}.{2000 + number % 25}",
                str(15 + number % 10),
                str(10 + number % 5),
                ("высшая", "первая", "без категории", "соответствие")[number % 4],
                "Математика, Физика",
                f"{1 + number % 28:02d}.{1 + number % 12:02d}.{1960 + number % 20}",
                f"+7 900 {number:07d}",
                f"person{number}@school.example",
            ]
        )
    return headers, rows


def _csv(headers, rows) -> bytes:
    return ("\n".join(";".join(map(str, row)) for row in [headers, *rows]) + "\n").encode()


def worker() -> None:
    from bench import bench_database

    with bench_database(DATABASE):
        from django.db import connection, transaction

        from institutional.models import Staff
        from institutional.services.staff import staff_create, staff_import_apply, staff_import_plan
        from nastavnik.xlsx import workbook_bytes
        from tenants import services

        def organization(code):
            return services.organization_provision(
                actor=None,
                data=services.OrganizationData(
                    code=code,
                    level="organization",
                    parent_code="bench-region",
                    kind="school",
                    full_name=f"Школа {code}",
                    short_name=code,
                ),
            )

        services.organization_provision(
            actor=None,
            data=services.OrganizationData(
                code="bench-region", level="region", full_name="Регион", short_name="Регион", time_zone="Europe/Moscow"
            ),
        )
        results = {}

        def timed(name, content, filename):
            started = time.perf_counter()
            plan, result = staff_import_apply(actor=None, content=content, filename=filename)
            elapsed = time.perf_counter() - started
            if result is None:
                raise RuntimeError(f"{name}: the bench file is invalid: {plan.errors[:3]}")
            results[name] = {
                "seconds": elapsed,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "staff": Staff.objects.count(),
            }

        headers, rows = _rows()
        school = organization("bench-school-1")
        connection.set_tenant(school)
        timed("first import (CSV)", _csv(headers, rows), "staff.csv")
        timed("same file again (CSV)", _csv(headers, rows), "staff.csv")
        timed("updated file (CSV)", _csv(*_rows("Педагог")), "staff.csv")
        connection.set_schema_to_public()
        other = organization("bench-school-2")
        connection.set_tenant(other)
        timed("first import (XLSX)", workbook_bytes([("Лист1", headers, rows)]), "staff.xlsx")
        connection.set_schema_to_public()

        # The naive baseline, side by side: the same checked rows written one service call per row.
        naive = organization("bench-school-3")
        connection.set_tenant(naive)
        started = time.perf_counter()
        plan = staff_import_plan(content=_csv(headers, rows), filename="staff.csv")
        with transaction.atomic():
            for row in plan.rows:
                staff_create(actor=None, values=dict(row.values))
        results["naive: one service call per row (CSV)"] = {
            "seconds": time.perf_counter() - started,
            "created": len(plan.rows),
            "updated": 0,
            "unchanged": 0,
            "staff": Staff.objects.count(),
        }
        connection.set_schema_to_public()
    print(json.dumps(results), flush=True)


def run() -> list[Target]:
    print(f"Preparing {DATABASE} (migrate, two organizations) and importing {ROWS} rows ...", flush=True)
    results = run_worker("bench.staff_import", DATABASE)
    targets = []
    for name, figures in results.items():
        seconds = figures["seconds"]
        print(
            f"{name:<26} {seconds:6.2f} s  {ROWS / seconds:8.0f} rows/s  "
            f"(created {figures['created']}, updated {figures['updated']}, unchanged {figures['unchanged']}; "
            f"{figures['staff']} staff in the organization)"
        )
        if not name.startswith("naive"):
            targets.append(Target(f"staff import, {name}, {ROWS} rows, seconds", seconds, LIMIT_SECONDS))
    naive = results["naive: one service call per row (CSV)"]["seconds"]
    print(f"bulk first import / naive per-row import: {results['first import (CSV)']['seconds'] / naive:.2f}")
    return targets


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Worker process of the staff import benchmark.")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.parse_args()
    worker()
