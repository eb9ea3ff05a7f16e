"""Write path of the regulation (Положение): drafts from a model or an upload, parameters, approval.

Runs in the tenant schema. Managers prepare drafts; the director approves one by order, which
supersedes the version in force in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import Order as RegisterOrder
from institutional.models import RegulationVersion
from institutional.selectors.regulation import RULE_FIELDS
from institutional.services import orders as order_services
from nastavnik.audit import actor_context
from nastavnik.uploads import validate_upload
from regional.models import DocumentTemplate
from regional.selectors import template_get

# Allowed ranges of the structured parameters (the model's validators say the same).
PARAMETER_RANGES = {
    "mentees_per_mentor_max": (1, 10),
    "appointment_days": (1, 365),
    "mentoring_min_months": (1, 36),
    "mentoring_max_months": (1, 36),
    "program_min_months": (1, 36),
    "program_max_months": (1, 36),
    "program_draft_days": (1, 90),
    "report_days": (1, 90),
}
SCAN_FORMATS = ("pdf", "jpeg", "png")


def _default(name: str) -> int:
    return RegulationVersion._meta.get_field(name).default


def _next_number() -> int:
    return (RegulationVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def _body_from_sections(sections: list[dict]) -> str:
    lines: list[str] = []
    for section in sections:
        lines.append(f"# {section.get('heading', '').strip()}")
        lines.extend(str(paragraph).strip() for paragraph in section.get("paragraphs", []) if str(paragraph).strip())
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def validate_parameters(values: dict) -> dict:
    """Checks ranges and min ≤ max; returns the cleaned integers or raises ValidationError per field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for name in RULE_FIELDS:
        low, high = PARAMETER_RANGES[name]
        label = RegulationVersion._meta.get_field(name).verbose_name
        try:
            value = int(values[name])
        except (KeyError, TypeError, ValueError):
            errors[name] = f"Укажите целое число ({label})."
            continue
        if not low <= value <= high:
            errors[name] = f"Значение должно быть от {low} до {high} ({label})."
            continue
        cleaned[name] = value
    for low_name, high_name, what in (
        ("mentoring_min_months", "mentoring_max_months", "наставничества"),
        ("program_min_months", "program_max_months", "программы"),
    ):
        if low_name in cleaned and high_name in cleaned and cleaned[low_name] > cleaned[high_name]:
            errors[low_name] = f"Минимальный срок {what} не может быть больше максимального."
    if errors:
        raise ValidationError(errors)
    return cleaned


def regulation_create_from_template(*, actor, template_id: int) -> RegulationVersion:
    """A new draft from a published model that applies to this organization: its parameters and sections."""
    template = template_get(
        kind=DocumentTemplate.Kind.REGULATION, template_id=template_id, organization=connection.tenant
    )
    content = template.content or {}
    parameters = {name: content.get("parameters", {}).get(name, _default(name)) for name in RULE_FIELDS}
    parameters = validate_parameters(parameters)
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        return RegulationVersion.objects.create(
            number=_next_number(),
            source=RegulationVersion.Source.TEMPLATE,
            template_id=template.pk,
            template_title=template.title,
            template_version=template.version,
            body=_body_from_sections(content.get("sections", [])),
            created_by=actor,
            **parameters,
        )


def regulation_create_from_upload(
    *, actor, document, title: str = "", parameters: dict | None = None
) -> RegulationVersion:
    """A new draft from the organization's own DOCX or PDF (checked by content, not by name)."""
    validate_upload(document, allowed=("docx", "pdf"), field_label="Документ положения")
    cleaned = validate_parameters(parameters or {name: _default(name) for name in RULE_FIELDS})
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        version = RegulationVersion(
            number=_next_number(),
            source=RegulationVersion.Source.UPLOAD,
            created_by=actor,
            **cleaned,
        )
        if title.strip():
            version.title = title.strip()
        version.document.save(document.name.rsplit("/", 1)[-1], document, save=False)
        version.save()
        return version


def regulation_update_parameters(
    *, actor, version: RegulationVersion, parameters: dict, title: str | None = None
) -> RegulationVersion:
    """Changes a draft's structured parameters; approved and superseded versions are frozen."""
    if version.status != RegulationVersion.Status.DRAFT:
        raise ValidationError("Изменять можно только проект положения; утверждённые версии не меняются.")
    cleaned = validate_parameters(parameters)
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        for name, value in cleaned.items():
            setattr(version, name, value)
        if title is not None and title.strip():
            version.title = title.strip()
        version.save()
        return version


@dataclass(frozen=True)
class Order:
    """The director's order (приказ) that approves a document."""

    number: str
    day: date | None
    scan: object = None


def validate_order(order: Order) -> Order:
    errors: dict[str, str] = {}
    number = (order.number or "").strip()
    if not number:
        errors["order_number"] = "Укажите номер приказа об утверждении."
    if order.day is None:
        errors["order_date"] = "Укажите дату приказа об утверждении."
    elif order.day > organization_today():
        errors["order_date"] = "Дата приказа не может быть в будущем."
    elif order.day.year < 1991:
        errors["order_date"] = "Проверьте дату приказа."
    if order.scan:
        try:
            validate_upload(order.scan, allowed=SCAN_FORMATS, field_label="Скан приказа")
        except ValidationError as error:
            errors["order_scan"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return Order(number=number, day=order.day, scan=order.scan)


def regulation_approve(*, actor, version: RegulationVersion, order: Order) -> RegulationVersion:
    """Approves a draft by the director's order; the version in force becomes superseded.

    The order is recorded in the register in the same transaction (`version.register_order`).
    """
    if version.status != RegulationVersion.Status.DRAFT:
        raise ValidationError("Утвердить можно только проект положения.")
    order = validate_order(order)
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        version = RegulationVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != RegulationVersion.Status.DRAFT:
            raise ValidationError("Утвердить можно только проект положения.")
        previous = RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).first()
        RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).update(
            status=RegulationVersion.Status.SUPERSEDED
        )
        version.status = RegulationVersion.Status.APPROVED
        version.order_number = order.number
        version.order_date = order.day
        version.approved_by = actor
        version.approved_at = timezone.now()
        if order.scan:
            version.order_scan.save(order.scan.name.rsplit("/", 1)[-1], order.scan, save=False)
        version.save()
        version.register_order = order_services.order_record_decision(
            actor=actor,
            kind=RegisterOrder.Kind.REGULATION_APPROVAL,
            number=order.number,
            day=order.day,
            item=order_services.regulation_order_item(version=version, previous=previous, effective_from=order.day),
            scan_name=version.order_scan.name if order.scan else "",
        )
        return version


def regulation_delete(*, actor, version: RegulationVersion) -> None:
    """Deletes a draft that was never approved."""
    if version.status != RegulationVersion.Status.DRAFT:
        raise ValidationError("Удалить можно только проект; утверждённые версии хранятся в истории.")
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        stored = version.document.name if version.document else ""
        storage = version.document.storage
        version.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
