"""Celery with a real worker process: tasks run in the schema they were sent from.

The worker is started once per test run against the test database, on a private queue
(and, with the filesystem broker, a private broker folder), so a worker of `make run` on the
same machine can never take these tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.exceptions import TimeoutError
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from nastavnik.celery import app as celery_app
from nastavnik.tasks import schema_probe
from tenants.models import OnboardingJob, Organization
from tenants.tests.test_onboarding import csv_bytes, region_rows

QUEUE = f"test-{uuid.uuid4().hex[:8]}"


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or ""
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(str(db["PASSWORD"]), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{credentials}@{quote(host, safe='')}{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker(django_db_setup, tmp_path_factory):
    env = dict(os.environ, DATABASE_URL=_database_url(), DJANGO_SETTINGS_MODULE="nastavnik.settings")
    # Configured before this process sends its first task, so no producer has the default folder.
    if not settings.REDIS_URL:
        broker = tmp_path_factory.mktemp("broker")
        env["NASTAVNIK_BROKER_DIR"] = str(broker)
        for sub in ("queue", "processed", "results", "control"):
            (broker / sub).mkdir()
        celery_app.conf.broker_transport_options = {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        }
        celery_app.conf.result_backend = f"file://{broker / 'results'}"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "nastavnik", "worker", "-Q", QUEUE, "--pool", "solo", "-l", "info"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while b"ready" not in Path(log).read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the Celery worker did not start:\n" + Path(log).read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    process.log_path = log
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def _result(worker, async_result, timeout=60):
    try:
        return async_result.get(timeout=timeout)
    except TimeoutError:
        pytest.fail("no result from the worker; its log ends with:\n" + Path(worker.log_path).read_text()[-4000:])


def _probe(worker, schema: str) -> str:
    with schema_context(schema):
        result = schema_probe.apply_async(queue=QUEUE)
    return _result(worker, result)


def test_a_task_sent_from_an_organization_runs_in_that_organizations_schema(worker, django_db_blocker, world):
    a, b = world.school_a.schema_name, world.school_b.schema_name

    assert _probe(worker, a) == f"{a}:{a}"
    assert _probe(worker, b) == f"{b}:{b}"
    assert _probe(worker, "public") == "public:public"
    assert worker.poll() is None


def test_bulk_onboarding_runs_in_the_worker_and_reports_progress(worker, django_db_blocker):
    """Committed for real (a worker cannot see an open test transaction), then removed."""
    from tenants.onboarding import onboarding_validate

    rows = region_rows(region="wrk", inns=("620000001", "620000002", "620000003", "620000004"))
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        plan = onboarding_validate(content=csv_bytes(rows), filename="worker.csv")
        assert plan.is_valid, plan.errors
        job = OnboardingJob.objects.create(file_name="worker.csv", rows=plan.rows, total=len(plan.rows))
        try:
            from tenants.tasks import onboarding_run

            assert _result(worker, onboarding_run.apply_async(args=[job.pk], queue=QUEUE), 120) == "done"
            job.refresh_from_db()
            assert (job.status, job.processed, job.total, job.created_count) == ("done", 4, 4, 4)
            school = Organization.objects.get(code="wrk-berdsk-sch-1")
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [school.schema_name])
                assert cursor.fetchone()[0] == 1

            # Sent twice (a redelivery): nothing is created again.
            assert _result(worker, onboarding_run.apply_async(args=[job.pk], queue=QUEUE)) == "done"
            assert Organization.objects.filter(code__startswith="wrk").count() == 4
        finally:
            connection.set_schema_to_public()
            for organization in Organization.objects.filter(code__startswith="wrk").order_by("-level"):
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{organization.schema_name}" CASCADE')
            for level in ("organization", "municipality", "region"):
                Organization.objects.filter(code__startswith="wrk", level=level).delete()
            job.delete()
