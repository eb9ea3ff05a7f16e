"""Best practices: from a completed program to the regional bank, with every refusal and the privacy rule."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from institutional.models import MenteeCategory, PairForm, PairKind
from regional.models import PracticeCase, PracticeMaterial, PracticeReview
from regional.practices import selectors, services
from regional.practices.selectors import BankFilters
from regional.tests.test_practices_factories import (
    GOAL,
    PLAN,
    PLANNED_RESULTS,
    PRIVATE_TOKENS,
    TITLE,
    completed_program,
    running_program,
)
from tenants import services as tenant_services
from tenants.models import Level, Role, User

PROBLEM = "Молодые учителя теряются в первые месяцы: не хватает опыта управления классом."
RESULTS = "Два открытых урока проведены; технологические карты вошли в методическую копилку."

Status = PracticeCase.Status


def _state(case_id: int) -> tuple:
    """Everything a refusal must leave as it was."""
    case = PracticeCase.objects.get(pk=case_id)
    return (case.status, case.submitted_at, case.published_at, case.title, case.results, case.reviews.count())


def _start(world, **program):
    made = completed_program(**program)
    case = services.case_start(actor=world.curator_a, program_id=made.program.pk)
    return made, case


def _ready(world, case):
    return services.case_update(actor=world.curator_a, case=case, data={"problem": PROBLEM, "results": RESULTS})


def _member(local: str, role: str, organization) -> User:
    user = User.objects.create_user(
        email=f"{local}@test.test", password="Correct-Horse-42", last_name="Проверкина", first_name="Анна"
    )
    tenant_services.membership_grant(actor=None, user=user, organization=organization, role=role)
    return user


def _provision(code: str, level: str, parent: str = "", kind: str = ""):
    return tenant_services.organization_provision(
        actor=None,
        data=tenant_services.OrganizationData(
            code=code,
            level=level,
            parent_code=parent,
            kind=kind,
            full_name=f"Организация {code}",
            short_name=code,
            time_zone="Europe/Samara" if level == Level.REGION else "",
        ),
    )


# --- writing a case ------------------------------------------------------------------------------------


def test_a_case_is_prefilled_from_the_completed_program(world, in_school_a):
    made, case = _start(world)

    assert case.status == Status.DRAFT
    assert (case.organization_id, case.municipality_id, case.region_id) == (
        world.school_a.pk,
        world.municipality.pk,
        world.region.pk,
    )
    assert (case.pair_id, case.program_id) == (made.pair.pk, made.program.pk)
    assert case.title == TITLE
    assert case.goal == GOAL
    assert case.form == PairForm.TEACHER_TEACHER
    assert case.kinds == [PairKind.TRADITIONAL, PairKind.VIRTUAL]
    assert case.mentee_categories == [MenteeCategory.YOUNG, MenteeCategory.DIGITAL]
    for activity in PLAN:
        assert activity in case.activities
    assert "взаимопосещение занятий" in case.activities
    assert case.results == PLANNED_RESULTS  # the curator rewrites them as actual results
    assert case.problem == ""
    assert case.authors == ""
    assert case.created_by_id == world.curator_a.pk
    assert case.search is not None


def test_no_case_from_a_program_still_running(world, in_school_a):
    made = running_program()

    with pytest.raises(ValidationError) as refusal:
        services.case_start(actor=world.curator_a, program_id=made.program.pk)

    assert f"Кейс пишется по завершённой программе: программа «{TITLE}» ещё выполняется." in refusal.value.messages
    assert not PracticeCase.objects.exists()


def test_no_case_from_a_program_that_does_not_exist_or_by_a_teacher(world, in_school_a):
    made = completed_program()

    with pytest.raises(ValidationError, match="Программа не найдена"):
        services.case_start(actor=world.curator_a, program_id=made.program.pk + 1000)
    with pytest.raises(ValidationError, match="пишут её куратор"):
        services.case_start(actor=world.teacher_a, program_id=made.program.pk)

    assert not PracticeCase.objects.exists()


def test_a_second_live_case_for_one_program_is_refused_until_the_first_is_rejected(world, in_school_a):
    made, case = _start(world)

    with pytest.raises(ValidationError, match="кейс уже написан"):
        services.case_start(actor=world.director_a, program_id=made.program.pk)
    assert PracticeCase.objects.count() == 1

    _ready(world, case)
    services.case_submit(actor=world.curator_a, case=case)
    services.case_review(actor=world.municipal, case=case, decision="reject", comment="Это не практика, а отчёт.")
    again = services.case_start(actor=world.council_a, program_id=made.program.pk)

    assert again.status == Status.DRAFT
    assert PracticeCase.objects.filter(program_id=made.program.pk).count() == 2


def test_an_edit_changes_the_case_and_its_search_and_only_while_editable(world, in_school_a):
    _made, case = _start(world)

    case = services.case_update(
        actor=world.curator_a,
        case=case,
        data={
            "title": "Наставничество в цифровой среде",
            "problem": PROBLEM,
            "kinds": [PairKind.VIRTUAL],
            "mentee_categories": [MenteeCategory.DIGITAL],
            "authors": "Громова Е. П., заместитель директора",
        },
    )

    assert case.title == "Наставничество в цифровой среде"
    assert case.kinds == [PairKind.VIRTUAL]
    assert case.mentee_categories == [MenteeCategory.DIGITAL]
    assert case.authors == "Громова Е. П., заместитель директора"
    assert PracticeCase.objects.filter(pk=case.pk, search=SearchQuery("цифровой", config="russian")).exists()

    with pytest.raises(ValidationError) as refusal:
        services.case_update(actor=world.curator_a, case=case, data={"title": "", "kinds": ["flying"]})
    assert set(refusal.value.message_dict) == {"title", "kinds"}

    services.case_update(actor=world.curator_a, case=case, data={"results": RESULTS})
    services.case_submit(actor=world.curator_a, case=case)
    before = _state(case.pk)
    with pytest.raises(ValidationError, match="можно только черновик"):
        services.case_update(actor=world.curator_a, case=case, data={"results": "Другие результаты"})
    assert _state(case.pk) == before


def test_a_case_is_submitted_only_when_complete(world, in_school_a):
    _made, case = _start(world)

    with pytest.raises(ValidationError) as refusal:
        services.case_submit(actor=world.curator_a, case=case)

    assert set(refusal.value.message_dict) == {"problem"}
    assert PracticeCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_materials_are_checked_by_content_and_kept_with_the_organization(world, in_school_a):
    _made, case = _start(world)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n% plan\n", content_type="application/pdf")

    material = services.material_add(actor=world.curator_a, case=case, title="Технологическая карта", upload=pdf)
    with pytest.raises(ValidationError, match="не является документом допустимого формата"):
        services.material_add(
            actor=world.curator_a, case=case, title="Вирус", upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00")
        )

    assert list(case.files.values_list("title", flat=True)) == ["Технологическая карта"]
    assert material.file.name.startswith("practices/")
    services.material_remove(actor=world.curator_a, material=material)
    assert not PracticeMaterial.objects.exists()


# --- the path upward -------------------------------------------------------------------------------------


def test_the_whole_path_with_returns_at_both_levels(world, in_school_a):
    _made, case = _start(world)
    _ready(world, case)

    case = services.case_submit(actor=world.curator_a, case=case)
    assert case.status == Status.MUNICIPAL_REVIEW
    assert case.submitted_at is not None
    first_submitted_at = case.submitted_at

    # The municipality returns it with a comment; the fixed case goes back to the municipality.
    with pytest.raises(ValidationError, match="Напишите, что нужно доработать"):
        services.case_review(actor=world.municipal, case=case, decision="return", comment="  ")
    services.case_review(actor=world.municipal, case=case, decision="return", comment="Опишите проблему конкретнее.")
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    services.case_update(actor=world.curator_a, case=case, data={"problem": PROBLEM + " Особенно в 7-х классах."})
    case = services.case_submit(actor=world.curator_a, case=case)
    assert case.status == Status.MUNICIPAL_REVIEW
    assert case.submitted_at == first_submitted_at  # K10 counts the first submission

    services.case_review(actor=world.municipal, case=case, decision="approve")
    case.refresh_from_db()
    assert case.status == Status.REGIONAL_REVIEW

    # The region returns it; the fixed case goes straight back to the region.
    services.case_review(actor=world.coordinator, case=case, decision="return", comment="Добавьте материалы.")
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    services.case_update(actor=world.curator_a, case=case, data={"materials": "Технологические карты уроков."})
    case = services.case_submit(actor=world.curator_a, case=case)
    assert case.status == Status.REGIONAL_REVIEW

    review = services.case_review(actor=world.coordinator, case=case, decision="approve")
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert case.published_at == review.decided_at
    history = [(r.stage, r.decision, r.comment, r.reviewer_id) for r in selectors.case_reviews(case)]
    assert history == [
        ("municipality", "return", "Опишите проблему конкретнее.", world.municipal.pk),
        ("municipality", "approve", "", world.municipal.pk),
        ("region", "return", "Добавьте материалы.", world.coordinator.pk),
        ("region", "approve", "", world.coordinator.pk),
    ]
    assert list(selectors.bank_cases(region=world.region)) == [case]


def test_a_case_of_regional_subordination_goes_straight_to_the_region(world):
    college = _provision("t-college-p", Level.ORGANIZATION, "t-region", "college")
    curator = _member("curator-college-p", Role.CURATOR, college)
    methodologist = _member("methodologist-p", Role.REGIONAL_METHODOLOGIST, world.region)
    connection.set_tenant(college)
    made = completed_program()
    case = services.case_start(actor=curator, program_id=made.program.pk)
    services.case_update(actor=curator, case=case, data={"problem": PROBLEM})

    case = services.case_submit(actor=curator, case=case)

    assert case.municipality_id is None
    assert case.status == Status.REGIONAL_REVIEW
    services.case_review(actor=methodologist, case=case, decision="approve")
    assert PracticeCase.objects.get(pk=case.pk).status == Status.PUBLISHED


def test_wrong_reviewers_and_wrong_statuses_change_nothing(world, in_school_a):
    other_municipality = _provision("t-mun-p2", Level.MUNICIPALITY, "t-region")
    stranger = _member("municipal-p2", Role.MUNICIPAL_COORDINATOR, other_municipality)
    connection.set_tenant(world.school_a)  # provisioning leaves the connection in the public schema
    _made, case = _start(world)
    _ready(world, case)

    # A draft: nobody decides on it.
    before = _state(case.pk)
    with pytest.raises(ValidationError, match="решение по нему сейчас не принимается"):
        services.case_review(actor=world.municipal, case=case, decision="approve")
    assert _state(case.pk) == before

    services.case_submit(actor=world.curator_a, case=case)
    before = _state(case.pk)
    refusals = [
        (stranger, "решение принимает муниципальный координатор этого муниципалитета"),
        (world.coordinator, "региональная модерация начнётся после его решения"),
        (world.curator_a, "решение принимает муниципальный координатор этого муниципалитета"),
    ]
    for actor, message in refusals:
        with pytest.raises(ValidationError, match=message):
            services.case_review(actor=actor, case=case, decision="approve")
    with pytest.raises(ValidationError, match="можно только черновик"):
        services.case_submit(actor=world.curator_a, case=case)
    with pytest.raises(ValidationError, match="Выберите решение"):
        services.case_review(actor=world.municipal, case=case, decision="publish")
    assert _state(case.pk) == before

    services.case_review(actor=world.municipal, case=case, decision="approve")
    before = _state(case.pk)
    for actor in (world.municipal, stranger):
        with pytest.raises(ValidationError, match="решение принимает региональный координатор или методист"):
            services.case_review(actor=actor, case=case, decision="approve")
    with pytest.raises(ValidationError, match="Объясните, почему кейс отклонён"):
        services.case_review(actor=world.coordinator, case=case, decision="reject")
    assert _state(case.pk) == before

    services.case_review(actor=world.coordinator, case=case, decision="approve")
    before = _state(case.pk)
    with pytest.raises(ValidationError, match="опубликован: решение по нему сейчас не принимается"):
        services.case_review(actor=world.coordinator, case=case, decision="return", comment="Ещё раз")
    with pytest.raises(ValidationError, match="изменять можно только черновик"):
        services.case_update(actor=world.curator_a, case=case, data={"title": "Новое"})
    assert _state(case.pk) == before
    assert PracticeReview.objects.filter(case=case).count() == 2


# --- privacy -----------------------------------------------------------------------------------------------


def test_a_case_never_holds_the_mentees_name_request_or_difficulties(world, in_school_a):
    """Every column of every PracticeCase row, the search vector included, is free of the mentee's data."""
    _made, case = _start(world)
    _ready(world, case)
    services.case_submit(actor=world.curator_a, case=case)
    services.case_review(actor=world.municipal, case=case, decision="approve")
    services.case_review(actor=world.coordinator, case=case, decision="approve")

    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(c)::text FROM public.regional_practicecase AS c")
        rows = [row[0].lower() for row in cursor.fetchall()]
        cursor.execute("SELECT row_to_json(r)::text FROM public.regional_practicereview AS r")
        rows += [row[0].lower() for row in cursor.fetchall()]

    assert rows
    for row in rows:
        for token in PRIVATE_TOKENS:
            assert token.lower() not in row, token


# --- the bank: search with Russian morphology and filters ------------------------------------------------


def _publish(world, case):
    _ready(world, case)
    services.case_submit(actor=world.curator_a, case=case)
    services.case_review(actor=world.municipal, case=case, decision="approve")
    services.case_review(actor=world.coordinator, case=case, decision="approve")
    case.refresh_from_db()
    return case


def test_the_bank_finds_words_in_any_grammatical_form(world, in_school_a):
    _made, mentor_case = _start(world, title="Школа молодого наставника")
    mentor_case = _publish(world, mentor_case)
    _made, other = _start(world, title="Цифровая лаборатория на уроках физики")
    other = _publish(world, other)

    def found(q):
        return list(selectors.bank_cases(region=world.region, filters=BankFilters(q=q)))

    assert found("наставника") == [mentor_case]
    assert found("наставникам") == [mentor_case]
    assert found("молодых наставников") == [mentor_case]
    assert found("лабораториями физика") == [other]
    assert set(found("урок")) == {mentor_case, other}  # «уроки» in the results of both
    assert found("наставник -молодой") == []
    assert found("' OR 1=1 --") == []


def test_the_bank_filters_and_shows_only_published_cases_of_the_region(world, in_school_a):
    _made, published = _start(world)
    published = _publish(world, published)
    _made, draft = _start(world, title="Черновик про наставничество")
    region = world.region

    def found(**params):
        return list(selectors.bank_cases(region=region, filters=BankFilters.from_query(params, region=region)))

    assert found() == [published]
    assert found(form=PairForm.TEACHER_TEACHER) == [published]
    assert found(form=PairForm.STUDENT_STUDENT) == []
    assert found(kind=PairKind.VIRTUAL) == [published]
    assert found(kind=PairKind.REVERSE) == []
    assert found(category=MenteeCategory.DIGITAL) == [published]
    assert found(category=MenteeCategory.BURNOUT) == []
    assert found(municipality=str(world.municipality.pk)) == [published]
    assert found(municipality="regional") == []
    assert found(organization_kind="school") == [published]
    assert found(organization_kind="college") == []
    assert found(form="garbage", municipality="999999") == [published]  # unknown values are ignored
    assert draft not in found()
