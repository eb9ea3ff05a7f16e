"""Questionnaire pages and API: permission matrices, answering through the web form and the API, privacy."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from openpyxl import load_workbook

from institutional.models import Question, Questionnaire, QuestionnaireRun, Response
from institutional.services import questionnaires as services
from institutional.tests.questionnaire_factories import mentee_make, questionnaire_make, run_make, staff_make
from tests.permissions import check_matrix

MANAGERS = ("curator", "council_member")
OVERSEERS = ("curator", "council_member", "director")
EVERYONE = ("curator", "council_member", "director", "teacher", "psychologist")


def _state():
    return (
        Questionnaire.objects.count(),
        list(Questionnaire.objects.order_by("pk").values_list("title", "description", "is_archived")),
        list(Question.objects.order_by("pk").values_list("position", "text", "type", "options")),
        list(QuestionnaireRun.objects.order_by("pk").values_list("title", "closes_on", "closed_at")),
        Response.objects.count(),
    )


@pytest.fixture
def setup(world, in_school_a):
    """Staff rows for every school A member; teacher A is a mentee; a run for mentees with one answer."""
    staff = {
        name: staff_make(user=getattr(world, name), last_name=name)
        for name in ("curator_a", "director_a", "council_a", "teacher_a", "psychologist_a")
    }
    mentee_make(staff["teacher_a"])
    questionnaire, questions = questionnaire_make()
    run = run_make(questionnaire, audience="mentees")
    other = staff_make(last_name="Ответившая")
    mentee_make(other)
    scale, _single, multiple, _text = questions
    services.response_submit(actor=None, run=run, respondent=other, answers={scale.pk: 4, multiple.pk: ["Методика"]})
    return {"staff": staff, "questionnaire": questionnaire, "questions": questions, "run": run}


def _host(world):
    return world.host(world.school_a)


# Permission matrices: pages ------------------------------------------------------------------


def test_matrix_questionnaire_list(world, client_on, setup):
    check_matrix(world, client_on, "get", "/org/questionnaires/", allowed=OVERSEERS)


def test_matrix_my_questionnaires(world, client_on, setup):
    check_matrix(world, client_on, "get", "/org/questionnaires/my/", allowed=EVERYONE)


def test_matrix_manager_pages_read(world, client_on, setup):
    q = setup["questionnaire"]
    question = setup["questions"][0]
    for path in (
        "/org/questionnaires/new/",
        f"/org/questionnaires/{q.pk}/",
        f"/org/questionnaires/{q.pk}/questions/new/",
        f"/org/questionnaires/{q.pk}/runs/new/",
        f"/org/questionnaires/questions/{question.pk}/",
    ):
        check_matrix(world, client_on, "get", path, allowed=MANAGERS, state=_state)


def test_matrix_results_pages(world, client_on, setup):
    run = setup["run"]
    check_matrix(world, client_on, "get", f"/org/questionnaires/runs/{run.pk}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/questionnaires/runs/{run.pk}/results.xlsx", allowed=OVERSEERS)


def test_matrix_manager_writes(world, client_on, setup):
    q = setup["questionnaire"]
    scale, single, _multiple, _text = setup["questions"]
    writes = [
        ("/org/questionnaires/new/", {"title": "Новая", "kind": "other"}),
        (f"/org/questionnaires/{q.pk}/", {"title": "Переименована", "description": "Пояснение"}),
        (f"/org/questionnaires/{q.pk}/duplicate/", {}),
        (f"/org/questionnaires/{q.pk}/archive/", {"is_archived": "1"}),
        (f"/org/questionnaires/{q.pk}/questions/new/", {"text": "Ещё", "type": "text"}),
        (
            f"/org/questionnaires/questions/{single.pk}/",
            {"text": "Формат", "type": "single", "options": "Очно\nДистанционно"},
        ),
        (f"/org/questionnaires/questions/{scale.pk}/move/", {"direction": "down"}),
    ]
    for path, data in writes:
        check_matrix(world, client_on, "post", path, allowed=MANAGERS, data=data, state=_state)


def test_matrix_run_create_and_close(world, client_on, setup):
    connection.set_tenant(world.school_a)
    fresh, _ = questionnaire_make(title="Для опроса")
    connection.set_schema_to_public()
    data = {"title": "Осенний опрос", "audience": "all_staff", "opens_on": "2026-09-01", "closes_on": "2026-09-30"}
    check_matrix(
        world, client_on, "post", f"/org/questionnaires/{fresh.pk}/runs/new/", allowed=MANAGERS, data=data, state=_state
    )
    check_matrix(
        world, client_on, "post", f"/org/questionnaires/runs/{setup['run'].pk}/close/", allowed=MANAGERS, state=_state
    )


def test_matrix_question_delete(world, client_on, setup):
    connection.set_tenant(world.school_a)
    fresh, questions = questionnaire_make(title="Без ответов")
    connection.set_schema_to_public()
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/questionnaires/questions/{questions[3].pk}/delete/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist"),
        state=_state,
    )
    connection.set_tenant(world.school_a)
    assert fresh.questions.count() == 3


def test_matrix_answer_page(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    path = f"/org/questionnaires/my/{run.pk}/"
    check_matrix(world, client_on, "get", path, allowed=("teacher",), state=_state)
    data = {f"q{scale.pk}": "3", f"q{multiple.pk}": ["Дисциплина"]}
    check_matrix(world, client_on, "post", path, allowed=("teacher",), data=data, state=_state)
    connection.set_tenant(world.school_a)
    assert Response.objects.filter(run=run, respondent=setup["staff"]["teacher_a"]).exists()


# Permission matrices: API --------------------------------------------------------------------


def test_matrix_api_reads(world, client_on, setup):
    q, run = setup["questionnaire"], setup["run"]
    for path in (
        "/api/v1/org/questionnaires/",
        f"/api/v1/org/questionnaires/{q.pk}/",
        "/api/v1/org/questionnaires/runs/",
        f"/api/v1/org/questionnaires/runs/{run.pk}/results/",
        f"/api/v1/org/questionnaires/runs/{run.pk}/results.xlsx",
    ):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
    check_matrix(world, client_on, "get", "/api/v1/org/questionnaires/my/", allowed=EVERYONE)


def test_matrix_api_submit(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    payload = json.dumps(
        {"answers": [{"question": scale.pk, "value": 5}, {"question": multiple.pk, "value": ["Родители"]}]}
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/questionnaires/runs/{run.pk}/responses/",
        allowed=("teacher",),
        data=payload,
        content_type="application/json",
        state=_state,
    )


# Behaviour of the pages ----------------------------------------------------------------------


def test_the_answer_form_renders_every_question_type(world, client_on, setup):
    run = setup["run"]
    scale, single, multiple, text = setup["questions"]

    page = client_on(_host(world), world.teacher_a).get(f"/org/questionnaires/my/{run.pk}/").content.decode()

    assert page.count(f'type="radio" name="q{scale.pk}"') == 5
    assert "1 — Плохо" in page and "5 — Отлично" in page
    assert page.count(f'type="radio" name="q{single.pk}"') == 2
    assert page.count(f'type="checkbox" name="q{multiple.pk}"') == 3
    assert f'<textarea class="form-control" name="q{text.pk}"' in page


def test_missing_required_answers_are_shown_next_to_each_question_and_nothing_is_saved(world, client_on, setup):
    run = setup["run"]
    scale, single, multiple, _text = setup["questions"]
    client = client_on(_host(world), world.teacher_a)

    response = client.post(f"/org/questionnaires/my/{run.pk}/", {f"q{single.pk}": "Очно"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-testid="error-q{scale.pk}">Ответьте на этот вопрос — он обязательный.' in page
    assert f'data-testid="error-q{multiple.pk}">Отметьте хотя бы один вариант' in page
    assert 'value="Очно" checked' in page  # what was chosen stays chosen
    connection.set_tenant(world.school_a)
    assert Response.objects.filter(run=run).count() == 1


def test_answering_twice_gives_a_clear_message_and_keeps_the_first_answer(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    client = client_on(_host(world), world.teacher_a)
    path = f"/org/questionnaires/my/{run.pk}/"

    assert client.post(path, {f"q{scale.pk}": "2", f"q{multiple.pk}": ["Методика"]}).status_code == 302
    second = client.post(path, {f"q{scale.pk}": "5", f"q{multiple.pk}": ["Родители"]})

    assert second.status_code == 400
    assert "Вы уже ответили на эту анкету" in second.content.decode()
    connection.set_tenant(world.school_a)
    mine = Response.objects.get(run=run, respondent=setup["staff"]["teacher_a"])
    assert mine.answers.get(question=scale).value == 2


def test_the_respondent_sees_their_own_answers_and_the_my_page_lists_the_run(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    client = client_on(_host(world), world.teacher_a)
    assert run.title in client.get("/org/questionnaires/my/").content.decode()
    client.post(
        f"/org/questionnaires/my/{run.pk}/", {f"q{scale.pk}": "3", f"q{multiple.pk}": ["Дисциплина", "Родители"]}
    )

    page = client.get(f"/org/questionnaires/my/{run.pk}/").content.decode()

    assert 'data-testid="own-answers"' in page and "Дисциплина; Родители" in page
    assert "ответ отправлен" in client.get("/org/questionnaires/my/").content.decode()


def test_a_closed_run_refuses_answers_on_the_page(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    connection.set_tenant(world.school_a)
    services.run_close(actor=None, run=run)
    connection.set_schema_to_public()

    response = client_on(_host(world), world.teacher_a).post(
        f"/org/questionnaires/my/{run.pk}/", {f"q{scale.pk}": "3", f"q{multiple.pk}": ["Методика"]}
    )

    assert response.status_code == 400 and "Опрос закрыт" in response.content.decode()
    connection.set_tenant(world.school_a)
    assert Response.objects.filter(run=run).count() == 1


def test_a_member_without_a_staff_record_gets_an_explanation(world, client_on, in_school_a):
    page = client_on(_host(world), world.teacher_a).get("/org/questionnaires/my/")
    assert page.status_code == 200
    assert "не связана с карточкой сотрудника" in page.content.decode()


def test_needs_analysis_answers_are_private_to_overseers_and_the_respondent(world, client_on, setup):
    connection.set_tenant(world.school_a)
    needs = Questionnaire.objects.get(template_code="needs_analysis")
    run = run_make(needs, audience="mentees")
    connection.set_schema_to_public()
    host = _host(world)

    for user in (world.psychologist_a, world.teacher_a):
        assert client_on(host, user).get(f"/org/questionnaires/runs/{run.pk}/").status_code == 403
        assert client_on(host, user).get(f"/api/v1/org/questionnaires/runs/{run.pk}/results/").status_code == 404
    # Another member who is not a mentee cannot even open the run to answer.
    assert client_on(host, world.psychologist_a).get(f"/org/questionnaires/my/{run.pk}/").status_code == 404
    assert client_on(host, world.director_a).get(f"/org/questionnaires/runs/{run.pk}/").status_code == 200


def test_results_page_and_xlsx_show_the_answers(world, client_on, setup):
    run = setup["run"]
    client = client_on(_host(world), world.director_a)

    page = client.get(f"/org/questionnaires/runs/{run.pk}/").content.decode()
    download = client.get(f"/org/questionnaires/runs/{run.pk}/results.xlsx")

    assert "Ответившая Анна Петровна" in page and "среднее: <strong>4.0</strong>" in page.replace(",", ".")
    workbook = load_workbook(io.BytesIO(download.content))
    rows = list(workbook["Ответы"].iter_rows(values_only=True))
    assert rows[1][0] == "Ответившая Анна Петровна" and rows[1][2] == 4


def test_editing_a_question_of_an_answered_questionnaire_refuses_a_type_change(world, client_on, setup):
    single = setup["questions"][1]
    client = client_on(_host(world), world.curator_a)

    response = client.post(
        f"/org/questionnaires/questions/{single.pk}/",
        {"text": "Формат", "type": "multiple", "options": "Очно\nДистанционно"},
    )
    deleted = client.post(f"/org/questionnaires/questions/{single.pk}/delete/", follow=True)

    assert response.status_code == 400 and "тип вопроса изменить нельзя" in response.content.decode()
    assert "вопросы удалять нельзя" in deleted.content.decode()
    connection.set_tenant(world.school_a)
    single.refresh_from_db()
    assert single.type == "single" and single.text == "Формат встреч"


def test_a_run_with_reversed_dates_is_refused_on_the_page(world, client_on, setup):
    q = setup["questionnaire"]
    response = client_on(_host(world), world.curator_a).post(
        f"/org/questionnaires/{q.pk}/runs/new/",
        {"title": "Опрос", "audience": "mentors", "opens_on": "2026-10-10", "closes_on": "2026-10-01"},
    )
    assert response.status_code == 400
    assert "Окончание опроса не может быть раньше начала." in response.content.decode()
    connection.set_tenant(world.school_a)
    assert QuestionnaireRun.objects.count() == 1


def test_a_choice_question_needs_two_distinct_options_on_the_page(world, client_on, setup):
    q = setup["questionnaire"]
    response = client_on(_host(world), world.council_a).post(
        f"/org/questionnaires/{q.pk}/questions/new/", {"text": "Выбор", "type": "single", "options": "Да\nда"}
    )
    assert response.status_code == 400 and "повторяется" in response.content.decode()


# Behaviour of the API ------------------------------------------------------------------------


def test_api_submit_reports_errors_per_question_then_accepts_once(world, client_on, setup):
    run = setup["run"]
    scale, _single, multiple, _text = setup["questions"]
    client = client_on(_host(world), world.teacher_a)
    path = f"/api/v1/org/questionnaires/runs/{run.pk}/responses/"

    bad = client.post(path, {"answers": [{"question": scale.pk, "value": 9}]}, content_type="application/json")
    good = client.post(
        path,
        {"answers": [{"question": scale.pk, "value": 4}, {"question": multiple.pk, "value": ["Методика"]}]},
        content_type="application/json",
    )
    again = client.post(
        path,
        {"answers": [{"question": scale.pk, "value": 1}, {"question": multiple.pk, "value": ["Методика"]}]},
        content_type="application/json",
    )

    assert bad.status_code == 400
    assert bad.json()["answers"] == {
        str(scale.pk): "Выберите значение от 1 до 5.",
        str(multiple.pk): "Отметьте хотя бы один вариант — вопрос обязательный.",
    }
    assert good.status_code == 201
    assert again.status_code == 400 and "уже ответили" in again.json()["detail"]


def test_api_results_and_detail(world, client_on, setup):
    run, q = setup["run"], setup["questionnaire"]
    client = client_on(_host(world), world.curator_a)

    results = client.get(f"/api/v1/org/questionnaires/runs/{run.pk}/results/").json()
    detail = client.get(f"/api/v1/org/questionnaires/{q.pk}/").json()
    listing = client.get("/api/v1/org/questionnaires/").json()
    my = client_on(_host(world), world.teacher_a).get("/api/v1/org/questionnaires/my/").json()

    assert results["rows"][0]["answers"] == [4, None, ["Методика"], None]
    assert results["summaries"][0]["mean"] == 4.0
    assert [item["type"] for item in detail["questions"]] == ["scale", "single", "multiple", "text"]
    assert {item["template_code"] for item in listing} >= {"needs_analysis", "final_satisfaction"}
    assert [item["run"]["id"] for item in my] == [run.pk] and my[0]["is_open"] is True
