"""Test helpers of the staff area: records through the services, HR files as CSV or XLSX bytes."""

from __future__ import annotations

from datetime import date

from institutional.services.staff import staff_create
from nastavnik.xlsx import workbook_bytes
from tenants.validators import snils_check_digits

HEADERS = [
    "ФИО",
    "Табельный номер",
    "СНИЛС",
    "Должность",
    "Дата приёма",
    "Стаж общий",
    "Стаж педагогический",
    "Категория",
    "Предметы",
    "Дата рождения",
    "Телефон",
    "E-mail",
]


def snils(number: int) -> str:
    prefix = f"{100_000_000 + number:09d}"
    return prefix + snils_check_digits(prefix)


def hr_row(number: int, **overrides) -> dict:
    row = {
        "ФИО": f"Иванова{number} Анна Петровна",
        "Табельный номер": f"T{number:05d}",
        "СНИЛС": "",
        "Должность": "Учитель математики",
        "Дата приёма": "01.09.2020",
        "Стаж общий": "6",
        "Стаж педагогический": "5,5",
        "Категория": "первая",
        "Предметы": "Математика, Информатика",
        "Дата рождения": "15.03.1990",
        "Телефон": "+7 900 000-00-00",
        "E-mail": "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    lines = [";".join(headers)] + [";".join(str(row.get(h, "")) for h in headers) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    return workbook_bytes([("Лист1", headers, [[row.get(h, "") for h in headers] for row in rows])])


def make_staff(**overrides):
    values = {
        "last_name": "Петрова",
        "first_name": "Ольга",
        "patronymic": "Сергеевна",
        "position": "Учитель русского языка",
        "hire_date": date(2015, 9, 1),
        "total_experience_years": 10,
        "pedagogical_experience_years": 10,
    }
    values.update(overrides)
    return staff_create(actor=None, values=values)
