"""Issue 6, part 5: a regional contest from its announcement to the school's order of encouragement.

On the demo region (`seed_demo` announces «Наставник года — 2026» with the demo methodologist on its
jury): the regional coordinator opens the demo contest, then runs a contest of its own through the
pages — created, the methodologist appointed to the jury, announced; the director of the demo
gymnasium nominates a mentor whose publication consent lists the full name (a mentor without such
a consent is refused); the coordinator closes the nominations; the methodologist scores (a score
outside the scale is refused); the coordinator publishes the results; the gymnasium's director makes
the order of encouragement, downloads its DOCX and signs it by attaching the scan.

Shared state: the demo contest is only read (it stays open for nominations for any later test); the
contest of this test has a title of its own; the gymnasium gets one more signed order in its register
(number ENCOURAGEMENT_ORDER) and nothing else of its institutional data changes. Nothing here depends
on the other browser tests having run or not.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from fixtures.contests_demo import CRITERIA as DEMO_CRITERIA
from fixtures.contests_demo import TITLE as DEMO_TITLE
from fixtures.demo import DEMO_EMAIL_DOMAIN, REGION_CODE
from fixtures.mentoring import DEMO_MENTORING_ORGANIZATION as GYMNASIUM
from nastavnik.documents import document_text
from tests.e2e.setup_steps import download, iso, nav, pdf_scan, school_today, shots_of, signed_in_at

pytestmark = pytest.mark.e2e

TITLE = "Лучший наставник молодых педагогов — 2026"
CRITERIA = (("Результативность наставничества", 10), ("Распространение опыта", 5))
ENCOURAGEMENT_ORDER = "47-к"
COORDINATOR = f"coordinator@{DEMO_EMAIL_DOMAIN}"
METHODOLOGIST = f"methodologist@{DEMO_EMAIL_DOMAIN}"
METHODOLOGIST_NAME = "Зуева Марина Андреевна"  # fixtures.demo.DEMO_LOGINS
DIRECTOR = f"{GYMNASIUM}.001@{DEMO_EMAIL_DOMAIN}"
# fixtures.mentoring.MENTOR_BANK: 007 (mathematics) consented to publish full_name and position;
# 010 (primary school) gave no publication consent.
CONSENTED_POSITION = "Учитель математики"
UNCONSENTED_POSITION = "Учитель начальных классов"


def contest_page(page: Page, title: str) -> None:
    nav(page, "Конкурсы")
    page.get_by_test_id("contest-table").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def stage(page: Page) -> str:
    return page.locator("h1 + p").get_by_test_id("contest-stage").inner_text()


def mentor_option(page: Page, position: str) -> tuple[str, str]:
    """(value, label) of the nominee option of the gymnasium's mentor with this position."""
    option = page.get_by_label("Наставник").locator("option").filter(has_text=f", {position}").first
    return option.get_attribute("value") or "", option.inner_text().strip()


def test_contest_from_announcement_to_the_order_of_encouragement(platform_server, browser, request, tmp_path) -> None:
    shot = shots_of(request.node)
    today = school_today()

    # 1. The coordinator opens the demo contest, then creates and announces a contest of the test's own.
    with signed_in_at(browser, platform_server, REGION_CODE, COORDINATOR, shot) as region:
        contest_page(region, DEMO_TITLE)
        expect(region.get_by_test_id("contest-stage").first).to_have_text("Приём выдвижений")
        expect(region.get_by_test_id("jury-list")).to_contain_text(METHODOLOGIST_NAME)
        expect(region.get_by_test_id("contest-criteria").locator("tbody tr")).to_have_count(len(DEMO_CRITERIA))
        shot(region, "demo-contest")

        nav(region, "Конкурсы")
        region.get_by_role("link", name="Создать конкурс").click()
        region.get_by_label("Вид конкурса").select_option(label="Наставник года")
        region.get_by_label("Название").fill(TITLE)
        region.get_by_label("Выдвижение с").fill(iso(today - timedelta(days=1)))
        region.get_by_label("Выдвижение по (включительно)").fill(iso(today + timedelta(days=14)))
        region.get_by_label("Призовых мест").fill("1")
        for number, (title, maximum) in enumerate(CRITERIA, start=1):
            region.get_by_label(f"Критерий {number}", exact=True).fill(title)
            region.get_by_label(f"Максимальный балл критерия {number}", exact=True).fill(str(maximum))
        shot(region, "contest-form")
        region.get_by_role("button", name="Создать конкурс").click()
        expect(region.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
        expect(region.get_by_text("Назначьте жюри и объявите конкурс.")).to_be_visible()
        assert stage(region) == "Подготовка"

        region.get_by_label("Электронная почта члена жюри").fill(METHODOLOGIST)
        region.get_by_role("button", name="Включить в жюри").click()
        expect(region.get_by_test_id("jury-list")).to_contain_text(METHODOLOGIST_NAME)
        region.get_by_role("button", name="Объявить конкурс").click()
        expect(region.get_by_text("Конкурс объявлен")).to_be_visible()
        assert stage(region) == "Приём выдвижений"
        contest_url = region.url
        contest_id = re.search(r"/contests/(\d+)/", contest_url).group(1)
        shot(region, "contest-announced")

    # 2. The gymnasium's director nominates: refused without the name consent, accepted with it.
    with signed_in_at(browser, platform_server, GYMNASIUM, DIRECTOR, shot) as director:
        contest_page(director, TITLE)
        director.get_by_role("link", name="Выдвинуть участника").click()
        expect(director.get_by_role("heading", name=f"Выдвижение на конкурс «{TITLE}»")).to_be_visible()
        value, label = mentor_option(director, UNCONSENTED_POSITION)
        assert label.endswith("нет согласия на публикацию ФИО"), label
        director.get_by_label("Наставник").select_option(value)
        director.get_by_label("Представление").fill("Подготовила двух молодых учителей к аттестации.")
        director.get_by_role("button", name="Выдвинуть").click()
        expect(director.get_by_test_id("form-error")).to_have_text(
            "Для выдвижения нужно согласие наставника на публикацию ФИО"
        )

        value, label = mentor_option(director, CONSENTED_POSITION)
        nominee = label.split(",")[0].strip()
        director.get_by_label("Наставник").select_option(value)
        director.get_by_label("Представление").fill(
            "Наставник трёх молодых учителей математики; автор методических разработок по геометрии."
        )
        director.get_by_role("button", name="Выдвинуть").click()
        expect(director.get_by_text(f"Выдвижение принято: {nominee}.")).to_be_visible()
        expect(director.get_by_test_id("nomination-table")).to_contain_text(nominee)
        expect(director.get_by_test_id("nomination-table")).to_contain_text(CONSENTED_POSITION)
        shot(director, "nominated")

    # 3. The coordinator closes the nominations.
    with signed_in_at(browser, platform_server, REGION_CODE, COORDINATOR, shot) as region:
        region.goto(contest_url)
        expect(region.get_by_test_id("nomination-table")).to_contain_text(nominee)
        region.once("dialog", lambda dialog: dialog.accept())
        region.get_by_role("button", name="Закрыть приём выдвижений").click()
        expect(region.get_by_text("Приём выдвижений закрыт")).to_be_visible()
        assert stage(region) == "Работа жюри"
        expect(region.get_by_test_id("jury-progress")).to_contain_text("0 из 1")

    # 4. The methodologist scores: outside the scale is refused, then the scores are saved.
    with signed_in_at(browser, platform_server, REGION_CODE, METHODOLOGIST, shot) as jury:
        nav(jury, "Конкурсы")
        jury.get_by_test_id("my-juries").get_by_role("link", name=f"«{TITLE}»").click()
        expect(jury.get_by_role("heading", name=f"Оценка выдвижений: «{TITLE}»")).to_be_visible()
        card = jury.get_by_test_id("jury-nomination").filter(has_text=nominee)
        card.get_by_label(f"{CRITERIA[0][0]} (0–10)").fill("11")
        card.get_by_label(f"{CRITERIA[1][0]} (0–5)").fill("5")
        card.get_by_role("button", name="Сохранить оценки").click()
        expect(jury.get_by_text(f"Балл по критерию «{CRITERIA[0][0]}» должен быть от 0 до 10").first).to_be_visible()
        card = jury.get_by_test_id("jury-nomination").filter(has_text=nominee)
        card.get_by_label(f"{CRITERIA[0][0]} (0–10)").fill("9")
        card.get_by_label(f"{CRITERIA[1][0]} (0–5)").fill("5")
        card.get_by_role("button", name="Сохранить оценки").click()
        expect(jury.get_by_text(f"Оценки сохранены: {nominee}.")).to_be_visible()
        expect(jury.get_by_test_id("jury-scored")).to_have_text("1 из 1")
        shot(jury, "scored")

    # 5. The coordinator publishes the results.
    with signed_in_at(browser, platform_server, REGION_CODE, COORDINATOR, shot) as region:
        region.goto(contest_url)
        expect(region.get_by_test_id("jury-progress")).to_contain_text("1 из 1")
        region.once("dialog", lambda dialog: dialog.accept())
        region.get_by_role("button", name="Опубликовать итоги").click()
        expect(region.get_by_text("Итоги конкурса опубликованы.")).to_be_visible()
        assert stage(region) == "Итоги опубликованы"
        winner = region.get_by_test_id("result-row").filter(has_text=nominee)
        expect(winner.locator("td").first).to_have_text("1")
        expect(winner).to_contain_text("14,00")
        shot(region, "results")

    # 6. The gymnasium's director sees the results and makes the order of encouragement, then signs it.
    with signed_in_at(browser, platform_server, GYMNASIUM, DIRECTOR, shot) as director:
        director.goto(platform_server.url(GYMNASIUM, f"/contests/{contest_id}/"))
        expect(director.get_by_test_id("result-row").filter(has_text=nominee)).to_contain_text("14,00")
        director.get_by_role("link", name="Сформировать приказ о поощрении").click()
        expect(director.get_by_test_id("encouragement-persons")).to_contain_text(f"{nominee} — 1 место")
        director.get_by_label("Номер приказа").fill(ENCOURAGEMENT_ORDER)
        director.get_by_label("Дата приказа").fill(iso(today))
        director.get_by_role("button", name="Сформировать приказ о поощрении").click()
        expect(director).to_have_url(re.compile(re.escape(platform_server.url(GYMNASIUM, "/org/orders/")) + r"\d+/$"))
        expect(
            director.get_by_text(f"Проект приказа № {ENCOURAGEMENT_ORDER} о поощрении внесён в реестр.")
        ).to_be_visible()
        expect(director.get_by_test_id("order-decisions")).to_contain_text(f"Поощрение по итогам конкурса «{TITLE}»")
        shot(director, "encouragement-order")

        name, content = download(director, director.get_by_role("link", name="Скачать DOCX"))
        assert name.endswith(".docx")
        text = document_text(content)
        assert f"№ {ENCOURAGEMENT_ORDER}" in text
        assert f"О поощрении победителей регионального конкурса «{TITLE}»" in text
        assert "ПРИКАЗЫВАЮ:" in text
        assert f"1. Объявить благодарность победителям и призёрам регионального конкурса «{TITLE}»" in text
        assert f"1.1. {nominee}, учитель математики, — победитель конкурса (1 место)." in text
        assert "к поощрению" in text

        director.get_by_label("Скан подписанного приказа (PDF, JPEG, PNG)").set_input_files(
            pdf_scan(tmp_path / "order.pdf")
        )
        director.get_by_role("button", name="Прикрепить").click()
        expect(director.get_by_text("Скан подписанного приказа прикреплён.")).to_be_visible()
        director.goto(platform_server.url(GYMNASIUM, f"/contests/{contest_id}/"))
        expect(director.get_by_test_id("encouragement-block")).to_contain_text(f"№ {ENCOURAGEMENT_ORDER}")
        expect(director.get_by_test_id("encouragement-block")).to_contain_text("подписан")
        shot(director, "order-signed")
