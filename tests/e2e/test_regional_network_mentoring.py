"""Issue 6, part 2: a mentor of another organization through the regional bank (сетевое наставничество).

The demo (`seed_demo`) brings kamyshin-gymnasium-1 and volzhsky-school-21 to «banks ready» and lists
the mentors who consented to publication in the regional bank. Here, each person in a browser of
their own: the gymnasium's curator finds a mentor of volzhsky-school-21 in the bank and asks for them
for a waiting mentee; the school's director releases the mentor; the mentor accepts; the gymnasium's
director approves the network pair by order through the approvals page; the request shows both
directors' decisions.

Shared e2e database: the mentee is one test_pairs_programs does not use (its matching round takes
mentees 017 and 018 and one more of those left waiting), the mentor is the other school's, and the
order number is one of its own.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_EMAIL_DOMAIN, ORGANIZATIONS
from fixtures.mentoring import DEMO_MENTORING_ORGANIZATION as GYMNASIUM
from tests.e2e.setup_steps import iso, ru, school_today, shots_of, signed_in_at

pytestmark = pytest.mark.e2e

SCHOOL = "volzhsky-school-21"
SHORT_NAMES = {code: short for code, _parent, _kind, _full, short in ORGANIZATIONS}
FULL_NAMES = {code: full for code, _parent, _kind, full, _short in ORGANIZATIONS}
SCHOOL_MUNICIPALITY = "ГО г. Волжский"
MENTOR_SUBJECT, MENTOR_POSITION = "Русский язык", "Учитель русского языка и литературы"  # MENTOR_BANK 008
TOPIC = "Классное руководство в 5-м классе: первые родительские собрания"
RELEASE_COMMENT = "Отпускаем на полгода, дистанционно"
ORDER = "131-сн"


def account(code: str, number: int) -> str:
    return f"{code}.{number:03d}@{DEMO_EMAIL_DOMAIN}"


CURATOR, GYMNASIUM_DIRECTOR = account(GYMNASIUM, 2), account(GYMNASIUM, 1)
SCHOOL_DIRECTOR, MENTOR = account(SCHOOL, 1), account(SCHOOL, 8)


def test_a_mentor_of_another_school_through_the_bank_from_request_to_order(platform_server, browser, request) -> None:
    shot = shots_of(request.node)
    today = school_today()

    # 1. The gymnasium's curator finds the mentor in the regional bank and sends a request.
    with signed_in_at(browser, platform_server, GYMNASIUM, CURATOR, shot) as curator:
        mentor_name = find_mentor(curator, platform_server, shot)
        mentee_name, request_url = send_request(curator, platform_server, shot)

    # 2. The director of the mentor's school sees the request (without the mentee) and releases the mentor.
    with signed_in_at(browser, platform_server, SCHOOL, SCHOOL_DIRECTOR, shot) as director:
        release(director, platform_server, shot, mentor_name, mentee_name)

    # 3. The mentor sees the offer and accepts: a draft network pair appears in the gymnasium.
    with signed_in_at(browser, platform_server, SCHOOL, MENTOR, shot) as mentor:
        accept(mentor, platform_server, shot, mentee_name)

    # 4. The gymnasium's director approves the network pair by order, as any pair.
    with signed_in_at(browser, platform_server, GYMNASIUM, GYMNASIUM_DIRECTOR, shot) as director:
        approve(director, platform_server, shot, mentor_name, mentee_name, today)

    # 5. The request shows both directors' decisions; the mentor works in the gymnasium on that pair only.
    with signed_in_at(browser, platform_server, GYMNASIUM, CURATOR, shot) as curator:
        curator.goto(request_url)
        timeline = curator.get_by_test_id("request-timeline")
        expect(timeline).to_contain_text(
            f"Руководитель организации наставника ({SHORT_NAMES[SCHOOL]}) отпустил наставника"
        )
        expect(timeline).to_contain_text(RELEASE_COMMENT)
        expect(timeline).to_contain_text("Наставник согласился")
        expect(timeline).to_contain_text(f"утвердил пару приказом № {ORDER} от {ru(today)}")
        expect(curator.get_by_test_id("request-status")).to_have_text(re.compile("^Наставник согласился"))
        shot(curator, "network-request-both-decisions")
    with signed_in_at(browser, platform_server, GYMNASIUM, MENTOR, shot) as mentor:
        mentor.goto(platform_server.url(GYMNASIUM, "/org/banks/me/"))
        expect(mentor.locator("main, body").first).to_contain_text(mentee_name)
        shot(mentor, "network-mentor-in-the-gymnasium")
        mentor.goto(platform_server.url(GYMNASIUM, "/org/staff/"))
        expect(mentor.get_by_role("heading", name="Недостаточно прав")).to_be_visible()


def find_mentor(curator: Page, platform, shot) -> str:
    curator.get_by_test_id("nav-bank").click()
    expect(curator).to_have_url(platform.url(GYMNASIUM, "/bank/"))
    form = curator.get_by_test_id("bank-search-form")
    form.get_by_label("Муниципалитет").select_option(label=SCHOOL_MUNICIPALITY)
    form.get_by_label("Предмет").select_option(label=MENTOR_SUBJECT)
    form.get_by_test_id("bank-search-submit").click()
    # The municipality and the subject leave the school's Russian teacher (no other school there has a bank).
    row = curator.get_by_test_id("bank-row").filter(has_text=MENTOR_POSITION).first
    expect(row).to_contain_text("свободно")
    link = row.get_by_test_id("bank-mentor-link")
    mentor_name = (link.text_content() or "").strip()
    shot(curator, "network-bank-search")
    link.click()
    expect(curator.get_by_test_id("bank-mentor-name")).to_have_text(mentor_name)
    school = re.compile("|".join(re.escape(name) for name in (SHORT_NAMES[SCHOOL], FULL_NAMES[SCHOOL])))
    expect(curator.get_by_test_id("bank-card")).to_contain_text(school)
    curator.get_by_test_id("bank-request").click()
    expect(curator).to_have_url(re.compile(re.escape(platform.url(GYMNASIUM, "/network/request/")) + r"\d+/$"))
    expect(curator.get_by_test_id("bank-mentor-card")).to_contain_text(mentor_name)
    return mentor_name


def send_request(curator: Page, platform, shot) -> tuple[str, str]:
    form = curator.get_by_test_id("request-form")
    mentee = form.get_by_label("Наставляемый")
    labels = [label.strip() for label in mentee.locator("option").all_text_contents() if label.strip()]
    waiting = [label for label in labels if not label.startswith("—")]
    assert waiting, "no waiting mentee left in the gymnasium"
    choice = waiting[-1]  # the last one in the bank: test_pairs_programs takes the first ones
    mentee.select_option(label=choice)
    mentee_name = choice.split(" — ")[0]
    form.get_by_label("Тема наставничества").fill(TOPIC)
    shot(curator, "network-request-form")
    form.get_by_role("button", name="Отправить запрос").click()
    expect(curator).to_have_url(re.compile(re.escape(platform.url(GYMNASIUM, "/network/")) + r"\d+/$"))
    expect(curator.get_by_text("Запрос отправлен в")).to_be_visible()
    expect(curator.get_by_test_id("request-status")).to_have_text("Ожидает решения руководителя организации наставника")
    expect(curator.get_by_test_id("request-topic")).to_have_text(TOPIC)
    return mentee_name, curator.url


def release(director: Page, platform, shot, mentor_name: str, mentee_name: str) -> None:
    director.get_by_test_id("nav-network").click()
    expect(director).to_have_url(platform.url(SCHOOL, "/network/"))
    card = director.get_by_test_id("incoming-request").filter(has_text=TOPIC)
    expect(card).to_contain_text(SHORT_NAMES[GYMNASIUM])
    expect(card).to_contain_text(mentor_name)
    expect(card).to_contain_text("Категории наставляемого:")
    expect(director.locator("main, body").first).not_to_contain_text(mentee_name)
    shot(director, "network-incoming-request")
    decision = card.locator("form").filter(has=director.get_by_role("button", name="Отпустить наставника"))
    decision.get_by_label("Комментарий").fill(RELEASE_COMMENT)
    decision.get_by_role("button", name="Отпустить наставника").click()
    expect(director.get_by_text("Наставник отпущен")).to_be_visible()
    expect(director.get_by_test_id("request-status")).to_have_text(
        "Руководитель отпустил наставника, ожидает согласия наставника"
    )


def accept(mentor: Page, platform, shot, mentee_name: str) -> None:
    mentor.get_by_test_id("nav-network").click()
    expect(mentor).to_have_url(platform.url(SCHOOL, "/network/"))
    offer = mentor.get_by_test_id("offer").filter(has_text=TOPIC)
    expect(offer).to_contain_text(SHORT_NAMES[GYMNASIUM])
    expect(mentor.locator("main, body").first).not_to_contain_text(mentee_name)
    shot(mentor, "network-offer")
    offer.get_by_role("button", name="Согласиться").click()
    expect(mentor.get_by_role("alert").filter(has_text="Вы согласились")).to_contain_text(
        "В организации наставляемого создан проект сетевой пары"
    )
    expect(mentor.get_by_test_id("request-status")).to_have_text(re.compile("^Наставник согласился"))


def approve(director: Page, platform, shot, mentor_name: str, mentee_name: str, today) -> None:
    director.goto(platform.url(GYMNASIUM, "/org/cabinet/approvals/"))
    row = director.get_by_test_id("draft-pairs").locator("tbody tr").filter(has_text=mentor_name)
    expect(row).to_contain_text(mentee_name)
    expect(row).to_contain_text("все согласия подписаны")
    shot(director, "network-pair-awaiting-order")
    row.get_by_role("link", name=mentor_name).click()
    expect(director).to_have_url(re.compile(re.escape(platform.url(GYMNASIUM, "/org/pairs/")) + r"\d+/$"))
    director.get_by_role("link", name="Утвердить приказом").click()
    boxes = director.locator("input[name=pairs]:checked")
    expect(boxes).to_have_count(1)
    director.get_by_label("Номер приказа").fill(ORDER)
    director.get_by_label("Дата приказа").fill(iso(today))
    director.get_by_role("button", name="Утвердить", exact=True).click()
    expect(director.get_by_text(f"Пары (группы) утверждены приказом № {ORDER}.")).to_be_visible()
    shot(director, "network-pair-approved")
