"""Pages of meetings and the mentor's hours ledger (tenant schema)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from institutional.access import MANAGERS, has_any_role
from institutional.dates import organization_today
from institutional.forms.common import apply_errors
from institutional.models import Program
from institutional.selectors import meetings as selectors
from institutional.selectors import programs as program_selectors
from institutional.services import meetings as services
from institutional.views.programs import meeting_form_for
from nastavnik.xlsx import xlsx_response


@require_http_methods(["GET", "POST"])
def meeting_add(request, pair_id: int):
    pair = program_selectors.access_pair_for_program(request=request, pair_id=pair_id)
    if not (has_any_role(request, MANAGERS) or program_selectors.pair_side(request.user, pair) == "mentor"):
        raise PermissionDenied("Встречи записывает наставник пары или куратор.")
    form = meeting_form_for(pair, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_create(actor=request.user, pair=pair, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Встреча записана.")
            program = Program.objects.filter(pair=pair).first()
            if program is not None:
                return redirect("institutional:program_detail", program_id=program.pk)
            return redirect("institutional:program_pair", pair_id=pair.pk)
    return render(
        request,
        "institutional/meetings/form.html",
        {"form": form, "pair": pair, "mentees": program_selectors.mentee_names(pair)},
        status=400 if request.method == "POST" else 200,
    )


def _period(request):
    today = organization_today()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or 0)
    except ValueError:
        year, month = today.year, 0
    if not 2000 <= year <= 2100:
        year = today.year
    if not 0 <= month <= 12:
        month = 0
    return year, month or None


@require_GET
def hours(request):
    mentor = selectors.access_ledger_mentor(request=request, mentor_id=request.GET.get("mentor"))
    year, month = _period(request)
    ledger = selectors.mentor_ledger(mentor=mentor, year=year, month=month)
    return render(
        request,
        "institutional/meetings/hours.html",
        {
            "mentor": mentor,
            "mentors": selectors.ledger_mentors(request),
            "ledger": ledger,
            "year": year,
            "month": month,
            "months": list(enumerate(selectors.MONTHS, start=1)),
            "total_hours": selectors.hours(sum(row.minutes for row in ledger)),
        },
    )


@require_GET
def hours_xlsx(request):
    mentor = selectors.access_ledger_mentor(request=request, mentor_id=request.GET.get("mentor"))
    year, month = _period(request)
    ledger = selectors.mentor_ledger(mentor=mentor, year=year, month=month)
    period = f"{month:02d}.{year}" if month else str(year)
    return xlsx_response(
        f"Часы наставника {mentor.staff.short_name} {period}.xlsx",
        selectors.ledger_sheets(mentor=mentor, ledger=ledger),
    )
