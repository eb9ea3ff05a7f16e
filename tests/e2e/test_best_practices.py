"""Issue 6, best practices: a case goes from the demo gymnasium to the regional bank and every feed.

The demo (fixtures.practices_demo) has one completed program in kamyshin-gymnasium-1 and a case of
volzhsky-school-21 already published. Here, each person in a browser of their own: the gymnasium's
curator writes a case from the completed program and submits it; the municipal coordinator of
Камышин approves it; the regional coordinator returns it with a comment; the curator fixes it and
resubmits — it goes straight back to the region, the level that returned it (the municipality has
approved it already); the coordinator publishes it. A teacher of a school of another municipality
finds it by a search in other word forms and sees it in the region's feed and on the home page.

Touches only the gymnasium's case (public rows): the pairs, programs and banks the other browser
tests use stay as they are.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_EMAIL_DOMAIN, REGION_CODE
from fixtures.practices_demo import GYMNASIUM_PROGRAM, VOLZHSKY_PROGRAM
from tests.e2e.setup_steps import nav, shots_of, signed_in_at

pytestmark = pytest.mark.e2e

GYMNASIUM = GYMNASIUM_PROGRAM.organization
MUNICIPALITY = "kamyshin"
READER_SCHOOL = "volzhsky-lyceum-2"
CURATOR = f"{GYMNASIUM}.002@{DEMO_EMAIL_DOMAIN}"
MUNICIPAL = f"municipal@{DEMO_EMAIL_DOMAIN}"
COORDINATOR = f"coordinator@{DEMO_EMAIL_DOMAIN}"
READER = f"{READER_SCHOOL}.030@{DEMO_EMAIL_DOMAIN}"  # a teacher

TITLE = GYMNASIUM_PROGRAM.title
PROBLEM = (
    "Молодые учителя химии и физики боятся проводить лабораторные работы с цифровым оборудованием: "
    "не хватает опыта организации практической работы в большом классе."
)
RESULTS = "Проведены пять лабораторных работ с цифровыми датчиками и открытый урок-практикум."
RESULTS_FIXED = RESULTS + " Доля учеников, выполнивших практические работы без ошибок, выросла с 55 до 80 %."
AUTHORS = "Методическое объединение учителей естественных наук гимназии"
RETURN_COMMENT = "Добавьте в результаты измеримые показатели: что изменилось у учеников."
SEARCH = "лабораторная работа молодого учителя"  # the case says «лабораторные работы», «молодые учителя»
NEWS = f"Опубликован кейс «{TITLE}»"


def case_url_re(platform, code: str) -> re.Pattern:
    return re.compile(re.escape(platform.url(code, "/practices/")) + r"\d+/$")


def test_a_case_goes_from_the_gymnasium_through_both_levels_to_every_organizations_feed(
    platform_server, browser, request
) -> None:
    shot = shots_of(request.node)

    # 1. The curator writes the case from the completed program and sends it to the municipality.
    with signed_in_at(browser, platform_server, GYMNASIUM, CURATOR, shot) as curator:
        case_path = write_and_submit(curator, platform_server, shot)

    # 2. The municipality of Камышин approves it.
    with signed_in_at(browser, platform_server, MUNICIPALITY, MUNICIPAL, shot) as municipal:
        open_from_queue(municipal, platform_server, MUNICIPALITY)
        decide(municipal, "Одобрить и передать в регион")
        expect(municipal.get_by_text("Кейс передан на модерацию в регион.")).to_be_visible()
        expect(municipal.get_by_test_id("queue-empty")).to_be_visible()
        shot(municipal, "municipality-approved")

    # 3. The region returns it with a comment.
    with signed_in_at(browser, platform_server, REGION_CODE, COORDINATOR, shot) as coordinator:
        open_from_queue(coordinator, platform_server, REGION_CODE)
        decide(coordinator, "Вернуть на доработку", comment=RETURN_COMMENT)
        expect(coordinator.get_by_text("Кейс возвращён организации на доработку.")).to_be_visible()
        shot(coordinator, "region-returned")

    # 4. The curator sees the comment, fixes the results and resubmits: back to the region directly.
    with signed_in_at(browser, platform_server, GYMNASIUM, CURATOR, shot) as curator:
        curator.goto(platform_server.url(GYMNASIUM, case_path))
        expect(curator.get_by_test_id("case-returned")).to_be_visible()
        expect(curator.get_by_test_id("case-reviews")).to_contain_text(RETURN_COMMENT)
        curator.get_by_role("link", name="Изменить").click()
        curator.get_by_label("Результаты", exact=True).fill(RESULTS_FIXED)
        shot(curator, "curator-fixes")
        curator.get_by_role("button", name="Сохранить и направить на рассмотрение").click()
        expect(curator).to_have_url(platform_server.url(GYMNASIUM, case_path))
        expect(curator.get_by_text("Кейс направлен: на модерации в регионе.")).to_be_visible()
        expect(curator.get_by_test_id("case-status")).to_have_text("На модерации в регионе")

    # 5. The region publishes it.
    with signed_in_at(browser, platform_server, REGION_CODE, COORDINATOR, shot) as coordinator:
        open_from_queue(coordinator, platform_server, REGION_CODE)
        expect(coordinator.get_by_test_id("case-results")).to_contain_text("выросла с 55 до 80 %")
        decide(coordinator, "Опубликовать")
        expect(coordinator.get_by_text("Кейс опубликован в региональном банке практик.")).to_be_visible()
        expect(coordinator.get_by_test_id("case-status")).to_have_text("Опубликован")
        reviews = coordinator.get_by_test_id("case-review")
        expect(reviews).to_have_count(3)
        expect(reviews.nth(0)).to_contain_text("Муниципалитет: одобрить")
        expect(reviews.nth(1)).to_contain_text("Регион: вернуть на доработку")
        expect(reviews.nth(1)).to_contain_text(RETURN_COMMENT)
        expect(reviews.nth(2)).to_contain_text("Регион: одобрить")
        shot(coordinator, "region-published")

    # 6. A teacher of another municipality's school finds it and sees it in the feed.
    with signed_in_at(browser, platform_server, READER_SCHOOL, READER, shot) as reader:
        expect(reader.get_by_test_id("feed-block")).to_contain_text(NEWS)
        nav(reader, "Лучшие практики")
        reader.get_by_label("Поиск").fill(SEARCH)
        reader.get_by_role("button", name="Найти").click()
        cards = reader.get_by_test_id("practice-card")
        expect(cards).to_have_count(1)
        expect(cards).to_contain_text(TITLE)
        expect(cards).to_contain_text("ГО г. Камышин")
        shot(reader, "reader-search")
        cards.get_by_role("link", name=TITLE).click()
        expect(reader).to_have_url(case_url_re(platform_server, READER_SCHOOL))
        expect(reader.get_by_test_id("case-body")).to_contain_text(PROBLEM)
        expect(reader.locator("main")).not_to_contain_text(RETURN_COMMENT)  # reviews stay between the levels
        nav(reader, "Лента региона")
        expect(reader.get_by_test_id("feed-items")).to_contain_text(NEWS)
        shot(reader, "reader-feed")


def write_and_submit(curator: Page, platform, shot) -> str:
    nav(curator, "Лучшие практики")
    expect(curator).to_have_url(platform.url(GYMNASIUM, "/practices/"))
    expect(curator.get_by_role("heading", name="Банк лучших практик")).to_be_visible()
    expect(curator.get_by_test_id("practice-results")).to_contain_text(VOLZHSKY_PROGRAM.title)  # the demo's case
    curator.get_by_test_id("practices-mine-link").click()

    expect(curator.get_by_role("heading", name="Кейсы нашей организации")).to_be_visible()
    program = curator.get_by_test_id("completed-program").filter(has_text=TITLE)
    expect(program).to_have_count(1)
    shot(curator, "completed-programs")
    program.get_by_role("button", name="Написать кейс").click()

    expect(curator).to_have_url(re.compile(re.escape(platform.url(GYMNASIUM, "/practices/")) + r"\d+/edit/$"))
    expect(curator.get_by_label("Название кейса")).to_have_value(TITLE)
    expect(curator.get_by_label("Цель", exact=True)).to_have_value(GYMNASIUM_PROGRAM.goal)
    expect(curator.get_by_label("Результаты", exact=True)).to_have_value(GYMNASIUM_PROGRAM.planned_results)
    expect(curator.get_by_label("Мероприятия")).to_have_value(re.compile(re.escape(GYMNASIUM_PROGRAM.plan[0][1])))
    expect(curator.get_by_label("Молодой педагог")).to_be_checked()
    # Nothing of the mentee's own records is in the draft.
    for private in (GYMNASIUM_PROGRAM.requests, GYMNASIUM_PROGRAM.difficulties, GYMNASIUM_PROGRAM.request):
        expect(curator.locator("main")).not_to_contain_text(private)
    curator.get_by_label("Проблема", exact=True).fill(PROBLEM)
    curator.get_by_label("Результаты", exact=True).fill(RESULTS)
    curator.get_by_label("Авторы", exact=True).fill(AUTHORS)
    shot(curator, "case-form")
    curator.get_by_role("button", name="Сохранить и направить на рассмотрение").click()

    expect(curator).to_have_url(case_url_re(platform, GYMNASIUM))
    expect(curator.get_by_text("Кейс направлен: на рассмотрении муниципалитета.")).to_be_visible()
    expect(curator.get_by_test_id("case-status")).to_have_text("На рассмотрении муниципалитета")
    shot(curator, "case-submitted")
    return curator.url.removeprefix(platform.url(GYMNASIUM, ""))


def open_from_queue(page: Page, platform, code: str) -> None:
    nav(page, "Лучшие практики")
    page.get_by_test_id("practices-queue-link").click()
    expect(page).to_have_url(platform.url(code, "/practices/review/"))
    row = page.get_by_test_id("queued-case").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(case_url_re(platform, code))
    expect(page.get_by_test_id("case-title")).to_have_text(TITLE)


def decide(page: Page, decision: str, *, comment: str = "") -> None:
    form = page.get_by_test_id("review-form")
    form.get_by_label(decision, exact=True).check()
    if comment:
        form.get_by_label("Комментарий для организации").fill(comment)
    form.get_by_role("button", name="Принять решение").click()
