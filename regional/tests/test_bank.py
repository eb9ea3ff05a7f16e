"""The unified regional mentor bank: what the projection publishes, who sees it, how it is searched,
and that a withdrawal takes a person out at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from analytics.models import OrganizationFacts
from analytics.projection import refresh_organization, verify_organization
from institutional.dates import organization_today
from institutional.models import ConsentKind, MentorAchievement, MentorEntry, QualificationCategory, Visibility
from institutional.services import banks as bank_services
from institutional.tests.test_banks_factories import make_staff, signed_consent
from regional.bank import bank_rows, bank_store, unpublish_person
from regional.bank_search import access_bank_mentor, bank_search
from regional.models import BankMentor, MentorLoad
from tenants.models import Level, Organization, OrganizationKind

ALL_FIELDS = ("full_name", "position", "subjects", "competencies", "achievements")


def publish(
    last_name,
    *,
    visibility=Visibility.REGION,
    fields=ALL_FIELDS,
    competencies="Методика преподавания математики, подготовка к ОГЭ",
    subjects=("Математика",),
    tags=("открытый урок",),
    achievements=(MentorAchievement.CONTEST_WINNER,),
    details="Победитель регионального конкурса «Педагог года»",
    capacity=3,
    years="12",
    position="учитель математики",
    publication=True,
):
    """A mentor of the current schema in the bank, with the consents (publication listing `fields`)."""
    staff = make_staff(
        last_name,
        hired_days_ago=5000,
        position=position,
        pedagogical_experience_years=Decimal(years),
        total_experience_years=Decimal(years) + 1,
        qualification_category=QualificationCategory.HIGHEST,
    )
    signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=staff)
    signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=staff)
    if publication:
        signed_consent(kind=ConsentKind.PUBLICATION, staff=staff, published_fields=list(fields))
    return bank_services.mentor_entry_create(
        actor=None,
        staff=staff,
        competencies=competencies,
        subjects=list(subjects),
        tags=list(tags),
        achievements=list(achievements),
        achievements_details=details,
        capacity=capacity,
        visibility=visibility if publication else Visibility.ORGANIZATION,
    )


def refresh(*organizations):
    connection.set_schema_to_public()
    for organization in organizations:
        refresh_organization(organization)


def row_of(entry) -> BankMentor | None:
    return BankMentor.objects.filter(mentor_entry_id=entry.pk, staff_id=entry.staff_id).first()


def names(rows) -> list[str]:
    return [row.full_name for row in rows]


def other_municipality(world, code="t-mun-2"):
    """A second municipality of the test region with a school (rows only: viewers need no schema)."""
    municipality = Organization.objects.create(
        code=code,
        schema_name=code.replace("-", "_"),
        level=Level.MUNICIPALITY,
        parent=world.region,
        full_name="Другой муниципалитет",
        short_name="Другой муниципалитет",
        time_zone="Europe/Volgograd",
    )
    school = Organization.objects.create(
        code=f"{code}-school",
        schema_name=f"{code.replace('-', '_')}_school",
        level=Level.ORGANIZATION,
        kind=OrganizationKind.SCHOOL,
        parent=municipality,
        full_name="Школа другого муниципалитета",
        short_name="Школа другого муниципалитета",
        time_zone="Europe/Volgograd",
    )
    return municipality, school


# --- what the projection publishes ------------------------------------------------------------------


def test_only_mentors_with_a_signed_publication_consent_and_a_wide_visibility_are_listed(world, in_school_a):
    listed = publish("Публикуемова")
    publish("Безсогласиева", publication=False)
    hidden = publish("Своеорганизациева", visibility=Visibility.ORGANIZATION)
    refresh(world.school_a)

    rows = list(BankMentor.objects.filter(organization=world.school_a))
    assert [row.mentor_entry_id for row in rows] == [listed.pk]
    row = rows[0]
    assert row.full_name == "Публикуемова Анна Петровна"
    assert (row.municipality_id, row.region_id) == (world.municipality.pk, world.region.pk)
    assert row.organization_kind == OrganizationKind.SCHOOL
    assert row.search is not None
    assert row_of(hidden) is None


def test_personal_fields_not_in_the_consent_stay_empty_and_the_rest_is_always_filled(world, in_school_a):
    entry = publish("Скромнова", fields=["subjects"], capacity=2, years="7.5")
    connection.set_tenant(world.school_a)
    MentorEntry.objects.get(pk=entry.pk).trainings.create(title="Школа наставников", hours=36)
    refresh(world.school_a)

    row = row_of(entry)
    assert (row.full_name, row.position, row.competencies, row.achievements, row.achievements_details) == (
        "",
        "",
        "",
        [],
        "",
    )
    assert row.subjects == ["Математика"]
    assert row.tags == ["открытый урок"]
    assert (row.pedagogical_experience_years, row.qualification_category, row.capacity, row.trainings) == (
        Decimal("7.5"),
        QualificationCategory.HIGHEST,
        2,
        1,
    )


def test_dismissed_outside_and_inactive_mentors_are_not_computed(world, in_school_a):
    from institutional.models import Staff

    outside = publish("Сетевая")
    MentorEntry.objects.filter(pk=outside.pk).update(home_organization_id=world.school_b.pk, home_entry_id=1)
    borrowed = publish("Приходящая")
    Staff.objects.filter(pk=borrowed.staff_id).update(is_outside=True)
    dismissed = publish("Уволенная")
    Staff.objects.filter(pk=dismissed.staff_id).update(
        status=Staff.Status.DISMISSED, dismissal_date=organization_today()
    )
    inactive = publish("Неактивная")
    MentorEntry.objects.filter(pk=inactive.pk).update(is_active=False)
    listed = publish("Остаётся")
    assert [row["mentor_entry_id"] for row in bank_rows()] == [listed.pk]


def test_no_row_ever_holds_a_mentees_data(world, in_school_a):
    from institutional.tests.programs_factories import approved_pair

    publish("Открытова")
    pair = approved_pair(starts_days_ago=10)  # its mentor leads a mentee now, and is published below
    mentee = pair.participants.select_related("mentee__staff").first().mentee
    bank_services.mentee_entry_update(
        actor=None,
        entry=mentee,
        data={"requests": "Секретный запрос наставляемой", "difficulties": "Личные трудности", "tags": ["тайна"]},
    )
    signed_consent(kind=ConsentKind.PUBLICATION, staff=pair.mentor.staff, published_fields=list(ALL_FIELDS))
    bank_services.mentor_entry_update(actor=None, entry=pair.mentor, data={"visibility": Visibility.REGION})
    mentee_words = {mentee.staff.last_name, mentee.staff.full_name, "Секретный запрос", "Личные трудности", "тайна"}
    refresh(world.school_a)

    rows = list(BankMentor.objects.filter(organization=world.school_a).values())
    assert len(rows) == 2
    for row in rows:
        assert not any(word in repr(row) for word in mentee_words), row


def test_a_municipalitys_own_methodologist_is_a_mentor_of_that_municipality(world):
    connection.set_tenant(world.municipality)
    entry = publish("Методистова", visibility=Visibility.MUNICIPALITY)
    refresh(world.municipality)

    row = row_of(entry)
    assert (row.organization_id, row.municipality_id, row.region_id) == (
        world.municipality.pk,
        world.municipality.pk,
        world.region.pk,
    )
    assert row.organization_kind == ""
    assert names(bank_search(viewer=world.school_b)) == ["Методистова Анна Петровна"]


def test_verification_is_clean_after_a_refresh_and_names_a_stale_bank(world, in_school_a):
    entry = publish("Проверкина")
    refresh(world.school_a)
    assert verify_organization(world.school_a) == []
    call_command("verify_projections", "--org", world.school_a.code)

    connection.set_tenant(world.school_a)
    MentorEntry.objects.filter(pk=entry.pk).update(competencies="Совсем другие компетенции")
    connection.set_schema_to_public()
    assert any(line.startswith("bank:") for line in verify_organization(world.school_a))

    BankMentor.objects.filter(organization=world.school_a).update(search=None)
    refresh(world.school_a)
    assert verify_organization(world.school_a) == []


def test_a_refresh_keeps_the_ids_of_rows_that_stay(world, in_school_a):
    entry = publish("Постоянова")
    refresh(world.school_a)
    first = row_of(entry).pk
    connection.set_tenant(world.school_a)
    bank_services.mentor_entry_update(actor=None, entry=entry, data={"tags": ["новая метка"]})
    refresh(world.school_a)
    row = row_of(entry)
    assert (row.pk, row.tags) == (first, ["новая метка"])


# --- taken out at once --------------------------------------------------------------------------------


def _publication_consent(entry):
    from institutional.models import Consent

    return Consent.objects.get(staff_id=entry.staff_id, kind=ConsentKind.PUBLICATION, status=Consent.Status.SIGNED)


def test_a_withdrawn_publication_consent_removes_the_row_in_the_same_transaction(world, in_school_a):
    from institutional.services.consents import consent_withdraw

    entry = publish("Отзывова")
    refresh(world.school_a)
    computed = OrganizationFacts.objects.get(organization=world.school_a).computed_at
    connection.set_tenant(world.school_a)
    consent = _publication_consent(entry)

    # Rolled back with the withdrawal: the removal is part of the same transaction.
    with pytest.raises(RuntimeError), transaction.atomic():
        consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today())
        assert row_of(entry) is None
        raise RuntimeError("откат")
    assert row_of(entry) is not None

    result = consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today())
    # Gone before any refresh ran (the refresh is only scheduled for after the commit).
    assert row_of(entry) is None
    assert OrganizationFacts.objects.get(organization=world.school_a).computed_at == computed
    assert any("региональном банке" in change for change in result.changes)
    refresh(world.school_a)
    assert row_of(entry) is None
    assert verify_organization(world.school_a) == []


def test_a_refresh_computed_before_a_withdrawal_cannot_put_the_person_back(world, in_school_a):
    from institutional.services.consents import consent_withdraw

    entry = publish("Гонкова")
    stale = bank_rows()  # computed just before the withdrawal commits
    consent_withdraw(actor=None, consent=_publication_consent(entry), withdrawn_on=organization_today())
    bank_store(world.school_a.pk, stale)
    assert row_of(entry) is None


def test_dismissal_exclusion_and_hiding_remove_the_row_at_once(world, in_school_a):
    from institutional.services.staff import staff_dismiss

    dismissed, excluded, hidden = publish("Увольняева"), publish("Исключаева"), publish("Скрываева")
    refresh(world.school_a)
    connection.set_tenant(world.school_a)
    assert all(row_of(entry) for entry in (dismissed, excluded, hidden))

    staff_dismiss(actor=None, staff=dismissed.staff, dismissal_date=organization_today())
    assert row_of(dismissed) is None
    bank_services.mentor_entry_exclude(
        actor=None, entry=excluded, excluded_on=organization_today(), reason="Собственное желание"
    )
    assert row_of(excluded) is None
    bank_services.mentor_entry_update(actor=None, entry=hidden, data={"visibility": Visibility.ORGANIZATION})
    assert row_of(hidden) is None
    refresh(world.school_a)
    assert BankMentor.objects.filter(organization=world.school_a).count() == 0


def test_unpublish_touches_only_that_person_of_that_organization(world, in_school_a):
    first, second = publish("Первова"), publish("Вторва")
    refresh(world.school_a)
    assert unpublish_person(organization_id=world.school_b.pk, staff_id=first.staff_id) == 0
    assert unpublish_person(organization_id=world.school_a.pk, staff_id=first.staff_id) == 1
    assert row_of(first) is None and row_of(second) is not None


# --- visibility ------------------------------------------------------------------------------------------


@pytest.fixture
def tiers(world, in_school_a):
    """School A publishes one mentor to the region and one to its municipality."""
    regional = publish("Региональная")
    municipal = publish("Муниципальная", visibility=Visibility.MUNICIPALITY)
    refresh(world.school_a)
    return {"region": row_of(regional), "municipality": row_of(municipal)}


def test_region_rows_are_visible_region_wide_and_municipality_rows_only_in_the_municipality(world, tiers):
    both = ["Муниципальная Анна Петровна", "Региональная Анна Петровна"]
    for viewer in (world.school_a, world.school_b, world.municipality):
        assert names(bank_search(viewer=viewer)) == both, viewer.code
    other_mun, other_school = other_municipality(world)
    for viewer in (other_mun, other_school, world.region):
        assert names(bank_search(viewer=viewer)) == ["Региональная Анна Петровна"], viewer.code
    with pytest.raises(Http404):
        access_bank_mentor(viewer=other_school, bank_mentor_id=tiers["municipality"].pk)
    assert access_bank_mentor(viewer=world.school_b, bank_mentor_id=tiers["municipality"].pk).free == 3


def test_municipality_rows_of_regional_subordination_are_seen_by_that_group_and_the_region(world, tiers):
    direct = Organization.objects.create(
        code="t-direct",
        schema_name="t_direct",
        level=Level.ORGANIZATION,
        kind=OrganizationKind.COLLEGE,
        parent=world.region,
        full_name="Колледж регионального подчинения",
        short_name="Колледж",
        time_zone="Europe/Volgograd",
    )
    rows = [dict(row, staff_id=900 + n, mentor_entry_id=900 + n) for n, row in enumerate(_copied(tiers))]
    for row in rows:
        row.update(municipality_id=None, organization_kind=OrganizationKind.COLLEGE, full_name="Колледжева")
    bank_store(direct.pk, rows)
    assert "Колледжева" in names(bank_search(viewer=world.region))
    assert names(bank_search(viewer=world.region)).count("Колледжева") == 2  # region and municipality rows
    assert names(bank_search(viewer=world.school_a)).count("Колледжева") == 1  # the region row only
    assert names(bank_search(viewer=world.school_a, municipality_id=0)) == ["Колледжева"]
    assert names(bank_search(viewer=world.school_a, organization_kind=OrganizationKind.COLLEGE)) == ["Колледжева"]


def _copied(tiers) -> list[dict]:
    from regional.bank import BANK_FIELDS

    return [{name: getattr(row, name) for name in BANK_FIELDS} for row in (tiers["region"], tiers["municipality"])]


def test_nothing_of_another_region_is_ever_visible(world, tiers):
    region = Organization.objects.create(
        code="t-region-2",
        schema_name="t_region_2",
        level=Level.REGION,
        full_name="Другой регион",
        short_name="Другой регион",
        time_zone="Europe/Moscow",
    )
    school = Organization.objects.create(
        code="t-region-2-school",
        schema_name="t_region_2_school",
        level=Level.ORGANIZATION,
        kind=OrganizationKind.SCHOOL,
        parent=region,
        full_name="Школа другого региона",
        short_name="Школа другого региона",
        time_zone="Europe/Moscow",
    )
    assert list(bank_search(viewer=school)) == []
    assert list(bank_search(viewer=region)) == []
    with pytest.raises(Http404):
        access_bank_mentor(viewer=school, bank_mentor_id=tiers["region"].pk)
    with pytest.raises(Http404):
        access_bank_mentor(viewer=world.school_b, bank_mentor_id=10**9)


# --- search and filters -----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(world, in_school_a):
    rows = {
        "math": publish(
            "Математикова",
            competencies="Методика преподавания математики, подготовка к ОГЭ",
            subjects=("Математика", "Геометрия"),
            tags=("открытый урок",),
            years="25",
            capacity=3,
        ),
        "russian": publish(
            "Словесникова",
            competencies="Классное руководство и работа с родителями",
            subjects=("Русский язык",),
            tags=("олимпиады", "работа с родителями"),
            years="8",
            capacity=2,
            position="учитель русского языка",
        ),
        "physics": publish(
            "Физикова",
            competencies="Исследовательские проекты школьников, подготовка к олимпиадам",
            subjects=("Физика",),
            tags=("цифровые лаборатории",),
            details="Автор пособия по олимпиадам",
            years="15",
            capacity=1,
            position="учитель физики",
        ),
    }
    refresh(world.school_a)
    return rows


def test_russian_word_forms_are_found(world, catalogue):
    assert names(bank_search(viewer=world.school_b, query="математика")) == ["Математикова Анна Петровна"]
    assert names(bank_search(viewer=world.school_b, query="математике")) == ["Математикова Анна Петровна"]
    assert names(bank_search(viewer=world.school_b, query="родителям")) == ["Словесникова Анна Петровна"]
    assert names(bank_search(viewer=world.school_b, query="Физиковой")) == ["Физикова Анна Петровна"]
    assert list(bank_search(viewer=world.school_b, query="' OR 1=1 --")) == []


def test_relevance_puts_competencies_before_tags(world, catalogue):
    # «олимпиады» is in the physics teacher's competencies, only a tag of the Russian teacher.
    assert names(bank_search(viewer=world.school_b, query="олимпиады")) == [
        "Физикова Анна Петровна",
        "Словесникова Анна Петровна",
    ]
    assert names(bank_search(viewer=world.school_b, query="проекты олимпиады")) == ["Физикова Анна Петровна"]
    assert names(bank_search(viewer=world.school_b, query="математика or родители")) == [
        "Математикова Анна Петровна",
        "Словесникова Анна Петровна",
    ]


def test_each_filter(world, catalogue):
    viewer = world.school_b
    assert names(bank_search(viewer=viewer, subject="Геометрия")) == ["Математикова Анна Петровна"]
    assert names(bank_search(viewer=viewer, tag="олимпиады")) == ["Словесникова Анна Петровна"]
    # The competency filter reads competencies only: a word found in tags or achievements does not count.
    assert names(bank_search(viewer=viewer, competency="родители")) == ["Словесникова Анна Петровна"]
    assert names(bank_search(viewer=viewer, competency="олимпиады")) == ["Физикова Анна Петровна"]
    assert list(bank_search(viewer=viewer, competency="цифровые лаборатории")) == []  # a tag, not a competency
    assert names(bank_search(viewer=viewer, min_experience=Decimal("15"))) == [
        "Математикова Анна Петровна",
        "Физикова Анна Петровна",
    ]
    assert len(bank_search(viewer=viewer, municipality_id=world.municipality.pk)) == 3
    assert list(bank_search(viewer=viewer, municipality_id=world.region.pk + 10**6)) == []
    assert list(bank_search(viewer=viewer, organization_kind=OrganizationKind.COLLEGE)) == []
    assert names(bank_search(viewer=viewer, query="математика", subject="Математика")) == ["Математикова Анна Петровна"]
    assert list(bank_search(viewer=viewer, query="математика", subject="Физика")) == []


def test_free_capacity_counts_local_and_network_mentees_and_a_missing_ledger_row_is_zero(world, catalogue):
    def ledger(entry, local, network):
        MentorLoad.objects.update_or_create(
            organization=world.school_a,
            mentor_entry_id=entry.pk,
            defaults={"capacity": entry.capacity, "local_mentees": local, "network_mentees": network},
        )

    ledger(catalogue["math"], 1, 1)  # 3 seats, 2 taken: 1 free
    ledger(catalogue["russian"], 1, 1)  # 2 seats, 2 taken: full
    # physics: no ledger row (a new entry gets one from the database; removed here), 1 seat: free
    MentorLoad.objects.filter(organization=world.school_a, mentor_entry_id=catalogue["physics"].pk).delete()
    found = {row.full_name: (row.free, row.taken) for row in bank_search(viewer=world.school_b)}
    assert found == {
        "Математикова Анна Петровна": (1, 2),
        "Словесникова Анна Петровна": (0, 2),
        "Физикова Анна Петровна": (1, 0),
    }
    assert names(bank_search(viewer=world.school_b, has_free_capacity=True)) == [
        "Математикова Анна Петровна",
        "Физикова Анна Петровна",
    ]
    assert names(bank_search(viewer=world.school_b, subject="Русский язык", has_free_capacity=True)) == []


# --- pages and API -----------------------------------------------------------------------------------------


def test_the_search_page_shows_published_fields_and_free_places(world, client_on, catalogue):
    client = client_on(world.host(world.school_b), world.teacher_b)
    response = client.get("/bank/", {"q": "математике"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Математикова Анна Петровна" in text
    assert "свободно 3 из 3" in text
    assert "Словесникова" not in text
    assert "t-school-a" in text and "t-mun" in text

    card = client.get(f"/bank/{row_of(catalogue['math']).pk}/")
    assert card.status_code == 200
    assert "Методика преподавания математики" in card.content.decode()


def test_bad_filters_get_a_clear_russian_message(world, client_on, catalogue):
    client = client_on(world.host(world.school_b), world.teacher_b)
    # Pages past the end show the last one; a NUL character in the text is dropped.
    for params in ({"page": "9" * 30}, {"page": "7"}, {"q": "матем\x00атика"}):
        assert client.get("/bank/", params).status_code == 200, params
    response = client.get("/bank/", {"experience": "много", "kind": "zoo"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Стаж укажите числом лет" in text
    assert "Неизвестный тип организации" in text


def test_every_level_may_search_and_the_municipality_sees_its_rows(world, client_on, tiers):
    for host, user in (
        (world.host(world.region), world.coordinator),
        (world.host(world.municipality), world.municipal),
        (world.host(world.school_a), world.teacher_a),
    ):
        assert client_on(host, user).get("/bank/").status_code == 200, host
    municipal = client_on(world.host(world.municipality), world.municipal).get("/bank/").content.decode()
    assert "Муниципальная Анна Петровна" in municipal
    region = client_on(world.host(world.region), world.coordinator).get("/bank/").content.decode()
    assert "Региональная Анна Петровна" in region and "Муниципальная" not in region
    # A card not visible from the host is «not found».
    hidden = client_on(world.host(world.region), world.coordinator).get(f"/bank/{tiers['municipality'].pk}/")
    assert hidden.status_code == 404


def test_the_search_page_does_a_fixed_number_of_queries(world, client_on, in_school_a):
    publish("Однова")
    refresh(world.school_a)
    client = client_on(world.host(world.school_b), world.teacher_b)

    def queries():
        cache.clear()  # the form's subjects and tags are kept a minute
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/bank/").status_code == 200
        return len(captured)

    before = queries()
    connection.set_tenant(world.school_a)
    publish("Двоева")
    publish("Троева", visibility=Visibility.MUNICIPALITY)
    refresh(world.school_a)
    assert queries() == before


def test_api_lists_with_free_places_and_filters(world, client_on, catalogue):
    client = client_on(world.host(world.school_b), world.teacher_b)
    response = client.get("/api/v1/bank/mentors/", {"q": "математика", "free": "1", "experience": "10"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    mentor = body["results"][0]
    assert mentor["full_name"] == "Математикова Анна Петровна"
    assert (mentor["capacity"], mentor["taken"], mentor["free"]) == (3, 0, 3)
    assert mentor["organization"]["id"] == world.school_a.pk
    assert mentor["municipality"]["id"] == world.municipality.pk
    assert mentor["achievements"][0]["label"].startswith("Победитель")
    assert "staff_id" not in mentor

    last = client.get("/api/v1/bank/mentors/", {"page": "40"}).json()
    assert last["count"] == 3 and len(last["results"]) == 3 and last["next"] is None

    detail = client.get(f"/api/v1/bank/mentors/{mentor['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == mentor["id"]
    assert client.get("/api/v1/bank/mentors/999999999/").status_code == 404


def test_api_answers_bad_parameters_with_400_in_russian(world, client_on, catalogue):
    client = client_on(world.host(world.school_b), world.teacher_b)
    for params, field, words in (
        ({"experience": "десять"}, "experience", "Стаж"),
        ({"experience": "-1"}, "experience", "от 0"),
        ({"kind": "zoo"}, "kind", "тип организации"),
        ({"municipality": "abc"}, "municipality", "Муниципалитет"),
        ({"municipality": "9" * 30}, "municipality", "Муниципалитет"),
        ({"page": "x"}, "page", "страницы"),
        ({"page": "0"}, "page", "страницы"),
        ({"free": "может"}, "free", "свободные места"),
    ):
        response = client.get("/api/v1/bank/mentors/", params)
        assert response.status_code == 400, params
        assert words in " ".join(response.json()[field]), params
