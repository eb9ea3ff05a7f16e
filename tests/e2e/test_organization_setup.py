"""The curator takes school No. 5 of the demo region from nothing to a working mentoring system.

Only through the pages, as people would: the curator imports the staff from an HR spreadsheet,
prepares the regulation and the roadmap from the region's models, the director approves both by
order (in a browser of their own), the curator fills both banks and records the signed consents,
and runs the needs-analysis questionnaire that the mentee then answers in their own browser.

The e2e database is shared by the whole session; this is the only test that touches
kamyshin-school-5's institutional data, and it starts by checking that there is none yet.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures.demo import DEMO_PASSWORD, ORGANIZATIONS, demo_email
from institutional.dates import academic_year_label, academic_year_of
from institutional.questionnaire_templates import TEMPLATES as QUESTIONNAIRE_TEMPLATES
from nastavnik.documents import document_text, russian_date
from regional.templates_content import DEFAULT_TEMPLATES, ROADMAP_STAGES
from tests.e2e.setup_steps import (
    SCHOOL,
    UNMAPPED_HEADER,
    Shot,
    demo_full_name,
    download,
    iso,
    nav,
    pdf_scan,
    ru,
    school_today,
    shots_of,
    signed_in,
    staff_rows,
    staff_xlsx,
)

pytestmark = pytest.mark.e2e

FULL_NAMES = {code: full_name for code, _parent, _kind, full_name, _short in ORGANIZATIONS}
MODELS = {template["kind"]: template for template in DEFAULT_TEMPLATES}
NEEDS_ANALYSIS = next(t for t in QUESTIONNAIRE_TEMPLATES if t["kind"] == "needs_analysis")

MENTEE = demo_full_name("mentee")
MENTOR = demo_full_name("mentor")
REGULATION_ORDER = "112-од"
ROADMAP_ORDER = "113-од"
PASSPORTS = {
    MENTEE: "паспорт 18 22 456789, выдан ГУ МВД России по Волгоградской области 14.05.2022, код 340-012",
    MENTOR: "паспорт 18 20 114356, выдан ГУ МВД России по Волгоградской области 02.12.2020, код 340-012",
}
ADDRESSES = {
    MENTEE: "403882, Волгоградская обл., г. Камышин, ул. Пролетарская, д. 14, кв. 7",
    MENTOR: "403874, Волгоградская обл., г. Камышин, ул. Ленина, д. 31, кв. 52",
}
MENTEE_REQUESTS = "Выстроить дисциплину на уроках в 7-х классах; подготовить открытый урок по геометрии."
MENTEE_LEARNING_GOAL = "Научиться удерживать внимание класса и планировать уроки геометрии в 7-х классах."
RUN_TITLE = "Входная диагностика затруднений наставляемых"

PERSONAL_DATA = "Согласие на обработку персональных данных"
MENTORING_DUTIES = "Согласие на выполнение обязанностей наставника"


def url(platform, path: str) -> str:
    return platform.url(SCHOOL, path)


def url_re(platform, pattern: str) -> re.Pattern:
    """The school's address whose path matches `pattern` (a regular expression), nothing after it."""
    return re.compile(re.escape(platform.url(SCHOOL, "")) + pattern + r"$")


def checklist_item(page: Page, title: str) -> Locator:
    return page.get_by_test_id("setup-checklist").get_by_role("listitem").filter(has_text=title)


def test_curator_sets_up_the_school_from_nothing(
    platform_server, browser, page, sign_in, shot, request, tmp_path
) -> None:
    today = school_today()
    yesterday = today - timedelta(days=1)
    any_shot = shots_of(request.node)

    page.goto(url(platform_server, "/"))
    sign_in(demo_email("curator"), DEMO_PASSWORD)
    expect(page).to_have_url(url(platform_server, "/"))
    expect(page.get_by_test_id("organization-name")).to_have_text(FULL_NAMES[SCHOOL])
    expect(checklist_item(page, "Педагогические работники внесены")).to_contain_text("реестр пуст")
    expect(checklist_item(page, "Положение утверждено")).to_contain_text("нет утверждённой версии")
    shot("curator-home-nothing-yet")

    import_staff(page, platform_server, shot, tmp_path, today)

    with signed_in(browser, platform_server, demo_email("director"), any_shot) as director:
        any_shot(director, "director-home")
        create_regulation(page, platform_server, shot)
        approve_regulation(director, platform_server, any_shot, yesterday)
        expect_regulation_in_force(page, platform_server, shot, yesterday)

        roadmap_url = create_roadmap(page, platform_server, shot, today)
        approve_roadmap(director, platform_server, any_shot, today, yesterday)
    export_roadmap(page, roadmap_url, shot, today, yesterday)

    scan = pdf_scan(tmp_path / "scan-signed.pdf")
    fill_mentee_bank(page, platform_server, shot, scan, today)
    fill_mentor_bank(page, platform_server, shot, scan, today)
    expect_consents_listed(page, platform_server, shot, today)

    run_title = start_needs_analysis(page, platform_server, shot, today, yesterday)
    with signed_in(browser, platform_server, demo_email("mentee"), any_shot) as mentee:
        answer_needs_analysis(mentee, platform_server, any_shot, run_title, today)
    expect_results(page, platform_server, shot, run_title, today)

    nav_home(page, platform_server)
    for title in (
        "Педагогические работники внесены",
        "Положение утверждено",
        f"Дорожная карта на {academic_year(today)} учебный год утверждена",
        "Банк наставляемых сформирован",
        "Банк наставников сформирован",
    ):
        expect(checklist_item(page, title)).to_contain_text("готово")
    expect(checklist_item(page, "Положение утверждено")).to_contain_text(f"приказ № {REGULATION_ORDER}")
    shot("curator-home-set-up")


def described(page: Page, term: str) -> Locator:
    """The value of a «term — description» pair of a card (<dt>/<dd>)."""
    return (
        page.locator("dt").filter(has_text=re.compile(f"^{re.escape(term)}$")).locator("xpath=following-sibling::dd[1]")
    )


def nav_home(page: Page, platform) -> None:
    page.get_by_role("link", name=re.compile(r"^Наставник")).first.click()
    expect(page).to_have_url(url(platform, "/"))


# --- 1. staff from the HR spreadsheet -------------------------------------------------------------


def import_staff(page: Page, platform, shot, tmp_path, today: date) -> None:
    rows = staff_rows(today)
    spreadsheet = tmp_path / "Сотрудники СШ5.xlsx"
    spreadsheet.write_bytes(staff_xlsx(rows))

    nav(page, "Сотрудники")
    expect(page).to_have_url(url(platform, "/org/staff/"))
    expect(page.get_by_role("heading", name="Педагогические работники")).to_be_visible()
    expect(page.get_by_text("Найдено: 0")).to_be_visible()
    page.get_by_role("link", name="Загрузить из файла").click()

    expect(page).to_have_url(url(platform, "/org/staff/import/"))
    expect(page.get_by_role("heading", name="Загрузка сотрудников из файла")).to_be_visible()
    page.get_by_label("Файл XLSX или CSV").set_input_files(spreadsheet)
    shot("staff-import-upload")
    page.get_by_role("button", name="Далее: сопоставление столбцов").click()

    expect(page).to_have_url(url(platform, "/org/staff/import/preview/"))
    expect(page.get_by_role("heading", name=f"Проверка загрузки: {spreadsheet.name}")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_contain_text(
        f"Будет добавлено: {len(rows)}, обновлено: 0, без изменений: 0"
    )
    # The mapping step: every column of the HR export was recognised by its header.
    page.get_by_text("Сопоставление столбцов файла").click()
    mapping = page.locator("details form")
    for field, header in (
        ("ФИО", "Ф.И.О."),
        ("Табельный номер", "Таб. №"),
        ("СНИЛС", "СНИЛС"),
        ("Должность", "Занимаемая должность"),
        ("Предметы", "Преподаваемые предметы"),
        ("Дата приёма", "Дата приёма на работу"),
        ("Стаж общий", "Общий стаж, лет"),
        ("Стаж педагогический", "Педагогический стаж, лет"),
        ("Категория", "Кв. категория"),
        ("Дата рождения", "Дата рождения"),
        ("Телефон", "Контактный телефон"),
        ("E-mail", "Эл. почта"),
        ("Фамилия", "— не загружать —"),
    ):
        expect(mapping.get_by_label(field, exact=True).locator("option:checked")).to_have_text(header)
    expect(mapping).to_contain_text(f"Не загружаются столбцы: «{UNMAPPED_HEADER}».")
    preview = page.locator("table").filter(has_text="Что произойдёт")
    expect(preview.locator("tbody tr")).to_have_count(len(rows))
    expect(preview.locator("tbody tr").filter(has_text=MENTEE)).to_contain_text("будет добавлен")
    shot("staff-import-preview")
    page.get_by_role("button", name="Загрузить", exact=True).click()

    expect(page).to_have_url(url(platform, "/org/staff/"))
    expect(page.get_by_role("alert").filter(has_text="Загрузка завершена")).to_have_text(
        f"Загрузка завершена: добавлено {len(rows)}, обновлено 0, без изменений 0."
    )
    expect(page.get_by_text(f"Найдено: {len(rows)}")).to_be_visible()
    table = page.get_by_test_id("staff-table")
    expect(table.locator("tbody tr")).to_have_count(len(rows))
    shot("staff-list")

    # The import linked the demo logins to their staff cards by e-mail.
    table.get_by_role("link", name=MENTEE).click()
    expect(page).to_have_url(url_re(platform, r"/org/staff/\d+/"))
    card = page.get_by_test_id("staff-card")
    expect(card).to_contain_text(f"{MENTEE} ({demo_email('mentee')})")
    expect(page.get_by_test_id("young-specialist")).to_be_visible()
    shot("staff-card-mentee")


# --- 2. the regulation ------------------------------------------------------------------------------


def create_regulation(page: Page, platform, shot) -> None:
    model = MODELS["regulation"]
    nav(page, "Положение")
    expect(page).to_have_url(url(platform, "/org/regulation/"))
    expect(page.get_by_role("heading", name="Положение о системе наставничества")).to_be_visible()
    expect(page.get_by_text("Положение ещё не утверждено.")).to_be_visible()
    page.get_by_label("Модель региона").select_option(label=f"{model['title']} (версия {model['version']})")
    page.get_by_role("button", name="Создать проект").click()

    expect(page).to_have_url(url_re(platform, r"/org/regulation/\d+/edit/"))
    expect(page.get_by_role("heading", name="Параметры проекта положения (версия 1)")).to_be_visible()
    expect(page.get_by_label("Наименование")).to_have_value(
        "Положение о системе наставничества педагогических работников"
    )
    shot("regulation-draft-parameters")
    page.get_by_role("button", name="Сохранить").click()

    expect(page).to_have_url(url(platform, "/org/regulation/"))
    expect(page.get_by_text("Параметры проекта сохранены.")).to_be_visible()
    draft = page.get_by_test_id("regulation-history").locator("tbody tr").first
    expect(draft).to_contain_text("По модели региона")
    expect(draft).to_contain_text("Проект")
    shot("regulation-draft")


def approve_regulation(director: Page, platform, shot: Shot, order_date: date) -> None:
    nav(director, "Положение")
    expect(director).to_have_url(url(platform, "/org/regulation/"))
    draft = director.get_by_test_id("regulation-history").locator("tbody tr").filter(has_text="Проект")
    draft.get_by_role("link", name="Утвердить").click()

    expect(director).to_have_url(url_re(platform, r"/org/regulation/\d+/approve/"))
    expect(director.get_by_role("heading", name="Утверждение положения (версия 1)")).to_be_visible()
    director.get_by_label("Номер приказа").fill(REGULATION_ORDER)
    director.get_by_label("Дата приказа").fill(iso(order_date))
    shot(director, "director-regulation-approve")
    director.get_by_role("button", name="Утвердить").click()

    expect(director).to_have_url(url(platform, "/org/regulation/"))
    expect(director.get_by_text("Положение (версия 1) утверждено и вступило в действие.")).to_be_visible()
    expect(director.get_by_test_id("regulation-in-force")).to_contain_text(
        f"Утверждено приказом от {ru(order_date)} № {REGULATION_ORDER}"
    )
    shot(director, "director-regulation-approved")


def expect_regulation_in_force(page: Page, platform, shot, order_date: date) -> None:
    page.reload()
    in_force = page.get_by_test_id("regulation-in-force")
    expect(in_force).to_contain_text("Действующая версия 1")
    expect(in_force).to_contain_text(f"Утверждено приказом от {ru(order_date)} № {REGULATION_ORDER}")
    expect(in_force).to_contain_text(f"основа — {MODELS['regulation']['title']}")
    row = page.get_by_test_id("regulation-history").locator("tbody tr").first
    expect(row).to_contain_text("Утверждено, действует")
    expect(row).to_contain_text(f"№ {REGULATION_ORDER} от {ru(order_date)}")
    shot("regulation-in-force")


# --- 3. the roadmap ---------------------------------------------------------------------------------


def academic_year(today: date) -> str:
    """«2026/2027»: the academic year the school is in today (the roadmap page offers it first)."""
    return academic_year_label(academic_year_of(today))


def create_roadmap(page: Page, platform, shot, today: date) -> str:
    model = MODELS["roadmap"]
    year = academic_year(today)
    nav(page, "Дорожная карта")
    expect(page).to_have_url(url(platform, "/org/roadmap/"))
    expect(page.get_by_role("heading", name="Дорожные карты реализации системы наставничества")).to_be_visible()
    expect(page.get_by_test_id("roadmap-list")).to_contain_text("Дорожных карт ещё нет.")
    page.get_by_label("Учебный год").select_option(label=year)
    page.get_by_label("Основа").select_option(label=f"{model['title']} (версия {model['version']})")
    page.get_by_role("button", name="Создать").click()

    expect(page).to_have_url(url_re(platform, r"/org/roadmap/\d+/"))
    expect(
        page.get_by_role("heading", name=f"Дорожная карта реализации системы наставничества на {year} учебный год")
    ).to_be_visible()
    expect(page.get_by_text(f"Создана дорожная карта на {year} учебный год.")).to_be_visible()
    first_stage = ROADMAP_STAGES[0]
    expect(page.get_by_text(f"Этап 1. {first_stage['title']}")).to_be_visible()
    expect(page.get_by_text(first_stage["activities"][0]["title"])).to_be_visible()
    expect(page.get_by_text(f"Этап {len(ROADMAP_STAGES)}. {ROADMAP_STAGES[-1]['title']}")).to_be_visible()
    shot("roadmap-draft")
    return page.url


def approve_roadmap(director: Page, platform, shot: Shot, today: date, order_date: date) -> None:
    year = academic_year(today)
    nav(director, "Дорожная карта")
    expect(director).to_have_url(url(platform, "/org/roadmap/"))
    roadmaps = director.get_by_test_id("roadmap-list")
    expect(roadmaps).to_contain_text("Проект")
    roadmaps.get_by_role("link", name=year).click()

    expect(director).to_have_url(url_re(platform, r"/org/roadmap/\d+/"))
    director.get_by_role("link", name="Утвердить").click()
    expect(director).to_have_url(url_re(platform, r"/org/roadmap/\d+/approve/"))
    expect(director.get_by_role("heading", name=f"Утверждение дорожной карты на {year} учебный год")).to_be_visible()
    director.get_by_label("Номер приказа").fill(ROADMAP_ORDER)
    director.get_by_label("Дата приказа").fill(iso(order_date))
    shot(director, "director-roadmap-approve")
    director.get_by_role("button", name="Утвердить").click()

    expect(director).to_have_url(url_re(platform, r"/org/roadmap/\d+/"))
    expect(director.get_by_text(f"Дорожная карта на {year} учебный год утверждена.")).to_be_visible()
    expect(director.get_by_text(f"Утверждена: приказ № {ROADMAP_ORDER} от {ru(order_date)}")).to_be_visible()
    expect(director.get_by_role("link", name="Утвердить")).to_have_count(0)
    shot(director, "director-roadmap-approved")


def export_roadmap(page: Page, roadmap_url: str, shot, today: date, order_date: date) -> None:
    year = academic_year(today)
    page.goto(roadmap_url)
    expect(page.get_by_text(f"Утверждена: приказ № {ROADMAP_ORDER} от {ru(order_date)}")).to_be_visible()
    expect(page.get_by_role("button", name="Добавить этап")).to_have_count(0)  # approved: no more edits
    shot("roadmap-approved")

    name, content = download(page, page.get_by_role("link", name="Скачать DOCX"))
    assert name == f"Дорожная карта {year.replace('/', '-')}.docx"
    text = document_text(content)
    assert "ДОРОЖНАЯ КАРТА" in text
    assert f"на {year} учебный год" in text
    assert FULL_NAMES[SCHOOL] in text
    assert f"Приказ от {russian_date(order_date)} № {ROADMAP_ORDER}" in text
    assert "№ п/п | Мероприятие | Срок | Ответственные" in text
    first_stage = ROADMAP_STAGES[0]
    assert f"1. | Этап 1. {first_stage['title']}" in text
    assert f"1.1. | {first_stage['activities'][0]['title']}" in text
    for number, stage in enumerate(ROADMAP_STAGES, start=1):
        assert f"{number}. | Этап {number}. {stage['title']}" in text


# --- 4. the banks and the consents ------------------------------------------------------------------


def prepare_and_sign_consent(page: Page, platform, shot, scan, *, kind: str, person: str, today: date) -> None:
    """On the consent form opened from a bank card: prepare, download the DOCX, record the signed scan."""
    expect(page).to_have_url(url_re(platform, r"/org/consents/add/\?staff=\d+"))
    expect(page.get_by_role("heading", name="Оформление согласия")).to_be_visible()
    expect(page.get_by_label("Кто даёт согласие").locator("option:checked")).to_contain_text(person)
    page.get_by_label("Вид согласия").select_option(label=kind)
    page.get_by_label("Документ, удостоверяющий личность").fill(PASSPORTS[person])
    page.get_by_label("Адрес регистрации").fill(ADDRESSES[person])
    page.get_by_role("button", name="Подготовить").click()

    expect(page).to_have_url(url_re(platform, r"/org/consents/\d+/"))
    expect(page.get_by_role("heading", name=kind)).to_be_visible()
    expect(page.get_by_test_id("consent-status")).to_have_text("Подготовлено, не подписано")
    shot(f"consent-prepared-{'duties' if kind == MENTORING_DUTIES else 'personal-data'}")

    name, content = download(page, page.get_by_role("link", name="Скачать для подписи (DOCX)"))
    assert name == f"Согласие — {person}.docx"
    text = document_text(content)
    assert kind.upper() in text
    assert f"Я, {person}" in text
    assert PASSPORTS[person] in text
    assert FULL_NAMES[SCHOOL] in text
    if kind == MENTORING_DUTIES:
        assert "статьёй 351.8 Трудового кодекса" in text
    else:
        assert ADDRESSES[person] in text

    signed_on = page.get_by_label("Дата подписания")
    expect(signed_on).to_have_value(iso(today))
    signed_on.fill(iso(today))
    page.get_by_label("Скан подписанного согласия (PDF, JPEG или PNG)").set_input_files(scan)
    page.get_by_role("button", name="Записать").click()

    expect(page).to_have_url(url_re(platform, r"/org/consents/\d+/"))
    expect(page.get_by_text("Подписание согласия записано.")).to_be_visible()
    expect(page.get_by_test_id("consent-status")).to_have_text("Подписано")
    expect(page.get_by_text(f"подписано {ru(today)}")).to_be_visible()
    expect(page.get_by_role("link", name="Скан подписанного согласия")).to_be_visible()
    shot(f"consent-signed-{'duties' if kind == MENTORING_DUTIES else 'personal-data'}")


def fill_mentee_bank(page: Page, platform, shot, scan, today: date) -> None:
    nav(page, "Наставляемые")
    expect(page).to_have_url(url(platform, "/org/banks/mentees/"))
    expect(page.get_by_role("heading", name="Банк наставляемых")).to_be_visible()
    expect(page.get_by_test_id("mentee-table")).to_contain_text("Записей нет.")
    page.get_by_role("link", name="Добавить", exact=True).click()

    expect(page).to_have_url(url(platform, "/org/banks/mentees/add/"))
    expect(page.get_by_role("heading", name="Новая запись в банке наставляемых")).to_be_visible()
    page.get_by_label("Кто наставляемый").select_option(label="Сотрудник организации")
    page.get_by_label("Сотрудник", exact=True).select_option(label=MENTEE)
    page.get_by_label("Молодой педагог").check()
    page.get_by_label("Профессиональные запросы", exact=True).fill(MENTEE_REQUESTS)
    page.get_by_label("Затруднения", exact=True).fill("Дисциплина на уроке, ведение электронного журнала.")
    shot("mentee-bank-form")
    page.get_by_role("button", name="Сохранить").click()

    expect(page).to_have_url(url_re(platform, r"/org/banks/mentees/\d+/"))
    mentee_url = page.url
    expect(page.get_by_role("heading", name=MENTEE)).to_be_visible()
    expect(page.get_by_text(f"{MENTEE} внесён(а) в банк наставляемых.")).to_be_visible()
    expect(described(page, "Категории")).to_have_text("Молодой педагог")
    expect(described(page, "Профессиональные запросы")).to_have_text(MENTEE_REQUESTS)
    expect(described(page, "Статус")).to_have_text("Ожидает наставника")
    expect(page.get_by_text("Согласий нет.")).to_be_visible()
    shot("mentee-bank-entry")

    page.get_by_role("link", name="Оформить согласие").click()
    prepare_and_sign_consent(page, platform, shot, scan, kind=PERSONAL_DATA, person=MENTEE, today=today)

    page.goto(mentee_url)
    expect(page.get_by_role("listitem").filter(has_text=PERSONAL_DATA)).to_have_text(f"{PERSONAL_DATA} — Подписано")
    nav(page, "Наставляемые")
    row = page.get_by_test_id("mentee-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MENTEE)
    expect(row).to_contain_text("Молодой педагог")
    shot("mentee-bank")


def fill_mentor_bank(page: Page, platform, shot, scan, today: date) -> None:
    nav(page, "Наставники")
    expect(page).to_have_url(url(platform, "/org/banks/mentors/"))
    expect(page.get_by_role("heading", name="Банк наставников")).to_be_visible()
    expect(page.get_by_test_id("mentor-table")).to_contain_text("Записей нет.")
    page.get_by_role("link", name="Добавить", exact=True).click()

    expect(page).to_have_url(url(platform, "/org/banks/mentors/add/"))
    expect(page.get_by_role("heading", name="Новая запись в банке наставников")).to_be_visible()
    page.get_by_label("Сотрудник", exact=True).select_option(label=MENTOR)
    page.get_by_label("Компетенции").fill(
        "Методика преподавания русского языка, подготовка к ОГЭ и ЕГЭ, классное руководство, работа с родителями."
    )
    page.get_by_label("Предметы").fill("Русский язык, Литература")
    page.get_by_label("Автор учебно-методических материалов").check()
    # The regulation is in force now, so the capacity comes from it (the model's 3 mentees).
    expect(page.get_by_label("Наставляемых одновременно, не более")).to_have_value("3")
    expect(page.get_by_label("Кто видит запись").locator("option:checked")).to_have_text("Только моя организация")
    shot("mentor-bank-form")
    page.get_by_role("button", name="Сохранить").click()

    expect(page).to_have_url(url_re(platform, r"/org/banks/mentors/\d+/"))
    mentor_url = page.url
    expect(page.get_by_role("heading", name=MENTOR)).to_be_visible()
    expect(page.get_by_text(f"{MENTOR} внесён(а) в банк наставников.")).to_be_visible()
    duties_warning = page.get_by_text("Нет подписанного согласия на выполнение обязанностей наставника")
    expect(duties_warning).to_be_visible()
    expect(page.get_by_text("0 из 3")).to_be_visible()
    shot("mentor-bank-entry")

    for kind in (PERSONAL_DATA, MENTORING_DUTIES):
        page.goto(mentor_url)
        page.get_by_role("link", name="Оформить согласие").click()
        prepare_and_sign_consent(page, platform, shot, scan, kind=kind, person=MENTOR, today=today)

    page.goto(mentor_url)
    expect(page.get_by_role("heading", name=MENTOR)).to_be_visible()
    expect(duties_warning).to_have_count(0)
    nav(page, "Наставники")
    row = page.get_by_test_id("mentor-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MENTOR)
    expect(row).to_contain_text("Русский язык, Литература")
    expect(row).to_contain_text("0 из 3")
    shot("mentor-bank")


def expect_consents_listed(page: Page, platform, shot, today: date) -> None:
    nav(page, "Согласия")
    expect(page).to_have_url(url(platform, "/org/consents/"))
    rows = page.get_by_test_id("consent-table").locator("tbody tr")
    expect(rows).to_have_count(3)
    for person, kind in ((MENTEE, PERSONAL_DATA), (MENTOR, PERSONAL_DATA), (MENTOR, MENTORING_DUTIES)):
        row = rows.filter(has_text=person).filter(has_text=kind)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Подписано")
        expect(row).to_contain_text(ru(today))
    shot("consents-list")


# --- 5. the needs-analysis questionnaire ------------------------------------------------------------


def start_needs_analysis(page: Page, platform, shot, today: date, opens_on: date) -> str:
    title = f"{RUN_TITLE}, {today:%m.%Y}"
    nav(page, "Анкеты")
    expect(page).to_have_url(url(platform, "/org/questionnaires/"))
    expect(page.get_by_role("heading", name="Анкеты и опросы")).to_be_visible()
    page.get_by_role("link", name=NEEDS_ANALYSIS["title"], exact=True).click()

    expect(page).to_have_url(url_re(platform, r"/org/questionnaires/\d+/"))
    expect(page.get_by_role("heading", name=NEEDS_ANALYSIS["title"])).to_be_visible()
    expect(page.get_by_test_id(re.compile(r"^question-\d+$"))).to_have_count(len(NEEDS_ANALYSIS["questions"]))
    page.get_by_role("link", name="Провести опрос").click()

    expect(page).to_have_url(url_re(platform, r"/org/questionnaires/\d+/runs/new/"))
    page.get_by_label("Название опроса").fill(title)
    page.get_by_label("Кого опрашиваем").select_option(label="Наставляемые из банка")
    page.get_by_label("Начало").fill(iso(opens_on))
    page.get_by_label("Окончание").fill(iso(today + timedelta(days=14)))
    shot("questionnaire-run-form")
    page.get_by_role("button", name="Создать опрос").click()

    expect(page).to_have_url(url_re(platform, r"/org/questionnaires/\d+/"))
    expect(page.get_by_text("Опрос создан.")).to_be_visible()
    run = page.locator("tr").filter(has=page.get_by_role("link", name=title))
    expect(run).to_contain_text("Наставляемые из банка")
    expect(run).to_contain_text("идёт")
    shot("questionnaire-run-created")
    return title


def answer_needs_analysis(mentee: Page, platform, shot: Shot, run_title: str, today: date) -> None:
    nav(mentee, "Мой кабинет")
    expect(mentee.get_by_role("heading", name="Мой кабинет")).to_be_visible()
    expect(mentee.get_by_test_id("my-mentee-entry")).to_contain_text("Ожидает наставника")
    mentee.get_by_role("link", name="Мои анкеты").click()

    expect(mentee).to_have_url(url(platform, "/org/questionnaires/my/"))
    mentee.get_by_role("link").filter(has_text=run_title).click()
    expect(mentee).to_have_url(url_re(platform, r"/org/questionnaires/my/\d+/"))
    expect(mentee.get_by_role("heading", name=NEEDS_ANALYSIS["title"])).to_be_visible()

    questions = mentee.locator("fieldset[data-testid^='q']")
    expect(questions).to_have_count(len(NEEDS_ANALYSIS["questions"]))
    required = 0
    for index in range(questions.count()):
        question = questions.nth(index)
        if question.locator("legend .text-danger").count() == 0:
            continue  # optional questions are left empty, as people do
        required += 1
        if question.locator("textarea").count():
            question.locator("textarea").fill(MENTEE_LEARNING_GOAL)
        elif question.get_by_role("checkbox").count():
            question.get_by_role("checkbox").nth(0).check()
            question.get_by_role("checkbox").nth(1).check()
        else:
            question.get_by_role("radio").first.check()
    assert required == sum(1 for q in NEEDS_ANALYSIS["questions"] if q["is_required"])
    shot(mentee, "mentee-answers")
    mentee.get_by_role("button", name="Отправить ответы").click()

    expect(mentee).to_have_url(url(platform, "/org/questionnaires/my/"))
    expect(mentee.get_by_text("Спасибо! Ваши ответы сохранены.")).to_be_visible()
    expect(mentee.get_by_role("link").filter(has_text=run_title)).to_contain_text(f"ответ отправлен {ru(today)}")
    shot(mentee, "mentee-answered")


def expect_results(page: Page, platform, shot, run_title: str, today: date) -> None:
    nav(page, "Анкеты")
    expect(page).to_have_url(url(platform, "/org/questionnaires/"))
    page.get_by_role("link", name=run_title).click()

    expect(page).to_have_url(url_re(platform, r"/org/questionnaires/runs/\d+/"))
    expect(page.get_by_role("heading", name=f"Результаты опроса «{run_title}»")).to_be_visible()
    expect(page.get_by_text("ответили: 1").first).to_be_visible()
    rows = page.get_by_test_id("results-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(MENTEE)
    expect(rows).to_contain_text(ru(today))
    expect(rows).to_contain_text(MENTEE_LEARNING_GOAL)
    first = NEEDS_ANALYSIS["questions"][0]
    expect(rows).to_contain_text(first["options"][0])  # the first option was chosen in each single choice
    shot("questionnaire-results")
