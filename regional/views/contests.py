"""Pages of the region's contests, on every tenant host of the region (public schema tables; the order of
encouragement is written in the organization's schema on its own host).

- region's host: the coordinator creates and edits contests, appoints the jury and moves the stages;
  the methodologist and the coordinator see every nomination;
- an organization's host: the director or the curator nominates, sees the organization's nominations
  and, after the results, makes the order of encouragement;
- any host: every member sees the announced contests and the published results; a juror scores.
Each view checks the host's level and the member's roles itself (regional.contests.access).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.dates import organization_today
from institutional.forms.common import apply_errors
from nastavnik.xlsx import xlsx_response
from regional.contests import access, encouragement, nominees, selectors, services
from regional.contests.forms import ContestForm, EncouragementOrderForm, JurorForm, NominationForm, ScoreForm
from regional.models import Contest
from tenants.models import Level


def _require_manager(request) -> None:
    if access.level_of(request) != Level.REGION:
        raise Http404("Страница не найдена")
    if not access.can_manage(request):
        raise PermissionDenied("Конкурсами региона управляет региональный координатор.")


def _require_nominator(request) -> None:
    if access.level_of(request) != Level.ORGANIZATION:
        raise Http404("Страница не найдена")
    if not access.can_nominate(request):
        raise PermissionDenied("Выдвигает участников руководитель или куратор организации.")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _is_window_open(contest: Contest) -> bool:
    today = organization_today(contest.region)
    return (
        contest.status == Contest.Status.NOMINATION and contest.nominations_from <= today <= contest.nominations_until
    )


# --- list, create, edit -----------------------------------------------------------------------------------


@require_GET
def contest_list(request):
    contests = list(selectors.contest_list(request).select_related("region"))
    context = {
        "contests": contests,
        "can_manage": access.can_manage(request),
        "juries": list(selectors.juror_contests(request)),
        "today": organization_today(selectors.region_of(request.tenant)),
    }
    return render(request, "regional/contests/list.html", context)


def _form_page(request, form, *, contest=None, status=200):
    return render(request, "regional/contests/form.html", {"form": form, "contest": contest}, status=status)


@require_http_methods(["GET", "POST"])
def contest_create(request):
    _require_manager(request)
    if request.method == "GET":
        return _form_page(request, ContestForm())
    form = ContestForm(request.POST)
    if form.is_valid():
        try:
            contest = services.contest_create(actor=request.user, region=request.tenant, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Конкурс «{contest.title}» создан. Назначьте жюри и объявите конкурс.")
            return redirect("contests:detail", contest_id=contest.pk)
    return _form_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def contest_edit(request, contest_id: int):
    _require_manager(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    if request.method == "GET":
        if contest.status != Contest.Status.DRAFT:
            messages.error(request, "Изменять условия можно только до объявления конкурса.")
            return redirect("contests:detail", contest_id=contest.pk)
        return _form_page(request, ContestForm(contest=contest), contest=contest)
    form = ContestForm(request.POST, contest=contest)
    if form.is_valid():
        try:
            services.contest_update(actor=request.user, contest=contest, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Условия конкурса сохранены.")
            return redirect("contests:detail", contest_id=contest.pk)
    return _form_page(request, form, contest=contest, status=400)


# --- the contest page -----------------------------------------------------------------------------------


def _detail_context(request, contest: Contest, **extra) -> dict:
    is_region_staff = access.is_region_staff(request)
    can_manage = access.can_manage(request)
    is_juror = selectors.is_juror(contest, request.user)
    can_nominate = access.can_nominate(request)
    context = {
        "contest": contest,
        "steps": selectors.stage_steps(contest),
        "can_manage": can_manage,
        "is_region_staff": is_region_staff,
        "is_juror": is_juror,
        "can_nominate": can_nominate,
        "window_open": _is_window_open(contest),
        "nominations": list(selectors.nominations_visible(request, contest)),
        "sees_nominations": is_region_staff
        or access.sees_municipality_nominations(request)
        or access.sees_organization_nominations(request),
        "jurors": selectors.jurors(contest) if is_region_staff else [],
        "juror_form": extra.pop("juror_form", None) or JurorForm(),
        "progress": selectors.scoring_progress(contest)
        if is_region_staff and contest.status == Contest.Status.JUDGING
        else [],
        "results": selectors.result_rows(contest, with_marks=is_region_staff),
        "is_badge": contest.kind == Contest.Kind.HONORARY_BADGE,
        "is_results": contest.status == Contest.Status.RESULTS,
    }
    if is_region_staff and context["results"]:
        context["result_jurors"] = selectors.jurors(contest)
    if can_nominate and contest.status == Contest.Status.RESULTS:
        own = selectors.organization_nominations(contest, request.tenant)
        context["own_nominations"] = own
        context["encouragement_order"] = encouragement.encouragement_order_of(contest) if own else None
    context.update(extra)
    return context


@require_GET
def contest_detail(request, contest_id: int):
    contest = selectors.access_contest(request, contest_id=contest_id)
    return render(request, "regional/contests/detail.html", _detail_context(request, contest))


@require_POST
def juror_add(request, contest_id: int):
    _require_manager(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    form = JurorForm(request.POST)
    if form.is_valid():
        try:
            juror = services.juror_add(actor=request.user, contest=contest, email=form.cleaned_data["email"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{juror.user.get_full_name()} включён(а) в жюри.")
            return redirect("contests:detail", contest_id=contest.pk)
    return render(
        request, "regional/contests/detail.html", _detail_context(request, contest, juror_form=form), status=400
    )


@require_POST
def juror_remove(request, contest_id: int, user_id: int):
    _require_manager(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    try:
        services.juror_remove(actor=request.user, contest=contest, user_id=user_id)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Член жюри исключён из состава; его оценки в этом конкурсе удалены.")
    return redirect("contests:detail", contest_id=contest.pk)


STAGE_ACTIONS = {
    "announce": (services.contest_announce, "Конкурс объявлен: организации региона могут выдвигать участников."),
    "close": (services.contest_close_nominations, "Приём выдвижений закрыт: жюри оценивает выдвижения."),
    "publish": (services.contest_publish_results, "Итоги конкурса опубликованы."),
}


@require_POST
def contest_stage(request, contest_id: int, action: str):
    _require_manager(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    if action not in STAGE_ACTIONS:
        raise Http404("Страница не найдена")
    service, text = STAGE_ACTIONS[action]
    try:
        service(actor=request.user, contest=contest)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, text)
    return redirect("contests:detail", contest_id=contest.pk)


# --- nominations (an organization's host) ------------------------------------------------------------------


def _candidates(contest: Contest):
    if contest.kind == Contest.Kind.BEST_PAIR:
        return nominees.pair_candidates()
    return nominees.mentor_candidates()


@require_http_methods(["GET", "POST"])
def nominate(request, contest_id: int):
    _require_nominator(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    candidates = _candidates(contest)
    if request.method == "GET":
        form = NominationForm(contest=contest, candidates=candidates)
        return render(
            request,
            "regional/contests/nominate.html",
            {"contest": contest, "form": form, "window_open": _is_window_open(contest)},
        )
    form = NominationForm(request.POST, contest=contest, candidates=candidates)
    if form.is_valid():
        try:
            nomination = services.nomination_submit(
                actor=request.user,
                organization=request.tenant,
                contest=contest,
                justification=form.cleaned_data["justification"],
                **form.nominee(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Выдвижение принято: {nomination.nominee_name}.")
            return redirect("contests:detail", contest_id=contest.pk)
    return render(
        request,
        "regional/contests/nominate.html",
        {"contest": contest, "form": form, "window_open": _is_window_open(contest)},
        status=400,
    )


@require_POST
def nomination_withdraw(request, contest_id: int, nomination_id: int):
    _require_nominator(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    nomination = selectors.own_nomination(request, contest, nomination_id=nomination_id)
    try:
        services.nomination_withdraw(actor=request.user, organization=request.tenant, nomination=nomination)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Выдвижение отозвано.")
    return redirect("contests:detail", contest_id=contest.pk)


# --- the jury ---------------------------------------------------------------------------------------------


def _require_juror(request, contest: Contest) -> None:
    if not selectors.is_juror(contest, request.user):
        raise PermissionDenied("Эта страница — для членов жюри конкурса.")


def _jury_page(request, contest: Contest, *, failed: tuple[int, ScoreForm] | None = None, status=200):
    rows = []
    for row in selectors.jury_rows(contest, request.user):
        if failed and failed[0] == row.nomination.pk:
            form = failed[1]
        else:
            form = ScoreForm(contest=contest, scores=row.scores, prefix=f"n{row.nomination.pk}")
        rows.append({"row": row, "form": form})
    context = {
        "contest": contest,
        "rows": rows,
        "is_judging": contest.status == Contest.Status.JUDGING,
        "scored": sum(1 for item in rows if item["row"].is_complete),
    }
    return render(request, "regional/contests/jury.html", context, status=status)


@require_GET
def jury(request, contest_id: int):
    contest = selectors.access_contest(request, contest_id=contest_id)
    _require_juror(request, contest)
    return _jury_page(request, contest)


@require_POST
def score(request, contest_id: int, nomination_id: int):
    contest = selectors.access_contest(request, contest_id=contest_id)
    _require_juror(request, contest)
    nomination = selectors.access_nomination(contest, nomination_id=nomination_id)
    form = ScoreForm(request.POST, contest=contest, prefix=f"n{nomination.pk}")
    form.is_valid()  # CharFields: always valid; the service checks the scale
    try:
        services.scores_submit(actor=request.user, nomination=nomination, values=form.values())
    except ValidationError as error:
        apply_errors(form, error)
        messages.error(request, "Оценки не сохранены: " + _error_text(error))
        return _jury_page(request, contest, failed=(nomination.pk, form), status=400)
    messages.success(request, f"Оценки сохранены: {nomination.nominee_name}.")
    return redirect(reverse("contests:jury", args=[contest.pk]) + f"#nomination-{nomination.pk}")


# --- results ----------------------------------------------------------------------------------------------


@require_GET
def results_xlsx(request, contest_id: int):
    contest = selectors.access_contest(request, contest_id=contest_id)
    if contest.status != Contest.Status.RESULTS:
        raise Http404("Итоги конкурса ещё не опубликованы.")
    rows = [
        [
            row.place or "",
            row.nomination.nominee_name,
            row.nomination.nominee_position,
            row.nomination.organization.short_name,
            row.total,
        ]
        for row in selectors.result_rows(contest)
    ]
    headers = ["Место", "Участник", "Должность", "Организация", "Итоговый балл"]
    return xlsx_response(f"Итоги конкурса {contest.pk}.xlsx", [("Итоги", headers, rows)])


@require_http_methods(["GET", "POST"])
def encouragement_order(request, contest_id: int):
    _require_nominator(request)
    contest = selectors.access_contest(request, contest_id=contest_id)
    if contest.status != Contest.Status.RESULTS:
        messages.error(request, "Приказ о поощрении формируется после публикации итогов конкурса.")
        return redirect("contests:detail", contest_id=contest.pk)
    existing = encouragement.encouragement_order_of(contest)
    if existing is not None:
        messages.info(request, f"Приказ о поощрении по итогам конкурса уже сформирован: {existing}.")
        return redirect("institutional:order_detail", order_id=existing.pk)
    own = selectors.organization_nominations(contest, request.tenant)
    form = EncouragementOrderForm(
        request.POST or None, initial={"order_date": organization_today(request.tenant).isoformat()}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                order = encouragement.contest_encouragement_order_create(
                    actor=request.user,
                    organization=request.tenant,
                    contest=contest,
                    number=form.cleaned_data["order_number"],
                    day=form.cleaned_data["order_date"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Проект приказа № {order.number} о поощрении внесён в реестр. Скачайте DOCX, подпишите "
                    "и прикрепите скан подписанного приказа.",
                )
                return redirect("institutional:order_detail", order_id=order.pk)
    context = {
        "contest": contest,
        "form": form,
        "winners": [n for n in own if n.place is not None],
        "participants": [n for n in own if n.place is None],
        "is_badge": contest.kind == Contest.Kind.HONORARY_BADGE,
    }
    return render(request, "regional/contests/encouragement.html", context, status=status)
