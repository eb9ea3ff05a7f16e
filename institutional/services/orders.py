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
from institutional.models import Order
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
