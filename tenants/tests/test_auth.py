"""Signing in, lock-out, password reset, switching organizations, signing out — on tenant hosts."""

import re

from django.core import mail
from django.test import override_settings

from conftest import PASSWORD
from tenants import services
from tenants.models import LoginThrottle


def login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_a_member_signs_in_on_their_school_host_and_sees_its_home_page(world, client_on):
    client = client_on(world.host(world.school_a))

    response = login(client, world.curator_a.email)

    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert world.school_a.full_name in page
    assert "Куратор" in page
    assert world.school_a.parent.full_name in page


def test_a_wrong_password_is_refused_in_russian(world, client_on):
    response = login(client_on(world.host(world.school_a)), world.curator_a.email, "wrong")
    assert response.status_code == 200
    assert "Неверная электронная почта или пароль" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_address_even_for_the_right_password(world, client_on):
    client = client_on(world.host(world.school_a))
    for _ in range(3):
        login(client, world.curator_a.email, "wrong")

    response = login(client, world.curator_a.email)

    assert response.status_code == 200
    assert "Вход для этого адреса заблокирован" in response.content.decode()
    assert client.get("/").status_code == 302  # still not signed in


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_sign_in_clears_earlier_failures(world, client_on):
    client = client_on(world.host(world.school_a))
    login(client, world.curator_a.email, "wrong")
    login(client, world.curator_a.email, "wrong")
    login(client, world.curator_a.email)
    assert not LoginThrottle.objects.filter(email=world.curator_a.email).exists()


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_the_api_token_endpoint_obeys_the_same_lock_out(world, client_on):
    client = client_on(world.host(world.school_a))
    for _ in range(2):
        response = client.post("/api/v1/auth/token/", {"email": world.curator_a.email, "password": "x"})
        assert response.status_code in (401, 403)
    response = client.post("/api/v1/auth/token/", {"email": world.curator_a.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Слишком много неудачных попыток" in response.json()["detail"]


def test_password_reset_mails_a_link_to_the_same_host_and_the_link_sets_a_new_password(world, client_on, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    host = world.host(world.school_a)
    client = client_on(host)

    response = client.post("/accounts/password-reset/", {"email": world.curator_a.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://(\S+?)(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link.group(1) == host
    confirm = client.get(link.group(2), follow=True)
    assert confirm.status_code == 200
    done = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "Brand-New-77x", "new_password2": "Brand-New-77x"}
    )
    assert done.status_code == 302
    world.curator_a.refresh_from_db()
    assert world.curator_a.check_password("Brand-New-77x")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(world, client_on, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client_on(world.host(world.school_a)).post("/accounts/password-reset/", {"email": "nobody@test.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def _member_of_both(world):
    services.membership_grant(actor=None, user=world.curator_a, organization=world.school_b, role="mentor")
    return world.curator_a


def test_the_switcher_lists_memberships_and_moves_the_session_to_the_other_host(world, client_on):
    user = _member_of_both(world)
    client_a = client_on(world.host(world.school_a), user)
    page = client_a.get("/").content.decode()
    assert f"/accounts/switch/{world.school_b.pk}/" in page

    response = client_a.get(f"/accounts/switch/{world.school_b.pk}/")

    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(f"http://{world.host(world.school_b)}/accounts/handoff/?token=")
    client_b = client_on(world.host(world.school_b))
    landed = client_b.get(target.split(world.host(world.school_b))[1])
    assert landed.status_code == 302
    assert landed["Location"] == "/"
    home = client_b.get("/")
    assert home.status_code == 200
    assert world.school_b.full_name in home.content.decode()


def test_a_handoff_token_works_once_and_only_on_its_own_host(world, client_on):
    user = _member_of_both(world)
    token = services.handoff_token_issue(user=user, organization=world.school_b)

    wrong_host = client_on(world.host(world.school_a)).get(f"/accounts/handoff/?token={token}")
    assert wrong_host["Location"].startswith("/accounts/login/")
    first = client_on(world.host(world.school_b)).get(f"/accounts/handoff/?token={token}")
    assert first["Location"] == "/"
    second_client = client_on(world.host(world.school_b))
    second = second_client.get(f"/accounts/handoff/?token={token}")
    assert second["Location"].startswith("/accounts/login/")
    assert second_client.get("/").status_code == 302


def test_a_forged_or_stale_handoff_token_is_refused(world, client_on, settings):
    client = client_on(world.host(world.school_b))
    assert client.get("/accounts/handoff/?token=forged").status_code == 302
    settings.HANDOFF_MAX_AGE_SECONDS = -1
    token = services.handoff_token_issue(user=_member_of_both(world), organization=world.school_b)
    client.get(f"/accounts/handoff/?token={token}")
    assert client.get("/").status_code == 302


def test_switching_to_an_organization_without_membership_is_not_found(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    assert client.get(f"/accounts/switch/{world.school_b.pk}/").status_code == 404


def test_signing_in_on_a_foreign_host_leads_to_the_users_own_organizations(world, client_on):
    client_b = client_on(world.host(world.school_b))
    response = login(client_b, world.curator_a.email)

    assert client_b.get("/").status_code == 302  # not signed in where they are not a member
    prefix = f"http://{world.host(world.school_a)}"
    assert response["Location"].startswith(prefix + "/accounts/handoff/?token=")
    client_a = client_on(world.host(world.school_a))
    landed = client_a.get(response["Location"].removeprefix(prefix))
    assert landed["Location"] == "/accounts/organizations/"
    page = client_a.get("/accounts/organizations/").content.decode()
    assert f"/accounts/switch/{world.school_a.pk}/" in page
    assert "Вы не состоите в организации «t-school-b»" in page


def test_signing_in_without_any_membership_explains_why(world, client_on):
    response = login(client_on(world.host(world.school_a)), world.outsider.email)
    assert response.status_code == 200
    assert "нет назначений ни в одной организации" in response.content.decode()


def test_logout_ends_the_session(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_the_public_host_lists_regions_without_login(world, client_on):
    page = client_on("localhost").get("/").content.decode()
    assert world.region.full_name in page
    assert "t-region.localhost" in page
    assert world.school_a.full_name not in page


def test_an_unknown_host_is_not_found(world, client_on):
    response = client_on("no-such-school.localhost").get("/")
    assert response.status_code == 404
    assert "нет организации с таким адресом" in response.content.decode()


def test_the_home_page_shows_the_setup_checklist_to_the_curator_only(world, client_on):
    curator_page = client_on(world.host(world.school_a), world.curator_a).get("/").content.decode()
    assert 'data-testid="setup-checklist"' in curator_page
    assert "Положение утверждено" in curator_page
    assert "нет утверждённой версии" in curator_page
    teacher_page = client_on(world.host(world.school_a), world.teacher_a).get("/").content.decode()
    assert 'data-testid="setup-checklist"' not in teacher_page
