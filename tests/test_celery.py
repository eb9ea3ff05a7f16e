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
        # Tasks sent earlier in this run (refreshes after commits) opened connections to another
        # folder: drop them so every producer from here on uses the worker's broker.
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
            celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app._backend_cache = None
        celery_app._local.__dict__.pop("backend", None)
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


def test_deadline_reminders_reach_every_organization_through_the_worker(worker, django_db_blocker):
    """Committed for real (the worker cannot see an open test transaction), then removed.

    The fan-out runs in the public schema and each copy in its organization's schema: an overdue
    appointment of school A reminds school A's curator and director, nobody in school B; a second
    run creates nothing new.
    """
    from datetime import timedelta

    from institutional.dates import organization_today
    from institutional.models import MenteeCategory, MenteeEntry, Notification, Staff
    from institutional.reminder_tasks import deadline_reminders, deadline_reminders_all
    from institutional.services.banks import mentee_entry_create
    from institutional.tests.test_banks_factories import make_staff
    from tenants.models import Membership, Role

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        school_a = Organization.objects.get(code="t-school-a")
        school_b = Organization.objects.get(code="t-school-b")
        members = Membership.objects.filter(organization=school_a, is_active=True)
        curators = set(members.filter(role=Role.CURATOR).values_list("user_id", flat=True))
        directors = set(members.filter(role=Role.DIRECTOR).values_list("user_id", flat=True))
        connection.set_tenant(school_a)
        staff = make_staff("Воркерова", hired_days_ago=60)
        entry = mentee_entry_create(
            actor=None,
            staff=staff,
            categories=[MenteeCategory.YOUNG],
            needed_from=organization_today() - timedelta(days=40),
        )
        prefix = f"remind:appointment:mentee:{entry.pk}:"
        try:

            def created():
                connection.set_tenant(school_a)
                return set(Notification.objects.filter(key__startswith=prefix).values_list("user_id", "key"))

            connection.set_schema_to_public()
            assert _result(worker, deadline_reminders_all.apply_async(queue=QUEUE)) >= 2
            # Nobody is named for an appointment: overdue → the curators; 40 days late → the directors too.
            wanted = {(u, prefix + "overdue") for u in curators} | {(u, prefix + "director") for u in directors}
            assert curators and directors
            limit = time.monotonic() + 60
            while created() != wanted:
                if time.monotonic() > limit:
                    log = Path(worker.log_path).read_text()[-3000:]
                    pytest.fail(f"reminders not created: {created()!r}; log:\n{log}")
                time.sleep(0.3)

            connection.set_tenant(school_b)
            assert not Notification.objects.filter(key__startswith="remind:appointment:").exists()

            # Sent again (the whole fan-out and the organization's task itself): nothing new.
            connection.set_schema_to_public()
            _result(worker, deadline_reminders_all.apply_async(queue=QUEUE))
            with schema_context(school_a.schema_name):
                assert _result(worker, deadline_reminders.apply_async(queue=QUEUE)) == 0
            time.sleep(1)
            assert created() == wanted
        finally:
            connection.set_tenant(school_a)
            Notification.objects.filter(key__startswith=prefix).delete()
            MenteeEntry.objects.filter(pk=entry.pk).delete()
            Staff.objects.filter(pk=staff.pk).delete()
            connection.set_schema_to_public()


def test_every_scheduled_task_is_registered_in_a_fresh_worker_process():
    """What a worker imports on start (autodiscovery + `include`) registers every beat task."""
    script = (
        "import django; django.setup(); "
        "from nastavnik.celery import app; app.loader.import_default_modules(); "
        "print('\\n'.join(sorted(app.tasks)))"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="nastavnik.settings")
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(output) == set()


def test_the_worker_refreshes_an_organizations_projection_and_coalesces_requests(worker, django_db_blocker):
    from analytics.models import OrganizationFacts
    from analytics.tasks import refresh_organization_facts

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        school_b = Organization.objects.get(code="t-school-b")
        OrganizationFacts.objects.filter(organization=school_b).delete()
        try:
            asked = time.time()
            with schema_context(school_b.schema_name):
                assert _result(
                    worker, refresh_organization_facts.apply_async(kwargs={"requested_at": asked}, queue=QUEUE)
                )
                # A request older than the stored recomputation is answered without recomputing.
                assert not _result(
                    worker, refresh_organization_facts.apply_async(kwargs={"requested_at": asked}, queue=QUEUE)
                )
            connection.set_schema_to_public()
            facts = OrganizationFacts.objects.get(organization=school_b)
            assert facts.computed_at.timestamp() > asked
        finally:
            connection.set_schema_to_public()
            OrganizationFacts.objects.filter(organization=school_b).delete()
