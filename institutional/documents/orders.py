"""DOCX of the director's orders (приказы), one layout per kind of order (tenant schema reads only)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from institutional.documents.encouragement import contest_encouragement
from institutional.models import Order
from institutional.selectors.regulation import regulation_in_force
from nastavnik.documents import (
    Points,
    document_bytes,
    docx_response,
    new_document,
    paragraph,
    russian_date,
    signature_block,
)
from nastavnik.documents import table as docx_table


def _day(value: str) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y")


def _organization_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "full_name", "") or "образовательная организация"


def _regulation_reference() -> str:
    version = regulation_in_force()
    if version is None or not version.order_number:
        return "Положением о системе наставничества педагогических работников"
    return (
        "Положением о системе наставничества педагогических работников, утверждённым приказом "
        f"от {version.order_date:%d.%m.%Y} № {version.order_number}"
    )


def _number(order: Order) -> str:
    return order.number or "____"


def _header(document, order: Order) -> None:
    paragraph(document, _organization_name(), bold=True, align="center")
    document.add_paragraph()
    paragraph(document, "ПРИКАЗ", bold=True, align="center")
    paragraph(document, f"{russian_date(order.date)}\t\t\t\t\t№ {_number(order)}", align="left")
    document.add_paragraph()
    paragraph(document, order.title, bold=True, align="center")
    document.add_paragraph()


def _pairs_approval(document, order: Order) -> None:
    paragraph(
        document,
        f"В соответствии с {_regulation_reference()}, на основании письменных согласий наставников и "
        "наставляемых, в целях профессионального развития педагогических работников",
        indent=True,
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    paragraph(
        document,
        "1. Утвердить наставнические пары (группы) согласно приложению к настоящему приказу.",
        indent=True,
    )
    paragraph(
        document,
        "2. Наставникам в течение 10 дней со дня издания приказа разработать совместно с наставляемыми "
        "персонализированные программы наставничества.",
        indent=True,
    )
    paragraph(document, "3. Контроль за исполнением приказа возложить на куратора наставничества.", indent=True)
    signature_block(document, "Руководитель")
    document.add_page_break()
    paragraph(document, f"Приложение к приказу от {order.date:%d.%m.%Y} № {order.number}", align="right", size=12)
    paragraph(document, "Наставнические пары (группы)", bold=True, align="center")
    rows = []
    for number, row in enumerate(order.content.get("pairs", []), start=1):
        rows.append(
            [
                str(number),
                row["mentor"] + (f", {row['mentor_position']}" if row.get("mentor_position") else ""),
                "\n".join(row["mentees"]),
                row["form"],
                ", ".join(row["kinds"]),
                f"с {_day(row['starts_on'])} по {_day(row['ends_on'])}",
            ]
        )
    docx_table(
        document,
        ["№ п/п", "Наставник", "Наставляемый (наставляемые)", "Форма наставничества", "Вид (виды)", "Срок"],
        rows,
    )


def _mentor_replacement(document, order: Order) -> None:
    content = order.content
    paragraph(
        document,
        f"В соответствии с {_regulation_reference()}, в связи с обстоятельством, предусмотренным "
        f"положением: «{content['reason']}»",
        indent=True,
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    mentees = ", ".join(content.get("mentees", []))
    paragraph(
        document,
        f"1. С {_day(content['replaced_on'])} заменить наставника {content['previous_mentor']} в наставнической "
        f"паре (группе) с наставляемым(и) {mentees} на {content['new_mentor']}"
        + (f", {content['new_mentor_position']}" if content.get("new_mentor_position") else "")
        + ".",
        indent=True,
    )
    if content.get("note"):
        paragraph(document, f"Основание: {content['note']}.", indent=True)
    paragraph(
        document,
        "2. Новому наставнику совместно с наставляемым(и) при необходимости скорректировать "
        "персонализированную программу наставничества.",
        indent=True,
    )
    paragraph(document, "3. Контроль за исполнением приказа возложить на куратора наставничества.", indent=True)
    signature_block(document, "Руководитель")


def _encouragement(document, order: Order) -> None:
    content = order.content
    if content.get("contest"):  # by a contest's results (regional.contests.encouragement)
        contest_encouragement(document, order, regulation_reference=_regulation_reference())
        return
    paragraph(
        document,
        f"В соответствии с {_regulation_reference()}"
        + (
            f", за {content['grounds']}"
            if content.get("grounds")
            else ", за активное участие в наставнической деятельности"
        ),
        indent=True,
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    paragraph(document, "1. Объявить благодарность следующим участникам наставнической деятельности:", indent=True)
    for number, person in enumerate(content.get("persons", []), start=1):
        paragraph(document, f"1.{number}. {person};", indent=True)
    paragraph(document, "2. Контроль за исполнением приказа оставляю за собой.", indent=True)
    signature_block(document, "Руководитель")


def _generic(document, order: Order) -> None:
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    for line in order.content.get("items", []):
        paragraph(document, line, indent=True)
    signature_block(document, "Руководитель")


# --- the regulation, the roadmap, the curator and the council (one order may take several of these) ---

LAW = "Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»"
RECOMMENDATIONS = (
    "с учётом методических рекомендаций по разработке и внедрению системы (целевой модели) наставничества "
    "педагогических работников в образовательных организациях, направленных письмом Министерства просвещения "
    "Российской Федерации от 21.12.2021 № АЗ-1128/08, и нормативных правовых актов субъекта Российской "
    "Федерации в сфере наставничества"
)
CURATOR = "Куратору реализации программ наставничества"
WEBSITE = (
    "в разделе «Наставничество» официального сайта образовательной организации "
    "в информационно-телекоммуникационной сети «Интернет»"
)


def _date_text(value: str | None) -> str:
    return russian_date(date.fromisoformat(value) if value else None)


def _order_reference(order: Order) -> str:
    day = f"{order.date:%d.%m.%Y}" if order.date else "___.___.20___"
    return f"от {day} № {_number(order)}"


def _sentence(text: str) -> str:
    """Ends the text with one full stop (a date «… 2026 г.» already has it)."""
    return text if text.endswith(".") else text + "."


def _position(value: str) -> str:
    """A position inside a sentence, in lower case unless it starts with an abbreviation."""
    if len(value) > 1 and not value[:2].isupper():
        return value[0].lower() + value[1:]
    return value


def _basis_reference(basis: dict | None, order: Order | None = None) -> str:
    """«Положением … утверждённым приказом от … № …» (instrumental case, after «в соответствии с»)."""
    text = "Положением о системе наставничества педагогических работников"
    if basis and basis.get("order_number") and basis.get("order_date"):
        if (
            order is not None
            and order.date
            and (basis["order_number"], basis["order_date"])
            == (
                order.number,
                order.date.isoformat(),
            )
        ):
            return text + ", утверждённым настоящим приказом"
        text += f", утверждённым приказом от {_day(basis['order_date'])} № {basis['order_number']}"
    return text


def _preamble(document, items: list[dict]) -> None:
    kinds = {item["kind"] for item in items}
    parts = [f"В соответствии с {LAW}"]
    if Order.Kind.REGULATION_APPROVAL not in kinds:
        basis = next((item.get("regulation") for item in items if item.get("regulation")), None)
        parts.append(_basis_reference(basis))
    text = ", ".join(parts) + f", {RECOMMENDATIONS}, в целях организации наставничества педагогических работников"
    paragraph(document, text, indent=True)


def _regulation_points(points: Points, item: dict) -> None:
    points.add(f"Утвердить {item['title']} (редакция № {item['version_number']}) (прилагается).")
    points.add(
        f"Ввести в действие {item['title']} (редакция № {item['version_number']}) с {_date_text(item['effective_from'])}."
    )
    previous = item.get("previous")
    if previous:
        reference = ""
        if previous.get("order_number") and previous.get("order_date"):
            reference = f", утверждённое приказом от {_day(previous['order_date'])} № {previous['order_number']}"
        points.add(
            _sentence(
                f"Признать утратившим силу {previous['title']} (редакция № {previous['version_number']}){reference}, "
                f"с {_date_text(item['effective_from'])}"
            )
        )
    points.add(
        f"{CURATOR} в течение 10 дней со дня издания настоящего приказа разместить положение {WEBSITE} "
        "и ознакомить с ним педагогических работников."
    )


def _roadmap_points(points: Points, item: dict, annex: int | None) -> None:
    annex_text = f"приложение № {annex}" if annex else "приложение"
    points.add(
        "Утвердить дорожную карту (план мероприятий) реализации системы наставничества педагогических работников "
        f"на {item['academic_year_label']} учебный год ({annex_text})."
    )
    points.add(
        "Назначить ответственными за выполнение мероприятий дорожной карты работников, указанных в графе "
        f"«Ответственные» ({annex_text})."
    )
    points.add(
        f"{CURATOR} обеспечить координацию и мониторинг выполнения мероприятий дорожной карты, "
        f"в течение 10 дней со дня издания настоящего приказа разместить дорожную карту {WEBSITE}."
    )


def _person_line(item: dict) -> str:
    position = f", {_position(item['position'])}" if item.get("position") else ""
    return f"{item['full_name']}{position}, — с {_date_text(item.get('starts_on'))}"


def _appointment_points(points: Points, items: list[dict], order: Order) -> None:
    curators = [item for item in items if item["role"] == "curator"]
    council = [item for item in items if item["role"] != "curator"]
    for item in curators:
        points.add(
            _sentence(
                f"Назначить куратором реализации программ наставничества педагогических работников: {_person_line(item)}"
            )
        )
    if council:
        parent = points.add("Утвердить состав совета наставников:")
        for index, item in enumerate(council, start=1):
            line = _person_line(item)
            points.sub(parent, index, _sentence(line) if index == len(council) else line + ";")
    basis = next((item.get("regulation") for item in items if item.get("regulation")), None)
    who = (
        "Куратору и членам совета наставников"
        if curators and council
        else ("Куратору реализации программ наставничества" if curators else "Членам совета наставников")
    )
    points.add(
        f"{who} в своей деятельности руководствоваться {_basis_reference(basis, order)}, исполнять обязанности, "
        "установленные положением."
    )


def _roadmap_annex(document, order: Order, item: dict, annex: int | None) -> None:
    document.add_page_break()
    label = f"Приложение № {annex}" if annex else "Приложение"
    paragraph(document, f"{label} к приказу {_order_reference(order)}", align="right", size=12)
    paragraph(document, "Дорожная карта (план мероприятий)", bold=True, align="center")
    paragraph(
        document,
        f"реализации системы наставничества педагогических работников на {item['academic_year_label']} учебный год",
        bold=True,
        align="center",
    )
    rows = []
    for stage in item.get("stages", []):
        rows.append([f"{stage['position']}.", f"Этап {stage['position']}. {stage['title']}", "", ""])
        for activity in stage.get("activities", []):
            rows.append(
                [
                    f"{stage['position']}.{activity['position']}.",
                    activity["title"],
                    activity.get("deadline") or "—",
                    activity.get("responsible") or "",
                ]
            )
    docx_table(document, ["№ п/п", "Мероприятие", "Срок", "Ответственные"], rows, widths_cm=[1.6, 8.4, 3.0, 3.5])


def _organizational(document, order: Order) -> None:
    """The regulation approval, the roadmap approval and the appointments, in this order, as one order."""
    items = [item for item in order.content.get("items", []) if isinstance(item, dict)]
    regulation = next((item for item in items if item["kind"] == Order.Kind.REGULATION_APPROVAL), None)
    roadmap = next((item for item in items if item["kind"] == Order.Kind.ROADMAP_APPROVAL), None)
    appointments = [item for item in items if item["kind"] == Order.Kind.CURATOR_APPOINTMENT]
    _preamble(document, items)
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    points = Points(document)
    # The regulation is «прилагается» (its own document), so the roadmap is the only numbered annex.
    if regulation:
        _regulation_points(points, regulation)
    if roadmap:
        _roadmap_points(points, roadmap, None)
    if appointments:
        _appointment_points(points, appointments, order)
    points.add("Контроль за исполнением настоящего приказа оставляю за собой.")
    signature_block(document, "Руководитель")
    if appointments:
        document.add_paragraph()
        paragraph(document, "С приказом ознакомлены:", align="left")
        for item in appointments:
            paragraph(
                document,
                f"_______________ / {item.get('short_name') or item['full_name']} / «___» ____________ 20__ г.",
                align="left",
            )
    if roadmap:
        _roadmap_annex(document, order, roadmap, None)


BUILDERS = {
    Order.Kind.PAIRS_APPROVAL: _pairs_approval,
    Order.Kind.MENTOR_REPLACEMENT: _mentor_replacement,
    Order.Kind.ENCOURAGEMENT: _encouragement,
    Order.Kind.REGULATION_APPROVAL: _organizational,
    Order.Kind.ROADMAP_APPROVAL: _organizational,
    Order.Kind.CURATOR_APPOINTMENT: _organizational,
}


def order_docx(order: Order):
    document = new_document()
    _header(document, order)
    BUILDERS.get(order.kind, _generic)(document, order)
    return document


def order_docx_bytes(order: Order) -> bytes:
    return document_bytes(order_docx(order))


def order_docx_response(order: Order):
    return docx_response(order_docx(order), f"Приказ № {order.number} от {order.date:%d.%m.%Y}.docx")


def order_draft_docx_response(order: Order):
    """The draft (проект) of an unsaved order, before it is signed."""
    return docx_response(order_docx(order), "Проект приказа.docx")
