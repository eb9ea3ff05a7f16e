"""Page of the curator's annual analytical report (tenant schema): the year's figures, the curator's
conclusions and proposals, and the DOCX with charts.

The curator, the council and the director see it; the curator and the council write the analysis;
everyone else gets 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from institutional.access import MANAGERS, OVERSEERS, has_any_role, roles_required
from institutional.dates import academic_year_label, organization_today
from institutional.documents.annual_report import annual_report_document, factual_conclusions, factual_proposals
from institutional.forms.common import BootstrapMixin, apply_errors
from institutional.selectors import annual_report as selectors
from institutional.services import annual_report as services
from institutional.services.annual_report import TEXT_MAX_LENGTH
from nastavnik.documents import docx_response
from tenants.models import Role


class AnnualReportForm(BootstrapMixin, forms.Form):
    conclusions = forms.CharField(
        label="Выводы",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Дополняют выводы, сформированные по данным; каждый абзац — с новой строки.",
    )
    proposals = forms.CharField(
        label="Предложения на следующий учебный год",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Каждое предложение — с новой строки.",
    )


def _year_from_query(request) -> tuple[int, str]:
    """The chosen year (the current one by default) and a message when the query named a wrong one."""
    raw = request.GET.get("year", "")
    if raw == "":
        return selectors.current_academic_year(), ""
    try:
        return selectors.academic_year_or_404(raw), ""
    except Http404:
        return selectors.current_academic_year(), "Учебный год указан неверно; показан текущий учебный год."


@require_http_methods(["GET", "POST"])
@roles_required(OVERSEERS)
def annual_report(request):
    year, year_error = _year_from_query(request)
    may_edit = has_any_role(request, MANAGERS)
    saved = services.annual_report_get(academic_year=year)
    initial = {"conclusions": saved.conclusions, "proposals": saved.proposals} if saved else {}
    form = AnnualReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Выводы и предложения вносят куратор и члены совета наставников.")
        if year_error:
            form.is_valid()
            form.add_error(None, "Учебный год указан неверно: выберите год из списка.")
        elif form.is_valid():
            try:
                services.annual_report_save(actor=request.user, academic_year=year, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Выводы и предложения за {academic_year_label(year)} учебный год сохранены.")
                return redirect(f"{reverse('institutional:annual_report')}?year={year}")
        status = 400
    data = selectors.annual_report_data(academic_year=year)
    return render(
        request,
        "institutional/reports/annual.html",
        {
            "data": data,
            "year": year,
            "years": [(y, academic_year_label(y)) for y in selectors.available_years()],
            "year_error": year_error,
            "form": form,
            "may_edit": may_edit,
            "saved": saved,
            "factual_conclusions": factual_conclusions(data),
            "factual_proposals": factual_proposals(data),
        },
        status=status,
    )


def curator_name(request) -> str:
    """The signed-in curator signs the report; others leave the name line blank."""
    if Role.CURATOR in set(getattr(request, "roles", ())):
        return request.user.get_short_name()
    return ""


def annual_report_docx_response(request, year: int):
    saved = services.annual_report_get(academic_year=year)
    document = annual_report_document(
        selectors.annual_report_data(academic_year=year),
        organization=request.tenant,
        conclusions=saved.conclusions if saved else "",
        proposals=saved.proposals if saved else "",
        curator_name=curator_name(request),
        today=organization_today(),
    )
    return docx_response(document, f"Аналитический отчёт {year}-{year + 1}.docx")


@require_GET
@roles_required(OVERSEERS)
def annual_report_docx(request, year: int):
    return annual_report_docx_response(request, selectors.academic_year_or_404(year))
