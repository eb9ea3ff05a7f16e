"""The roadmap (дорожная карта) as a landscape Word table to print and sign (tenant data, no writes)."""

from __future__ import annotations

from nastavnik.documents import docx_response, new_document, paragraph, russian_date, table

HEADERS = ["№ п/п", "Мероприятие", "Срок", "Ответственные", "Ожидаемый результат / документы", "Отметка о выполнении"]


def _deadline(activity) -> str:
    if activity.deadline:
        return activity.deadline.strftime("%d.%m.%Y")
    return activity.deadline_text or "—"


def _responsible(activity) -> str:
    names = [person.short_name for person in activity.responsible.all()]
    parts = [activity.responsible_roles] if activity.responsible_roles else []
    if names:
        parts.append(", ".join(names))
    return "; ".join(parts)


def _mark(activity) -> str:
    if activity.status == activity.Status.DONE and activity.done_at:
        return f"Выполнено {activity.done_at:%d.%m.%Y}"
    if activity.status == activity.Status.CANCELLED:
        return "Отменено"
    return ""


def roadmap_rows(stages) -> list[list[str]]:
    rows: list[list[str]] = []
    for stage in stages:
        rows.append([f"{stage.position}.", f"Этап {stage.position}. {stage.title}", "", "", "", ""])
        for activity in stage.activities.all():
            rows.append(
                [
                    f"{stage.position}.{activity.position}.",
                    activity.title,
                    _deadline(activity),
                    _responsible(activity),
                    activity.expected_documents,
                    _mark(activity),
                ]
            )
    return rows


def roadmap_document(*, roadmap, stages, organization_name: str):
    """Approval block «УТВЕРЖДАЮ», the title with the organization and the year, and the table."""
    document = new_document(landscape=True)
    paragraph(document, "УТВЕРЖДАЮ", align="right", bold=True)
    paragraph(document, "Руководитель", align="right")
    paragraph(document, organization_name, align="right")
    paragraph(document, "_______________ / ____________________ /", align="right")
    if roadmap.order_number and roadmap.order_date:
        paragraph(document, f"Приказ от {russian_date(roadmap.order_date)} № {roadmap.order_number}", align="right")
    else:
        paragraph(document, "Приказ от «___» ____________ 20__ г. № _____", align="right")
    paragraph(document)
    paragraph(document, "ДОРОЖНАЯ КАРТА", bold=True, align="center")
    paragraph(
        document,
        "(план мероприятий) реализации системы наставничества педагогических работников",
        bold=True,
        align="center",
    )
    paragraph(document, organization_name, bold=True, align="center")
    paragraph(document, f"на {roadmap.academic_year_label} учебный год", bold=True, align="center")
    paragraph(document)
    table(document, HEADERS, roadmap_rows(stages), widths_cm=[1.6, 8.0, 2.8, 4.2, 5.6, 3.5], font_size=11)
    paragraph(document)
    paragraph(document, "Куратор системы наставничества _______________ / ____________________ /", align="left")
    return document


def roadmap_docx_response(roadmap):
    """The roadmap of the current tenant as a download."""
    from django.db import connection

    from institutional.selectors.roadmap import roadmap_stages

    document = roadmap_document(
        roadmap=roadmap, stages=roadmap_stages(roadmap=roadmap), organization_name=connection.tenant.full_name
    )
    return docx_response(document, f"Дорожная карта {roadmap.academic_year}-{roadmap.academic_year + 1}.docx")
