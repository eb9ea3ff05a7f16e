"""Read path of the roadmap (дорожная карта): years, stages, activities, overdue marks (tenant schema)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from institutional.dates import academic_year_of, organization_today
from institutional.models import ActivityEvidence, Roadmap, RoadmapActivity, RoadmapStage, Staff

OPEN_STATUSES = (RoadmapActivity.Status.PLANNED, RoadmapActivity.Status.IN_PROGRESS)


def overdue_filter(today: date) -> Q:
    """Activities whose deadline has passed (in the organization's time zone) and that are not done or cancelled."""
    return Q(deadline__lt=today, status__in=OPEN_STATUSES)


def roadmap_list(*, today: date | None = None):
    today = today or organization_today()
    return Roadmap.objects.annotate(
        activity_count=Count("stages__activities", distinct=True),
        done_count=Count("stages__activities", filter=Q(stages__activities__status="done"), distinct=True),
        overdue_count=Count(
            "stages__activities",
            filter=Q(stages__activities__deadline__lt=today, stages__activities__status__in=OPEN_STATUSES),
            distinct=True,
        ),
    ).order_by("-academic_year")


def creatable_years(*, today: date | None = None) -> list[int]:
    """The current and the next academic year, without those that already have a roadmap."""
    current = academic_year_of(today or organization_today())
    taken = set(
        Roadmap.objects.filter(academic_year__in=(current, current + 1)).values_list("academic_year", flat=True)
    )
    return [year for year in (current, current + 1) if year not in taken]


def _not_found(what: str):
    raise Http404(f"{what} не найдено.")


def access_roadmap(*, roadmap_id: int) -> Roadmap:
    roadmap = Roadmap.objects.filter(pk=roadmap_id).first()
    if roadmap is None:
        raise Http404("Дорожная карта не найдена.")
    return roadmap


def access_stage(*, stage_id: int) -> RoadmapStage:
    stage = RoadmapStage.objects.select_related("roadmap").filter(pk=stage_id).first()
    if stage is None:
        raise Http404("Этап не найден.")
    return stage


def access_activity(*, activity_id: int) -> RoadmapActivity:
    activity = RoadmapActivity.objects.select_related("stage__roadmap").filter(pk=activity_id).first()
    if activity is None:
        raise Http404("Мероприятие не найдено.")
    return activity


def access_evidence(*, evidence_id: int) -> ActivityEvidence:
    evidence = ActivityEvidence.objects.select_related("activity__stage__roadmap").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("Документ не найден.")
    return evidence


def roadmap_stages(*, roadmap: Roadmap, today: date | None = None) -> list[RoadmapStage]:
    """Stages with their activities, responsible staff and evidence; each activity marked `is_overdue`."""
    today = today or organization_today()
    activities = RoadmapActivity.objects.order_by("position").prefetch_related(
        Prefetch("responsible", queryset=Staff.objects.order_by("last_name", "first_name")),
        Prefetch("evidence", queryset=ActivityEvidence.objects.order_by("uploaded_at")),
    )
    stages = list(roadmap.stages.order_by("position").prefetch_related(Prefetch("activities", queryset=activities)))
    for stage in stages:
        for activity in stage.activities.all():
            activity.is_overdue = activity.is_overdue_on(today)
    return stages


def roadmap_overdue_count(*, roadmap: Roadmap, today: date | None = None) -> int:
    today = today or organization_today()
    return RoadmapActivity.objects.filter(overdue_filter(today), stage__roadmap=roadmap).count()


def responsible_choices():
    """Staff who can be made responsible: employed pedagogical workers."""
    return Staff.objects.filter(status=Staff.Status.EMPLOYED, is_outside=False).order_by(
        "last_name", "first_name", "patronymic"
    )
