"""Write path of the curator's annual analytical report (tenant schema).

The figures are always computed from the data (institutional.selectors.annual_report); what is
stored is the curator's own analysis for the year: conclusions and proposals for the next year.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from institutional.models import AnnualReport
from institutional.selectors.annual_report import MIN_ACADEMIC_YEAR, current_academic_year
from nastavnik.audit import actor_context, actor_id

TEXT_MAX_LENGTH = 20_000


def _clean_year(value) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {"academic_year": "Укажите учебный год числом — годом его начала, например 2026."}
        ) from None
    current = current_academic_year()
    if year > current:
        raise ValidationError(
            {"academic_year": f"Отчёт за {year}/{year + 1} учебный год ещё нельзя составить: он не начался."}
        )
    if year < MIN_ACADEMIC_YEAR:
        raise ValidationError(
            {"academic_year": f"Учебный год должен быть не раньше {MIN_ACADEMIC_YEAR}/{MIN_ACADEMIC_YEAR + 1}."}
        )
    return year


def _clean_text(value, field: str, label: str, errors: dict) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[field] = f"{label}: ожидается текст."
        return ""
    # PostgreSQL text cannot hold NUL characters; they never belong in a report anyway.
    text = value.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX_LENGTH:
        errors[field] = f"{label}: не более {TEXT_MAX_LENGTH} символов (сейчас {len(text)})."
    return text


def annual_report_save(*, actor, academic_year, conclusions, proposals) -> AnnualReport:
    """Save the curator's conclusions and proposals for the academic year (created on first save)."""
    year = _clean_year(academic_year)
    errors: dict = {}
    conclusions = _clean_text(conclusions, "conclusions", "Выводы", errors)
    proposals = _clean_text(proposals, "proposals", "Предложения", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        report = AnnualReport.objects.select_for_update().filter(academic_year=year).first()
        if report is None:
            return AnnualReport.objects.create(
                academic_year=year,
                conclusions=conclusions,
                proposals=proposals,
                created_by_id=actor_id(actor),
            )
        report.conclusions, report.proposals = conclusions, proposals
        report.save(update_fields=["conclusions", "proposals", "updated_at"])
        return report


def annual_report_get(*, academic_year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(academic_year=academic_year).first()
