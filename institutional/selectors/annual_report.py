"""The figures of the curator's annual analytical report, read in the tenant schema.

Everything is computed for one academic year, 1 September – 31 August, from the organization's
own records, in a constant number of queries (one per table), whatever the size of the school.

Definitions (each a plain rule over the records, so anyone can recompute a figure):
* staff: pedagogical workers employed at some time in the year (hired by 31 August, not dismissed
  before 1 September); young specialists among them: less than 3 years of pedagogical experience.
* mentors in the bank: mentor entries that were in the bank at some time in the year;
  mentees in the bank: entries added by 31 August that had not left before 1 September; by category
  (a mentee may be in several categories).
* pairs (groups) of the year: approved by order (not drafts) whose period — start to the actual end
  (or the planned end while not ended) — overlaps the year. A pair spanning two academic years
  counts in both. A group has two or more mentees. Started: start date in the year; completed /
  ended early: actual end in the year.
* programs: confirmed by the mentee in the year; completed: the pair ended in the year with the
  program carried out in full; the outcome of every program of the year's pairs as of 31 August.
* meetings and hours: meetings held in the year; mean mentor load: mentees per mentor and hours
  per mentor over the mentors of the year's pairs.
* final reports: expected for pairs that ended in the year (one from the mentor, one from each
  mentee still in the pair at its end), submitted among them; mean evaluation of mentors: mean
  mentor_score of those mentees' reports.
* satisfaction: K7 (institutional.selectors.satisfaction) over pairs ended in the year.
* roadmap: the activities of the year's roadmap, per stage: total, done, overdue (deadline passed,
  as of today in the organization, and neither done nor cancelled).
* mentees without a pair: mentees in the bank in the year who were in none of the year's pairs,
  with the support recorded for them in matching rounds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from institutional.dates import academic_year_bounds, academic_year_label, academic_year_of, organization_today
from institutional.models import (
    EndReason,
    FinalReport,
    MatchPreference,
    Meeting,
    MenteeCategory,
    MenteeEntry,
    MentorEntry,
    Pair,
    PairForm,
    PairKind,
    PairMentee,
    Program,
    RoadmapActivity,
    Staff,
)
from institutional.models.staff import YOUNG_SPECIALIST_MAX_YEARS
from institutional.selectors.satisfaction import SatisfactionSummary, satisfaction_summary

# The first academic year the platform reports on (the federal model of mentoring dates from 2019).
MIN_ACADEMIC_YEAR = 2019

OUTCOME_COMPLETED = "completed"
OUTCOME_ENDED_EARLY = "ended_early"
OUTCOME_CONTINUING = "continuing"
OUTCOME_NOT_CONFIRMED = "not_confirmed"
OUTCOME_LABELS = {
    OUTCOME_COMPLETED: "Выполнена в полном объёме",
    OUTCOME_ENDED_EARLY: "Завершена досрочно",
    OUTCOME_CONTINUING: "Продолжается",
    OUTCOME_NOT_CONFIRMED: "Не согласована наставляемым",
}

NOT_DRAFT = (Pair.Status.APPROVED, Pair.Status.ACTIVE, Pair.Status.COMPLETED, Pair.Status.ENDED_EARLY)
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def current_academic_year() -> int:
    return academic_year_of(organization_today())


def academic_year_or_404(value) -> int:
    """A year from a URL or a query: a whole number from MIN_ACADEMIC_YEAR to the current year, else 404."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise Http404("Учебный год не найден.") from None
    if not MIN_ACADEMIC_YEAR <= year <= current_academic_year():
        raise Http404("Учебный год не найден.")
    return year


def available_years() -> list[int]:
    """The years the curator may choose, newest first."""
    return list(range(current_academic_year(), MIN_ACADEMIC_YEAR - 1, -1))


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _mean(total, count: int, places: Decimal = TWO_PLACES) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LabelCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class StageProgress:
    position: int
    title: str
    total: int
    done: int
    overdue: int

    @property
    def done_percent(self) -> Decimal | None:
        return _share(self.done, self.total)


@dataclass(frozen=True)
class UnpairedMentee:
    name: str
    categories: list[str]
    support: str


@dataclass
class AnnualReportData:
    academic_year: int
    label: str
    starts_on: date
    ends_on: date
    # participants
    staff_total: int = 0
    young_specialists: int = 0
    young_specialists_with_mentor: int = 0
    staff_in_mentoring: int = 0
    mentors_in_bank: int = 0
    mentors_with_pairs: int = 0
    mentees_in_bank: int = 0
    mentees_by_category: list[LabelCount] = field(default_factory=list)
    # pairs and groups
    pairs_total: int = 0
    pairs_individual: int = 0
    groups: int = 0
    pairs_started: int = 0
    pairs_active_at_end: int = 0
    pairs_completed: int = 0
    pairs_ended_early: int = 0
    ended_early_by_reason: list[LabelCount] = field(default_factory=list)
    pairs_by_form: list[LabelCount] = field(default_factory=list)
    pairs_by_kind: list[LabelCount] = field(default_factory=list)
    mentees_in_pairs: int = 0
    # programs and meetings
    programs_total: int = 0
    programs_confirmed: int = 0
    programs_completed: int = 0
    programs_by_outcome: list[LabelCount] = field(default_factory=list)
    meetings_total: int = 0
    hours_total: Decimal = Decimal("0.0")
    mean_mentees_per_mentor: Decimal | None = None
    mean_hours_per_mentor: Decimal | None = None
    # results
    reports_expected: int = 0
    reports_submitted: int = 0
    mentor_evaluation_mean: Decimal | None = None
    mentor_evaluation_count: int = 0
    satisfaction: SatisfactionSummary = field(default_factory=lambda: SatisfactionSummary(None, 0, None, 0))
    # roadmap
    roadmap_exists: bool = False
    roadmap_stages: list[StageProgress] = field(default_factory=list)
    # mentees left without a pair
    unpaired_mentees: list[UnpairedMentee] = field(default_factory=list)

    @property
    def young_specialists_share(self) -> Decimal | None:
        return _share(self.young_specialists_with_mentor, self.young_specialists)

    @property
    def staff_in_mentoring_share(self) -> Decimal | None:
        """Share of the staff who took part in mentoring as mentors or mentees (staff mentees only)."""
        return _share(self.staff_in_mentoring, self.staff_total)

    @property
    def reports_share(self) -> Decimal | None:
        return _share(self.reports_submitted, self.reports_expected)

    @property
    def roadmap_total(self) -> int:
        return sum(stage.total for stage in self.roadmap_stages)

    @property
    def roadmap_done(self) -> int:
        return sum(stage.done for stage in self.roadmap_stages)

    @property
    def roadmap_overdue(self) -> int:
        return sum(stage.overdue for stage in self.roadmap_stages)

    @property
    def roadmap_done_share(self) -> Decimal | None:
        return _share(self.roadmap_done, self.roadmap_total)

    @property
    def unpaired_with_support(self) -> int:
        return sum(1 for mentee in self.unpaired_mentees if mentee.support)


def _counts(counter: Counter, choices) -> list[LabelCount]:
    """Every choice in its declared order, zeros included (tables and charts show the full list)."""
    return [LabelCount(code=value, label=label, count=counter.get(value, 0)) for value, label in choices]


def annual_report_data(*, academic_year: int, today: date | None = None) -> AnnualReportData:
    """The year's figures (see the module docstring for each definition)."""
    start, end = academic_year_bounds(academic_year)
    today = today or organization_today()
    data = AnnualReportData(
        academic_year=academic_year, label=academic_year_label(academic_year), starts_on=start, ends_on=end
    )

    # Staff employed at some time in the year.
    staff_rows = list(
        Staff.objects.filter(hire_date__lte=end, is_outside=False)  # network mentors count at home
        .filter(Q(dismissal_date__isnull=True) | Q(dismissal_date__gte=start))
        .values_list("pk", "pedagogical_experience_years")
    )
    staff_ids = {pk for pk, _ in staff_rows}
    young_ids = {pk for pk, years in staff_rows if years < YOUNG_SPECIALIST_MAX_YEARS}
    data.staff_total, data.young_specialists = len(staff_ids), len(young_ids)

    data.mentors_in_bank = (
        MentorEntry.objects.filter(created_at__date__lte=end, home_organization_id__isnull=True)
        .filter(Q(is_active=True) | Q(excluded_on__gte=start))
        .count()
    )

    mentee_rows = list(
        MenteeEntry.objects.filter(created_at__date__lte=end)
        .filter(~Q(status=MenteeEntry.Status.LEFT) | Q(left_on__gte=start))
        .select_related("staff")
        .order_by("pk")
    )
    data.mentees_in_bank = len(mentee_rows)
    data.mentees_by_category = _counts(
        Counter(category for entry in mentee_rows for category in set(entry.categories)), MenteeCategory.choices
    )

    # Pairs and groups whose period overlaps the year.
    pairs = list(
        Pair.objects.filter(status__in=NOT_DRAFT, starts_on__lte=end)
        .annotate(actual_end=Coalesce("ended_on", "ends_on"))
        .filter(actual_end__gte=start)
        .values("pk", "mentor_id", "mentor__staff_id", "form", "kinds", "status", "starts_on", "ended_on", "end_reason")
    )
    pair_ids = [pair["pk"] for pair in pairs]
    participants = list(
        PairMentee.objects.filter(pair_id__in=pair_ids).values(
            "pair_id", "mentee_id", "mentee__staff_id", "joined_on", "left_on"
        )
    )
    by_pair: dict[int, list[dict]] = defaultdict(list)
    for row in participants:
        # Only those who were in the pair at some time in the year.
        if row["joined_on"] <= end and (row["left_on"] is None or row["left_on"] >= start):
            by_pair[row["pair_id"]].append(row)

    data.pairs_total = len(pairs)
    data.groups = sum(1 for pair in pairs if len(by_pair[pair["pk"]]) > 1)
    data.pairs_individual = data.pairs_total - data.groups
    data.pairs_started = sum(1 for pair in pairs if start <= pair["starts_on"] <= end)

    def ended_in_year(pair) -> bool:
        return pair["ended_on"] is not None and start <= pair["ended_on"] <= end

    ended = [pair for pair in pairs if ended_in_year(pair)]
    data.pairs_completed = sum(1 for pair in ended if pair["status"] == Pair.Status.COMPLETED)
    early = [pair for pair in ended if pair["status"] == Pair.Status.ENDED_EARLY]
    data.pairs_ended_early = len(early)
    data.ended_early_by_reason = [
        item
        for item in _counts(Counter(pair["end_reason"] for pair in early), EndReason.choices)
        if item.code != EndReason.PLAN_COMPLETED
    ]
    data.pairs_active_at_end = data.pairs_total - len(ended)
    data.pairs_by_form = _counts(Counter(pair["form"] for pair in pairs), PairForm.choices)
    data.pairs_by_kind = _counts(Counter(kind for pair in pairs for kind in set(pair["kinds"])), PairKind.choices)

    paired_mentee_ids = {row["mentee_id"] for rows in by_pair.values() for row in rows}
    data.mentees_in_pairs = len(paired_mentee_ids)
    mentee_staff_ids = {row["mentee__staff_id"] for rows in by_pair.values() for row in rows if row["mentee__staff_id"]}
    data.young_specialists_with_mentor = len(young_ids & mentee_staff_ids)
    mentor_staff_ids = {pair["mentor__staff_id"] for pair in pairs}
    data.staff_in_mentoring = len(staff_ids & (mentee_staff_ids | mentor_staff_ids))

    mentors = defaultdict(set)
    for pair in pairs:
        mentors[pair["mentor_id"]].update(row["mentee_id"] for row in by_pair[pair["pk"]])
    data.mentors_with_pairs = len(mentors)
    data.mean_mentees_per_mentor = _mean(sum(len(ids) for ids in mentors.values()), len(mentors))

    # Programs of the year's pairs.
    programs = list(Program.objects.filter(pair_id__in=pair_ids).values("pair_id", "status", "confirmed_at"))
    pair_by_id = {pair["pk"]: pair for pair in pairs}
    outcomes = Counter()
    for program in programs:
        pair = pair_by_id[program["pair_id"]]
        confirmed_on = program["confirmed_at"].date() if program["confirmed_at"] else None
        if confirmed_on is not None and start <= confirmed_on <= end:
            data.programs_confirmed += 1
        if ended_in_year(pair) and (
            pair["end_reason"] == EndReason.PLAN_COMPLETED or program["status"] == Program.Status.COMPLETED
        ):
            outcomes[OUTCOME_COMPLETED] += 1
        elif ended_in_year(pair):
            outcomes[OUTCOME_ENDED_EARLY] += 1
        elif confirmed_on is not None and confirmed_on <= end:
            outcomes[OUTCOME_CONTINUING] += 1
        else:
            outcomes[OUTCOME_NOT_CONFIRMED] += 1
    data.programs_total = len(programs)
    data.programs_completed = outcomes[OUTCOME_COMPLETED]
    data.programs_by_outcome = _counts(outcomes, OUTCOME_LABELS.items())

    # Meetings held in the year; a meeting before a replacement stays the earlier mentor's.
    meetings = (
        Meeting.objects.filter(held_on__gte=start, held_on__lte=end)
        .annotate(led_by=Coalesce("mentor_id", "pair__mentor_id"))
        .values("led_by")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
    )
    minutes_total = 0
    for row in meetings:
        data.meetings_total += row["n"]
        minutes_total += row["minutes"] or 0
    data.hours_total = (Decimal(minutes_total) / 60).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    data.mean_hours_per_mentor = _mean(Decimal(minutes_total) / 60, len(mentors), ONE_PLACE)

    # Final reports of the pairs that ended in the year.
    ended_ids = {pair["pk"] for pair in ended}
    reports = list(
        FinalReport.objects.filter(pair_id__in=ended_ids).values("pair_id", "author_role", "mentee_id", "mentor_score")
    )
    expected = set()
    for pair in ended:
        expected.add((pair["pk"], FinalReport.AuthorRole.MENTOR, None))
        for row in by_pair[pair["pk"]]:
            if row["left_on"] is None or row["left_on"] >= pair["ended_on"]:
                expected.add((pair["pk"], FinalReport.AuthorRole.MENTEE, row["mentee_id"]))
    submitted = {(r["pair_id"], r["author_role"], r["mentee_id"]) for r in reports}
    data.reports_expected = len(expected)
    data.reports_submitted = len(expected & submitted)
    scores = [
        r["mentor_score"] for r in reports if r["author_role"] == FinalReport.AuthorRole.MENTEE and r["mentor_score"]
    ]
    data.mentor_evaluation_count = len(scores)
    data.mentor_evaluation_mean = _mean(sum(scores), len(scores))

    data.satisfaction = satisfaction_summary(start=start, end=end)

    # The year's roadmap, stage by stage.
    activities = list(
        RoadmapActivity.objects.filter(stage__roadmap__academic_year=academic_year)
        .values("stage_id", "stage__position", "stage__title", "status", "deadline")
        .order_by("stage__position", "position")
    )
    stages: dict[int, dict] = {}
    for row in activities:
        stage = stages.setdefault(
            row["stage_id"],
            {"position": row["stage__position"], "title": row["stage__title"], "total": 0, "done": 0, "overdue": 0},
        )
        if row["status"] == RoadmapActivity.Status.CANCELLED:
            continue
        stage["total"] += 1
        if row["status"] == RoadmapActivity.Status.DONE:
            stage["done"] += 1
        elif row["deadline"] is not None and row["deadline"] < today:
            stage["overdue"] += 1
    data.roadmap_exists = bool(activities)
    data.roadmap_stages = [StageProgress(**stage) for stage in stages.values()]

    # Mentees of the bank who were in none of the year's pairs, with the support recorded for them.
    unpaired = [entry for entry in mentee_rows if entry.pk not in paired_mentee_ids]
    support: dict[int, str] = {}
    notes = (
        MatchPreference.objects.filter(mentee_id__in=[entry.pk for entry in unpaired])
        .exclude(support_note="")
        .order_by("updated_at", "pk")
        .values_list("mentee_id", "support_note")
    )
    for mentee_id, note in notes:
        support[mentee_id] = note.strip()  # the latest note wins
    category_labels = dict(MenteeCategory.choices)
    data.unpaired_mentees = [
        UnpairedMentee(
            name=entry.full_name,
            categories=[category_labels.get(c, c) for c in entry.categories],
            support=support.get(entry.pk, ""),
        )
        for entry in unpaired
    ]
    return data
