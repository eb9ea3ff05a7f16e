"""Write path of the staff registry: records, dismissal, the import from HR files, the yearly review.

Runs in the tenant schema. Every write is atomic and attributed to the acting user in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from institutional.dates import organization_today
from institutional.models import MenteeEntry, Staff, StaffListReview
from institutional.staff_import import ImportPlan, check_staff_values, mapping_guess, plan_build
from nastavnik.audit import actor_context, actor_id
from nastavnik.spreadsheets import SpreadsheetError, read_table
from tenants.models import Membership
from tenants.validators import normalize_snils, validate_snils

EDITABLE_FIELDS = (
    "personnel_number",
    "snils",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "position",
    "subjects",
    "hire_date",
    "total_experience_years",
    "pedagogical_experience_years",
    "qualification_category",
    "email",
    "phone",
)


def organization_members_by_email() -> dict[str, int]:
    """E-mail → user id of every active member of the current organization."""
    rows = (
        Membership.objects.filter(organization=connection.tenant, is_active=True, user__is_active=True)
        .values_list("user__email", "user_id")
        .distinct()
    )
    return {email.lower(): user_id for email, user_id in rows}


def _validate(values: dict, *, instance: Staff | None) -> None:
    """Raise ValidationError({field: message}) when the values break a rule of the registry."""
    errors: dict[str, str] = dict(check_staff_values(values, today=organization_today()))
    others = Staff.objects.exclude(pk=instance.pk) if instance is not None else Staff.objects.all()
    number = values.get("personnel_number")
    if number and others.filter(personnel_number=number).exists():
        errors["personnel_number"] = f"Сотрудник с табельным номером {number} уже есть."
    snils = values.get("snils")
    try:
        validate_snils(snils or "")
    except ValidationError as error:
        errors["snils"] = error.messages[0]
    if snils and "snils" not in errors and others.filter(snils=snils).exists():
        errors["snils"] = "Сотрудник с таким СНИЛС уже есть."
    user_id = values.get("user_id")
    if user_id:
        if user_id not in set(organization_members_by_email().values()):
            errors["user"] = "Эта учётная запись не состоит в организации."
        elif others.filter(user_id=user_id).exists():
            errors["user"] = "Эта учётная запись уже связана с другим сотрудником."
    if errors:
        raise ValidationError(errors)


def _prepare(values: dict) -> dict:
    values = dict(values)
    if "snils" in values:
        values["snils"] = normalize_snils(values["snils"] or "")
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    return values


def staff_create(*, actor, values: dict) -> Staff:
    """Add a pedagogical worker; links the member of this organization with the same e-mail."""
    values = _prepare(values)
    if "user_id" not in values and values.get("email"):
        linked = set(Staff.objects.exclude(user_id=None).values_list("user_id", flat=True))
        user_id = organization_members_by_email().get(values["email"])
        if user_id and user_id not in linked:
            values["user_id"] = user_id
    _validate(values, instance=None)
    staff = Staff(**values)
    staff.full_clean(exclude=["user"])
    with transaction.atomic(), actor_context(actor_id(actor)):
        staff.save()
    return staff


def staff_update(*, actor, staff: Staff, values: dict) -> Staff:
    """Change a record; `user_id` in `values` links (an id) or unlinks (None) the platform account."""
    values = _prepare(values)
    merged = {name: getattr(staff, name) for name in (*EDITABLE_FIELDS, "dismissal_date", "user_id")}
    merged.update(values)
    _validate(merged, instance=staff)
    for name, value in values.items():
        setattr(staff, name, value)
    staff.full_clean(exclude=["user"])
    with transaction.atomic(), actor_context(actor_id(actor)):
        staff.save()
    return staff


def staff_dismiss(*, actor, staff: Staff, dismissal_date: date) -> Staff:
    """Record the dismissal: current appointments end on that date and the person leaves both banks."""
    from institutional.services.appointments import appointment_end
    from institutional.services.banks import bank_entries_close_for_dismissal

    if not staff.is_employed:
        raise ValidationError({"dismissal_date": "Сотрудник уже уволен."})
    if dismissal_date < staff.hire_date:
        raise ValidationError(
            {"dismissal_date": f"Дата увольнения не может быть раньше даты приёма ({staff.hire_date:%d.%m.%Y})."}
        )
    if dismissal_date > organization_today():
        raise ValidationError({"dismissal_date": "Дата увольнения не может быть в будущем."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        for appointment in staff.appointments.filter(ended_on__isnull=True):
            appointment_end(actor=actor, appointment=appointment, ended_on=max(dismissal_date, appointment.starts_on))
        staff.status = Staff.Status.DISMISSED
        staff.dismissal_date = dismissal_date
        staff.save(update_fields=["status", "dismissal_date", "updated_at"])
        bank_entries_close_for_dismissal(actor=actor, staff=staff, dismissed_on=dismissal_date)
    return staff


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def staff_import_plan(*, content: bytes, filename: str, mapping: dict[str, int] | None = None) -> ImportPlan:
    """Read the file and check every row; `mapping` defaults to the guess from the headers.

    A file that cannot be read gives a plan with one error and no rows.
    """
    from institutional.staff_import import RowError

    try:
        table = read_table(content, filename)
    except SpreadsheetError as error:
        return ImportPlan(mapping={}, errors=[RowError(0, "", str(error))])
    if mapping is None:
        mapping = mapping_guess(table.headers)
    return plan_build(table, mapping, today=organization_today(), members_by_email=organization_members_by_email())


def staff_import_apply(
    *, actor, content: bytes, filename: str, mapping: dict[str, int] | None = None
) -> tuple[ImportPlan, ImportResult | None]:
    """Check the whole file and, only when every row is valid, write it in one transaction."""
    with transaction.atomic(), actor_context(actor_id(actor)):
        # Nobody else changes the registry between the check and the write.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Staff._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        plan = staff_import_plan(content=content, filename=filename, mapping=mapping)
        if not plan.is_valid:
            return plan, None
        new_staff = []
        for row in plan.rows:
            if row.action != "create":
                continue
            values = dict(row.values)
            dismissal = values.pop("dismissal_date", None)
            staff = Staff(**values)
            if dismissal:
                staff.status, staff.dismissal_date = Staff.Status.DISMISSED, dismissal
            new_staff.append(staff)
        Staff.objects.bulk_create(new_staff, batch_size=1000)
        changed_fields: set[str] = set()
        updated_staff = []
        for row in plan.rows:
            if row.action != "update":
                continue
            staff = row.staff
            for name in row.changed:
                if name == "dismissal_date":
                    date_value = row.values["dismissal_date"]
                    staff.dismissal_date = date_value
                    staff.status = Staff.Status.DISMISSED if date_value else Staff.Status.EMPLOYED
                    changed_fields.update({"dismissal_date", "status"})
                else:
                    setattr(staff, name, row.values[name])
                    changed_fields.add(name)
            updated_staff.append(staff)
        if updated_staff:
            changed_fields.add("updated_at")
            from django.utils import timezone

            now = timezone.now()
            for staff in updated_staff:
                staff.updated_at = now
            Staff.objects.bulk_update(updated_staff, sorted(changed_fields), batch_size=1000)
        _close_dismissed(actor, [staff for staff in updated_staff if staff.status == Staff.Status.DISMISSED])
    return plan, ImportResult(created=plan.created, updated=plan.updated, unchanged=plan.unchanged)


def _close_dismissed(actor, dismissed: list[Staff]) -> None:
    """People the file marks as dismissed lose their appointments and leave the banks, as on the page."""
    from institutional.services.appointments import appointment_end
    from institutional.services.banks import bank_entries_close_for_dismissal

    for staff in dismissed:
        for appointment in staff.appointments.filter(ended_on__isnull=True):
            appointment_end(
                actor=actor, appointment=appointment, ended_on=max(staff.dismissal_date, appointment.starts_on)
            )
        bank_entries_close_for_dismissal(actor=actor, staff=staff, dismissed_on=staff.dismissal_date)


# --- yearly review of the list of teachers who need mentoring -----------------------------------


def staff_list_review_record(*, actor, note: str = "") -> StaffListReview:
    """The curator confirms the list of teachers who need mentoring is up to date (rule 10)."""
    with transaction.atomic(), actor_context(actor_id(actor)):
        return StaffListReview.objects.create(
            reviewed_on=organization_today(),
            reviewed_by_id=actor_id(actor),
            note=note.strip(),
            mentees_waiting=MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING).count(),
        )
