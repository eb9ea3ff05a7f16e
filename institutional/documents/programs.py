"""DOCX of a personalized mentoring program: title data, every section, the plan, signatures."""

from __future__ import annotations

from institutional.models import InteractionFormat, PairForm, PairKind, Program
from institutional.selectors.programs import mentee_names
from nastavnik.documents import new_document, paragraph, russian_date, signature_block, table


def _label(choices, value) -> str:
    return dict(choices).get(value, value)


def program_document(program: Program, *, organization):
    pair = program.pair
    document = new_document()
    paragraph(document, organization.full_name, align="center", bold=True)
    paragraph(document)
    paragraph(document, "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА", align="center", bold=True)
    paragraph(document, f"«{program.title}»", align="center")
    paragraph(document)
    mentees = mentee_names(pair)
    mentee_label = "Наставляемые" if len(mentees) > 1 else "Наставляемый"
    for title, value in (
        ("Наставник", pair.mentor.staff.full_name),
        (mentee_label, ", ".join(mentees)),
        ("Форма наставничества", _label(PairForm.choices, pair.form)),
        ("Вид наставничества", ", ".join(_label(PairKind.choices, k) for k in pair.kinds)),
        ("Индивидуальная или групповая", "групповая" if program.is_group else "индивидуальная"),
        ("Срок реализации", f"с {russian_date(program.starts_on)} по {russian_date(program.ends_on)}"),
    ):
        paragraph(document, f"{title}: {value}", align="left")
    sections = (
        ("1. Запрос наставляемого", program.request),
        ("2. Цель программы", program.goal),
        ("3. Задачи программы", program.tasks),
        (
            "4. Формы взаимодействия",
            ", ".join(_label(InteractionFormat.choices, f) for f in program.interaction_formats),
        ),
        ("5. Формат встреч", program.get_meeting_mode_display()),
        ("6. График встреч", program.schedule or "—"),
        ("7. Промежуточные результаты", program.intermediate_results or "—"),
        ("8. Планируемые результаты", program.planned_results),
    )
    for heading, text in sections:
        paragraph(document)
        paragraph(document, heading, bold=True, align="left")
        for line in (text or "").splitlines() or [""]:
            if line.strip():
                paragraph(document, line.strip(), indent=True)
    paragraph(document)
    paragraph(document, "9. План мероприятий", bold=True, align="left")
    rows = []
    for number, activity in enumerate(program.activities.order_by("position"), start=1):
        mark = ""
        if activity.done_on:
            mark = f"выполнено {activity.done_on:%d.%m.%Y}"
            if activity.result:
                mark += f"; {activity.result}"
        rows.append((str(number), activity.title, f"{activity.due_on:%d.%m.%Y}", mark))
    table(document, ("№", "Мероприятие", "Срок", "Отметка о выполнении"), rows, widths_cm=(1.2, 8.3, 2.5, 4.5))
    paragraph(document)
    paragraph(
        document, f"Программа согласована наставляемым: {russian_date(_date(program.confirmed_at))}", align="left"
    )
    signature_block(document, "Наставник", pair.mentor.staff.short_name)
    for participant in pair.participants.filter(left_on__isnull=True).select_related("mentee__staff"):
        mentee = participant.mentee
        name = mentee.staff.short_name if mentee.staff_id else mentee.full_name
        signature_block(document, "Наставляемый", name)
    signature_block(document, "Куратор")
    return document


def _date(moment):
    if moment is None:
        return None
    from django.utils import timezone

    return timezone.localtime(moment).date()
