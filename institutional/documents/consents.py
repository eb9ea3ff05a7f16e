"""DOCX of a written consent, pre-filled to print and sign (no database access; any schema).

Layout of a usual Russian consent form: the operator in the top right corner, the title, «Я, …»
with the subject's document and address, then each field art. 9 part 4 of Law No. 152-FZ requires,
and a date line and a signature line at the end.
"""

from __future__ import annotations

from institutional.consent_texts import LAW_152, text_for
from institutional.models import Consent, ConsentKind
from nastavnik.documents import new_document, paragraph, russian_date

BLANK = "____________________________________________"


def _operator_line(consent: Consent) -> str:
    parts = [consent.operator_name]
    if consent.operator_address:
        parts.append(f"адрес: {consent.operator_address}")
    if consent.operator_inn:
        parts.append(f"ИНН {consent.operator_inn}")
    return ", ".join(parts)


def consent_document(consent: Consent):
    document = new_document()
    paragraph(document, consent.operator_name, align="right", size=12)
    paragraph(document)
    paragraph(document, text_for(consent.kind).title.upper(), bold=True, align="center")
    paragraph(document)

    document_line = consent.subject_document or BLANK
    address_line = consent.subject_address or BLANK
    if consent.kind == ConsentKind.PARENT_PERSONAL_DATA:
        paragraph(
            document,
            f"Я, {consent.representative_full_name}, документ, удостоверяющий личность: "
            f"{consent.representative_document}, действуя как законный представитель на основании: "
            f"{consent.representative_basis}, несовершеннолетнего (несовершеннолетней): "
            f"{consent.subject_full_name}, документ, удостоверяющий личность несовершеннолетнего: "
            f"{document_line}, адрес: {address_line}, в соответствии со статьёй 9 ({LAW_152}) "
            f"даю согласие оператору — {_operator_line(consent)} — на обработку персональных данных "
            "несовершеннолетнего на следующих условиях.",
            indent=True,
        )
    elif consent.kind == ConsentKind.MENTORING_DUTIES:
        paragraph(
            document,
            f"Я, {consent.subject_full_name}, документ, удостоверяющий личность: {document_line}, в соответствии "
            f"со статьёй 351.8 Трудового кодекса Российской Федерации даю работодателю — {_operator_line(consent)} — "
            f"согласие на {consent.purpose}.",
            indent=True,
        )
    else:
        basis = "статьёй 10.1" if consent.kind == ConsentKind.PUBLICATION else "статьёй 9"
        paragraph(
            document,
            f"Я, {consent.subject_full_name}, документ, удостоверяющий личность: {document_line}, "
            f"адрес: {address_line}, в соответствии со {basis} ({LAW_152}) свободно, своей волей и в своём "
            f"интересе даю согласие оператору — {_operator_line(consent)} — на обработку моих "
            "персональных данных на следующих условиях.",
            indent=True,
        )

    if consent.kind == ConsentKind.MENTORING_DUTIES:
        items = [
            ("Работодатель", _operator_line(consent)),
            ("Обязанности наставника", consent.data_list),
            ("Условия выполнения и оплата", consent.actions),
            ("Срок действия согласия", consent.term),
            ("Порядок отзыва согласия", consent.withdrawal_procedure),
        ]
    else:
        items = [
            ("Оператор персональных данных", _operator_line(consent)),
            ("Цель обработки", consent.purpose),
            (
                "Перечень персональных данных, разрешённых для распространения"
                if consent.kind == ConsentKind.PUBLICATION
                else "Перечень персональных данных",
                consent.data_list,
            ),
            ("Перечень действий с персональными данными", consent.actions),
            ("Срок действия согласия", consent.term),
            ("Порядок отзыва согласия", consent.withdrawal_procedure),
        ]
    for number, (label, value) in enumerate(items, start=1):
        para = paragraph(document, f"{number}. {label}: ", indent=True)
        para.runs[0].bold = True
        para.add_run(value.rstrip(".") + ".")

    paragraph(document)
    if consent.kind == ConsentKind.MENTORING_DUTIES:
        acknowledgement = (
            "Подтверждаю, что ознакомлен(а) с положением о системе наставничества и с обязанностями наставника."
        )
    else:
        acknowledgement = (
            "Подтверждаю, что ознакомлен(а) с положением о системе наставничества оператора и с моими правами "
            "в области защиты персональных данных."
        )
    paragraph(document, acknowledgement, indent=True)
    paragraph(document)
    signer = consent.representative_full_name or consent.subject_full_name
    paragraph(document, f"Дата: {russian_date(consent.signed_on)}", align="left")
    paragraph(document)
    paragraph(document, f"Подпись: _______________ / {signer} /", align="left")
    return document


def consent_filename(consent: Consent) -> str:
    return f"Согласие — {consent.subject_full_name}.docx"
