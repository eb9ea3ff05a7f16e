"""The public section «Наставничество»: what an anonymous visitor sees, and above all what they never see."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutional.dates import academic_year_of, organization_today
from institutional.models import Consent, ConsentKind, EndReason, Meeting, MenteeEntry, News, Pair, Program
from institutional.selectors.programs import add_months
from institutional.services import consents as consent_services
from institutional.services import pairs as pair_services
from institutional.services import regulation as regulation_services
from institutional.services import roadmap as roadmap_services
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor
from institutional.tests.test_banks_factories import signed_consent
from nastavnik.documents import document_text
from regional.models import DocumentTemplate
from regional.templates_content import REGULATION_CODE, ROADMAP_CODE

PRIVATE = [
    "МаркерЗапросаНаставляемого",
    "МаркерЗатрудненийНаставляемого",
    "МаркерЗаметокВстречи",
    "МаркерТемыВстречи",
    "МаркерЦелиПрограммы",
    "МаркерЗапросаПрограммы",
    "МаркерЗадачПрограммы",
    "Скрытнова",  # a mentor without a publication consent
    "Наставляемова",  # a mentee
    "Завершённова",  # a mentee of a completed pair
    "Черновикова",  # a draft news item's marker
    "МаркерЧерновикаПоложения",
    "МаркерОтчёта",
]

_order_numbers = iter(range(100, 10**6))


def _approve(pair):
    pair_services.pair_approve(
        actor=None, pairs=[pair], order_number=f"{next(_order_numbers)}-н", order_date=organization_today()
    )
    return Pair.objects.get(pk=pair.pk)


def _activate(pair):
    if pair.status == Pair.Status.APPROVED:
        pair_services.pair_activate(actor=None, pair=pair)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE


def _program(pair, *, title, planned_results="Молодой педагог уверенно ведёт уроки"):
    return Program.objects.create(
        pair=pair,
        title=title,
        request="МаркерЗапросаПрограммы",
        goal="МаркерЦелиПрограммы",
        tasks="МаркерЗадачПрограммы",
        intermediate_results="МаркерОтчёта",
        planned_results=planned_results,
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        draft_due_on=pair.starts_on + timedelta(days=10),
    )


def _regulation_in_force():
    template = DocumentTemplate.objects.get(code=REGULATION_CODE, version=1)
    version = regulation_services.regulation_create_from_template(actor=None, template_id=template.pk)
    return regulation_services.regulation_approve(
        actor=None, version=version, order=regulation_services.Order(number="7-о", day=organization_today())
    )


def _draft_regulation():
    template = DocumentTemplate.objects.get(code=REGULATION_CODE, version=1)
    version = regulation_services.regulation_create_from_template(actor=None, template_id=template.pk)
    version.title = "Положение МаркерЧерновикаПоложения"
    version.save(update_fields=["title"])
    return version


def _roadmap_approved():
    template = DocumentTemplate.objects.get(code=ROADMAP_CODE, version=1)
    roadmap = roadmap_services.roadmap_create_from_template(
        actor=None, academic_year=academic_year_of(organization_today()), template_id=template.pk
    )
    return roadmap_services.roadmap_approve(
        actor=None, roadmap=roadmap, order=regulation_services.Order("9-о", organization_today())
    )


def _school():
    """A school with everything private and everything publishable, returns the objects tests need."""
    regulation = _regulation_in_force()
    draft = _draft_regulation()
    roadmap = _roadmap_approved()

    hidden_mentor = make_mentor(last_name="Скрытнова")
    shown_mentor = make_mentor(last_name="Публичнова")
    shown_mentor.subjects = ["математика"]
    shown_mentor.save(update_fields=["subjects"])
    publication = signed_consent(
        kind=ConsentKind.PUBLICATION, staff=shown_mentor.staff, published_fields=["full_name", "subjects"]
    )

    mentee = make_mentee(last_name="Наставляемова")
    MenteeEntry.objects.filter(pk=mentee.pk).update(
        requests="МаркерЗапросаНаставляемого", difficulties="МаркерЗатрудненийНаставляемого"
    )
    current = _approve(make_draft(hidden_mentor, [mentee]))
    _program(current, title="Адаптация молодого учителя математики")
    Meeting.objects.create(
        pair=current,
        held_on=organization_today(),
        duration_minutes=60,
        mode="in_person",
        topic="МаркерТемыВстречи",
        notes="МаркерЗаметокВстречи",
    )

    finished_mentee = make_mentee(last_name="Завершённова")
    finished = _approve(make_draft(shown_mentor, [finished_mentee], starts_in_days=-200))
    _program(finished, title="Освоение цифровых инструментов", planned_results="Педагог ведёт электронный журнал")
    _activate(finished)
    pair_services.pair_end(actor=None, pair=finished, reason=EndReason.PLAN_COMPLETED, ended_on=organization_today())

    News.objects.create(
        title="Стартовала школа молодого педагога",
        body="Первая встреча.",
        is_published=True,
        published_on=organization_today(),
    )
    News.objects.create(title="Черновикова новость", body="не опубликована", is_published=False)
    return {
        "regulation": regulation,
        "draft": draft,
        "roadmap": roadmap,
        "publication": publication,
        "shown_mentor": shown_mentor,
    }


PUBLIC_PATHS = ("/nastavnichestvo/", "/nastavnichestvo/widget/", "/nastavnichestvo/feed.json")


def _text(response) -> str:
    return response.content.decode("utf-8")


def test_nothing_private_appears_on_any_public_page_widget_or_feed(in_school_a, world, client_on):
    _school()
    client = client_on(world.host(world.school_a))
    for path in PUBLIC_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        body = _text(response)
        for marker in PRIVATE:
            assert marker not in body, f"{marker} leaked on {path}"


def test_the_public_page_shows_what_may_be_published(in_school_a, world, client_on):
    objects = _school()
    body = _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))
    assert world.school_a.full_name in body
    assert objects["regulation"].title in body
    assert "№ 7-о" in body
    assert f"/nastavnichestvo/regulation/{objects['regulation'].pk}/" in body
    assert "Дорожная карта на" in body and "№ 9-о" in body
    assert "Адаптация молодого учителя математики" in body
    assert "Педагог – педагог" in body and "индивидуальное" in body
    assert "Публичнова" in body and "математика" in body
    assert "Освоение цифровых инструментов" in body and "Педагог ведёт электронный журнал" in body
    assert "273-ФЗ" in body and "351.8" in body and "152-ФЗ" in body and "Р-145" in body
    assert "Стартовала школа молодого педагога" in body
    assert "Код для сайта школы" in body and "/pedagogam-i-sotrudnikam/nastavnichestvo" in body
    assert "&lt;iframe" in body and "/nastavnichestvo/widget/" in body and "/nastavnichestvo/feed.json" in body


def test_the_roadmap_names_positions_never_staff(in_school_a, world, client_on):
    from institutional.models import RoadmapActivity
    from institutional.tests.test_banks_factories import make_staff

    objects = _school()
    responsible = make_staff("Ответственнова")
    activity = RoadmapActivity.objects.filter(stage__roadmap=objects["roadmap"]).first()
    activity.responsible.add(responsible)
    body = _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))
    assert activity.title in body
    assert "Ответственнова" not in body


def test_only_consented_fields_of_a_mentor_are_published(in_school_a, world, client_on):
    objects = _school()
    mentor = objects["shown_mentor"]
    mentor.competencies = "МаркерКомпетенцийБезСогласия"
    mentor.save(update_fields=["competencies"])
    client = client_on(world.host(world.school_a))
    for path in PUBLIC_PATHS:
        assert "МаркерКомпетенцийБезСогласия" not in _text(client.get(path))
    feed = json.loads(_text(client.get("/nastavnichestvo/feed.json")))
    assert feed["mentors"] == [{"full_name": mentor.staff.full_name, "subjects": "математика"}]


def test_withdrawing_the_publication_consent_removes_the_mentor_at_once(in_school_a, world, client_on):
    objects = _school()
    client = client_on(world.host(world.school_a))
    assert "Публичнова" in _text(client.get("/nastavnichestvo/"))
    consent_services.consent_withdraw(
        actor=None, consent=objects["publication"], withdrawn_on=organization_today(), note="по заявлению"
    )
    assert Consent.objects.get(pk=objects["publication"].pk).status == Consent.Status.WITHDRAWN
    for path in PUBLIC_PATHS:
        assert "Публичнова" not in _text(client.get(path)), path


def test_an_excluded_mentor_is_not_published_even_with_a_consent(in_school_a, world, client_on):
    objects = _school()
    type(objects["shown_mentor"]).objects.filter(pk=objects["shown_mentor"].pk).update(is_active=False)
    assert "Публичнова" not in _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))


def test_the_regulation_download_serves_only_the_version_in_force(in_school_a, world, client_on):
    objects = _school()
    client = client_on(world.host(world.school_a))
    response = client.get(f"/nastavnichestvo/regulation/{objects['regulation'].pk}/")
    assert response.status_code == 200
    text = document_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "ПОЛОЖЕНИЕ" in text and "№ 7-о" in text
    assert client.get(f"/nastavnichestvo/regulation/{objects['draft'].pk}/").status_code == 404
    assert client.get("/nastavnichestvo/regulation/999999/").status_code == 404


def test_a_superseded_regulation_is_no_longer_downloadable(in_school_a, world, client_on):
    old = _regulation_in_force()
    template = DocumentTemplate.objects.get(code=REGULATION_CODE, version=1)
    new = regulation_services.regulation_create_from_template(actor=None, template_id=template.pk)
    regulation_services.regulation_approve(
        actor=None, version=new, order=regulation_services.Order(number="8-о", day=organization_today())
    )
    client = client_on(world.host(world.school_a))
    assert client.get(f"/nastavnichestvo/regulation/{old.pk}/").status_code == 404
    assert client.get(f"/nastavnichestvo/regulation/{new.pk}/").status_code == 200


def test_without_a_regulation_or_roadmap_the_page_says_so(in_school_a, world, client_on):
    body = _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))
    assert "готовится к утверждению" in body
    assert "ещё не утверждена" in body


def test_results_appear_only_for_pairs_completed_with_the_plan_done(in_school_a, world, client_on):
    mentor = make_mentor(last_name="Досрочнова")
    early = _approve(make_draft(mentor, [make_mentee()], starts_in_days=-100))
    _program(early, title="ПрограммаЗавершённаяДосрочно", planned_results="МаркерДосрочныхРезультатов")
    _activate(early)
    pair_services.pair_end(
        actor=None, pair=early, reason=EndReason.MUTUAL, ended_on=organization_today(), note="переезд"
    )
    body = _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))
    assert "МаркерДосрочныхРезультатов" not in body
    assert "ПрограммаЗавершённаяДосрочно" not in body


def test_a_draft_pair_s_program_is_not_published(in_school_a, world, client_on):
    draft = make_draft(make_mentor(), [make_mentee()])
    _program(draft, title="ПрограммаЧерновойПары")
    assert "ПрограммаЧерновойПары" not in _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/"))


def test_the_feed_is_json_for_any_site(in_school_a, world, client_on):
    objects = _school()
    response = client_on(world.host(world.school_a)).get("/nastavnichestvo/feed.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    assert "Публичнова" in _text(response)  # not escaped as \\u…
    data = json.loads(_text(response))
    assert data["organization"]["full_name"] == world.school_a.full_name
    assert data["regulation"]["order_number"] == "7-о"
    assert data["regulation"]["document_url"].endswith(f"/nastavnichestvo/regulation/{objects['regulation'].pk}/")
    assert [p["title"] for p in data["programs"]] == ["Адаптация молодого учителя математики"]
    assert [r["title"] for r in data["results"]] == ["Освоение цифровых инструментов"]
    assert [n["title"] for n in data["news"]] == ["Стартовала школа молодого педагога"]
    assert data["roadmap"]["stages"]


def test_only_the_widget_may_be_framed(in_school_a, world, client_on):
    _school()
    client = client_on(world.host(world.school_a))
    widget = client.get("/nastavnichestvo/widget/")
    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert widget["Content-Security-Policy"] == "frame-ancestors *"
    body = _text(widget)
    assert "<script" not in body and "<link" not in body and "src=" not in body
    assert "Стартовала школа молодого педагога" in body and "/nastavnichestvo/" in body
    for path in ("/nastavnichestvo/", "/nastavnichestvo/feed.json"):
        assert client.get(path)["X-Frame-Options"] == "DENY", path


def test_the_widget_shows_only_the_latest_news_newest_first(in_school_a, world, client_on):
    today = organization_today()
    for day in range(8):
        News.objects.create(
            title=f"Новость номер {day}", body=".", is_published=True, published_on=today - timedelta(days=day)
        )
    body = _text(client_on(world.host(world.school_a)).get("/nastavnichestvo/widget/"))
    assert body.index("Новость номер 0") < body.index("Новость номер 4")
    assert "Новость номер 5" not in body


def test_the_public_section_is_open_to_anonymous_visitors_and_any_signed_in_user(in_school_a, world, client_on):
    host = world.host(world.school_a)
    for user in (None, world.outsider, world.teacher_b, world.teacher_a):
        for path in PUBLIC_PATHS:
            assert client_on(host, user).get(path).status_code == 200, (user, path)


def test_the_public_section_refuses_writes(in_school_a, world, client_on):
    client = client_on(world.host(world.school_a))
    for path in PUBLIC_PATHS:
        assert client.post(path, {}).status_code in (403, 405), path


def test_each_organization_publishes_only_its_own_data(in_school_a, world, client_on):
    _school()
    connection.set_schema_to_public()
    body = _text(client_on(world.host(world.school_b)).get("/nastavnichestvo/"))
    assert world.school_b.full_name in body
    assert "Публичнова" not in body and "Стартовала школа" not in body
    connection.set_tenant(world.school_a)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get("/nastavnichestvo/").status_code == 200
    return len(context.captured_queries)


def test_the_public_page_does_a_fixed_number_of_queries(in_school_a, world, client_on):
    objects = _school()
    client = client_on(world.host(world.school_a))
    _queries(client)  # warm caches (content types, sessions)
    few = _queries(client)
    for index in range(3):
        mentor = make_mentor(last_name=f"Добавленова{index}")
        signed_consent(kind=ConsentKind.PUBLICATION, staff=mentor.staff, published_fields=["full_name", "position"])
        pair = _approve(make_draft(mentor, [make_mentee()]))
        _program(pair, title=f"Ещё программа {index}")
        News.objects.create(
            title=f"Ещё новость {index}", body=".", is_published=True, published_on=organization_today()
        )
    assert objects
    many = _queries(client)
    assert many == few
    assert "Добавленова2" in _text(client.get("/nastavnichestvo/"))
    assert add_months  # the factories' month arithmetic stays importable
