"""Network mentoring through the pages and the API, on each organization's own host; what the outside
mentor sees in the mentee's organization; the outside records kept out of the organization's lists."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from institutional.models import MentorEntry, Pair, Staff
from institutional.selectors.matching import active_mentors
from institutional.selectors.overview import setup_overview
from institutional.services.banks import mentor_entry_update
from regional.models import NetworkRequest
from regional.tests.test_network_factories import (
    MENTEE_DIFFICULTIES,
    MENTEE_LAST_NAME,
    MENTEE_REQUESTS,
    TOPIC,
    accepted,
    approve_in,
    local_pair,
    make_network,
    request_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(world):
    return make_network(world)


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_whole_flow_through_the_pages(net, world, client_on):
    a, b = world.host(world.school_a), world.host(world.school_b)
    curator = client_on(a, world.curator_a)

    card = curator.get(f"/network/request/{net.bank.pk}/")
    assert card.status_code == 200
    text = card.content.decode()
    assert net.bank.full_name in text and "Свободных мест: 3" in text and MENTEE_LAST_NAME in text

    sent = curator.post(f"/network/request/{net.bank.pk}/", {"mentee": net.mentee.pk, "topic": TOPIC})
    assert sent.status_code == 302
    found = NetworkRequest.objects.get()
    assert sent["Location"] == f"/network/{found.pk}/"
    assert "Ожидает решения руководителя" in curator.get(sent["Location"]).content.decode()

    # The mentor's director sees the requesting organization, the categories and the topic — nothing else.
    director = client_on(b, net.director_b)
    incoming = director.get("/network/").content.decode()
    assert "Входящие запросы" in incoming and TOPIC in incoming and "Молодой педагог" in incoming
    assert world.school_a.short_name in incoming
    for secret in (MENTEE_LAST_NAME, MENTEE_REQUESTS, MENTEE_DIFFICULTIES):
        assert secret not in incoming
    assert director.post(f"/network/{found.pk}/release/", {"comment": "Отпускаем на полгода"}).status_code == 302
    found.refresh_from_db()
    assert found.status == NetworkRequest.Status.RELEASED

    mentor = client_on(b, world.teacher_b)
    offers = mentor.get("/network/").content.decode()
    assert "Предложения мне" in offers and TOPIC in offers and MENTEE_LAST_NAME not in offers
    accept = mentor.post(f"/network/{found.pk}/accept/", {"comment": "Согласна"})
    assert accept.status_code == 302 and "проект сетевой пары" in _messages(accept)
    found.refresh_from_db()
    assert found.status == NetworkRequest.Status.ACCEPTED

    mine = curator.get("/network/").content.decode()
    assert "Мои запросы" in mine and MENTEE_LAST_NAME in mine
    assert "отпустил наставника" in mine and "Отпускаем на полгода" in mine and "Наставник согласился" in mine

    # The mentee organization's director approves the draft through the existing pages.
    director_a = client_on(a, world.director_a)
    queue = director_a.get("/org/cabinet/approvals/").content.decode()
    assert world.teacher_b.last_name in queue and "все согласия подписаны" in queue
    approved = director_a.post(
        "/org/pairs/approve/",
        {"pairs": [found.pair_id], "order_number": "21-сн", "order_date": organization_today().isoformat()},
    )
    assert approved.status_code == 302, approved.content.decode()[:2000]
    with tenant_context(world.school_a):
        assert Pair.objects.get(pk=found.pair_id).status == Pair.Status.APPROVED
    detail = curator.get(f"/network/{found.pk}/").content.decode()
    assert "отпустил наставника" in detail and "утвердил пару приказом № 21-сн" in detail
    # The school's own pages mark the pair as a network one and name the mentor's organization.
    listed = curator.get("/org/pairs/").content.decode()
    assert 'data-testid="network-badge"' in listed and world.school_b.full_name in listed
    pair_page = curator.get(f"/org/pairs/{found.pair_id}/").content.decode()
    assert 'data-testid="network-pair"' in pair_page and world.school_b.full_name in pair_page


def test_a_director_of_another_organization_is_refused_on_the_page(net, world, client_on):
    found = request_for(net)
    director_a = client_on(world.host(world.school_a), world.director_a)
    response = director_a.post(f"/network/{found.pk}/release/", {"comment": ""})
    assert response.status_code == 302
    assert "Решение принимает руководитель организации наставника" in _messages(response)
    found.refresh_from_db()
    assert found.status == NetworkRequest.Status.REQUESTED and found.director_decided_at is None


def test_who_sees_a_request(net, world, client_on):
    found = request_for(net)
    a, b = world.host(world.school_a), world.host(world.school_b)
    url = f"/network/{found.pk}/"
    assert client_on(a, world.council_a).get(url).status_code == 200
    assert client_on(b, net.director_b).get(url).status_code == 200
    assert client_on(a, world.teacher_a).get(url).status_code == 404
    assert client_on(b, world.teacher_b).get(url).status_code == 404  # the mentor: only once released
    # A member of the mentee's organization on the mentor's host is not a member there.
    assert client_on(b, world.curator_a).get(url).status_code == 404
    found.status = NetworkRequest.Status.RELEASED
    found.save()
    assert client_on(b, world.teacher_b).get(url).status_code == 200


def test_asking_needs_the_right_role_and_a_visible_mentor(net, world, client_on):
    a = world.host(world.school_a)
    assert client_on(a, world.teacher_a).get(f"/network/request/{net.bank.pk}/").status_code == 403
    assert client_on(a, world.curator_a).get("/network/request/999999/").status_code == 404
    refused = client_on(a, world.curator_a).post(f"/network/request/{net.bank.pk}/", {"mentee": "", "topic": ""})
    assert refused.status_code == 400 and not NetworkRequest.objects.exists()
    assert "Нет назначений" not in client_on(a, world.teacher_a).get("/network/").content.decode()


def test_the_api_flow_and_a_refusal(net, world, client_on):
    a, b = world.host(world.school_a), world.host(world.school_b)
    created = client_on(a, world.curator_a).post(
        "/api/v1/network/",
        {"bank_mentor_id": net.bank.pk, "mentee_entry_id": net.mentee.pk, "topic": TOPIC},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "requested" and body["mentee_category_labels"][0] == "Молодой педагог"
    request_id = body["id"]

    refused = client_on(a, world.director_a).post(
        f"/api/v1/network/{request_id}/release/", {}, content_type="application/json"
    )
    assert refused.status_code == 400 and "Решение принимает руководитель" in refused.content.decode()

    incoming = client_on(b, net.director_b).get("/api/v1/network/").json()
    assert [row["id"] for row in incoming["incoming"]] == [request_id] and incoming["sent"] == []
    assert incoming["incoming"][0]["mentee_name"] == ""
    assert (
        client_on(b, net.director_b).post(f"/api/v1/network/{request_id}/release/", {"comment": "Да"}).status_code
        == 200
    )
    answered = client_on(b, world.teacher_b).post(f"/api/v1/network/{request_id}/accept/", {})
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    detail = client_on(a, world.curator_a).get(f"/api/v1/network/{request_id}/").json()
    assert detail["pair_id"] and detail["mentee_name"].startswith(MENTEE_LAST_NAME)
    assert client_on(a, world.teacher_a).get(f"/api/v1/network/{request_id}/").status_code == 404


# --- the outside mentor in the mentee's organization -----------------------------------------------------------


def test_the_outside_mentor_sees_only_that_pair(net, world, client_on):
    found = accepted(net)
    approve_in(world.school_a, [found.pair_id], number="22-сн")
    other = local_pair(world.school_a, _local_mentor(world), approve_number="23-сн", mentee_name="Чужих")
    mentor = client_on(world.host(world.school_a), world.teacher_b)

    own = mentor.get(f"/org/programs/pair/{found.pair_id}/")
    assert own.status_code == 200 and MENTEE_LAST_NAME in own.content.decode()
    assert mentor.get(f"/org/programs/pair/{found.pair_id}/new/").status_code == 200  # may draft the program
    me = mentor.get("/org/banks/me/").content.decode()
    assert MENTEE_LAST_NAME in me and "Чужих" not in me
    # The entry here is the home organization's: no edit button, and the edit page is not found.
    assert 'data-testid="outside-entry"' in me and "/org/banks/me/mentor/" not in me
    with tenant_context(world.school_a):
        outside_entry = MentorEntry.objects.get(staff__is_outside=True)
    assert mentor.get(f"/org/banks/me/mentor/{outside_entry.pk}/").status_code == 404
    with tenant_context(world.school_a), pytest.raises(ValidationError, match="ведёт его организация"):
        mentor_entry_update(actor=world.curator_a, entry=outside_entry, data={"capacity": 5})
    assert mentor.get(f"/org/programs/pair/{other.pk}/").status_code == 404
    for path in ("/org/staff/", "/org/banks/mentees/", "/org/banks/mentors/", "/org/pairs/", "/org/matching/"):
        assert mentor.get(path).status_code in (403, 404), path
    assert mentor.get(f"/org/pairs/{other.pk}/").status_code in (403, 404)
    assert mentor.get(f"/org/banks/mentees/{net.mentee.pk}/").status_code in (403, 404)
    assert mentor.get("/api/v1/org/staff/").status_code in (403, 404)


def _local_mentor(world) -> MentorEntry:
    from regional.tests.test_network_factories import make_home_mentor

    return make_home_mentor(world.school_a, last_name="Местная")


def test_outside_records_stay_out_of_the_organizations_lists_and_counts(net, world, client_on):
    found = accepted(net)
    approve_in(world.school_a, [found.pair_id], number="24-сн")
    curator = client_on(world.host(world.school_a), world.curator_a)
    outsider = world.teacher_b.last_name
    assert outsider not in curator.get("/org/staff/").content.decode()
    assert outsider not in curator.get("/org/banks/mentors/").content.decode()
    assert outsider not in curator.get("/org/staff/appointments/").content.decode()
    assert outsider in curator.get("/org/pairs/").content.decode()  # the pair itself is the organization's
    with tenant_context(world.school_a):
        outside = Staff.objects.get(is_outside=True)
        assert curator.get(f"/org/staff/{outside.pk}/").status_code == 404
        assert not active_mentors().filter(staff=outside).exists()
        employed = Staff.objects.filter(status="employed", is_outside=False).count()
        staff_step = next(
            step for step in setup_overview(world.school_a) if step.url_name == "institutional:staff_list"
        )
        assert f"работает: {employed}" in staff_step.detail
        from institutional.dates import academic_year_of
        from institutional.selectors.annual_report import annual_report_data

        data = annual_report_data(academic_year=academic_year_of(organization_today()))
        assert data.staff_total == employed
    staff_api = curator.get("/api/v1/org/staff/").content.decode()
    assert outsider not in staff_api
