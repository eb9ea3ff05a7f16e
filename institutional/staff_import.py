"""Import of the staff registry from an HR export (XLSX or CSV): column mapping, row checks, a plan.

Runs in the tenant schema (the plan reads the organization's existing staff to decide what is
created, updated or unchanged). Nothing here writes: `institutional.services.staff.staff_import_apply`
writes a plan that has no errors, in one transaction. The same per-value rules are used by the
single-record forms (`check_staff_values`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from institutional.models import QualificationCategory, Staff
from nastavnik.spreadsheets import Table, normalize_header
from tenants.validators import normalize_snils, validate_snils

EARLIEST_DATE = date(1950, 1, 1)
# Nobody counts working years before this age (the Labour Code's minimum age of employment).
MIN_WORKING_AGE = 14
MAX_EXPERIENCE_YEARS = Decimal("80")
PREVIEW_ROWS = 300


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "ФИО", ("Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество", "Сотрудник", "Работник")),
    Column("last_name", "Фамилия"),
    Column("first_name", "Имя"),
    Column("patronymic", "Отчество"),
    Column("personnel_number", "Табельный номер", ("Таб. номер", "Табельный №", "Таб. №", "Таб номер", "Табельный")),
    Column("snils", "СНИЛС", ("Страховой номер", "Номер СНИЛС")),
    Column("position", "Должность", ("Занимаемая должность",)),
    Column("subjects", "Предметы", ("Предмет", "Преподаваемые предметы", "Учебные предметы")),
    Column("hire_date", "Дата приёма", ("Дата приёма на работу", "Дата поступления на работу", "Принят")),
    Column("dismissal_date", "Дата увольнения", ("Уволен",)),
    Column("total_experience_years", "Стаж общий", ("Общий стаж", "Стаж общий, лет", "Общий стаж, лет")),
    Column(
        "pedagogical_experience_years",
        "Стаж педагогический",
        ("Педагогический стаж", "Пед. стаж", "Педстаж", "Стаж педагогический, лет", "Педагогический стаж, лет"),
    ),
    Column("qualification_category", "Категория", ("Квалификационная категория", "Кв. категория")),
    Column("birth_date", "Дата рождения"),
    Column("phone", "Телефон", ("Тел.", "Мобильный телефон", "Контактный телефон")),
    Column("email", "E-mail", ("Email", "Электронная почта", "Эл. почта", "Почта", "Адрес электронной почты")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Fields a re-import may overwrite (the name parts come from either ФИО or the separate columns).
STAFF_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "personnel_number",
    "snils",
    "position",
    "subjects",
    "hire_date",
    "total_experience_years",
    "pedagogical_experience_years",
    "qualification_category",
    "birth_date",
    "phone",
    "email",
)


def _header_key(value: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", normalize_header(value)).split())


_ALIASES = {_header_key(name): column.key for column in COLUMNS for name in (column.title, *column.aliases)}


# --- mapping ------------------------------------------------------------------------------------


def mapping_guess(headers: list[str]) -> dict[str, int]:
    """Known columns recognised by their Russian header: {column key: index in the file}."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _ALIASES.get(_header_key(header))
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def mapping_errors(mapping: dict[str, int], headers: list[str]) -> list[str]:
    """What is wrong with a mapping, in Russian (an empty list when it can be used)."""
    problems = []
    for key, index in mapping.items():
        if key not in COLUMN_BY_KEY:
            problems.append(f"Неизвестное поле «{key}».")
        elif not 0 <= index < len(headers):
            problems.append(f"Для поля «{COLUMN_BY_KEY[key].title}» выбран столбец, которого нет в файле.")
    used: dict[int, str] = {}
    for key, index in mapping.items():
        if index in used and key in COLUMN_BY_KEY:
            problems.append(
                f"Столбец «{headers[index]}» выбран и для поля «{COLUMN_BY_KEY[used[index]].title}», "
                f"и для поля «{COLUMN_BY_KEY[key].title}»."
            )
        used[index] = key
    if "full_name" not in mapping and not {"last_name", "first_name"} <= mapping.keys():
        problems.append("Не выбран столбец с ФИО (или столбцы «Фамилия» и «Имя»).")
    if "full_name" in mapping and {"last_name", "first_name", "patronymic"} & mapping.keys():
        problems.append(
            "Выберите либо столбец «ФИО», либо отдельные столбцы «Фамилия», «Имя», «Отчество», но не всё сразу."
        )
    for key in ("position", "hire_date"):
        if key not in mapping:
            problems.append(f"Не выбран обязательный столбец «{COLUMN_BY_KEY[key].title}».")
    if "personnel_number" not in mapping and "snils" not in mapping:
        problems.append(
            "Не выбран ни столбец «Табельный номер», ни столбец «СНИЛС»: без них сотрудника нельзя узнать при повторной загрузке."
        )
    return problems


# --- values -------------------------------------------------------------------------------------

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y")
_CATEGORY_WORDS = {
    "": QualificationCategory.NONE,
    "-": QualificationCategory.NONE,
    "—": QualificationCategory.NONE,
    "нет": QualificationCategory.NONE,
    "без категории": QualificationCategory.NONE,
    "соответствие": QualificationCategory.CONFORMITY,
    "сзд": QualificationCategory.CONFORMITY,
    "1": QualificationCategory.FIRST,
    "первая категория": QualificationCategory.FIRST,
    "высшая категория": QualificationCategory.HIGHEST,
    "методист": QualificationCategory.METHODIST,
    "наставник": QualificationCategory.MENTOR,
}
for _choice in QualificationCategory:
    _CATEGORY_WORDS[normalize_header(_choice.label)] = _choice
    _CATEGORY_WORDS[_choice.value] = _choice


def parse_date(text: str) -> date:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+", text):
        text = text[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"«{text}» — не дата; укажите дату в виде ДД.ММ.ГГГГ")


def parse_years(text: str) -> Decimal:
    cleaned = text.strip().replace(",", ".").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"«{text}» — не число лет; укажите число, например 5 или 12,5") from error
    if not value.is_finite() or value < 0:
        raise ValueError(f"«{text}» — стаж не может быть отрицательным")
    if value > MAX_EXPERIENCE_YEARS:
        raise ValueError(f"«{text}» — слишком большой стаж")
    return value.quantize(Decimal("0.1"))


def parse_category(text: str) -> str:
    word = normalize_header(text)
    if word in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[word].value
    allowed = ", ".join(f"«{choice.label}»" for choice in QualificationCategory)
    raise ValueError(f"неизвестная категория «{text}»; допустимы: {allowed}")


def parse_subjects(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]


def years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def check_date(value: date | None, *, today: date, label: str) -> str | None:
    if value is None:
        return None
    if value > today:
        return f"{label} {value:%d.%m.%Y} — в будущем."
    if value < EARLIEST_DATE:
        return f"{label} {value:%d.%m.%Y} — раньше 1950 года; проверьте год."
    return None


def check_staff_values(values: dict, *, today: date) -> dict[str, str]:
    """Rules over one person's values: {field: Russian message}. Used by the import and the forms."""
    errors: dict[str, str] = {}
    for name, label in (
        ("hire_date", "Дата приёма"),
        ("birth_date", "Дата рождения"),
        ("dismissal_date", "Дата увольнения"),
    ):
        message = check_date(values.get(name), today=today, label=label)
        if message:
            errors[name] = message
    birth, hire = values.get("birth_date"), values.get("hire_date")
    if (
        birth
        and hire
        and not {"birth_date", "hire_date"} & errors.keys()
        and years_between(birth, hire) < MIN_WORKING_AGE
    ):
        errors["hire_date"] = f"Дата приёма {hire:%d.%m.%Y}: сотруднику тогда не было {MIN_WORKING_AGE} лет."
    dismissal = values.get("dismissal_date")
    if dismissal and hire and dismissal < hire and "dismissal_date" not in errors:
        errors["dismissal_date"] = f"Дата увольнения {dismissal:%d.%m.%Y} раньше даты приёма {hire:%d.%m.%Y}."
    total = values.get("total_experience_years")
    pedagogical = values.get("pedagogical_experience_years")
    if total is not None and pedagogical is not None and pedagogical > total:
        errors["pedagogical_experience_years"] = f"Педагогический стаж ({pedagogical}) больше общего ({total})."
    if birth and "birth_date" not in errors:
        allowed = max(years_between(birth, today) - MIN_WORKING_AGE, 0)
        longest = max(value for value in (total, pedagogical, Decimal(0)) if value is not None)
        if longest > allowed:
            name = (
                "total_experience_years" if total is not None and total == longest else "pedagogical_experience_years"
            )
            errors.setdefault(
                name,
                f"Стаж {longest} лет больше, чем позволяет возраст: сотруднику {years_between(birth, today)} лет, "
                f"а стаж считается не раньше чем с {MIN_WORKING_AGE} лет (не более {allowed}).",
            )
    return errors


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class PlannedRow:
    line: int
    action: str  # "create" | "update" | "unchanged"
    values: dict
    staff: Staff | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        parts = (self.values.get("last_name"), self.values.get("first_name"), self.values.get("patronymic"))
        if self.staff is not None and not parts[0]:
            return self.staff.full_name
        return " ".join(part for part in parts if part)

    @property
    def action_display(self) -> str:
        return {"create": "будет добавлен", "update": "будет обновлён", "unchanged": "без изменений"}[self.action]


@dataclass
class ImportPlan:
    mapping: dict[str, int]
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def preview(self) -> list[PlannedRow]:
        changing = [row for row in self.rows if row.action != "unchanged"]
        return changing[:PREVIEW_ROWS]


def _parse_row(
    line: int, cells: list[str], mapping: dict[str, int], today: date, errors: list[RowError]
) -> dict | None:
    """One row's values, keyed by Staff field (only the mapped ones); None when it has errors."""
    values: dict = {}
    row_errors: list[RowError] = []

    def cell(key: str) -> str:
        return cells[mapping[key]].strip() if key in mapping else ""

    def fail(key: str, message: str) -> None:
        row_errors.append(RowError(line, COLUMN_BY_KEY[key].title, message))

    if "full_name" in mapping:
        parts = cell("full_name").split()
        if len(parts) < 2:
            fail("full_name", "Укажите фамилию и имя (и отчество, если есть).")
        else:
            values["last_name"], values["first_name"] = parts[0], parts[1]
            values["patronymic"] = " ".join(parts[2:])
    else:
        for key, label in (("last_name", "фамилию"), ("first_name", "имя")):
            if not cell(key):
                fail(key, f"Укажите {label}.")
            values[key] = cell(key)
        if "patronymic" in mapping:
            values["patronymic"] = cell("patronymic")
    for key in ("last_name", "first_name", "patronymic"):
        if len(values.get(key, "")) > 150:
            fail("full_name" if "full_name" in mapping else key, "Слишком длинное значение (больше 150 знаков).")

    if "personnel_number" in mapping:
        number = cell("personnel_number")
        if len(number) > 32:
            fail("personnel_number", "Табельный номер длиннее 32 знаков.")
        values["personnel_number"] = number
    if "snils" in mapping:
        snils = cell("snils")
        try:
            validate_snils(snils)
        except ValidationError as error:
            fail("snils", error.messages[0])
        values["snils"] = normalize_snils(snils)
    if not values.get("personnel_number") and not values.get("snils"):
        key = "personnel_number" if "personnel_number" in mapping else "snils"
        fail(key, "Нужен табельный номер или СНИЛС: по ним сотрудник узнаётся при повторной загрузке.")

    if "position" in mapping:
        if not cell("position"):
            fail("position", "Укажите должность.")
        elif len(cell("position")) > 200:
            fail("position", "Должность длиннее 200 знаков.")
        values["position"] = cell("position")
    if "subjects" in mapping:
        subjects = parse_subjects(cell("subjects"))
        if any(len(subject) > 100 for subject in subjects):
            fail("subjects", "Название предмета длиннее 100 знаков.")
        values["subjects"] = subjects

    for key in ("hire_date", "birth_date", "dismissal_date"):
        if key not in mapping:
            continue
        if not cell(key):
            if key == "hire_date":
                fail(key, "Укажите дату приёма на работу.")
            values[key] = None
            continue
        try:
            values[key] = parse_date(cell(key))
        except ValueError as error:
            fail(key, f"{error}.")
    for key in ("total_experience_years", "pedagogical_experience_years"):
        if key in mapping:
            try:
                values[key] = parse_years(cell(key)) if cell(key) else Decimal("0.0")
            except ValueError as error:
                fail(key, f"{error}.")
    if "qualification_category" in mapping:
        try:
            values["qualification_category"] = parse_category(cell("qualification_category"))
        except ValueError as error:
            fail("qualification_category", f"{str(error)[:1].upper()}{str(error)[1:]}.")
    if "phone" in mapping:
        if len(cell("phone")) > 32:
            fail("phone", "Телефон длиннее 32 знаков.")
        values["phone"] = cell("phone")
    if "email" in mapping:
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("email", f"«{cell('email')}» — не адрес электронной почты.")
        values["email"] = email

    if not row_errors:
        for key, message in check_staff_values(values, today=today).items():
            row_errors.append(RowError(line, COLUMN_BY_KEY[key].title, message))
    errors.extend(row_errors)
    return None if row_errors else values


def plan_build(table: Table, mapping: dict[str, int], *, today: date, members_by_email: dict[str, int]) -> ImportPlan:
    """Check every row and decide, against the existing staff, what the import would do.

    `members_by_email` maps the e-mail of each member of the organization to the user id, for linking.
    """
    plan = ImportPlan(mapping=dict(mapping))
    for problem in mapping_errors(mapping, table.headers):
        plan.errors.append(RowError(1, "", problem))
    if plan.errors:
        return plan
    if not table.rows:
        plan.errors.append(RowError(1, "", "В файле нет ни одной строки с данными, только заголовок."))
        return plan

    parsed: list[tuple[int, dict]] = []
    seen_numbers: dict[str, int] = {}
    seen_snils: dict[str, int] = {}
    for line, cells in table.rows:
        values = _parse_row(line, cells, mapping, today, plan.errors)
        if values is None:
            continue
        number, snils = values.get("personnel_number"), values.get("snils")
        duplicate = False
        if number:
            if number in seen_numbers:
                plan.errors.append(
                    RowError(
                        line,
                        "Табельный номер",
                        f"Табельный номер {number} повторяется: он уже есть в строке {seen_numbers[number]}.",
                    )
                )
                duplicate = True
            else:
                seen_numbers[number] = line
        if snils:
            if snils in seen_snils:
                plan.errors.append(
                    RowError(line, "СНИЛС", f"СНИЛС {snils} повторяется: он уже есть в строке {seen_snils[snils]}.")
                )
                duplicate = True
            else:
                seen_snils[snils] = line
        if not duplicate:
            parsed.append((line, values))

    existing = list(Staff.objects.all())
    by_number = {staff.personnel_number: staff for staff in existing if staff.personnel_number}
    by_snils = {staff.snils: staff for staff in existing if staff.snils}
    linked_users = {staff.user_id for staff in existing if staff.user_id}
    matched: dict[int, int] = {}
    for line, values in parsed:
        number, snils = values.get("personnel_number", ""), values.get("snils", "")
        staff = by_snils.get(snils) if snils else None
        if staff is None and number:
            candidate = by_number.get(number)
            if candidate is not None and candidate.snils and snils and candidate.snils != snils:
                plan.errors.append(
                    RowError(
                        line,
                        "Табельный номер",
                        f"Табельный номер {number} уже принадлежит другому сотруднику ({candidate.short_name}) с другим СНИЛС.",
                    )
                )
                continue
            staff = candidate
        if staff is not None and number and number != staff.personnel_number and number in by_number:
            plan.errors.append(
                RowError(
                    line,
                    "Табельный номер",
                    f"Табельный номер {number} уже принадлежит другому сотруднику ({by_number[number].short_name}).",
                )
            )
            continue
        if staff is not None and staff.pk in matched:
            plan.errors.append(
                RowError(
                    line,
                    "",
                    f"Строка относится к тому же сотруднику ({staff.short_name}), что и строка {matched[staff.pk]}.",
                )
            )
            continue
        if staff is None:
            if "total_experience_years" not in values and "pedagogical_experience_years" in values:
                values["total_experience_years"] = values["pedagogical_experience_years"]
            user_id = members_by_email.get(values.get("email") or "")
            if user_id and user_id not in linked_users:
                values["user_id"] = user_id
                linked_users.add(user_id)
            plan.rows.append(PlannedRow(line=line, action="create", values=values))
            continue
        matched[staff.pk] = line
        if "pedagogical_experience_years" in values and "total_experience_years" not in values:
            values["total_experience_years"] = max(staff.total_experience_years, values["pedagogical_experience_years"])
        if staff.user_id is None:
            user_id = members_by_email.get(values.get("email") or staff.email or "")
            if user_id and user_id not in linked_users:
                values["user_id"] = user_id
                linked_users.add(user_id)
        combined = {
            name: values.get(name, getattr(staff, name))
            for name in ("birth_date", "hire_date", "total_experience_years", "pedagogical_experience_years")
        }
        combined["dismissal_date"] = values.get("dismissal_date", staff.dismissal_date)
        problems = check_staff_values(combined, today=today)
        if problems:
            for name, message in problems.items():
                plan.errors.append(RowError(line, COLUMN_BY_KEY[name].title, message))
            continue
        changed = [name for name, value in values.items() if name != "dismissal_date" and getattr(staff, name) != value]
        if "dismissal_date" in values and values["dismissal_date"] != staff.dismissal_date:
            changed.append("dismissal_date")
        plan.rows.append(
            PlannedRow(
                line=line, action="update" if changed else "unchanged", values=values, staff=staff, changed=changed
            )
        )
    plan.errors.sort(key=lambda error: error.line)
    return plan
