"""DOCX of the curator's annual analytical report: sections, tables, charts, conclusions, signature.

Pure formatting over institutional.selectors.annual_report.AnnualReportData (no database).
Charts are drawn by matplotlib with the Agg renderer into PNG in memory (its bundled DejaVu Sans
font has Cyrillic); matplotlib is imported only when a report is built.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from institutional.selectors.annual_report import AnnualReportData, LabelCount
from nastavnik.documents import new_document, paragraph, russian_date, signature_block, table

CHART_WIDTH_CM = 16
BAR_COLOR = "#2f6f9f"
SECOND_COLOR = "#e39b2d"


def number(value) -> str:
    """A figure in Russian notation: a decimal comma, «—» when there is no value."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def percent(value) -> str:
    return "—" if value is None else f"{number(value)} %"


# ---- charts ---------------------------------------------------------------------------------------


def _figure(height: float = 3.6):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, height), dpi=150)
    figure.set_layout_engine("tight")
    return figure


def _png(figure) -> io.BytesIO:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    buffer.seek(0)
    return buffer


def _wrap(label: str, width: int = 34) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def horizontal_bar_chart(items: list[LabelCount], *, title: str, xlabel: str) -> io.BytesIO:
    figure = _figure(height=max(2.4, 0.55 * len(items) + 1.2))
    axes = figure.add_subplot()
    labels = [_wrap(item.label) for item in items][::-1]
    values = [item.count for item in items][::-1]
    bars = axes.barh(labels, values, color=BAR_COLOR)
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.set_xlabel(xlabel, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _png(figure)


def roadmap_chart(data: AnnualReportData) -> io.BytesIO:
    stages = data.roadmap_stages
    figure = _figure(height=max(2.6, 0.6 * len(stages) + 1.4))
    axes = figure.add_subplot()
    labels = [_wrap(f"{stage.position}. {stage.title}", 40) for stage in stages][::-1]
    done = [stage.done for stage in stages][::-1]
    overdue = [stage.overdue for stage in stages][::-1]
    other = [stage.total - stage.done - stage.overdue for stage in stages][::-1]
    axes.barh(labels, done, color=BAR_COLOR, label="выполнено")
    axes.barh(labels, overdue, left=done, color="#c0392b", label="просрочено")
    axes.barh(
        labels, other, left=[a + b for a, b in zip(done, overdue, strict=True)], color="#bbbbbb", label="в работе"
    )
    axes.set_title("Выполнение мероприятий дорожной карты по этапам", fontsize=10)
    axes.set_xlabel("мероприятий", fontsize=8)
    axes.tick_params(labelsize=8)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False)
    return _png(figure)


def satisfaction_chart(data: AnnualReportData) -> io.BytesIO:
    summary = data.satisfaction
    figure = _figure(height=3.0)
    axes = figure.add_subplot()
    labels = ["Наставники", "Наставляемые"]
    means = [summary.mentor_mean, summary.mentee_mean]
    values = [float(mean) if mean is not None else 0.0 for mean in means]
    bars = axes.bar(labels, values, color=[BAR_COLOR, SECOND_COLOR], width=0.5)
    axes.bar_label(
        bars,
        labels=[
            f"{number(mean)} (n = {count})" if mean is not None else "нет ответов"
            for mean, count in zip(means, (summary.mentor_count, summary.mentee_count), strict=True)
        ],
        padding=3,
        fontsize=8,
    )
    axes.set_ylim(0, 5.5)
    axes.set_ylabel("средний балл (1–5)", fontsize=8)
    axes.set_title("Удовлетворённость участием в наставничестве", fontsize=10)
    axes.tick_params(labelsize=8)
    return _png(figure)


def _picture(document, image: io.BytesIO, caption: str) -> None:
    document.add_picture(image, width=Cm(CHART_WIDTH_CM))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, caption, align="center", size=12, italic=True)


# ---- text -----------------------------------------------------------------------------------------


def _heading(document, text: str) -> None:
    paragraph(document)
    paragraph(document, text, bold=True, align="center")


def _nonzero(items: list[LabelCount]) -> list[LabelCount]:
    return [item for item in items if item.count]


def factual_conclusions(data: AnnualReportData) -> list[str]:
    """Statements drawn from the figures; they open the «Выводы» section whatever the curator adds."""
    lines = []
    share = data.staff_in_mentoring_share
    lines.append(
        f"Педагогических работников, участвовавших в {data.label} учебном году в наставнической деятельности: "
        f"{data.staff_in_mentoring} из {data.staff_total} (доля — {percent(share)})."
    )
    if data.pairs_total:
        lines.append(
            f"Действовали наставнические пары и группы: {data.pairs_total} (пар — {data.pairs_individual}, "
            f"групп — {data.groups}); завершены с выполнением программы — {data.pairs_completed}, "
            f"завершены досрочно — {data.pairs_ended_early}, продолжают работу — {data.pairs_active_at_end}."
        )
    else:
        lines.append("Наставнические пары и группы в отчётном учебном году не действовали.")
    if data.young_specialists:
        lines.append(
            "Молодых специалистов (педагогический стаж менее 3 лет), за которыми закреплён наставник: "
            f"{data.young_specialists_with_mentor} из {data.young_specialists} "
            f"(доля — {percent(data.young_specialists_share)})."
        )
    if data.meetings_total:
        lines.append(
            f"Проведено встреч наставников с наставляемыми: {data.meetings_total}; их общая продолжительность — "
            f"{number(data.hours_total)} ч; в среднем на одного наставника — {number(data.mean_hours_per_mentor)} ч."
        )
    if data.reports_expected:
        lines.append(
            f"Представлено итоговых отчётов наставников и наставляемых: {data.reports_submitted} из "
            f"{data.reports_expected} ожидаемых ({percent(data.reports_share)})."
        )
    if data.mentor_evaluation_mean is not None:
        lines.append(
            f"Средняя оценка работы наставников в отчётах наставляемых — {number(data.mentor_evaluation_mean)} "
            "из 5 баллов."
        )
    summary = data.satisfaction
    if summary.mentor_count or summary.mentee_count:
        lines.append(
            "Средний балл удовлетворённости участием в наставничестве (по шкале от 1 до 5): наставников — "
            f"{number(summary.mentor_mean)}, наставляемых — {number(summary.mentee_mean)}."
        )
    if data.roadmap_exists:
        lines.append(
            f"Из {data.roadmap_total} мероприятий дорожной карты выполнено {data.roadmap_done} "
            f"({percent(data.roadmap_done_share)}), просрочено — {data.roadmap_overdue}."
        )
    else:
        lines.append(f"Дорожная карта на {data.label} учебный год в системе не сформирована.")
    if data.unpaired_mentees:
        lines.append(
            f"Без наставника остаются наставляемые: {len(data.unpaired_mentees)}; мероприятия поддержки "
            f"определены для {data.unpaired_with_support} из них."
        )
    return lines


def factual_proposals(data: AnnualReportData) -> list[str]:
    """Proposals that follow from the figures (unmet obligations first)."""
    lines = []
    if data.unpaired_mentees:
        lines.append(
            f"Завершить подбор наставников для наставляемых, оставшихся без пары ({len(data.unpaired_mentees)}), "
            "и до его завершения обеспечить им психолого-педагогическую поддержку."
        )
    if data.young_specialists > data.young_specialists_with_mentor:
        lines.append(
            "Закрепить наставников за молодыми специалистами, не включёнными в наставнические пары "
            f"({data.young_specialists - data.young_specialists_with_mentor})."
        )
    if data.reports_expected > data.reports_submitted:
        lines.append(
            "Обеспечить представление итоговых отчётов наставников и наставляемых в установленный срок "
            f"(не представлено — {data.reports_expected - data.reports_submitted})."
        )
    if data.roadmap_overdue:
        lines.append(
            f"Выполнить просроченные мероприятия дорожной карты ({data.roadmap_overdue}) и учесть их при "
            "планировании на следующий учебный год."
        )
    if not data.roadmap_exists:
        lines.append("Разработать и утвердить дорожную карту реализации системы наставничества.")
    lines.append(
        "Актуализировать банки наставников и наставляемых к началу следующего учебного года, распространить "
        "опыт успешных наставнических пар в педагогическом коллективе."
    )
    return lines


def _written(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def annual_report_document(
    data: AnnualReportData, *, organization, conclusions: str = "", proposals: str = "", curator_name: str = "", today
):
    """The report as a python-docx Document; `today` is the date the report is drawn up."""
    document = new_document()
    paragraph(document, organization.full_name, align="center", bold=True)
    paragraph(document)
    paragraph(document, "АНАЛИТИЧЕСКИЙ ОТЧЁТ", align="center", bold=True)
    name = organization.short_name or organization.full_name
    paragraph(
        document,
        f"о реализации системы наставничества педагогических работников в {name} за {data.label} учебный год",
        align="center",
        bold=True,
    )

    _heading(document, "1. Общие сведения")
    paragraph(
        document,
        f"Отчёт составлен куратором системы наставничества по данным платформы «Наставник» за период "
        f"с {russian_date(data.starts_on)} по {russian_date(data.ends_on)}; показатели рассчитаны по записям "
        "банков наставников и наставляемых, наставнических пар и групп, персонализированных программ, "
        "встреч, итоговых отчётов, анкет и дорожной карты организации.",
        indent=True,
    )
    table(
        document,
        ["Показатель", "Значение"],
        [
            ("Педагогические работники организации в учебном году", number(data.staff_total)),
            ("из них молодые специалисты (педагогический стаж менее 3 лет)", number(data.young_specialists)),
            (
                "Участвовали в наставничестве (наставники и наставляемые из числа работников)",
                number(data.staff_in_mentoring),
            ),
            ("Доля педагогических работников, вовлечённых в наставничество", percent(data.staff_in_mentoring_share)),
            ("Доля молодых специалистов, за которыми закреплён наставник", percent(data.young_specialists_share)),
        ],
        widths_cm=[12, 4],
    )

    _heading(document, "2. Участники системы наставничества")
    table(
        document,
        ["Показатель", "Значение"],
        [
            ("Наставники в банке наставников", number(data.mentors_in_bank)),
            ("Наставники, осуществлявшие наставничество", number(data.mentors_with_pairs)),
            ("Наставляемые в банке наставляемых", number(data.mentees_in_bank)),
            ("Наставляемые, включённые в наставнические пары и группы", number(data.mentees_in_pairs)),
            ("Наставляемые, оставшиеся без наставника", number(len(data.unpaired_mentees))),
        ],
        widths_cm=[12, 4],
    )
    categories = _nonzero(data.mentees_by_category)
    if categories:
        paragraph(document)
        paragraph(
            document, "Состав наставляемых по категориям (наставляемый может относиться к нескольким):", indent=True
        )
        table(
            document,
            ["Категория наставляемых", "Количество"],
            [(item.label, number(item.count)) for item in categories],
            widths_cm=[12, 4],
        )
    paragraph(document)
    if data.unpaired_mentees:
        supported = data.unpaired_with_support
        paragraph(
            document,
            f"Наставляемые, для которых наставник не подобран: {len(data.unpaired_mentees)}; для {supported} "
            "из них определены меры поддержки на период подбора наставника:",
            indent=True,
        )
        notes = sorted({mentee.support for mentee in data.unpaired_mentees if mentee.support})
        for note in notes:
            paragraph(document, f"– {note}", indent=True)
        if not notes:
            paragraph(document, "– меры поддержки в системе не отражены.", indent=True)
    else:
        paragraph(
            document, "Все наставляемые из банка наставляемых включены в наставнические пары и группы.", indent=True
        )

    _heading(document, "3. Наставнические пары и группы")
    table(
        document,
        ["Показатель", "Значение"],
        [
            ("Действовало пар и групп в учебном году, всего", number(data.pairs_total)),
            ("в том числе индивидуальных пар", number(data.pairs_individual)),
            ("в том числе групп (два и более наставляемых)", number(data.groups)),
            ("Начали работу в учебном году", number(data.pairs_started)),
            ("Завершены с выполнением программы", number(data.pairs_completed)),
            ("Завершены досрочно", number(data.pairs_ended_early)),
            ("Продолжают работу на конец учебного года", number(data.pairs_active_at_end)),
        ],
        widths_cm=[12, 4],
    )
    early = _nonzero(data.ended_early_by_reason)
    if early:
        paragraph(document)
        paragraph(document, "Основания досрочного завершения наставничества:", indent=True)
        table(document, ["Основание", "Пар (групп)"], [(i.label, number(i.count)) for i in early], widths_cm=[12, 4])
    paragraph(document)
    table(
        document,
        ["Форма наставничества", "Пар (групп)"],
        [(item.label, number(item.count)) for item in data.pairs_by_form],
        widths_cm=[12, 4],
    )
    kinds = _nonzero(data.pairs_by_kind)
    if kinds:
        paragraph(document)
        table(
            document,
            ["Вид наставничества", "Пар (групп)"],
            [(i.label, number(i.count)) for i in kinds],
            widths_cm=[12, 4],
        )
    paragraph(document)
    _picture(
        document,
        horizontal_bar_chart(
            data.pairs_by_form, title="Наставнические пары и группы по формам наставничества", xlabel="пар (групп)"
        ),
        "Рисунок 1. Наставнические пары и группы по формам наставничества",
    )

    _heading(document, "4. Реализация персонализированных программ наставничества")
    table(
        document,
        ["Показатель", "Значение"],
        [
            ("Персонализированные программы пар и групп учебного года", number(data.programs_total)),
            ("Согласованы наставляемыми в учебном году", number(data.programs_confirmed)),
            ("Выполнены в полном объёме", number(data.programs_completed)),
            ("Проведено встреч", number(data.meetings_total)),
            ("Общая продолжительность встреч, ч", number(data.hours_total)),
            ("Среднее число наставляемых на одного наставника", number(data.mean_mentees_per_mentor)),
            ("Средняя нагрузка на одного наставника, ч", number(data.mean_hours_per_mentor)),
        ],
        widths_cm=[12, 4],
    )
    paragraph(document)
    table(
        document,
        ["Результат программы (на конец учебного года)", "Программ"],
        [(item.label, number(item.count)) for item in data.programs_by_outcome],
        widths_cm=[12, 4],
    )
    paragraph(document)
    _picture(
        document,
        horizontal_bar_chart(
            data.programs_by_outcome, title="Персонализированные программы по результатам", xlabel="программ"
        ),
        "Рисунок 2. Персонализированные программы наставничества по результатам",
    )

    _heading(document, "5. Результаты наставничества и удовлетворённость участников")
    summary = data.satisfaction
    table(
        document,
        ["Показатель", "Значение"],
        [
            ("Ожидалось итоговых отчётов наставников и наставляемых", number(data.reports_expected)),
            ("Представлено итоговых отчётов", number(data.reports_submitted)),
            ("Доля представленных отчётов", percent(data.reports_share)),
            ("Средняя оценка работы наставников наставляемыми (из 5)", number(data.mentor_evaluation_mean)),
            ("Число оценок работы наставников", number(data.mentor_evaluation_count)),
            ("Удовлетворённость наставников, средний балл (из 5)", number(summary.mentor_mean)),
            ("Число анкет наставников", number(summary.mentor_count)),
            ("Удовлетворённость наставляемых, средний балл (из 5)", number(summary.mentee_mean)),
            ("Число анкет наставляемых", number(summary.mentee_count)),
        ],
        widths_cm=[12, 4],
    )
    paragraph(document)
    _picture(
        document,
        satisfaction_chart(data),
        "Рисунок 3. Удовлетворённость наставников и наставляемых (итоговое анкетирование)",
    )

    _heading(document, "6. Выполнение дорожной карты")
    figure_number = 4
    if data.roadmap_exists:
        table(
            document,
            ["Этап", "Мероприятий", "Выполнено", "Просрочено", "Выполнено, %"],
            [
                (
                    f"{stage.position}. {stage.title}",
                    number(stage.total),
                    number(stage.done),
                    number(stage.overdue),
                    number(stage.done_percent),
                )
                for stage in data.roadmap_stages
            ]
            + [
                (
                    "Итого",
                    number(data.roadmap_total),
                    number(data.roadmap_done),
                    number(data.roadmap_overdue),
                    number(data.roadmap_done_share),
                )
            ],
            widths_cm=[7, 2.4, 2.4, 2.4, 2.4],
        )
        paragraph(document)
        _picture(document, roadmap_chart(data), f"Рисунок {figure_number}. Выполнение дорожной карты по этапам")
    else:
        paragraph(document, f"Дорожная карта на {data.label} учебный год в системе не сформирована.", indent=True)

    _heading(document, "7. Выводы")
    for line in factual_conclusions(data):
        paragraph(document, line, indent=True)
    for line in _written(conclusions):
        paragraph(document, line, indent=True)

    _heading(document, f"8. Предложения на {data.academic_year + 1}/{data.academic_year + 2} учебный год")
    for position, line in enumerate([*factual_proposals(data), *_written(proposals)], start=1):
        paragraph(document, f"{position}. {line}", indent=True)

    paragraph(document)
    paragraph(document, f"Дата составления отчёта: {russian_date(today)}", align="left")
    signature_block(document, "Куратор системы наставничества", curator_name)
    return document
