"""Pages of statistical exports on a region's and a municipality's host (public schema only).

The list page starts a background export of the host's scope (or, on a region's host, of one of its
municipalities) and shows the recent ones; a job's page shows its progress (htmx polling) and the
download link. One organization's workbook is built at once, without a job.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from analytics import exports
from analytics.access import monitoring_required
from analytics.kpi import Period
from analytics.models import ExportJob
from institutional.dates import academic_year_label
from institutional.forms.common import DATE_WIDGET, BootstrapMixin, apply_errors
from nastavnik.xlsx import _attachment

YEARS_BACK = 5


class ExportStartForm(BootstrapMixin, forms.Form):
    PERIOD_CHOICES = [("year", "Учебный год"), ("custom", "Произвольный период")]

    scope = forms.TypedChoiceField(label="Охват", coerce=int)
    period_kind = forms.ChoiceField(
        label="Период",
        choices=PERIOD_CHOICES,
        initial="year",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    academic_year = forms.TypedChoiceField(label="Учебный год", coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label="С", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="По", required=False, widget=DATE_WIDGET)
    format = forms.ChoiceField(label="Формат", choices=ExportJob.Format.choices, initial=ExportJob.Format.XLSX)

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = {scope.pk: scope for scope in exports.export_scopes(host)}
        self.fields["scope"].choices = [
            (pk, f"{scope.short_name} — весь регион" if pk == host.pk and len(self.scopes) > 1 else scope.short_name)
            for pk, scope in self.scopes.items()
        ]
        self.fields["scope"].initial = host.pk
        current = exports.current_academic_year(host)
        self.fields["academic_year"].choices = [
            (year, academic_year_label(year)) for year in range(current, current - YEARS_BACK - 1, -1)
        ]
        self.fields["academic_year"].initial = current

    def clean(self):
        data = super().clean()
        if data.get("period_kind") == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if start is None and "date_from" not in self.errors:
                self.add_error("date_from", "Укажите начало периода.")
            if end is None and "date_to" not in self.errors:
                self.add_error("date_to", "Укажите окончание периода.")
            if start is not None and end is not None:
                try:
                    exports.period_check(start, end)
                except ValidationError as error:
                    self.add_error("date_to", error.messages)
                else:
                    data["period"] = Period(start, end)
        elif data.get("period_kind") == "year":
            if data.get("academic_year") is None:
                if "academic_year" not in self.errors:
                    self.add_error("academic_year", "Выберите учебный год.")
            else:
                data["period"] = Period.academic_year(data["academic_year"])
        if data.get("scope") is not None:
            data["scope_organization"] = self.scopes[data["scope"]]
        return data


@monitoring_required()
def export_list(request):
    host = request.tenant
    form = ExportStartForm(request.POST or None, host=host)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            job = exports.export_job_start(
                actor=request.user,
                scope=form.cleaned_data["scope_organization"],
                format=form.cleaned_data["format"],
                period_start=period.start,
                period_end=period.end,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Выгрузка поставлена в очередь; файл появится здесь, когда будет готов.")
            return redirect("monitoring:export_detail", job_id=job.pk)
    return render(
        request,
        "analytics/exports/list.html",
        {"form": form, "jobs": exports.export_job_list(host=host)},
    )


@monitoring_required()
@require_GET
def export_detail(request, job_id: int):
    job = exports.access_export_job(host=request.tenant, job_id=job_id)
    template = "analytics/exports/_progress.html" if request.htmx else "analytics/exports/detail.html"
    return render(request, template, {"job": job})


def _file_response(content: bytes, *, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(file_name)
    return response


@monitoring_required()
@require_GET
def export_download(request, job_id: int):
    job = exports.access_export_job(host=request.tenant, job_id=job_id)
    if job.status != ExportJob.Status.DONE:
        messages.warning(request, "Файл ещё не готов: дождитесь окончания выгрузки.")
        return redirect("monitoring:export_detail", job_id=job.pk)
    return _file_response(
        exports.export_job_content(job), content_type=exports.job_content_type(job), file_name=job.file_name
    )


def _parse_date(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"Дата «{name}» указана неверно: ожидается ГГГГ-ММ-ДД.") from None


def period_from_query(query, host) -> Period:
    """The period of `?from=&to=` (both or neither; default: the current academic year)."""
    raw_from, raw_to = query.get("from", "").strip(), query.get("to", "").strip()
    if not raw_from and not raw_to:
        return Period.academic_year(exports.current_academic_year(host))
    if not raw_from or not raw_to:
        raise ValidationError("Укажите и начало, и окончание периода.")
    return exports.period_check(_parse_date(raw_from, "с"), _parse_date(raw_to, "по"))


@monitoring_required()
@require_GET
def export_organization(request, organization_id: int):
    organization = exports.access_export_organization(host=request.tenant, organization_id=organization_id)
    file_format = request.GET.get("format", ExportJob.Format.XLSX)
    try:
        period = period_from_query(request.GET, request.tenant)
        built = exports.organization_export(organization=organization, period=period, file_format=file_format)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, f"Выгрузка организации не сформирована: {text}")
        return redirect("monitoring:export_list")
    return _file_response(built.content, content_type=built.content_type, file_name=built.file_name)
