"""Pages of the questionnaire engine (tenant schema): managing questionnaires and runs, answering, results.

Thin: parse with a form, call one service or selector, render. The curator and the council manage;
the director also reads the list and the results; every member with a staff record answers the
runs meant for them and sees only their own answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from institutional.access import MANAGERS, OVERSEERS, has_any_role, own_staff, roles_required
from institutional.dates import organization_today
from institutional.forms.common import apply_errors
from institutional.forms.questionnaires import (
    FeedbackPointForm,
    FeedbackPointsForm,
    QuestionForm,
    QuestionnaireCreateForm,
    QuestionnaireForm,
    RunForm,
    answer_widgets,
    answers_from_post,
)
from institutional.models import Pair
from institutional.selectors import questionnaires as selectors
from institutional.selectors.pairs import access_pair
from institutional.services import questionnaires as services
from nastavnik.xlsx import xlsx_response
from regional.models import DocumentTemplate
from regional.selectors import newer_version, template_list


def _label_runs(runs: list) -> list:
    today = organization_today()
    for run in runs:
        run.status_label = selectors.run_status(run, today)
    return runs


def _detail_url(questionnaire) -> str:
    return reverse("institutional:questionnaire_detail", args=[questionnaire.pk])


# Questionnaires ------------------------------------------------------------------------------


@roles_required(OVERSEERS)
def questionnaire_list(request):
    questionnaires = list(selectors.questionnaire_list())
    _label_runs([run for questionnaire in questionnaires for run in questionnaire.runs.all()])
    return render(
        request,
        "institutional/questionnaires/list.html",
        {"questionnaires": questionnaires, "can_manage": has_any_role(request, MANAGERS)},
    )


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def questionnaire_create(request):
    """A new questionnaire: an empty one, or one with the questions of a model questionnaire."""
    if request.method == "POST" and "template_id" in request.POST:
        try:
            questionnaire = services.questionnaire_create_from_template(
                actor=request.user, template_id=request.POST["template_id"]
            )
        except Http404:
            messages.error(request, "Модельная анкета не найдена или не применяется в вашей организации.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Анкета «{questionnaire.title}» создана по модели. Проверьте вопросы.")
            return redirect(_detail_url(questionnaire))
        return redirect("institutional:questionnaire_create")
    form = QuestionnaireCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Анкета создана. Добавьте в неё вопросы.")
            return redirect(_detail_url(questionnaire))
    return render(
        request,
        "institutional/questionnaires/form.html",
        {
            "form": form,
            "heading": "Новая анкета",
            "submit": "Создать",
            "back": reverse("institutional:questionnaire_list"),
            "models": template_list(kind=DocumentTemplate.Kind.QUESTIONNAIRE, organization=request.tenant),
        },
        status=400 if form.errors else 200,
    )


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def questionnaire_detail(request, questionnaire_id: int):
    questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id, roles=MANAGERS)
    form = QuestionnaireForm(
        request.POST or None, initial={"title": questionnaire.title, "description": questionnaire.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_update(actor=request.user, questionnaire=questionnaire, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Название и пояснение сохранены.")
            return redirect(_detail_url(questionnaire))
    return render(
        request,
        "institutional/questionnaires/detail.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "questions": questionnaire.questions.order_by("position"),
            "has_responses": selectors.questionnaire_has_responses(questionnaire=questionnaire),
            "runs": _label_runs(list(selectors.run_list().filter(questionnaire=questionnaire))),
            "newer_template": newer_version(questionnaire.template_id, questionnaire.template_version),
        },
        status=400 if form.errors else 200,
    )


@roles_required(MANAGERS)
@require_POST
def questionnaire_duplicate(request, questionnaire_id: int):
    questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id, roles=MANAGERS)
    copy = services.questionnaire_duplicate(actor=request.user, questionnaire=questionnaire)
    messages.success(request, f"Создана копия анкеты «{questionnaire.title}».")
    return redirect(_detail_url(copy))


@roles_required(MANAGERS)
@require_POST
def questionnaire_archive(request, questionnaire_id: int):
    questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id, roles=MANAGERS)
    to_archive = request.POST.get("is_archived", "1") != "0"
    services.questionnaire_set_archived(actor=request.user, questionnaire=questionnaire, is_archived=to_archive)
    messages.success(request, "Анкета перенесена в архив." if to_archive else "Анкета возвращена из архива.")
    return redirect("institutional:questionnaire_list")


# Questions -----------------------------------------------------------------------------------


def _question_form_page(request, form, questionnaire, heading, locked=False):
    return render(
        request,
        "institutional/questionnaires/question_form.html",
        {"form": form, "questionnaire": questionnaire, "heading": heading, "locked": locked},
        status=400 if form.errors else 200,
    )


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def question_add(request, questionnaire_id: int):
    questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id, roles=MANAGERS)
    form = QuestionForm(request.POST or None, initial={"is_required": True, "scale_min": 1, "scale_max": 5})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(actor=request.user, questionnaire=questionnaire, data=form.question_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Вопрос добавлен.")
            return redirect(_detail_url(questionnaire))
    return _question_form_page(request, form, questionnaire, "Новый вопрос")


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def question_edit(request, question_id: int):
    question = selectors.access_question(request=request, question_id=question_id)
    questionnaire = question.questionnaire
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, data=form.question_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Вопрос сохранён.")
            return redirect(_detail_url(questionnaire))
    locked = selectors.questionnaire_has_responses(questionnaire=questionnaire)
    return _question_form_page(request, form, questionnaire, f"Вопрос № {question.position}", locked=locked)


@roles_required(MANAGERS)
@require_POST
def question_delete(request, question_id: int):
    question = selectors.access_question(request=request, question_id=question_id)
    questionnaire = question.questionnaire
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Вопрос удалён.")
    return redirect(_detail_url(questionnaire))


@roles_required(MANAGERS)
@require_POST
def question_move(request, question_id: int):
    question = selectors.access_question(request=request, question_id=question_id)
    try:
        services.question_move(actor=request.user, question=question, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(question.questionnaire))


# Runs ----------------------------------------------------------------------------------------


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def run_create(request, questionnaire_id: int):
    questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id, roles=MANAGERS)
    form = RunForm(request.POST or None, initial={"title": questionnaire.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.run_create(actor=request.user, questionnaire=questionnaire, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Опрос создан.")
            return redirect(_detail_url(questionnaire))
    return render(
        request,
        "institutional/questionnaires/form.html",
        {
            "form": form,
            "heading": f"Новый опрос по анкете «{questionnaire.title}»",
            "submit": "Создать опрос",
            "back": _detail_url(questionnaire),
        },
        status=400 if form.errors else 200,
    )


@roles_required(MANAGERS)
@require_POST
def run_close(request, run_id: int):
    run = selectors.access_run(request=request, run_id=run_id, roles=MANAGERS)
    try:
        services.run_close(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Опрос «{run.title}» закрыт. Новые ответы не принимаются.")
    return redirect(_detail_url(run.questionnaire))


@roles_required(OVERSEERS)
def run_results(request, run_id: int):
    run = selectors.access_run(request=request, run_id=run_id)
    results = selectors.run_results(run=run)
    return render(
        request,
        "institutional/questionnaires/results.html",
        {
            "run": run,
            "results": results,
            "status": selectors.run_status(run),
            "can_manage": has_any_role(request, MANAGERS),
        },
    )


@roles_required(OVERSEERS)
def run_results_xlsx(request, run_id: int):
    run = selectors.access_run(request=request, run_id=run_id)
    sheets = selectors.run_results_sheets(selectors.run_results(run=run))
    return xlsx_response(f"Результаты опроса {run.pk}.xlsx", sheets)


# Runs of a pair ------------------------------------------------------------------------------


def pair_feedback_context(request, pair) -> dict:
    """What the pair page's section «Анкеты пары» needs (the pair page is for STAFF_READERS)."""
    can_add = has_any_role(request, MANAGERS) and pair.status in (Pair.Status.APPROVED, Pair.Status.ACTIVE)
    return {
        "rows": selectors.pair_runs(pair=pair),
        "can_read_results": has_any_role(request, OVERSEERS),
        "form": FeedbackPointForm(initial={"point_on": max(organization_today(), pair.starts_on)}) if can_add else None,
    }


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def pair_point_create(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    form = FeedbackPointForm(request.POST or None, initial={"point_on": max(organization_today(), pair.starts_on)})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.pair_feedback_point_create(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Назначена обратная связь: «{run.title}».")
            return redirect("institutional:pair_detail", pair_id=pair.pk)
    return render(
        request,
        "institutional/questionnaires/form.html",
        {
            "form": form,
            "heading": f"Промежуточная обратная связь: пара (группа) № {pair.pk}",
            "submit": "Назначить",
            "back": reverse("institutional:pair_detail", args=[pair.pk]),
        },
        status=400 if form.errors else 200,
    )


@roles_required(MANAGERS)
@require_http_methods(["GET", "POST"])
def feedback_points(request):
    """The same intermediate feedback point for several pairs at once (all or nothing)."""
    pairs = list(selectors.open_pairs())
    initial = {"point_on": organization_today(), "pairs": request.GET.getlist("pair")}
    form = FeedbackPointsForm(request.POST or None, initial=initial, open_pairs=pairs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            runs = services.pair_feedback_points_create(
                actor=request.user,
                pairs=list(data["pairs"]),
                questionnaire=data["questionnaire"],
                point_on=data["point_on"],
                open_days=data["open_days"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Назначена обратная связь для пар (групп): {len(runs)}.")
            return redirect("institutional:questionnaire_list")
    chosen = {str(value) for value in (form["pairs"].value() or [])}
    return render(
        request,
        "institutional/questionnaires/feedback_points.html",
        {"form": form, "pairs": pairs, "chosen": chosen},
        status=400 if form.errors else 200,
    )


# Answering -----------------------------------------------------------------------------------


def my_questionnaires(request):
    staff = own_staff(request)
    items = selectors.my_runs(staff=staff) if staff is not None else []
    return render(request, "institutional/questionnaires/my.html", {"staff": staff, "items": items})


def _own_answers(response) -> list[tuple[str, str]]:
    if response is None:
        return []
    answers = sorted(response.answers.all(), key=lambda answer: answer.question.position)
    return [(answer.question.text, selectors.answer_display(answer.value)) for answer in answers]


def _role_prefilled(run, staff, questions) -> dict:
    """A pair's run: the question «your role» comes ticked with the respondent's role in the pair."""
    question = services.role_question_of(questions)
    role = selectors.pair_role(pair=run.pair, staff=staff)
    if question is None or not role:
        return {}
    return {question.pk: services.role_answer(role)}


@require_http_methods(["GET", "POST"])
def questionnaire_answer(request, run_id: int):
    run, staff = selectors.access_run_for_respondent(request=request, run_id=run_id)
    questions = list(run.questionnaire.questions.order_by("position"))
    values, errors, refusal, status = {}, {}, "", 200
    if request.method == "POST":
        values = answers_from_post(questions, request.POST)
        try:
            services.response_submit(actor=request.user, run=run, respondent=staff, answers=values)
        except services.AnswersInvalid as error:
            errors, status = error.question_errors, 400
            messages.error(request, error.message)
        except services.ResponseRejected as error:
            refusal, status = error.message, 400
        else:
            messages.success(request, "Спасибо! Ваши ответы сохранены.")
            return redirect("institutional:my_questionnaires")
    if request.method == "GET" and run.pair_id:
        values = _role_prefilled(run, staff, questions)
    response = run.responses.filter(respondent=staff).prefetch_related("answers__question").first()
    if not refusal and response is None and not run.is_open_on(organization_today()):
        refusal = (
            f"Опрос сейчас не проводится: ответы принимаются с {run.opens_on:%d.%m.%Y} по {run.closes_on:%d.%m.%Y}."
        )
    return render(
        request,
        "institutional/questionnaires/answer.html",
        {
            "run": run,
            "questionnaire": run.questionnaire,
            "items": answer_widgets(questions, values, errors),
            "response": response,
            "own_answers": _own_answers(response),
            "refusal": refusal,
        },
        status=status,
    )
