"""Import of the staff registry from HR files: every row checked first, nothing written on error,
re-import updates by the stable key, members linked by e-mail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from institutional.models import Staff
from institutional.services.staff import staff_import_apply, staff_import_plan
from institutional.staff_import import check_staff_values, mapping_guess
from institutional.tests.staff_factories import HEADERS, csv_bytes, hr_row, make_staff, snils, xlsx_bytes
from nastavnik.spreadsheets import MAX_ROWS

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Staff.objects.values_list("personnel_number", "snils", "last_name", "position", "status"))


def apply(content: bytes, filename="staff.csv", mapping=None, actor=None):
    return staff_import_apply(actor=actor, content=content, filename=filename, mapping=mapping)


def messages(plan) -> str:
    return " | ".join(f"{e.line}:{e.column}:{e.message}" for e in plan.errors)


def test_a_valid_csv_creates_every_row_with_parsed_values(in_school_a):
    plan, result = apply(csv_bytes([hr_row(1), hr_row(2, **{"СНИЛС": snils(2), "Категория": "высшая"})]))

    assert plan.is_valid, messages(plan)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = Staff.objects.get(personnel_number="T00001")
    assert (first.last_name, first.first_name, first.patronymic) == ("Иванова1", "Анна", "Петровна")
    assert first.hire_date == date(2020, 9, 1)
    assert first.pedagogical_experience_years == Decimal("5.5")
    assert first.subjects == ["Математика", "Информатика"]
    assert first.qualification_category == "first"
    assert Staff.objects.get(personnel_number="T00002").snils == snils(2)


def test_an_xlsx_file_with_real_dates_is_read_too(in_school_a):
    plan, _result = apply(xlsx_bytes([hr_row(1, **{"Дата приёма": date(2021, 1, 11)})]), filename="hr.xlsx")

    assert plan.is_valid, messages(plan)
    assert Staff.objects.get().hire_date == date(2021, 1, 11)


def test_reimport_updates_by_personnel_number_instead_of_duplicating(in_school_a):
    apply(csv_bytes([hr_row(1), hr_row(2)]))

    _plan, result = apply(csv_bytes([hr_row(1, **{"Должность": "Заместитель директора"}), hr_row(2), hr_row(3)]))

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Staff.objects.count() == 3
    assert Staff.objects.get(personnel_number="T00001").position == "Заместитель директора"


def test_reimport_matches_by_snils_when_present_even_if_the_personnel_number_changed(in_school_a):
    apply(csv_bytes([hr_row(1, **{"СНИЛС": snils(1)})]))

    plan, result = apply(csv_bytes([hr_row(1, **{"СНИЛС": snils(1), "Табельный номер": "NEW-1"})]))

    assert plan.is_valid, messages(plan)
    assert result.updated == 1
    assert list(Staff.objects.values_list("personnel_number", flat=True)) == ["NEW-1"]


def test_the_same_file_twice_changes_nothing(in_school_a):
    content = csv_bytes([hr_row(1), hr_row(2)])
    apply(content)
    before = list(Staff.objects.values_list("id", "updated_at"))

    _, result = apply(content)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Staff.objects.values_list("id", "updated_at")) == before


def test_columns_absent_from_the_file_are_kept_on_reimport(in_school_a):
    apply(csv_bytes([hr_row(1)]))
    headers = ["ФИО", "Табельный номер", "Должность", "Дата приёма"]

    apply(csv_bytes([hr_row(1, **{"Должность": "Методист"})], headers=headers))

    staff = Staff.objects.get()
    assert staff.position == "Методист"
    assert staff.subjects == ["Математика", "Информатика"]
    assert staff.phone == "+7 900 000-00-00"


def test_a_dismissal_date_in_the_file_dismisses_the_person(in_school_a):
    headers = [*HEADERS, "Дата увольнения"]
    apply(csv_bytes([hr_row(1)], headers=headers))

    apply(csv_bytes([hr_row(1, **{"Дата увольнения": "01.02.2024"})], headers=headers))

    staff = Staff.objects.get()
    assert (staff.status, staff.dismissal_date) == (Staff.Status.DISMISSED, date(2024, 2, 1))


def test_a_person_dismissed_by_the_file_leaves_the_banks(in_school_a):
    from institutional.models import MentorEntry
    from institutional.services.banks import mentor_entry_create

    headers = [*HEADERS, "Дата увольнения"]
    apply(csv_bytes([hr_row(1)], headers=headers))
    entry = mentor_entry_create(actor=None, staff=Staff.objects.get(), competencies="Методика")

    apply(csv_bytes([hr_row(1, **{"Дата увольнения": "01.02.2025"})], headers=headers))

    entry = MentorEntry.objects.get(pk=entry.pk)
    assert not entry.is_active
    assert entry.excluded_reason == "Увольнение 01.02.2025"


def test_a_member_with_the_same_email_is_linked(world, in_school_a):
    apply(csv_bytes([hr_row(1, **{"E-mail": "TEACHER-A@test.test"}), hr_row(2, **{"E-mail": "outsider@test.test"})]))

    assert Staff.objects.get(personnel_number="T00001").user_id == world.teacher_a.pk
    # not a member of this organization
    assert Staff.objects.get(personnel_number="T00002").user_id is None


def test_separate_name_columns_and_a_custom_mapping_work(in_school_a):
    headers = ["Сотр.", "Имя", "Отч.", "Номер", "Пост", "Принят на работу"]
    content = ";".join(headers).encode() + "\nСидорова;Нина;Павловна;77;Учитель;02.09.2019\n".encode()
    mapping = {"last_name": 0, "first_name": 1, "patronymic": 2, "personnel_number": 3, "position": 4, "hire_date": 5}

    plan, _result = apply(content, mapping=mapping)

    assert plan.is_valid, messages(plan)
    assert Staff.objects.get().full_name == "Сидорова Нина Павловна"


def test_russian_headers_are_recognised_with_variants():
    mapping = mapping_guess(["Ф.И.О.", "Таб. №", "Дата приема на работу", "Педагогический стаж", "Email", "Что-то ещё"])

    assert mapping == {
        "full_name": 0,
        "personnel_number": 1,
        "hire_date": 2,
        "pedagogical_experience_years": 3,
        "email": 4,
    }


# --- bad input: a clear report and nothing written ------------------------------------------------


@pytest.fixture
def existing(in_school_a):
    apply(csv_bytes([hr_row(900)]))
    return snapshot()


BAD_FILES = {
    "empty file": (b"", "Файл пуст"),
    "header only": (";".join(HEADERS).encode(), "нет ни одной строки"),
    "not a spreadsheet": (b"\x00\x01\x02PK-garbage\x00\xff" * 50, "не похож на таблицу"),
    "missing columns": ("Фамилия;Должность\nИванова;Учитель\n".encode(), "Не выбран"),
    "wrong columns": ("Колонка1;Колонка2\n1;2\n".encode(), "Не выбран столбец с ФИО"),
    "duplicate personnel number": (csv_bytes([hr_row(1), hr_row(1)]), "повторяется"),
    "duplicate snils": (
        csv_bytes([hr_row(1, **{"СНИЛС": snils(5)}), hr_row(2, **{"СНИЛС": snils(5)})]),
        "СНИЛС",
    ),
    "bad snils": (csv_bytes([hr_row(1, **{"СНИЛС": "123-456-789 00"})]), "контрольного числа"),
    "hire date in the future": (
        csv_bytes([hr_row(1, **{"Дата приёма": (date.today() + timedelta(days=40)).strftime("%d.%m.%Y")})]),
        "в будущем",
    ),
    "birth date before 1950": (csv_bytes([hr_row(1, **{"Дата рождения": "01.01.1949"})]), "раньше 1950"),
    "not a date": (csv_bytes([hr_row(1, **{"Дата приёма": "сентябрь"})]), "не дата"),
    "experience longer than age allows": (
        csv_bytes([hr_row(1, **{"Дата рождения": "01.01.2000", "Стаж общий": "20", "Стаж педагогический": "5"})]),
        "позволяет возраст",
    ),
    "pedagogical longer than total": (
        csv_bytes([hr_row(1, **{"Стаж общий": "2", "Стаж педагогический": "5"})]),
        "больше общего",
    ),
    "unknown category": (csv_bytes([hr_row(1, **{"Категория": "золотая"})]), "неизвестная категория"),
    "no key": (csv_bytes([hr_row(1, **{"Табельный номер": ""})]), "табельный номер или СНИЛС"),
    "name of one word": (csv_bytes([hr_row(1, **{"ФИО": "Иванова"})]), "фамилию и имя"),
    "bad email": (csv_bytes([hr_row(1, **{"E-mail": "not-an-address"})]), "электронной почты"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_reported_and_nothing_is_written(existing, case):
    content, expected = BAD_FILES[case]
    # one good row next to the bad one: it must not be written either
    if content.startswith("ФИО".encode()) and b"\n" in content:
        content = content + csv_bytes([hr_row(777)]).split(b"\n", 1)[1]

    plan, result = apply(content)

    assert result is None
    assert not plan.is_valid
    assert expected.lower() in messages(plan).lower()
    assert snapshot() == existing


def test_errors_name_the_line_and_the_column(in_school_a):
    plan, _ = apply(csv_bytes([hr_row(1), hr_row(2, **{"Дата приёма": "31.02.2020"}), hr_row(3, **{"Должность": ""})]))

    assert [(e.line, e.column) for e in plan.errors] == [(3, "Дата приёма"), (4, "Должность")]


def test_a_file_over_the_row_limit_is_refused_without_writing(existing):
    header = ";".join(HEADERS)
    line = ";".join(hr_row(1).values())
    content = (header + "\n" + "\n".join([line] * (MAX_ROWS + 1))).encode()

    plan, result = apply(content)

    assert result is None
    assert str(MAX_ROWS) in messages(plan)
    assert snapshot() == existing


def test_a_personnel_number_of_another_person_is_refused(in_school_a):
    apply(csv_bytes([hr_row(1, **{"СНИЛС": snils(1)}), hr_row(2, **{"СНИЛС": snils(2)})]))

    plan, result = apply(csv_bytes([hr_row(1, **{"СНИЛС": snils(1), "Табельный номер": "T00002"})]))

    assert result is None
    assert "принадлежит другому сотруднику" in messages(plan)


def test_the_plan_alone_writes_nothing(in_school_a):
    plan = staff_import_plan(content=csv_bytes([hr_row(1)]), filename="a.csv")

    assert plan.created == 1
    assert Staff.objects.count() == 0


def test_experience_rule_uses_the_existing_birth_date_on_update(in_school_a):
    make_staff(
        personnel_number="T00001", birth_date=date(2000, 1, 1), total_experience_years=1, pedagogical_experience_years=1
    )
    headers = ["ФИО", "Табельный номер", "Должность", "Дата приёма", "Стаж общий"]

    plan, result = apply(csv_bytes([hr_row(1, **{"Стаж общий": "30"})], headers=headers))

    assert result is None
    assert "позволяет возраст" in messages(plan)


def test_check_staff_values_accepts_a_consistent_person():
    values = {
        "birth_date": date(1980, 5, 1),
        "hire_date": date(2005, 9, 1),
        "total_experience_years": Decimal(20),
        "pedagogical_experience_years": Decimal(19),
    }
    assert check_staff_values(values, today=date(2026, 1, 1)) == {}
