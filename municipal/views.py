"""Pages of a municipality's structured mentor base (mounted under /base/ in the `municipal` namespace).

Only the municipal coordinator of the municipality, on its own host (`municipal.access`). The list,
the card and the export read public tables only (the bank's published rows and the municipality's
verifications); adding a methodologist writes the municipality's own schema through the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.dates import organization_today
from institutional.forms.common import apply_errors
from institutional.selectors.regulation import rules_in_force
from municipal import selectors, services
from municipal.access import base_keeper_required
from municipal.forms import CategoryForm, MethodologistForm, VerificationForm
from nastavnik.xlsx import xlsx_response

PAGE_SIZE = 50


def _try(form, action):
    try:
        return action()
    except ValidationError as error:
        apply_errors(form, error, aliases={"category_ids": "categories"})
        return None


@require_GET
@base_keeper_required
def base(request):
    municipality = request.tenant
    filters = selectors.BaseFilters.from_query(request.GET)
    mentors = selectors.base_queryset(municipality=municipality, **filters.as_kwargs())
    page = Paginator(mentors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "municipal/base.html",
        {
            "rows": selectors.base_rows(page.object_list, municipality=municipality),
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "counts": selectors.status_counts(municipality=municipality),
            "organizations": selectors.district_organizations(municipality=municipality),
            "categories": selectors.category_list(municipality=municipality),
            "statuses": list(selectors.STATUS_LABELS.items()),
        },
    )


def _mentor_page(request, row, *, form=None, status=200):
    municipality = request.tenant
    categories = selectors.category_list(municipality=municipality)
    return render(
        request,
        "municipal/mentor.html",
        {
            "row": row,
            "mentor": row.mentor,
            "load": selectors.mentor_load(row.mentor),
            "is_own": row.mentor.organization_id == municipality.pk,
            "form": form or VerificationForm(initial=VerificationForm.initial_from(row), categories=categories),
            "has_categories": bool(categories),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@base_keeper_required
def mentor(request, pk: int):
    municipality = request.tenant
    bank_mentor = selectors.access_base_mentor(municipality=municipality, mentor_id=pk)
    row = selectors.base_row_get(municipality=municipality, mentor=bank_mentor)
    if request.method == "GET":
        return _mentor_page(request, row)
    form = VerificationForm(request.POST, categories=selectors.category_list(municipality=municipality))
    if form.is_valid():
        verification = _try(
            form,
            lambda: services.mentor_verify(
                actor=request.user, municipality=municipality, bank_mentor=bank_mentor, **form.values()
            ),
        )
        if verification is not None:
            messages.success(request, f"Проверка записана: {verification.get_status_display().lower()}.")
            return redirect("municipal:mentor", pk=bank_mentor.pk)
    return _mentor_page(request, row, form=form, status=400)


def _categories_page(request, *, form=None, status=200):
    return render(
        request,
        "municipal/categories.html",
        {
            "categories": selectors.category_list(municipality=request.tenant),
            "form": form or CategoryForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@base_keeper_required
def categories(request):
    if request.method == "GET":
        return _categories_page(request)
    form = CategoryForm(request.POST)
    if form.is_valid():
        category = _try(
            form,
            lambda: services.category_create(actor=request.user, municipality=request.tenant, **form.cleaned_data),
        )
        if category is not None:
            messages.success(request, f"Категория «{category.title}» добавлена.")
            return redirect("municipal:categories")
    return _categories_page(request, form=form, status=400)


@require_POST
@base_keeper_required
def category_rename(request, category_id: int):
    category = selectors.access_category(municipality=request.tenant, category_id=category_id)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_rename(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Категория переименована: «{category.title}».")
    else:
        messages.error(request, "Укажите название категории (не длиннее 150 символов).")
    return redirect("municipal:categories")


@require_POST
@base_keeper_required
def category_delete(request, category_id: int):
    category = selectors.access_category(municipality=request.tenant, category_id=category_id)
    title = category.title
    mentors = services.category_delete(actor=request.user, category=category)
    text = f"Категория «{title}» удалена."
    if mentors:
        text += f" Она снята с наставников: {mentors}."
    messages.success(request, text)
    return redirect("municipal:categories")


@require_http_methods(["GET", "POST"])
@base_keeper_required
def methodologist_add(request):
    municipality = request.tenant
    cap = rules_in_force().mentees_per_mentor_max
    if request.method == "GET":
        form = MethodologistForm(cap=cap, initial={"signed_on": organization_today(municipality)})
        return render(request, "municipal/methodologist_form.html", {"form": form})
    form = MethodologistForm(request.POST, request.FILES, cap=cap)
    if form.is_valid():
        added = _try(
            form,
            lambda: services.methodologist_add(actor=request.user, municipality=municipality, data=form.values()),
        )
        if added is not None:
            messages.success(
                request,
                f"{added.full_name} внесён(а) в банк наставников муниципалитета с подписанными согласиями. "
                "В базе наставник появится после обновления сводных данных (обычно в течение минуты).",
            )
            return redirect("municipal:base")
    return render(request, "municipal/methodologist_form.html", {"form": form}, status=400)


@require_GET
@base_keeper_required
def export(request):
    municipality = request.tenant
    filters = selectors.BaseFilters.from_query(request.GET)
    rows = selectors.base_list(municipality=municipality, **filters.as_kwargs())
    filename = f"База наставников {municipality.short_name} {organization_today(municipality):%Y-%m-%d}.xlsx"
    return xlsx_response(filename, [selectors.base_export_sheet(rows)])
