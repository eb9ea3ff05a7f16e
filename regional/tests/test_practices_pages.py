"""Best practices through the pages and the API: who sees and does what on which host."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from regional.models import PracticeCase
from regional.practices import services
from regional.tests.test_practices_factories import PRIVATE_TOKENS, TITLE, completed_program, running_program

Status = PracticeCase.Status
PROBLEM = "Молодые учителя теряются в первые месяцы работы: не хватает опыта управления классом."


def _hosts(world):
    return world.host(world.school_a), world.host(world.municipality), world.host(world.region)


def _written(world, title=TITLE):
    """A completed program of school A and a draft case written from it (the connection stays in school A)."""
    connection.set_tenant(world.school_a)
    made = completed_program(title=title)
    case = services.case_start(actor=world.curator_a, program_id=made.program.pk)
    return made, services.case_update(actor=world.curator_a, case=case, data={"problem": PROBLEM})


def _case_form(case, **changes) -> dict:
    data = {
        "title": case.title,
        "problem": case.problem,
        "goal": case.goal,
        "form": case.form,
        "kinds": case.kinds,
        "mentee_categories": case.mentee_categories,
        "activities": case.activities,
        "results": case.results,
        "materials": case.materials,
        "authors": case.authors,
    }
    data.update(changes)
    return data


def test_the_curator_writes_a_case_from_a_completed_program_and_sends_it_up(world, in_school_a, client_on):
    running = running_program(title="Программа, которая ещё идёт")
    made = completed_program()
    school, _municipality, _region = _hosts(world)
    curator = client_on(school, world.curator_a)

    page = curator.get("/practices/ours/")
    assert page.status_code == 200
    html = page.content.decode()
    assert TITLE in html
    assert "Программа, которая ещё идёт" not in html
    refused = curator.post(f"/practices/ours/programs/{running.program.pk}/start/", follow=True)
    assert "ещё выполняется" in refused.content.decode()
    assert not PracticeCase.objects.exists()

    started = curator.post(f"/practices/ours/programs/{made.program.pk}/start/")
    case = PracticeCase.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/practices/{case.pk}/edit/"
    form = curator.get(f"/practices/{case.pk}/edit/").content.decode()
    assert TITLE in form
    for token in PRIVATE_TOKENS:
        assert token not in form

    incomplete = curator.post(f"/practices/{case.pk}/edit/", {**_case_form(case), "submit": "1"}, follow=True)
    assert "Опишите проблему" in incomplete.content.decode()
    assert PracticeCase.objects.get(pk=case.pk).status == Status.DRAFT

    sent = curator.post(
        f"/practices/{case.pk}/edit/",
        {**_case_form(case, problem=PROBLEM, authors="Методический совет гимназии"), "submit": "1"},
    )
    assert sent.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.problem, case.authors) == (
        Status.MUNICIPAL_REVIEW,
        PROBLEM,
        "Методический совет гимназии",
    )
    assert curator.get(f"/practices/{case.pk}/edit/").status_code == 404
    assert "Программа, которая ещё идёт" not in curator.get("/practices/ours/").content.decode()


def test_only_the_organizations_writers_reach_its_cases(world, client_on):
    _made, case = _written(world)
    school, municipality, region = _hosts(world)

    assert client_on(school, world.teacher_a).get("/practices/ours/").status_code == 403
    assert client_on(school, world.teacher_a).get(f"/practices/{case.pk}/").status_code == 404
    assert client_on(school, world.director_a).get(f"/practices/{case.pk}/").status_code == 200
    assert client_on(municipality, world.municipal).get("/practices/ours/").status_code == 404
    # A draft is not the municipality's, the region's or another school's business.
    assert client_on(municipality, world.municipal).get(f"/practices/{case.pk}/").status_code == 404
    assert client_on(region, world.coordinator).get(f"/practices/{case.pk}/").status_code == 404
    assert client_on(world.host(world.school_b), world.teacher_b).get(f"/practices/{case.pk}/").status_code == 404


def test_the_municipality_and_the_region_decide_on_their_hosts(world, client_on):
    _made, case = _written(world)
    school, municipality, region = _hosts(world)
    curator = client_on(school, world.curator_a)
    pdf = SimpleUploadedFile("karta.pdf", b"%PDF-1.4\n% karta\n", content_type="application/pdf")
    curator.post(f"/practices/{case.pk}/materials/", {"title": "Технологическая карта", "file": pdf})
    material = case.files.get()
    curator.post(f"/practices/{case.pk}/submit/")

    municipal = client_on(municipality, world.municipal)
    queue = municipal.get("/practices/review/").content.decode()
    assert TITLE in queue
    assert client_on(region, world.coordinator).get("/practices/review/").content.decode().count(TITLE) == 0
    assert client_on(school, world.curator_a).get("/practices/review/").status_code == 404

    empty_return = municipal.post(f"/practices/{case.pk}/review/", {"decision": "return", "comment": ""})
    assert empty_return.status_code == 400
    assert "Напишите, что нужно доработать" in empty_return.content.decode()
    assert PracticeCase.objects.get(pk=case.pk).status == Status.MUNICIPAL_REVIEW
    # The region cannot act before the municipality; its attempt changes nothing.
    early = client_on(region, world.coordinator).post(f"/practices/{case.pk}/review/", {"decision": "approve"})
    assert early.status_code == 404
    assert PracticeCase.objects.get(pk=case.pk).status == Status.MUNICIPAL_REVIEW

    assert municipal.post(f"/practices/{case.pk}/review/", {"decision": "approve"}).status_code == 302
    assert PracticeCase.objects.get(pk=case.pk).status == Status.REGIONAL_REVIEW

    coordinator = client_on(region, world.coordinator)
    detail = coordinator.get(f"/practices/{case.pk}/").content.decode()
    assert "Опубликовать" in detail
    # The material is kept with the school's uploads and served on the region's host too.
    download = coordinator.get(f"/practices/{case.pk}/materials/{material.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    coordinator.post(f"/practices/{case.pk}/review/", {"decision": "return", "comment": "Добавьте итоги анкеты."})
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    own = curator.get(f"/practices/{case.pk}/").content.decode()
    assert "Добавьте итоги анкеты." in own
    curator.post(f"/practices/{case.pk}/submit/")
    assert PracticeCase.objects.get(pk=case.pk).status == Status.REGIONAL_REVIEW  # back to the region

    assert coordinator.post(f"/practices/{case.pk}/review/", {"decision": "approve"}).status_code == 302
    assert PracticeCase.objects.get(pk=case.pk).status == Status.PUBLISHED

    # Every member of every organization of the region reads it; the review comments stay internal.
    reader = client_on(world.host(world.school_b), world.teacher_b)
    bank = reader.get("/practices/", {"q": "молодого учителя"}).content.decode()
    assert TITLE in bank
    published = reader.get(f"/practices/{case.pk}/").content.decode()
    assert PROBLEM in published
    assert "Добавьте итоги анкеты." not in published


def test_the_bank_page_searches_and_ignores_garbage(world, client_on):
    _made, case = _written(world, title="Школа молодого наставника")
    services.case_submit(actor=world.curator_a, case=case)
    services.case_review(actor=world.municipal, case=case, decision="approve")
    services.case_review(actor=world.coordinator, case=case, decision="approve")
    reader = client_on(world.host(world.region), world.coordinator)

    assert "Школа молодого наставника" in reader.get("/practices/", {"q": "наставника"}).content.decode()
    nothing = reader.get("/practices/", {"q": "космонавтика"}).content.decode()
    assert "По этому запросу кейсов не найдено." in nothing
    garbage = reader.get("/practices/", {"q": "' OR 1=1 --", "form": "x", "page": "abc", "municipality": "x"})
    assert garbage.status_code == 200


def test_the_api_writes_submits_reviews_and_searches(world, in_school_a, client_on):
    made = completed_program()
    school, municipality, region = _hosts(world)
    curator = client_on(school, world.curator_a)

    created = curator.post("/api/v1/practices/", {"program_id": made.program.pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    again = curator.post("/api/v1/practices/", {"program_id": made.program.pk}, content_type="application/json")
    assert again.status_code == 400
    assert "кейс уже написан" in json.dumps(again.json(), ensure_ascii=False)

    patched = curator.patch(
        f"/api/v1/practices/{case_id}/", {"problem": PROBLEM, "kinds": ["traditional"]}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["kinds"] == ["traditional"]
    assert curator.post(f"/api/v1/practices/{case_id}/submit/").json()["status"] == "municipal_review"
    assert [c["id"] for c in curator.get("/api/v1/practices/", {"scope": "ours"}).json()["results"]] == [case_id]

    municipal = client_on(municipality, world.municipal)
    assert [c["id"] for c in municipal.get("/api/v1/practices/", {"scope": "review"}).json()["results"]] == [case_id]
    refused = municipal.post(
        f"/api/v1/practices/{case_id}/review/", {"decision": "reject"}, content_type="application/json"
    )
    assert refused.status_code == 400
    approved = municipal.post(
        f"/api/v1/practices/{case_id}/review/", {"decision": "approve"}, content_type="application/json"
    )
    assert approved.json()["status"] == "regional_review"
    coordinator = client_on(region, world.coordinator)
    published = coordinator.post(
        f"/api/v1/practices/{case_id}/review/", {"decision": "approve"}, content_type="application/json"
    )
    assert published.json()["status"] == "published"
    assert [r["stage"] for r in published.json()["reviews"]] == ["municipality", "region"]

    reader = client_on(world.host(world.school_b), world.teacher_b)
    found = reader.get("/api/v1/practices/", {"q": "молодых учителей"}).json()
    assert [c["id"] for c in found["results"]] == [case_id]
    assert reader.get(f"/api/v1/practices/{case_id}/").json()["reviews"] == []  # comments stay internal
    assert reader.get("/api/v1/practices/", {"scope": "ours"}).status_code == 403
    assert (
        reader.patch(f"/api/v1/practices/{case_id}/", {"title": "x"}, content_type="application/json").status_code
        == 403
    )
