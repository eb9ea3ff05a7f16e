"""A platform administrator onboards organizations from a CSV file; the worker creates them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from fixtures.demo import DEMO_PASSWORD, REGION_CODE
from tenants.onboarding import COLUMNS
from tenants.validators import inn_check_digits

pytestmark = pytest.mark.e2e

JOB_TIMEOUT_MS = 90_000


def inn(prefix: str) -> str:
    return prefix + inn_check_digits(prefix)


def csv_file(rows: list[dict[str, str]]) -> bytes:
    """A CSV as exported from Excel in Russia: semicolons, UTF-8 with BOM, headers in Russian."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    for row in rows:
        writer.writerow([row.get(key, "") for key in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


NEW_MUNICIPALITY = {
    "code": "e2e-dubovka",
    "level": "муниципалитет",
    "parent_code": REGION_CODE,
    "full_name": "Отдел образования администрации Дубовского муниципального района (e2e)",
    "short_name": "Дубовский МР (e2e)",
    "inn": inn("344990001"),
}
NEW_SCHOOLS = [
    {
        "code": "e2e-dubovka-school-1",
        "level": "организация",
        "parent_code": "e2e-dubovka",
        "kind": "школа",
        "full_name": "Муниципальное казённое общеобразовательное учреждение «Дубовская средняя школа № 1» (e2e)",
        "short_name": "МКОУ Дубовская СШ № 1 (e2e)",
        "inn": inn("344990002"),
        "address": "404002, Волгоградская обл., г. Дубовка, ул. Минина, д. 1",
    },
    {
        "code": "e2e-dubovka-school-2",
        "level": "организация",
        "parent_code": "e2e-dubovka",
        "kind": "школа",
        "full_name": "Муниципальное казённое общеобразовательное учреждение «Дубовская средняя школа № 2» (e2e)",
        "short_name": "МКОУ Дубовская СШ № 2 (e2e)",
        "inn": inn("344990003"),
        "website": "dubovka-school-2.example",
    },
]


@pytest.fixture
def admin_page(platform_server, page, sign_in):
    page.goto(platform_server.url(None, "/accounts/login/"))
    sign_in("admin@demo.test", DEMO_PASSWORD)
    expect(page).to_have_url(platform_server.url(None, "/"))
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.goto(platform_server.url(None, "/platform/onboarding/"))
    expect(page.get_by_role("heading", name="Подключение региона из файла")).to_be_visible()
    return page


def upload(page, name: str, content: bytes) -> None:
    page.get_by_label("Файл с организациями").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Проверить и загрузить").click()


def test_onboarding_creates_organizations(platform_server, admin_page, sign_in, shot):
    page = admin_page
    shot("upload-form")
    upload(page, "e2e-dubovka.csv", csv_file([NEW_MUNICIPALITY, *NEW_SCHOOLS]))

    expect(page).to_have_url(re.compile(re.escape(platform_server.url(None, "/platform/onboarding/")) + r"\d+/$"))
    expect(page.get_by_role("heading", name="Загрузка «e2e-dubovka.csv»")).to_be_visible()
    shot("job-page")
    # The progress block polls itself through htmx while the Celery worker applies the file.
    expect(page.get_by_test_id("job-status")).to_have_text("Завершено", timeout=JOB_TIMEOUT_MS)
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_contain_text("обработано 3 из 3")
    expect(progress).to_contain_text("Создано: 3")
    shot("job-done")

    school = NEW_SCHOOLS[0]
    page.goto(platform_server.url(school["code"], "/"))
    expect(page).to_have_url(re.compile(re.escape(platform_server.url(school["code"], "/accounts/login/"))))
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    expect(page.get_by_text(school["full_name"])).to_be_visible()
    shot("new-school-login")


def test_onboarding_reports_errors_by_row_and_column(platform_server, admin_page, shot):
    page = admin_page
    broken = {
        **NEW_SCHOOLS[1],
        "code": "e2e-orphan-school",
        "parent_code": "no-such-municipality",
        "inn": inn("344990004"),
    }
    upload(page, "e2e-broken.csv", csv_file([broken]))

    expect(page).to_have_url(platform_server.url(None, "/platform/onboarding/"))
    errors = page.get_by_test_id("onboarding-errors")
    expect(errors).to_contain_text("Файл не загружен: найдено ошибок — 1.")
    rows = errors.locator("tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("2")  # the header is line 1
    expect(cells.nth(1)).to_have_text("Код вышестоящей")
    expect(cells.nth(2)).to_contain_text("«no-such-municipality» не найдена")
    shot("errors-table")

    response = page.goto(platform_server.url("e2e-orphan-school", "/"))
    assert response is not None
    assert response.status == 404  # nothing was created
