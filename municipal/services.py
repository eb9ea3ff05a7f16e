"""Write path of a municipality's structured mentor base.

Categories and verifications are public-schema rows of the municipality (`municipal.models`); they
are keyed by the bank entry's owner and id, so they survive every refresh of the bank projection.
`methodologist_add` is the one service that writes a tenant schema: the municipality's OWN schema,
where its methodologists are staff and mentors like in any organization, through the institutional
services (staff, consents, mentor bank) in one transaction. Its published row in the regional bank
is then written by the projection after the commit (`analytics.projection.mark_dirty`, called by
those services).

Every service validates everything first and writes nothing when it refuses; errors are Django
ValidationErrors keyed by field, with Russian messages that name the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from municipal.models import MentorCategory, MentorVerification
from regional.models import BankMentor
from tenants.models import Level, Organization

TITLE_MAX_LENGTH = MentorCategory._meta.get_field("title").max_length
DESCRIPTION_MAX_LENGTH = MentorCategory._meta.get_field("description").max_length
NOTE_MAX_LENGTH = MentorVerification._meta.get_field("note").max_length
TAG_MAX_LENGTH = 60
TAGS_MAX_COUNT = 30


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _check_municipality(municipality: Organization) -> None:
    if municipality is None or municipality.level != Level.MUNICIPALITY:
        name = getattr(municipality, "short_name", "")
        raise ValidationError(f"Базу наставников ведёт муниципалитет, а «{name}» — не муниципалитет.")


# --- categories --------------------------------------------------------------------------------------


def _check_category_values(
    *, municipality: Organization, title, description, instance: MentorCategory | None
) -> tuple[str, str]:
    title, description = _text(title), str(description or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Укажите название категории."
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"Название категории длиннее {TITLE_MAX_LENGTH} символов."
    else:
        same = MentorCategory.objects.filter(municipality=municipality, title__iexact=title)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["title"] = f"Категория «{title}» уже есть."
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = f"Пояснение длиннее {DESCRIPTION_MAX_LENGTH} символов."
    if errors:
        raise ValidationError(errors)
    return title, description


def category_create(*, actor, municipality: Organization, title: str, description: str = "") -> MentorCategory:
    """Add a category of mentors to the municipality's own list (titles are unique, ignoring case)."""
    _check_municipality(municipality)
    title, description = _check_category_values(
        municipality=municipality, title=title, description=description, instance=None
    )
    try:
        with transaction.atomic():
            return MentorCategory.objects.create(municipality=municipality, title=title, description=description)
    except IntegrityError as error:  # the same title added at the same moment
        raise ValidationError({"title": f"Категория «{title}» уже есть."}) from error


def category_rename(*, actor, category: MentorCategory, title: str, description: str | None = None) -> MentorCategory:
    """Change a category's title (and its description when given); mentors keep the category."""
    if description is None:
        description = category.description
    title, description = _check_category_values(
        municipality=category.municipality, title=title, description=description, instance=category
    )
    try:
        with transaction.atomic():
            category.title, category.description = title, description
            category.save(update_fields=["title", "description"])
    except IntegrityError as error:
        raise ValidationError({"title": f"Категория «{title}» уже есть."}) from error
    return category


def category_delete(*, actor, category: MentorCategory) -> int:
    """Delete a category; it is taken off every mentor it was given to. Returns how many mentors had it."""
    with transaction.atomic():
        category = MentorCategory.objects.select_for_update().get(pk=category.pk)
        mentors = category.mentors.count()
        category.delete()
    return mentors


# --- verification ------------------------------------------------------------------------------------


def normalize_tags(values) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, lower-case, without «#» and repeats."""
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    tags: list[str] = []
    for value in values or []:
        tag = _text(value).lstrip("#").strip().lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            raise ValidationError({"tags": f"Метка «{tag[:20]}…» длиннее {TAG_MAX_LENGTH} символов."})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX_COUNT:
        raise ValidationError({"tags": f"Меток больше {TAGS_MAX_COUNT}; оставьте самые нужные."})
    return tags


def _check_categories(municipality: Organization, category_ids) -> list[MentorCategory]:
    ids: list[int] = []
    for value in category_ids or []:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            raise ValidationError({"categories": f"Категория «{text[:20]}» не найдена."})
        if int(text) not in ids:
            ids.append(int(text))
    categories = list(MentorCategory.objects.filter(municipality=municipality, pk__in=ids))
    missing = sorted(set(ids) - {category.pk for category in categories})
    if missing:
        raise ValidationError(
            {
                "categories": "Категории нет в списке категорий этого муниципалитета (№ "
                + ", ".join(str(number) for number in missing)
                + ")."
            }
        )
    return categories


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        errors.setdefault(name, []).extend(messages)


def is_in_district(municipality: Organization, bank_mentor: BankMentor) -> bool:
    return bank_mentor.municipality_id == municipality.pk or bank_mentor.organization_id == municipality.pk


def mentor_verify(
    *,
    actor,
    municipality: Organization,
    bank_mentor: BankMentor,
    status: str,
    note: str = "",
    category_ids=(),
    tags=(),
) -> MentorVerification:
    """Record (or replace) the municipality's verification of one mentor of its base.

    One verification per mentor and municipality, keyed by the bank entry's owner and id. «Требует
    уточнения» needs a note saying what to clarify. Categories must be the municipality's own.
    """
    _check_municipality(municipality)
    if not is_in_district(municipality, bank_mentor):
        raise ValidationError("Этот наставник не входит в базу наставников муниципалитета.")
    errors: dict[str, list[str]] = {}
    note = str(note or "").strip()
    if status not in MentorVerification.Status.values:
        errors["status"] = ["Выберите результат проверки: «Проверен» или «Требует уточнения»."]
    elif status == MentorVerification.Status.NEEDS_CHANGES and not note:
        errors["note"] = ["Укажите в примечании, что нужно уточнить."]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [f"Примечание длиннее {NOTE_MAX_LENGTH} символов."]
    categories: list[MentorCategory] = []
    try:
        categories = _check_categories(municipality, category_ids)
    except ValidationError as error:
        _merge(errors, error)
    try:
        tags = normalize_tags(tags)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        verification, _created = MentorVerification.objects.update_or_create(
            municipality=municipality,
            organization_id=bank_mentor.organization_id,
            mentor_entry_id=bank_mentor.mentor_entry_id,
            defaults={
                "status": status,
                "note": note,
                "tags": tags,
                "verified_by": actor,
                "verified_at": timezone.now(),
            },
        )
        verification.categories.set(categories)
    return verification


# --- the municipality's own methodologists -----------------------------------------------------------


SCAN_FIELDS = {
    "personal_data": "personal_data_scan",
    "mentoring_duties": "mentoring_duties_scan",
    "publication": "publication_scan",
}
PUBLIC_VISIBILITIES = ("municipality", "region")


@dataclass(frozen=True)
class MethodologistAdded:
    """What `methodologist_add` wrote in the municipality's schema (ids there)."""

    staff_id: int
    mentor_entry_id: int
    consent_ids: tuple[int, ...]
    full_name: str


def _decimal(value, *, field: str, label: str, errors: dict) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors[field] = f"{label}: укажите число лет, например 12,5."
        return Decimal(0)
    if not number.is_finite() or number < 0 or number > 80:
        errors[field] = f"{label}: укажите число лет от 0 до 80."
        return Decimal(0)
    return number.quantize(Decimal("0.1"))


def _date(value, *, field: str, label: str, errors: dict, missing: str = "") -> date | None:
    """A date from a date or an ISO string; `missing` is the message when it is required and empty."""
    if value in (None, ""):
        if missing:
            errors[field] = missing
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = f"{label}: неверная дата (ожидается ГГГГ-ММ-ДД)."
        return None


def _staff_values(data: dict, errors: dict) -> dict:
    from institutional.models import QualificationCategory
    from institutional.services.banks import clean_list
    from institutional.services.staff import EDITABLE_FIELDS
    from tenants.validators import normalize_snils

    values = {name: data.get(name) for name in EDITABLE_FIELDS}
    for name in ("last_name", "first_name", "patronymic", "personnel_number", "position", "phone"):
        values[name] = _text(values[name])
    for name, label in (("last_name", "фамилию"), ("first_name", "имя"), ("position", "должность")):
        if not values[name]:
            errors[name] = f"Укажите {label}."
    values["snils"] = normalize_snils(values["snils"] or "")
    values["email"] = str(values["email"] or "").strip().lower()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Неверный адрес электронной почты."
    values["hire_date"] = _date(
        values["hire_date"],
        field="hire_date",
        label="Дата приёма на работу",
        errors=errors,
        missing="Укажите дату приёма на работу.",
    )
    values["birth_date"] = _date(values["birth_date"], field="birth_date", label="Дата рождения", errors=errors)
    values["total_experience_years"] = _decimal(
        values["total_experience_years"], field="total_experience_years", label="Общий стаж", errors=errors
    )
    values["pedagogical_experience_years"] = _decimal(
        values["pedagogical_experience_years"],
        field="pedagogical_experience_years",
        label="Педагогический стаж",
        errors=errors,
    )
    category = values["qualification_category"] or QualificationCategory.NONE
    if category not in QualificationCategory.values:
        errors["qualification_category"] = "Неизвестная квалификационная категория."
    values["qualification_category"] = category
    try:
        values["subjects"] = clean_list(values["subjects"], max_length=100, field="subjects")
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
        values["subjects"] = []
    return values


def _check_staff(values: dict, errors: dict) -> None:
    """The registry's own rules (runs in the municipality's schema: uniqueness is checked there)."""
    from institutional.dates import organization_today
    from institutional.models import Staff
    from institutional.staff_import import check_staff_values

    for name, message in check_staff_values(values, today=organization_today()).items():
        errors.setdefault(name, message)
    number, snils = values["personnel_number"], values["snils"]
    if number and Staff.objects.filter(personnel_number=number).exists():
        errors.setdefault("personnel_number", f"Сотрудник с табельным номером {number} уже есть в муниципалитете.")
    if snils and Staff.objects.filter(snils=snils).exists():
        errors.setdefault("snils", "Сотрудник с таким СНИЛС уже есть в муниципалитете.")
    if errors:
        return
    try:
        Staff(**values).full_clean(exclude=["user"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])


def _mentor_values(data: dict, errors: dict) -> dict:
    from institutional.models import MentorAchievement
    from institutional.selectors.regulation import rules_in_force
    from institutional.services.banks import clean_list

    values = {
        "competencies": str(data.get("competencies") or "").strip(),
        "achievements": list(dict.fromkeys(data.get("achievements") or [])),
        "achievements_details": str(data.get("achievements_details") or "").strip(),
        "visibility": data.get("visibility") or "",
    }
    if not values["competencies"]:
        errors["competencies"] = "Опишите компетенции наставника."
    unknown = [code for code in values["achievements"] if code not in MentorAchievement.values]
    if unknown:
        errors["achievements"] = f"Неизвестное достижение: {', '.join(map(str, unknown))}."
    if values["visibility"] not in PUBLIC_VISIBILITIES:
        errors["visibility"] = "Выберите, кому видна запись методиста: муниципалитету или всему региону."
    cap = rules_in_force().mentees_per_mentor_max
    capacity = data.get("capacity")
    if capacity in (None, ""):
        capacity = cap
    else:
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            capacity = 0
        if not 1 <= capacity <= cap:
            errors["capacity"] = f"Укажите число наставляемых от 1 до {cap} (предел по положению о наставничестве)."
    values["capacity"] = capacity
    for name, max_length in (("subjects", 100), ("tags", TAG_MAX_LENGTH)):
        try:
            values[name] = clean_list(data.get(name) or (), max_length=max_length, field=name)
        except ValidationError as error:
            errors.update({key: messages[0] for key, messages in error.message_dict.items()})
            values[name] = []
    return values


def _consent_values(data: dict, errors: dict) -> dict:
    from institutional.consent_texts import PUBLISHED_FIELDS
    from institutional.dates import organization_today
    from institutional.services.consents import check_scan

    values = {
        "subject_document": _text(data.get("subject_document")),
        "subject_address": _text(data.get("subject_address")),
        "published_fields": list(dict.fromkeys(data.get("published_fields") or [])),
    }
    if not values["subject_document"]:
        errors["subject_document"] = (
            "Укажите документ, удостоверяющий личность методиста (вид, серия, номер, кем и когда выдан)."
        )
    elif len(values["subject_document"]) > 500:
        errors["subject_document"] = "Сведения о документе длиннее 500 символов."
    if len(values["subject_address"]) > 500:
        errors["subject_address"] = "Адрес длиннее 500 символов."
    unknown = [field for field in values["published_fields"] if field not in PUBLISHED_FIELDS]
    if unknown:
        errors["published_fields"] = "Неизвестные публикуемые сведения: " + ", ".join(map(str, unknown)) + "."
    elif not values["published_fields"]:
        errors["published_fields"] = "Отметьте сведения, которые методист согласен опубликовать в банке наставников."
    today = organization_today()
    signed_on = _date(
        data.get("signed_on"),
        field="signed_on",
        label="Дата подписания",
        errors=errors,
        missing="Укажите дату подписания согласий.",
    )
    if signed_on is not None and signed_on > today:
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    elif signed_on is not None and signed_on < today:
        # A consent is prepared on the platform (its standard text) before it is signed, and it is
        # prepared now: the same rule as on the organization's consent pages.
        errors["signed_on"] = (
            f"Согласия оформляются на платформе сегодня ({today:%d.%m.%Y}), поэтому и подписаны они "
            "могут быть не раньше сегодняшнего дня."
        )
    values["signed_on"] = signed_on
    for field in SCAN_FIELDS.values():
        try:
            check_scan(data.get(field), field=field)
        except ValidationError as error:
            errors.update({key: messages[0] for key, messages in error.message_dict.items()})
        values[field] = data.get(field)
    return values


def methodologist_add(*, actor, municipality: Organization, data: dict) -> MethodologistAdded:
    """Add one of the municipality's own methodologists to its mentor bank (in its own schema).

    Writes, in one transaction: a staff record; the signed consents to the processing of personal
    data, to the mentoring duties and to the publication of the chosen details (each with the date
    and the scan); and a mentor bank entry visible to the municipality or to the whole region.
    Everything is checked before anything is written; a refusal writes nothing.

    `data`: the staff fields (`last_name`, `first_name`, `patronymic`, `position`, `hire_date`, …),
    `subject_document`, `subject_address`, `published_fields`, `signed_on`, the scans
    (`personal_data_scan`, `mentoring_duties_scan`, `publication_scan`) and the mentor fields
    (`competencies`, `subjects`, `achievements`, `achievements_details`, `tags`, `capacity`,
    `visibility`).
    """
    from institutional.models import ConsentKind
    from institutional.services.banks import mentor_entry_create
    from institutional.services.consents import consent_create, consent_sign
    from institutional.services.staff import staff_create

    _check_municipality(municipality)
    with tenant_context(municipality):
        errors: dict[str, str] = {}
        staff_values = _staff_values(data, errors)
        _check_staff(staff_values, errors)
        mentor_values = _mentor_values(data, errors)
        consent_values = _consent_values(data, errors)
        if errors:
            raise ValidationError(errors)
        mentor_values["subjects"] = mentor_values["subjects"] or staff_values["subjects"]
        with transaction.atomic():
            staff = staff_create(actor=actor, values=staff_values)
            consent_ids = []
            for kind, extra in (
                (
                    ConsentKind.PERSONAL_DATA,
                    {
                        "subject_document": consent_values["subject_document"],
                        "subject_address": consent_values["subject_address"],
                    },
                ),
                (ConsentKind.MENTORING_DUTIES, {}),
                (ConsentKind.PUBLICATION, {"published_fields": consent_values["published_fields"]}),
            ):
                consent = consent_create(actor=actor, kind=kind, staff=staff, organization=municipality, **extra)
                consent_sign(
                    actor=actor,
                    consent=consent,
                    signed_on=consent_values["signed_on"],
                    scan=consent_values[SCAN_FIELDS[kind]],
                )
                consent_ids.append(consent.pk)
            entry = mentor_entry_create(actor=actor, staff=staff, **mentor_values)
    return MethodologistAdded(
        staff_id=staff.pk, mentor_entry_id=entry.pk, consent_ids=tuple(consent_ids), full_name=staff.full_name
    )
