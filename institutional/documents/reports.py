"""DOCX of a final report: title, organization, pair, period, sections, signature line."""

from __future__ import annotations

from django.utils import timezone

from institutional.models import FinalReport, PairForm
from institutional.selectors.reports import final_participants
from nastavnik.documents import new_document, paragraph, russian_date, signature_block

SCORE_WORDS = {1: "неудовлетворительно", 2: "слабо", 3: "удовлетворительно", 4: "хорошо", 5: "отлично"}


def report_document(report: FinalReport, *, organization):
    pair = report.pair
    is_mentor = report.author_role == FinalReport.AuthorRole.MENTOR
    document = new_document()
    paragraph(document, organization.full_name, align="center", bold=True)
    paragraph(document)
    if is_mentor:
        paragraph(document, "ИТОГОВЫЙ ОТЧЁТ НАСТАВНИКА", align="center", bold=True)
        paragraph(document, "о реализации персонализированной программы наставничества", align="center")
    else:
        paragraph(document, "ОТЧЁТ НАСТАВЛЯЕМОГО", align="center", bold=True)
        paragraph(document, "о прохождении программы наставничества", align="center")
    paragraph(document)
    mentees = [p.mentee.full_name for p in final_participants(pair)]
    period = f"с {russian_date(pair.starts_on)} по {russian_date(pair.ended_on or pair.ends_on)}"
    lines = [
        ("Наставник", pair.mentor.staff.full_name),
        ("Наставляемые" if len(mentees) > 1 else "Наставляемый", ", ".join(mentees)),
        ("Форма наставничества", dict(PairForm.choices).get(pair.form, pair.form)),
        ("Период наставничества", period),
        ("Основание завершения", pair.get_end_reason_display() or "—"),
    ]
    if not is_mentor:
        lines.insert(2, ("Составитель отчёта", report.author.full_name))
    for title, value in lines:
        paragraph(document, f"{title}: {value}", align="left")
    sections = [
        ("Достигнутые результаты", report.results),
        ("Что оказалось наиболее полезным", report.what_worked),
        ("Трудности", report.difficulties),
    ]
    if is_mentor:
        sections.append(("Рекомендации", report.recommendations))
    else:
        score = report.mentor_score
        sections.append(("Оценка работы наставника", f"{score} из 5 ({SCORE_WORDS.get(score, '')})" if score else "—"))
        sections.append(("Комментарий к оценке", report.mentor_comment))
        if report.recommendations:
            sections.append(("Предложения", report.recommendations))
    for number, (heading, text) in enumerate(sections, start=1):
        paragraph(document)
        paragraph(document, f"{number}. {heading}", bold=True, align="left")
        written = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for line in written or ["—"]:
            paragraph(document, line, indent=True)
    paragraph(document)
    submitted = timezone.localtime(report.submitted_at).date()
    paragraph(document, f"Дата представления отчёта: {russian_date(submitted)}", align="left")
    signature_block(document, "Наставник" if is_mentor else "Наставляемый", report.author.short_name)
    signature_block(document, "Куратор")
    return document
