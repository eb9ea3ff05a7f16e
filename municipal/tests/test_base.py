"""The municipality's structured mentor base: categories, verification, the list, its filters, the export.

The bank rows are created directly (see municipal/tests/factories.py); categories and verifications
through the services.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from municipal import selectors, services
from municipal.models import MentorCategory, MentorVerification
from municipal.tests.factories import bank_mentor
from tenants import services as tenant_services
from tenants.models import Level


@pytest.fixture
def district(world):
    """Three mentors of the district (two schools, one methodologist) and one outside it."""
    return {
        "math": bank_mentor(
            world.school_a,
            full_name="Алексеева Ольга Ивановна",
            subjects=["Математика", "Информатика"],
            tags=["ОГЭ", "олимпиады"],
            competencies="Подготовка к олимпиадам по математике",
        ),
        "history": bank_mentor(
            world.school_b,
            full_name="Борисов Павел Андреевич",
            position="учитель истории",
            subjects=["История"],
            tags=["музейная педагогика"],
            competencies="Проектная деятельность, школьный музей",
            qualification_category="first",
        ),
        "methodologist": bank_mentor(
            world.municipality,
            municipality=None,
            full_name="",
            position="",
            subjects=["Начальные классы"],
            tags=[],
            competencies="Сопровождение молодых педагогов начальной школы",
            visibility="region",
        ),
        "outside": bank_mentor(world.region, full_name="Внешняя Анна Сергеевна", visibility="region"),
    }


def _other_municipality():
    return tenant_services.organization_provision(
        actor=None,
        data=tenant_services.OrganizationData(
            code="t-mun-base-other",
            level=Level.MUNICIPALITY,
            parent_code="t-region",
            kind="",
            full_name="Другой муниципалитет",
            short_name="Другой район",
        ),
    )


def _verify(world, mentor, **values):
    values.setdefault("status", MentorVerification.Status.VERIFIED)
    return services.mentor_verify(actor=world.municipal, municipality=world.municipality, bank_mentor=mentor, **values)


def _snapshot(verification):
    verification.refresh_from_db()
    return (
        verification.status,
        verification.note,
        list(verification.tags),
        sorted(verification.categories.values_list("pk", flat=True)),
        verification.verified_at,
    )


# --- categories --------------------------------------------------------------------------------------


def test_category_titles_are_unique_within_a_municipality_ignoring_case_and_spaces(world):
    services.category_create(actor=world.municipal, municipality=world.municipality, title="Предметники ЕГЭ")

    with pytest.raises(ValidationError) as error:
        services.category_create(actor=world.municipal, municipality=world.municipality, title="  предметники   егэ ")

    assert error.value.message_dict == {"title": ["Категория «предметники егэ» уже есть."]}
    assert MentorCategory.objects.filter(municipality=world.municipality).count() == 1


def test_the_same_title_is_allowed_in_another_municipality(world):
    other = _other_municipality()
    services.category_create(actor=world.municipal, municipality=world.municipality, title="Молодые наставники")
    services.category_create(actor=None, municipality=other, title="Молодые наставники")

    assert MentorCategory.objects.filter(title="Молодые наставники").count() == 2


def test_a_category_needs_a_title_and_only_a_municipality_keeps_categories(world):
    with pytest.raises(ValidationError) as error:
        services.category_create(actor=world.municipal, municipality=world.municipality, title="   ")
    assert "title" in error.value.message_dict

    with pytest.raises(ValidationError, match="не муниципалитет"):
        services.category_create(actor=None, municipality=world.school_a, title="Школьная")
    assert not MentorCategory.objects.exists()


def test_renaming_to_a_taken_title_is_refused_and_the_category_keeps_its_name(world):
    first = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    second = services.category_create(actor=world.municipal, municipality=world.municipality, title="ОГЭ")

    with pytest.raises(ValidationError, match="уже есть"):
        services.category_rename(actor=world.municipal, category=second, title="егэ")

    second.refresh_from_db()
    assert second.title == "ОГЭ"
    services.category_rename(actor=world.municipal, category=first, title="ЕГЭ: профиль", description="11 классы")
    first.refresh_from_db()
    assert (first.title, first.description) == ("ЕГЭ: профиль", "11 классы")


def test_deleting_a_category_takes_it_off_every_mentor(world, district):
    category = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    verification = _verify(world, district["math"], category_ids=[category.pk])

    assert services.category_delete(actor=world.municipal, category=category) == 1

    assert not MentorCategory.objects.exists()
    assert list(verification.categories.all()) == []
    assert MentorVerification.objects.filter(pk=verification.pk).exists()


# --- verification ------------------------------------------------------------------------------------


def test_verifying_again_replaces_the_one_verification_of_the_mentor(world, district):
    exam = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    young = services.category_create(actor=world.municipal, municipality=world.municipality, title="Молодые")

    first = _verify(world, district["math"], category_ids=[exam.pk], tags=" #Олимпиады , олимпиады;Проекты ")
    second = _verify(
        world,
        district["math"],
        status=MentorVerification.Status.NEEDS_CHANGES,
        note="Уточнить стаж",
        category_ids=[str(young.pk)],
        tags=["Наставник  года"],
    )

    assert first.pk == second.pk
    assert MentorVerification.objects.count() == 1
    stored = MentorVerification.objects.get()
    assert stored.municipality == world.municipality
    assert (stored.organization_id, stored.mentor_entry_id) == (world.school_a.pk, district["math"].mentor_entry_id)
    assert stored.status == MentorVerification.Status.NEEDS_CHANGES
    assert stored.note == "Уточнить стаж"
    assert list(stored.categories.all()) == [young]
    assert stored.tags == ["наставник года"]
    assert stored.verified_by == world.municipal


def test_tags_are_normalized(world, district):
    verification = _verify(world, district["math"], tags=" #Олимпиады , олимпиады;Проекты ,, ")
    assert verification.tags == ["олимпиады", "проекты"]


def test_a_verification_survives_a_republished_bank_row(world, district):
    # The projection may replace the row (a new id); the verification is keyed by owner and entry.
    _verify(world, district["math"], tags=["проверено"])
    entry_id = district["math"].mentor_entry_id
    district["math"].delete()
    republished = bank_mentor(world.school_a, mentor_entry_id=entry_id, full_name="Алексеева Ольга Ивановна")

    row = selectors.base_row_get(municipality=world.municipality, mentor=republished)
    assert row.status == MentorVerification.Status.VERIFIED
    assert row.municipal_tags == ["проверено"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"tags": ["т" * 61]}, "tags", "длиннее 60 символов"),
        ({"status": "approved"}, "status", "Выберите результат проверки"),
        ({"status": "needs_changes", "note": "  "}, "note", "что нужно уточнить"),
        ({"note": "п" * 501}, "note", "длиннее 500"),
        ({"category_ids": ["x"]}, "categories", "не найдена"),
        ({"category_ids": [999999999]}, "categories", "нет в списке категорий этого муниципалитета"),
    ],
)
def test_bad_verification_input_is_refused_and_changes_nothing(world, district, values, field, message):
    exam = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    verification = _verify(world, district["math"], note="Всё верно", category_ids=[exam.pk], tags=["егэ"])
    before = _snapshot(verification)

    with pytest.raises(ValidationError) as error:
        _verify(world, district["math"], **values)

    assert message in " ".join(error.value.message_dict[field])
    assert _snapshot(verification) == before
    assert MentorVerification.objects.count() == 1


def test_a_category_of_another_municipality_is_refused_and_nothing_changes(world, district):
    foreign = services.category_create(actor=None, municipality=_other_municipality(), title="Чужая")
    own = services.category_create(actor=world.municipal, municipality=world.municipality, title="Своя")
    verification = _verify(world, district["math"], category_ids=[own.pk])
    before = _snapshot(verification)

    with pytest.raises(ValidationError) as error:
        _verify(world, district["math"], status="needs_changes", note="Нет", category_ids=[own.pk, foreign.pk])

    assert "categories" in error.value.message_dict
    assert _snapshot(verification) == before


def test_a_mentor_outside_the_district_cannot_be_verified(world, district):
    with pytest.raises(ValidationError, match="не входит в базу"):
        _verify(world, district["outside"])
    assert not MentorVerification.objects.exists()


# --- the list and its filters -----------------------------------------------------------------------


def _names(rows):
    return sorted(row.mentor.full_name or f"#{row.mentor.mentor_entry_id}" for row in rows)


def test_the_base_holds_the_district_and_the_municipality_s_own_methodologists_only(world, district):
    rows = selectors.base_list(municipality=world.municipality)

    assert {row.mentor.pk for row in rows} == {
        district["math"].pk,
        district["history"].pk,
        district["methodologist"].pk,
    }
    # Named mentors first, by name; a row without a published name last.
    assert [row.mentor.pk for row in rows] == [
        district["math"].pk,
        district["history"].pk,
        district["methodologist"].pk,
    ]
    assert rows[2].display_name.startswith("Наставник № ")


def test_filters_by_organization_status_category_tag_subject_and_words(world, district):
    exam = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    _verify(world, district["math"], category_ids=[exam.pk], tags=["эксперт"])
    _verify(world, district["history"], status="needs_changes", note="Нет сведений об обучении")

    def pks(**filters):
        return {row.mentor.pk for row in selectors.base_list(municipality=world.municipality, **filters)}

    math, history, methodologist = district["math"].pk, district["history"].pk, district["methodologist"].pk
    assert pks(organization_id=world.school_b.pk) == {history}
    assert pks(organization_id=world.municipality.pk) == {methodologist}
    assert pks(organization_id=world.region.pk) == set()
    assert pks(status="verified") == {math}
    assert pks(status="needs_changes") == {history}
    assert pks(status="unverified") == {methodologist}
    assert pks(category_id=exam.pk) == {math}
    assert pks(tag="огэ") == {math}  # the organization's tag, any case
    assert pks(tag="ЭКСПЕРТ") == {math}  # the municipality's tag
    assert pks(tag="музейная педагогика") == {history}
    assert pks(tag="музейная") == set()  # a tag is matched whole
    assert pks(subject="информатика") == {math}
    assert pks(subject="начальные классы") == {methodologist}
    assert pks(q="олимпиад математ") == {math}
    assert pks(q="музей") == {history}
    assert pks(q="молодых") == {methodologist}
    assert pks(q=world.school_b.short_name) == {history}
    assert pks(q="олимпиад музей") == set()


def test_counts_by_status_cover_the_whole_base(world, district):
    _verify(world, district["math"])
    _verify(world, district["history"], status="needs_changes", note="Уточнить")

    counts = selectors.status_counts(municipality=world.municipality)

    assert (counts.total, counts.verified, counts.needs_changes, counts.unverified) == (3, 1, 1, 1)


def test_garbage_filters_are_dropped(world, district):
    filters = selectors.BaseFilters.from_query(
        {"organization": "x", "category": "-1", "status": "bad", "q": "  a   b ", "tag": "", "subject": "  "}
    )
    assert filters == selectors.BaseFilters(q="a b")


def _many(world, number):
    categories = [
        services.category_create(actor=world.municipal, municipality=world.municipality, title=f"Категория {n}")
        for n in range(3)
    ]
    for n in range(number):
        mentor = bank_mentor(world.school_a if n % 2 else world.school_b, full_name=f"Наставникова {n:03d}")
        if n % 3:
            _verify(world, mentor, category_ids=[c.pk for c in categories[: n % 3]], tags=[f"метка {n}"])
    return categories


def test_the_list_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    _many(world, 30)

    with django_assert_max_num_queries(3):
        rows = selectors.base_list(municipality=world.municipality)
        exported = [selectors.export_row(row) for row in rows]  # every relation the pages show
    assert len(exported) == 30


def test_the_list_page_and_the_export_do_not_grow_with_the_base(world, client_on, django_assert_max_num_queries):
    client = client_on(world.host(world.municipality), world.municipal)
    _many(world, 4)
    counts = []
    for url in ("/base/", "/base/export.xlsx", "/api/v1/base/mentors/"):
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small))
    _many_more = [bank_mentor(world.school_a, full_name=f"Ещё {n}") for n in range(20)]
    for mentor in _many_more[::2]:
        _verify(world, mentor, tags=["ещё"], category_ids=[MentorCategory.objects.first().pk])
    for url, small in zip(("/base/", "/base/export.xlsx", "/api/v1/base/mentors/"), counts, strict=True):
        with django_assert_max_num_queries(small):
            assert client.get(url).status_code == 200


# --- pages -------------------------------------------------------------------------------------------


def test_the_list_page_shows_badges_counts_and_filters(world, client_on, district):
    _verify(world, district["history"], status="needs_changes", note="Уточнить")
    client = client_on(world.host(world.municipality), world.municipal)

    page = client.get("/base/").content.decode()
    assert page.count('data-testid="base-row"') == 3
    assert "Внешняя" not in page
    assert 'data-testid="count-total">3<' in page
    assert 'data-testid="count-needs_changes">1<' in page
    assert 'data-testid="count-unverified">2<' in page
    assert "Требует уточнения" in page

    filtered = client.get("/base/", {"status": "needs_changes"}).content.decode()
    assert filtered.count('data-testid="base-row"') == 1
    assert "Борисов Павел Андреевич" in filtered
    assert "status=needs_changes" in filtered  # the export keeps the filters

    nobody = client.get("/base/", {"q": "нет такого"}).content.decode()
    assert "Под условия поиска никто не подходит." in nobody


def test_the_card_records_a_verification(world, client_on, district):
    exam = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    client = client_on(world.host(world.municipality), world.municipal)
    url = f"/base/{district['math'].pk}/"

    page = client.get(url).content.decode()
    assert "Алексеева Ольга Ивановна" in page and "Не проверен" in page

    response = client.post(url, {"status": "verified", "note": "", "categories": [exam.pk], "tags": "ОГЭ, Эксперт"})
    assert response.status_code == 302

    verification = MentorVerification.objects.get()
    assert verification.tags == ["огэ", "эксперт"]
    assert list(verification.categories.all()) == [exam]
    assert "Проверен" in client.get(url).content.decode()


def test_the_card_refuses_a_bad_verification_with_a_russian_message(world, client_on, district):
    client = client_on(world.host(world.municipality), world.municipal)

    response = client.post(f"/base/{district['math'].pk}/", {"status": "needs_changes", "tags": "x" * 61})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Укажите в примечании, что нужно уточнить." in page
    assert "длиннее 60 символов" in page
    assert not MentorVerification.objects.exists()


def test_the_categories_page_adds_renames_and_deletes(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)

    assert client.post("/base/categories/", {"title": "ЕГЭ", "description": "11 классы"}).status_code == 302
    duplicate = client.post("/base/categories/", {"title": "егэ"})
    assert duplicate.status_code == 400
    assert "Категория «егэ» уже есть." in duplicate.content.decode()

    category = MentorCategory.objects.get()
    client.post(f"/base/categories/{category.pk}/", {"title": "ЕГЭ и ОГЭ", "description": ""})
    category.refresh_from_db()
    assert category.title == "ЕГЭ и ОГЭ"
    assert "ЕГЭ и ОГЭ" in client.get("/base/categories/").content.decode()

    client.post(f"/base/categories/{category.pk}/delete/")
    assert not MentorCategory.objects.exists()


def test_a_category_of_another_municipality_is_not_found_on_the_pages(world, client_on):
    foreign = services.category_create(actor=None, municipality=_other_municipality(), title="Чужая")
    client = client_on(world.host(world.municipality), world.municipal)

    assert client.post(f"/base/categories/{foreign.pk}/", {"title": "Моя"}).status_code == 404
    assert client.post(f"/base/categories/{foreign.pk}/delete/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Чужая"


# --- export ------------------------------------------------------------------------------------------


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_a_row_per_mentor_with_the_municipality_s_records(world, client_on, district):
    exam = services.category_create(actor=world.municipal, municipality=world.municipality, title="ЕГЭ")
    _verify(world, district["math"], note="Проверено по приказу", category_ids=[exam.pk], tags=["эксперт"])
    client = client_on(world.host(world.municipality), world.municipal)

    rows = _sheet(client.get("/base/export.xlsx"))

    header, body = rows[0], rows[1:]
    assert header == list(selectors.EXPORT_HEADERS)
    assert len(body) == 3
    by_name = {row[1] or "": dict(zip(header, row, strict=True)) for row in body}
    math = by_name["Алексеева Ольга Ивановна"]
    assert math["Организация"] == world.school_a.short_name
    assert math["Предметы"] == "Математика, Информатика"
    assert math["Педагогический стаж, лет"] == 12.5
    assert math["Квалификационная категория"] == "Высшая"
    assert math["Наставляемых одновременно, не более"] == 3
    assert math["Статус проверки"] == "Проверен"
    assert math["Категории муниципалитета"] == "ЕГЭ"
    assert math["Метки муниципалитета"] == "эксперт"
    assert math["Примечание"] == "Проверено по приказу"
    assert math["Кем проверен"] == world.municipal.get_full_name()
    assert math["Проверен"] is not None
    unnamed = by_name[""]
    assert unnamed["Организация"] == world.municipality.short_name
    assert unnamed["Статус проверки"] == "Не проверен"
    assert "Внешняя Анна Сергеевна" not in {row[1] for row in body}


def test_the_export_follows_the_filters(world, client_on, district):
    client = client_on(world.host(world.municipality), world.municipal)

    rows = _sheet(client.get("/base/export.xlsx", {"organization": world.school_b.pk}))

    assert [row[1] for row in rows[1:]] == ["Борисов Павел Андреевич"]
