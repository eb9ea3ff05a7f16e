"""The regulation (Положение): seeded models, drafts, parameters, approval by order, documents, access."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from institutional.models import RegulationVersion
from institutional.selectors.regulation import rules_in_force
from institutional.services import regulation as services
from nastavnik.documents import document_bytes, document_text, new_document, paragraph
from regional.models import DocumentTemplate
from regional.selectors import template_list
from regional.templates_content import REGULATION_CODE
from tests.permissions import check_matrix


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _template():
    return DocumentTemplate.objects.get(code=REGULATION_CODE, version=1)


class RewindingUpload(SimpleUploadedFile):
    """An upload the test client can send several times (check_matrix reuses its data)."""

    def read(self, size=-1):
        if size is None or size < 0:
            self.seek(0)
        return super().read(size)


def _docx_upload(name="положение.docx", text="Положение организации"):
    document = new_document()
    paragraph(document, text)
    return RewindingUpload(name, document_bytes(document))


def _pdf_upload(name="приказ.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n")


def _draft(actor=None):
    return services.regulation_create_from_template(actor=actor, template_id=_template().pk)


def _approve(version, number="12-о", day=date(2026, 1, 15), actor=None):
    return services.regulation_approve(actor=actor, version=version, order=services.Order(number=number, day=day))


def _versions():
    return list(
        RegulationVersion.objects.order_by("pk").values_list("pk", "status", "order_number", *services.RULE_FIELDS)
    )


# --- seeded models -------------------------------------------------------------------------------


def test_the_project_model_regulation_and_roadmap_are_seeded_by_migrate(db):
    regulation = _template()
    assert regulation.is_published and regulation.publisher is None
    assert regulation.content["parameters"] == {
        "mentees_per_mentor_max": 3,
        "appointment_days": 30,
        "mentoring_min_months": 1,
        "mentoring_max_months": 12,
        "program_min_months": 3,
        "program_max_months": 12,
        "program_draft_days": 10,
        "report_days": 10,
    }
    headings = [section["heading"] for section in regulation.content["sections"]]
    assert "Общие положения" in headings and "Мониторинг и оценка результатов" in headings
    assert len(headings) >= 9
    roadmap = DocumentTemplate.objects.get(kind="roadmap", is_published=True, publisher=None)
    stages = roadmap.content["stages"]
    assert len(stages) == 7
    assert all(2 <= len(stage["activities"]) <= 5 for stage in stages)


def test_template_list_offers_only_the_latest_published_version_of_each_model(db):
    DocumentTemplate.objects.create(kind="regulation", code=REGULATION_CODE, version=2, title="Модель, версия 2")
    DocumentTemplate.objects.create(kind="regulation", code="hidden", version=1, title="Скрытая", is_published=False)
    listed = template_list(kind="regulation", organization=None)
    assert [(t.code, t.version) for t in listed] == [(REGULATION_CODE, 2)]


# --- drafts and parameters -----------------------------------------------------------------------


def test_a_draft_from_the_model_takes_its_parameters_and_sections(in_school_a, world):
    version = _draft(world.curator_a)
    assert version.status == "draft" and version.number == 1 and version.source == "template"
    assert version.template_title == _template().title
    assert version.mentees_per_mentor_max == 3 and version.appointment_days == 30
    assert "# Общие положения" in version.body
    assert _draft().number == 2


def test_a_draft_s_parameters_are_validated(in_school_a):
    version = _draft()
    good = {name: getattr(version, name) for name in services.RULE_FIELDS}
    with pytest.raises(ValidationError) as error:
        services.regulation_update_parameters(
            actor=None, version=version, parameters={**good, "program_min_months": 13}
        )
    assert "program_min_months" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.regulation_update_parameters(
            actor=None, version=version, parameters={**good, "mentees_per_mentor_max": 0}
        )
    assert "mentees_per_mentor_max" in error.value.message_dict
    version.refresh_from_db()
    assert version.program_min_months == 3 and version.mentees_per_mentor_max == 3
    services.regulation_update_parameters(actor=None, version=version, parameters={**good, "mentees_per_mentor_max": 2})
    version.refresh_from_db()
    assert version.mentees_per_mentor_max == 2


def test_the_database_refuses_a_minimum_above_the_maximum(in_school_a):
    version = _draft()
    version.mentoring_min_months = 13
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_an_uploaded_regulation_must_be_a_real_docx_or_pdf(in_school_a, world):
    with pytest.raises(ValidationError):
        services.regulation_create_from_upload(actor=None, document=SimpleUploadedFile("fake.docx", b"not a document"))
    with pytest.raises(ValidationError):
        services.regulation_create_from_upload(
            actor=None, document=SimpleUploadedFile("table.pdf", b"PK\x03\x04rubbish")
        )
    assert RegulationVersion.objects.count() == 0
    docx = services.regulation_create_from_upload(
        actor=world.curator_a, document=_docx_upload(), title="Положение школы"
    )
    pdf = services.regulation_create_from_upload(actor=None, document=_pdf_upload("положение.pdf"))
    assert docx.source == "upload" and docx.title == "Положение школы" and docx.document
    assert pdf.number == 2


# --- approval ------------------------------------------------------------------------------------


def test_approval_requires_the_order_number_and_date(in_school_a, world):
    version = _draft()
    with pytest.raises(ValidationError) as error:
        services.regulation_approve(actor=world.director_a, version=version, order=services.Order(number=" ", day=None))
    assert set(error.value.message_dict) == {"order_number", "order_date"}
    version.refresh_from_db()
    assert version.status == "draft"


def test_the_database_refuses_an_approved_version_without_an_order(in_school_a):
    version = _draft()
    version.status = "approved"
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_the_database_keeps_only_one_version_in_force(in_school_a):
    first, second = _draft(), _draft()
    _approve(first)
    second.status, second.order_number, second.order_date = "approved", "1", date(2026, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_approving_supersedes_the_version_in_force_and_its_rules_apply(in_school_a, world):
    assert rules_in_force().mentees_per_mentor_max == 3
    first = _draft()
    _approve(first, actor=world.director_a)
    second = _draft()
    values = {name: getattr(second, name) for name in services.RULE_FIELDS}
    services.regulation_update_parameters(
        actor=None, version=second, parameters={**values, "mentees_per_mentor_max": 2}
    )
    _approve(second, number="40-о", day=date(2026, 3, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "superseded" and second.status == "approved"
    assert second.approved_at is not None and second.order_number == "40-о"
    assert rules_in_force().mentees_per_mentor_max == 2


def test_an_approved_version_is_frozen(in_school_a):
    version = _approve(_draft())
    values = {name: getattr(version, name) for name in services.RULE_FIELDS}
    with pytest.raises(ValidationError):
        services.regulation_update_parameters(actor=None, version=version, parameters=values)
    with pytest.raises(ValidationError):
        _approve(version)
    with pytest.raises(ValidationError):
        services.regulation_delete(actor=None, version=version)


def test_an_order_dated_in_the_future_or_with_a_fake_scan_is_refused(in_school_a):
    version = _draft()
    with pytest.raises(ValidationError) as error:
        _approve(version, day=date.today() + timedelta(days=5))
    assert "order_date" in error.value.message_dict
    fake = SimpleUploadedFile("скан.pdf", b"hello")
    with pytest.raises(ValidationError) as error:
        services.regulation_approve(actor=None, version=version, order=services.Order("1", date(2026, 1, 1), fake))
    assert "order_scan" in error.value.message_dict
    version.refresh_from_db()
    assert version.status == "draft"


# --- DOCX ----------------------------------------------------------------------------------------


def test_the_docx_has_the_approval_block_sections_and_parameters(in_school_a, world, client_on):
    version = _draft()
    values = {name: getattr(version, name) for name in services.RULE_FIELDS}
    services.regulation_update_parameters(
        actor=None, version=version, parameters={**values, "mentees_per_mentor_max": 2, "appointment_days": 20}
    )
    _approve(version, number="77-од", day=date(2026, 2, 3))
    connection.set_schema_to_public()
    response = client_on(world.host(world.school_a), world.director_a).get(f"/org/regulation/{version.pk}/download/")
    assert response.status_code == 200
    text = document_text(response.content)
    assert "УТВЕРЖДЕНО" in text and "от «3» февраля 2026 г. № 77-од" in text
    assert "ПОЛОЖЕНИЕ" in text and world.school_a.full_name in text
    assert "1. Общие положения" in text
    assert "не более 2 наставляемых" in text
    assert "не позднее 20 календарных дней" in text
    assert "{" not in text


def test_an_uploaded_document_is_served_back_only_through_the_checked_view(in_school_a, world, client_on):
    version = services.regulation_create_from_upload(actor=None, document=_docx_upload(text="Наше положение"))
    connection.set_schema_to_public()
    path = f"/org/regulation/{version.pk}/download/"
    response = client_on(world.host(world.school_a), world.curator_a).get(path)
    assert response.status_code == 200
    assert "Наше положение" in document_text(b"".join(response.streaming_content))
    assert client_on(world.host(world.school_a), world.teacher_a).get(path).status_code == 403


# --- pages ---------------------------------------------------------------------------------------


def test_the_page_refuses_to_approve_without_an_order_with_a_message(in_school_a, world, client_on):
    version = _draft()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.director_a)
    response = client.post(f"/org/regulation/{version.pk}/approve/", {"order_number": "", "order_date": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Укажите номер приказа" in content and "Укажите дату приказа" in content
    connection.set_tenant(world.school_a)
    version.refresh_from_db()
    assert version.status == "draft"


def test_the_page_refuses_a_file_that_is_not_a_document(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    response = client.post("/org/regulation/upload/", {"document": SimpleUploadedFile("a.docx", b"plain text")})
    assert response.status_code == 400
    assert "не является документом допустимого формата" in response.content.decode()
    connection.set_tenant(world.school_a)
    assert RegulationVersion.objects.count() == 0


def test_the_page_shows_the_version_in_force_and_the_history(in_school_a, world, client_on):
    _approve(_draft(), number="5-о")
    _draft()
    connection.set_schema_to_public()
    content = client_on(world.host(world.school_a), world.director_a).get("/org/regulation/").content.decode()
    assert "Действующая версия 1" in content and "№ 5-о" in content
    assert "Проект" in content and "Утвердить" in content


# --- permission matrix ---------------------------------------------------------------------------


def _state():
    return _versions()


@pytest.fixture
def draft_id(world):
    connection.set_tenant(world.school_a)
    version_id = _draft().pk
    connection.set_schema_to_public()
    return version_id


def test_matrix_regulation_page(world, client_on):
    check_matrix(world, client_on, "get", "/org/regulation/", allowed=("curator", "council_member", "director"))


def test_matrix_create_from_template(world, client_on):
    check_matrix(
        world,
        client_on,
        "post",
        "/org/regulation/from-template/",
        allowed=("curator", "council_member"),
        data={"template": _template().pk},
        state=_state,
    )


def test_matrix_upload(world, client_on):
    # Council members may upload too; they are left out so that one upload is the allowed request.
    check_matrix(
        world,
        client_on,
        "post",
        "/org/regulation/upload/",
        allowed=("curator",),
        data={"document": _docx_upload()},
        state=_state,
        roles=("teacher", "psychologist", "director", "curator"),
    )


def test_matrix_edit(world, client_on, draft_id):
    data = {"title": "Положение", **dict.fromkeys(services.RULE_FIELDS, 3)}
    check_matrix(world, client_on, "get", f"/org/regulation/{draft_id}/edit/", allowed=("curator", "council_member"))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/regulation/{draft_id}/edit/",
        allowed=("curator", "council_member"),
        data=data,
        state=_state,
    )


def test_matrix_approve(world, client_on, draft_id):
    check_matrix(world, client_on, "get", f"/org/regulation/{draft_id}/approve/", allowed=("director",))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/regulation/{draft_id}/approve/",
        allowed=("director",),
        data={"order_number": "1", "order_date": "2026-01-10"},
        state=_state,
    )
    connection.set_tenant(world.school_a)
    assert RegulationVersion.objects.get(pk=draft_id).status == "approved"


def test_matrix_delete(world, client_on, draft_id):
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/regulation/{draft_id}/delete/",
        allowed=("curator",),
        state=_state,
        roles=("teacher", "psychologist", "director", "curator"),
    )
    connection.set_tenant(world.school_a)
    assert not RegulationVersion.objects.filter(pk=draft_id).exists()


def test_matrix_download(world, client_on, draft_id):
    check_matrix(
        world,
        client_on,
        "get",
        f"/org/regulation/{draft_id}/download/",
        allowed=("curator", "council_member", "director"),
    )


def test_matrix_order_scan(world, client_on):
    connection.set_tenant(world.school_a)
    version = _draft()
    services.regulation_approve(actor=None, version=version, order=services.Order("1", date(2026, 1, 1), _pdf_upload()))
    connection.set_schema_to_public()
    check_matrix(
        world,
        client_on,
        "get",
        f"/org/regulation/{version.pk}/order-scan/",
        allowed=("curator", "council_member", "director"),
    )


def test_matrix_api(world, client_on, draft_id):
    overseers = ("curator", "council_member", "director")
    check_matrix(world, client_on, "get", "/api/v1/org/regulation/", allowed=overseers)
    check_matrix(world, client_on, "get", "/api/v1/org/regulation/templates/", allowed=overseers)
    check_matrix(world, client_on, "get", f"/api/v1/org/regulation/{draft_id}/", allowed=overseers)
    check_matrix(world, client_on, "get", f"/api/v1/org/regulation/{draft_id}/document/", allowed=overseers)
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/regulation/from-template/",
        allowed=("curator", "council_member"),
        data={"template_id": _template().pk},
        content_type="application/json",
        state=_state,
    )
    parameters = {"title": "Положение", **dict.fromkeys(services.RULE_FIELDS, 4)}
    check_matrix(
        world,
        client_on,
        "put",
        f"/api/v1/org/regulation/{draft_id}/parameters/",
        allowed=("curator",),
        data=parameters,
        content_type="application/json",
        state=_state,
        roles=("teacher", "psychologist", "director", "curator"),
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/regulation/{draft_id}/approve/",
        allowed=("director",),
        data={"order_number": "9", "order_date": "2026-01-10"},
        content_type="application/json",
        state=_state,
    )


def test_api_approval_without_an_order_is_a_clear_400(world, client_on, draft_id):
    client = client_on(world.host(world.school_a), world.director_a)
    response = client.post(f"/api/v1/org/regulation/{draft_id}/approve/", {}, content_type="application/json")
    assert response.status_code == 400
    assert "Укажите номер приказа" in str(response.json())
    connection.set_tenant(world.school_a)
    assert RegulationVersion.objects.get(pk=draft_id).status == "draft"


def test_api_detail_of_a_missing_version_is_not_found(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    assert client.get("/api/v1/org/regulation/999999/").status_code == 404


def test_docx_builder_output_opens(in_school_a):
    from institutional.documents.regulation import regulation_document
    from institutional.selectors.regulation import regulation_sections

    version = _draft()
    content = document_bytes(
        regulation_document(version=version, organization_name="Школа", sections=regulation_sections(version))
    )
    text = document_text(content)
    assert "(проект, версия 1)" in text and "«___»" in text
    assert io.BytesIO(content).getbuffer().nbytes > 0
