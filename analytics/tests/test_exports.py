"""Statistical exports: workbook and CSV contents, totals from sums, frozen campaign figures, jobs and access."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from analytics import exports
from analytics.kpi import Period, organization_kpis
from analytics.models import (
    CampaignSubmission,
    ExportJob,
    MonitoringCampaign,
    OrganizationFacts,
    PairFact,
    ParticipationFact,
    RoadmapStageFact,
    SatisfactionFact,
    StaffFact,
)
from analytics.rows import organization_row
from analytics.scope import organizations_under
from tenants import services as tenant_services
from tenants.models import Level, Organization, Role

YEAR = Period.academic_year(2026)
D = date
BREAKDOWNS = ["К4 формы и виды", "К5 программы", "К6 просрочки", "К7 удовлетворённость", "К8 нагрузка", "К11 этапы"]


def _staff(org, staff_id, young=False):
    StaffFact.objects.create(organization=org, staff_id=staff_id, hired_on=D(2020, 9, 1), is_young_specialist=young)


def _pair(org, pair_id, mentor, mentee, **extra):
    values = {"kinds": ["traditional"], "program_status": "confirmed", "mentee_count": 1}
    values.update(extra)
    PairFact.objects.create(
        organization=org,
        pair_id=pair_id,
        form="teacher_teacher",
        status="active",
        approved_on=D(2026, 9, 10),
        starts_on=D(2026, 9, 10),
        ends_on=D(2027, 5, 31),
        **values,
    )
    for staff_id, role in ((mentor, "mentor"), (mentee, "mentee")):
        ParticipationFact.objects.create(
            organization=org,
            pair_id=pair_id,
            staff_id=staff_id,
            role=role,
            from_date=D(2026, 9, 10),
            to_date=D(2027, 5, 31),
        )


def _score(org, pair_id, role, score):
    SatisfactionFact.objects.create(
        organization=org, pair_id=pair_id, role=role, score=Decimal(score), pair_ended_on=D(2026, 12, 1)
    )


@pytest.fixture
def projections(world):
    """School A: K2 2/2, K3 1/1; school B: K2 2/4, K3 1/2 — the mean of percents differs from the sums."""
    a, b = world.school_a, world.school_b
    OrganizationFacts.objects.create(
        organization=a,
        as_of=D(2026, 11, 20),
        regulation_approved_on=D(2025, 8, 30),
        curator_since=D(2025, 9, 1),
        roadmap_years=[2026],
        mentor_loads={"0": 1, "2": 2},
        overdue_programs=2,
    )
    OrganizationFacts.objects.create(
        organization=b, as_of=D(2026, 11, 19), mentor_loads={"3": 1}, mentors_over_cap=1, overdue_appointments=3
    )
    _staff(a, 1)
    _staff(a, 2, young=True)
    _pair(a, 10, 1, 2)
    for staff_id, young in ((11, False), (12, True), (13, True), (14, False)):
        _staff(b, staff_id, young=young)
    _pair(b, 20, 11, 12, kinds=["traditional", "group"], is_network=True)
    _score(a, 10, "mentor", "4.50")
    _score(a, 10, "mentee", "5.00")
    _score(a, 11, "mentee", "3.00")
    _score(b, 20, "mentee", "2.00")
    RoadmapStageFact.objects.create(organization=a, academic_year=2026, position=1, title="1", activities=4, done=4)
    RoadmapStageFact.objects.create(
        organization=a, academic_year=2026, position=2, title="2", activities=5, done=1, overdue=2
    )
    RoadmapStageFact.objects.create(
        organization=b, academic_year=2026, position=1, title="1", activities=3, done=1, overdue=1
    )
    return world


def _start(world, scope, file_format="xlsx", campaign=None):
    return exports.export_job_start(
        actor=world.coordinator,
        scope=scope,
        format=file_format,
        period_start=YEAR.start,
        period_end=YEAR.end,
        campaign=campaign,
    )


def _built(job) -> ExportJob:
    exports.build_export(job.pk)
    return ExportJob.objects.get(pk=job.pk)


def _sheet_rows(workbook, title) -> list[dict]:
    """A sheet as dicts keyed by its Russian headers."""
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _label(key):
    return exports.column_title(key)


def _by(rows, column, value):
    return next(row for row in rows if row[column] == value)


def test_region_workbook_has_cover_organizations_totals_and_breakdowns(projections):
    world = projections
    job = _built(_start(world, world.region))

    assert job.status == ExportJob.Status.DONE
    assert job.file_name.endswith(".xlsx")
    assert (job.processed, job.total, job.percent) == (3, 3, 100)  # two organizations and the file
    book = load_workbook(io.BytesIO(bytes(job.content)))
    assert book.sheetnames == ["Титульный лист", "Организации", "Итоги", *BREAKDOWNS]

    cover = {row[0]: row[1] for row in book["Титульный лист"].iter_rows(values_only=True)}
    reporting = min(exports.scope_today(world.region), YEAR.end)
    assert cover["Отчётная дата"] == f"{reporting:%d.%m.%Y}"
    assert cover["Период"] == "с 01.09.2026 по 31.08.2027"
    assert cover["Охват"] == "t-region (регион)"
    assert cover["К2 — вовлечённость педагогических работников"].startswith("К2 = педагоги, работавшие в периоде")
    assert "опубликованные в региональном банке практик" in cover["К10 — лучшие практики: направлено и опубликовано"]
    assert book["Организации"].freeze_panes == "B2"

    organizations = _sheet_rows(book, "Организации")
    assert [row["Организация"] for row in organizations] == ["t-school-a", "t-school-b"]
    school_a, school_b = organizations
    assert (school_a[_label("k2_engaged")], school_a[_label("k2_staff")], school_a[_label("k2_percent")]) == (2, 2, 100)
    assert (school_b[_label("k2_engaged")], school_b[_label("k2_staff")], school_b[_label("k2_percent")]) == (2, 4, 50)
    assert school_a[_label("k1_implements")] == 1
    assert school_b[_label("k1_implements")] == 0
    assert "не назначен куратор" in school_b[_label("k1_missing")]
    assert school_a[_label("k6_program")] == 2
    assert school_a[_label("k7_mentee_mean")] == 4.0
    assert school_a["Данные на дату"] == "2026-11-20"

    totals = _sheet_rows(book, "Итоги")
    assert [row["Муниципалитет / итог"] for row in totals] == ["t-mun", "Итого: t-region (регион)"]
    for row in totals:
        assert row["Организаций"] == 2
        assert (row[_label("k2_engaged")], row[_label("k2_staff")]) == (4, 6)
        # Recomputed from the sums: 4/6 = 66.7 %, not the mean of 100 % and 50 % (75 %).
        assert row[_label("k2_percent")] == 66.7
        assert row[_label("k3_percent")] == 66.7  # 2/3, not (100 + 50) / 2
        assert row[_label("k7_mentee_mean")] == 3.33  # (5 + 3 + 2) / 3, not (4 + 2) / 2
        assert row[_label("k7_mentor_mean")] == 4.5
        assert row[_label("k1_percent")] == 50
        assert row[_label("k6_total")] == 5
        assert row[_label("k11_done_percent")] == 50  # 6 of 12

    stages = _sheet_rows(book, "К11 этапы")
    assert stages[0]["Организация"] == "t-school-a"
    region_total = _by(stages, "Организация", "Итого: t-region (регион)")
    assert region_total[_label("k11_stage__1__activities")] == 7
    assert region_total[_label("k11_stage__1__done")] == 5
    assert region_total[_label("k11_stage__1__overdue")] == 1
    assert region_total[_label("k11_stage__2__overdue")] == 2
    assert _by(stages, "Организация", "t-school-b")[_label("k11_stage__2__activities")] == 0

    forms = _sheet_rows(book, "К4 формы и виды")
    assert _by(forms, "Организация", "Итого: t-region (регион)")[_label("k4_kind__group")] == 1
    assert _by(forms, "Организация", "Итого: t-region (регион)")[_label("k4_network")] == 1
    loads = _sheet_rows(book, "К8 нагрузка")
    assert _by(loads, "Организация", "t-school-b")[_label("k8_load__3")] == 1
    assert _by(loads, "Организация", "Итого: t-mun")[_label("k8_over_cap")] == 1
    satisfaction = _sheet_rows(book, "К7 удовлетворённость")
    assert _by(satisfaction, "Организация", "Итого: t-region (регион)")[_label("k7_mentee_n")] == 3


def test_csv_is_utf8_with_bom_semicolons_decimal_comma_and_russian_headers(projections):
    world = projections
    job = _built(_start(world, world.municipality, file_format="csv"))

    assert job.status == ExportJob.Status.DONE
    assert job.file_name.endswith(".csv")
    content = bytes(job.content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Организация"] for row in rows] == ["t-school-a", "t-school-b"]
    assert rows[0][_label("k2_engaged")] == "2"
    assert rows[1][_label("k2_staff")] == "4"
    assert rows[0][_label("k7_mentor_sum")] == "4,5"
    assert rows[1][_label("k2_percent")] == "50,0"


def test_a_campaign_exports_the_stored_figures_even_after_the_projections_change(projections):
    world = projections
    refs = {ref.id: ref for ref in organizations_under(world.region)}
    kpis = organization_kpis(list(refs), YEAR)
    campaign = MonitoringCampaign.objects.create(
        region=world.region,
        title="Мониторинг 2026/27",
        academic_year=2026,
        opens_on=D(2026, 10, 1),
        closes_on=D(2026, 11, 1),
        status=MonitoringCampaign.Status.CLOSED,
        closed_at=timezone.now(),
    )
    figures = {}
    for org, status in ((world.school_a, "submitted"), (world.school_b, "missing")):
        figures[org.pk] = organization_row(refs[org.pk], kpis[org.pk])
        CampaignSubmission.objects.create(
            campaign=campaign, organization=org, parent=world.municipality, status=status, figures=figures[org.pk]
        )
    # The projections move on after the campaign closed.
    StaffFact.objects.filter(organization=world.school_b).delete()
    OrganizationFacts.objects.filter(organization=world.school_a).update(overdue_programs=9)

    rows = exports.campaign_rows(campaign)
    assert [{k: v for k, v in row.items() if k != exports.STATUS_COLUMN} for row in rows] == [
        figures[world.school_a.pk],
        figures[world.school_b.pk],
    ]
    assert [row[exports.STATUS_COLUMN] for row in rows] == ["Сдано", "Не сдано (зафиксировано при закрытии)"]

    job = _built(_start(world, world.region, campaign=campaign))
    book = load_workbook(io.BytesIO(bytes(job.content)))
    cover = {row[0]: row[1] for row in book["Титульный лист"].iter_rows(values_only=True)}
    assert cover["Примечание"].startswith("Сведения зафиксированы при закрытии кампании «Мониторинг 2026/27»")
    school_a, school_b = _sheet_rows(book, "Организации")
    assert school_a["Статус сведений"] == "Сдано"
    assert school_a[_label("k6_program")] == 2  # as submitted, not today's 9
    assert (school_b[_label("k2_engaged")], school_b[_label("k2_staff")]) == (2, 4)
    # A municipality sees the same figures of its own organizations only.
    assert len(exports.campaign_rows(campaign, scope=world.municipality)) == 2


def test_a_failing_build_marks_the_job_failed_with_a_message_and_raises_nothing(world):
    from analytics.tasks import build_export as build_export_task

    campaign = MonitoringCampaign.objects.create(
        region=world.region, title="К", academic_year=2026, opens_on=D(2026, 10, 1), closes_on=D(2026, 11, 1)
    )
    CampaignSubmission.objects.create(
        campaign=campaign,
        organization=world.school_a,
        parent=world.municipality,
        status="submitted",
        figures={"short_name": "t-school-a", "parent_name": "t-mun", "k2_engaged": "много"},
    )
    job = _start(world, world.region, campaign=campaign)

    assert build_export_task(job.pk) == ExportJob.Status.FAILED

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == (
        "Не удалось сформировать выгрузку: в столбце «К2: педагогов-участников (наставники и наставляемые)» "
        "есть нечисловое значение."
    )
    assert job.finished_at is not None
    assert not job.content


def test_a_done_job_is_left_alone_when_the_task_runs_again(projections):
    world = projections
    job = _built(_start(world, world.municipality))
    OrganizationFacts.objects.filter(organization=world.school_a).update(overdue_programs=7)

    exports.build_export(job.pk)

    again = ExportJob.objects.get(pk=job.pk)
    assert (again.finished_at, bytes(again.content)) == (job.finished_at, bytes(job.content))


def test_starting_a_job_queues_it_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = _start(world, world.region)
    assert job.status == ExportJob.Status.PENDING
    assert len(callbacks) == 1


# --- pages ----------------------------------------------------------------------------------------


def test_the_form_starts_a_job_and_its_page_polls_until_the_file_is_ready(projections, client_on):
    world = projections
    client = client_on(world.host(world.region), world.coordinator)
    page = client.get("/monitoring/exports/")
    assert page.status_code == 200
    assert "t-mun" in page.content.decode()  # a municipality can be chosen on the region's host

    response = client.post(
        "/monitoring/exports/",
        {"scope": world.municipality.pk, "period_kind": "year", "academic_year": 2026, "format": "xlsx"},
    )

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/exports/{job.pk}/"
    assert (job.scope, job.period_start, job.period_end, job.requested_by) == (
        world.municipality,
        YEAR.start,
        YEAR.end,
        world.coordinator,
    )
    detail = client.get(f"/monitoring/exports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in detail
    assert client.get(f"/monitoring/exports/{job.pk}/download/").status_code == 302  # not ready yet

    exports.build_export(job.pk)

    partial = client.get(f"/monitoring/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert "<html" not in partial
    assert f"/monitoring/exports/{job.pk}/download/" in partial
    download = client.get(f"/monitoring/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "attachment" in download["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.content)).sheetnames[0] == "Титульный лист"
    assert str(job.pk) in client.get("/monitoring/exports/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_from": "2027-05-01", "date_to": "2026-09-01"}, "Начало периода не может быть позже его окончания."),
        ({"date_from": "2026-09-01", "date_to": ""}, "Укажите окончание периода."),
        ({"date_from": "2010-01-01", "date_to": "2026-09-01"}, "Период выгрузки не может быть длиннее пяти лет."),
    ],
)
def test_a_bad_period_is_named_in_russian_and_nothing_is_created(world, client_on, data, message):
    client = client_on(world.host(world.municipality), world.municipal)
    response = client.post(
        "/monitoring/exports/",
        {"scope": world.municipality.pk, "period_kind": "custom", "academic_year": 2026, "format": "csv", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_municipal_coordinator_cannot_choose_the_region(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)
    response = client.post(
        "/monitoring/exports/",
        {"scope": world.region.pk, "period_kind": "year", "academic_year": 2026, "format": "xlsx"},
    )
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def _other(code, level, parent):
    """An organization row of another place (no schema needed: exports read only public tables)."""
    connection.set_schema_to_public()  # a request before may have left the tenant's schema set
    return Organization.objects.create(
        code=code,
        schema_name=code.replace("-", "_"),
        level=level,
        parent=parent,
        kind="school" if level == Level.ORGANIZATION else "",
        full_name=code,
        short_name=code,
        time_zone="Europe/Moscow",
    )


def test_jobs_are_seen_only_on_the_host_of_their_scope_or_above(world, client_on):
    other_region = _other("t-region-x", Level.REGION, None)
    other_municipality = _other("t-mun-x", Level.MUNICIPALITY, world.region)
    region_job = _start(world, world.region)
    municipal_job = _start(world, world.municipality)
    neighbour_job = _start(world, other_municipality)
    foreign_job = _start(world, other_region)

    municipal = client_on(world.host(world.municipality), world.municipal)
    assert municipal.get(f"/monitoring/exports/{municipal_job.pk}/").status_code == 200
    for job in (region_job, neighbour_job, foreign_job):
        assert municipal.get(f"/monitoring/exports/{job.pk}/").status_code == 404
        assert municipal.get(f"/monitoring/exports/{job.pk}/download/").status_code == 404
        assert municipal.get(f"/api/v1/monitoring/exports/{job.pk}/").status_code == 404
    listed = municipal.get("/monitoring/exports/").context["jobs"]
    assert [job.pk for job in listed] == [municipal_job.pk]

    regional = client_on(world.host(world.region), world.coordinator)
    for job in (region_job, municipal_job, neighbour_job):
        assert regional.get(f"/monitoring/exports/{job.pk}/").status_code == 200
    assert regional.get(f"/monitoring/exports/{foreign_job.pk}/").status_code == 404
    assert regional.get(f"/monitoring/exports/{foreign_job.pk}/download/").status_code == 404
    # The municipal coordinator is no member of the region: its host is not theirs at all.
    assert client_on(world.host(world.region), world.municipal).get("/monitoring/exports/").status_code == 404


def test_a_member_without_a_monitoring_role_gets_403_and_an_anonymous_visitor_the_login(world, client_on):
    tenant_services.membership_grant(actor=None, user=world.teacher_a, organization=world.region, role=Role.TEACHER)
    job = _start(world, world.region)
    teacher = client_on(world.host(world.region), world.teacher_a)
    assert teacher.get("/monitoring/exports/").status_code == 403
    assert teacher.get(f"/monitoring/exports/{job.pk}/").status_code == 403
    assert teacher.post("/monitoring/exports/", {"scope": world.region.pk}).status_code == 403
    assert teacher.get(f"/api/v1/monitoring/exports/{job.pk}/").status_code == 404
    anonymous = client_on(world.host(world.region)).get("/monitoring/exports/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert ExportJob.objects.count() == 1


def test_one_organization_is_exported_at_once_within_the_scope_only(projections, client_on):
    world = projections
    client = client_on(world.host(world.municipality), world.municipal)

    response = client.get(
        f"/monitoring/exports/organization/{world.school_b.pk}/?format=csv&from=2026-09-01&to=2027-08-31"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(row["Организация"], row[_label("k2_staff")]) for row in rows] == [("t-school-b", "4")]
    workbook = client.get(f"/monitoring/exports/organization/{world.school_a.pk}/")
    assert workbook["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert _sheet_rows(load_workbook(io.BytesIO(workbook.content)), "Итоги")[-1]["Организаций"] == 1

    elsewhere = _other("t-school-x", Level.ORGANIZATION, _other("t-mun-y", Level.MUNICIPALITY, world.region))
    for organization_id in (elsewhere.pk, world.municipality.pk, 999_999):
        assert client.get(f"/monitoring/exports/organization/{organization_id}/").status_code == 404
    assert (
        client_on(world.host(world.region), world.coordinator)
        .get(f"/monitoring/exports/organization/{elsewhere.pk}/?format=csv")
        .status_code
        == 200
    )

    bad = client.get(
        f"/monitoring/exports/organization/{world.school_a.pk}/?from=2027-01-01&to=2026-01-01", follow=True
    )
    assert "Начало периода не может быть позже его окончания." in bad.content.decode()
    assert not ExportJob.objects.exists()


# --- API ------------------------------------------------------------------------------------------


def test_the_api_starts_a_job_reports_progress_and_gives_the_file(projections, client_on):
    world = projections
    client = client_on(world.host(world.region), world.coordinator)

    response = client.post(
        "/api/v1/monitoring/exports/",
        {"scope": world.municipality.pk, "format": "csv", "period_start": "2026-09-01", "period_end": "2027-08-31"},
        content_type="application/json",
    )

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["percent"], body["download_url"]) == ("pending", 0, None)
    job_id = body["id"]
    assert client.get(f"/api/v1/monitoring/exports/{job_id}/file/").status_code == 409

    exports.build_export(job_id)

    status = client.get(f"/api/v1/monitoring/exports/{job_id}/").json()
    assert (status["status"], status["percent"]) == ("done", 100)
    assert status["download_url"] == f"/api/v1/monitoring/exports/{job_id}/file/"
    file = client.get(status["download_url"])
    assert file.status_code == 200
    assert file.content.startswith(b"\xef\xbb\xbf")
    organization = client.get(f"/api/v1/monitoring/export/organization/{world.school_a.pk}/?format=xlsx")
    assert organization.status_code == 200
    assert organization["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert client.get("/api/v1/monitoring/exports/").json()[0]["id"] == job_id


def test_the_api_refuses_a_bad_period_or_a_scope_outside_and_creates_nothing(world, client_on):
    client = client_on(world.host(world.municipality), world.municipal)
    bad = client.post(
        "/api/v1/monitoring/exports/",
        {"period_start": "2027-09-01", "period_end": "2026-09-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["period_end"] == ["Начало периода не может быть позже его окончания."]
    outside = client.post("/api/v1/monitoring/exports/", {"scope": world.region.pk}, content_type="application/json")
    assert outside.status_code == 404
    wrong_format = client.post("/api/v1/monitoring/exports/", {"format": "pdf"}, content_type="application/json")
    assert wrong_format.json()["format"] == ["Выберите формат выгрузки: xlsx или csv."]
    assert not ExportJob.objects.exists()


def test_text_is_written_as_text_and_an_empty_scope_still_has_its_totals(world):
    row = {
        "organization_id": 1,
        "short_name": "=СУММ(A1) <школа> & «сад»\x01",
        "parent_id": 2,
        "parent_name": "Район",
        "k2_engaged": 1,
        "k2_staff": 3,
    }
    content = exports.workbook_bytes(
        [row], title="Т", scope_name="Район", period_start=YEAR.start, period_end=YEAR.end, reporting_date=YEAR.end
    )
    book = load_workbook(io.BytesIO(content))
    cell = book["Организации"]["C2"]
    assert (cell.value, cell.data_type) == ("=СУММ(A1) <школа> & «сад»", "s")  # never a formula
    total = _sheet_rows(book, "Итоги")[-1]
    assert (total["Муниципалитет / итог"], total[_label("k2_percent")]) == ("Итого: Район", 33.3)
    assert book["Итоги"].cell(row=3, column=1).font.b  # the total row is bold

    empty = load_workbook(
        io.BytesIO(
            exports.workbook_bytes(
                [], title="Т", scope_name="Пусто", period_start=YEAR.start, period_end=YEAR.end, reporting_date=YEAR.end
            )
        )
    )
    (only,) = _sheet_rows(empty, "Итоги")
    assert (only["Муниципалитет / итог"], only["Организаций"], only[_label("k2_percent")]) == ("Итого: Пусто", 0, None)
    assert exports.csv_bytes([]).decode("utf-8-sig").startswith("Ид. организации;Код;Организация")


def test_k10_cases_are_columns_of_the_organizations_and_a_share_in_the_totals(projections):
    from analytics.tests.test_kpi import case, utc
    from regional.models import PracticeCase

    world = projections
    published = PracticeCase.Status.PUBLISHED
    case(world.school_a, 1, status=published, submitted=utc(2026, 10, 1, 9), published=utc(2026, 11, 1, 9))
    case(world.school_b, 2, status=PracticeCase.Status.RETURNED, submitted=utc(2026, 12, 1, 9))

    book = load_workbook(io.BytesIO(bytes(_built(_start(world, world.region)).content)))

    organizations = {row["Организация"]: row for row in _sheet_rows(book, "Организации")}
    school_a, school_b = organizations["t-school-a"], organizations["t-school-b"]
    assert (school_a[_label("k10_submitted")], school_a[_label("k10_published")]) == (1, 1)
    assert (school_b[_label("k10_submitted")], school_b[_label("k10_published")]) == (1, 0)
    assert (school_a[_label("k10_has_published")], school_b[_label("k10_has_published")]) == (1, 0)
    total = _by(_sheet_rows(book, "Итоги"), "Муниципалитет / итог", "Итого: t-region (регион)")
    assert (total[_label("k10_submitted")], total[_label("k10_published")]) == (2, 1)
    assert total[_label("k10_percent")] == 50
