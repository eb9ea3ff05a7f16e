"""The teacher's own cabinet: own entries and consents only, limited edits, and an explanation
for a member without a staff record."""

from __future__ import annotations

import pytest

from institutional.models import ConsentKind, MenteeCategory, MentorEntry, Visibility
from institutional.services import banks as services
from institutional.tests.test_banks_factories import make_staff, signed_consent, use_media_root


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    use_media_root(settings, tmp_path)
    yield
    use_media_root(settings, tmp_path)


def test_a_member_without_a_staff_record_sees_an_explanation(world, client_on, in_school_a):
    page = client_on(world.host(world.school_a), world.psychologist_a).get("/org/banks/me/")
    assert page.status_code == 200
    assert 'data-testid="no-staff"' in page.content.decode()


def test_the_cabinet_shows_own_entries_and_consents_and_nobody_elses(world, client_on, in_school_a):
    own = make_staff("Педагогова", user=world.teacher_a)
    other = make_staff("Чужова")
    services.mentee_entry_create(actor=None, staff=own, categories=[MenteeCategory.YOUNG], difficulties="Мои трудности")
    services.mentee_entry_create(
        actor=None, staff=other, categories=[MenteeCategory.YOUNG], difficulties="Чужие трудности"
    )
    services.mentor_entry_create(actor=None, staff=own, competencies="Мои компетенции")
    signed_consent(staff=own)
    signed_consent(staff=other, kind=ConsentKind.MENTORING_DUTIES)

    page = client_on(world.host(world.school_a), world.teacher_a).get("/org/banks/me/").content.decode()

    assert "Мои трудности" in page and "Мои компетенции" in page
    assert "Согласие на обработку персональных данных" in page
    assert "Чужие трудности" not in page and "Согласие на выполнение обязанностей наставника" not in page


def test_the_mentor_cannot_widen_visibility_without_a_publication_consent(world, client_on, in_school_a):
    own = make_staff("Педагогова", user=world.teacher_a)
    entry = services.mentor_entry_create(actor=None, staff=own, competencies="Проекты")
    client = client_on(world.host(world.school_a), world.teacher_a)
    data = {"competencies": "Проекты", "visibility": Visibility.REGION}
    response = client.post(f"/org/banks/me/mentor/{entry.pk}/", data)
    assert response.status_code == 400 and "согласии на публикацию" in response.content.decode()
    assert MentorEntry.objects.get(pk=entry.pk).visibility == Visibility.ORGANIZATION
    signed_consent(staff=own, kind=ConsentKind.PUBLICATION)
    assert client.post(f"/org/banks/me/mentor/{entry.pk}/", data).status_code == 302
    assert MentorEntry.objects.get(pk=entry.pk).visibility == Visibility.REGION


def test_the_curator_cannot_reach_someone_elses_entry_through_the_cabinet(world, client_on, in_school_a):
    entry = services.mentee_entry_create(actor=None, staff=make_staff(user=world.teacher_a), categories=["young"])
    assert (
        client_on(world.host(world.school_a), world.curator_a).get(f"/org/banks/me/mentee/{entry.pk}/").status_code
        == 404
    )
