"""The roadmap (дорожная карта): creation per academic year, copying, activities, overdue marks,
approval by order, the DOCX table and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from institutional.dates import academic_year_of, organization_today
from institutional.models import ActivityEvidence, Roadmap, RoadmapActivity, RoadmapStage, Staff
from institutional.selectors.roadmap import roadmap_overdue_count, roadmap_stages
from institutional.services import roadmap as services
from institutional.services.regulation import Order
from nastavnik.documents import document_text
from regional.models import DocumentTemplate
from regional.templates_content import ROADMAP_CODE
from tests.permissions import check_matrix

MANAGERS = ("curator", "council_member")
OVERSEERS = ("curator", "council_member", "director")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class RewindingUpload(SimpleUploadedFile):
    def read(self, size=-1):
        if size is None or size < 0:
            self.seek(0)
        return super().read(size)


def _template_id():
    return DocumentTemplate.objects.get(code=ROADMAP_CODE, version=1).pk


def _year():
    return academic_year_of(organization_today())


def _from_model(year=None):
    return services.roadmap_create_from_template(actor=None, academic_year=year or _year(), template_id=_template_id())


def _staff(last="Иванова", status="employed", dismissal=None):
    return Staff.objects.create(
        last_name=last,
        first_name="Анна",
        patronymic="Петровна",
        position="учитель",
        hire_date=date(2015, 9, 1),
        status=status,
        dismissal_date=dismissal,
    )


def _first_activity(roadmap):
    return RoadmapActivity.objects.filter(stage__roadmap=roadmap).order_by("stage__position", "position").first()


def _counts():
    return (
        list(Roadmap.objects.order_by("pk").values_list("pk", "status", "order_number")),
        list(RoadmapStage.objects.order_by("pk").values_list("pk", "position", "title")),
        list(RoadmapActivity.objects.order_by("pk").values_list("pk", "position", "status", "done_at")),
        ActivityEvidence.objects.count(),
    )


# --- creation ------------------------------------------------------------------------------------


def test_a_roadmap_from_the_model_has_its_seven_stages_with_deadlines_in_the_academic_year(in_school_a):
    year = _year()
    roadmap = _from_model()
    stages = list(roadmap.stages.order_by("position"))
    assert len(stages) == 7 and stages[0].title.startswith("Подготовка условий")
    first = _first_activity(roadmap)
    assert first.deadline == date(year, 9, 15) and first.responsible_roles == "Руководитель организации"
    may = RoadmapActivity.objects.get(stage__roadmap=roadmap, title__startswith="Мониторинг качества")
    assert may.deadline == date(year + 1, 5, 15)
    text_deadline = RoadmapActivity.objects.filter(stage__roadmap=roadmap, deadline__isnull=True).first()
    assert text_deadline.deadline_text == "в течение учебного года"
    assert roadmap.template_title.startswith("Модельная дорожная карта")


def test_only_the_current_or_next_year_and_only_once(in_school_a):
    year = _year()
    with pytest.raises(ValidationError):
        _from_model(year - 1)
    with pytest.raises(ValidationError):
        _from_model(year + 2)
    _from_model(year)
    with pytest.raises(ValidationError) as error:
        _from_model(year)
    assert "уже есть" in str(error.value)
    assert Roadmap.objects.count() == 1


def test_the_current_year_follows_the_organization_s_time_zone(in_school_a):
    # 31 August 2027, 21:30 UTC is already 1 September in Volgograd (UTC+3).
    moment = datetime(2027, 8, 31, 21, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert organization_today() == date(2027, 9, 1)
        roadmap = services.roadmap_create_from_template(actor=None, academic_year=2028, template_id=_template_id())
    assert roadmap.academic_year == 2028


def test_copying_last_year_shifts_every_date_by_one_year_and_restarts_statuses(in_school_a):
    year = _year()
    person, gone = _staff("Работающая"), _staff("Уволенная")
    with mock.patch("institutional.services.roadmap.organization_today", return_value=date(year - 1, 10, 1)):
        old = _from_model(year - 1)
    activity = _first_activity(old)
    activity.responsible.set([person, gone])
    services.activity_set_status(actor=None, activity=activity, status="done", done_at=date(year - 1, 9, 10))
    Staff.objects.filter(pk=gone.pk).update(status="dismissed", dismissal_date=date(year - 1, 12, 1))
    leap = RoadmapActivity.objects.filter(stage__roadmap=old).last()
    leap.deadline = date(2028, 2, 29) if year - 1 == 2027 else leap.deadline
    leap.save()

    new = services.roadmap_copy_previous(actor=None, academic_year=year)

    assert new.copied_from == old and new.stages.count() == 7
    old_deadlines = list(
        RoadmapActivity.objects.filter(stage__roadmap=old)
        .order_by("stage__position", "position")
        .values_list("deadline", flat=True)
    )
    new_deadlines = list(
        RoadmapActivity.objects.filter(stage__roadmap=new)
        .order_by("stage__position", "position")
        .values_list("deadline", flat=True)
    )
    assert new_deadlines == [services.shift_one_year(day) for day in old_deadlines]
    assert new_deadlines[0] == date(year, 9, 15)
    copied = _first_activity(new)
    assert copied.status == "planned" and copied.done_at is None
    assert list(copied.responsible.all()) == [person]


def test_shift_one_year_handles_the_leap_day():
    assert services.shift_one_year(date(2028, 2, 29)) == date(2029, 2, 28)
    assert services.shift_one_year(date(2026, 9, 1)) == date(2027, 9, 1)


def test_copying_without_last_year_s_roadmap_is_refused(in_school_a):
    with pytest.raises(ValidationError) as error:
        services.roadmap_copy_previous(actor=None, academic_year=_year())
    assert "копировать нечего" in str(error.value)
    assert Roadmap.objects.count() == 0


# --- activities ----------------------------------------------------------------------------------


def test_done_requires_a_completion_date_in_the_service_and_in_the_database(in_school_a):
    activity = _first_activity(_from_model())
    with pytest.raises(ValidationError) as error:
        services.activity_set_status(actor=None, activity=activity, status="done")
    assert "done_at" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.status == "planned"
    activity.status = "done"
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_an_activity_s_deadline_must_lie_in_its_academic_year_and_staff_must_be_employed(in_school_a):
    roadmap = _from_model()
    stage = roadmap.stages.first()
    gone = _staff("Уволенная", status="dismissed", dismissal=date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=None,
            stage=stage,
            data=services.ActivityData(
                title="Семинар", deadline=date(roadmap.academic_year + 1, 9, 1), responsible_ids=[gone.pk]
            ),
        )
    assert {"deadline", "responsible_ids"} <= set(error.value.message_dict)
    activity = services.activity_create(
        actor=None,
        stage=stage,
        data=services.ActivityData(
            title="Семинар", deadline=date(roadmap.academic_year, 12, 1), responsible_ids=[_staff().pk]
        ),
    )
    assert activity.position == stage.activities.count()


def test_stages_and_activities_are_reordered_and_renumbered(in_school_a):
    roadmap = _from_model()
    second = roadmap.stages.get(position=2)
    services.stage_move(actor=None, stage=second, direction="up")
    assert roadmap.stages.get(position=1).pk == second.pk
    services.stage_delete(actor=None, stage=second)
    assert list(roadmap.stages.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    stage = roadmap.stages.get(position=1)
    ordered = list(stage.activities.order_by("position"))
    first, last = ordered[0], ordered[-1]
    services.activity_move(actor=None, activity=first, direction="down")
    first.refresh_from_db()
    assert first.position == 2
    services.activity_delete(actor=None, activity=last)
    assert list(stage.activities.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_overdue_is_computed_in_the_organization_s_time_zone_at_the_year_boundary(in_school_a):
    roadmap = _from_model()
    stage = roadmap.stages.first()
    activity = services.activity_create(
        actor=None,
        stage=stage,
        data=services.ActivityData(title="Итог года", deadline=date(roadmap.academic_year + 1, 8, 31)),
    )
    done = services.activity_create(
        actor=None,
        stage=stage,
        data=services.ActivityData(title="Сделано", deadline=date(roadmap.academic_year + 1, 8, 31)),
    )
    RoadmapActivity.objects.filter(pk=done.pk).update(status="done", done_at=date(roadmap.academic_year + 1, 8, 30))
    RoadmapActivity.objects.filter(stage__roadmap=roadmap).exclude(pk__in=[activity.pk, done.pk]).update(
        status="cancelled"
    )
    # 31 August, 20:59 UTC is 23:59 in Volgograd: still on time.
    late_evening = datetime(roadmap.academic_year + 1, 8, 31, 20, 59, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening):
        assert roadmap_overdue_count(roadmap=roadmap) == 0
    # 21:00 UTC is midnight of 1 September in Volgograd (while still 31 August in UTC): overdue.
    midnight = datetime(roadmap.academic_year + 1, 8, 31, 21, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=midnight):
        assert roadmap_overdue_count(roadmap=roadmap) == 1
        stages = roadmap_stages(roadmap=roadmap)
    flagged = [a.title for s in stages for a in s.activities.all() if a.is_overdue]
    assert flagged == ["Итог года"]


def test_an_approved_roadmap_keeps_its_structure_but_records_progress(in_school_a):
    roadmap = _from_model()
    services.roadmap_approve(actor=None, roadmap=roadmap, order=Order("15-о", organization_today()))
    with pytest.raises(ValidationError):
        services.stage_create(actor=None, roadmap=roadmap, title="Новый этап")
    activity = _first_activity(roadmap)
    with pytest.raises(ValidationError):
        services.activity_delete(actor=None, activity=activity)
    services.activity_set_status(actor=None, activity=activity, status="in_progress")
    activity.refresh_from_db()
    assert activity.status == "in_progress"


def test_approval_requires_order_number_and_date_also_in_the_database(in_school_a):
    roadmap = _from_model()
    with pytest.raises(ValidationError) as error:
        services.roadmap_approve(actor=None, roadmap=roadmap, order=Order("", None))
    assert set(error.value.message_dict) == {"order_number", "order_date"}
    roadmap.refresh_from_db()
    assert roadmap.status == "draft"
    roadmap.status = "approved"
    with pytest.raises(IntegrityError), transaction.atomic():
        roadmap.save()


def test_evidence_must_be_a_real_document(in_school_a):
    activity = _first_activity(_from_model())
    with pytest.raises(ValidationError):
        services.evidence_add(actor=None, activity=activity, upload=SimpleUploadedFile("x.pdf", b"not a pdf"))
    evidence = services.evidence_add(
        actor=None, activity=activity, upload=SimpleUploadedFile("протокол.pdf", b"%PDF-1.4 x"), description="Протокол"
    )
    assert evidence.file and ActivityEvidence.objects.count() == 1


# --- DOCX ----------------------------------------------------------------------------------------


def test_the_docx_is_a_landscape_table_with_the_approval_block(in_school_a, world, client_on):
    roadmap = _from_model()
    person = _staff("Кураторова")
    activity = _first_activity(roadmap)
    activity.responsible.set([person])
    services.activity_set_status(actor=None, activity=activity, status="done", done_at=organization_today())
    services.roadmap_approve(actor=None, roadmap=roadmap, order=Order("21-од", organization_today()))
    connection.set_schema_to_public()
    response = client_on(world.host(world.school_a), world.council_a).get(f"/org/roadmap/{roadmap.pk}/docx/")
    assert response.status_code == 200
    text = document_text(response.content)
    assert "УТВЕРЖДАЮ" in text and world.school_a.full_name in text
    assert f"на {roadmap.academic_year_label} учебный год" in text and "№ 21-од" in text
    assert "№ п/п | Мероприятие | Срок | Ответственные | Ожидаемый результат / документы | Отметка о выполнении" in text
    assert (
        f"1.1. | {activity.title} | 15.09.{roadmap.academic_year} | Руководитель организации; Кураторова А.П." in text
    )
    assert f"Выполнено {organization_today():%d.%m.%Y}" in text
    from io import BytesIO

    from docx import Document

    section = Document(BytesIO(response.content)).sections[0]
    assert section.page_width > section.page_height


# --- pages ---------------------------------------------------------------------------------------


def test_the_roadmap_page_highlights_overdue_activities_with_a_count(in_school_a, world, client_on):
    roadmap = _from_model()
    activity = _first_activity(roadmap)
    RoadmapActivity.objects.filter(pk=activity.pk).update(
        deadline=organization_today().replace(day=1) if organization_today().day > 1 else organization_today()
    )
    RoadmapActivity.objects.filter(stage__roadmap=roadmap).exclude(pk=activity.pk).update(
        deadline=None, deadline_text="в течение года"
    )
    expected = 1 if organization_today().day > 1 else 0
    connection.set_schema_to_public()
    content = (
        client_on(world.host(world.school_a), world.director_a).get(f"/org/roadmap/{roadmap.pk}/").content.decode()
    )
    if expected:
        assert "Просрочено мероприятий: 1" in content and 'data-overdue="1"' in content
    else:
        assert "Просроченных мероприятий нет" in content


def test_the_page_refuses_approval_without_an_order_and_changes_nothing(in_school_a, world, client_on):
    roadmap = _from_model()
    connection.set_schema_to_public()
    response = client_on(world.host(world.school_a), world.director_a).post(f"/org/roadmap/{roadmap.pk}/approve/", {})
    assert response.status_code == 400 and "Укажите номер приказа" in response.content.decode()
    connection.set_tenant(world.school_a)
    roadmap.refresh_from_db()
    assert roadmap.status == "draft"


def test_marking_done_without_a_date_on_the_page_shows_a_message(in_school_a, world, client_on):
    activity = _first_activity(_from_model())
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.curator_a)
    response = client.post(f"/org/roadmap/activities/{activity.pk}/status/", {"status": "done"}, follow=True)
    assert "укажите дату выполнения" in response.content.decode()
    connection.set_tenant(world.school_a)
    activity.refresh_from_db()
    assert activity.status == "planned"


# --- permission matrix ---------------------------------------------------------------------------


@pytest.fixture
def ids(world):
    connection.set_tenant(world.school_a)
    roadmap = _from_model()
    stage = roadmap.stages.first()
    activity = _first_activity(roadmap)
    evidence = services.evidence_add(actor=None, activity=activity, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    services_data = {"roadmap": roadmap.pk, "stage": stage.pk, "activity": activity.pk, "evidence": evidence.pk}
    connection.set_schema_to_public()
    return services_data


def test_matrix_list_and_create(world, client_on):
    check_matrix(world, client_on, "get", "/org/roadmap/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        "/org/roadmap/create/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        data={"academic_year": _year(), "source": f"template:{_template_id()}"},
        state=_counts,
    )


def test_matrix_detail_docx_and_files(world, client_on, ids):
    check_matrix(world, client_on, "get", f"/org/roadmap/{ids['roadmap']}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/roadmap/{ids['roadmap']}/docx/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/roadmap/evidence/{ids['evidence']}/", allowed=OVERSEERS)


def test_matrix_stage_operations(world, client_on, ids):
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/{ids['roadmap']}/stages/add/",
        allowed=MANAGERS,
        data={"title": "Дополнительный этап"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/stages/{ids['stage']}/edit/",
        allowed=MANAGERS,
        data={"title": "Переименованный этап"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/stages/{ids['stage']}/move/",
        allowed=MANAGERS,
        data={"direction": "down"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/stages/{ids['stage']}/delete/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        state=_counts,
    )


def test_matrix_activity_operations(world, client_on, ids):
    activity, stage = ids["activity"], ids["stage"]
    form = {"title": "Семинар", "deadline_text": "в течение года", "status": "planned"}
    check_matrix(world, client_on, "get", f"/org/roadmap/stages/{stage}/activities/add/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/stages/{stage}/activities/add/",
        allowed=MANAGERS,
        data=form,
        state=_counts,
    )
    check_matrix(world, client_on, "get", f"/org/roadmap/activities/{activity}/edit/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/activities/{activity}/edit/",
        allowed=MANAGERS,
        data={**form, "title": "Изменённое"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/activities/{activity}/status/",
        allowed=MANAGERS,
        data={"status": "in_progress"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/activities/{activity}/move/",
        allowed=MANAGERS,
        data={"direction": "down"},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/activities/{activity}/evidence/",
        allowed=MANAGERS,
        data={"file": RewindingUpload("протокол.pdf", b"%PDF-1.4 x")},
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/evidence/{ids['evidence']}/delete/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/activities/{activity}/delete/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        state=_counts,
    )


def test_matrix_approve(world, client_on, ids):
    check_matrix(world, client_on, "get", f"/org/roadmap/{ids['roadmap']}/approve/", allowed=("director",))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/roadmap/{ids['roadmap']}/approve/",
        allowed=("director",),
        data={"order_number": "3", "order_date": organization_today_public(world).isoformat()},
        state=_counts,
    )
    connection.set_tenant(world.school_a)
    assert Roadmap.objects.get(pk=ids["roadmap"]).status == "approved"
    connection.set_schema_to_public()
    check_matrix(world, client_on, "get", f"/org/roadmap/{ids['roadmap']}/order-scan/", allowed=(), roles=("teacher",))


def organization_today_public(world):
    return organization_today(world.school_a)


def test_matrix_api(world, client_on, ids):
    check_matrix(world, client_on, "get", "/api/v1/org/roadmap/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/api/v1/org/roadmap/{ids['roadmap']}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/api/v1/org/roadmap/{ids['roadmap']}/docx/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "patch",
        f"/api/v1/org/roadmap/activities/{ids['activity']}/status/",
        allowed=MANAGERS,
        data={"status": "in_progress"},
        content_type="application/json",
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/roadmap/{ids['roadmap']}/approve/",
        allowed=("director",),
        data={"order_number": "8", "order_date": organization_today_public(world).isoformat()},
        content_type="application/json",
        state=_counts,
    )
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/roadmap/create/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "director", "curator"),
        data={"academic_year": _year() + 1, "template_id": _template_id()},
        content_type="application/json",
        state=_counts,
    )


def test_api_detail_lists_stages_and_activities_and_refuses_bad_status(world, client_on, ids):
    client = client_on(world.host(world.school_a), world.curator_a)
    body = client.get(f"/api/v1/org/roadmap/{ids['roadmap']}/").json()
    assert len(body["stages"]) == 7 and body["stages"][0]["activities"][0]["responsible_roles"]
    response = client.patch(
        f"/api/v1/org/roadmap/activities/{ids['activity']}/status/", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 400 and "done_at" in response.json()
    assert client.get("/api/v1/org/roadmap/999999/").status_code == 404
