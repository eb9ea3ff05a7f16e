"""Issue 4, «Done when»: the demo gymnasium goes from its banks to a completed program on the public site.

The demo gymnasium (kamyshin-gymnasium-1) is seeded at «banks ready» by `seed_demo`
(fixtures.mentoring): staff, curator and council appointed, regulation and roadmap approved, both
banks filled, consents signed. From there everything happens through the pages, each person in a
browser of their own: a matching round by mutual preference, the stable assignment, the director's
order approving the pairs, the personalized program drafted and confirmed, meetings logged, one
pair completed with both final reports and the satisfaction questionnaire, the curator's annual
report, and the result on the school's public section.

The e2e database is shared by the session; this is the only test that touches the gymnasium's
institutional data, and it starts by checking that it is at «banks ready» with no pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import Locator, Page, expect

from fixtures.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, ORGANIZATIONS
from fixtures.mentoring import DEMO_MENTORING_ORGANIZATION as GYMNASIUM
from institutional.dates import academic_year_label, academic_year_of
from institutional.questionnaire_templates import TEMPLATES as QUESTIONNAIRE_TEMPLATES
from nastavnik.documents import document_text
from tests.e2e.setup_steps import download, iso, nav, ru, school_today, shots_of, signed_in_at, signed_in_name

pytestmark = pytest.mark.e2e

FULL_NAMES = {code: full_name for code, _parent, _kind, full_name, _short in ORGANIZATIONS}
FINAL_SATISFACTION = next(t for t in QUESTIONNAIRE_TEMPLATES if t["kind"] == "final_satisfaction")

PAIRS_ORDER = "124-од"
ROUND_TITLE = "Подбор пар после общей встречи наставников и наставляемых"


@dataclass(frozen=True)
class ProgramText:
    title: str
    request: str
    goal: str
    tasks: str
    planned_results: str
    plan: tuple[tuple[int, str], ...]  # (days from today, activity)


MATH_PROGRAM = ProgramText(
    title="Методика урока математики и управление классом в 7-х классах",
    request="Выстроить дисциплину на уроках в 7-х классах; подготовить открытый урок по геометрии.",
    goal="Освоить приёмы управления классом и планирования уроков геометрии.",
    tasks="1. Посетить уроки наставника и разобрать их. 2. Спланировать серию уроков. 3. Провести открытый урок.",
    planned_results="Молодой учитель уверенно ведёт уроки геометрии в 7-х классах и провёл открытый урок.",
    plan=(
        (7, "Посещение урока наставника в 7 «Б» классе"),
        (30, "Совместное планирование серии уроков геометрии"),
        (90, "Открытый урок наставляемого и его разбор"),
    ),
)
RUSSIAN_PROGRAM = ProgramText(
    title="Классное руководство в 5-м классе и работа с родителями",
    request="Освоить классное руководство в 5-м классе; научиться проводить родительские собрания.",
    goal="Выстроить работу классного руководителя и конструктивное взаимодействие с родителями.",
    tasks="1. Изучить документацию классного руководителя. 2. Подготовить и провести родительское собрание.",
    planned_results="Проведены два родительских собрания; план воспитательной работы класса составлен и выполняется.",
    plan=(
        (10, "Разбор документации классного руководителя"),
        (45, "Подготовка и проведение родительского собрания"),
        (100, "Самоанализ работы классного руководителя за полугодие"),
    ),
)
CONCLUSIONS = "Все пары, сформированные по взаимному выбору, утверждены; одна программа выполнена в полном объёме."
MEETINGS = (
    ("Разбор урока геометрии в 7 «А» классе", 90),
    ("Подготовка к открытому уроку: план и приёмы удержания внимания", 60),
)


def account(number: int) -> str:
    """The generated account NNN of the gymnasium (fixtures.demo.STAFF_ROLES order)."""
    return f"{GYMNASIUM}.{number:03d}@{DEMO_EMAIL_DOMAIN}"


DIRECTOR, CURATOR = account(1), account(2)
MATH_MENTOR, RUSSIAN_MENTOR = account(7), account(8)  # fixtures.mentoring.MENTOR_BANK
MATH_MENTEE, RUSSIAN_MENTEE = account(17), account(18)  # fixtures.mentoring.MENTEE_BANK


def url(platform, path: str) -> str:
    return platform.url(GYMNASIUM, path)


def url_re(platform, pattern: str) -> re.Pattern:
    return re.compile(re.escape(platform.url(GYMNASIUM, "")) + pattern + r"$")


def checklist_item(page: Page, title: str) -> Locator:
    return page.get_by_test_id("setup-checklist").get_by_role("listitem").filter(has_text=title)


def test_gymnasium_goes_from_banks_to_a_completed_program_on_the_public_site(
    platform_server, browser, page, sign_in, shot, request
) -> None:
    today = school_today()
    any_shot = shots_of(request.node)
    people: dict[str, str] = {}

    page.goto(url(platform_server, "/"))
    sign_in(CURATOR, DEMO_PASSWORD)
    expect(page).to_have_url(url(platform_server, "/"))
    expect(page.get_by_test_id("organization-name")).to_have_text(FULL_NAMES[GYMNASIUM])
    expect_banks_ready(page, platform_server, shot)

    # 1. Matching by mutual preference, each participant in their own browser.
    round_url = open_round(page, platform_server, shot, today)
    # Each mentee ranks the mentor teaching their subject (the list shows each mentor's position);
    # that mentor ranks them back by name.
    for mentee, mentor, position in (
        (MATH_MENTEE, MATH_MENTOR, "Учитель математики"),
        (RUSSIAN_MENTEE, RUSSIAN_MENTOR, "Учитель русского языка и литературы"),
    ):
        with signed_in_at(browser, platform_server, GYMNASIUM, mentee, any_shot) as mentee_page:
            people[mentee] = signed_in_name(mentee_page)
            choice = re.compile(f" — {re.escape(position)}$")
            state_preferences(mentee_page, platform_server, any_shot, ranked=[choice], ranks_mentors=True)
        with signed_in_at(browser, platform_server, GYMNASIUM, mentor, any_shot) as mentor_page:
            people[mentor] = signed_in_name(mentor_page)
            choice = re.compile(f"^{re.escape(people[mentee])}$")
            state_preferences(mentor_page, platform_server, any_shot, ranked=[choice], ranks_mentors=False)
    pairs = compute_and_send(page, platform_server, shot, round_url, people)

    # 2. The director approves the draft pairs by one order and downloads it.
    with signed_in_at(browser, platform_server, GYMNASIUM, DIRECTOR, any_shot) as director:
        approve_pairs(director, platform_server, any_shot, pairs, today)

    # 3. The program: drafted by the mentor, confirmed by the mentee; meetings and the hours ledger.
    urls = {}
    for mentor, mentee, program in (
        (MATH_MENTOR, MATH_MENTEE, MATH_PROGRAM),
        (RUSSIAN_MENTOR, RUSSIAN_MENTEE, RUSSIAN_PROGRAM),
    ):
        with signed_in_at(browser, platform_server, GYMNASIUM, mentor, any_shot) as mentor_page:
            urls[mentor] = draft_program(mentor_page, platform_server, any_shot, people[mentee], program, today)
        with signed_in_at(browser, platform_server, GYMNASIUM, mentee, any_shot) as mentee_page:
            confirm_program(mentee_page, urls[mentor], program, any_shot)
    program_url = urls[MATH_MENTOR]
    with signed_in_at(browser, platform_server, GYMNASIUM, MATH_MENTOR, any_shot) as mentor_page:
        log_meetings(mentor_page, platform_server, any_shot, program_url, today)

    # 4. The curator completes the pair; both sides report and answer the satisfaction questionnaire.
    end_pair(page, platform_server, shot, people[MATH_MENTOR], people[MATH_MENTEE], today)
    with signed_in_at(browser, platform_server, GYMNASIUM, MATH_MENTOR, any_shot) as mentor_page:
        submit_report(mentor_page, platform_server, any_shot, role="mentor", today=today)
        answer_satisfaction(mentor_page, platform_server, any_shot, role="Наставник", today=today)
    with signed_in_at(browser, platform_server, GYMNASIUM, MATH_MENTEE, any_shot) as mentee_page:
        submit_report(mentee_page, platform_server, any_shot, role="mentee", today=today)
        answer_satisfaction(mentee_page, platform_server, any_shot, role="Наставляемый", today=today)
    expect_reports_listed(page, platform_server, shot, people)

    # 5. The annual report, then the public section for anyone.
    annual_report(page, platform_server, shot, today)
    public_section(browser, platform_server, any_shot)


# --- 0. where the gymnasium starts -----------------------------------------------------------------


def expect_banks_ready(page: Page, platform, shot) -> None:
    for title in ("Педагогические работники внесены", "Положение утверждено", "Банк наставляемых сформирован"):
        expect(checklist_item(page, title)).to_contain_text("готово")
    expect(checklist_item(page, "Банк наставников сформирован")).to_contain_text("готово")
    shot("curator-home-banks-ready")

    nav(page, "Пары и группы")
    expect(page).to_have_url(url(platform, "/org/pairs/"))
    # The demo's only pair so far is last year's completed one (fixtures/practices_demo.py).
    expect(page.locator("table tbody tr").filter(has_text="Проект")).to_have_count(0)
    expect(page.locator("table tbody tr").filter(has_text="Действует")).to_have_count(0)
    nav(page, "Наставляемые")
    rows = page.get_by_test_id("mentee-table").locator("tbody tr")
    expect(rows.filter(has_text="Ожидает наставника")).to_have_count(5)
    nav(page, "Наставники")
    expect(page.get_by_test_id("mentor-table").locator("tbody tr")).to_have_count(5)
    shot("mentor-bank-ready")


# --- 1. matching ----------------------------------------------------------------------------------


def open_round(page: Page, platform, shot, today: date) -> str:
    nav(page, "Подбор")
    expect(page).to_have_url(url(platform, "/org/matching/"))
    page.get_by_role("link", name="Подбор по взаимным предпочтениям").click()
    expect(page).to_have_url(url(platform, "/org/matching/rounds/"))
    expect(page.get_by_role("heading", name="Подбор по взаимным предпочтениям")).to_be_visible()
    new_round = page.locator("form").filter(has=page.get_by_role("button", name="Открыть тур"))
    new_round.locator("input[name=title]").fill(ROUND_TITLE)
    new_round.locator("input[name=meeting_on]").fill(iso(today))
    shot("matching-round-new")
    page.get_by_role("button", name="Открыть тур").click()

    expect(page).to_have_url(url_re(platform, r"/org/matching/rounds/\d+/"))
    expect(page.get_by_role("heading", name=ROUND_TITLE)).to_be_visible()
    expect(page.get_by_text("Тур подбора открыт: участники могут указать свои предпочтения.")).to_be_visible()
    expect(page.get_by_test_id("proposals")).to_contain_text("Распределение ещё не рассчитано.")
    shot("matching-round-open")
    return page.url


def state_preferences(person: Page, platform, shot, *, ranked: list[re.Pattern], ranks_mentors: bool) -> None:
    """The participant follows the invitation in «Мой кабинет» and gives places 1, 2, … to the `ranked` labels."""
    person.goto(url(platform, "/"))
    person.get_by_role("link", name="Мой кабинет").click()
    invitation = person.get_by_test_id("matching-invitations")
    expect(invitation).to_contain_text("как наставляемый" if ranks_mentors else "как наставник")
    invitation.get_by_role("link", name=ROUND_TITLE).click()

    expect(person).to_have_url(url_re(platform, r"/org/matching/rounds/\d+/preferences/\d+/"))
    expect(person.get_by_role("heading", name=ROUND_TITLE)).to_be_visible()
    candidates = person.get_by_test_id("candidates")
    expect(candidates.locator("tbody tr")).to_have_count(5)
    for place, label in enumerate(ranked, start=1):
        candidates.get_by_label(label).select_option(str(place))
    shot(person, "preferences-" + ("mentee" if ranks_mentors else "mentor"))
    person.get_by_role("button", name="Сохранить").click()

    expect(person).to_have_url(url(platform, "/org/matching/rounds/"))
    expect(person.get_by_text("Предпочтения сохранены.")).to_be_visible()
    expect(person.get_by_test_id("my-rounds")).to_contain_text(f"(выбрано: {len(ranked)})")


def compute_and_send(page: Page, platform, shot, round_url: str, people: dict[str, str]) -> list[tuple[str, str]]:
    """The stable assignment, one pair added by the curator, sent for approval; returns (mentor, mentee) names."""
    page.goto(round_url)
    page.get_by_role("button", name="Рассчитать устойчивое распределение").click()
    expect(page.get_by_text("Распределение рассчитано: пар — 2.")).to_be_visible()
    proposals = page.get_by_test_id("proposals").locator("tbody tr")
    expect(proposals).to_have_count(2)
    matched = [(people[MATH_MENTOR], people[MATH_MENTEE]), (people[RUSSIAN_MENTOR], people[RUSSIAN_MENTEE])]
    for mentor, mentee in matched:
        expect(proposals.filter(has_text=mentor).filter(has_text=mentee)).to_have_count(1)
    # Those who chose nobody stay unmatched (with the support they get until a mentor is appointed).
    unmatched = page.get_by_test_id("unmatched").locator("tbody tr")
    expect(unmatched).to_have_count(3)
    shot("matching-stable-assignment")

    # The curator edits the proposal: one waiting mentee gets a mentor nobody chose yet.
    mentee = (unmatched.first.locator("td").first.text_content() or "").strip()
    mentor_cells = (
        page.locator("table").filter(has_text="Наставник").filter(has_text="Мест").locator("tbody tr td:first-child")
    )
    mentor = next(
        name for name in ((c or "").strip() for c in mentor_cells.all_text_contents()) if name not in dict(matched)
    )
    page.get_by_label("Наставляемый", exact=True).select_option(label=mentee)
    page.get_by_label("Наставник", exact=True).select_option(label=mentor)
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Распределение изменено.")).to_be_visible()
    expect(page.get_by_text(f"{mentee} не выбрал(а) этого наставника.")).to_be_visible()
    expect(proposals).to_have_count(3)
    expect(proposals.filter(has_text=mentee)).to_contain_text("изменено куратором")
    expect(unmatched).to_have_count(2)
    shot("matching-edited")

    page.get_by_role("button", name="Отправить на утверждение").click()
    expect(page.get_by_text("На утверждение отправлено пар и групп: 3")).to_be_visible()
    expect(proposals.filter(has_text="проект пары создан")).to_have_count(3)
    expect(page.get_by_role("button", name="Отправить на утверждение")).to_have_count(0)
    shot("matching-sent")

    nav(page, "Пары и группы")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Проект")).to_have_count(3)
    shot("pairs-drafts")
    return [*matched, (mentor, mentee)]


# --- 2. the director's order -------------------------------------------------------------------------


def approve_pairs(director: Page, platform, shot, pairs: list[tuple[str, str]], today: date) -> None:
    nav(director, "Пары и группы")
    expect(director).to_have_url(url(platform, "/org/pairs/"))
    director.get_by_role("link", name="Утвердить приказом").click()

    expect(director).to_have_url(url(platform, "/org/pairs/approve/"))
    expect(director.get_by_role("heading", name="Утверждение пар (групп) приказом руководителя")).to_be_visible()
    boxes = director.locator("input[name=pairs]")
    expect(boxes).to_have_count(3)
    for index in range(3):
        boxes.nth(index).check()
    director.get_by_label("Номер приказа").fill(PAIRS_ORDER)
    director.get_by_label("Дата приказа").fill(iso(today))
    shot(director, "director-pairs-approve")
    director.get_by_role("button", name="Утвердить").click()

    expect(director).to_have_url(url_re(platform, r"/org/orders/\d+/"))
    expect(director.get_by_text(f"Пары (группы) утверждены приказом № {PAIRS_ORDER}.")).to_be_visible()
    expect(director.get_by_role("link", name=re.compile(r"^Пара \(группа\) № \d+$"))).to_have_count(3)
    shot(director, "director-order")

    name, content = download(director, director.get_by_role("link", name="Скачать DOCX"))
    assert name.endswith(".docx")
    text = document_text(content)
    assert "ПРИКАЗ" in text
    assert f"№ {PAIRS_ORDER}" in text
    assert "Наставнические пары (группы)" in text
    for mentor, mentee in pairs:
        assert mentor in text, mentor
        assert mentee in text, mentee

    nav(director, "Пары и группы")
    rows = director.locator("table tbody tr")
    expect(rows.filter(has_text="Действует")).to_have_count(3)
    expect(rows.filter(has_text=f"№ {PAIRS_ORDER} от {ru(today)}")).to_have_count(3)
    shot(director, "director-pairs-active")


# --- 3. program, meetings, hours ----------------------------------------------------------------------


def draft_program(mentor: Page, platform, shot, mentee: str, program: ProgramText, today: date) -> str:
    nav(mentor, "Программы")
    expect(mentor).to_have_url(url(platform, "/org/programs/"))
    row = mentor.locator("table tbody tr").filter(has_text=mentee)
    expect(row).to_contain_text("не составлена")
    row.get_by_role("link", name="не составлена").click()

    expect(mentor).to_have_url(url_re(platform, r"/org/programs/pair/\d+/"))
    expect(mentor.get_by_text("Программа ещё не составлена.")).to_be_visible()
    mentor.get_by_role("link", name="Составить программу").click()

    expect(mentor).to_have_url(url_re(platform, r"/org/programs/pair/\d+/new/"))
    mentor.get_by_label("Название программы").fill(program.title)
    mentor.get_by_label("Запрос наставляемого").fill(program.request)
    mentor.get_by_label("Цель", exact=True).fill(program.goal)
    mentor.get_by_label("Задачи", exact=True).fill(program.tasks)
    mentor.get_by_label("Консультации").check()
    mentor.get_by_label("Взаимопосещение занятий").check()
    mentor.get_by_label("Формат встреч").select_option(label="Очно")
    mentor.get_by_label("График встреч").fill("Еженедельно по средам, 15:00–16:30.")
    mentor.get_by_label("Планируемые результаты").fill(program.planned_results)
    mentor.get_by_label("Начало", exact=True).fill(iso(today))
    mentor.get_by_label("Окончание", exact=True).fill(iso(today + relativedelta(months=4)))
    mentor.get_by_label("План мероприятий").fill(
        "\n".join(f"{ru(today + timedelta(days=days))} | {title}" for days, title in program.plan)
    )
    shot(mentor, "program-form")
    mentor.get_by_role("button", name="Сохранить").click()

    expect(mentor).to_have_url(url_re(platform, r"/org/programs/\d+/"))
    expect(mentor.get_by_text("Программа сохранена как черновик.")).to_be_visible()
    expect(mentor.get_by_role("heading", name=program.title)).to_be_visible()
    expect(mentor.get_by_text("Составляется наставником")).to_be_visible()
    expect(mentor.locator("main, body").first).to_contain_text("Взаимопосещение занятий")
    plan = mentor.locator("table").filter(has_text="Отметка о выполнении").locator("tbody tr")
    expect(plan).to_have_count(len(program.plan))
    program_url = mentor.url
    mentor.get_by_role("button", name="Передать наставляемому").click()
    expect(mentor.get_by_text("Программа передана наставляемому на согласование.")).to_be_visible()
    expect(mentor.locator("strong").filter(has_text="Передана наставляемому на согласование")).to_be_visible()
    shot(mentor, "program-submitted")
    return program_url


def confirm_program(mentee: Page, program_url: str, program: ProgramText, shot) -> None:
    nav(mentee, "Программы")
    mentee.get_by_role("link", name=program.title).click()
    expect(mentee).to_have_url(program_url)
    expect(mentee.get_by_text(program.planned_results)).to_be_visible()
    shot(mentee, "program-to-confirm")
    mentee.get_by_role("button", name="Согласовать").click()
    expect(mentee.get_by_text("Программа согласована.")).to_be_visible()
    expect(mentee.get_by_text("Согласована, выполняется")).to_be_visible()
    shot(mentee, "program-confirmed")

    name, content = download(mentee, mentee.get_by_role("link", name="Скачать DOCX"))
    assert name.endswith(".docx")
    text = document_text(content)
    assert program.title in text
    assert program.plan[0][1] in text


def log_meetings(mentor: Page, platform, shot, program_url: str, today: date) -> None:
    for topic, minutes in MEETINGS:
        mentor.goto(program_url)
        expect(mentor.get_by_text("Согласована, выполняется")).to_be_visible()
        mentor.get_by_role("link", name="Записать встречу").click()
        expect(mentor).to_have_url(url_re(platform, r"/org/programs/pair/\d+/meetings/new/"))
        mentor.get_by_label("Дата", exact=True).fill(iso(today))
        mentor.get_by_label("Продолжительность, минут").fill(str(minutes))
        mentor.get_by_label("Формат", exact=True).select_option(label="Очно")
        mentor.get_by_label("Тема").fill(topic)
        mentor.get_by_label(re.compile("^Заметки")).fill("Договорились о приёмах работы с классом.")
        mentor.get_by_role("button", name="Сохранить").click()
        expect(mentor.get_by_text("Встреча записана.")).to_be_visible()
        expect(mentor.get_by_role("cell", name=topic)).to_be_visible()
    shot(mentor, "meetings-logged")

    nav(mentor, "Программы")
    mentor.get_by_role("link", name="Часы наставников").click()
    expect(mentor).to_have_url(re.compile(re.escape(url(platform, "/org/programs/hours/"))))
    expect(mentor.get_by_role("heading", name=re.compile(r"итого 2[.,]5 ч"))).to_be_visible()
    ledger = mentor.locator("table tbody")
    for topic, minutes in MEETINGS:
        expect(ledger).to_contain_text(f"{ru(today)} — {topic} ({minutes} мин)")
    shot(mentor, "hours-ledger")


# --- 4. completion, reports, satisfaction -------------------------------------------------------------


def end_pair(page: Page, platform, shot, mentor: str, mentee: str, today: date) -> None:
    nav(page, "Пары и группы")
    row = page.locator("table tbody tr").filter(has_text=mentee)
    row.get_by_role("link").first.click()
    expect(page).to_have_url(url_re(platform, r"/org/pairs/\d+/"))
    expect(page.get_by_role("heading", name=re.compile(r"^Наставническая пара № \d+$"))).to_be_visible()
    page.get_by_label("Основание", exact=True).select_option(label="Программа выполнена в полном объёме")
    page.get_by_label("Дата завершения").fill(iso(today))
    shot("pair-end")
    page.get_by_role("button", name="Завершить").click()
    expect(page.get_by_text("Наставничество завершено.")).to_be_visible()
    expect(page.get_by_text(f"{ru(today)}: Программа выполнена в полном объёме")).to_be_visible()
    shot("pair-completed")


def submit_report(person: Page, platform, shot, *, role: str, today: date) -> None:
    person.goto(url(platform, "/"))
    person.get_by_role("link", name="Мой кабинет").click()
    person.get_by_role("link", name="Мои отчёты").click()
    expect(person.get_by_role("heading", name="Мои отчёты")).to_be_visible()
    person.get_by_role("link", name="Заполнить отчёт").click()
    expect(person).to_have_url(url_re(platform, r"/org/reports/pair/\d+/submit/"))
    if role == "mentor":
        person.get_by_label("Достигнутые результаты").fill(
            "Наставляемый освоил приёмы управления классом; уроки геометрии спланированы на четверть вперёд."
        )
        person.get_by_label("Рекомендации наставляемому и куратору").fill(
            "Продолжить работу в методическом объединении; через год — участие в конкурсе молодых педагогов."
        )
    else:
        person.get_by_label("Чего удалось достичь").fill(
            "Дисциплина на уроках в 7-х классах наладилась; открытый урок проведён и разобран."
        )
        person.get_by_label(re.compile("^Оценка работы наставника")).select_option("5")
        person.get_by_label("Комментарий к оценке").fill("Внимательный и требовательный наставник.")
    shot(person, f"report-{role}")
    person.get_by_role("button", name="Подать отчёт").click()
    expect(person).to_have_url(url_re(platform, r"/org/reports/\d+/"))
    expect(person.get_by_text("Отчёт подан.")).to_be_visible()
    person.goto(url(platform, "/org/reports/my/"))
    expect(person.get_by_text("Нет отчётов, ожидающих подачи.")).to_be_visible()
    expect(person.get_by_text(f"подан {ru(today)}")).to_be_visible()


def answer_satisfaction(person: Page, platform, shot, *, role: str, today: date) -> None:
    title = FINAL_SATISFACTION["title"]
    nav(person, "Мой кабинет")
    person.get_by_role("link", name="Мои анкеты").click()
    expect(person).to_have_url(url(platform, "/org/questionnaires/my/"))
    expect(person.get_by_role("heading", name="Мои анкеты")).to_be_visible()
    person.get_by_role("link").filter(has_text=title).first.click()
    expect(person).to_have_url(url_re(platform, r"/org/questionnaires/my/\d+/"))
    questions = person.locator("fieldset[data-testid^='q']")
    expect(questions).to_have_count(len(FINAL_SATISFACTION["questions"]))
    for index in range(questions.count()):
        question = questions.nth(index)
        if question.locator("legend .text-danger").count() == 0:
            continue
        if question.locator("textarea").count():
            question.locator("textarea").fill("Регулярные встречи и разбор уроков.")
        elif question.get_by_role("radio", name=role, exact=True).count():
            question.get_by_role("radio", name=role, exact=True).check()
        elif question.get_by_role("checkbox").count():
            question.get_by_role("checkbox").first.check()
        elif question.locator(".form-check-inline").count():  # a 1–5 scale: the best mark
            question.get_by_role("radio").last.check()
        else:
            question.get_by_role("radio").first.check()
    shot(person, f"satisfaction-{'mentor' if role == 'Наставник' else 'mentee'}")
    person.get_by_role("button", name="Отправить ответы").click()
    expect(person).to_have_url(url(platform, "/org/questionnaires/my/"))
    expect(person.get_by_text("Спасибо! Ваши ответы сохранены.")).to_be_visible()
    expect(person.get_by_role("link").filter(has_text=title).first).to_contain_text(f"ответ отправлен {ru(today)}")


def expect_reports_listed(page: Page, platform, shot, people: dict[str, str]) -> None:
    nav(page, "Отчёты")
    expect(page).to_have_url(url(platform, "/org/reports/"))
    expect(page.locator("main")).to_contain_text(people[MATH_MENTOR])
    expect(page.locator("main")).to_contain_text(people[MATH_MENTEE])
    shot("curator-reports")


# --- 5. the annual report and the public section --------------------------------------------------------


def annual_report(page: Page, platform, shot, today: date) -> None:
    year = academic_year_label(academic_year_of(today))
    nav(page, "Отчёты")
    page.get_by_role("link", name="Аналитический отчёт за учебный год").click()
    expect(page).to_have_url(url(platform, "/org/reports/annual/"))
    expect(page.get_by_role("heading", name=f"Аналитический отчёт куратора за {year} учебный год")).to_be_visible()
    figures = page.locator("main")
    completed = page.locator("tr").filter(has_text="Завершены с выполнением программы")
    expect(completed.locator("td").last).to_have_text("1")
    reports = page.locator("tr").filter(has_text="Итоговые отчёты: представлено / ожидалось")
    expect(reports.locator("td").last).to_have_text("2 / 2")
    expect(figures).to_contain_text("Наставляемые без наставника")
    page.get_by_label("Выводы", exact=True).fill(CONCLUSIONS)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text(f"Выводы и предложения за {year} учебный год сохранены.")).to_be_visible()
    expect(page.get_by_label("Выводы", exact=True)).to_have_value(CONCLUSIONS)
    shot("annual-report")

    name, content = download(page, page.get_by_role("link", name="Сформировать DOCX"))
    assert name.endswith(".docx")
    text = document_text(content)
    assert FULL_NAMES[GYMNASIUM] in text
    assert year in text
    assert CONCLUSIONS in text


def public_section(browser, platform, shot) -> None:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    visitor = context.new_page()
    try:
        visitor.goto(url(platform, "/nastavnichestvo/"))
        expect(visitor.get_by_role("heading", name="Результаты завершённых программ")).to_be_visible()
        results = visitor.get_by_test_id("public-results")
        expect(results).to_contain_text(MATH_PROGRAM.title)
        expect(results).to_contain_text(MATH_PROGRAM.planned_results)
        # The program still going on is listed among the current ones.
        expect(visitor.locator("section").filter(has_text="Реализуемые программы наставничества")).to_contain_text(
            RUSSIAN_PROGRAM.title
        )
        # Nothing private reaches the public page: no meeting notes, no mentee requests.
        expect(visitor.locator("body")).not_to_contain_text("Договорились о приёмах работы с классом.")
        expect(visitor.locator("body")).not_to_contain_text(MATH_PROGRAM.request)
        shot(visitor, "public-section")
    finally:
        context.close()
