"""Write path of written consents (tenant schema): prepare, record signing, withdraw.

A consent is created pre-filled from the organization's details and the standard texts
(institutional.consent_texts), printed from its DOCX, signed on paper and recorded with its scan.
Withdrawal takes effect at once, in the same transaction: the person leaves the banks the consent
was needed for, published entries are hidden (their rows of the regional bank, public schema, are
deleted in this transaction too), and the curator and the council are notified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from institutional.consent_texts import PUBLISHED_FIELDS, published_data_list, text_for
from institutional.dates import organization_today
from institutional.models import Consent, ConsentKind, MenteeEntry, MentorEntry, Notification, Staff, Visibility
from institutional.selectors.banks import is_minor_trainee
from nastavnik.audit import actor_context, actor_id
from nastavnik.uploads import MAX_UPLOAD_BYTES, file_format
from tenants.models import Membership, Role

NOTIFY_ROLES = (Role.CURATOR, Role.COUNCIL_MEMBER)


def check_scan(upload, *, field: str = "signed_scan") -> str:
    """The file's real type (pdf/jpeg/png) judged by its content, not its name; refuses anything else."""
    if upload is None:
        raise ValidationError({field: "Приложите скан подписанного документа (PDF, JPEG или PNG)."})
    if upload.size == 0:
        raise ValidationError({field: "Файл пустой."})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: "Файл больше 10 МБ; уменьшите разрешение скана."})
    kind = file_format(upload)
    if kind not in ("pdf", "jpeg", "png"):
        raise ValidationError({field: "Файл не является PDF, JPEG или PNG. Приложите скан подписанного документа."})
    return kind


def _subject_name(*, staff: Staff | None, mentee_entry: MenteeEntry | None) -> str:
    return staff.full_name if staff is not None else mentee_entry.full_name


def consent_create(
    *,
    actor,
    kind: str,
    staff: Staff | None = None,
    mentee_entry: MenteeEntry | None = None,
    subject_document: str = "",
    subject_address: str = "",
    representative_full_name: str = "",
    representative_document: str = "",
    representative_basis: str = "",
    published_fields=(),
    organization=None,
) -> Consent:
    """Prepare a consent to print and sign, pre-filled with the operator's details and the standard text."""
    organization = organization or connection.tenant
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": "Неизвестный вид согласия."})
    if (staff is None) == (mentee_entry is None):
        raise ValidationError({"subject": "Выберите, кто даёт согласие: сотрудник или стажёр (студент)."})
    if mentee_entry is not None and not mentee_entry.is_trainee:
        staff, mentee_entry = mentee_entry.staff, None
    if staff is not None and not staff.is_employed:
        raise ValidationError({"subject": f"Сотрудник {staff.short_name} уволен(а); согласие не оформляется."})
    if mentee_entry is not None and mentee_entry.status == MenteeEntry.Status.LEFT:
        raise ValidationError({"subject": "Стажёр (студент) выбыл из банка наставляемых."})

    errors = {}
    representative = {
        "representative_full_name": representative_full_name.strip(),
        "representative_document": representative_document.strip(),
        "representative_basis": representative_basis.strip(),
    }
    minor = mentee_entry is not None and is_minor_trainee(mentee_entry)
    if kind == ConsentKind.MENTORING_DUTIES and staff is None:
        errors["kind"] = "Согласие на выполнение обязанностей наставника даёт только сотрудник организации."
    if kind == ConsentKind.PERSONAL_DATA and minor:
        errors["kind"] = (
            "Стажёр (студент) несовершеннолетний: согласие на обработку его персональных данных даёт "
            "родитель (законный представитель). Оформите согласие родителя."
        )
    if kind == ConsentKind.PARENT_PERSONAL_DATA:
        if not minor:
            errors["kind"] = "Согласие родителя оформляется только для несовершеннолетнего стажёра (студента)."
        if not representative["representative_full_name"]:
            errors["representative_full_name"] = "Укажите фамилию, имя и отчество родителя (законного представителя)."
        if not representative["representative_document"]:
            errors["representative_document"] = "Укажите документ, удостоверяющий личность представителя."
        if not representative["representative_basis"]:
            errors["representative_basis"] = "Укажите основание полномочий (например, свидетельство о рождении)."
    else:
        representative = dict.fromkeys(representative, "")
    published_fields = [f for f in dict.fromkeys(published_fields or []) if f in PUBLISHED_FIELDS]
    if kind == ConsentKind.PUBLICATION and not published_fields:
        errors["published_fields"] = "Отметьте сведения, которые человек согласен опубликовать."
    if kind in (ConsentKind.PERSONAL_DATA, ConsentKind.PARENT_PERSONAL_DATA) and not subject_document.strip():
        errors["subject_document"] = (
            "Укажите документ, удостоверяющий личность субъекта (вид, серия, номер, кем и когда выдан)."
        )
    if errors:
        raise ValidationError(errors)
    existing = Consent.objects.filter(kind=kind, status__in=[Consent.Status.DRAFT, Consent.Status.SIGNED])
    existing = existing.filter(staff=staff) if staff is not None else existing.filter(mentee_entry=mentee_entry)
    if existing.exists():
        raise ValidationError({"kind": "У этого человека уже есть неотозванное согласие этого вида."})

    text = text_for(kind)
    data_list = published_data_list(published_fields) if kind == ConsentKind.PUBLICATION else text.data_list
    with transaction.atomic(), actor_context(actor_id(actor)):
        return Consent.objects.create(
            kind=kind,
            staff=staff,
            mentee_entry=mentee_entry,
            subject_full_name=_subject_name(staff=staff, mentee_entry=mentee_entry),
            subject_document=subject_document.strip(),
            subject_address=subject_address.strip(),
            operator_name=organization.full_name,
            operator_address=organization.address,
            operator_inn=organization.inn,
            purpose=text.purpose,
            data_list=data_list,
            actions=text.actions,
            term=text.term,
            withdrawal_procedure=text.withdrawal_procedure,
            published_fields=published_fields if kind == ConsentKind.PUBLICATION else [],
            created_by=actor,
            **representative,
        )


def consent_sign(*, actor, consent: Consent, signed_on: date | None, scan) -> Consent:
    """Record that the paper was signed: the date (not in the future) and the signed scan."""
    if consent.status != Consent.Status.DRAFT:
        raise ValidationError("Согласие уже подписано или отозвано.")
    if signed_on is None:
        raise ValidationError({"signed_on": "Укажите дату подписания."})
    if signed_on > organization_today():
        raise ValidationError({"signed_on": "Дата подписания не может быть в будущем."})
    if signed_on < consent.created_at.date():
        raise ValidationError({"signed_on": "Дата подписания не может быть раньше подготовки согласия."})
    extension = check_scan(scan)
    with transaction.atomic(), actor_context(actor_id(actor)):
        consent.signed_scan.save(f"consent-{consent.pk}.{extension}", scan, save=False)
        consent.status, consent.signed_on = Consent.Status.SIGNED, signed_on
        consent.save()
    return consent


@dataclass
class WithdrawalResult:
    consent: Consent
    changes: list[str] = field(default_factory=list)
    notified_user_ids: list[int] = field(default_factory=list)


def _withdrawal_effects(consent: Consent, withdrawn_on: date, reason: str, *, organization_id: int) -> list[str]:
    """Apply what the withdrawal means for the banks; returns what changed, in words."""
    changes: list[str] = []
    kind = consent.kind
    leaves_all_banks = kind in (ConsentKind.PERSONAL_DATA, ConsentKind.PARENT_PERSONAL_DATA)
    if consent.staff_id and (leaves_all_banks or kind == ConsentKind.MENTORING_DUTIES):
        mentors = list(MentorEntry.objects.select_for_update().filter(staff_id=consent.staff_id, is_active=True))
        for entry in mentors:
            entry.is_active, entry.excluded_on, entry.excluded_reason = False, withdrawn_on, reason[:200]
            entry.visibility = Visibility.ORGANIZATION
            entry.save()
        if mentors:
            changes.append("исключён(а) из банка наставников")
    if leaves_all_banks:
        mentees = MenteeEntry.objects.select_for_update().exclude(status=MenteeEntry.Status.LEFT)
        mentees = (
            mentees.filter(staff_id=consent.staff_id)
            if consent.staff_id
            else mentees.filter(pk=consent.mentee_entry_id)
        )
        count = 0
        for entry in mentees:
            entry.status, entry.left_on = MenteeEntry.Status.LEFT, withdrawn_on
            entry.left_reason = MenteeEntry.LeftReason.CONSENT_WITHDRAWN
            entry.save()
            count += 1
        if count:
            changes.append("выбыл(а) из банка наставляемых")
    if kind == ConsentKind.PUBLICATION and consent.staff_id:
        hidden = MentorEntry.objects.filter(staff_id=consent.staff_id).exclude(visibility=Visibility.ORGANIZATION)
        if hidden.update(visibility=Visibility.ORGANIZATION):
            changes.append("запись в банке наставников больше не видна муниципалитету и региону")
    if consent.staff_id:
        # Whatever kind it was, the person's published card no longer has its basis: it leaves the
        # regional bank now, in this transaction, not at the next refresh of the projection.
        from regional.bank import unpublish_person

        if unpublish_person(organization_id=organization_id, staff_id=consent.staff_id):
            changes.append("снят(а) с публикации в региональном банке наставников")
    if consent.staff_id and kind in (ConsentKind.PUBLICATION, ConsentKind.PERSONAL_DATA):
        # Contest nominations show the name only by the publication consent: hidden now, everywhere.
        from regional.contests.services import nominations_unpublish

        if nominations_unpublish(organization_id=organization_id, staff_id=consent.staff_id):
            changes.append("ФИО скрыто в выдвижениях на конкурсы")
    return changes


def _manager_user_ids(organization) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(organization=organization, role__in=NOTIFY_ROLES, is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )


def consent_withdraw(
    *, actor, consent: Consent, withdrawn_on: date | None, note: str = "", organization=None
) -> WithdrawalResult:
    """Withdraw a signed consent with a date; its effects and the notifications happen in the same transaction."""
    organization = organization or connection.tenant
    if consent.status != Consent.Status.SIGNED:
        raise ValidationError("Отозвать можно только подписанное согласие.")
    if withdrawn_on is None:
        raise ValidationError({"withdrawn_on": "Укажите дату отзыва."})
    if withdrawn_on > organization_today():
        raise ValidationError({"withdrawn_on": "Дата отзыва не может быть в будущем."})
    if consent.signed_on and withdrawn_on < consent.signed_on:
        raise ValidationError({"withdrawn_on": "Дата отзыва не может быть раньше даты подписания."})
    reason = f"Отзыв согласия ({consent.get_kind_display().lower()}) от {withdrawn_on:%d.%m.%Y}"
    with transaction.atomic(), actor_context(actor_id(actor)):
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.status != Consent.Status.SIGNED:
            raise ValidationError("Отозвать можно только подписанное согласие.")
        consent.status, consent.withdrawn_on, consent.withdrawal_note = (
            Consent.Status.WITHDRAWN,
            withdrawn_on,
            note.strip()[:300],
        )
        consent.save()
        changes = _withdrawal_effects(consent, withdrawn_on, reason, organization_id=organization.pk)
        summary = f"{consent.subject_full_name}: {reason}."
        if changes:
            summary += " Изменения: " + "; ".join(changes) + "."
        else:
            summary += " Записей в банках, зависящих от согласия, не было."
        user_ids = _manager_user_ids(organization)
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    text=summary[:500],
                    url=f"/org/consents/{consent.pk}/",
                    key=f"consent-withdrawn-{consent.pk}",
                )
                for user_id in user_ids
            ]
        )
    return WithdrawalResult(consent=consent, changes=changes, notified_user_ids=user_ids)
