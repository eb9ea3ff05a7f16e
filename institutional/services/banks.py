"""Write path of the mentee and mentor banks (tenant schema).

Every service validates everything first and then writes in one transaction, attributing the
changes to the acting user in the audit trail. Errors are Django ValidationErrors keyed by field,
with Russian messages that name the problem.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from institutional.dates import organization_today
from institutional.models import (
    ConsentKind,
    MenteeCategory,
    MenteeEntry,
    MentorAchievement,
    MentorEntry,
    MentorTraining,
    Staff,
    Visibility,
)
from institutional.selectors.banks import default_needed_from
from institutional.selectors.consents import has_signed_consent, has_withdrawn_without_new
from institutional.selectors.regulation import rules_in_force
from nastavnik.audit import actor_context, actor_id

EARLIEST_DATE = date(1950, 1, 1)
TAG_MAX_LENGTH = 60
MENTEE_OWN_FIELDS = ("requests", "difficulties", "tags")
MENTEE_MANAGER_FIELDS = ("categories", "requests", "difficulties", "tags", "needed_from")
MENTOR_OWN_FIELDS = ("competencies", "subjects", "tags", "visibility")
MENTOR_MANAGER_FIELDS = (
    "competencies",
    "subjects",
    "achievements",
    "achievements_details",
    "tags",
    "capacity",
    "visibility",
)


def clean_list(values, *, max_length: int = TAG_MAX_LENGTH, field: str = "tags") -> list[str]:
    """Tags or subjects from a list or a comma-separated string: trimmed, without repeats."""
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    result: list[str] = []
    for value in values or []:
        value = str(value).strip()
        if not value:
            continue
        if len(value) > max_length:
            raise ValidationError({field: f"Значение «{value[:20]}…» длиннее {max_length} символов."})
        if value.lower() not in {item.lower() for item in result}:
            result.append(value)
    return result


def _check_staff_can_join(staff: Staff, *, bank: str) -> None:
    if staff.is_outside:
        raise ValidationError(
            {
                "staff": f"{staff.short_name} — наставник другой организации (сетевое наставничество): "
                f"в банк {bank} этой организации не включается."
            }
        )
    if not staff.is_employed:
        dismissed = staff.dismissal_date.strftime("%d.%m.%Y") if staff.dismissal_date else ""
        raise ValidationError(
            {"staff": f"Сотрудник {staff.short_name} уволен(а) {dismissed} и не может быть включён(а) в банк {bank}."}
        )
    if has_withdrawn_without_new(kind=ConsentKind.PERSONAL_DATA, staff=staff):
        raise ValidationError(
            {
                "staff": f"Сотрудник {staff.short_name} отозвал(а) согласие на обработку персональных данных; "
                f"включить его (её) в банк {bank} можно только после нового согласия."
            }
        )


def _check_categories(categories) -> list[str]:
    categories = list(dict.fromkeys(categories or []))
    if not categories:
        raise ValidationError({"categories": "Выберите хотя бы одну категорию наставляемого."})
    unknown = [c for c in categories if c not in MenteeCategory.values]
    if unknown:
        raise ValidationError({"categories": f"Неизвестная категория: {', '.join(unknown)}."})
    return categories


def _check_date(value: date | None, *, field: str, label: str, allow_future_days: int = 0) -> None:
    if value is None:
        return
    today = organization_today()
    if value < EARLIEST_DATE:
        raise ValidationError({field: f"{label}: дата раньше 1950 года невозможна."})
    if value > today + timedelta(days=allow_future_days):
        if allow_future_days:
            raise ValidationError({field: f"{label}: дата не может быть позже чем через {allow_future_days} дней."})
        raise ValidationError({field: f"{label}: дата не может быть в будущем."})


# --- mentee bank -----------------------------------------------------------------------------------


def mentee_entry_create(
    *,
    actor,
    categories: list[str],
    staff: Staff | None = None,
    trainee_last_name: str = "",
    trainee_first_name: str = "",
    trainee_patronymic: str = "",
    trainee_birth_date: date | None = None,
    trainee_study_place: str = "",
    requests: str = "",
    difficulties: str = "",
    tags=(),
    needed_from: date | None = None,
) -> MenteeEntry:
    """Enter a staff member or a trainee/student in the mentee bank (status «waiting»)."""
    categories = _check_categories(categories)
    tags = clean_list(tags)
    if staff is not None:
        _check_staff_can_join(staff, bank="наставляемых")
        if MenteeEntry.objects.filter(staff=staff).exclude(status=MenteeEntry.Status.LEFT).exists():
            raise ValidationError({"staff": f"Сотрудник {staff.short_name} уже есть в банке наставляемых."})
        trainee_last_name = trainee_first_name = trainee_patronymic = trainee_study_place = ""
        trainee_birth_date = None
    else:
        trainee_last_name, trainee_first_name = trainee_last_name.strip(), trainee_first_name.strip()
        errors = {}
        if not trainee_last_name:
            errors["trainee_last_name"] = "Укажите фамилию стажёра (студента) или выберите сотрудника."
        if not trainee_first_name:
            errors["trainee_first_name"] = "Укажите имя стажёра (студента)."
        if trainee_birth_date is None:
            errors["trainee_birth_date"] = "Укажите дату рождения стажёра (студента)."
        if errors:
            raise ValidationError(errors)
        _check_date(trainee_birth_date, field="trainee_birth_date", label="Дата рождения")
    if needed_from is None:
        needed_from = default_needed_from(staff=staff)
    _check_date(needed_from, field="needed_from", label="Наставник нужен с", allow_future_days=365)

    with transaction.atomic(), actor_context(actor_id(actor)):
        return MenteeEntry.objects.create(
            staff=staff,
            trainee_last_name=trainee_last_name,
            trainee_first_name=trainee_first_name,
            trainee_patronymic=trainee_patronymic.strip(),
            trainee_birth_date=trainee_birth_date,
            trainee_study_place=trainee_study_place.strip(),
            categories=categories,
            requests=requests.strip(),
            difficulties=difficulties.strip(),
            tags=tags,
            needed_from=needed_from,
            created_by=actor,
        )


def mentee_entry_update(*, actor, entry: MenteeEntry, data: dict, own: bool = False) -> MenteeEntry:
    """Change an entry; the person themself (`own`) may change only their requests, difficulties and tags."""
    allowed = MENTEE_OWN_FIELDS if own else MENTEE_MANAGER_FIELDS
    changes = {name: value for name, value in data.items() if name in allowed}
    if entry.status == MenteeEntry.Status.LEFT:
        raise ValidationError("Запись выбывшего из банка не изменяется.")
    if "categories" in changes:
        changes["categories"] = _check_categories(changes["categories"])
    if "tags" in changes:
        changes["tags"] = clean_list(changes["tags"])
    if "needed_from" in changes:
        if changes["needed_from"] is None:
            raise ValidationError({"needed_from": "Укажите, с какой даты нужен наставник."})
        _check_date(changes["needed_from"], field="needed_from", label="Наставник нужен с", allow_future_days=365)
    for name in ("requests", "difficulties"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    with transaction.atomic(), actor_context(actor_id(actor)):
        for name, value in changes.items():
            setattr(entry, name, value)
        entry.save()
    return entry


def mentee_entry_set_status(
    *, actor, entry: MenteeEntry, status: str, left_on: date | None = None, left_reason: str = ""
) -> MenteeEntry:
    if status not in MenteeEntry.Status.values:
        raise ValidationError({"status": "Неизвестный статус."})
    if status == MenteeEntry.Status.LEFT:
        errors = {}
        if left_on is None:
            errors["left_on"] = "Укажите дату выбытия."
        if left_reason not in MenteeEntry.LeftReason.values:
            errors["left_reason"] = "Укажите причину выбытия."
        if errors:
            raise ValidationError(errors)
        _check_date(left_on, field="left_on", label="Дата выбытия")
        if left_on < entry.created_at.date():
            raise ValidationError({"left_on": "Дата выбытия не может быть раньше внесения в банк."})
    else:
        left_on, left_reason = None, ""
        if (
            entry.staff_id
            and MenteeEntry.objects.filter(staff_id=entry.staff_id)
            .exclude(status=MenteeEntry.Status.LEFT)
            .exclude(pk=entry.pk)
            .exists()
        ):
            raise ValidationError({"status": "У сотрудника уже есть другая открытая запись в банке наставляемых."})
        if entry.staff_id and not entry.staff.is_employed:
            raise ValidationError({"status": "Сотрудник уволен(а); вернуть запись в банк нельзя."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        entry.status, entry.left_on, entry.left_reason = status, left_on, left_reason
        entry.save()
    return entry


# --- mentor bank -----------------------------------------------------------------------------------


def _check_capacity(capacity) -> int:
    cap = rules_in_force().mentees_per_mentor_max
    if capacity is None:
        return cap
    if capacity < 1:
        raise ValidationError({"capacity": "Наставник должен иметь возможность вести хотя бы одного наставляемого."})
    if capacity > cap:
        raise ValidationError(
            {
                "capacity": f"По положению о наставничестве у наставника может быть не более {cap} наставляемых одновременно."
            }
        )
    return capacity


def _check_visibility(visibility: str, staff: Staff) -> str:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": "Неизвестный вариант видимости."})
    if visibility != Visibility.ORGANIZATION and not has_signed_consent(kind=ConsentKind.PUBLICATION, staff=staff):
        raise ValidationError(
            {
                "visibility": "Показывать запись муниципалитету или региону можно только при подписанном согласии "
                "на публикацию сведений. Сначала оформите это согласие."
            }
        )
    return visibility


def _check_achievements(achievements) -> list[str]:
    achievements = list(dict.fromkeys(achievements or []))
    unknown = [a for a in achievements if a not in MentorAchievement.values]
    if unknown:
        raise ValidationError({"achievements": f"Неизвестное достижение: {', '.join(unknown)}."})
    return achievements


def mentor_entry_create(
    *,
    actor,
    staff: Staff,
    competencies: str,
    subjects=(),
    achievements=(),
    achievements_details: str = "",
    tags=(),
    capacity: int | None = None,
    visibility: str = Visibility.ORGANIZATION,
) -> MentorEntry:
    _check_staff_can_join(staff, bank="наставников")
    if has_withdrawn_without_new(kind=ConsentKind.MENTORING_DUTIES, staff=staff):
        raise ValidationError(
            {"staff": f"Сотрудник {staff.short_name} отозвал(а) согласие на выполнение обязанностей наставника."}
        )
    if MentorEntry.objects.filter(staff=staff, is_active=True).exists():
        raise ValidationError({"staff": f"Сотрудник {staff.short_name} уже есть в банке наставников."})
    if not (competencies or "").strip():
        raise ValidationError({"competencies": "Опишите компетенции наставника."})
    capacity = _check_capacity(capacity)
    visibility = _check_visibility(visibility, staff)
    achievements = _check_achievements(achievements)
    subjects = clean_list(subjects, max_length=100, field="subjects")
    tags = clean_list(tags)
    with transaction.atomic(), actor_context(actor_id(actor)):
        return MentorEntry.objects.create(
            staff=staff,
            competencies=competencies.strip(),
            subjects=subjects,
            achievements=achievements,
            achievements_details=achievements_details.strip(),
            tags=tags,
            capacity=capacity,
            visibility=visibility,
            created_by=actor,
        )


def mentor_entry_update(*, actor, entry: MentorEntry, data: dict, own: bool = False) -> MentorEntry:
    """Change an entry; the mentor themself (`own`) may change competencies, subjects, tags and visibility."""
    allowed = MENTOR_OWN_FIELDS if own else MENTOR_MANAGER_FIELDS
    changes = {name: value for name, value in data.items() if name in allowed}
    if entry.home_organization_id:
        home = entry.staff.home_organization_name or "организация наставника"
        raise ValidationError(
            f"Запись сетевого наставника ведёт его организация ({home}): здесь она не изменяется, "
            "изменить её можно в кабинете на сайте своей организации."
        )
    if not entry.is_active:
        raise ValidationError("Запись исключённого из банка наставника не изменяется.")
    if "competencies" in changes:
        changes["competencies"] = (changes["competencies"] or "").strip()
        if not changes["competencies"]:
            raise ValidationError({"competencies": "Опишите компетенции наставника."})
    if "capacity" in changes:
        changes["capacity"] = _check_capacity(changes["capacity"])
        if changes["capacity"] < entry_load(entry):
            raise ValidationError({"capacity": "Нельзя установить меньше, чем наставляемых у наставника сейчас."})
    if "visibility" in changes:
        changes["visibility"] = _check_visibility(changes["visibility"], entry.staff)
    if "achievements" in changes:
        changes["achievements"] = _check_achievements(changes["achievements"])
    if "subjects" in changes:
        changes["subjects"] = clean_list(changes["subjects"], max_length=100, field="subjects")
    if "tags" in changes:
        changes["tags"] = clean_list(changes["tags"])
    if "achievements_details" in changes:
        changes["achievements_details"] = (changes["achievements_details"] or "").strip()
    with transaction.atomic(), actor_context(actor_id(actor)):
        for name, value in changes.items():
            setattr(entry, name, value)
        entry.save()
        if entry.visibility == Visibility.ORGANIZATION:
            _unpublish(entry.staff_id)
    return entry


def entry_load(entry: MentorEntry) -> int:
    from institutional.selectors.banks import mentor_load

    return mentor_load(entry)


def mentor_entry_exclude(*, actor, entry: MentorEntry, excluded_on: date | None, reason: str) -> MentorEntry:
    if not entry.is_active:
        raise ValidationError("Наставник уже исключён из банка.")
    errors = {}
    if excluded_on is None:
        errors["excluded_on"] = "Укажите дату исключения."
    if not (reason or "").strip():
        errors["excluded_reason"] = "Укажите причину исключения."
    if errors:
        raise ValidationError(errors)
    _check_date(excluded_on, field="excluded_on", label="Дата исключения")
    with transaction.atomic(), actor_context(actor_id(actor)):
        entry.is_active, entry.excluded_on, entry.excluded_reason = False, excluded_on, reason.strip()[:200]
        entry.save()
        _unpublish(entry.staff_id)
    return entry


def _unpublish(staff_id: int) -> None:
    """The person's card leaves the regional bank in this transaction (not at the next refresh)."""
    from regional.bank import current_organization_id, unpublish_person

    unpublish_person(organization_id=current_organization_id(), staff_id=staff_id)


def bank_entries_close_for_dismissal(*, actor, staff: Staff, dismissed_on: date) -> None:
    """A dismissed person leaves both banks: open mentee entries close, mentor entries are excluded."""
    reason = f"Увольнение {dismissed_on:%d.%m.%Y}"
    with transaction.atomic(), actor_context(actor_id(actor)):
        for entry in MenteeEntry.objects.filter(staff=staff).exclude(status=MenteeEntry.Status.LEFT):
            entry.status = MenteeEntry.Status.LEFT
            entry.left_on = max(dismissed_on, entry.created_at.date())
            entry.left_reason = MenteeEntry.LeftReason.DISMISSED
            entry.save()
        for entry in MentorEntry.objects.filter(staff=staff, is_active=True):
            entry.is_active, entry.excluded_on, entry.excluded_reason = False, dismissed_on, reason
            entry.save()
        _unpublish(staff.pk)


def mentor_training_add(
    *,
    actor,
    mentor: MentorEntry,
    title: str,
    provider: str = "",
    hours: int | None = None,
    completed_on: date | None = None,
    certificate=None,
) -> MentorTraining:
    if not (title or "").strip():
        raise ValidationError({"title": "Укажите программу обучения."})
    if hours is not None and not 1 <= hours <= 2000:
        raise ValidationError({"hours": "Укажите число часов от 1 до 2000."})
    _check_date(completed_on, field="completed_on", label="Дата окончания обучения")
    if certificate is not None:
        from institutional.services.consents import check_scan

        check_scan(certificate, field="certificate")
    with transaction.atomic(), actor_context(actor_id(actor)):
        training = MentorTraining(
            mentor=mentor,
            title=title.strip(),
            provider=(provider or "").strip(),
            hours=hours,
            completed_on=completed_on,
        )
        if certificate is not None:
            training.certificate.save(certificate.name, certificate, save=False)
        training.save()
    return training


def mentor_training_remove(*, actor, training: MentorTraining) -> None:
    with transaction.atomic(), actor_context(actor_id(actor)):
        if training.certificate:
            name = training.certificate.name
            storage = training.certificate.storage
            transaction.on_commit(lambda: storage.delete(name))
        training.delete()
