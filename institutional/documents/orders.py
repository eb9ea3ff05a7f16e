"""DOCX of the director's orders (приказы), one layout per kind of order (tenant schema reads only)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from institutional.models import Order
from institutional.selectors.regulation import regulation_in_force
from nastavnik.documents import document_bytes, docx_response, new_document, paragraph, russian_date, signature_block
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


def _header(document, order: Order) -> None:
    paragraph(document, _organization_name(), bold=True, align="center")
    document.add_paragraph()
    paragraph(document, "ПРИКАЗ", bold=True, align="center")
    paragraph(document, f"{russian_date(order.date)}\t\t\t\t\t№ {order.number}", align="left")
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


BUILDERS = {
    Order.Kind.PAIRS_APPROVAL: _pairs_approval,
    Order.Kind.MENTOR_REPLACEMENT: _mentor_replacement,
    Order.Kind.ENCOURAGEMENT: _encouragement,
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
