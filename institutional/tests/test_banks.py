"""Mentee and mentor banks: the rules of the services and what the pages show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from institutional.dates import organization_today
from institutional.models import ConsentKind, MenteeCategory, MenteeEntry, MentorEntry, MentorTraining, Visibility
from institutional.selectors import banks as selectors
from institutional.services import banks as services
from institutional.tests.test_banks_factories import make_staff, scan, signed_consent, use_media_root


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    use_media_root(settings, tmp_path)
    yield
    use_media_root(settings, tmp_path)


def _mentee(staff=None, **extra):
    return services.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.YOUNG], **extra)


# --- mentee bank rules --------------------------------------------------------------------------


def test_a_dismissed_teacher_is_refused_from_the_mentee_bank(in_school_a):
    staff = make_staff(dismissed=True)
    with pytest.raises(ValidationError) as error:
        _mentee(staff)
    assert "уволен(а)" in str(error.value) and "не может быть включён(а) в банк" in str(error.value)
    assert MenteeEntry.objects.count() == 0


def test_a_second_open_entry_of_the_same_teacher_is_refused(in_school_a):
    staff = make_staff()
    _mentee(staff)
    with pytest.raises(ValidationError, match="уже есть в банке наставляемых"):
        _mentee(staff)
    assert MenteeEntry.objects.count() == 1


def test_a_teacher_who_left_the_bank_may_be_entered_again(in_school_a):
    staff = make_staff()
    entry = _mentee(staff)
    services.mentee_entry_set_status(
        actor=None, entry=entry, status=MenteeEntry.Status.LEFT, left_on=organization_today(), left_reason="completed"
    )
    assert _mentee(staff).pk != entry.pk


def test_at_least_one_category_is_required(in_school_a):
    with pytest.raises(ValidationError, match="хотя бы одну категорию"):
        services.mentee_entry_create(actor=None, staff=make_staff(), categories=[])


def test_several_categories_are_kept(in_school_a):
    entry = services.mentee_entry_create(
        actor=None,
        staff=make_staff(),
        categories=[MenteeCategory.YOUNG, MenteeCategory.DIGITAL],
        tags="ИКТ, ИКТ ,  оценивание",
    )
    entry.refresh_from_db()
    assert entry.categories == ["young", "digital"]
    assert entry.tags == ["ИКТ", "оценивание"]


def test_needed_from_is_the_hire_date_for_someone_hired_within_a_year(in_school_a):
    recent = make_staff("Новикова", hired_days_ago=20)
    veteran = make_staff("Старова", hired_days_ago=3000)
    assert _mentee(recent).needed_from == recent.hire_date
    assert _mentee(veteran).needed_from == organization_today()


def test_appointment_deadline_follows_the_regulation_and_is_overdue_only_while_waiting(in_school_a):
    staff = make_staff(hired_days_ago=40)
    entry = _mentee(staff)
    row = selectors.mentee_rows([entry])[0]
    assert row.deadline == staff.hire_date + timedelta(days=30)
    assert row.is_overdue
    services.mentee_entry_set_status(actor=None, entry=entry, status=MenteeEntry.Status.IN_PAIR)
    assert not selectors.mentee_rows([entry])[0].is_overdue


def test_a_fresh_hire_is_not_overdue(in_school_a):
    entry = _mentee(make_staff(hired_days_ago=5))
    assert not selectors.mentee_rows([entry])[0].is_overdue


def test_leaving_needs_a_date_and_a_reason(in_school_a):
    entry = _mentee(make_staff())
    with pytest.raises(ValidationError) as error:
        services.mentee_entry_set_status(actor=None, entry=entry, status=MenteeEntry.Status.LEFT)
    assert "left_on" in error.value.message_dict and "left_reason" in error.value.message_dict
    entry.refresh_from_db()
    assert entry.status == MenteeEntry.Status.WAITING


def test_a_trainee_needs_name_and_birth_date(in_school_a):
    with pytest.raises(ValidationError) as error:
        _mentee(trainee_last_name="Юнова")
    assert "trainee_first_name" in error.value.message_dict
    assert "trainee_birth_date" in error.value.message_dict


def test_a_birth_date_in_the_future_is_refused(in_school_a):
    with pytest.raises(ValidationError, match="в будущем"):
        _mentee(
            trainee_last_name="Юнова",
            trainee_first_name="Ольга",
            trainee_birth_date=organization_today() + timedelta(days=3),
        )


def test_a_minor_trainee_is_flagged_until_a_parent_consent_is_signed(in_school_a):
    today = organization_today()
    minor = _mentee(
        trainee_last_name="Юнова",
        trainee_first_name="Ольга",
        trainee_birth_date=date(today.year - 16, 1, 1),
        trainee_study_place="ПК-21",
    )
    adult = _mentee(
        trainee_last_name="Взрослова", trainee_first_name="Ирина", trainee_birth_date=date(today.year - 20, 1, 1)
    )
    rows = {row.entry.pk: row for row in selectors.mentee_rows([minor, adult])}
    assert rows[minor.pk].needs_parent_consent
    assert not rows[adult.pk].needs_parent_consent

    signed_consent(
        kind=ConsentKind.PARENT_PERSONAL_DATA,
        mentee_entry=minor,
        representative_full_name="Юнова Елена Викторовна",
        representative_document="паспорт 1800 654321",
        representative_basis="свидетельство о рождении II-РК № 123456",
    )
    assert not selectors.mentee_rows([minor])[0].needs_parent_consent


def test_the_person_may_edit_only_requests_difficulties_and_tags(in_school_a):
    entry = _mentee(make_staff())
    old_needed_from = entry.needed_from
    services.mentee_entry_update(
        actor=None,
        entry=entry,
        data={
            "requests": "Хочу научиться вести урок-исследование",
            "needed_from": date(2020, 1, 1),
            "categories": ["burnout"],
        },
        own=True,
    )
    entry.refresh_from_db()
    assert entry.requests == "Хочу научиться вести урок-исследование"
    assert entry.needed_from == old_needed_from
    assert entry.categories == ["young"]


# --- mentor bank rules --------------------------------------------------------------------------


def _mentor(staff, **extra):
    extra.setdefault("competencies", "Проектная деятельность, подготовка к олимпиадам")
    return services.mentor_entry_create(actor=None, staff=staff, **extra)


def test_a_dismissed_teacher_is_refused_from_the_mentor_bank(in_school_a):
    with pytest.raises(ValidationError, match="уволен"):
        _mentor(make_staff(dismissed=True))
    assert MentorEntry.objects.count() == 0


def test_capacity_defaults_to_the_regulation_cap_and_is_refused_above_it(in_school_a):
    entry = _mentor(make_staff())
    assert entry.capacity == 3
    with pytest.raises(ValidationError, match="не более 3"):
        _mentor(make_staff("Петрова"), capacity=4)
    assert MentorEntry.objects.count() == 1


def test_visibility_beyond_the_organization_needs_a_signed_publication_consent(in_school_a):
    staff = make_staff()
    with pytest.raises(ValidationError, match="согласии на публикацию"):
        _mentor(staff, visibility=Visibility.REGION)
    entry = _mentor(staff)
    with pytest.raises(ValidationError, match="согласии на публикацию"):
        services.mentor_entry_update(actor=None, entry=entry, data={"visibility": Visibility.MUNICIPALITY}, own=True)
    signed_consent(kind=ConsentKind.PUBLICATION, staff=staff)
    services.mentor_entry_update(actor=None, entry=entry, data={"visibility": Visibility.MUNICIPALITY}, own=True)
    entry.refresh_from_db()
    assert entry.visibility == Visibility.MUNICIPALITY


def test_a_mentor_may_not_change_capacity_of_their_own_entry(in_school_a):
    entry = _mentor(make_staff())
    services.mentor_entry_update(actor=None, entry=entry, data={"capacity": 1, "tags": "ФГОС"}, own=True)
    entry.refresh_from_db()
    assert entry.capacity == 3 and entry.tags == ["ФГОС"]


def test_mentor_load_is_zero_until_pairs_exist(in_school_a):
    assert selectors.mentor_load(_mentor(make_staff())) == 0


def test_achievements_are_several_and_must_be_known(in_school_a):
    entry = _mentor(make_staff(), achievements=["contest_winner", "webinars"])
    assert entry.achievements == ["contest_winner", "webinars"]
    with pytest.raises(ValidationError, match="Неизвестное достижение"):
        _mentor(make_staff("Петрова"), achievements=["astronaut"])


def test_excluding_a_mentor_keeps_the_record_and_frees_the_staff_member(in_school_a):
    staff = make_staff()
    entry = _mentor(staff)
    services.mentor_entry_exclude(
        actor=None, entry=entry, excluded_on=organization_today(), reason="по личному заявлению"
    )
    entry.refresh_from_db()
    assert not entry.is_active and entry.excluded_reason == "по личному заявлению"
    assert _mentor(staff).pk != entry.pk


def test_trainings_are_added_and_removed_and_certificates_checked_by_content(in_school_a):
    entry = _mentor(make_staff())
    training = services.mentor_training_add(
        actor=None,
        mentor=entry,
        title="Школа наставников",
        provider="ЦНППМ",
        hours=36,
        completed_on=date(2025, 5, 20),
        certificate=scan(),
    )
    assert training.certificate.name.startswith("mentors/trainings/")
    with pytest.raises(ValidationError, match="не является PDF"):
        services.mentor_training_add(
            actor=None, mentor=entry, title="Курс", certificate=scan(b"PK\x03\x04 not a scan", "fake.pdf")
        )
    services.mentor_training_remove(actor=None, training=training)
    assert MentorTraining.objects.count() == 0


# --- pages ----------------------------------------------------------------------------------------


def test_mentee_list_marks_overdue_and_filters_by_status_and_category(world, client_on, in_school_a):
    late = _mentee(make_staff("Опоздалова", hired_days_ago=60))
    other = services.mentee_entry_create(
        actor=None, staff=make_staff("Цифрова", hired_days_ago=2), categories=[MenteeCategory.DIGITAL]
    )
    services.mentee_entry_set_status(actor=None, entry=other, status=MenteeEntry.Status.IN_PAIR)
    client = client_on(world.host(world.school_a), world.curator_a)
    page = client.get("/org/banks/mentees/").content.decode()
    assert "Опоздалова" in page and "Цифрова" in page and 'data-testid="overdue"' in page
    filtered = client.get("/org/banks/mentees/", {"category": "digital"}).content.decode()
    assert "Цифрова" in filtered and "Опоздалова" not in filtered
    waiting = client.get("/org/banks/mentees/", {"status": "waiting"}).content.decode()
    assert "Опоздалова" in waiting and "Цифрова" not in waiting
    assert late.pk


def test_adding_a_dismissed_teacher_through_the_page_shows_the_message_and_writes_nothing(
    world, client_on, in_school_a
):
    staff = make_staff(dismissed=True)
    response = client_on(world.host(world.school_a), world.curator_a).post(
        "/org/banks/mentees/add/", {"subject_type": "staff", "staff": staff.pk, "categories": ["young"]}
    )
    assert response.status_code == 400
    assert "не может быть включён(а) в банк" in response.content.decode()
    assert MenteeEntry.objects.count() == 0


def test_adding_a_mentee_through_the_page(world, client_on, in_school_a):
    staff = make_staff(hired_days_ago=3)
    response = client_on(world.host(world.school_a), world.council_a).post(
        "/org/banks/mentees/add/",
        {
            "subject_type": "staff",
            "staff": staff.pk,
            "categories": ["young", "new_workplace"],
            "requests": "Дисциплина на уроке",
        },
    )
    assert response.status_code == 302
    entry = MenteeEntry.objects.get()
    assert entry.staff == staff and entry.needed_from == staff.hire_date and entry.created_by_id == world.council_a.pk


def test_capacity_above_the_cap_is_refused_on_the_page(world, client_on, in_school_a):
    staff = make_staff()
    response = client_on(world.host(world.school_a), world.curator_a).post(
        "/org/banks/mentors/add/",
        {"staff": staff.pk, "competencies": "Наставник", "capacity": 5, "visibility": "organization"},
    )
    assert response.status_code == 400 and "не более 3" in response.content.decode()
    assert MentorEntry.objects.count() == 0


def test_the_minor_trainee_page_warns_about_the_missing_parent_consent(world, client_on, in_school_a):
    today = organization_today()
    minor = _mentee(
        trainee_last_name="Юнова", trainee_first_name="Ольга", trainee_birth_date=date(today.year - 15, 1, 1)
    )
    client = client_on(world.host(world.school_a), world.curator_a)
    assert 'data-testid="parent-consent-warning"' in client.get(f"/org/banks/mentees/{minor.pk}/").content.decode()
    assert 'data-testid="parent-consent-warning"' in client.get("/org/banks/mentees/").content.decode()


def test_the_mentor_page_shows_trainings_achievements_and_load(world, client_on, in_school_a):
    entry = _mentor(make_staff(), achievements=["materials_author"])
    services.mentor_training_add(actor=None, mentor=entry, title="Школа молодого наставника", hours=72)
    page = (
        client_on(world.host(world.school_a), world.director_a).get(f"/org/banks/mentors/{entry.pk}/").content.decode()
    )
    assert "Школа молодого наставника" in page and "Автор учебно-методических материалов" in page and "0 из 3" in page


def test_dismissing_a_person_takes_them_out_of_both_banks(world, in_school_a):
    from institutional.services.staff import staff_dismiss

    mentor_staff = make_staff(last_name="Уходящий")
    mentee_staff = make_staff(last_name="Уходящая")
    mentor = services.mentor_entry_create(actor=None, staff=mentor_staff, competencies="Методика")
    mentee = services.mentee_entry_create(actor=None, staff=mentee_staff, categories=["young"])

    staff_dismiss(actor=None, staff=mentor_staff, dismissal_date=organization_today())
    staff_dismiss(actor=None, staff=mentee_staff, dismissal_date=organization_today())

    mentor = MentorEntry.objects.get(pk=mentor.pk)
    mentee = MenteeEntry.objects.get(pk=mentee.pk)
    assert not mentor.is_active and mentor.excluded_reason.startswith("Увольнение")
    assert (mentee.status, mentee.left_reason) == ("left", "dismissed")
