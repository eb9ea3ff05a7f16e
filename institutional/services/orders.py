"""Write path of the order register (реестр приказов), tenant schema.

Orders are numbered per organization; a number may repeat only on another date (a database
constraint). Orders of pairs approval and mentor replacement are created by the pairs services in
the same transaction as the change they decide; this module validates and writes the order itself.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from institutional.dates import organization_today
from institutional.documents.roadmap import _deadline as roadmap_deadline
from institutional.documents.roadmap import _responsible as roadmap_responsible
from institutional.models import Order
from institutional.selectors.regulation import regulation_in_force
from nastavnik.audit import actor_context, actor_id
from nastavnik.uploads import validate_upload


def order_check_details(*, number: str, day: date | None) -> tuple[str, date]:
    """The order's number and date, or a ValidationError naming what is wrong."""
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["order_number"] = "Укажите номер приказа."
    if day is None:
        errors["order_date"] = "Укажите дату приказа."
    elif day > organization_today():
        errors["order_date"] = "Дата приказа не может быть в будущем."
    if not errors and Order.objects.filter(number=number, date=day).exists():
        errors["order_number"] = f"Приказ № {number} от {day:%d.%m.%Y} уже есть в реестре."
    if errors:
        raise ValidationError(errors)
    return number, day


def order_create(*, actor, kind: str, number: str, day: date | None, title: str, content: dict) -> Order:
    """A new order in the register (call inside the caller's transaction when it decides a change)."""
    number, day = order_check_details(number=number, day=day)
    if kind not in Order.Kind.values:
        raise ValidationError({"kind": "Неизвестный вид приказа."})
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            return Order.objects.create(
                number=number, date=day, kind=kind, title=title, content=content, created_by_id=actor_id(actor)
            )
    except IntegrityError as error:
        raise ValidationError({"order_number": f"Приказ № {number} от {day:%d.%m.%Y} уже есть в реестре."}) from error


def order_encouragement_create(
    *, actor, number: str, day: date | None, title: str, persons: list[str], grounds: str = ""
) -> Order:
    """An order of encouragement of participants (the director lists the persons and the grounds)."""
    persons = [person.strip() for person in persons if person and person.strip()]
    title = (title or "").strip() or Order.Kind.ENCOURAGEMENT.label
    if not persons:
        raise ValidationError({"persons": "Перечислите хотя бы одного участника, которого поощряют."})
    return order_create(
        actor=actor,
        kind=Order.Kind.ENCOURAGEMENT,
        number=number,
        day=day,
        title=title,
        content={"persons": persons, "grounds": (grounds or "").strip()},
    )


def order_contest_encouragement_create(*, actor, number: str, day: date | None, title: str, content: dict) -> Order:
    """A draft order of encouragement by a contest's results (content: regional.contests.encouragement).

    One such order per contest in the register; it is signed later by attaching its scan.
    """
    contest = content.get("contest") if isinstance(content, dict) else None
    if not isinstance(contest, dict) or not contest.get("id"):
        raise ValidationError("Не указан конкурс, по итогам которого издаётся приказ.")
    if not content.get("winners") and not content.get("participants"):
        raise ValidationError("По итогам конкурса поощрять некого: от организации не было участников.")
    with transaction.atomic():
        existing = (
            Order.objects.select_for_update()
            .filter(kind=Order.Kind.ENCOURAGEMENT, content__contest__id=contest["id"])
            .first()
        )
        if existing is not None:
            raise ValidationError(
                f"Приказ о поощрении по итогам конкурса «{contest.get('title', '')}» уже сформирован: "
                f"№ {existing.number} от {existing.date:%d.%m.%Y}."
            )
        return order_create(
            actor=actor, kind=Order.Kind.ENCOURAGEMENT, number=number, day=day, title=title, content=content
        )


def order_attach_scan(*, actor, order: Order, scan) -> Order:
    """Attach the signed scan (PDF, JPEG or PNG by content): the order becomes signed."""
    try:
        extension = validate_upload(scan, allowed=("pdf", "jpeg", "png"), field_label="Скан приказа")
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from error
    with transaction.atomic(), actor_context(actor_id(actor)):
        order.signed_scan.save(f"order-{order.pk}.{extension}", scan, save=False)
        order.status = Order.Status.SIGNED
        order.save(update_fields=["signed_scan", "status"])
    return order


# --- orders on the organization's documents and appointments -------------------------------------
#
# The regulation and roadmap approvals and the appointments of the curator and council members are
# recorded in the register by their services, in the same transaction, as a signed order (the director
# typed the details of an order already signed). Each decision is one item of content["items"], with
# enough data to regenerate the DOCX.
#
# One order may take several such decisions (approve the regulation and the roadmap, appoint the
# curator and the council): a decision whose number and date match an order already in the register
# is appended to it, when that order is itself one of these kinds. Rules of the merge:
#   - an order of another kind (pairs approval, replacement, encouragement, other) is a different
#     document: refused;
#   - one order approves at most one regulation version and at most one roadmap: a second one is
#     refused;
#   - any number of appointments may share one order.

ORGANIZATIONAL_KINDS = frozenset(
    {Order.Kind.REGULATION_APPROVAL, Order.Kind.ROADMAP_APPROVAL, Order.Kind.CURATOR_APPOINTMENT}
)
REGULATION_TITLE = "Об утверждении положения о системе наставничества педагогических работников"
CURATOR_TITLE = "О назначении куратора реализации программ наставничества"
COUNCIL_TITLE = "Об утверждении состава совета наставников"
CURATOR_AND_COUNCIL_TITLE = "О назначении куратора и утверждении состава совета наставников"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _regulation_basis() -> dict | None:
    """The order that approved the regulation in force, for the «in accordance with» reference."""
    version = regulation_in_force()
    if version is None or not version.order_number:
        return None
    return {"order_number": version.order_number, "order_date": _iso(version.order_date)}


def regulation_order_item(*, version, previous, effective_from: date | None) -> dict:
    """The decision «approve this regulation version» (previous: the version in force, or None)."""
    return {
        "kind": Order.Kind.REGULATION_APPROVAL.value,
        "version_id": version.pk,
        "version_number": version.number,
        "title": version.title,
        "effective_from": _iso(effective_from),
        "previous": None
        if previous is None
        else {
            "version_number": previous.number,
            "title": previous.title,
            "order_number": previous.order_number,
            "order_date": _iso(previous.order_date),
        },
    }


def roadmap_order_item(*, roadmap) -> dict:
    """The decision «approve this roadmap», with its stages and activities for the annex."""
    stages = []
    for stage in roadmap.stages.order_by("position"):
        activities = [
            {
                "position": activity.position,
                "title": activity.title,
                "deadline": roadmap_deadline(activity),
                "responsible": roadmap_responsible(activity),
            }
            for activity in stage.activities.order_by("position").prefetch_related("responsible")
        ]
        stages.append({"position": stage.position, "title": stage.title, "activities": activities})
    return {
        "kind": Order.Kind.ROADMAP_APPROVAL.value,
        "roadmap_id": roadmap.pk,
        "academic_year": roadmap.academic_year,
        "academic_year_label": roadmap.academic_year_label,
        "stages": stages,
        "regulation": _regulation_basis(),
    }


def appointment_order_item(*, staff, role: str, starts_on: date | None, appointment_id: int | None = None) -> dict:
    """The decision «appoint this person as curator or council member»."""
    return {
        "kind": Order.Kind.CURATOR_APPOINTMENT.value,
        "appointment_id": appointment_id,
        "role": role,
        "staff_id": staff.pk,
        "full_name": staff.full_name,
        "short_name": staff.short_name,
        "position": staff.position,
        "starts_on": _iso(starts_on),
        "regulation": _regulation_basis(),
    }


def order_items(order: Order) -> list[dict]:
    """The decisions of an order on the organization's documents and appointments."""
    return [item for item in (order.content or {}).get("items", []) if isinstance(item, dict) and "kind" in item]


def order_title(items: list[dict]) -> str:
    """The title of an order taking these decisions, in the order the DOCX lists them."""
    titles = []
    if any(item["kind"] == Order.Kind.REGULATION_APPROVAL for item in items):
        titles.append(REGULATION_TITLE)
    for item in items:
        if item["kind"] == Order.Kind.ROADMAP_APPROVAL:
            titles.append(
                "Об утверждении дорожной карты реализации системы наставничества "
                f"на {item['academic_year_label']} учебный год"
            )
            break
    roles = {item["role"] for item in items if item["kind"] == Order.Kind.CURATOR_APPOINTMENT}
    if roles == {"curator", "council_member"}:
        titles.append(CURATOR_AND_COUNCIL_TITLE)
    elif roles == {"curator"}:
        titles.append(CURATOR_TITLE)
    elif roles:
        titles.append(COUNCIL_TITLE)
    if not titles:
        return Order.Kind.OTHER.label
    prefix = "Об утверждении "
    parts = [titles[0]]
    for title in titles[1:]:
        if parts[0].startswith(prefix) and title.startswith(prefix):
            parts.append(title[len(prefix) :])
        else:
            parts.append(title[0].lower() + title[1:])
    if len(parts) == 1:
        return parts[0][:500]
    return (", ".join(parts[:-1]) + " и " + parts[-1])[:500]


def _merge_refusal(existing: Order, item: dict) -> str | None:
    where = f"Приказ № {existing.number} от {existing.date:%d.%m.%Y}"
    if existing.kind not in ORGANIZATIONAL_KINDS or len(order_items(existing)) != len(
        existing.content.get("items", [])
    ):
        return (
            f"{where} уже есть в реестре: «{existing.title}». Одним приказом можно утвердить положение, дорожную "
            "карту и назначить куратора и членов совета наставников, но не принять решения другого вида — "
            "проверьте номер и дату."
        )
    kinds = [other["kind"] for other in order_items(existing)]
    if item["kind"] == Order.Kind.REGULATION_APPROVAL and item["kind"] in kinds:
        return f"{where} уже утверждено положение; одним приказом утверждается одна редакция положения."
    if item["kind"] == Order.Kind.ROADMAP_APPROVAL and item["kind"] in kinds:
        return f"{where} уже утверждена дорожная карта; одним приказом утверждается одна дорожная карта."
    return None


def order_record_decision(*, actor, kind: str, number: str, day: date, item: dict, scan_name: str = "") -> Order:
    """Record a signed order's decision in the register: a new order, or one more decision of the order
    with the same number and date (see the merge rules above). Call inside the caller's transaction.

    `scan_name` is the stored name of the signed scan the caller already saved, shared by the order.
    """
    with transaction.atomic(), actor_context(actor_id(actor)):
        existing = Order.objects.select_for_update().filter(number=number, date=day).first()
        if existing is None:
            try:
                with transaction.atomic():
                    order = Order.objects.create(
                        number=number,
                        date=day,
                        kind=kind,
                        title=order_title([item]),
                        content={"items": [item]},
                        status=Order.Status.SIGNED,
                        signed_scan=scan_name,
                        created_by_id=actor_id(actor),
                    )
            except IntegrityError as error:  # a concurrent approval recorded the same order first
                raise ValidationError(
                    {"order_number": f"Приказ № {number} от {day:%d.%m.%Y} одновременно вносится в реестр; повторите."}
                ) from error
            return order
        refusal = _merge_refusal(existing, item)
        if refusal:
            raise ValidationError({"order_number": refusal})
        items = [*existing.content.get("items", []), item]
        existing.content = {**existing.content, "items": items}
        existing.title = order_title(items)
        existing.status = Order.Status.SIGNED
        fields = ["content", "title", "status"]
        if scan_name and not existing.signed_scan:
            existing.signed_scan = scan_name
            fields.append("signed_scan")
        existing.save(update_fields=fields)
        return existing


def order_preview(*, kind: str, number: str, day: date | None, item: dict) -> Order:
    """An unsaved order with one decision, for the draft DOCX before signing (writes nothing)."""
    return Order(
        number=(number or "").strip()[:50],
        date=day,
        kind=kind,
        title=order_title([item]),
        content={"items": [item]},
        status=Order.Status.DRAFT,
    )
