"""Written consents: pre-filled texts, DOCX to sign, signing with a scan, withdrawal and its effects."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from institutional.dates import organization_today
from institutional.documents.consents import consent_document
from institutional.models import (
    Consent,
    ConsentKind,
    MenteeCategory,
    MenteeEntry,
    MentorEntry,
    Notification,
    Visibility,
)
from institutional.services import banks as bank_services
from institutional.services import consents as services
from institutional.tests.test_banks_factories import PNG, make_staff, scan, signed_consent, use_media_root
from nastavnik.documents import document_bytes, document_text
from tenants.models import Organization

PASSPORT = "паспорт 1804 556677, выдан ОУФМС России по Волгоградской обл. 12.03.2015"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    use_media_root(settings, tmp_path)
    yield
    use_media_root(settings, tmp_path)


@pytest.fixture
def school(world, in_school_a):
    Organization.objects.filter(pk=world.school_a.pk).update(
        full_name="Муниципальное общеобразовательное учреждение «Средняя школа № 5»",
        address="403870, Волгоградская обл., г. Камышин, ул. Ленина, д. 1",
        inn="3436012345",
    )
    return Organization.objects.get(pk=world.school_a.pk)


def _docx_text(consent) -> str:
    return document_text(document_bytes(consent_document(consent)))


def _minor(today=None):
    today = today or organization_today()
    return bank_services.mentee_entry_create(
        actor=None,
        categories=[MenteeCategory.TRAINEE],
        trainee_last_name="Юнова",
        trainee_first_name="Ольга",
        trainee_birth_date=date(today.year - 16, 3, 1),
        trainee_study_place="Камышинский колледж, группа ПК-21",
    )


def test_a_personal_data_consent_is_prefilled_and_its_docx_holds_every_required_field(school):
    staff = make_staff()
    consent = services.consent_create(
        actor=None,
        kind=ConsentKind.PERSONAL_DATA,
        staff=staff,
        subject_document=PASSPORT,
        subject_address="г. Камышин, ул. Мира, д. 3, кв. 4",
        organization=school,
    )
    assert consent.operator_name == school.full_name and consent.operator_inn == "3436012345"
    text = _docx_text(consent)
    assert "СОГЛАСИЕ НА ОБРАБОТКУ ПЕРСОНАЛЬНЫХ ДАННЫХ" in text
    assert "Я, Смирнова Анна Петровна" in text
    assert PASSPORT in text and "ул. Мира" in text
    assert school.full_name in text and "ИНН 3436012345" in text and "ул. Ленина" in text
    assert "Цель обработки: организация и сопровождение наставничества" in text
    assert "Перечень персональных данных: фамилия, имя, отчество" in text
    assert "Перечень действий с персональными данными: сбор, запись" in text
    assert "Срок действия согласия: со дня подписания" in text
    assert "Порядок отзыва согласия: Согласие может быть отозвано" in text
    assert "№ 152-ФЗ «О персональных данных»" in text
    assert "Дата: «___» ____________ 20__ г." in text
    assert "Подпись: _______________ / Смирнова Анна Петровна /" in text


def test_a_signed_consent_prints_its_signing_date(school):
    consent = signed_consent(staff=make_staff(), organization=school)
    today = organization_today()
    assert f"Дата: «{today.day}»" in _docx_text(consent)


def test_the_mentoring_duties_consent_refers_to_the_labour_code_and_pay_by_agreement(school):
    consent = services.consent_create(
        actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=make_staff(), organization=school
    )
    text = _docx_text(consent)
    assert "СОГЛАСИЕ НА ВЫПОЛНЕНИЕ ОБЯЗАННОСТЕЙ НАСТАВНИКА" in text
    assert "статьёй 351.8 Трудового кодекса Российской Федерации" in text
    assert "Обязанности наставника:" in text and "персонализированную программу" in text
    assert "устанавливаются соглашением сторон" in text


def test_the_publication_consent_lists_only_the_chosen_fields(school):
    consent = services.consent_create(
        actor=None,
        kind=ConsentKind.PUBLICATION,
        staff=make_staff(),
        published_fields=["full_name", "competencies"],
        organization=school,
    )
    text = _docx_text(consent)
    assert "разрешённых для распространения: фамилия, имя, отчество; профессиональные компетенции" in text
    assert "статьёй 10.1" in text
    with pytest.raises(ValidationError, match="Отметьте сведения"):
        services.consent_create(actor=None, kind=ConsentKind.PUBLICATION, staff=make_staff("Иная"), organization=school)


def test_a_minor_cannot_sign_their_own_personal_data_consent(school):
    minor = _minor()
    with pytest.raises(ValidationError, match="родитель"):
        services.consent_create(
            actor=None, kind=ConsentKind.PERSONAL_DATA, mentee_entry=minor, subject_document=PASSPORT
        )
    assert Consent.objects.count() == 0


def test_a_parent_consent_needs_the_representative_and_names_them_in_the_docx(school):
    minor = _minor()
    with pytest.raises(ValidationError) as error:
        services.consent_create(
            actor=None, kind=ConsentKind.PARENT_PERSONAL_DATA, mentee_entry=minor, subject_document="св-во о рождении"
        )
    assert {"representative_full_name", "representative_document", "representative_basis"} <= set(
        error.value.message_dict
    )
    consent = services.consent_create(
        actor=None,
        kind=ConsentKind.PARENT_PERSONAL_DATA,
        mentee_entry=minor,
        subject_document="свидетельство о рождении II-РК № 123456",
        representative_full_name="Юнова Елена Викторовна",
        representative_document=PASSPORT,
        representative_basis="свидетельство о рождении II-РК № 123456",
        organization=school,
    )
    text = _docx_text(consent)
    assert "Я, Юнова Елена Викторовна" in text and "законный представитель" in text and "Юнова Ольга" in text
    assert "Подпись: _______________ / Юнова Елена Викторовна /" in text


def test_a_parent_consent_is_only_for_a_minor(school):
    today = organization_today()
    adult = bank_services.mentee_entry_create(
        actor=None,
        categories=["trainee"],
        trainee_last_name="Взрослова",
        trainee_first_name="Ирина",
        trainee_birth_date=date(today.year - 20, 1, 1),
    )
    with pytest.raises(ValidationError, match="только для несовершеннолетнего"):
        services.consent_create(
            actor=None,
            kind=ConsentKind.PARENT_PERSONAL_DATA,
            mentee_entry=adult,
            subject_document="x",
            representative_full_name="Р",
            representative_document="п",
            representative_basis="о",
        )


def test_the_mentoring_duties_consent_is_for_staff_only(school):
    with pytest.raises(ValidationError, match="только сотрудник"):
        services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, mentee_entry=_minor())


def test_a_second_unwithdrawn_consent_of_the_same_kind_is_refused(school):
    staff = make_staff()
    services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=staff)
    with pytest.raises(ValidationError, match="уже есть неотозванное"):
        services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=staff)


def test_signing_needs_a_real_scan_and_a_date_not_in_the_future(school):
    consent = services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=make_staff())
    with pytest.raises(ValidationError, match="в будущем"):
        services.consent_sign(
            actor=None, consent=consent, signed_on=organization_today() + timedelta(days=1), scan=scan()
        )
    with pytest.raises(ValidationError, match="не является PDF, JPEG или PNG"):
        services.consent_sign(
            actor=None, consent=consent, signed_on=organization_today(), scan=scan(b"GIF89a....", "scan.pdf")
        )
    with pytest.raises(ValidationError, match="Приложите скан"):
        services.consent_sign(actor=None, consent=consent, signed_on=organization_today(), scan=None)
    consent.refresh_from_db()
    assert consent.status == Consent.Status.DRAFT and not consent.signed_scan
    services.consent_sign(actor=None, consent=consent, signed_on=organization_today(), scan=scan(PNG, "scan.bin"))
    consent.refresh_from_db()
    assert consent.status == Consent.Status.SIGNED and consent.signed_scan.name.endswith(".png")


def _banks_of(staff):
    mentor = bank_services.mentor_entry_create(actor=None, staff=staff, competencies="Проекты")
    mentee = bank_services.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.DIGITAL])
    return mentor, mentee


def test_withdrawing_personal_data_consent_takes_the_person_out_of_every_bank_and_notifies_managers(world, school):
    staff = make_staff()
    consent = signed_consent(staff=staff)
    signed_consent(kind=ConsentKind.PUBLICATION, staff=staff)
    mentor, mentee = _banks_of(staff)
    bank_services.mentor_entry_update(actor=None, entry=mentor, data={"visibility": Visibility.REGION})
    today = organization_today()

    result = services.consent_withdraw(actor=world.curator_a, consent=consent, withdrawn_on=today, organization=school)

    mentor.refresh_from_db()
    mentee.refresh_from_db()
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN and consent.withdrawn_on == today
    assert not mentor.is_active and mentor.excluded_reason.startswith("Отзыв согласия") and mentor.excluded_on == today
    assert mentor.visibility == Visibility.ORGANIZATION
    assert mentee.status == MenteeEntry.Status.LEFT and mentee.left_reason == MenteeEntry.LeftReason.CONSENT_WITHDRAWN
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {world.curator_a.pk, world.council_a.pk} == set(result.notified_user_ids)
    text = Notification.objects.first().text
    assert "Смирнова Анна Петровна" in text and "банка наставников" in text and "банка наставляемых" in text


def test_withdrawing_the_publication_consent_hides_the_mentor_from_municipality_and_region(school):
    staff = make_staff()
    publication = signed_consent(kind=ConsentKind.PUBLICATION, staff=staff)
    mentor = bank_services.mentor_entry_create(
        actor=None, staff=staff, competencies="Проекты", visibility=Visibility.MUNICIPALITY
    )
    services.consent_withdraw(actor=None, consent=publication, withdrawn_on=organization_today(), organization=school)
    mentor.refresh_from_db()
    assert mentor.visibility == Visibility.ORGANIZATION and mentor.is_active
    with pytest.raises(ValidationError, match="согласии на публикацию"):
        bank_services.mentor_entry_update(actor=None, entry=mentor, data={"visibility": Visibility.REGION})


def test_withdrawing_the_mentoring_duties_consent_takes_the_mentor_out_of_the_mentor_bank(school):
    staff = make_staff()
    duties = signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=staff)
    mentor, mentee = _banks_of(staff)
    services.consent_withdraw(actor=None, consent=duties, withdrawn_on=organization_today(), organization=school)
    mentor.refresh_from_db()
    mentee.refresh_from_db()
    assert not mentor.is_active
    assert mentee.status == MenteeEntry.Status.WAITING
    with pytest.raises(ValidationError, match="отозвал"):
        bank_services.mentor_entry_create(actor=None, staff=staff, competencies="снова")


def test_withdrawing_a_parent_consent_takes_the_trainee_out_of_the_mentee_bank(school):
    minor = _minor()
    consent = signed_consent(
        kind=ConsentKind.PARENT_PERSONAL_DATA,
        mentee_entry=minor,
        representative_full_name="Юнова Елена Викторовна",
        representative_document=PASSPORT,
        representative_basis="свидетельство о рождении",
    )
    services.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today(), organization=school)
    minor.refresh_from_db()
    assert minor.status == MenteeEntry.Status.LEFT and minor.left_reason == "consent_withdrawn"


def test_after_withdrawal_the_person_cannot_be_entered_again_without_a_new_consent(school):
    staff = make_staff()
    consent = signed_consent(staff=staff)
    services.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today(), organization=school)
    with pytest.raises(ValidationError, match="отозвал"):
        bank_services.mentee_entry_create(actor=None, staff=staff, categories=["young"])


def test_withdrawal_date_rules(school):
    consent = services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=make_staff())
    with pytest.raises(ValidationError, match="только подписанное"):
        services.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today(), organization=school)
    services.consent_sign(actor=None, consent=consent, signed_on=organization_today(), scan=scan())
    with pytest.raises(ValidationError, match="раньше даты подписания"):
        services.consent_withdraw(
            actor=None, consent=consent, withdrawn_on=organization_today() - timedelta(days=1), organization=school
        )
    with pytest.raises(ValidationError, match="в будущем"):
        services.consent_withdraw(
            actor=None, consent=consent, withdrawn_on=organization_today() + timedelta(days=1), organization=school
        )
    consent.refresh_from_db()
    assert consent.status == Consent.Status.SIGNED


def test_withdrawal_is_one_transaction(school):
    staff = make_staff()
    consent = signed_consent(staff=staff)
    mentor, mentee = _banks_of(staff)
    with (
        mock.patch.object(Notification.objects, "bulk_create", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today(), organization=school)
    consent.refresh_from_db()
    assert consent.status == Consent.Status.SIGNED
    assert MentorEntry.objects.get(pk=mentor.pk).is_active
    assert MenteeEntry.objects.get(pk=mentee.pk).status == MenteeEntry.Status.WAITING


def test_the_consent_docx_is_downloaded_through_the_page(world, client_on, school):
    consent = services.consent_create(
        actor=None, kind=ConsentKind.PERSONAL_DATA, staff=make_staff(), subject_document=PASSPORT, organization=school
    )
    response = client_on(world.host(world.school_a), world.curator_a).get(f"/org/consents/{consent.pk}/docx/")
    assert response.status_code == 200
    text = document_text(response.content)
    assert "Я, Смирнова Анна Петровна" in text and school.full_name in text


def test_the_scan_is_served_only_through_the_access_checked_view(world, client_on, school):
    staff = make_staff(user=world.teacher_a)
    consent = signed_consent(staff=staff)
    host = world.host(world.school_a)
    assert client_on(host, world.teacher_a).get(f"/org/consents/{consent.pk}/scan/").status_code == 200
    assert client_on(host, world.psychologist_a).get(f"/org/consents/{consent.pk}/scan/").status_code == 404
    assert client_on(host, world.curator_a).get(f"/media/{consent.signed_scan.name}").status_code == 404


def test_signing_on_the_page_with_a_non_scan_writes_nothing(world, client_on, school):
    consent = services.consent_create(actor=None, kind=ConsentKind.MENTORING_DUTIES, staff=make_staff())
    response = client_on(world.host(world.school_a), world.curator_a).post(
        f"/org/consents/{consent.pk}/sign/",
        {"signed_on": organization_today().isoformat(), "signed_scan": scan(b"hello", "x.pdf")},
    )
    assert response.status_code == 400 and "не является PDF" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == Consent.Status.DRAFT


def test_creating_on_the_page_uses_the_organization_as_operator(world, client_on, school):
    staff = make_staff()
    response = client_on(world.host(world.school_a), world.council_a).post(
        "/org/consents/add/", {"kind": "personal_data", "subject": f"staff:{staff.pk}", "subject_document": PASSPORT}
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.operator_name == school.full_name and consent.created_by_id == world.council_a.pk
