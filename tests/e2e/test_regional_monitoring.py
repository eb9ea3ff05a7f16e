"""Issue 5, «Done when»: the region and the municipality watch the demo region, run a campaign, download XLSX.

On the demo region (seeded by `seed_demo`, projections refreshed by the running worker after every
write of the earlier browser tests): the regional coordinator sees every KPI tile with its trend,
the table and heat map by municipality, the lagging organizations with their reasons, and drills
down region → municipality → organization card; the municipal coordinator sees only the
organizations of Камышин. A monitoring campaign runs end to end — opened by the region, figures
reviewed, recomputed and submitted by a school's curator, completion seen per municipality, the
window closed — and its frozen XLSX is downloaded; then the region-wide XLSX is built by the worker
with a progress bar and downloaded. Finally `verify_projections` finds no difference.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_EMAIL_DOMAIN, MUNICIPALITIES, ORGANIZATIONS, REGION_CODE
from tests.e2e.setup_steps import download, iso, nav, school_today, shots_of, signed_in_at

pytestmark = pytest.mark.e2e

SCHOOL = "kamyshin-school-5"
KINDERGARTEN = "kamyshin-ds-12"
SHORT_NAMES = {code: short for code, _parent, _kind, _full, short in ORGANIZATIONS}
KAMYSHIN = next(short for code, _full, short in MUNICIPALITIES if code == "kamyshin")
KAMYSHIN_CODES = [code for code, parent, *_ in ORGANIZATIONS if parent == "kamyshin"]
VOLZHSKY_CODE = next(code for code, parent, *_ in ORGANIZATIONS if parent == "volzhsky")
CAMPAIGN_TITLE = "Мониторинг системы наставничества за учебный год"


def email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def api_json(page: Page, path: str) -> dict:
    """GET an API path of the page's host from inside the browser (its session; *.localhost resolves there)."""
    return page.evaluate(
        """async (path) => {
            const response = await fetch(path, {headers: {Accept: "application/json"}});
            if (!response.ok) throw new Error(path + ": " + response.status);
            return response.json();
        }""",
        path,
    )


def test_region_and_municipality_monitor_run_a_campaign_and_download_the_region(
    platform_server, browser, request
) -> None:
    shot = shots_of(request.node)
    today = school_today()
    coordinator = signed_in_at(browser, platform_server, REGION_CODE, email("coordinator"), shot)
    with coordinator as region:
        # 1. The regional dashboard: every tile with its trend, the municipalities, the laggards.
        nav(region, "Мониторинг")
        expect(region.get_by_test_id("kpi-tiles")).to_be_visible()
        for number in range(1, 13):
            expect(region.get_by_test_id(f"kpi-tile-k{number}")).to_be_visible()
        expect(region.get_by_test_id("kpi-tile-k10")).to_contain_text("банк")
        expect(region.get_by_test_id("trend-chart")).to_have_attribute("data-rendered", "1")
        k1 = api_json(region, "/api/v1/monitoring/kpi/")["indicators"]["k1"]
        # Every educational organization of the region (the demo's, and any the onboarding test added).
        organizations_count = k1["denominator"]
        assert organizations_count >= len(ORGANIZATIONS)
        expect(region.get_by_test_id("kpi-value-k1")).to_contain_text(f"{k1['percent']:.1f}".replace(".", ","))
        table = region.get_by_test_id("municipality-table")
        for _code, _full, short in MUNICIPALITIES:
            expect(table).to_contain_text(short)
        region.get_by_test_id("tab-heatmap").click()
        expect(region.get_by_test_id("heatmap")).to_be_visible()
        expect(region.get_by_test_id("heatmap-legend")).to_be_visible()
        lagging = region.get_by_test_id("lagging-list")
        kindergarten = lagging.locator("li, tr").filter(has_text=SHORT_NAMES[KINDERGARTEN]).first
        expect(kindergarten).to_contain_text("нет утверждённого положения о наставничестве")
        shot(region, "region-dashboard")

        # 2. Drill down: region → Камышин → the kindergarten's card (counts only, with why it lags).
        region.get_by_test_id("tab-table").click()
        table.get_by_role("link", name=KAMYSHIN).click()
        expect(region.get_by_test_id("breadcrumbs")).to_contain_text(KAMYSHIN)
        organizations = region.get_by_test_id("organization-table")
        for code in KAMYSHIN_CODES:
            expect(organizations).to_contain_text(SHORT_NAMES[code])
        organizations.get_by_role("link", name=SHORT_NAMES[KINDERGARTEN]).click()
        card = region.get_by_test_id("org-card")
        expect(card).to_be_visible()
        expect(region.get_by_test_id("org-lagging")).to_contain_text("не назначен куратор")
        expect(region.get_by_test_id("fact-mentors")).to_contain_text("0")
        shot(region, "organization-card")

        # 3. The region opens the monitoring campaign.
        nav(region, "Кампании мониторинга")
        form = region.get_by_test_id("campaign-open-form")
        form.get_by_label("Название").fill(CAMPAIGN_TITLE)
        form.get_by_label("Начало приёма сведений").fill(iso(today))
        form.get_by_label("Окончание приёма сведений").fill(iso(today + timedelta(days=14)))
        region.get_by_test_id("campaign-open").click()
        expect(region.get_by_role("heading", name=CAMPAIGN_TITLE)).to_be_visible()
        campaign_url = region.url
        expect(region.get_by_test_id("progress-total")).to_contain_text("0")
        shot(region, "campaign-opened")

    # 4. The municipality watches only its own organizations.
    with signed_in_at(browser, platform_server, "kamyshin", email("municipal"), shot) as municipal:
        nav(municipal, "Мониторинг")
        own = municipal.get_by_test_id("organization-table")
        for code in KAMYSHIN_CODES:
            expect(own).to_contain_text(SHORT_NAMES[code])
        expect(own).not_to_contain_text(SHORT_NAMES[VOLZHSKY_CODE])
        shot(municipal, "municipal-dashboard")

    # 5. The school's curator reviews the figures, recomputes them and submits.
    with signed_in_at(browser, platform_server, SCHOOL, email("curator"), shot) as curator:
        nav(curator, "Мониторинг")
        expect(curator.get_by_test_id("campaign-card")).to_contain_text(CAMPAIGN_TITLE)
        expect(curator.get_by_test_id("figure-group-K1")).to_be_visible()
        expect(curator.get_by_test_id("check-records").first).to_be_visible()
        curator.get_by_test_id("monitoring-refresh").click()
        expect(curator.get_by_role("alert").first).to_contain_text("ересчита")
        curator.get_by_label("Комментарий для региона (необязательно)").fill("Сведения проверены куратором.")
        curator.get_by_test_id("monitoring-submit").click()
        expect(curator.get_by_test_id("submitted-banner")).to_be_visible()
        shot(curator, "curator-submitted")

    with signed_in_at(browser, platform_server, REGION_CODE, email("coordinator"), shot) as region:
        # 6. Completion per municipality; closing freezes the figures; the frozen XLSX.
        region.goto(campaign_url)
        kamyshin_row = region.get_by_test_id("progress-row").filter(has_text=KAMYSHIN)
        expect(kamyshin_row.locator("td").nth(2)).to_have_text("1")
        expect(region.get_by_test_id("pending-organizations")).not_to_contain_text(SHORT_NAMES[SCHOOL])
        region.once("dialog", lambda dialog: dialog.accept())
        region.get_by_test_id("campaign-close").click()
        expect(region.get_by_test_id("campaign-status")).to_contain_text("зафиксированы")
        region.get_by_test_id("campaign-export").click()
        # On a timeout the job's status (queued, failed) is what the assertion reports.
        expect(region.get_by_test_id("job-status")).to_have_text("Готово", timeout=60_000)
        expect(region.get_by_test_id("export-download")).to_be_visible()
        _name, content = download(region, region.get_by_test_id("export-download"))
        frozen = load_workbook(io.BytesIO(content), read_only=True)
        rows = list(frozen["Организации"].iter_rows(values_only=True))
        header = rows[0]
        by_code = {row[header.index("Код")]: row for row in rows[1:] if row[header.index("Код")]}
        status = header.index("Статус сведений")
        assert by_code[SCHOOL][status] == "Сдано"
        assert by_code[KINDERGARTEN][status].startswith("Не сдано")
        assert len(by_code) == organizations_count
        cover = " ".join(str(cell) for row in frozen["Титульный лист"].iter_rows(values_only=True) for cell in row)
        assert "закрытии" in cover, cover[:500]
        shot(region, "campaign-frozen-export")

        # 7. The region-wide XLSX, built by the worker with a progress bar.
        nav(region, "Выгрузки")
        export_form = region.get_by_test_id("export-form")
        export_form.get_by_label("Охват").select_option(label="Волгоградская область — весь регион")
        region.get_by_test_id("export-start").click()
        expect(region.get_by_test_id("job-progress")).to_be_visible()
        expect(region.get_by_test_id("job-status")).to_have_text("Готово", timeout=60_000)
        expect(region.get_by_test_id("export-download")).to_be_visible()
        _name, content = download(region, region.get_by_test_id("export-download"))
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in ("Титульный лист", "Организации", "Итоги", "К4 формы и виды", "К8 нагрузка", "К11 этапы"):
            assert sheet in workbook.sheetnames, workbook.sheetnames
        organizations_rows = list(workbook["Организации"].iter_rows(values_only=True))
        code_column = organizations_rows[0].index("Код")
        codes = [row[code_column] for row in organizations_rows[1:] if row[code_column]]
        assert set(SHORT_NAMES) <= set(codes) and len(codes) == organizations_count, codes
        totals = [row[0] for row in workbook["Итоги"].iter_rows(values_only=True)]
        assert any(str(name).startswith("Итого") for name in totals if name), totals
        shot(region, "region-export")

    # 8. The read model equals a recomputation from raw data in every organization.
    platform_server.manage("verify", "verify_projections")
    assert "Расхождений нет" in platform_server.log_path("verify").read_text()
