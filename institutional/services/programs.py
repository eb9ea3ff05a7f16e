"""Write path of personalized programs (tenant schema): drafting, agreement, the plan, agreed changes.

Every rule is checked before anything is written; each service is atomic and records its actor
for the audit trail. Who acts (mentor or mentee) is derived from the actor's staff link.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import (
    InteractionFormat,
    MeetingMode,
    Pair,
    PairForm,
    PairKind,
    Program,
    ProgramActivity,
    ProgramChange,
)
from institutional.selectors.programs import ACTIVE_PAIR_STATUSES, add_months, draft_due_on, pair_side
from institutional.selectors.regulation import rules_in_force
from nastavnik.audit import actor_context, actor_id
from regional.models import DocumentTemplate
from regional.selectors import template_get

TEXT_FIELDS = ("title", "request", "goal", "tasks", "schedule", "intermediate_results", "planned_results")
REQUIRED_TEXT = {
    "title": "Укажите название программы.",
    "request": "Опишите запрос наставляемого.",
    "goal": "Укажите цель программы.",
    "tasks": "Перечислите задачи программы.",
    "planned_results": "Опишите планируемые результаты.",
}


def _months_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "месяца"
    return "месяцев"


def check_period(*, pair: Pair, starts_on: date | None, ends_on: date | None) -> dict:
    """Errors of a program period: order, length within the regulation, inside the pair's period."""
    errors = {}
    if starts_on is None:
        errors["starts_on"] = "Укажите дату начала программы."
    if ends_on is None:
        errors["ends_on"] = "Укажите дату окончания программы."
    if errors:
        return errors
    if ends_on <= starts_on:
        return {"ends_on": "Окончание программы должно быть позже начала."}
    rules = rules_in_force()
    if ends_on < add_months(starts_on, rules.program_min_months):
        errors["ends_on"] = (
            f"Программа не может быть короче {rules.program_min_months} {_months_word(rules.program_min_months)} "
            "(по положению о наставничестве)."
        )
    elif ends_on > add_months(starts_on, rules.program_max_months):
        errors["ends_on"] = (
            f"Программа не может быть длиннее {rules.program_max_months} {_months_word(rules.program_max_months)} "
            "(по положению о наставничестве)."
        )
    if starts_on < pair.starts_on:
        errors["starts_on"] = f"Программа не может начаться раньше наставничества ({pair.starts_on:%d.%m.%Y})."
    if ends_on > pair.ends_on:
        errors.setdefault(
            "ends_on", f"Программа не может закончиться позже срока наставничества ({pair.ends_on:%d.%m.%Y})."
        )
    return errors


def check_activities(activities: list[dict], *, starts_on: date, ends_on: date) -> list[str]:
    problems = []
    for number, item in enumerate(activities, start=1):
        title = (item.get("title") or "").strip()
        due_on = item.get("due_on")
        if not title:
            problems.append(f"Мероприятие № {number}: укажите название.")
        if due_on is None:
            problems.append(f"Мероприятие № {number}: укажите срок.")
        elif not starts_on <= due_on <= ends_on:
            problems.append(
                f"Мероприятие № {number}: срок {due_on:%d.%m.%Y} вне периода программы "
                f"({starts_on:%d.%m.%Y} – {ends_on:%d.%m.%Y})."
            )
        done_on = item.get("done_on")
        if done_on is not None and (done_on > organization_today() or done_on < starts_on):
            problems.append(f"Мероприятие № {number}: дата выполнения вне периода программы или в будущем.")
    return problems


def _clean(*, pair: Pair, data: dict, activities: list[dict]) -> dict:
    errors: dict = {}
    values = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, message in REQUIRED_TEXT.items():
        if not values[name]:
            errors[name] = message
    formats = list(dict.fromkeys(data.get("interaction_formats") or []))
    if not formats:
        errors["interaction_formats"] = "Выберите хотя бы одну форму взаимодействия."
    elif any(value not in InteractionFormat.values for value in formats):
        errors["interaction_formats"] = "Неизвестная форма взаимодействия."
    mode = data.get("meeting_mode") or MeetingMode.MIXED
    if mode not in MeetingMode.values:
        errors["meeting_mode"] = "Неизвестный формат встреч."
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    errors.update(check_period(pair=pair, starts_on=starts_on, ends_on=ends_on))
    if "starts_on" not in errors and "ends_on" not in errors:
        problems = check_activities(activities, starts_on=starts_on, ends_on=ends_on)
        if problems:
            errors["activities"] = problems
    if errors:
        raise ValidationError(errors)
    values.update(interaction_formats=formats, meeting_mode=mode, starts_on=starts_on, ends_on=ends_on)
    return values


def _write_activities(program: Program, activities: list[dict]) -> None:
    program.activities.all().delete()
    ProgramActivity.objects.bulk_create(
        [
            ProgramActivity(
                program=program,
                position=number,
                title=item["title"].strip(),
                due_on=item["due_on"],
                done_on=item.get("done_on"),
                result=(item.get("result") or "").strip(),
            )
            for number, item in enumerate(activities, start=1)
        ]
    )


def program_model(template_id) -> DocumentTemplate:
    """A published model program that applies to this organization, or ValidationError."""
    try:
        return template_get(kind=DocumentTemplate.Kind.PROGRAM, template_id=template_id, organization=connection.tenant)
    except Http404:
        raise ValidationError(
            {"template_id": "Модельная программа не найдена или не применяется в вашей организации."}
        ) from None


def program_create(*, actor, pair: Pair, data: dict, activities: list[dict], template_id: int | None = None) -> Program:
    """The program of an approved or active pair, as a draft the mentor then submits.

    `template_id`: the model program the form was filled from; its id and version are recorded,
    so the program's page can tell when the model gets a newer version.
    """
    if pair.status not in ACTIVE_PAIR_STATUSES:
        raise ValidationError("Программу составляют для пары, утверждённой приказом.")
    if Program.objects.filter(pair=pair).exists():
        raise ValidationError("У этой пары уже есть программа.")
    template = program_model(template_id) if template_id else None
    values = _clean(pair=pair, data=data, activities=activities)
    with transaction.atomic(), actor_context(actor_id(actor)):
        program = Program.objects.create(
            pair=pair,
            is_group=pair.participants.filter(left_on__isnull=True).count() > 1,
            draft_due_on=draft_due_on(pair),
            template_id=template.pk if template else None,
            template_version=template.version if template else None,
            **values,
        )
        _write_activities(program, activities)
    return program


def program_update(*, actor, program: Program, data: dict, activities: list[dict]) -> Program:
    if program.status != Program.Status.DRAFT:
        raise ValidationError(
            "Изменить можно только черновик программы; после согласования — через изменение с подтверждением."
        )
    values = _clean(pair=program.pair, data=data, activities=activities)
    with transaction.atomic(), actor_context(actor_id(actor)):
        for name, value in values.items():
            setattr(program, name, value)
        program.save()
        _write_activities(program, activities)
    return program


def program_submit(*, actor, program: Program) -> Program:
    """The mentor hands the draft to the mentee for agreement."""
    if program.status != Program.Status.DRAFT:
        raise ValidationError("Передать на согласование можно только черновик программы.")
    if not program.activities.exists():
        raise ValidationError("Добавьте в план хотя бы одно мероприятие.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        program.status = Program.Status.SUBMITTED
        program.submitted_at = timezone.now()
        program.save(update_fields=["status", "submitted_at", "updated_at"])
    return program


def _require_mentee(actor, program: Program, action: str) -> None:
    if pair_side(actor, program.pair) != "mentee":
        raise ValidationError(f"{action} может только наставляемый.")


def program_confirm(*, actor, program: Program) -> Program:
    _require_mentee(actor, program, "Согласовать программу")
    if program.status != Program.Status.SUBMITTED:
        raise ValidationError("Согласовать можно только программу, переданную на согласование.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        program.status = Program.Status.CONFIRMED
        program.confirmed_at = timezone.now()
        program.mentee_comment = ""
        program.save(update_fields=["status", "confirmed_at", "mentee_comment", "updated_at"])
    return program


def program_return(*, actor, program: Program, comment: str) -> Program:
    """The mentee sends the program back to the mentor with remarks."""
    _require_mentee(actor, program, "Вернуть программу на доработку")
    if program.status != Program.Status.SUBMITTED:
        raise ValidationError("Вернуть можно только программу, переданную на согласование.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, что нужно исправить в программе."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        program.status = Program.Status.DRAFT
        program.submitted_at = None
        program.mentee_comment = comment
        program.save(update_fields=["status", "submitted_at", "mentee_comment", "updated_at"])
    return program


def activity_mark_done(*, actor, activity: ProgramActivity, done_on: date | None, result: str = "") -> ProgramActivity:
    program = activity.program
    if program.status != Program.Status.CONFIRMED:
        raise ValidationError("Отмечать выполнение можно только в согласованной программе.")
    if done_on is None:
        raise ValidationError({"done_on": "Укажите дату выполнения."})
    if done_on > organization_today():
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    if not program.starts_on <= done_on <= program.ends_on:
        raise ValidationError({"done_on": "Дата выполнения вне периода программы."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        activity.done_on = done_on
        activity.result = (result or "").strip()[:500]
        activity.save(update_fields=["done_on", "result"])
    return activity


# --- changes agreed by both sides ---------------------------------------------------------------------


def _activities_snapshot(program: Program) -> list[dict]:
    return [
        {
            "title": a.title,
            "due_on": a.due_on.isoformat(),
            "done_on": a.done_on.isoformat() if a.done_on else None,
            "result": a.result,
        }
        for a in program.activities.order_by("position")
    ]


def _parse_date(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: "Дата указана неверно."}) from None


def _parse_activities(items) -> list[dict]:
    if not isinstance(items, list):
        raise ValidationError({"activities": "Укажите план мероприятий."})
    parsed = []
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError({"activities": "Мероприятие плана указано неверно."})
        parsed.append(
            {
                "title": str(item.get("title") or ""),
                "due_on": _parse_date(item.get("due_on"), "activities") if item.get("due_on") else None,
                "done_on": _parse_date(item.get("done_on"), "activities") if item.get("done_on") else None,
                "result": str(item.get("result") or ""),
            }
        )
    return parsed


def _validate_change(program: Program, kind: str, proposed: dict) -> tuple[dict, dict]:
    """(normalized proposed values, previous values) — or ValidationError."""
    pair = program.pair
    if kind == ProgramChange.Kind.EXTEND:
        ends_on = _parse_date(proposed.get("ends_on"), "ends_on")
        if ends_on <= program.ends_on:
            raise ValidationError({"ends_on": "Новая дата окончания должна быть позже нынешней."})
        errors = check_period(pair=pair, starts_on=program.starts_on, ends_on=ends_on)
        if errors:
            raise ValidationError(errors)
        return {"ends_on": ends_on.isoformat()}, {"ends_on": program.ends_on.isoformat()}
    if kind == ProgramChange.Kind.PLAN:
        activities = _parse_activities(proposed.get("activities"))
        if not activities:
            raise ValidationError({"activities": "В плане должно остаться хотя бы одно мероприятие."})
        problems = check_activities(activities, starts_on=program.starts_on, ends_on=program.ends_on)
        if problems:
            raise ValidationError({"activities": problems})
        normalized = [
            {
                "title": a["title"].strip(),
                "due_on": a["due_on"].isoformat(),
                "done_on": a["done_on"].isoformat() if a["done_on"] else None,
                "result": a["result"].strip(),
            }
            for a in activities
        ]
        return {"activities": normalized}, {"activities": _activities_snapshot(program)}
    if kind == ProgramChange.Kind.FORM:
        form = proposed.get("form") or pair.form
        kinds = list(dict.fromkeys(proposed.get("kinds") or pair.kinds))
        if form not in PairForm.values:
            raise ValidationError({"form": "Неизвестная форма наставничества."})
        if not kinds or any(k not in PairKind.values for k in kinds):
            raise ValidationError({"kinds": "Укажите вид (виды) наставничества."})
        if form == pair.form and sorted(kinds) == sorted(pair.kinds):
            raise ValidationError("Предложенные форма и виды совпадают с нынешними.")
        return {"form": form, "kinds": kinds}, {"form": pair.form, "kinds": list(pair.kinds)}
    raise ValidationError({"kind": "Неизвестный вид изменения."})


def program_change_propose(*, actor, program: Program, kind: str, description: str, proposed: dict) -> ProgramChange:
    """One side (mentor or mentee) proposes; nothing changes until the other side confirms."""
    side = pair_side(actor, program.pair)
    if side is None:
        raise ValidationError("Предложить изменение может только наставник или наставляемый.")
    if program.status != Program.Status.CONFIRMED:
        raise ValidationError("Изменения вносятся в согласованную программу; черновик правится напрямую.")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Обоснуйте изменение."})
    if program.changes.filter(kind=kind, applied_at__isnull=True, rejected_at__isnull=True).exists():
        raise ValidationError("Такое изменение уже ожидает подтверждения второй стороны.")
    normalized, previous = _validate_change(program, kind, proposed or {})
    now = timezone.now()
    with transaction.atomic(), actor_context(actor_id(actor)):
        return ProgramChange.objects.create(
            program=program,
            kind=kind,
            description=description,
            proposed=normalized,
            previous=previous,
            proposed_by_id=actor.pk,
            mentor_confirmed_at=now if side == "mentor" else None,
            mentee_confirmed_at=now if side == "mentee" else None,
        )


def _pending(change: ProgramChange) -> None:
    if change.applied_at or change.rejected_at:
        raise ValidationError("Это изменение уже рассмотрено.")


def program_change_confirm(*, actor, change: ProgramChange) -> ProgramChange:
    """The other side agrees: the change applies and the previous values stay in the history."""
    program = change.program
    side = pair_side(actor, program.pair)
    _pending(change)
    if side is None:
        raise ValidationError("Подтвердить изменение может только наставник или наставляемый.")
    if (side == "mentor" and change.mentor_confirmed_at) or (side == "mentee" and change.mentee_confirmed_at):
        raise ValidationError("Изменение должна подтвердить другая сторона.")
    # Re-check against the current state: the program may have changed since the proposal.
    _validate_change(program, change.kind, change.proposed)
    now = timezone.now()
    with transaction.atomic(), actor_context(actor_id(actor)):
        if change.kind == ProgramChange.Kind.EXTEND:
            change.previous = {"ends_on": program.ends_on.isoformat()}
            program.ends_on = date.fromisoformat(change.proposed["ends_on"])
            program.save(update_fields=["ends_on", "updated_at"])
        elif change.kind == ProgramChange.Kind.PLAN:
            change.previous = {"activities": _activities_snapshot(program)}
            _write_activities(
                program,
                [
                    {
                        "title": a["title"],
                        "due_on": date.fromisoformat(a["due_on"]),
                        "done_on": date.fromisoformat(a["done_on"]) if a.get("done_on") else None,
                        "result": a.get("result", ""),
                    }
                    for a in change.proposed["activities"]
                ],
            )
        else:
            pair = program.pair
            change.previous = {"form": pair.form, "kinds": list(pair.kinds)}
            pair.form = change.proposed["form"]
            pair.kinds = change.proposed["kinds"]
            pair.save(update_fields=["form", "kinds"])
        if side == "mentor":
            change.mentor_confirmed_at = now
        else:
            change.mentee_confirmed_at = now
        change.applied_at = now
        change.save()
    return change


def program_change_reject(*, actor, change: ProgramChange) -> ProgramChange:
    """Either side may reject (the proposer withdraws); the program keeps its values."""
    _pending(change)
    if pair_side(actor, change.program.pair) is None:
        raise ValidationError("Отклонить изменение может только наставник или наставляемый.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        change.rejected_at = timezone.now()
        change.save(update_fields=["rejected_at"])
    return change
