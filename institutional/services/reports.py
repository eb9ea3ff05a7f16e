"""Final reports after a pair (group) ends (tenant schema).

The mentor submits one report on the program with recommendations; each mentee who was in the
pair when it ended submits one report on the process with an evaluation of the mentor (1–5).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from institutional.models import FinalReport, Pair, Staff
from institutional.selectors.reports import ENDED_STATUSES, final_participants
from nastavnik.audit import actor_context, actor_id

TEXT_FIELDS = ("results", "what_worked", "difficulties", "recommendations", "mentor_comment")


def _author_side(pair: Pair, author: Staff):
    if pair.mentor.staff_id == author.pk:
        return FinalReport.AuthorRole.MENTOR, None
    for participant in final_participants(pair):
        if participant.mentee.staff_id == author.pk:
            return FinalReport.AuthorRole.MENTEE, participant.mentee
    return None, None


def _clean(data: dict, role: str) -> dict:
    values = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {}
    if not values["results"]:
        errors["results"] = "Опишите достигнутые результаты."
    if role == FinalReport.AuthorRole.MENTOR:
        if not values["recommendations"]:
            errors["recommendations"] = "Наставник указывает рекомендации по итогам программы."
        values["mentor_comment"] = ""
        values["mentor_score"] = None
    else:
        score = data.get("mentor_score")
        try:
            score = int(score) if score not in (None, "") else None
        except (TypeError, ValueError):
            score = None
        if score is None or not 1 <= score <= 5:
            errors["mentor_score"] = "Оцените работу наставника по шкале от 1 до 5."
        values["mentor_score"] = score
    if errors:
        raise ValidationError(errors)
    return values


def final_report_submit(*, actor, pair: Pair, author: Staff, data: dict) -> FinalReport:
    """Submit the author's report on an ended pair; refused before the end, by others and twice."""
    if pair.status not in ENDED_STATUSES:
        raise ValidationError(
            "Отчёт подаётся после завершения наставничества "
            f"(сейчас пара (группа) в статусе «{pair.get_status_display()}»)."
        )
    role, mentee = _author_side(pair, author)
    if role is None:
        raise ValidationError("Отчёт подают только наставник и наставляемые этой пары (группы).")
    values = _clean(data, role)
    existing = FinalReport.objects.filter(pair=pair, author_role=role, mentee=mentee)
    if existing.exists():
        raise ValidationError("Ваш отчёт по этой паре (группе) уже подан; повторная подача не предусмотрена.")
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            return FinalReport.objects.create(pair=pair, author_role=role, author=author, mentee=mentee, **values)
    except IntegrityError as error:
        raise ValidationError(
            "Ваш отчёт по этой паре (группе) уже подан; повторная подача не предусмотрена."
        ) from error
