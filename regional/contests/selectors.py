"""Read path of the region's contests (public schema tables only).

What a member sees depends on the host's level and their roles there (regional.contests.access):
- everyone on any host of the region sees the announced contests (not drafts) and published results;
- the region's coordinator and methodologist see drafts and every nomination;
- a municipal coordinator sees the nominations of the municipality's organizations;
- in an organization the director, curator and council see their organization's nominations;
- a juror sees the nominations to score and only their own scores until the results are published.
`access_contest` answers "not found" both for a missing contest and for one the member may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from regional.contests import access
from regional.models import Contest, ContestJuror, Nomination, Score


def region_of(tenant):
    return tenant.region


def contest_list(request) -> QuerySet[Contest]:
    contests = Contest.objects.filter(region=region_of(request.tenant))
    if not access.is_region_staff(request):
        contests = contests.exclude(status=Contest.Status.DRAFT)
    return contests.annotate(
        submitted_count=Count("nominations", filter=Q(nominations__status=Nomination.Status.SUBMITTED))
    ).order_by("-nominations_from", "-id")


def access_contest(request, *, contest_id: int) -> Contest:
    contest = contest_list(request).select_related("region").filter(pk=contest_id).first()
    if contest is None:
        raise Http404("Конкурс не найден.")
    return contest


def is_juror(contest: Contest, user) -> bool:
    return bool(user and user.is_authenticated) and ContestJuror.objects.filter(contest=contest, user=user).exists()


def juror_contests(request) -> QuerySet[Contest]:
    """The region's contests where the signed-in user is on the jury and judging is ahead or under way."""
    return contest_list(request).filter(
        jurors__user=request.user, status__in=[Contest.Status.NOMINATION, Contest.Status.JUDGING]
    )


def jurors(contest: Contest) -> list[ContestJuror]:
    return list(contest.jurors.select_related("user").order_by("user__last_name", "user__first_name"))


def nominations_visible(request, contest: Contest) -> QuerySet[Nomination]:
    """The nominations the member may see on this host (see the module docstring)."""
    nominations = contest.nominations.select_related("organization", "municipality")
    if access.is_region_staff(request):
        return nominations.order_by("organization__short_name", "nominee_name")
    if access.sees_municipality_nominations(request):
        return nominations.filter(municipality=request.tenant).order_by("organization__short_name", "nominee_name")
    if access.sees_organization_nominations(request):
        return nominations.filter(organization=request.tenant).order_by("-submitted_at")
    return nominations.none()


def access_nomination(contest: Contest, *, nomination_id: int) -> Nomination:
    nomination = contest.nominations.select_related("contest", "organization").filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404("Выдвижение не найдено.")
    return nomination


def own_nomination(request, contest: Contest, *, nomination_id: int) -> Nomination:
    """A nomination of the host's organization (for withdrawing it); "not found" for any other."""
    nomination = access_nomination(contest, nomination_id=nomination_id)
    if nomination.organization_id != request.tenant.pk:
        raise Http404("Выдвижение не найдено.")
    return nomination


@dataclass
class JuryRow:
    nomination: Nomination
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return all(criterion["code"] in self.scores for criterion in self.nomination.contest.criteria)

    @property
    def mark(self) -> int:
        return sum(self.scores.values())


def jury_rows(contest: Contest, user) -> list[JuryRow]:
    """Every submitted nomination with the juror's own scores (never another juror's)."""
    nominations = list(
        contest.nominations.filter(status=Nomination.Status.SUBMITTED)
        .select_related("contest", "organization")
        .order_by("organization__short_name", "nominee_name", "id")
    )
    rows = {nomination.pk: JuryRow(nomination=nomination) for nomination in nominations}
    codes = {criterion["code"] for criterion in contest.criteria}
    for nomination_id, code, value in Score.objects.filter(nomination__in=nominations, juror=user).values_list(
        "nomination_id", "criterion", "value"
    ):
        if code in codes:
            rows[nomination_id].scores[code] = value
    return list(rows.values())


@dataclass(frozen=True)
class JurorProgress:
    name: str
    scored: int
    total: int


def scoring_progress(contest: Contest) -> list[JurorProgress]:
    """How many nominations each juror has scored in full (counts only: the scores stay private)."""
    codes = {criterion["code"] for criterion in contest.criteria}
    submitted = list(contest.nominations.filter(status=Nomination.Status.SUBMITTED).values_list("pk", flat=True))
    progress = []
    for juror in jurors(contest):
        by_nomination: dict[int, set[str]] = {}
        for nomination_id, code in Score.objects.filter(nomination_id__in=submitted, juror=juror.user).values_list(
            "nomination_id", "criterion"
        ):
            by_nomination.setdefault(nomination_id, set()).add(code)
        scored = sum(1 for pk in submitted if codes <= by_nomination.get(pk, set()))
        progress.append(JurorProgress(name=juror.user.get_full_name(), scored=scored, total=len(submitted)))
    return progress


@dataclass(frozen=True)
class ResultRow:
    nomination: Nomination
    place: int | None
    total: Decimal | None
    marks: tuple[int | None, ...] = ()

    @property
    def is_winner(self) -> bool:
        return self.place is not None


def result_rows(contest: Contest, *, with_marks: bool = False) -> list[ResultRow]:
    """The published results: winners by place, then the other participants by total.

    With `with_marks` (the region's staff) each row also has every juror's mark (sum over the
    criteria), in the order of `jurors(contest)`.
    """
    if contest.status != Contest.Status.RESULTS:
        return []
    nominations = list(
        contest.nominations.filter(status=Nomination.Status.SUBMITTED).select_related("organization", "municipality")
    )
    nominations.sort(
        key=lambda n: (n.place is None, n.place or 0, -(n.total_score or 0), n.nominee_name, n.organization.short_name)
    )
    marks: dict[int, dict[int, int]] = {}
    juror_ids: list[int] = []
    if with_marks:
        codes = {criterion["code"] for criterion in contest.criteria}
        juror_ids = [juror.user_id for juror in jurors(contest)]
        for nomination_id, juror_id, code, value in Score.objects.filter(nomination__in=nominations).values_list(
            "nomination_id", "juror_id", "criterion", "value"
        ):
            if code in codes:
                by_juror = marks.setdefault(nomination_id, {})
                by_juror[juror_id] = by_juror.get(juror_id, 0) + value
    return [
        ResultRow(
            nomination=nomination,
            place=nomination.place,
            total=nomination.total_score,
            marks=tuple(marks.get(nomination.pk, {}).get(juror_id) for juror_id in juror_ids),
        )
        for nomination in nominations
    ]


def organization_nominations(contest: Contest, organization) -> list[Nomination]:
    """The organization's submitted nominations in the contest (for its order of encouragement)."""
    return list(
        contest.nominations.filter(organization=organization, status=Nomination.Status.SUBMITTED).order_by(
            "place", "nominee_name", "id"
        )
    )


STAGES = [
    (Contest.Status.DRAFT, "Подготовка"),
    (Contest.Status.NOMINATION, "Приём выдвижений"),
    (Contest.Status.JUDGING, "Работа жюри"),
    (Contest.Status.RESULTS, "Итоги"),
]


def stage_steps(contest: Contest) -> list[dict]:
    """The four stages with the current one marked, for the stage bar of the contest page."""
    current = [value for value, _label in STAGES].index(contest.status)
    return [
        {"label": label, "is_done": index < current, "is_current": index == current}
        for index, (_value, label) in enumerate(STAGES)
    ]
