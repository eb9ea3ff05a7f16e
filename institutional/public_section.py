"""What the public section «Наставничество» may show, and nothing more (tenant schema, no writes).

Everything here is published on the internet without login. Each builder picks the exact fields
that may be shown: no mentee names, requests, difficulties, goals, meeting notes or reports, no
staff names except mentors who signed a publication consent that is in force (and only the
fields that consent lists). Nothing is cached: a withdrawn consent takes effect on the next request.
The query count is fixed: it does not grow with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch
from django.http import Http404

from institutional.consent_texts import PUBLISHED_FIELDS
from institutional.dates import academic_year_label, academic_year_of, organization_today
from institutional.models import (
    Consent,
    ConsentKind,
    EndReason,
    MentorAchievement,
    MentorEntry,
    News,
    Pair,
    PairForm,
    PairKind,
    Program,
    RegulationVersion,
    Roadmap,
    RoadmapActivity,
    RoadmapStage,
    Staff,
)
from institutional.selectors.regulation import regulation_in_force

WIDGET_NEWS_COUNT = 5
SCHOOL_SITE_PATH = "/pedagogam-i-sotrudnikam/nastavnichestvo"

# The main acts, named by title only (the project writes no numbers it cannot vouch for).
LEGAL_BASE = (
    {
        "title": "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»",
        "note": "правовые основы деятельности педагогических работников и образовательных организаций",
    },
    {
        "title": "Трудовой кодекс Российской Федерации, статья 351.8",
        "note": "наставничество педагогических работников: письменное согласие наставника и дополнительная оплата",
    },
    {
        "title": "Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных»",
        "note": "обработка и публикация сведений об участниках наставничества только с их согласия",
    },
    {
        "title": (
            "Распоряжение Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
            "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, "
            "осуществляющих образовательную деятельность…»"
        ),
        "note": "целевая модель наставничества в образовательных организациях",
    },
    {
        "title": (
            "Методические рекомендации Министерства просвещения Российской Федерации по разработке и "
            "внедрению системы (целевой модели) наставничества педагогических работников в "
            "образовательных организациях"
        ),
        "note": "рекомендуемое содержание положения о системе наставничества и дорожной карты",
    },
)


@dataclass(frozen=True)
class PublicRegulation:
    id: int
    title: str
    version: int
    order_number: str
    order_date: object
    is_upload: bool


def _organization() -> dict:
    tenant = connection.tenant
    return {"full_name": tenant.full_name, "short_name": tenant.short_name}


def public_regulation() -> PublicRegulation | None:
    """The regulation in force (approved by order), or None; drafts and superseded ones never."""
    version = regulation_in_force()
    if version is None:
        return None
    return PublicRegulation(
        id=version.pk,
        title=version.title,
        version=version.number,
        order_number=version.order_number,
        order_date=version.order_date,
        is_upload=version.source == RegulationVersion.Source.UPLOAD,
    )


def public_regulation_version(*, version_id: int) -> RegulationVersion:
    """The version to download publicly: only the one in force; anything else is "not found"."""
    version = RegulationVersion.objects.filter(pk=version_id, status=RegulationVersion.Status.APPROVED).first()
    if version is None:
        raise Http404("Документ не найден.")
    return version


def public_roadmap(*, today=None) -> dict | None:
    """The approved roadmap of the current academic year: stages and activities, positions only."""
    today = today or organization_today()
    year = academic_year_of(today)
    activities = RoadmapActivity.objects.order_by("position").only(
        "id", "stage_id", "position", "title", "deadline", "deadline_text", "responsible_roles", "status"
    )
    stages = RoadmapStage.objects.order_by("position").prefetch_related(Prefetch("activities", queryset=activities))
    roadmap = (
        Roadmap.objects.filter(academic_year=year, status=Roadmap.Status.APPROVED)
        .prefetch_related(Prefetch("stages", queryset=stages))
        .first()
    )
    if roadmap is None:
        return None
    return {
        "title": roadmap.title,
        "academic_year": academic_year_label(year),
        "order_number": roadmap.order_number,
        "order_date": roadmap.order_date,
        "stages": [
            {
                "position": stage.position,
                "title": stage.title,
                "activities": [
                    {
                        "position": activity.position,
                        "title": activity.title,
                        "deadline": activity.deadline,
                        "deadline_text": activity.deadline_text,
                        "responsible": activity.responsible_roles,
                        "status": activity.get_status_display(),
                        "is_overdue": activity.is_overdue_on(today),
                    }
                    for activity in stage.activities.all()
                ],
            }
            for stage in roadmap.stages.all()
        ],
    }


def _kinds_display(kinds) -> list[str]:
    labels = dict(PairKind.choices)
    return [labels.get(kind, kind) for kind in kinds or []]


def _program_row(program: Program) -> dict:
    pair = program.pair
    return {
        "title": program.title,
        "form": dict(PairForm.choices).get(pair.form, pair.form),
        "kinds": _kinds_display(pair.kinds),
        "starts_on": program.starts_on,
        "ends_on": program.ends_on,
        "is_group": program.mentee_count > 1,
        "mentees": program.mentee_count,
    }


def public_programs() -> list[dict]:
    """Programs of approved and active pairs: title, form, kinds, period, individual or group."""
    programs = (
        Program.objects.filter(pair__status__in=(Pair.Status.APPROVED, Pair.Status.ACTIVE))
        .select_related("pair")
        .annotate(mentee_count=Count("pair__participants"))
        .only("id", "title", "starts_on", "ends_on", "pair__id", "pair__form", "pair__kinds")
        .order_by("starts_on", "id")
    )
    return [_program_row(program) for program in programs]


def public_results(*, today=None) -> list[dict]:
    """Programs of pairs completed in full (plan completed), after the pair ended: planned results."""
    today = today or organization_today()
    programs = (
        Program.objects.filter(
            pair__status=Pair.Status.COMPLETED,
            pair__end_reason=EndReason.PLAN_COMPLETED,
            pair__ended_on__isnull=False,
            pair__ended_on__lte=today,
        )
        .select_related("pair")
        .annotate(mentee_count=Count("pair__participants"))
        .only("id", "title", "planned_results", "starts_on", "ends_on", "pair__id", "pair__form", "pair__kinds")
        .order_by("-pair__ended_on", "-id")
    )
    rows = []
    for program in programs:
        row = _program_row(program)
        row["planned_results"] = program.planned_results
        row["ended_on"] = program.pair.ended_on
        rows.append(row)
    return rows


def _mentor_value(field: str, entry: MentorEntry):
    staff = entry.staff
    if field == "full_name":
        return staff.full_name
    if field == "position":
        return staff.position
    if field == "subjects":
        return ", ".join(entry.subjects or staff.subjects or [])
    if field == "competencies":
        return entry.competencies
    if field == "achievements":
        labels = dict(MentorAchievement.choices)
        parts = [labels.get(code, code) for code in entry.achievements or []]
        if entry.achievements_details:
            parts.append(entry.achievements_details)
        return "; ".join(parts)
    return ""


def public_mentors() -> list[dict]:
    """Active mentors whose publication consent is signed and in force: only the consented fields."""
    in_force = Consent.objects.filter(kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED).order_by(
        "-signed_on", "-id"
    )
    entries = (
        MentorEntry.objects.filter(
            is_active=True,
            staff__status=Staff.Status.EMPLOYED,
            staff__consents__kind=ConsentKind.PUBLICATION,
            staff__consents__status=Consent.Status.SIGNED,
        )
        .select_related("staff")
        .prefetch_related(Prefetch("staff__consents", queryset=in_force, to_attr="publication_consents"))
        .distinct()
        .order_by("staff__last_name", "staff__first_name", "id")
    )
    mentors = []
    for entry in entries:
        consents = entry.staff.publication_consents
        if not consents:
            continue
        allowed = set(consents[0].published_fields)
        fields = [
            {"code": code, "label": label, "value": _mentor_value(code, entry)}
            for code, label in PUBLISHED_FIELDS.items()
            if code in allowed
        ]
        mentors.append({"fields": [field for field in fields if field["value"]]})
    return mentors


def public_news(*, limit: int | None = None) -> list[News]:
    news = News.objects.filter(is_published=True).order_by("-published_on", "-id")
    return list(news[:limit] if limit else news)


def public_section(*, today=None) -> dict:
    """Everything the public page, the widget and the feed show."""
    today = today or organization_today()
    return {
        "organization": _organization(),
        "regulation": public_regulation(),
        "roadmap": public_roadmap(today=today),
        "programs": public_programs(),
        "mentors": public_mentors(),
        "results": public_results(today=today),
        "legal_base": LEGAL_BASE,
        "news": public_news(),
    }


def public_section_organization() -> dict:
    """The organization's names (no query: the tenant is already loaded)."""
    return _organization()
