"""Write path of appointments: the curator and the mentors' council, appointed by the director's order.

Runs in the tenant schema. When the appointed staff member has a platform account, the matching role
is granted in the organization (public schema) and revoked when the appointment ends.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from institutional.dates import organization_today
from institutional.models import Appointment, Order, Staff
from institutional.services import orders as order_services
from nastavnik.audit import actor_context, actor_id
from tenants.models import Membership, User
from tenants.services import membership_grant, membership_revoke


def appointment_create(
    *, actor, staff: Staff, role: str, order_number: str, order_date: date | None, starts_on: date | None
) -> Appointment:
    """Appoint `staff` as curator or council member by order (number, date) from `starts_on`.

    The order is recorded in the register in the same transaction (`appointment.register_order`);
    several appointments by one order share its entry.
    """
    errors: dict[str, str] = {}
    if role not in Appointment.Role.values:
        errors["role"] = "Выберите роль: куратор или член совета наставников."
    if not staff.is_employed:
        errors["staff"] = f"{staff.full_name} не работает в организации (уволен): назначить нельзя."
    order_number = (order_number or "").strip()
    if not order_number:
        errors["order_number"] = "Укажите номер приказа о назначении."
    if order_date is None:
        errors["order_date"] = "Укажите дату приказа о назначении."
    elif order_date > organization_today():
        errors["order_date"] = "Дата приказа не может быть в будущем."
    if starts_on is None:
        errors["starts_on"] = "Укажите дату начала."
    elif order_date and starts_on < order_date:
        errors["starts_on"] = "Назначение не может начаться раньше даты приказа."
    if not errors:
        current = Appointment.objects.filter(ended_on__isnull=True)
        if role == Appointment.Role.CURATOR and current.filter(role=role).exists():
            errors["role"] = "Куратор уже назначен: сначала завершите его назначение."
        elif current.filter(role=role, staff=staff).exists():
            errors["staff"] = "Этот сотрудник уже назначен на эту роль."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            appointment = Appointment.objects.create(
                staff=staff,
                role=role,
                order_number=order_number,
                order_date=order_date,
                starts_on=starts_on,
                created_by_id=actor_id(actor),
            )
            if staff.user_id:
                user = User.objects.get(pk=staff.user_id)
                membership_grant(actor=actor, user=user, organization=connection.tenant, role=role)
            appointment.register_order = order_services.order_record_decision(
                actor=actor,
                kind=Order.Kind.CURATOR_APPOINTMENT,
                number=order_number,
                day=order_date,
                item=order_services.appointment_order_item(
                    staff=staff, role=role, starts_on=starts_on, appointment_id=appointment.pk
                ),
            )
    except IntegrityError as error:  # a concurrent appointment won the race
        raise ValidationError({"role": "Назначение на эту роль уже существует."}) from error
    return appointment


def appointment_end(*, actor, appointment: Appointment, ended_on: date) -> Appointment:
    """End a current appointment; the person's role in the organization is revoked."""
    if appointment.ended_on is not None:
        raise ValidationError({"ended_on": "Назначение уже завершено."})
    if ended_on < appointment.starts_on:
        raise ValidationError(
            {"ended_on": f"Дата окончания не может быть раньше даты начала ({appointment.starts_on:%d.%m.%Y})."}
        )
    with transaction.atomic(), actor_context(actor_id(actor)):
        appointment.ended_on = ended_on
        appointment.save(update_fields=["ended_on"])
        user_id = appointment.staff.user_id
        if user_id:
            membership = Membership.objects.filter(
                user_id=user_id, organization=connection.tenant, role=appointment.role, is_active=True
            ).first()
            if membership is not None:
                membership_revoke(actor=actor, membership=membership)
    return appointment
