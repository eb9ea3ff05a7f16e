"""Signing in on an organization's host, switching organizations, signing out; refusals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fixtures.demo import DEMO_PASSWORD, ORGANIZATIONS

pytestmark = pytest.mark.e2e

FULL_NAMES = {code: full_name for code, _parent, _kind, full_name, _short in ORGANIZATIONS}
SCHOOL = "kamyshin-school-5"
GYMNASIUM = "kamyshin-gymnasium-1"
FOREIGN_SCHOOL = "volzhsky-lyceum-2"


def login_url_pattern(platform, code: str) -> re.Pattern:
    return re.compile(re.escape(platform.url(code, "/accounts/login/")) + r"(\?.*)?$")


def test_login_switch_organization_logout(platform_server, page, sign_in, shot):
    page.goto(platform_server.url(SCHOOL, "/"))
    expect(page).to_have_url(login_url_pattern(platform_server, SCHOOL))
    expect(page.get_by_text(FULL_NAMES[SCHOOL])).to_be_visible()
    shot("login-page")

    sign_in("mentor@demo.test", DEMO_PASSWORD)
    expect(page).to_have_url(platform_server.url(SCHOOL, "/"))
    expect(page.get_by_test_id("organization-name")).to_have_text(FULL_NAMES[SCHOOL])
    expect(page.get_by_test_id("my-roles")).to_have_text("Наставник")
    shot("school-home")

    switcher = page.get_by_test_id("org-switcher")
    switcher.get_by_role("button", name="Мои организации").click()
    target = switcher.get_by_role("link", name="МБОУ Гимназия № 1")
    expect(target).to_be_visible()
    shot("org-switcher-open")
    target.click()

    expect(page).to_have_url(platform_server.url(GYMNASIUM, "/"))
    expect(page.get_by_test_id("organization-name")).to_have_text(FULL_NAMES[GYMNASIUM])
    expect(page.get_by_test_id("my-roles")).to_have_text("Наставник")
    expect(page.get_by_test_id("user-menu")).to_be_visible()  # signed in on the new host
    shot("gymnasium-home")

    user_menu = page.get_by_test_id("user-menu")
    user_menu.get_by_role("button", name=re.compile(r"^Сафонова ")).click()
    user_menu.get_by_role("button", name="Выйти").click()

    expect(page).to_have_url(login_url_pattern(platform_server, GYMNASIUM))
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    shot("signed-out")

    page.goto(platform_server.url(GYMNASIUM, "/"))
    expect(page).to_have_url(login_url_pattern(platform_server, GYMNASIUM))
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    shot("home-after-logout-redirects-to-login")


def test_wrong_password_shows_error(platform_server, page, sign_in, shot):
    page.goto(platform_server.url(SCHOOL, "/accounts/login/"))
    sign_in("teacher@demo.test", "not-the-password")

    expect(page.get_by_test_id("login-error")).to_have_text("Неверная электронная почта или пароль.")
    expect(page).to_have_url(login_url_pattern(platform_server, SCHOOL))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    shot("wrong-password")


def test_sign_in_on_a_foreign_host_leads_to_the_users_own_organizations(platform_server, page, sign_in, shot):
    """The director of school No. 5 opens a school where they have no role and signs in there.

    Nothing on that host is theirs: they are signed in on their own school instead and shown the
    list of their organizations with a notice; the foreign host keeps answering with its login page.
    """
    page.goto(platform_server.url(FOREIGN_SCHOOL, "/"))
    expect(page).to_have_url(login_url_pattern(platform_server, FOREIGN_SCHOOL))
    sign_in("director@demo.test", DEMO_PASSWORD)
    shot("after-sign-in-on-foreign-host")

    expect(page).to_have_url(platform_server.url(SCHOOL, "/accounts/organizations/"))
    expect(page.get_by_text("Вы не состоите в организации «МОУ Лицей № 2»")).to_be_visible()
    memberships = page.get_by_test_id("membership-list")
    expect(memberships).to_contain_text("МБОУ СШ № 5")
    expect(memberships).not_to_contain_text("Лицей")

    response = page.goto(platform_server.url(FOREIGN_SCHOOL, "/"))
    assert response is not None
    expect(page).to_have_url(login_url_pattern(platform_server, FOREIGN_SCHOOL))
    expect(page.get_by_test_id("organization-name")).to_have_count(0)
    shot("foreign-host-still-login")
