"""Pages of the staff registry: permission matrix of every page, forms, dismissal, linking, the
import wizard, the export and the yearly review."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection

from institutional.models import Staff, StaffListReview
from institutional.tests.staff_factories import csv_bytes, hr_row, make_staff
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

READERS = ("curator", "council_member", "director", "psychologist")
MANAGERS = ("curator", "council_member")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def in_school(world, function):
    connection.set_tenant(world.school_a)
    try:
        return function()
    finally:
        connection.set_schema_to_public()


def state():
    return (
        sorted(Staff.objects.values_list("id", "last_name", "position", "status", "dismissal_date", "user_id")),
        StaffListReview.objects.count(),
    )


@pytest.fixture
def staff(world):
    return in_school(world, lambda: make_staff(personnel_number="100", email=""))


def form_data(**overrides):
    data = {
        "last_name": "Смирнова",
        "first_name": "Елена",
        "patronymic": "Викторовна",
        "position": "Учитель истории",
        "hire_date": "2024-09-02",
        "total_experience_years": "1",
        "pedagogical_experience_years": "1",
        "qualification_category": "none",
        "subjects": "История, Обществознание",
        "user": "",
    }
    data.update(overrides)
    return data


# --- permission matrix --------------------------------------------------------------------------


def test_matrix_list_card_export(world, client_on, staff):
    check_matrix(world, client_on, "get", "/org/staff/", allowed=READERS, state=state)
    check_matrix(world, client_on, "get", f"/org/staff/{staff.pk}/", allowed=READERS, state=state)
    check_matrix(world, client_on, "get", "/org/staff/export/", allowed=READERS, state=state)


def test_matrix_forms_and_actions(world, client_on, staff):
    check_matrix(world, client_on, "get", "/org/staff/new/", allowed=MANAGERS, state=state)
    check_matrix(world, client_on, "get", f"/org/staff/{staff.pk}/edit/", allowed=MANAGERS, state=state)
    check_matrix(world, client_on, "get", "/org/staff/import/", allowed=MANAGERS, state=state)
    check_matrix(
        world, client_on, "post", f"/org/staff/{staff.pk}/edit/", allowed=MANAGERS, state=state, data=form_data()
    )


def test_matrix_create(world, client_on):
    check_matrix(world, client_on, "post", "/org/staff/new/", allowed=MANAGERS, state=state, data=form_data())
    assert in_school(world, lambda: Staff.objects.filter(last_name="Смирнова").count()) == len(MANAGERS)


def test_matrix_review(world, client_on):
    check_matrix(world, client_on, "post", "/org/staff/review/", allowed=MANAGERS, state=state, data={"note": "ok"})
    assert in_school(world, StaffListReview.objects.count) == len(MANAGERS)


def test_matrix_dismiss(world, client_on, staff):
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/staff/{staff.pk}/dismiss/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        state=state,
        data={"dismissal_date": "2025-01-10"},
    )
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).status) == Staff.Status.DISMISSED


def test_a_teacher_sees_their_own_card_but_not_another(world, client_on, staff):
    own = in_school(world, lambda: make_staff(personnel_number="200", email="teacher-a@test.test"))
    client = client_on(world.host(world.school_a), world.teacher_a)

    assert client.get(f"/org/staff/{own.pk}/").status_code == 200
    assert client.get(f"/org/staff/{staff.pk}/").status_code == 404
    assert client.get("/org/staff/999999/").status_code == 404


# --- list ---------------------------------------------------------------------------------------


def test_the_list_searches_and_filters(world, client_on):
    in_school(world, lambda: make_staff(last_name="Молодова", pedagogical_experience_years=1, total_experience_years=1))
    old = in_school(world, lambda: make_staff(last_name="Опытнова"))
    in_school(world, lambda: make_staff(last_name="Ушедшева"))
    in_school(
        world,
        lambda: Staff.objects.filter(last_name="Ушедшева").update(status="dismissed", dismissal_date=date(2024, 1, 1)),
    )
    client = client_on(world.host(world.school_a), world.curator_a)

    young = client.get("/org/staff/", {"young": "1"}).content.decode()
    assert "Молодова" in young and "Опытнова" not in young and "молодой специалист" in young
    assert "Опытнова" in client.get("/org/staff/", {"q": "опыт"}).content.decode()
    assert "Молодова" not in client.get("/org/staff/", {"q": "опыт"}).content.decode()
    dismissed = client.get("/org/staff/", {"status": "dismissed"}).content.decode()
    assert "Ушедшева" in dismissed and "Опытнова" not in dismissed
    assert old.pk


def test_the_list_warns_when_the_review_is_overdue_and_not_after_it(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    assert 'data-testid="review-overdue"' in client.get("/org/staff/").content.decode()

    client.post("/org/staff/review/", {"note": "Проверено"})
    page = client.get("/org/staff/").content.decode()
    assert 'data-testid="review-overdue"' not in page
    assert "последний раз актуализирован" in page

    in_school(world, lambda: StaffListReview.objects.update(reviewed_on=date.today() - timedelta(days=400)))
    assert 'data-testid="review-overdue"' in client.get("/org/staff/").content.decode()


def test_the_review_records_who_and_how_many_are_waiting(world, client_on):
    client_on(world.host(world.school_a), world.council_a).post("/org/staff/review/", {"note": "Раз в год"})

    review = in_school(world, StaffListReview.objects.get)
    assert (review.reviewed_by_id, review.note, review.mentees_waiting) == (world.council_a.pk, "Раз в год", 0)


# --- forms ----------------------------------------------------------------------------------------


def test_create_links_the_member_with_the_same_email(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)

    response = client.post("/org/staff/new/", form_data(email="Teacher-A@test.test"))

    assert response.status_code == 302
    assert in_school(world, lambda: Staff.objects.get(last_name="Смирнова").user_id) == world.teacher_a.pk


def test_create_refuses_bad_values_with_messages_and_writes_nothing(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    future = (date.today() + timedelta(days=30)).isoformat()

    response = client.post("/org/staff/new/", form_data(hire_date=future, snils="123-456-789 00"))

    assert response.status_code == 400
    text = response.content.decode()
    assert "в будущем" in text and "контрольного числа" in text
    assert in_school(world, Staff.objects.count) == 0


def test_edit_links_and_unlinks_a_member_but_not_an_outsider(world, client_on, staff):
    client = client_on(world.host(world.school_a), world.curator_a)

    assert client.post(f"/org/staff/{staff.pk}/edit/", form_data(user=str(world.teacher_a.pk))).status_code == 302
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).user_id) == world.teacher_a.pk

    refused = client.post(f"/org/staff/{staff.pk}/edit/", form_data(user=str(world.outsider.pk)))
    assert refused.status_code == 400
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).user_id) == world.teacher_a.pk

    assert client.post(f"/org/staff/{staff.pk}/edit/", form_data(user="")).status_code == 302
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).user_id) is None


def test_the_edit_form_offers_only_members_of_this_organization(world, client_on, staff):
    page = client_on(world.host(world.school_a), world.curator_a).get(f"/org/staff/{staff.pk}/edit/").content.decode()

    assert "teacher-a@test.test" in page
    assert "teacher-b@test.test" not in page and "outsider@test.test" not in page


def test_dismissal_before_the_hire_date_is_refused(world, client_on, staff):
    client = client_on(world.host(world.school_a), world.curator_a)

    response = client.post(f"/org/staff/{staff.pk}/dismiss/", {"dismissal_date": "2010-01-01"}, follow=True)

    assert "раньше даты приёма" in response.content.decode()
    assert in_school(world, lambda: Staff.objects.get(pk=staff.pk).status) == Staff.Status.EMPLOYED


def test_the_card_shows_the_young_specialist_flag(world, client_on):
    young = in_school(world, lambda: make_staff(pedagogical_experience_years=2, total_experience_years=2))
    page = client_on(world.host(world.school_a), world.director_a).get(f"/org/staff/{young.pk}/").content.decode()

    assert 'data-testid="young-specialist"' in page


# --- export ---------------------------------------------------------------------------------------


def test_export_is_an_xlsx_with_every_person(world, client_on, staff):
    response = client_on(world.host(world.school_a), world.psychologist_a).get("/org/staff/export/")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Табельный номер", "СНИЛС", "ФИО")
    assert rows[1][2] == "Петрова Ольга Сергеевна"
    assert len(rows) == 2


# --- import wizard ----------------------------------------------------------------------------------


def upload(client, content: bytes, name="staff.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/org/staff/import/", {"file": file})


def test_the_wizard_uploads_previews_and_writes(world, client_on, tmp_path):
    client = client_on(world.host(world.school_a), world.curator_a)

    response = upload(client, csv_bytes([hr_row(1), hr_row(2)]))
    assert response.status_code == 302 and response["Location"].endswith("/org/staff/import/preview/")
    preview = client.get("/org/staff/import/preview/")
    assert preview.status_code == 200
    assert "Будет добавлено: <strong>2</strong>" in preview.content.decode()
    assert in_school(world, Staff.objects.count) == 0
    # the file is kept server-side, in the organization's own folder, not in the page
    assert list((tmp_path / world.school_a.schema_name / "staff-imports").iterdir())
    assert 'type="hidden" name="file' not in preview.content.decode()

    confirm = client.post("/org/staff/import/confirm/")
    assert confirm.status_code == 302
    assert in_school(world, Staff.objects.count) == 2
    assert not list((tmp_path / world.school_a.schema_name / "staff-imports").iterdir())


def test_the_wizard_shows_the_error_table_and_confirm_writes_nothing(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    upload(client, csv_bytes([hr_row(1), hr_row(1)]))

    preview = client.get("/org/staff/import/preview/")
    assert preview.status_code == 400
    assert 'data-testid="import-errors"' in preview.content.decode()
    assert "повторяется" in preview.content.decode()

    client.post("/org/staff/import/confirm/")
    assert in_school(world, Staff.objects.count) == 0


def test_the_mapping_can_be_changed_on_the_page(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    content = "Сотрудник;Номер;Пост;Принят\nКозлова Ирина;5;Учитель;01.09.2022\n".encode()
    upload(client, content)
    assert client.get("/org/staff/import/preview/").status_code == 400  # «Номер», «Пост» are not recognised

    mapped = client.post(
        "/org/staff/import/preview/", {"full_name": "0", "personnel_number": "1", "position": "2", "hire_date": "3"}
    )
    assert mapped.status_code == 200
    client.post("/org/staff/import/confirm/")
    assert in_school(world, lambda: Staff.objects.get().personnel_number) == "5"


def test_a_file_that_is_not_a_table_is_refused_at_upload(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)

    response = upload(client, b"%PDF-1.4 \x00\x00 binary", name="scan.pdf")

    assert response.status_code == 400
    assert "не похож на таблицу" in response.content.decode()


def test_matrix_import_steps(world, client_on):
    content = csv_bytes([hr_row(1)])

    def data():
        file = io.BytesIO(content)
        file.name = "staff.csv"
        return {"file": file}

    # refused roles never reach the upload; allowed ones are redirected to the preview
    host = world.host(world.school_a)
    for user in (world.director_a, world.teacher_a, world.psychologist_a):
        assert client_on(host, user).post("/org/staff/import/", data()).status_code == 403
        assert client_on(host, user).post("/org/staff/import/confirm/").status_code == 403
        assert client_on(host, user).get("/org/staff/import/preview/").status_code == 403
    assert client_on(host, world.teacher_b).post("/org/staff/import/", data()).status_code == 404
    assert in_school(world, Staff.objects.count) == 0
    client = client_on(host, world.council_a)
    assert client.post("/org/staff/import/", data()).status_code == 302
    assert client.get("/org/staff/import/preview/").status_code == 200
    assert client.post("/org/staff/import/confirm/").status_code == 302
    assert in_school(world, Staff.objects.count) == 1
