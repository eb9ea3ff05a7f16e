"""Celery entry points of the public schema: bulk onboarding. Ids in, services do the work."""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from tenants.models import OnboardingJob, User
from tenants.onboarding import OnboardingResult, onboarding_apply


def onboarding_job_start(*, actor: User | None, file_name: str, rows: list[dict]) -> OnboardingJob:
    """Record a job for validated rows and queue it after the commit."""
    job = OnboardingJob.objects.create(created_by=actor, file_name=file_name, rows=rows, total=len(rows))
    transaction.on_commit(lambda: onboarding_run.delay(job.pk))
    return job


@shared_task(name="tenants.onboarding_run", acks_late=True)
def onboarding_run(job_id: int) -> str:
    """Apply a validated onboarding file. Safe to run twice: existing organizations are skipped."""
    connection.set_schema_to_public()
    job = OnboardingJob.objects.get(pk=job_id)
    if job.status == OnboardingJob.Status.DONE:
        return job.status
    OnboardingJob.objects.filter(pk=job_id).update(status=OnboardingJob.Status.RUNNING, processed=0)

    def progress(done: int, total: int, result: OnboardingResult) -> None:
        connection.set_schema_to_public()
        OnboardingJob.objects.filter(pk=job_id).update(
            processed=done,
            created_count=result.created,
            updated_count=result.updated,
            unchanged_count=result.unchanged,
        )

    try:
        onboarding_apply(actor=job.created_by, rows=job.rows, progress=progress)
    except Exception as error:
        connection.set_schema_to_public()
        OnboardingJob.objects.filter(pk=job_id).update(
            status=OnboardingJob.Status.FAILED,
            error=str(error)[:1000] or type(error).__name__,
            finished_at=timezone.now(),
        )
        raise
    connection.set_schema_to_public()
    OnboardingJob.objects.filter(pk=job_id).update(status=OnboardingJob.Status.DONE, finished_at=timezone.now())
    return OnboardingJob.Status.DONE
