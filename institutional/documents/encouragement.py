"""DOCX body of an order of encouragement by a contest's results (tenant schema reads only).

The content is written by regional.contests.encouragement: the contest, the organization's prize
winners with their places and its other participants (for «Лучшая пара» with the pair's mentees).
The header and the registration details are drawn by institutional.documents.orders, which calls
`contest_encouragement` for an encouragement order whose content names a contest.
"""

from __future__ import annotations

from datetime import date

from nastavnik.documents import Points, paragraph, signature_block

CURATOR = "Куратору реализации программ наставничества"
WEBSITE = (
    "в разделе «Наставничество» официального сайта образовательной организации "
    "в информационно-телекоммуникационной сети «Интернет»"
)
BADGE = "нагрудного знака «Почётный наставник»"


def _position(value: str) -> str:
    """A position inside a sentence, in lower case unless it starts with an abbreviation."""
    if len(value) > 1 and not value[:2].isupper():
        return value[0].lower() + value[1:]
    return value


def _named(person: dict) -> str:
    position = (person.get("position") or "").strip()
    return f"{person['full_name']}, {_position(position)}" if position else person["full_name"]


def _place(entry: dict, *, badge: bool, plural: bool) -> str:
    if badge or not entry.get("place"):
        return ""
    place = entry["place"]
    if place == 1:
        return " — победители конкурса (1 место)" if plural else " — победитель конкурса (1 место)"
    return f" — призёры конкурса ({place} место)" if plural else f" — призёр конкурса ({place} место)"


def _line(entry: dict, *, badge: bool) -> str:
    mentees = entry.get("mentees") or []
    if not mentees:
        place = _place(entry, badge=badge, plural=False)
        # «Фамилия Имя Отчество, должность, — победитель»: the appositive is closed by a comma before the dash.
        comma = "," if place and (entry.get("position") or "").strip() else ""
        return _named(entry) + comma + place
    members = [f"{_named(entry)} (наставник)"] + [f"{_named(mentee)} (наставляемый)" for mentee in mentees]
    group = "Наставническая группа" if len(mentees) > 1 else "Наставническая пара"
    return f"{group}: " + "; ".join(members) + _place(entry, badge=badge, plural=True)


def _items(points: Points, parent: int, lines: list[str]) -> None:
    """Sub-points of an enumeration: «;» after each, «.» after the last."""
    for index, line in enumerate(lines, start=1):
        points.sub(parent, index, f"{line}{'.' if index == len(lines) else ';'}")


def contest_encouragement(document, order, *, regulation_reference: str) -> None:
    content = order.content
    contest = content["contest"]
    title = contest["title"]
    badge = contest.get("kind") == "honorary_badge"
    winners = content.get("winners") or []
    participants = content.get("participants") or []
    published = date.fromisoformat(contest["results_published_on"]).strftime("%d.%m.%Y")
    paragraph(
        document,
        f"В соответствии с {regulation_reference}, на основании итогов регионального конкурса «{title}», "
        f"опубликованных {published}, в целях поощрения педагогических работников за высокие результаты "
        "наставнической деятельности",
        indent=True,
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, align="left")
    points = Points(document)
    winners_point = None
    if winners:
        if badge:
            text = (
                f"Объявить благодарность педагогическим работникам, удостоенным {BADGE} по итогам регионального "
                f"конкурса «{title}»:"
            )
        else:
            text = (
                f"Объявить благодарность победителям и призёрам регионального конкурса «{title}» за высокие "
                "результаты наставнической деятельности:"
            )
        winners_point = points.add(text)
        _items(points, winners_point, [_line(entry, badge=badge) for entry in winners])
    if participants:
        parent = points.add(
            f"Объявить благодарность участникам регионального конкурса «{title}» за участие в конкурсе:"
        )
        _items(points, parent, [_line(entry, badge=badge) for entry in participants])
    if winners_point is not None:
        points.add(
            f"Представить педагогических работников, указанных в пункте {winners_point} настоящего приказа, "
            "к поощрению в соответствии с локальным нормативным актом образовательной организации "
            "об установлении стимулирующих выплат."
        )
    points.add(
        f"{CURATOR} разместить информацию об итогах конкурса {WEBSITE} в объёме сведений, "
        "на публикацию которых работниками даны согласия."
    )
    points.add("Специалисту по кадрам внести сведения о поощрении в личные карточки работников.")
    points.add("Контроль за исполнением настоящего приказа оставляю за собой.")
    signature_block(document, "Руководитель")
    document.add_paragraph()
    paragraph(document, "С приказом ознакомлены:", align="left")
    for entry in winners + participants:
        for person in [entry, *(entry.get("mentees") or [])]:
            name = person.get("short_name") or person["full_name"]
            paragraph(document, f"_______________ / {name} / «___» ____________ 20__ г.", align="left")
