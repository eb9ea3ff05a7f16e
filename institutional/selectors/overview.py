"""The organization's setup at a glance: what is in place for its mentoring system (tenant schema).

Feeds the checklist on the organization's home page; the same facts later feed the region's KPI
«the organization implements the mentoring system».
"""

from __future__ import annotations

from dataclasses import dataclass

from institutional.dates import academic_year_label, academic_year_of, organization_today
from institutional.models import Appointment, MenteeEntry, MentorEntry, RegulationVersion, Roadmap, Staff


@dataclass(frozen=True)
class SetupStep:
    title: str
    is_done: bool
    detail: str
    url_name: str


def setup_overview(organization) -> list[SetupStep]:
    year = academic_year_of(organization_today(organization))
    regulation = RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).first()
    roadmap = Roadmap.objects.filter(academic_year=year).first()
    curator = (
        Appointment.objects.filter(role=Appointment.Role.CURATOR, ended_on__isnull=True).select_related("staff").first()
    )
    # Mentors of other organizations working here in network pairs are not this organization's.
    staff_count = Staff.objects.filter(status=Staff.Status.EMPLOYED, is_outside=False).count()
    mentees = MenteeEntry.objects.exclude(status=MenteeEntry.Status.LEFT).count()
    mentors = MentorEntry.objects.filter(is_active=True, home_organization_id__isnull=True).count()
    return [
        SetupStep(
            "Педагогические работники внесены",
            staff_count > 0,
            f"работает: {staff_count}" if staff_count else "реестр пуст — загрузите его из файла",
            "institutional:staff_list",
        ),
        SetupStep(
            "Положение утверждено",
            regulation is not None,
            f"версия {regulation.number}, приказ № {regulation.order_number} от {regulation.order_date:%d.%m.%Y}"
            if regulation
            else "нет утверждённой версии",
            "institutional:regulation",
        ),
        SetupStep(
            f"Дорожная карта на {academic_year_label(year)} учебный год утверждена",
            roadmap is not None and roadmap.status == Roadmap.Status.APPROVED,
            (roadmap.get_status_display() if roadmap else "не составлена"),
            "institutional:roadmap_list",
        ),
        SetupStep(
            "Куратор назначен",
            curator is not None,
            f"{curator.staff.short_name}, приказ № {curator.order_number}" if curator else "не назначен",
            "institutional:staff_list",
        ),
        SetupStep("Банк наставляемых сформирован", mentees > 0, f"записей: {mentees}", "institutional:mentee_list"),
        SetupStep("Банк наставников сформирован", mentors > 0, f"записей: {mentors}", "institutional:mentor_list"),
    ]
