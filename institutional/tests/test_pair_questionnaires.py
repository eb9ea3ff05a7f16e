"""Questionnaires of a pair: intermediate feedback points, the final satisfaction run, answering, privacy."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from openpyxl import load_workbook

from institutional.dates import organization_today
from institutional.models import (
    EndReason,
    Pair,
    PairMentee,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireRun,
    Response,
    Staff,
)
from institutional.selectors import questionnaires as selectors
from institutional.selectors.regulation import rules_in_force
from institutional.services import pairs as pair_services
from institutional.services import questionnaires as services
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor
from institutional.tests.programs_factories import grant, new_user
from tenants.models import Role
from tests.permissions import check_matrix

MANAGERS = ("curator", "council_member")
OVERSEERS = ("curator", "council_member", "director")
READERS = ("curator", "council_member", "director", "psychologist")
MENTEE_SECRET = "Наставник редко приходит на встречи"
MENTOR_SECRET = "Наставляемая не готовит конспекты"


# Helpers -------------------------------------------------------------------------------------


def _link(entry, user):
    Staff.objects.filter(pk=entry.staff_id).update(user_id=user.pk)


def _active_pair(mentees=1, *, starts_in_days=0, mentor=None):
    pair = make_draft(mentor or make_mentor(), [make_mentee() for _ in range(mentees)], starts_in_days=starts_in_days)
    pair_services.pair_approve(actor=None, pairs=[pair], order_number=f"{pair.pk}-н", order_date=organization_today())
    return Pair.objects.get(pk=pair.pk)


def _intermediate():
    return Questionnaire.objects.get(template_code="intermediate")


def _final():
    return Questionnaire.objects.get(template_code="final_satisfaction")


def _questions(run):
    return list(run.questionnaire.questions.order_by("position"))


def _answers(run, *, role=None, text=""):
    """A complete answer set: the role question (or left empty), the first option/middle scale, a text."""
    answers = {}
    for question in _questions(run):
        if services.role_question_of([question]) is not None:
            answers[question.pk] = role or ""
        elif question.type == Question.Type.SCALE:
            answers[question.pk] = 4
        elif question.type == Question.Type.SINGLE:
            answers[question.pk] = question.options[0]
        elif question.type == Question.Type.MULTIPLE:
            answers[question.pk] = [question.options[0]]
        else:
            answers[question.pk] = text
    return answers


def _mentee_staff(pair):
    return [m.mentee.staff for m in pair.participants.select_related("mentee__staff").order_by("pk")]


def _end(pair, reason=EndReason.PLAN_COMPLETED):
    return pair_services.pair_end(
        actor=None, pair=pair, reason=reason, ended_on=organization_today(), note="Переход в другую школу"
    )


def _run_state():
    return (
        list(QuestionnaireRun.objects.order_by("pk").values_list("pk", "pair_id", "opens_on", "closes_on")),
        list(Response.objects.order_by("pk").values_list("pk", "role")),
    )


@pytest.fixture
def group(in_school_a):
    """An active group of two mentees started today."""
    return _active_pair(mentees=2)


# Intermediate feedback points ----------------------------------------------------------------


def test_feedback_point_lifecycle_mentor_and_mentee_answer(group):
    today = organization_today()
    run = services.pair_feedback_point_create(actor=None, pair=group, questionnaire=_intermediate(), point_on=today)
    assert run.audience == QuestionnaireRun.Audience.PAIR and run.pair == group
    assert run.title == f"Промежуточная обратная связь — {today:%d.%m.%Y}"
    assert (run.opens_on, run.closes_on) == (today, today + timedelta(days=13))

    mentor = group.mentor.staff
    first, second = _mentee_staff(group)
    for staff in (mentor, first, second):
        assert [item.run for item in selectors.my_runs(staff=staff)] == [run]
    stranger = make_mentee().staff
    assert selectors.my_runs(staff=stranger) == []

    # The role question left empty is filled from the pair.
    by_mentor = services.response_submit(actor=None, run=run, respondent=mentor, answers=_answers(run))
    by_mentee = services.response_submit(
        actor=None, run=run, respondent=first, answers=_answers(run, role="Наставляемый")
    )
    assert (by_mentor.role, by_mentee.role) == ("mentor", "mentee")
    role_question = services.role_question_of(_questions(run))
    assert by_mentor.answers.get(question=role_question).value == "Наставник"

    (row,) = selectors.pair_runs(pair=group)
    assert row.run == run and row.status == "идёт" and not row.is_final
    assert row.mentor == (mentor.short_name, True)
    assert row.mentees == [(first.short_name, True), (second.short_name, False)]
    assert row.answered_count == 2


def test_the_role_must_match_the_pair_and_nothing_is_written(group):
    run = services.pair_feedback_point_create(
        actor=None, pair=group, questionnaire=_intermediate(), point_on=organization_today()
    )
    mentee = _mentee_staff(group)[0]
    with pytest.raises(services.AnswersInvalid) as error:
        services.response_submit(actor=None, run=run, respondent=mentee, answers=_answers(run, role="Наставник"))
    role_question = services.role_question_of(_questions(run))
    assert error.value.question_errors == {role_question.pk: "В этой паре (группе) ваша роль — «Наставляемый»."}
    assert Response.objects.count() == 0


def test_nobody_outside_the_pair_can_answer(group):
    run = services.pair_feedback_point_create(
        actor=None, pair=group, questionnaire=_intermediate(), point_on=organization_today()
    )
    other_pair = _active_pair()
    outsiders = [make_mentee().staff, other_pair.mentor.staff, _mentee_staff(other_pair)[0]]
    for staff in outsiders:
        assert not selectors.staff_in_audience(staff=staff, audience="pair", pair=group)
        with pytest.raises(services.ResponseRejected, match="только наставник и наставляемые этой пары"):
            services.response_submit(actor=None, run=run, respondent=staff, answers=_answers(run, role="Наставник"))
    assert Response.objects.count() == 0


def test_a_mentee_who_left_the_group_no_longer_answers(group):
    run = services.pair_feedback_point_create(
        actor=None, pair=group, questionnaire=_intermediate(), point_on=organization_today()
    )
    gone, staying = _mentee_staff(group)
    PairMentee.objects.filter(pair=group, mentee__staff=gone).update(left_on=organization_today())
    assert selectors.my_runs(staff=gone) == []
    assert [item.run for item in selectors.my_runs(staff=staying)] == [run]
    with pytest.raises(services.ResponseRejected):
        services.response_submit(actor=None, run=run, respondent=gone, answers=_answers(run))
    (row,) = selectors.pair_runs(pair=group)
    assert row.mentees == [(staying.short_name, False)]


def test_bulk_points_for_several_pairs(group):
    other = _active_pair()
    point_on = organization_today() + timedelta(days=30)
    runs = services.pair_feedback_points_create(
        actor=None, pairs=[group, other], questionnaire=_intermediate(), point_on=point_on, open_days=7
    )
    assert [(r.pair_id, r.opens_on, r.closes_on) for r in runs] == [
        (group.pk, point_on, point_on + timedelta(days=6)),
        (other.pk, point_on, point_on + timedelta(days=6)),
    ]
    # A point in the future is not open yet: nobody sees it in «Мои анкеты».
    assert selectors.my_runs(staff=group.mentor.staff) == []


def _refused(message_part, **overrides):
    values = {"actor": None, "questionnaire": _intermediate(), "point_on": organization_today()}
    values.update(overrides)
    before = QuestionnaireRun.objects.count()
    with pytest.raises(ValidationError) as error:
        services.pair_feedback_points_create(**values)
    assert message_part in " ".join(error.value.messages), error.value.messages
    assert QuestionnaireRun.objects.count() == before
    return error.value


def test_point_refusals_write_nothing(group):
    today = organization_today()
    archived = _intermediate()
    draft = make_draft(make_mentor(), [make_mentee()])
    later = _active_pair(starts_in_days=10)
    empty = services.questionnaire_create(actor=None, title="Пустая", kind=QuestionnaireKind.INTERMEDIATE)

    _refused("Выберите хотя бы одну пару", pairs=[])
    _refused("только утверждённой или действующей", pairs=[draft])
    _refused("не может быть в прошлом", pairs=[group], point_on=today - timedelta(days=1))
    _refused("в пределах срока наставничества", pairs=[group], point_on=group.ends_on + timedelta(days=1))
    _refused("в пределах срока наставничества", pairs=[later], point_on=today)
    _refused("Укажите дату", pairs=[group], point_on=None)
    _refused("Выберите анкету", pairs=[group], questionnaire=None)
    _refused("«Промежуточная обратная связь» или «Другая анкета»", pairs=[group], questionnaire=_final())
    _refused("нет ни одного вопроса", pairs=[group], questionnaire=empty)
    _refused("от 1 до 60 дней", pairs=[group], open_days=0)
    _refused("от 1 до 60 дней", pairs=[group], open_days=61)
    _refused("целым числом", pairs=[group], open_days="две недели")
    _refused("выбрана дважды", pairs=[group, group])
    services.questionnaire_set_archived(actor=None, questionnaire=archived, is_archived=True)
    _refused("в архиве", pairs=[group], questionnaire=archived)


def test_duplicate_point_and_all_or_nothing_bulk(group):
    other = _active_pair()
    today = organization_today()
    services.pair_feedback_point_create(actor=None, pair=group, questionnaire=_intermediate(), point_on=today)
    error = _refused(f"№ {group.pk}: точка обратной связи на {today:%d.%m.%Y} уже назначена", pairs=[other, group])
    assert set(error.message_dict) == {"pairs"}
    assert not QuestionnaireRun.objects.filter(pair=other).exists()
    # Another date for the same pair is fine.
    services.pair_feedback_point_create(
        actor=None, pair=group, questionnaire=_intermediate(), point_on=today + timedelta(days=1)
    )
    assert QuestionnaireRun.objects.filter(pair=group).count() == 2


def test_single_point_messages_name_the_field(group):
    with pytest.raises(ValidationError) as error:
        services.pair_feedback_point_create(
            actor=None, pair=group, questionnaire=_intermediate(), point_on=group.ends_on + timedelta(days=1)
        )
    assert "point_on" in error.value.message_dict


def test_a_pair_run_cannot_be_made_by_the_general_run_form(in_school_a):
    with pytest.raises(ValidationError, match="со страницы пары"):
        services.run_create(
            actor=None,
            questionnaire=_intermediate(),
            title="Опрос",
            audience="pair",
            opens_on=organization_today(),
            closes_on=organization_today(),
        )
    assert QuestionnaireRun.objects.count() == 0


# Final satisfaction --------------------------------------------------------------------------


def test_ending_a_pair_creates_the_final_satisfaction_run_once(group):
    pair = _end(group)
    runs = list(QuestionnaireRun.objects.filter(pair=pair, questionnaire__kind="final_satisfaction"))
    assert len(runs) == 1
    run = runs[0]
    assert run.audience == "pair" and run.questionnaire == _final()
    assert run.title == "Итоговая удовлетворённость участием в программе наставничества"
    assert run.opens_on == pair.ended_on
    assert run.closes_on == pair.ended_on + timedelta(days=rules_in_force().report_days)
    assert services.pair_satisfaction_run_create(actor=None, pair=pair) == run
    assert QuestionnaireRun.objects.filter(pair=pair).count() == 1


def test_final_run_is_answered_by_the_mentor_and_the_mentees_at_the_end(group):
    gone, staying = _mentee_staff(group)
    yesterday = organization_today() - timedelta(days=1)
    PairMentee.objects.filter(pair=group, mentee__staff=gone).update(left_on=yesterday)
    Pair.objects.filter(pk=group.pk).update(starts_on=yesterday - timedelta(days=1))
    pair = _end(Pair.objects.get(pk=group.pk))
    run = QuestionnaireRun.objects.get(pair=pair, questionnaire__kind="final_satisfaction")

    # The mentee left the bank as «completed», yet answers the final questionnaire of their pair.
    assert [item.run for item in selectors.my_runs(staff=staying)] == [run]
    assert [item.run for item in selectors.my_runs(staff=pair.mentor.staff)] == [run]
    assert selectors.my_runs(staff=gone) == []

    services.response_submit(actor=None, run=run, respondent=pair.mentor.staff, answers=_answers(run))
    services.response_submit(actor=None, run=run, respondent=staying, answers=_answers(run))
    assert sorted(Response.objects.filter(run=run).values_list("role", flat=True)) == ["mentee", "mentor"]
    with pytest.raises(services.ResponseRejected):
        services.response_submit(actor=None, run=run, respondent=gone, answers=_answers(run))
    (row,) = selectors.pair_runs(pair=pair)
    assert row.is_final and row.mentor[1] and row.mentees == [(staying.short_name, True)]


def test_ending_early_also_creates_the_run_and_no_questionnaire_means_no_run(in_school_a):
    early = _end(_active_pair(), reason=EndReason.MUTUAL)
    assert QuestionnaireRun.objects.filter(pair=early, questionnaire__kind="final_satisfaction").count() == 1

    services.questionnaire_set_archived(actor=None, questionnaire=_final(), is_archived=True)
    plain = _end(_active_pair())
    assert plain.status == Pair.Status.COMPLETED
    assert not QuestionnaireRun.objects.filter(pair=plain).exists()


def test_late_recorded_end_keeps_the_run_open_for_the_report_days(in_school_a):
    pair = _active_pair()
    started = organization_today() - timedelta(days=60)
    Pair.objects.filter(pk=pair.pk).update(starts_on=started)
    pair = pair_services.pair_end(
        actor=None,
        pair=Pair.objects.get(pk=pair.pk),
        reason=EndReason.PLAN_COMPLETED,
        ended_on=started + timedelta(days=5),
        note="",
    )
    run = QuestionnaireRun.objects.get(pair=pair)
    assert run.opens_on == pair.ended_on
    assert run.closes_on == organization_today() + timedelta(days=rules_in_force().report_days)
    assert run.is_open_on(organization_today())


# Pages and API -------------------------------------------------------------------------------


@pytest.fixture
def people(world, in_school_a):
    """Teacher A is the mentor, a new teacher the mentee, another teacher an outsider; one answer each."""
    mentee_user, outsider_user = new_user("Молодова"), new_user("Посторонняя")
    grant(mentee_user, world.school_a, Role.TEACHER)
    grant(outsider_user, world.school_a, Role.TEACHER)
    connection.set_tenant(world.school_a)
    pair = _active_pair()
    _link(pair.mentor, world.teacher_a)
    mentee = pair.participants.get().mentee
    _link(mentee, mentee_user)
    outsider = make_mentee()
    _link(outsider, outsider_user)
    run = services.pair_feedback_point_create(
        actor=None, pair=pair, questionnaire=_intermediate(), point_on=organization_today()
    )
    pair = Pair.objects.get(pk=pair.pk)
    services.response_submit(
        actor=None, run=run, respondent=mentee.staff, answers=_answers(run, role="Наставляемый", text=MENTEE_SECRET)
    )
    connection.set_schema_to_public()
    return {"pair": pair, "run": run, "mentee": mentee_user, "outsider": outsider_user}


def _host(world):
    return world.host(world.school_a)


def test_matrix_pair_feedback_pages(world, client_on, people):
    pair = people["pair"]
    check_matrix(world, client_on, "get", f"/org/questionnaires/pairs/{pair.pk}/feedback/new/", allowed=MANAGERS)
    check_matrix(world, client_on, "get", "/org/questionnaires/feedback/", allowed=MANAGERS)
    point = (organization_today() + timedelta(days=3)).isoformat()
    data = {"questionnaire": _intermediate_id(world), "point_on": point, "open_days": "14"}
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/questionnaires/pairs/{pair.pk}/feedback/new/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist"),
        data=data,
        state=_run_state,
    )
    bulk = {**data, "point_on": (organization_today() + timedelta(days=4)).isoformat(), "pairs": [str(pair.pk)]}
    check_matrix(
        world,
        client_on,
        "post",
        "/org/questionnaires/feedback/",
        allowed=("council_member",),
        roles=("director", "teacher", "psychologist"),
        data=bulk,
        state=_run_state,
    )
    connection.set_tenant(world.school_a)
    assert QuestionnaireRun.objects.filter(pair=pair).count() == 3


def _intermediate_id(world):
    connection.set_tenant(world.school_a)
    try:
        return str(_intermediate().pk)
    finally:
        connection.set_schema_to_public()


def test_matrix_pair_feedback_api(world, client_on, people):
    pair = people["pair"]
    check_matrix(world, client_on, "get", f"/api/v1/org/questionnaires/pairs/{pair.pk}/runs/", allowed=READERS)
    point = (organization_today() + timedelta(days=5)).isoformat()
    body = {"questionnaire": int(_intermediate_id(world)), "point_on": point}
    check_matrix(
        world,
        client_on,
        "post",
        f"/api/v1/org/questionnaires/pairs/{pair.pk}/points/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist"),
        data=body,
        content_type="application/json",
        state=_run_state,
    )
    bulk = {**body, "point_on": (organization_today() + timedelta(days=6)).isoformat(), "pairs": [pair.pk]}
    check_matrix(
        world,
        client_on,
        "post",
        "/api/v1/org/questionnaires/pairs/points/",
        allowed=("council_member",),
        roles=("director", "teacher", "psychologist"),
        data=bulk,
        content_type="application/json",
        state=_run_state,
    )


def test_pair_page_section_shows_who_answered_but_not_the_answers(world, client_on, people):
    pair, run = people["pair"], people["run"]
    curator = client_on(_host(world), world.curator_a).get(f"/org/pairs/{pair.pk}/")
    html = curator.content.decode()
    assert curator.status_code == 200
    assert 'data-testid="pair-questionnaires"' in html and run.title in html
    assert 'data-testid="feedback-point-form"' in html
    assert f"/org/questionnaires/runs/{run.pk}/" in html
    assert html.count("✓") == 1 and MENTEE_SECRET not in html

    director = client_on(_host(world), world.director_a).get(f"/org/pairs/{pair.pk}/").content.decode()
    assert run.title in director and 'data-testid="feedback-point-form"' not in director
    psychologist = client_on(_host(world), world.psychologist_a).get(f"/org/pairs/{pair.pk}/").content.decode()
    assert run.title in psychologist and f"/org/questionnaires/runs/{run.pk}/" not in psychologist
    assert MENTEE_SECRET not in psychologist


def test_answers_of_a_pair_run_are_only_for_curator_council_and_director(world, client_on, people):
    run = people["run"]
    mentor, mentee, outsider = world.teacher_a, people["mentee"], people["outsider"]
    pages = (f"/org/questionnaires/runs/{run.pk}/", f"/org/questionnaires/runs/{run.pk}/results.xlsx")
    apis = (
        f"/api/v1/org/questionnaires/runs/{run.pk}/results/",
        f"/api/v1/org/questionnaires/runs/{run.pk}/results.xlsx",
    )
    for user in (mentor, mentee, outsider, world.psychologist_a):
        client = client_on(_host(world), user)
        for path in pages:
            assert client.get(path).status_code == 403, (user, path)
        for path in apis:
            assert client.get(path).status_code == 404, (user, path)
    foreign = client_on(_host(world), world.teacher_b)
    for path in pages + apis:
        assert foreign.get(path).status_code == 404

    for user in (world.curator_a, world.council_a, world.director_a):
        page = client_on(_host(world), user).get(pages[0]).content.decode()
        assert MENTEE_SECRET in page and "Наставляемый" in page
        api = client_on(_host(world), user).get(apis[0]).json()
        assert api["rows"][0]["role"] == "Наставляемый"
        assert MENTEE_SECRET in api["rows"][0]["answers"]
    workbook = load_workbook(io.BytesIO(client_on(_host(world), world.director_a).get(pages[1]).content))
    sheet = workbook["Ответы"]
    assert [cell.value for cell in sheet[1]][:3] == ["Респондент", "Роль в паре", "Дата ответа"]
    assert sheet.cell(row=2, column=2).value == "Наставляемый"


def test_the_mentor_sees_only_own_answers(world, client_on, people):
    run = people["run"]
    mentor = client_on(_host(world), world.teacher_a)
    my = mentor.get("/org/questionnaires/my/").content.decode()
    assert run.title in my and MENTEE_SECRET not in my
    page = mentor.get(f"/org/questionnaires/my/{run.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and MENTEE_SECRET not in html
    # The role question comes ticked with the mentor's role.
    connection.set_tenant(world.school_a)
    role_question = services.role_question_of(_questions(run))
    answers = _answers(run, text=MENTOR_SECRET)
    connection.set_schema_to_public()
    assert 'value="Наставник" checked' in html
    api_mine = mentor.get("/api/v1/org/questionnaires/my/").json()
    assert MENTEE_SECRET not in str(api_mine)

    body = {"answers": [{"question": key, "value": value} for key, value in answers.items()]}
    created = mentor.post(f"/api/v1/org/questionnaires/runs/{run.pk}/responses/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    mentee = client_on(_host(world), people["mentee"])
    own = mentee.get(f"/org/questionnaires/my/{run.pk}/").content.decode()
    assert MENTEE_SECRET in own and MENTOR_SECRET not in own
    assert MENTOR_SECRET not in mentee.get("/api/v1/org/questionnaires/my/").content.decode()
    connection.set_tenant(world.school_a)
    response = Response.objects.get(run=run, respondent__user_id=world.teacher_a.pk)
    assert response.role == "mentor"
    assert response.answers.get(question=role_question).value == "Наставник"


def test_an_outsider_cannot_open_or_answer_a_pair_run(world, client_on, people):
    run = people["run"]
    outsider = client_on(_host(world), people["outsider"])
    assert run.title not in outsider.get("/org/questionnaires/my/").content.decode()
    assert outsider.get(f"/org/questionnaires/my/{run.pk}/").status_code == 404
    assert outsider.post(f"/org/questionnaires/my/{run.pk}/", {}).status_code == 404
    api = outsider.post(
        f"/api/v1/org/questionnaires/runs/{run.pk}/responses/", {"answers": []}, content_type="application/json"
    )
    assert api.status_code == 404
    connection.set_tenant(world.school_a)
    assert Response.objects.filter(run=run).count() == 1


def test_mentee_answers_the_final_run_through_the_web_form(world, client_on, people):
    connection.set_tenant(world.school_a)
    pair = _end(people["pair"])
    run = QuestionnaireRun.objects.get(pair=pair, questionnaire__kind="final_satisfaction")
    questions = _questions(run)
    post = {}
    for question, value in _answers(run, text="Спасибо").items():
        post[f"q{question}"] = value
    connection.set_schema_to_public()
    mentee = client_on(_host(world), people["mentee"])
    assert run.title in mentee.get("/org/questionnaires/my/").content.decode()
    page = mentee.get(f"/org/questionnaires/my/{run.pk}/").content.decode()
    assert 'value="Наставляемый" checked' in page
    answered = mentee.post(f"/org/questionnaires/my/{run.pk}/", post)
    assert answered.status_code == 302
    connection.set_tenant(world.school_a)
    response = Response.objects.get(run=run)
    assert response.role == "mentee" and len(questions) == 10


def test_pair_page_form_refuses_with_a_clear_message(world, client_on, people):
    pair = people["pair"]
    curator = client_on(_host(world), world.curator_a)
    past = (organization_today() - timedelta(days=1)).isoformat()
    data = {"questionnaire": _intermediate_id(world), "point_on": past, "open_days": "14"}
    answer = curator.post(f"/org/questionnaires/pairs/{pair.pk}/feedback/new/", data)
    assert answer.status_code == 400
    assert "Дата обратной связи не может быть в прошлом." in answer.content.decode()
    same_day = {**data, "point_on": organization_today().isoformat()}
    answer = curator.post(f"/org/questionnaires/pairs/{pair.pk}/feedback/new/", same_day)
    assert answer.status_code == 400 and "уже назначена" in answer.content.decode()
    connection.set_tenant(world.school_a)
    assert QuestionnaireRun.objects.filter(pair=pair).count() == 1


def test_bulk_page_is_all_or_nothing(world, client_on, people):
    connection.set_tenant(world.school_a)
    other = _active_pair()
    draft = make_draft(make_mentor(), [make_mentee()])
    connection.set_schema_to_public()
    curator = client_on(_host(world), world.curator_a)
    listing = curator.get("/org/questionnaires/feedback/").content.decode()
    assert f'value="{other.pk}"' in listing and f'value="{draft.pk}"' not in listing
    point = (organization_today() + timedelta(days=2)).isoformat()
    data = {"questionnaire": _intermediate_id(world), "point_on": point, "open_days": "10"}
    refused = curator.post("/org/questionnaires/feedback/", {**data, "pairs": [other.pk, draft.pk]})
    assert refused.status_code == 400
    assert f"Пара (группа) № {draft.pk}: обратную связь можно назначить только" in refused.content.decode()
    connection.set_tenant(world.school_a)
    assert not QuestionnaireRun.objects.filter(pair=other).exists()
    connection.set_schema_to_public()
    done = curator.post("/org/questionnaires/feedback/", {**data, "pairs": [other.pk, people["pair"].pk]})
    assert done.status_code == 302
    connection.set_tenant(world.school_a)
    assert QuestionnaireRun.objects.filter(opens_on=organization_today() + timedelta(days=2)).count() == 2


def test_api_bad_input(world, client_on, people):
    pair = people["pair"]
    curator = client_on(_host(world), world.curator_a)
    url = f"/api/v1/org/questionnaires/pairs/{pair.pk}/points/"
    today = organization_today().isoformat()
    cases = [
        ({}, "questionnaire"),
        ({"questionnaire": 999999, "point_on": today}, "questionnaire"),
        ({"questionnaire": int(_intermediate_id(world)), "point_on": "вчера"}, "point_on"),
        ({"questionnaire": int(_intermediate_id(world)), "point_on": today}, "point_on"),  # duplicate
    ]
    for body, field in cases:
        answer = curator.post(url, body, content_type="application/json")
        assert answer.status_code == 400 and field in answer.json(), (body, answer.content)
    bulk = curator.post(
        "/api/v1/org/questionnaires/pairs/points/",
        {"questionnaire": int(_intermediate_id(world)), "point_on": today, "pairs": [pair.pk, 999999]},
        content_type="application/json",
    )
    assert bulk.status_code == 400 and "№ 999999 не найдена" in str(bulk.json())
    listing = curator.get(f"/api/v1/org/questionnaires/pairs/{pair.pk}/runs/").json()
    assert len(listing) == 1
    assert listing[0]["run"]["pair"] == pair.pk and listing[0]["mentees"][0]["answered"] is True
    assert listing[0]["mentor"]["answered"] is False
    connection.set_tenant(world.school_a)
    assert QuestionnaireRun.objects.count() == 1


def test_a_former_member_still_reads_own_answers_but_not_others(world, client_on, people):
    run = people["run"]
    connection.set_tenant(world.school_a)
    PairMentee.objects.filter(pair=people["pair"]).update(left_on=organization_today())
    connection.set_schema_to_public()
    mentee = client_on(_host(world), people["mentee"])
    assert run.title in mentee.get("/org/questionnaires/my/").content.decode()
    page = mentee.get(f"/org/questionnaires/my/{run.pk}/")
    assert page.status_code == 200 and MENTEE_SECRET in page.content.decode()
    assert mentee.get(f"/org/questionnaires/runs/{run.pk}/").status_code == 403
