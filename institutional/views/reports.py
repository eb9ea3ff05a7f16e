"""Pages of final reports (tenant schema). Thin: access → form → service → redirect.

The curator, the council and the director see every ended pair with each expected report; an
author sees their own reports in «Мои отчёты». A mentee's report is hidden from the mentor.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from institutional.access import OVERSEERS, own_staff, roles_required
from institutional.documents.reports import report_document
from institutional.forms.common import apply_errors
from institutional.forms.reports import form_for
from institutional.models import FinalReport
from institutional.selectors import reports as selectors
from institutional.selectors.regulation import rules_in_force
from institutional.services import reports as services
from nastavnik.documents import docx_response


@require_GET
@roles_required(OVERSEERS)
def report_list(request):
    return render(
        request,
        "institutional/reports/list.html",
        {"groups": selectors.reports_overview(), "report_days": rules_in_force().report_days},
    )


@require_GET
def report_my(request):
    rows = selectors.my_expected_reports(request)
    return render(
        request,
        "institutional/reports/my.html",
        {
            "pending": [r for r in rows if r.report is None],
            "submitted": [r for r in rows if r.report is not None],
            "report_days": rules_in_force().report_days,
        },
    )


@require_http_methods(["GET", "POST"])
def report_submit(request, pair_id: int):
    pair, role, _mentee = selectors.pair_for_report(request=request, pair_id=pair_id)
    form = form_for(role)(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.final_report_submit(
                actor=request.user, pair=pair, author=own_staff(request), data=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Отчёт подан.")
            return redirect("institutional:report_detail", report_id=report.pk)
    elif pair.status not in selectors.ENDED_STATUSES:
        refused = (
            "Отчёт подаётся после завершения наставничества "
            f"(сейчас пара (группа) в статусе «{pair.get_status_display()}»)."
        )
    return render(
        request,
        "institutional/reports/form.html",
        {
            "form": form,
            "pair": pair,
            "role": role,
            "role_label": FinalReport.AuthorRole(role).label,
            "due_on": selectors.report_due_on(pair),
            "refused": refused,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def report_detail(request, report_id: int):
    report = selectors.access_report(request=request, report_id=report_id)
    return render(
        request,
        "institutional/reports/detail.html",
        {"report": report, "mentees": [p.mentee.full_name for p in selectors.final_participants(report.pair)]},
    )


@require_GET
def report_docx(request, report_id: int):
    report = selectors.access_report(request=request, report_id=report_id)
    document = report_document(report, organization=request.tenant)
    return docx_response(document, f"Итоговый отчёт {report.pk}.docx")
