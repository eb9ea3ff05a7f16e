"""The region's annual monitoring campaign: opening, submissions, closing, progress (public schema).

A campaign is a window of dates in which every educational organization of the region reviews its
figures (the projection, `analytics.rows.organization_row`) and submits them. Closing it fixes the
figures of those who did not submit as they are in the projections at that moment, so that after
closing every organization has exactly one frozen row and the campaign's export never changes.

Services (`campaign_open`, `submission_submit`, `campaign_close`, `campaign_export`) are the only
writers of `MonitoringCampaign` and `CampaignSubmission`; each runs in one transaction and writes
nothing when it refuses. Selectors read only public tables; `submission_submit` alone touches an
organization's schema (it refreshes that organization's projection first) and is called from the
organization's own host.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from analytics.kpi import K1_REASONS, Period, Ratio, organization_kpis
from analytics.models import CampaignSubmission, MonitoringCampaign
from analytics.rows import EARLY_REASONS, K6_KINDS, column_label, organization_row
from analytics.scope import OrganizationRef, municipalities_of, organizations_under
from institutional.dates import academic_year_label, academic_year_of, organization_today
from institutional.models.pairs import PairForm, PairKind
from tenants.models import Level, Organization

REGIONAL_SUBORDINATION = "Организации регионального подчинения"
# The conditions of K1 as a curator checks them (the keys of analytics.kpi.K1_REASONS).
K1_CONDITIONS = {
    "regulation": "Утверждено положение о наставничестве",
    "roadmap": "Утверждена дорожная карта на учебный год",
    "curator": "Назначен куратор",
    "pairs": "Действует утверждённая наставническая пара или группа",
}


def _date(day) -> str:
    return day.strftime("%d.%m.%Y")


# --- services ------------------------------------------------------------------------------------


def campaign_open(*, actor, region, title, academic_year, opens_on, closes_on) -> MonitoringCampaign:
    """Open the region's campaign for an academic year with a window of dates (both days included)."""
    title = (title or "").strip()
    errors: dict[str, list[str]] = defaultdict(list)
    if region.level != Level.REGION:
        raise ValidationError(f"Мониторинговую кампанию открывает регион, а «{region.short_name}» — не регион.")
    if not title:
        errors["title"].append("Укажите название кампании.")
    if academic_year is None or not 2000 <= int(academic_year) <= 2100:
        errors["academic_year"].append("Укажите учебный год кампании (год его начала, например 2026).")
    if opens_on is None:
        errors["opens_on"].append("Укажите дату начала приёма сведений.")
    if closes_on is None:
        errors["closes_on"].append("Укажите дату окончания приёма сведений.")
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"].append("Окончание приёма не может быть раньше его начала.")
    elif closes_on < organization_today(region):
        errors["closes_on"].append(f"Окончание приёма ({_date(closes_on)}) уже прошло.")
    if errors:
        raise ValidationError(dict(errors))
    with transaction.atomic():
        # The region's row is the lock that puts two openings one after the other.
        Organization.objects.select_for_update().filter(pk=region.pk).first()
        running = open_campaign(region)
        if running is not None:
            raise ValidationError(
                f"В регионе уже идёт мониторинговая кампания «{running.title}»: "
                "завершите её, прежде чем открывать новую."
            )
        try:
            with transaction.atomic():
                return MonitoringCampaign.objects.create(
                    region=region,
                    title=title,
                    academic_year=int(academic_year),
                    opens_on=opens_on,
                    closes_on=closes_on,
                    created_by=actor,
                )
        except IntegrityError as error:
            raise ValidationError("В регионе уже идёт мониторинговая кампания.") from error


def submission_submit(*, actor, organization, comment: str = "") -> CampaignSubmission:
    """Submit the organization's figures to its region's open campaign (again replaces them).

    The organization's projection is recomputed first, so the figures are those of its records now.
    """
    if organization.level != Level.ORGANIZATION:
        raise ValidationError("Сведения в мониторинге сдают образовательные организации.")
    with transaction.atomic():
        # Locked against a closing that runs at the same moment: one of the two waits for the other.
        campaign = (
            MonitoringCampaign.objects.select_for_update()
            .filter(region=organization.region, status=MonitoringCampaign.Status.OPEN)
            .first()
        )
        if campaign is None:
            raise ValidationError("Мониторинговая кампания в регионе сейчас не проводится: сдавать сведения некуда.")
        today = organization_today(organization)
        if today < campaign.opens_on:
            raise ValidationError(f"Приём сведений начнётся {_date(campaign.opens_on)}.")
        if today > campaign.closes_on:
            raise ValidationError(f"Приём сведений завершён {_date(campaign.closes_on)}.")
        from analytics.projection import refresh_organization

        refresh_organization(organization)
        figures = organization_figures(organization, campaign.academic_year)
        submission, _created = CampaignSubmission.objects.update_or_create(
            campaign=campaign,
            organization=organization,
            defaults={
                "parent_id": organization.parent_id,
                "status": CampaignSubmission.Status.SUBMITTED,
                "figures": figures,
                "comment": (comment or "").strip(),
                "submitted_at": timezone.now(),
                "submitted_by": actor,
            },
        )
        return submission


def campaign_close(*, actor, campaign: MonitoringCampaign) -> MonitoringCampaign:
    """Close the campaign: the figures of every organization that did not submit are fixed as they are
    in the projections now (no recomputation), and nothing about the campaign changes afterwards."""
    with transaction.atomic():
        campaign = MonitoringCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == MonitoringCampaign.Status.CLOSED:
            raise ValidationError(
                f"Кампания «{campaign.title}» уже завершена {timezone.localtime(campaign.closed_at):%d.%m.%Y}."
            )
        now = timezone.now()
        refs = organizations_under(campaign.region)
        have = set(campaign.submissions.values_list("organization_id", flat=True))
        missing = [ref for ref in refs if ref.id not in have]
        kpis = organization_kpis([ref.id for ref in missing], Period.academic_year(campaign.academic_year))
        CampaignSubmission.objects.bulk_create(
            [
                CampaignSubmission(
                    campaign=campaign,
                    organization_id=ref.id,
                    parent_id=ref.parent_id,
                    status=CampaignSubmission.Status.MISSING,
                    figures=organization_row(ref, kpis[ref.id]),
                    submitted_at=now,
                )
                for ref in missing
            ],
            batch_size=1000,
        )
        campaign.status = MonitoringCampaign.Status.CLOSED
        campaign.closed_at = now
        campaign.closed_by = actor
        campaign.save(update_fields=["status", "closed_at", "closed_by"])
        return campaign


def campaign_export(*, actor, campaign: MonitoringCampaign, scope: Organization):
    """Start the frozen export of a closed campaign (the figures exactly as submitted) for the scope."""
    if campaign.status != MonitoringCampaign.Status.CLOSED:
        raise ValidationError(
            "Выгрузка сведений кампании доступна после её завершения: до этого сведения ещё могут измениться."
        )
    from analytics.exports import export_job_start

    period = Period.academic_year(campaign.academic_year)
    return export_job_start(
        actor=actor,
        scope=scope,
        format="xlsx",
        period_start=period.start,
        period_end=period.end,
        campaign=campaign,
    )


# --- selectors -----------------------------------------------------------------------------------


def open_campaign(region: Organization) -> MonitoringCampaign | None:
    return MonitoringCampaign.objects.filter(region=region, status=MonitoringCampaign.Status.OPEN).first()


def region_of(scope: Organization) -> Organization:
    return scope if scope.level == Level.REGION else scope.region


def campaign_list(scope: Organization) -> list[MonitoringCampaign]:
    """The campaigns of the scope's region, newest first, each with `submitted` (within the scope)."""
    submitted = Q(submissions__status=CampaignSubmission.Status.SUBMITTED)
    if scope.level != Level.REGION:
        submitted &= Q(submissions__parent=scope)
    return list(
        MonitoringCampaign.objects.filter(region=region_of(scope)).annotate(
            submitted=Count("submissions", filter=submitted)
        )
    )


def campaign_get(*, scope: Organization, campaign_id: int) -> MonitoringCampaign:
    """A campaign of the scope's region; any other id is "not found"."""
    campaign = MonitoringCampaign.objects.filter(pk=campaign_id, region=region_of(scope)).first()
    if campaign is None:
        raise Http404("Кампания не найдена")
    return campaign


@dataclass
class ProgressRow:
    parent_id: int | None
    name: str
    organizations: int = 0
    submitted: int = 0

    @property
    def not_submitted(self) -> int:
        return self.organizations - self.submitted

    @property
    def percent(self) -> Decimal | None:
        return Ratio(self.submitted, self.organizations).percent

    @property
    def bar_width(self) -> int:
        return int(self.percent or 0)


@dataclass
class CampaignProgress:
    rows: list[ProgressRow]
    total: ProgressRow


def _scope_counts(campaign: MonitoringCampaign, scope: Organization) -> dict[int, list[int]]:
    """parent id → [organizations, submitted] within the scope (two queries)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    if campaign.status == MonitoringCampaign.Status.CLOSED:
        # Closed: every organization of the campaign has its frozen row; later changes don't count.
        rows = campaign.submissions.all()
        if scope.level != Level.REGION:
            rows = rows.filter(parent=scope)
        for row in rows.values("parent_id", "status").annotate(n=Count("id")):
            counts[row["parent_id"]][0] += row["n"]
            if row["status"] == CampaignSubmission.Status.SUBMITTED:
                counts[row["parent_id"]][1] += row["n"]
        return counts
    refs = organizations_under(scope)
    submitted = set(
        campaign.submissions.filter(
            status=CampaignSubmission.Status.SUBMITTED, organization_id__in=[ref.id for ref in refs]
        ).values_list("organization_id", flat=True)
    )
    for ref in refs:
        counts[ref.parent_id][0] += 1
        counts[ref.parent_id][1] += int(ref.id in submitted)
    return counts


def campaign_progress(campaign: MonitoringCampaign, scope: Organization) -> CampaignProgress:
    """Completion per municipality (a municipality's scope: its own row only) and the totals.

    A fixed number of queries whatever the number of organizations.
    """
    counts = _scope_counts(campaign, scope)
    if scope.level == Level.REGION:
        parents = {municipality.pk: municipality.short_name for municipality in municipalities_of(scope)}
        unknown = set(counts) - set(parents) - {scope.pk}
        if unknown:  # a municipality deactivated since a closed campaign
            parents.update(Organization.objects.filter(pk__in=unknown).values_list("pk", "short_name"))
        rows = [ProgressRow(pk, name, *counts.get(pk, (0, 0))) for pk, name in parents.items()]
        rows.sort(key=lambda row: row.name)
        if scope.pk in counts:
            rows.append(ProgressRow(scope.pk, REGIONAL_SUBORDINATION, *counts[scope.pk]))
    else:
        rows = [ProgressRow(scope.pk, scope.short_name, *counts.get(scope.pk, (0, 0)))]
    total = ProgressRow(
        None,
        "Итого",
        sum(row.organizations for row in rows),
        sum(row.submitted for row in rows),
    )
    return CampaignProgress(rows=rows, total=total)


@dataclass(frozen=True)
class PendingOrganization:
    id: int
    code: str
    short_name: str
    parent_name: str


def pending_organizations(campaign: MonitoringCampaign, scope: Organization) -> list[PendingOrganization]:
    """Organizations of the scope that have not submitted (after closing: those fixed as missing)."""
    if campaign.status == MonitoringCampaign.Status.CLOSED:
        rows = campaign.submissions.filter(status=CampaignSubmission.Status.MISSING)
        if scope.level != Level.REGION:
            rows = rows.filter(parent=scope)
        pending = [
            PendingOrganization(
                row.organization_id,
                row.figures.get("code", ""),
                row.figures.get("short_name", ""),
                row.figures.get("parent_name", ""),
            )
            for row in rows
        ]
    else:
        refs = organizations_under(scope)
        submitted = set(
            campaign.submissions.filter(
                status=CampaignSubmission.Status.SUBMITTED, organization_id__in=[ref.id for ref in refs]
            ).values_list("organization_id", flat=True)
        )
        pending = [
            PendingOrganization(ref.id, ref.code, ref.short_name, ref.parent_name)
            for ref in refs
            if ref.id not in submitted
        ]
    return sorted(pending, key=lambda item: (item.parent_name, item.short_name))


def organization_ref(organization: Organization) -> OrganizationRef:
    """What an organization's figures row names it by."""
    refs = organizations_under(organization)
    return refs[0] if refs else OrganizationRef.of(organization)


def organization_figures(organization: Organization, academic_year: int) -> dict:
    """The organization's figures row for an academic year, from its projection as stored now."""
    kpi = organization_kpis([organization.pk], Period.academic_year(academic_year))[organization.pk]
    return organization_row(organization_ref(organization), kpi)


def organization_submission(campaign: MonitoringCampaign | None, organization) -> CampaignSubmission | None:
    if campaign is None:
        return None
    return CampaignSubmission.objects.filter(campaign=campaign, organization=organization).first()


def organization_submissions(organization) -> list[CampaignSubmission]:
    """The organization's rows in every campaign, newest campaign first."""
    return list(
        CampaignSubmission.objects.filter(organization=organization)
        .select_related("campaign")
        .order_by("-campaign__opens_on", "-campaign_id")
    )


def window_state(campaign: MonitoringCampaign, organization) -> str:
    """'before', 'open', 'after' or 'closed': where the organization's today is against the window."""
    if campaign.status == MonitoringCampaign.Status.CLOSED:
        return "closed"
    today = organization_today(organization)
    if today < campaign.opens_on:
        return "before"
    if today > campaign.closes_on:
        return "after"
    return "open"


def organization_monitoring(organization) -> dict:
    """What the organization's monitoring page and API show: its region's open campaign, its figures now
    (from the projection), its submission to the campaign and its rows in earlier campaigns."""
    if organization.level != Level.ORGANIZATION:
        return {"applies": False}
    campaign = open_campaign(organization.region)
    year = campaign.academic_year if campaign else academic_year_of(organization_today(organization))
    current = organization_figures(organization, year)
    submission = organization_submission(campaign, organization)
    state = window_state(campaign, organization) if campaign else None
    changed = submission is not None and comparable(submission.figures) != comparable(current)
    return {
        "applies": True,
        "campaign": campaign,
        "state": state,
        "year": year,
        "year_label": academic_year_label(year),
        "current": current,
        "facts_as_of": date.fromisoformat(current["facts_as_of"]) if current["facts_as_of"] else None,
        "submission": submission,
        "changed_since_submission": changed,
        "past": [
            item
            for item in organization_submissions(organization)
            if campaign is None or item.campaign_id != campaign.pk
        ],
    }


# --- figures in plain Russian --------------------------------------------------------------------


@dataclass
class FigureGroup:
    """One indicator of a figures row, as an organization's curator reviews it."""

    code: str
    title: str
    summary: str
    items: list[tuple[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _share(numerator: int, denominator: int) -> str:
    percent = Ratio(numerator, denominator).percent
    if percent is None:
        return "нет данных для расчёта"
    return f"{numerator} из {denominator} ({str(percent).replace('.', ',')} %)"


def _mean(total: float, count: int) -> str:
    if not count:
        return "анкет нет"
    value = (Decimal(str(total)) / count).quantize(Decimal("0.01"))
    return f"{str(value).replace('.', ',')} (анкет: {count})"


def _label(key: str) -> str:
    """A row key's Russian name without the «КN: » prefix, with a capital letter."""
    text = column_label(key).split(": ", 1)[-1]
    return text[:1].upper() + text[1:]


def figure_groups(figures: dict) -> list[FigureGroup]:
    """The figures of one organization grouped by indicator (K1–K12), in plain Russian."""
    value = figures.get
    k1_missing = set(filter(None, (value("k1_missing") or "").split("; ")))
    groups = [
        FigureGroup(
            "K1",
            "К1. Система наставничества внедрена",
            "да" if value("k1_implements") else f"нет: не выполнено условий — {len(k1_missing)} из {len(K1_REASONS)}",
            items=[(label, "да") for key, label in K1_CONDITIONS.items() if K1_REASONS[key] not in k1_missing],
            problems=[reason[:1].upper() + reason[1:] for reason in K1_REASONS.values() if reason in k1_missing],
        ),
        FigureGroup(
            "K2",
            "К2. Педагоги, участвующие в наставничестве",
            _share(value("k2_engaged", 0), value("k2_staff", 0)),
            items=[(_label("k2_engaged"), value("k2_engaged", 0)), (_label("k2_staff"), value("k2_staff", 0))],
        ),
        FigureGroup(
            "K3",
            "К3. Молодые специалисты с наставником",
            _share(value("k3_young_mentored", 0), value("k3_young", 0)),
            items=[
                (_label("k3_young_mentored"), value("k3_young_mentored", 0)),
                (_label("k3_young"), value("k3_young", 0)),
            ],
        ),
    ]
    pairs = value("k4_network", 0) + value("k4_local", 0)
    groups.append(
        FigureGroup(
            "K4",
            "К4. Наставнические пары и группы",
            f"действует: {pairs}",
            items=[(_label(f"k4_form__{form.value}"), value(f"k4_form__{form.value}", 0)) for form in PairForm]
            + [(_label(f"k4_kind__{kind.value}"), value(f"k4_kind__{kind.value}", 0)) for kind in PairKind]
            + [(_label("k4_network"), value("k4_network", 0)), (_label("k4_local"), value("k4_local", 0))],
        )
    )
    groups.append(
        FigureGroup(
            "K5",
            "К5. Персонализированные программы",
            f"действует: {value('k5_active', 0)}, выполнено: {value('k5_completed', 0)}",
            items=[(_label("k5_active"), value("k5_active", 0)), (_label("k5_completed"), value("k5_completed", 0))]
            + [(_label(f"k5_early__{reason.value}"), value(f"k5_early__{reason.value}", 0)) for reason in EARLY_REASONS]
            + [(_label("k5_extended"), value("k5_extended", 0))],
        )
    )
    overdue = sum(value(f"k6_{kind}", 0) for kind in K6_KINDS)
    groups.append(
        FigureGroup(
            "K6",
            "К6. Просроченные действия",
            f"всего: {overdue}",
            items=[(_label(f"k6_{kind}"), value(f"k6_{kind}", 0)) for kind in K6_KINDS],
            problems=[f"{_label(f'k6_{kind}')}: {value(f'k6_{kind}')}" for kind in K6_KINDS if value(f"k6_{kind}")],
        )
    )
    groups.append(
        FigureGroup(
            "K7",
            "К7. Удовлетворённость участников (средний балл от 1 до 5)",
            f"наставники: {_mean(value('k7_mentor_sum', 0), value('k7_mentor_n', 0))}; "
            f"наставляемые: {_mean(value('k7_mentee_sum', 0), value('k7_mentee_n', 0))}",
            items=[
                ("Наставники", _mean(value("k7_mentor_sum", 0), value("k7_mentor_n", 0))),
                ("Наставляемые", _mean(value("k7_mentee_sum", 0), value("k7_mentee_n", 0))),
            ],
        )
    )
    loads = sorted(
        ((int(key.removeprefix("k8_load__")), count) for key, count in figures.items() if key.startswith("k8_load__")),
    )
    groups.append(
        FigureGroup(
            "K8",
            "К8. Нагрузка наставников",
            f"сверх предельной нагрузки: {value('k8_over_cap', 0)}",
            items=[(_label(f"k8_load__{load}"), count) for load, count in loads]
            + [(_label("k8_over_cap"), value("k8_over_cap", 0))],
            problems=[f"{_label('k8_over_cap')}: {value('k8_over_cap')}"] if value("k8_over_cap") else [],
        )
    )
    groups.append(
        FigureGroup(
            "K9",
            "К9. Раздел «Наставничество» на сайте организации",
            "опубликован" if value("k9_published") else "не опубликован",
            problems=[]
            if value("k9_published")
            else ["Раздел показывает утверждённое положение и дорожную карту учебного года — их нет."],
        )
    )
    if "k10_published" in figures:  # rows stored before K10 was counted have no such keys
        groups.append(
            FigureGroup(
                "K10",
                "К10. Лучшие практики в региональном банке",
                f"опубликовано кейсов: {value('k10_published', 0)}",
                items=[
                    (_label("k10_submitted"), value("k10_submitted", 0)),
                    (_label("k10_published"), value("k10_published", 0)),
                ],
            )
        )
    stages = defaultdict(dict)
    for key, count in figures.items():
        if key.startswith("k11_stage__"):
            _, position, part = key.split("__")
            stages[int(position)][part] = count
    activities = sum(stage.get("activities", 0) for stage in stages.values())
    done = sum(stage.get("done", 0) for stage in stages.values())
    groups.append(
        FigureGroup(
            "K11",
            "К11. Выполнение дорожной карты по этапам",
            f"выполнено мероприятий: {_share(done, activities)}" if activities else "мероприятий нет",
            items=[
                (
                    f"Этап {position}",
                    f"мероприятий {stage.get('activities', 0)}, выполнено {stage.get('done', 0)}, "
                    f"просрочено {stage.get('overdue', 0)}",
                )
                for position, stage in sorted(stages.items())
            ],
        )
    )
    groups.append(
        FigureGroup(
            "K12",
            "К12. Закрепление бывших наставляемых в профессии",
            _share(value("k12_retained", 0), value("k12_former", 0)),
            items=[(_label("k12_retained"), value("k12_retained", 0)), (_label("k12_former"), value("k12_former", 0))],
        )
    )
    return groups


# Keys a figures row got after campaigns began (K10): a row stored without them had zeros there.
LATER_KEYS = frozenset({"k10_submitted", "k10_published", "k10_has_published"})


def comparable(figures: dict) -> dict:
    """A figures row without the date of the data, to tell whether the figures themselves changed
    (a row stored before K10 was counted compares equal to one with K10 zero)."""
    return {key: item for key, item in figures.items() if key != "facts_as_of" and not (key in LATER_KEYS and not item)}


def year_label(campaign: MonitoringCampaign) -> str:
    return academic_year_label(campaign.academic_year)
