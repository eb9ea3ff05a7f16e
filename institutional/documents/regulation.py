"""The regulation (Положение) as a Word document to print, sign and file (tenant data, no writes)."""

from __future__ import annotations

from nastavnik.documents import new_document, paragraph, russian_date, table


def _approval_lines(version) -> list[str]:
    if version.order_number and version.order_date:
        return [
            "УТВЕРЖДЕНО",
            "приказом руководителя",
            f"от {russian_date(version.order_date)} № {version.order_number}",
        ]
    return ["УТВЕРЖДЕНО", "приказом руководителя", "от «___» ____________ 20__ г. № _____"]


def regulation_document(*, version, organization_name: str, sections: list[dict]):
    """Title block, numbered sections with the parameters written into the text, and a summary table."""
    document = new_document()
    for line in _approval_lines(version):
        paragraph(document, line, align="right")
    paragraph(document)
    paragraph(document, "ПОЛОЖЕНИЕ", bold=True, align="center")
    paragraph(document, "о системе наставничества педагогических работников", bold=True, align="center")
    paragraph(document, organization_name, bold=True, align="center")
    if version.status != version.Status.APPROVED:
        paragraph(document, f"(проект, версия {version.number})", align="center", italic=True)
    for section_number, section in enumerate(sections, start=1):
        paragraph(document)
        if section["heading"]:
            paragraph(document, f"{section_number}. {section['heading']}", bold=True, align="center")
        for paragraph_number, text in enumerate(section["paragraphs"], start=1):
            paragraph(document, f"{section_number}.{paragraph_number}. {text}", indent=True)
    paragraph(document)
    paragraph(document, "Основные параметры системы наставничества", bold=True, align="center")
    table(
        document,
        ["Параметр", "Значение"],
        [
            ["Наставляемых у одного наставника одновременно, не более", str(version.mentees_per_mentor_max)],
            ["Срок назначения наставника вновь принятому педагогу, календарных дней", str(version.appointment_days)],
            ["Срок наставничества, месяцев", f"от {version.mentoring_min_months} до {version.mentoring_max_months}"],
            [
                "Срок персонализированной программы, месяцев",
                f"от {version.program_min_months} до {version.program_max_months}",
            ],
            ["Срок составления программы, дней", str(version.program_draft_days)],
            ["Срок представления отчётов после завершения программы, дней", str(version.report_days)],
        ],
        widths_cm=[12, 4.5],
        font_size=12,
    )
    return document


def regulation_docx_response(version):
    """The generated DOCX of a version made from a model, as a download (current tenant)."""
    from django.db import connection

    from institutional.selectors.regulation import regulation_sections
    from nastavnik.documents import docx_response

    document = regulation_document(
        version=version, organization_name=connection.tenant.full_name, sections=regulation_sections(version)
    )
    return docx_response(document, f"Положение о наставничестве, версия {version.number}.docx")
