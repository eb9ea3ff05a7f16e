"""Pages of best practices (every tenant host; each view checks the level and the roles itself).

- the regional bank (`list`): published cases of the host's region, for every member of any level;
- «Кейсы нашей организации» (an organization's host, curator/council/director): its cases and the
  completed programs a case may be written from; the case's edit page with its materials;
- «На рассмотрении» (the municipality's coordinator; the region's coordinator and methodologist):
  the cases waiting for their decision; the decision itself is on the case's page.

The pages read and write public tables; only «Написать кейс» and the list of completed programs read
the organization's own schema (the host's).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tenants.utils import schema_context

from institutional.forms.common import apply_errors
from nastavnik.uploads import stored_file_response
from regional.models import PracticeMaterial
from regional.practices import selectors, services, source
from regional.practices.access import (
    access_case,
    can_write,
    may_edit,
    may_review,
    region_of,
    review_level,
    sees_reviews,
)
from regional.practices.forms import CaseForm, MaterialForm, ReviewForm
from tenants.models import Level

PAGE_SIZE = 20


def _require_writer(request) -> None:
    if request.tenant.level != Level.ORGANIZATION:
        raise Http404("Страница не найдена")
    if not can_write(request):
        raise PermissionDenied("Кейсы организации пишут куратор, члены совета наставников и руководитель.")


def _require_reviewer(request) -> None:
    if request.tenant.level not in (Level.MUNICIPALITY, Level.REGION):
        raise Http404("Страница не найдена")
    if review_level(request) is None:
        raise PermissionDenied(
            "Кейсы рассматривают муниципальный координатор, региональный координатор и региональный методист."
        )


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- the regional bank -------------------------------------------------------------------------------


@require_GET
def practice_list(request):
    region = region_of(request.tenant)
    filters = selectors.BankFilters.from_query(request.GET, region=region)
    page = Paginator(selectors.bank_cases(region=region, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.describe_all(page.object_list)
    level = review_level(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regional/practices/list.html",
        {
            "page": page,
            "filters": filters,
            "choices": selectors.bank_choices(region),
            "region": region,
            "can_write": can_write(request),
            "review_level": level,
            "waiting": selectors.review_queue(request.tenant).count() if level else 0,
            "query": query.urlencode(),
        },
    )


# --- the organization's cases -------------------------------------------------------------------------


@require_GET
def organization_cases(request):
    _require_writer(request)
    organization = request.tenant
    cases = selectors.describe_all(selectors.organization_cases(organization))
    programs = source.completed_programs(exclude_ids=selectors.live_program_ids(organization))
    return render(request, "regional/practices/mine.html", {"cases": cases, "programs": programs})


@require_POST
def case_start(request, program_id: int):
    _require_writer(request)
    try:
        case = services.case_start(actor=request.user, program_id=program_id)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("practices:mine")
    messages.success(
        request,
        "Черновик кейса заполнен по программе. Опишите проблему, уточните достигнутые результаты и направьте кейс "
        "на рассмотрение.",
    )
    return redirect("practices:edit", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def case_edit(request, case_id: int):
    case = access_case(request=request, case_id=case_id)
    if not may_edit(request, case):
        raise Http404("Кейс не найден.")
    form = CaseForm(request.POST or None, initial=CaseForm.initial_of(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=request.user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Кейс сохранён.")
            if "submit" in request.POST:
                return _submit(request, case)
            return redirect("practices:detail", case_id=case.pk)
    return render(
        request,
        "regional/practices/edit.html",
        {
            "case": selectors.describe(case),
            "form": form,
            "material_form": MaterialForm(),
            "materials": case.files.order_by("pk"),
            "reviews": selectors.case_reviews(case),
        },
        status=400 if request.method == "POST" else 200,
    )


def _submit(request, case):
    try:
        case = services.case_submit(actor=request.user, case=case)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("practices:edit", case_id=case.pk)
    messages.success(request, f"Кейс направлен: {case.get_status_display().lower()}.")
    return redirect("practices:detail", case_id=case.pk)


@require_POST
def case_submit(request, case_id: int):
    case = access_case(request=request, case_id=case_id)
    if not may_edit(request, case):
        raise Http404("Кейс не найден.")
    return _submit(request, case)


@require_POST
def material_add(request, case_id: int):
    case = access_case(request=request, case_id=case_id)
    if not may_edit(request, case):
        raise Http404("Кейс не найден.")
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файл материала.")
        return redirect("practices:edit", case_id=case.pk)
    try:
        material = services.material_add(
            actor=request.user, case=case, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, f"Материал «{material.title}» приложен.")
    return redirect("practices:edit", case_id=case.pk)


def _material(request, case_id: int, material_id: int) -> tuple:
    case = access_case(request=request, case_id=case_id)
    material = PracticeMaterial.objects.filter(pk=material_id, case=case).first()
    if material is None:
        raise Http404("Материал не найден.")
    return case, material


@require_GET
def material_download(request, case_id: int, material_id: int):
    case, material = _material(request, case_id, material_id)
    # Kept with the organization's own uploads, whichever host asks for it.
    with schema_context(case.organization.schema_name):
        return stored_file_response(material.file)


@require_POST
def material_delete(request, case_id: int, material_id: int):
    case, material = _material(request, case_id, material_id)
    if not may_edit(request, case):
        raise Http404("Кейс не найден.")
    try:
        services.material_remove(actor=request.user, material=material)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, f"Материал «{material.title}» удалён.")
    return redirect("practices:edit", case_id=case.pk)


# --- the case and the decisions ---------------------------------------------------------------------------


def _detail(request, case, *, review_form=None, status=200):
    return render(
        request,
        "regional/practices/detail.html",
        {
            "case": selectors.describe(case),
            "materials": case.files.order_by("pk"),
            "reviews": selectors.case_reviews(case),
            "may_edit": may_edit(request, case),
            "may_review": may_review(request, case),
            "review_form": review_form or ReviewForm(),
            "is_own": case.organization_id == request.tenant.pk and can_write(request),
            "sees_reviews": sees_reviews(request, case),
        },
        status=status,
    )


@require_GET
def case_detail(request, case_id: int):
    return _detail(request, access_case(request=request, case_id=case_id))


@require_POST
def case_review(request, case_id: int):
    _require_reviewer(request)
    case = access_case(request=request, case_id=case_id)
    if not may_review(request, case):
        messages.error(
            request, f"Кейс «{case.title}» {case.get_status_display().lower()}: решение здесь не принимается."
        )
        return redirect("practices:detail", case_id=case.pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.case_review(
                actor=request.user,
                case=case,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            case.refresh_from_db()
            messages.success(request, f"Решение принято: {review.get_decision_display().lower()}. {_after(case)}")
            if case.status == case.Status.PUBLISHED:
                return redirect("practices:detail", case_id=case.pk)
            return redirect("practices:queue")
    return _detail(request, case, review_form=form, status=400)


def _after(case) -> str:
    return {
        case.Status.REGIONAL_REVIEW: "Кейс передан на модерацию в регион.",
        case.Status.PUBLISHED: "Кейс опубликован в региональном банке практик.",
        case.Status.RETURNED: "Кейс возвращён организации на доработку.",
        case.Status.REJECTED: "Кейс отклонён.",
    }.get(case.status, "")


@require_GET
def review_queue(request):
    _require_reviewer(request)
    tenant = request.tenant
    cases = selectors.describe_all(selectors.review_queue(tenant))
    forwarded = selectors.forwarded_cases(tenant) if tenant.level == Level.MUNICIPALITY else []
    return render(
        request,
        "regional/practices/queue.html",
        {"cases": cases, "forwarded": forwarded, "level": review_level(request)},
    )
