"""Orders approving the regulation and the roadmap and appointing the curator and council: the DOCX
layouts, the draft before signing (writes nothing), the register entry recorded with the approval, the
merge of several decisions into one order, and who may do what."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from institutional.dates import academic_year_of, organization_today
from institutional.documents.orders import order_docx_bytes
from institutional.models import Appointment, Order, RegulationVersion, Roadmap
from institutional.services import orders as order_services
from institutional.services import regulation as regulation_services
from institutional.services import roadmap as roadmap_services
from institutional.services.appointments import appointment_create
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor
from institutional.tests.staff_factories import make_staff
from nastavnik.documents import document_text
from regional.models import DocumentTemplate
from regional.templates_content import REGULATION_CODE, ROADMAP_CODE
from tenants.models import Membership
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

DRAFTERS = ("curator", "director")
JAN_10 = date(2026, 1, 10)
FEB_3 = date(2026, 2, 3)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _regulation_draft():
    template = DocumentTemplate.objects.get(code=REGULATION_CODE, version=1)
    return regulation_services.regulation_create_from_template(actor=None, template_id=template.pk)


def _approve_regulation(version, number="12-о", day=FEB_3, scan=None):
    return regulation_services.regulation_approve(
        actor=None, version=version, order=regulation_services.Order(number=number, day=day, scan=scan)
    )


def _roadmap():
    template = DocumentTemplate.objects.get(code=ROADMAP_CODE, version=1)
    return roadmap_services.roadmap_create_from_template(
        actor=None, academic_year=academic_year_of(organization_today()), template_id=template.pk
    )


def _approve_roadmap(roadmap, number="12-о", day=FEB_3):
    return roadmap_services.roadmap_approve(
        actor=None, roadmap=roadmap, order=regulation_services.Order(number=number, day=day)
    )


def _appoint(staff, role, number="15-к", day=JAN_10, starts_on=date(2026, 1, 12)):
    return appointment_create(
        actor=None, staff=staff, role=role, order_number=number, order_date=day, starts_on=starts_on
    )


def _pdf():
    return SimpleUploadedFile("приказ.pdf", b"%PDF-1.4\n%test\n")


def _text(order) -> str:
    return document_text(order_docx_bytes(order))


def _state():
    return (
        list(Order.objects.order_by("pk").values_list("pk", "number", "kind", "title", "content", "status")),
        list(RegulationVersion.objects.order_by("pk").values_list("pk", "status", "order_number")),
        list(Roadmap.objects.order_by("pk").values_list("pk", "status", "order_number")),
        list(Appointment.objects.order_by("pk").values_list("pk", "staff_id", "role")),
    )


def _in_a(world, build):
    connection.set_tenant(world.school_a)
    try:
        return build()
    finally:
        connection.set_schema_to_public()


# --- the register entry and the DOCX layouts ------------------------------------------------------


def test_approving_the_regulation_records_a_signed_order_whose_docx_approves_it_and_repeals_the_old(in_school_a, world):
    first = _approve_regulation(_regulation_draft(), number="1-о", day=JAN_10)
    second = _approve_regulation(_regulation_draft(), number="12-о", day=FEB_3, scan=_pdf())

    order = Order.objects.get(number="12-о", date=FEB_3)
    assert second.register_order == order and first.register_order.number == "1-о"
    assert order.kind == Order.Kind.REGULATION_APPROVAL and order.status == Order.Status.SIGNED
    assert order.title == "Об утверждении положения о системе наставничества педагогических работников"
    assert order.signed_scan.name == second.order_scan.name != ""
    assert order.content["items"][0]["version_id"] == second.pk
    text = _text(order)
    assert world.school_a.full_name in text
    assert "ПРИКАЗ" in text and "«3» февраля 2026 г." in text and "№ 12-о" in text
    assert "Об утверждении положения о системе наставничества педагогических работников" in text
    assert "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "1. Утвердить Положение о системе наставничества педагогических работников (редакция № 2)" in text
    assert (
        "2. Ввести в действие Положение о системе наставничества педагогических работников (редакция № 2) с «3» февраля 2026 г."
        in text
    )
    assert (
        "3. Признать утратившим силу Положение о системе наставничества педагогических работников (редакция № 1), утверждённое приказом от 10.01.2026 № 1-о"
        in text
    )
    assert "разместить положение в разделе «Наставничество» официального сайта" in text
    assert "в течение 10 дней" in text
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "Руководитель" in text
    first_text = _text(first.register_order)
    assert "Признать утратившим силу" not in first_text and "(редакция № 1)" in first_text


def test_approving_the_roadmap_records_an_order_with_the_stages_in_an_annex(in_school_a, world):
    _approve_regulation(_regulation_draft(), number="1-о", day=JAN_10)
    roadmap = _roadmap()
    _approve_roadmap(roadmap, number="5-о", day=FEB_3)

    order = roadmap.register_order
    assert Order.objects.get(number="5-о").pk == order.pk and order.kind == Order.Kind.ROADMAP_APPROVAL
    label = roadmap.academic_year_label
    assert order.title == f"Об утверждении дорожной карты реализации системы наставничества на {label} учебный год"
    text = _text(order)
    assert world.school_a.full_name in text and "№ 5-о" in text
    assert order.title in text
    assert (
        "Положением о системе наставничества педагогических работников, утверждённым приказом от 10.01.2026 № 1-о"
        in text
    )
    assert (
        f"1. Утвердить дорожную карту (план мероприятий) реализации системы наставничества педагогических работников на {label} учебный год (приложение)."
        in text
    )
    assert "Назначить ответственными за выполнение мероприятий дорожной карты" in text
    assert "Приложение к приказу от 03.02.2026 № 5-о" in text
    assert "№ п/п | Мероприятие | Срок | Ответственные" in text
    stage = roadmap.stages.order_by("position").first()
    activity = stage.activities.order_by("position").first()
    assert f"1. | Этап 1. {stage.title}" in text
    assert f"1.{activity.position}. | {activity.title}" in text


def test_the_curator_and_council_appointed_by_one_order_share_one_entry(in_school_a, world):
    curator = make_staff(
        last_name="Соколова", first_name="Мария", patronymic="Ивановна", position="Заместитель директора"
    )
    member = make_staff(last_name="Петров", first_name="Иван", patronymic="Ильич", position="Учитель физики")
    first = _appoint(curator, Appointment.Role.CURATOR)
    assert first.register_order.title == "О назначении куратора реализации программ наставничества"
    second = _appoint(member, Appointment.Role.COUNCIL_MEMBER)

    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert first.register_order.pk == second.register_order.pk == order.pk
    assert order.kind == Order.Kind.CURATOR_APPOINTMENT and order.status == Order.Status.SIGNED
    assert order.title == "О назначении куратора и утверждении состава совета наставников"
    assert [item["appointment_id"] for item in order.content["items"]] == [first.pk, second.pk]
    text = _text(order)
    assert world.school_a.full_name in text and "№ 15-к" in text and "«10» января 2026 г." in text
    assert "О назначении куратора и утверждении состава совета наставников" in text
    assert (
        "1. Назначить куратором реализации программ наставничества педагогических работников: "
        "Соколова Мария Ивановна, заместитель директора, — с «12» января 2026 г." in text
    )
    assert "2. Утвердить состав совета наставников:" in text
    assert "2.1. Петров Иван Ильич, учитель физики, — с «12» января 2026 г." in text
    assert "3. Куратору и членам совета наставников в своей деятельности руководствоваться Положением" in text
    assert "4. Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "С приказом ознакомлены:" in text
    assert "г.." not in text
    assert "/ Соколова М.И. /" in text and "/ Петров И.И. /" in text


def test_a_council_only_order_is_titled_after_the_council(in_school_a):
    appointment = _appoint(make_staff(), Appointment.Role.COUNCIL_MEMBER, number="3-к")
    assert appointment.register_order.title == "Об утверждении состава совета наставников"
    assert "Членам совета наставников в своей деятельности" in _text(appointment.register_order)


def test_the_regulation_and_the_roadmap_approved_by_one_order_are_merged(in_school_a):
    version = _approve_regulation(_regulation_draft(), number="7-о", day=FEB_3)
    roadmap = _roadmap()
    _approve_roadmap(roadmap, number="7-о", day=FEB_3)

    order = Order.objects.get()
    assert version.register_order.pk == roadmap.register_order.pk == order.pk
    assert order.kind == Order.Kind.REGULATION_APPROVAL
    assert [item["kind"] for item in order.content["items"]] == ["regulation_approval", "roadmap_approval"]
    assert order.title == (
        "Об утверждении положения о системе наставничества педагогических работников и дорожной карты "
        f"реализации системы наставничества на {roadmap.academic_year_label} учебный год"
    )
    text = _text(order)
    assert "1. Утвердить Положение" in text and "2. Ввести в действие Положение" in text
    assert "4. Утвердить дорожную карту" in text
    assert "7. Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "Приложение к приказу от 03.02.2026 № 7-о" in text
    from institutional.selectors.orders import order_list

    assert list(order_list(kind=Order.Kind.ROADMAP_APPROVAL)) == [order]
    assert list(order_list(kind=Order.Kind.CURATOR_APPOINTMENT)) == []


def test_an_order_number_of_a_pairs_approval_is_refused_and_nothing_is_written(in_school_a, world):
    from institutional.services.pairs import pair_approve

    pair_approve(actor=None, pairs=[make_draft(make_mentor(), [make_mentee()])], order_number="42-о", order_date=FEB_3)
    version = _regulation_draft()
    staff = make_staff(email="teacher-a@test.test")
    assert staff.user_id == world.teacher_a.pk
    before = (_state(), list(Membership.objects.filter(is_active=True).order_by("pk").values_list("user_id", "role")))

    with pytest.raises(ValidationError) as refused:
        _approve_regulation(version, number="42-о", day=FEB_3, scan=_pdf())
    message = refused.value.message_dict["order_number"][0]
    assert (
        "Приказ № 42-о от 03.02.2026 уже есть в реестре" in message and "Об утверждении наставнических пар" in message
    )
    with pytest.raises(ValidationError, match="уже есть в реестре"):
        _appoint(staff, Appointment.Role.CURATOR, number="42-о", day=FEB_3, starts_on=FEB_3)

    assert (
        _state(),
        list(Membership.objects.filter(is_active=True).order_by("pk").values_list("user_id", "role")),
    ) == before
    version.refresh_from_db()
    assert version.status == RegulationVersion.Status.DRAFT and version.order_number == ""


def test_a_second_regulation_in_one_order_is_refused(in_school_a):
    _approve_regulation(_regulation_draft(), number="8-о", day=FEB_3)
    version = _regulation_draft()
    before = _state()
    with pytest.raises(ValidationError, match="уже утверждено положение"):
        _approve_regulation(version, number="8-о", day=FEB_3)
    assert _state() == before
    assert RegulationVersion.objects.get(pk=version.pk).status == RegulationVersion.Status.DRAFT


def test_a_failure_while_recording_the_order_leaves_nothing_approved(in_school_a):
    version = _regulation_draft()
    roadmap = _roadmap()
    staff = make_staff()
    before = _state()
    with mock.patch.object(order_services.Order.objects, "create", side_effect=RuntimeError("disk full")):
        for attempt in (
            lambda: _approve_regulation(version, number="1", day=FEB_3),
            lambda: _approve_roadmap(roadmap, number="2", day=FEB_3),
            lambda: _appoint(staff, Appointment.Role.CURATOR, number="3"),
        ):
            with pytest.raises(RuntimeError):
                attempt()
    assert _state() == before
    assert RegulationVersion.objects.get(pk=version.pk).status == RegulationVersion.Status.DRAFT
    assert Roadmap.objects.get(pk=roadmap.pk).status == Roadmap.Status.DRAFT


def test_a_refused_approval_records_no_order(in_school_a):
    roadmap = Roadmap.objects.create(academic_year=academic_year_of(organization_today()))
    with pytest.raises(ValidationError, match="нет ни одного этапа"):
        _approve_roadmap(roadmap)
    with pytest.raises(ValidationError, match="в будущем"):
        _approve_regulation(_regulation_draft(), day=date(2099, 1, 1))
    assert not Order.objects.exists()


# --- drafts before signing ---------------------------------------------------------------------


def test_the_regulation_draft_uses_the_typed_details_or_blanks_and_writes_nothing(in_school_a, world, client_on):
    _approve_regulation(_regulation_draft(), number="1-о", day=JAN_10)
    version = _regulation_draft()
    before = _state()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.director_a)
    path = f"/org/orders/draft/regulation/{version.pk}/"

    response = client.post(path, {"order_number": "9-о", "order_date": "2026-02-03", "draft": ""})
    assert response.status_code == 200
    assert "Проект" in response["Content-Disposition"] or "docx" in response["Content-Disposition"]
    text = document_text(response.content)
    assert "№ 9-о" in text and "«3» февраля 2026 г." in text
    assert "(редакция № 2)" in text and "утверждённое приказом от 10.01.2026 № 1-о" in text

    blank = document_text(client.get(path, {"order_number": "", "order_date": "не дата"}).content)
    assert "№ ____" in blank and "«___» ____________ 20__ г." in blank
    assert (
        "Ввести в действие Положение о системе наставничества педагогических работников (редакция № 2) с «___» ____________ 20__ г."
        in blank
    )

    assert _in_a(world, _state) == before
    assert _in_a(world, lambda: RegulationVersion.objects.get(pk=version.pk).status) == "draft"


def test_the_roadmap_and_appointment_drafts_write_nothing(in_school_a, world, client_on):
    roadmap = _roadmap()
    staff = make_staff(last_name="Соколова")
    before = _state()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.curator_a)

    text = document_text(
        client.post(f"/org/orders/draft/roadmap/{roadmap.pk}/", {"order_number": "5", "order_date": ""}).content
    )
    assert "№ 5" in text and "Утвердить дорожную карту" in text and "Приложение к приказу от ___.___.20___ № 5" in text

    data = {"staff": staff.pk, "role": "curator", "order_number": "", "order_date": "2026-01-10", "starts_on": ""}
    response = client.post("/org/orders/draft/appointment/", data)
    assert response.status_code == 200
    text = document_text(response.content)
    assert "О назначении куратора реализации программ наставничества" in text
    assert "Соколова" in text and "— с «10» января 2026 г." in text and "№ ____" in text

    refused = client.post("/org/orders/draft/appointment/", {"staff": "abc", "role": "curator"}, follow=True)
    assert "выберите сотрудника и роль" in refused.content.decode()

    api = client_on(world.host(world.school_a), world.director_a)
    response = api.get(
        "/api/v1/org/orders/draft/appointment/", {"staff": staff.pk, "role": "council_member", "order_number": "3"}
    )
    assert response.status_code == 200 and "Об утверждении состава совета наставников" in document_text(
        response.content
    )
    assert api.get("/api/v1/org/orders/draft/appointment/", {"staff": 999999, "role": "curator"}).status_code == 400
    assert api.get("/api/v1/org/orders/draft/appointment/", {"staff": staff.pk, "role": "x"}).status_code == 400
    response = api.get(f"/api/v1/org/orders/draft/roadmap/{roadmap.pk}/", {"order_number": "5"})
    assert response.status_code == 200 and "Утвердить дорожную карту" in document_text(response.content)
    assert api.get(f"/api/v1/org/orders/draft/roadmap/{roadmap.pk}/", {"order_date": "junk"}).status_code == 400

    assert _in_a(world, _state) == before


def test_the_approval_pages_offer_the_draft_button(in_school_a, world, client_on):
    version = _regulation_draft()
    roadmap = _roadmap()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.director_a)
    for page, draft in (
        (f"/org/regulation/{version.pk}/approve/", f"/org/orders/draft/regulation/{version.pk}/"),
        (f"/org/roadmap/{roadmap.pk}/approve/", f"/org/orders/draft/roadmap/{roadmap.pk}/"),
        ("/org/staff/appointments/", "/org/orders/draft/appointment/"),
    ):
        content = client.get(page).content.decode()
        assert "Скачать проект приказа (DOCX)" in content and f'formaction="{draft}"' in content


# --- pages and API ---------------------------------------------------------------------------------


def test_the_api_returns_the_order_id_and_its_docx(world, client_on):
    version, roadmap, staff = _in_a(world, lambda: (_regulation_draft(), _roadmap(), make_staff()))
    client = client_on(world.host(world.school_a), world.director_a)
    regulation = client.post(
        f"/api/v1/org/regulation/{version.pk}/approve/",
        {"order_number": "21", "order_date": "2026-02-03"},
        content_type="application/json",
    )
    assert regulation.status_code == 200
    roadmap_response = client.post(
        f"/api/v1/org/roadmap/{roadmap.pk}/approve/",
        {"order_number": "21", "order_date": "2026-02-03"},
        content_type="application/json",
    )
    assert roadmap_response.status_code == 200
    appointment = client.post(
        "/api/v1/org/staff/appointments/",
        {
            "staff": staff.pk,
            "role": "curator",
            "order_number": "22",
            "order_date": "2026-02-03",
            "starts_on": "2026-02-04",
        },
        content_type="application/json",
    )
    assert appointment.status_code == 201
    order_id = regulation.json()["order_id"]
    assert roadmap_response.json()["order_id"] == order_id != appointment.json()["order_id"]
    orders = _in_a(world, lambda: dict(Order.objects.values_list("pk", "number")))
    assert orders == {order_id: "21", appointment.json()["order_id"]: "22"}
    for pk in orders:
        response = client.get(f"/api/v1/org/orders/{pk}/docx/")
        assert response.status_code == 200 and "ПРИКАЗЫВАЮ:" in document_text(response.content)

    joined = client.post(
        "/api/v1/org/staff/appointments/",
        {
            "staff": staff.pk,
            "role": "council_member",
            "order_number": "21",
            "order_date": "2026-02-03",
            "starts_on": "2026-02-04",
        },
        content_type="application/json",
    )
    assert joined.status_code == 201  # an appointment may join the regulation's order
    assert _in_a(world, lambda: Order.objects.get(pk=order_id).title).endswith("и состава совета наставников")


def test_the_order_page_lists_what_it_decided_with_links(in_school_a, world, client_on):
    version = _approve_regulation(_regulation_draft(), number="7-о", day=FEB_3)
    staff = make_staff(last_name="Соколова")
    _appoint(staff, Appointment.Role.CURATOR, number="7-о", day=FEB_3, starts_on=FEB_3)
    order = Order.objects.get()
    assert (
        "руководствоваться Положением о системе наставничества педагогических работников, утверждённым настоящим приказом"
        in _text(order)
    )
    connection.set_schema_to_public()
    content = client_on(world.host(world.school_a), world.council_a).get(f"/org/orders/{order.pk}/").content.decode()
    assert "Утверждено: Положение о системе наставничества педагогических работников (редакция № 1)" in content
    assert f"/org/regulation/{version.pk}/download/" in content
    assert "Назначение: куратор — Соколова" in content and f"/org/staff/{staff.pk}/" in content
    register = client_on(world.host(world.school_a), world.director_a).get("/org/orders/").content.decode()
    assert (
        "Об утверждении положения о системе наставничества педагогических работников и о назначении куратора"
        in register
    )


def test_draft_permission_matrix(world, client_on):
    version, roadmap, staff = _in_a(world, lambda: (_regulation_draft(), _roadmap(), make_staff()))
    query = {"order_number": "1", "order_date": "2026-01-10"}
    for path in (f"/org/orders/draft/regulation/{version.pk}/", f"/org/orders/draft/roadmap/{roadmap.pk}/"):
        check_matrix(world, client_on, "get", path, allowed=DRAFTERS, data=query, state=_state)
        check_matrix(world, client_on, "post", path, allowed=DRAFTERS, data=query, state=_state)
    appointment = {**query, "staff": staff.pk, "role": "curator"}
    check_matrix(
        world, client_on, "post", "/org/orders/draft/appointment/", allowed=DRAFTERS, data=appointment, state=_state
    )
    for path in (
        f"/api/v1/org/orders/draft/regulation/{version.pk}/",
        f"/api/v1/org/orders/draft/roadmap/{roadmap.pk}/",
    ):
        check_matrix(world, client_on, "get", path, allowed=DRAFTERS, data=query, state=_state)
    check_matrix(
        world,
        client_on,
        "get",
        "/api/v1/org/orders/draft/appointment/",
        allowed=DRAFTERS,
        data=appointment,
        state=_state,
    )


def test_only_the_director_approves_and_the_order_is_recorded_once(world, client_on):
    version, roadmap = _in_a(world, lambda: (_regulation_draft(), _roadmap()))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/regulation/{version.pk}/approve/",
        allowed=("director",),
        data={"order_number": "31", "order_date": "2026-01-10"},
        state=_state,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/{roadmap.pk}/approve/",
        allowed=("director",),
        data={"order_number": "31", "order_date": "2026-01-10"},
        state=_state,
    )
    order = _in_a(world, Order.objects.get)
    assert order.number == "31" and len(order.content["items"]) == 2
