"""Data and browser helpers for test_organization_setup: the HR spreadsheet, a scan, other users' sessions.

Nothing here touches the database: the spreadsheet and the scan are files a curator would have on
disk, and every other person (the director, the mentee) works in a browser context of their own.
"""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from playwright.sync_api import Browser, Locator, Page, expect

from fixtures.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_email
from tenants.validators import snils_check_digits
from tests.e2e.conftest import _screenshot

SCHOOL = "kamyshin-school-5"
# The demo region's time zone (seed_demo); the school inherits it, and its «today» decides which
# dates the pages accept (orders and signatures may not be in the future).
TIME_ZONE = "Europe/Volgograd"


def school_today() -> date:
    return datetime.now(zoneinfo.ZoneInfo(TIME_ZONE)).date()


def ru(day: date) -> str:
    """A date as the pages print it."""
    return f"{day:%d.%m.%Y}"


def iso(day: date) -> str:
    """A date as an <input type=date> takes it."""
    return day.isoformat()


def demo_full_name(local: str) -> str:
    """«Фамилия Имя Отчество» of a named demo login (fixtures.demo.DEMO_LOGINS)."""
    for name, _role, _code, last, first, middle in DEMO_LOGINS:
        if name == local:
            return f"{last} {first} {middle}"
    raise KeyError(local)


# --- the HR spreadsheet ------------------------------------------------------------------------


def snils(prefix: str) -> str:
    """A valid SNILS from nine digits, written as HR programs print it: 123-456-789 01."""
    return f"{prefix[:3]}-{prefix[3:6]}-{prefix[6:9]} {snils_check_digits(prefix)}"


@dataclass(frozen=True)
class StaffRow:
    personnel_number: str
    full_name: str
    snils: str
    birth_date: date
    position: str
    subjects: str
    hire_date: date
    total_years: float
    pedagogical_years: float
    category: str
    phone: str
    email: str
    note: str = ""


# Headers as a Russian HR program exports them; the import recognises each by its aliases, and
# «Примечание» is a column the import has no field for.
HEADERS = [
    "Таб. №",
    "Ф.И.О.",
    "СНИЛС",
    "Дата рождения",
    "Занимаемая должность",
    "Преподаваемые предметы",
    "Дата приёма на работу",
    "Общий стаж, лет",
    "Педагогический стаж, лет",
    "Кв. категория",
    "Контактный телефон",
    "Эл. почта",
    "Примечание",
]
UNMAPPED_HEADER = "Примечание"


def staff_rows(today: date) -> list[StaffRow]:
    """Twelve pedagogical workers of school No. 5; five of them are the demo logins, linked by e-mail."""

    def row(number, name, prefix, birth, position, subjects, hired, total, pedagogical, category, phone, email=""):
        return StaffRow(
            personnel_number=number,
            full_name=name,
            snils=snils(prefix),
            birth_date=birth,
            position=position,
            subjects=subjects,
            hire_date=hired,
            total_years=total,
            pedagogical_years=pedagogical,
            category=category,
            phone=phone,
            email=email,
        )

    # The mentee is a young teacher hired this autumn; the date follows the calendar so the row
    # never lies in the future and he stays a newcomer who needs a mentor.
    mentee_hired = today - timedelta(days=80)
    return [
        row(
            "000017",
            demo_full_name("director"),
            "132458701",
            date(1971, 3, 14),
            "Директор",
            "История",
            date(2004, 8, 30),
            32.0,
            31.0,
            "Высшая",
            "+7 (84457) 4-12-05",
            demo_email("director"),
        ),
        row(
            "000031",
            demo_full_name("curator"),
            "141567812",
            date(1978, 6, 2),
            "Заместитель директора по учебно-воспитательной работе",
            "Математика",
            date(2009, 9, 1),
            25.0,
            24.0,
            "Высшая",
            "+7 (904) 771-23-40",
            demo_email("curator"),
        ),
        row(
            "000044",
            demo_full_name("mentor"),
            "150676923",
            date(1975, 11, 21),
            "Учитель русского языка и литературы",
            "Русский язык; Литература",
            date(1998, 8, 25),
            28.0,
            28.0,
            "Высшая",
            "+7 (917) 334-56-12",
            demo_email("mentor"),
        ),
        row(
            "000158",
            demo_full_name("mentee"),
            "169785034",
            date(2002, 4, 17),
            "Учитель математики",
            "Математика, Информатика",
            mentee_hired,
            0.2,
            0.2,
            "Без категории",
            "+7 (961) 080-44-19",
            demo_email("mentee"),
        ),
        row(
            "000073",
            demo_full_name("teacher"),
            "178894145",
            date(1988, 1, 9),
            "Учитель начальных классов",
            "Начальные классы",
            date(2013, 8, 26),
            13.5,
            12.5,
            "Первая",
            "+7 (927) 512-08-77",
            demo_email("teacher"),
        ),
        row(
            "000052",
            "Кузнецова Ирина Владимировна",
            "187903256",
            date(1983, 7, 30),
            "Учитель английского языка",
            "Английский язык",
            date(2006, 9, 1),
            19.0,
            19.0,
            "Первая",
            "+7 (903) 468-91-30",
        ),
        row(
            "000089",
            "Попов Дмитрий Александрович",
            "196012367",
            date(1990, 2, 11),
            "Учитель физической культуры",
            "Физическая культура",
            date(2015, 8, 31),
            11.0,
            11.0,
            "Соответствие занимаемой должности",
            "+7 (937) 205-66-81",
        ),
        row(
            "000008",
            "Соколова Марина Викторовна",
            "205121478",
            date(1969, 10, 5),
            "Учитель биологии и химии",
            "Биология; Химия",
            date(1993, 8, 26),
            33.0,
            33.0,
            "Высшая",
            "+7 (902) 650-17-29",
        ),
        row(
            "000121",
            "Морозова Светлана Николаевна",
            "214230589",
            date(1980, 12, 19),
            "Учитель физики",
            "Физика; Астрономия",
            date(2020, 9, 1),
            21.0,
            15.0,
            "Первая",
            "+7 (988) 491-72-03",
        ),
        row(
            "000134",
            "Васильева Ольга Андреевна",
            "223349691",
            date(1999, 5, 23),
            "Учитель начальных классов",
            "Начальные классы",
            date(2022, 8, 29),
            4.2,
            4.2,
            "Без категории",
            "+7 (961) 327-55-48",
        ),
        row(
            "000147",
            "Новикова Юлия Сергеевна",
            "232458702",
            date(2001, 9, 7),
            "Учитель истории и обществознания",
            "История; Обществознание",
            date(2024, 8, 26),
            2.2,
            2.2,
            "Без категории",
            "+7 (904) 118-30-62",
        ),
        row(
            "000102",
            "Лебедев Артём Игоревич",
            "241567813",
            date(1994, 3, 28),
            "Педагог дополнительного образования",
            "Робототехника",
            date(2019, 9, 2),
            8.0,
            7.0,
            "Первая",
            "+7 (937) 640-29-15",
        ),
    ]


def staff_xlsx(rows: list[StaffRow]) -> bytes:
    """The rows as an XLSX «выгрузка»: real date cells, numbers for the years, text for numbers-as-codes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Сотрудники"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.personnel_number,
                row.full_name,
                row.snils,
                row.birth_date,
                row.position,
                row.subjects,
                row.hire_date,
                row.total_years,
                row.pedagogical_years,
                row.category,
                row.phone,
                row.email,
                row.note,
            ]
        )
    for column in ("D", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- a signed scan ---------------------------------------------------------------------------------


def pdf_scan(path: Path) -> Path:
    """A tiny but well-formed one-page PDF, standing in for the scan of a signed paper."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(body)
    return path


# --- browser helpers -------------------------------------------------------------------------------


Shot = Callable[[Page, str], None]


def shots_of(node: pytest.Item) -> Shot:
    """Numbered screenshots of any page (another user's too), in the same series as the `shot` fixture."""
    return lambda page, step: _screenshot(page, node, step)


def sign_in_as(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()


@contextmanager
def signed_in(browser: Browser, platform, email: str, shot: Shot) -> Iterator[Page]:
    """A separate browser context (its own cookies) signed in as `email` on the school's host."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(platform.url(SCHOOL, "/accounts/login/"))
        sign_in_as(page, email)
        expect(page).to_have_url(platform.url(SCHOOL, "/"))
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        yield page
    except BaseException:
        shot(page, f"FAILED-{email.split('@')[0]}")
        raise
    finally:
        context.close()


def nav(page: Page, name: str) -> None:
    """Follow a link of the organization's section navigation."""
    page.get_by_test_id("section-nav").get_by_role("link", name=name, exact=True).click()


def download(page: Page, trigger: Locator) -> tuple[str, bytes]:
    """Click something that downloads a file; return the file's suggested name and its bytes."""
    with page.expect_download() as info:
        trigger.click()
    file = info.value
    failure = file.failure()
    if failure:
        raise AssertionError(f"download of {file.url} failed: {failure}")
    return file.suggested_filename, Path(file.path()).read_bytes()


# --- helpers for test_pairs_programs (another school: the demo gymnasium at «banks ready») ----------


@contextmanager
def signed_in_at(browser: Browser, platform, code: str, email: str, shot: Shot) -> Iterator[Page]:
    """Like `signed_in`, on the host of organization `code`."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(platform.url(code, "/accounts/login/"))
        sign_in_as(page, email)
        expect(page).to_have_url(platform.url(code, "/"))
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        yield page
    except BaseException:
        shot(page, f"FAILED-{email.split('@')[0]}")
        raise
    finally:
        context.close()


def signed_in_name(page: Page) -> str:
    """«Фамилия Имя Отчество» of the person signed in on `page` (from the user menu)."""
    menu_item = page.get_by_test_id("user-menu").locator(".dropdown-item-text").first
    email = menu_item.locator("small").text_content() or ""
    return (menu_item.text_content() or "").replace(email, "").strip()
