"""Model documents downward: who sees which model, who edits it, versions, and documents made from them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from institutional.dates import academic_year_of, organization_today
from institutional.models import Program, Question, Questionnaire, RegulationVersion, Roadmap
from institutional.services import programs as program_services
from institutional.services import questionnaires as questionnaire_services
from institutional.services import regulation as regulation_services
from institutional.services import roadmap as roadmap_services
from institutional.tests.programs_factories import approved_pair, plan, program_data
from regional.models import DocumentTemplate
from regional.selectors import newer_version, template_get, template_list
from regional.services import templates as services
from regional.templates_content import (
    PROGRAM_YOUNG_TEACHER_CODE,
    QUESTIONNAIRE_TEMPLATES,
    REGULATION_CODE,
    ROADMAP_CODE,
    questionnaire_code,
)
from regional.views.template_editor import editor_rows
from tenants import services as tenant_services
from tenants.models import Level, OrganizationKind, Role, User

Kind = DocumentTemplate.Kind


def project(code: str) -> DocumentTemplate:
    return DocumentTemplate.objects.get(code=code, version=1, publisher=None)


def provision(code, level, parent, kind=""):
    return tenant_services.organization_provision(
        actor=None,
        data=tenant_services.OrganizationData(
            code=code, level=level, parent_code=parent, kind=kind, full_name=f"Организация {code}", short_name=code
        ),
    )


def user_with(role, organization, local):
    account = User.objects.create_user(
        email=f"{local}@test.test", password="Correct-Horse-42", last_name="Иванова", first_name="Анна"
    )
    tenant_services.membership_grant(actor=None, user=account, organization=organization, role=role)
    return account


def published(publisher, source, *, actor=None, title=None, change_note=""):
    """The publisher's own model made from `source`, published as version 1."""
    draft = services.template_adapt(actor=actor, publisher=publisher, source=source)
    if title:
        services.template_update_draft(
            actor=actor, publisher=publisher, template=draft, title=title, content=draft.content
        )
    return services.template_publish(actor=actor, publisher=publisher, template=draft, change_note=change_note)


def codes(kind, organization):
    return {template.code for template in template_list(kind=kind, organization=organization)}


@pytest.fixture
def elsewhere(world):
    """A second municipality with a school, and a school of regional subordination."""
    mun2 = provision("t-mun2", Level.MUNICIPALITY, "t-region")
    school_c = provision("t-school-c", Level.ORGANIZATION, "t-mun2", OrganizationKind.SCHOOL)
    regional_school = provision("t-college", Level.ORGANIZATION, "t-region", OrganizationKind.COLLEGE)
    return mun2, school_c, regional_school


# --- the project's models ---------------------------------------------------------------------------


def test_the_project_publishes_model_programs_and_every_questionnaire(db):
    programs = DocumentTemplate.objects.filter(kind=Kind.PROGRAM, publisher=None, is_published=True)
    assert programs.count() == 2
    young = project(PROGRAM_YOUNG_TEACHER_CODE)
    assert young.content["fields"]["goal"] and young.content["plan"][0]["percent"] == 0
    assert young.content["plan"][-1]["percent"] == 100
    questionnaires = DocumentTemplate.objects.filter(kind=Kind.QUESTIONNAIRE, publisher=None, is_published=True)
    assert questionnaires.count() == len(QUESTIONNAIRE_TEMPLATES) == 5
    needs = project(questionnaire_code("needs_analysis"))
    assert needs.content["questionnaire_kind"] == "needs_analysis" and len(needs.content["questions"]) == 10
    for template in [*programs, *questionnaires]:
        assert services.content_clean(template.kind, template.content) == template.content


# --- which model applies --------------------------------------------------------------------------


def test_each_level_sees_the_project_its_region_and_its_own_municipality(world, elsewhere):
    mun2, school_c, regional_school = elsewhere
    source = project(REGULATION_CODE)
    regional = services.template_adapt(actor=world.coordinator, publisher=world.region, source=source)
    # A draft is seen by nobody below, nor offered to the region's organizations.
    for organization in (world.region, world.municipality, world.school_a, regional_school):
        assert regional.code not in codes(Kind.REGULATION, organization)
    services.template_publish(actor=world.coordinator, publisher=world.region, template=regional)
    for organization in (world.region, world.municipality, mun2, world.school_a, school_c, regional_school):
        assert codes(Kind.REGULATION, organization) >= {REGULATION_CODE, regional.code}

    municipal = published(world.municipality, regional, actor=world.municipal)
    assert municipal.based_on_id == regional.pk
    assert municipal.code in codes(Kind.REGULATION, world.school_a)
    assert municipal.code in codes(Kind.REGULATION, world.school_b)
    assert municipal.code in codes(Kind.REGULATION, world.municipality)
    for outside in (world.region, mun2, school_c, regional_school):
        assert municipal.code not in codes(Kind.REGULATION, outside)
    # The most local model comes first.
    assert [t.code for t in template_list(kind=Kind.REGULATION, organization=world.school_a)][:2] == [
        municipal.code,
        regional.code,
    ]
    # No organization: the project's own only.
    assert codes(Kind.REGULATION, None) == {REGULATION_CODE}
    with pytest.raises(Http404):
        template_get(kind=Kind.REGULATION, template_id=municipal.pk, organization=school_c)


def test_only_the_latest_published_version_is_offered(world):
    regional = published(world.region, project(ROADMAP_CODE))
    draft = services.template_new_version(actor=None, publisher=world.region, template=regional)
    assert (draft.version, draft.is_published, draft.code) == (2, False, regional.code)
    listed = {t.code: t.version for t in template_list(kind=Kind.ROADMAP, organization=world.school_a)}
    assert listed[regional.code] == 1
    services.template_publish(actor=None, publisher=world.region, template=draft, change_note="Уточнены сроки")
    listed = {t.code: t.version for t in template_list(kind=Kind.ROADMAP, organization=world.school_a)}
    assert listed[regional.code] == 2


# --- editing ----------------------------------------------------------------------------------------


def test_the_region_adapts_edits_publishes_and_starts_a_new_version_through_its_pages(world, client_on):
    client = client_on(world.host(world.region), world.coordinator)
    source = project(REGULATION_CODE)
    page = client.get(f"/templates/?kind={Kind.REGULATION}")
    assert page.status_code == 200 and "Создать свою модель на основе этой" in page.content.decode()
    response = client.post(f"/templates/{source.pk}/adapt/")
    draft = DocumentTemplate.objects.get(publisher=world.region, kind=Kind.REGULATION)
    assert response.status_code == 302 and response["Location"].endswith(f"/templates/{draft.pk}/edit/")
    assert (draft.version, draft.is_published, draft.based_on_id) == (1, False, source.pk)
    assert draft.code == "t-region-regulation-1"

    post = _post_of(draft, title="Региональная модель положения")
    post["parameters.mentees_per_mentor_max"] = "2"
    post["sections[0].heading"] = "Общие положения о наставничестве"
    response = client.post(f"/templates/{draft.pk}/edit/", post)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Региональная модель положения"
    assert draft.content["parameters"]["mentees_per_mentor_max"] == 2
    assert draft.content["sections"][0]["heading"] == "Общие положения о наставничестве"

    assert client.post(f"/templates/{draft.pk}/publish/", {"change_note": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    # A published version is frozen.
    response = client.post(f"/templates/{draft.pk}/edit/", _post_of(draft, title="Иначе"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Региональная модель положения"

    response = client.post(f"/templates/{draft.pk}/new-version/")
    second = DocumentTemplate.objects.get(code=draft.code, version=2)
    assert response["Location"].endswith(f"/templates/{second.pk}/edit/")
    assert second.content == draft.content and not second.is_published


def test_a_municipality_publishes_its_variant_of_the_regional_model(world, client_on):
    regional = published(world.region, project(ROADMAP_CODE))
    client = client_on(world.host(world.municipality), world.municipal)
    assert client.post(f"/templates/{regional.pk}/adapt/").status_code == 302
    variant = DocumentTemplate.objects.get(publisher=world.municipality)
    assert variant.based_on_id == regional.pk and variant.code == "t-mun-roadmap-1"
    assert client.post(f"/templates/{variant.pk}/publish/").status_code == 302
    school_page = client_on(world.host(world.school_a), world.curator_a).get(f"/templates/?kind={Kind.ROADMAP}")
    assert variant.title in school_page.content.decode()
    assert f"/templates/{variant.pk}/" in school_page.content.decode()


def test_editing_is_refused_to_organizations_and_to_another_region_or_municipality(world, client_on, elsewhere):
    mun2, _, _ = elsewhere
    regional_draft = services.template_adapt(actor=None, publisher=world.region, source=project(REGULATION_CODE))
    regional = published(world.region, project(ROADMAP_CODE))
    municipal_draft = services.template_adapt(actor=None, publisher=world.municipality, source=regional)
    other_coordinator = user_with(Role.MUNICIPAL_COORDINATOR, mun2, "mun2-coordinator")
    before = list(DocumentTemplate.objects.order_by("pk").values_list("pk", "title", "is_published", "content"))
    attempts = [
        (world.host(world.school_a), world.curator_a, regional_draft),
        (world.host(world.school_a), world.director_a, municipal_draft),
        (world.host(world.municipality), world.municipal, regional_draft),
        (world.host(mun2), other_coordinator, municipal_draft),
        (world.host(world.region), world.coordinator, municipal_draft),
    ]
    for host, user, template in attempts:
        client = client_on(host, user)
        for path in ("edit/", "publish/", "new-version/", "delete/"):
            assert client.post(f"/templates/{template.pk}/{path}", {"title": "Чужая"}).status_code == 404, (
                host,
                path,
            )
        assert client.get(f"/templates/{template.pk}/edit/").status_code == 404
        assert client.put(
            f"/api/v1/templates/{template.pk}/", {"title": "Чужая", "content": {}}, content_type="application/json"
        ).status_code in (403, 404)
        assert client.post(f"/api/v1/templates/{template.pk}/publish/").status_code in (403, 404)
    # An organization cannot even make its own model.
    school = client_on(world.host(world.school_a), world.curator_a)
    assert school.post(f"/templates/{regional.pk}/adapt/").status_code == 404
    assert school.post("/api/v1/templates/", {"source_id": regional.pk}).status_code == 404
    # A member of the region without the role is refused (403).
    teacher = user_with(Role.TEACHER, world.region, "region-teacher")
    assert (
        client_on(world.host(world.region), teacher).post(f"/templates/{regional_draft.pk}/publish/").status_code == 403
    )
    after = list(DocumentTemplate.objects.order_by("pk").values_list("pk", "title", "is_published", "content"))
    assert after == before


def test_a_draft_is_not_visible_below(world, client_on):
    draft = services.template_adapt(actor=None, publisher=world.region, source=project(REGULATION_CODE))
    school = client_on(world.host(world.school_a), world.curator_a)
    assert school.get(f"/templates/{draft.pk}/").status_code == 404
    assert school.get(f"/api/v1/templates/{draft.pk}/").status_code == 404
    api_ids = {row["id"] for row in school.get("/api/v1/templates/?kind=regulation").json()}
    assert draft.pk not in api_ids
    assert client_on(world.host(world.municipality), world.municipal).get(f"/templates/{draft.pk}/").status_code == 404
    region = client_on(world.host(world.region), world.coordinator)
    assert region.get(f"/templates/{draft.pk}/").status_code == 200
    assert draft.pk in {row["id"] for row in region.get("/api/v1/templates/?kind=regulation").json()}


def test_publishing_version_two_requires_a_change_note(world, client_on):
    first = published(world.region, project(PROGRAM_YOUNG_TEACHER_CODE))
    second = services.template_new_version(actor=None, publisher=world.region, template=first)
    with pytest.raises(ValidationError) as error:
        services.template_publish(actor=None, publisher=world.region, template=second, change_note="   ")
    assert "change_note" in error.value.message_dict
    client = client_on(world.host(world.region), world.coordinator)
    response = client.post(f"/templates/{second.pk}/publish/", {"change_note": ""})
    assert response.status_code == 400
    assert "Опишите, что изменено в этой версии" in response.content.decode()
    second.refresh_from_db()
    assert not second.is_published
    api = client.post(f"/api/v1/templates/{second.pk}/publish/", {"change_note": ""}, content_type="application/json")
    assert api.status_code == 400 and "change_note" in api.json()
    ok = client.post(
        f"/api/v1/templates/{second.pk}/publish/",
        {"change_note": "Добавлено мероприятие"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["is_published"] is True
    # Only one draft at a time; an old version does not start a new one.
    services.template_new_version(actor=None, publisher=world.region, template=second)
    with pytest.raises(ValidationError, match="уже начат"):
        services.template_new_version(actor=None, publisher=world.region, template=second)


def _post_of(template, *, title=None) -> dict:
    """The inputs the editing page renders for `template`, as a browser would send them unchanged."""
    editor = editor_rows(template.kind, template.content)
    data: dict = {"title": title or template.title}

    def put(value, name):
        if isinstance(value, bool):
            if value:
                data[name] = "1"
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = "" if value is None else str(value)

    for entry in editor.values():
        items = entry if isinstance(entry, list) else [entry]
        for item in items:
            if isinstance(item, tuple) and len(item) == 2 and hasattr(item[1], "name"):
                put(item[1].value, item[1].name)
            elif hasattr(item, "inputs"):
                for value in item.inputs.values():
                    put(value.value, value.name)
                for child in item.children:
                    for value in child.inputs.values():
                        put(value.value, value.name)
            elif hasattr(item, "name"):
                put(item.value, item.name)
    return data


@pytest.mark.parametrize(
    "code",
    [REGULATION_CODE, ROADMAP_CODE, PROGRAM_YOUNG_TEACHER_CODE, questionnaire_code("final_satisfaction")],
)
def test_saving_the_editor_unchanged_keeps_the_content(world, client_on, code):
    draft = services.template_adapt(actor=None, publisher=world.region, source=project(code))
    client = client_on(world.host(world.region), world.coordinator)
    page = client.get(f"/templates/{draft.pk}/edit/")
    assert page.status_code == 200
    original = draft.content
    response = client.post(f"/templates/{draft.pk}/edit/", _post_of(draft))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.content == original


@pytest.mark.parametrize(
    ("code", "changes", "field", "message"),
    [
        (REGULATION_CODE, {"parameters.mentees_per_mentor_max": "три"}, "parameters.mentees_per_mentor_max", "целое"),
        (REGULATION_CODE, {"parameters.program_min_months": "13"}, "parameters.program_min_months", "не может быть"),
        (REGULATION_CODE, {"sections[1].heading": ""}, "sections[1].heading", "Укажите заголовок раздела"),
        (ROADMAP_CODE, {"stages[0].activities[0].deadline": "31.02"}, "", "нет 31-го числа"),
        (ROADMAP_CODE, {"stages[0].activities[1].title": ""}, "", "Укажите наименование мероприятия"),
        (PROGRAM_YOUNG_TEACHER_CODE, {"plan[0].percent": "150"}, "plan[0].percent", "от 0"),
        (PROGRAM_YOUNG_TEACHER_CODE, {"fields.goal": " "}, "fields.goal", "Укажите цель программы"),
        (PROGRAM_YOUNG_TEACHER_CODE, {"fields.interaction_formats": []}, "", "хотя бы одну форму"),
        (questionnaire_code("needs_analysis"), {"questions[0].options": "Один"}, "", "хотя бы два разных"),
        (questionnaire_code("needs_analysis"), {"questions[2].scale_max": "0"}, "", "больше нижней"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, client_on, code, changes, field, message):
    draft = services.template_adapt(actor=None, publisher=world.region, source=project(code))
    original = draft.content
    client = client_on(world.host(world.region), world.coordinator)
    post = _post_of(draft)
    post.update(changes)
    response = client.post(f"/templates/{draft.pk}/edit/", post)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    if field:
        assert f'name="{field}"' in text
    draft.refresh_from_db()
    assert draft.content == original


def test_the_api_refuses_bad_content_with_messages(world, client_on):
    client = client_on(world.host(world.region), world.coordinator)
    created = client.post(
        "/api/v1/templates/", {"source_id": project(ROADMAP_CODE).pk}, content_type="application/json"
    )
    assert created.status_code == 201
    template_id = created.json()["id"]
    bad = client.put(
        f"/api/v1/templates/{template_id}/",
        {"title": "", "content": {"stages": [{"title": "Этап", "activities": []}]}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    body = bad.json()
    assert "Укажите название модели." in body["title"]
    assert "нет ни одного мероприятия" in body["stages[0].activities"][0]
    good = client.put(
        f"/api/v1/templates/{template_id}/",
        {
            "title": "Дорожная карта региона",
            "content": {"stages": [{"title": "Подготовка", "activities": [{"title": "Приказ", "deadline": "01.09"}]}]},
        },
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["content"]["stages"][0]["activities"][0]["deadline"] == {"month": 9, "day": 1}
    assert client.delete(f"/api/v1/templates/{template_id}/").status_code == 204
    assert not DocumentTemplate.objects.filter(pk=template_id).exists()


# --- documents made from a model -----------------------------------------------------------------------


def test_a_program_is_filled_from_a_model_and_records_it(world, client_on, in_school_a):
    model = project(PROGRAM_YOUNG_TEACHER_CODE)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[None])
    client = client_on(world.host(world.school_a), world.teacher_a)
    page = client.get(f"/org/programs/pair/{pair.pk}/new/?template={model.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and "Заполнить по модели" in text
    assert model.content["fields"]["goal"] in text
    first_line = f"{pair.starts_on:%d.%m.%Y} | {model.content['plan'][0]['title']}"
    assert first_line in text
    assert f'name="template_id" value="{model.pk}"' in text

    data = program_data(pair)
    data["starts_on"] = data["starts_on"].isoformat()
    data["ends_on"] = data["ends_on"].isoformat()
    data["activities"] = "\n".join(f"{a['due_on']:%d.%m.%Y} | {a['title']}" for a in plan(pair))
    data["template_id"] = str(model.pk)
    response = client.post(f"/org/programs/pair/{pair.pk}/new/", data)
    assert response.status_code == 302
    connection.set_tenant(world.school_a)
    program = Program.objects.get(pair=pair)
    assert (program.template_id, program.template_version) == (model.pk, 1)


def test_a_program_model_of_another_municipality_is_refused(world, in_school_a, elsewhere):
    mun2 = elsewhere[0]
    foreign = published(mun2, project(PROGRAM_YOUNG_TEACHER_CODE))
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[None])
    with pytest.raises(ValidationError) as error:
        program_services.program_create(
            actor=world.teacher_a, pair=pair, data=program_data(pair), activities=plan(pair), template_id=foreign.pk
        )
    assert "не применяется" in str(error.value)
    assert not Program.objects.filter(pair=pair).exists()


def test_a_questionnaire_is_created_from_a_model_with_its_questions(world, client_on, in_school_a):
    model = project(questionnaire_code("intermediate"))
    client = client_on(world.host(world.school_a), world.curator_a)
    page = client.get("/org/questionnaires/new/")
    assert "Заполнить по модели" in page.content.decode() and model.title in page.content.decode()
    response = client.post("/org/questionnaires/new/", {"template_id": model.pk})
    assert response.status_code == 302
    connection.set_tenant(world.school_a)
    questionnaire = Questionnaire.objects.get(template_id=model.pk)
    assert questionnaire.template_version == 1 and questionnaire.kind == "intermediate"
    texts = list(questionnaire.questions.order_by("position").values_list("text", flat=True))
    assert texts == [question["text"] for question in model.content["questions"]]
    # A model that does not apply, or garbage, creates nothing.
    before = Questionnaire.objects.count()
    draft = services.template_adapt(actor=None, publisher=world.region, source=model)
    for value in (draft.pk, "x", 999999):
        assert client.post("/org/questionnaires/new/", {"template_id": value}).status_code == 302
    connection.set_tenant(world.school_a)
    assert Questionnaire.objects.count() == before
    with pytest.raises(Http404):
        questionnaire_services.questionnaire_create_from_template(actor=None, template_id=draft.pk)
    assert Question.objects.filter(questionnaire__template_id=draft.pk).count() == 0


def _notice(text: str) -> str:
    match = re.search(r'data-testid="newer-template">(.*?)</div>', text, re.S)
    return " ".join(match.group(1).split()) if match else ""


def test_the_newer_version_notice_appears_and_disappears(world, client_on, in_school_a):
    regional = published(world.region, project(REGULATION_CODE), title="Положение региона")
    connection.set_tenant(world.school_a)
    version = regulation_services.regulation_create_from_template(actor=world.curator_a, template_id=regional.pk)
    assert (version.template_id, version.template_version) == (regional.pk, 1)
    roadmap_model = published(world.region, project(ROADMAP_CODE), title="Дорожная карта региона")
    connection.set_tenant(world.school_a)
    roadmap = roadmap_services.roadmap_create_from_template(
        actor=world.curator_a, academic_year=academic_year_of(organization_today()), template_id=roadmap_model.pk
    )
    assert roadmap.template_version == 1
    client = client_on(world.host(world.school_a), world.curator_a)
    assert _notice(client.get("/org/regulation/").content.decode()) == ""
    assert newer_version(regional.pk, 1) is None

    second = services.template_new_version(actor=None, publisher=world.region, template=regional)
    assert _notice(client.get("/org/regulation/").content.decode()) == ""  # a draft is not announced
    services.template_publish(
        actor=None, publisher=world.region, template=second, change_note="Срок назначения наставника — 20 дней"
    )
    notice = _notice(client.get("/org/regulation/").content.decode())
    assert notice.startswith(
        f"Опубликована новая версия модели «Положение региона» — версия 2 от {second.published_at:%d.%m.%Y}. "
        "Что изменено: Срок назначения наставника — 20 дней"
    )
    assert f'href="/templates/{second.pk}/"' in client.get("/org/regulation/").content.decode()
    assert client.get(f"/templates/{second.pk}/").status_code == 200
    # The roadmap made from another model has no notice.
    assert _notice(client.get(f"/org/roadmap/{roadmap.pk}/").content.decode()) == ""

    connection.set_tenant(world.school_a)
    regulation_services.regulation_create_from_template(actor=world.curator_a, template_id=second.pk)
    assert _notice(client.get("/org/regulation/").content.decode()) == ""


def test_newer_version_is_one_query(world, django_assert_num_queries):
    regional = published(world.region, project(REGULATION_CODE))
    second = services.template_new_version(actor=None, publisher=world.region, template=regional)
    services.template_publish(actor=None, publisher=world.region, template=second, change_note="Изменено")
    with django_assert_num_queries(1):
        assert newer_version(regional.pk, 1).pk == second.pk
    with django_assert_num_queries(1):
        assert newer_version(regional.pk, None).pk == second.pk
    with django_assert_num_queries(1):
        assert newer_version(second.pk, 2) is None


def test_program_and_questionnaire_pages_show_the_notice(world, client_on, in_school_a):
    program_model = published(world.region, project(PROGRAM_YOUNG_TEACHER_CODE))
    questionnaire_model = published(world.region, project(questionnaire_code("preferences")))
    connection.set_tenant(world.school_a)
    pair = approved_pair(mentor_user=world.teacher_a, mentee_users=[None])
    program = program_services.program_create(
        actor=None, pair=pair, data=program_data(pair), activities=plan(pair), template_id=program_model.pk
    )
    questionnaire = questionnaire_services.questionnaire_create_from_template(
        actor=None, template_id=questionnaire_model.pk
    )
    client = client_on(world.host(world.school_a), world.curator_a)
    for model in (program_model, questionnaire_model):
        draft = services.template_new_version(actor=None, publisher=world.region, template=model)
        services.template_publish(actor=None, publisher=world.region, template=draft, change_note="Новая редакция")
    assert "Новая редакция" in _notice(client.get(f"/org/programs/{program.pk}/").content.decode())
    assert "Новая редакция" in _notice(client.get(f"/org/questionnaires/{questionnaire.pk}/").content.decode())


def test_organizations_read_the_models_that_apply_with_a_preview(world, client_on):
    client = client_on(world.host(world.school_a), world.teacher_a)
    for kind in Kind.values:
        page = client.get(f"/templates/?kind={kind}")
        assert page.status_code == 200
        assert "Создать свою модель" not in page.content.decode()
    model = project(ROADMAP_CODE)
    preview = client.get(f"/templates/{model.pk}/").content.decode()
    assert model.content["stages"][0]["title"] in preview and "до 15 сентября" in preview
    assert "Редактировать черновик" not in preview
    regulation = client.get(f"/templates/{project(REGULATION_CODE).pk}/").content.decode()
    assert "не более 3 наставляемых" in regulation
    api = client.get("/api/v1/templates/").json()
    assert {row["kind"] for row in api} == set(Kind.values)
    assert client.get("/templates/?kind=nonsense").status_code == 200


def test_documents_record_the_model_version(world, in_school_a):
    connection.set_tenant(world.school_a)
    model = project(ROADMAP_CODE)
    year = academic_year_of(organization_today())
    roadmap = roadmap_services.roadmap_create_from_template(actor=None, academic_year=year, template_id=model.pk)
    assert (roadmap.template_id, roadmap.template_version) == (model.pk, 1)
    assert Roadmap.objects.get(pk=roadmap.pk).template_version == 1
    version = regulation_services.regulation_create_from_template(actor=None, template_id=project(REGULATION_CODE).pk)
    assert RegulationVersion.objects.get(pk=version.pk).template_version == 1
