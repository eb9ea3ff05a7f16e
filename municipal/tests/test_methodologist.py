"""«Добавить методиста»: the municipality's own methodologist becomes a mentor of its own schema.

One transaction through the institutional services: a staff record, three signed consents (personal
data, mentoring duties, publication) and a mentor bank entry visible to the municipality or region.
Bad input is refused before anything is written.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from institutional.dates import organization_today
from institutional.models import Consent, ConsentKind, MentorEntry, Staff
from municipal import services
from municipal.tests.factories import PDF, scan


def _data(**changes) -> dict:
    today = organization_today()
    data = {
        "last_name": "Методистова",
        "first_name": "Елена",
        "patronymic": "Викторовна",
        "position": "методист",
        "subjects": ["Начальные классы"],
        "hire_date": today - timedelta(days=3000),
        "total_experience_years": Decimal("25"),
        "pedagogical_experience_years": Decimal("22.5"),
        "qualification_category": "highest",
        "birth_date": date(1975, 4, 2),
        "snils": "112-233-445 95",
        "email": "Metodist@Test.test",
        "subject_document": "паспорт 1810 123456, выдан ГУ МВД России по Волгоградской обл. 01.02.2020",
        "subject_address": "г. Камышин, ул. Мира, д. 3",
        "published_fields": ["full_name", "position", "subjects", "competencies"],
        "signed_on": today,
        "personal_data_scan": scan(),
        "mentoring_duties_scan": scan(),
        "publication_scan": scan(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "scan.png"),
        "competencies": "Сопровождение молодых учителей начальной школы",
        "achievements": ["webinars"],
        "tags": ["начальная школа"],
        "capacity": 2,
        "visibility": "region",
    }
    data.update(changes)
    return data


def _counts(municipality):
    with schema_context(municipality.schema_name):
        return (Staff.objects.count(), Consent.objects.count(), MentorEntry.objects.count())


def test_a_methodologist_is_added_with_signed_consents_and_a_visible_entry_in_the_municipality_schema(
    world, django_capture_on_commit_callbacks
):
    school_before = _counts(world.school_a)

    with django_capture_on_commit_callbacks() as callbacks:
        added = services.methodologist_add(actor=world.municipal, municipality=world.municipality, data=_data())

    with schema_context(world.municipality.schema_name):
        staff = Staff.objects.get(pk=added.staff_id)
        assert staff.full_name == "Методистова Елена Викторовна" == added.full_name
        assert staff.snils == "11223344595"
        assert staff.email == "metodist@test.test"
        consents = {consent.kind: consent for consent in Consent.objects.filter(staff=staff)}
        assert set(consents) == {ConsentKind.PERSONAL_DATA, ConsentKind.MENTORING_DUTIES, ConsentKind.PUBLICATION}
        assert all(consent.status == Consent.Status.SIGNED for consent in consents.values())
        assert all(consent.signed_on == organization_today() for consent in consents.values())
        assert all(consent.signed_scan for consent in consents.values())
        assert consents[ConsentKind.PUBLICATION].published_fields == [
            "full_name",
            "position",
            "subjects",
            "competencies",
        ]
        assert consents[ConsentKind.PERSONAL_DATA].operator_name == world.municipality.full_name
        assert sorted(added.consent_ids) == sorted(consent.pk for consent in consents.values())
        entry = MentorEntry.objects.get(pk=added.mentor_entry_id)
        assert entry.staff == staff
        assert entry.visibility == "region"
        assert entry.capacity == 2
        assert entry.subjects == ["Начальные классы"]
        assert entry.achievements == ["webinars"]
        assert entry.created_by_id == world.municipal.pk
    # Nothing in the schools; the municipality's projection is refreshed after the commit.
    assert _counts(world.school_a) == school_before
    assert any(getattr(callback, "projection_schema", None) == world.municipality.schema_name for callback in callbacks)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"last_name": " ", "hire_date": None}, {"last_name", "hire_date"}),
        (
            {"personal_data_scan": None, "publication_scan": scan(b"not a scan")},
            {"personal_data_scan", "publication_scan"},
        ),
        ({"subject_document": ""}, {"subject_document"}),
        ({"published_fields": []}, {"published_fields"}),
        ({"published_fields": ["snils"]}, {"published_fields"}),
        ({"visibility": "organization"}, {"visibility"}),
        ({"capacity": 4}, {"capacity"}),
        ({"competencies": ""}, {"competencies"}),
        ({"tags": ["м" * 61]}, {"tags"}),
        ({"signed_on": None}, {"signed_on"}),
        ({"pedagogical_experience_years": Decimal("30")}, {"pedagogical_experience_years"}),
        ({"snils": "123"}, {"snils"}),
        ({"email": "not-an-email"}, {"email"}),
        ({"achievements": ["astronaut"]}, {"achievements"}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, changes, fields):
    before = _counts(world.municipality)

    with pytest.raises(ValidationError) as error:
        services.methodologist_add(actor=world.municipal, municipality=world.municipality, data=_data(**changes))

    assert fields <= set(error.value.message_dict)
    assert _counts(world.municipality) == before


def test_consents_signed_before_today_or_in_the_future_are_refused(world):
    today = organization_today()
    for day, text in ((today + timedelta(days=1), "в будущем"), (today - timedelta(days=1), "не раньше сегодняшнего")):
        with pytest.raises(ValidationError) as error:
            services.methodologist_add(
                actor=world.municipal, municipality=world.municipality, data=_data(signed_on=day)
            )
        assert text in error.value.message_dict["signed_on"][0]
    assert _counts(world.municipality) == (0, 0, 0)


def test_a_second_methodologist_with_the_same_snils_is_refused(world):
    services.methodologist_add(actor=world.municipal, municipality=world.municipality, data=_data())
    before = _counts(world.municipality)

    with pytest.raises(ValidationError) as error:
        services.methodologist_add(
            actor=world.municipal, municipality=world.municipality, data=_data(last_name="Другая", email="")
        )

    assert "snils" in error.value.message_dict
    assert _counts(world.municipality) == before


def test_a_failure_while_writing_leaves_nothing_half_written(world):
    before = _counts(world.municipality)
    refusal = ValidationError({"staff": "Сбой при внесении в банк наставников."})

    with (
        mock.patch("institutional.services.banks.mentor_entry_create", side_effect=refusal),
        pytest.raises(ValidationError),
    ):
        services.methodologist_add(actor=world.municipal, municipality=world.municipality, data=_data())

    assert _counts(world.municipality) == before


def test_only_a_municipality_adds_methodologists(world):
    before = _counts(world.school_a)

    with pytest.raises(ValidationError, match="не муниципалитет"):
        services.methodologist_add(actor=world.curator_a, municipality=world.school_a, data=_data())

    assert _counts(world.school_a) == before


# --- the page -----------------------------------------------------------------------------------------


def _post_data(**changes):
    data = _data(**changes)
    for name in ("hire_date", "birth_date", "signed_on"):
        data[name] = data[name].isoformat() if data[name] else ""
    data["subjects"] = ", ".join(data["subjects"])
    data["tags"] = ", ".join(data["tags"])
    for name in ("personal_data_scan", "mentoring_duties_scan", "publication_scan"):
        data[name] = scan(PDF, f"{name}.pdf")
    return data


def test_the_page_adds_a_methodologist(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)

    form = client.get("/base/methodologists/add/").content.decode()
    assert "Добавить методиста" in form and 'enctype="multipart/form-data"' in form

    response = client.post("/base/methodologists/add/", _post_data())

    assert response.status_code == 302
    assert response["Location"] == "/base/"
    assert _counts(world.municipality) == (1, 3, 1)


def test_the_page_shows_what_is_wrong_and_writes_nothing(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)
    data = _post_data(visibility="region", subject_document="")
    data.pop("mentoring_duties_scan")

    response = client.post("/base/methodologists/add/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Укажите документ, удостоверяющий личность методиста" in page
    assert "Приложите скан подписанного документа" in page
    assert _counts(world.municipality) == (0, 0, 0)


def test_after_the_refresh_the_methodologist_is_in_the_base_with_what_they_consented_to_publish(world):
    from analytics.projection import refresh_organization
    from municipal import selectors

    services.methodologist_add(
        actor=world.municipal,
        municipality=world.municipality,
        data=_data(published_fields=["full_name", "competencies"]),
    )
    refresh_organization(world.municipality)

    rows = selectors.base_list(municipality=world.municipality, organization_id=world.municipality.pk)
    assert len(rows) == 1
    mentor = rows[0].mentor
    assert mentor.full_name == "Методистова Елена Викторовна"
    assert mentor.competencies == "Сопровождение молодых учителей начальной школы"
    assert (mentor.position, mentor.subjects) == ("", [])  # not in the publication consent
    assert rows[0].status == "unverified"
