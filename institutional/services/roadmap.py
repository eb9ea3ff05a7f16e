"""Write path of the roadmap (дорожная карта): years, stages, activities, evidence, approval.

Runs in the tenant schema. Managers build the roadmap of the current or the next academic year
from a regional model or from last year's; the director approves it by order. Once approved, its
structure (stages, activities, their wording and deadlines) is fixed; progress — statuses,
completion dates, responsible staff and evidence — is still recorded.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from institutional.dates import academic_year_bounds, academic_year_label, academic_year_of, organization_today
from institutional.models import ActivityEvidence, Roadmap, RoadmapActivity, RoadmapStage, Staff
from institutional.models import Order as RegisterOrder
from institutional.services import orders as order_services
from institutional.services.regulation import Order, validate_order
from nastavnik.audit import actor_context, actor_id
from nastavnik.uploads import validate_upload
from regional.models import DocumentTemplate
from regional.selectors import template_get

EVIDENCE_FORMATS = ("pdf", "docx", "xlsx", "jpeg", "png")
APPROVED_IS_FIXED = "Дорожная карта утверждена приказом: её этапы и мероприятия не меняются. Можно отмечать выполнение."


def _safe_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def template_deadline(value, academic_year: int) -> tuple[date | None, str]:
    """A model's deadline: {"month": 9, "day": 15} inside the academic year, or text as written."""
    if isinstance(value, dict) and "month" in value:
        month = int(value["month"])
        year = academic_year if month >= 9 else academic_year + 1
        return _safe_day(year, month, int(value.get("day", 1))), ""
    return None, str(value or "")[:100]


def shift_one_year(day: date | None) -> date | None:
    """The same day a year later (29 February becomes 28 February)."""
    if day is None:
        return None
    return _safe_day(day.year + 1, day.month, day.day)


def _check_year(academic_year: int) -> None:
    current = academic_year_of(organization_today())
    if academic_year not in (current, current + 1):
        raise ValidationError(
            {
                "academic_year": f"Дорожную карту можно создать на текущий ({academic_year_label(current)}) "
                f"или следующий ({academic_year_label(current + 1)}) учебный год."
            }
        )
    if Roadmap.objects.filter(academic_year=academic_year).exists():
        raise ValidationError(
            {"academic_year": f"Дорожная карта на {academic_year_label(academic_year)} учебный год уже есть."}
        )


def _check_editable(roadmap: Roadmap) -> None:
    if roadmap.status == Roadmap.Status.APPROVED:
        raise ValidationError(APPROVED_IS_FIXED)


def roadmap_create_from_template(*, actor, academic_year: int, template_id: int) -> Roadmap:
    """A draft roadmap of the year with the model's stages and activities, deadlines placed in that year."""
    _check_year(academic_year)
    template = template_get(kind=DocumentTemplate.Kind.ROADMAP, template_id=template_id, organization=connection.tenant)
    stages = (template.content or {}).get("stages", [])
    with transaction.atomic(), actor_context(actor_id(actor)):
        roadmap = Roadmap.objects.create(
            academic_year=academic_year,
            template_id=template.pk,
            template_title=template.title,
            template_version=template.version,
        )
        for stage_position, stage_data in enumerate(stages, start=1):
            stage = RoadmapStage.objects.create(
                roadmap=roadmap, position=stage_position, title=str(stage_data["title"])[:300]
            )
            activities = []
            for position, item in enumerate(stage_data.get("activities", []), start=1):
                deadline, deadline_text = template_deadline(item.get("deadline"), academic_year)
                activities.append(
                    RoadmapActivity(
                        stage=stage,
                        position=position,
                        title=str(item["title"])[:500],
                        deadline=deadline,
                        deadline_text=deadline_text,
                        responsible_roles=str(item.get("responsible_role", ""))[:300],
                        expected_documents=str(item.get("expected_documents", ""))[:500],
                    )
                )
            RoadmapActivity.objects.bulk_create(activities)
        return roadmap


def roadmap_copy_previous(*, actor, academic_year: int) -> Roadmap:
    """A draft roadmap of the year copied from the previous year's, every date one year later.

    Statuses start again as planned; responsible staff carry over while they are still employed.
    """
    _check_year(academic_year)
    source = Roadmap.objects.filter(academic_year=academic_year - 1).first()
    if source is None:
        raise ValidationError(
            {
                "academic_year": f"Нет дорожной карты на {academic_year_label(academic_year - 1)} учебный год, копировать нечего."
            }
        )
    with transaction.atomic(), actor_context(actor_id(actor)):
        roadmap = Roadmap.objects.create(
            academic_year=academic_year,
            title=source.title,
            copied_from=source,
            template_id=source.template_id,
            template_title=source.template_title,
            template_version=source.template_version,
        )
        for old_stage in source.stages.order_by("position"):
            stage = RoadmapStage.objects.create(roadmap=roadmap, position=old_stage.position, title=old_stage.title)
            for old in old_stage.activities.order_by("position").prefetch_related("responsible"):
                activity = RoadmapActivity.objects.create(
                    stage=stage,
                    position=old.position,
                    title=old.title,
                    deadline=shift_one_year(old.deadline),
                    deadline_text=old.deadline_text,
                    responsible_roles=old.responsible_roles,
                    expected_documents=old.expected_documents,
                )
                activity.responsible.set([person for person in old.responsible.all() if person.is_employed])
        return roadmap


def roadmap_approve(*, actor, roadmap: Roadmap, order: Order) -> Roadmap:
    """Approves the roadmap by the director's order (number and date required).

    The order is recorded in the register in the same transaction (`roadmap.register_order`).
    """
    if roadmap.status == Roadmap.Status.APPROVED:
        raise ValidationError("Дорожная карта уже утверждена.")
    order = validate_order(order)
    if not roadmap.stages.exists():
        raise ValidationError("В дорожной карте нет ни одного этапа.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        status = Roadmap.objects.select_for_update().values_list("status", flat=True).get(pk=roadmap.pk)
        if status == Roadmap.Status.APPROVED:
            raise ValidationError("Дорожная карта уже утверждена.")
        roadmap.status = Roadmap.Status.APPROVED
        roadmap.order_number = order.number
        roadmap.order_date = order.day
        roadmap.approved_by = actor
        roadmap.approved_at = timezone.now()
        if order.scan:
            roadmap.order_scan.save(order.scan.name.rsplit("/", 1)[-1], order.scan, save=False)
        roadmap.save()
        roadmap.register_order = order_services.order_record_decision(
            actor=actor,
            kind=RegisterOrder.Kind.ROADMAP_APPROVAL,
            number=order.number,
            day=order.day,
            item=order_services.roadmap_order_item(roadmap=roadmap),
            scan_name=roadmap.order_scan.name if order.scan else "",
        )
        return roadmap


# --- stages --------------------------------------------------------------------------------------


def _clean_title(title: str, *, limit: int, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": f"Укажите наименование {what}."})
    if len(title) > limit:
        raise ValidationError({"title": f"Наименование {what} длиннее {limit} символов."})
    return title


def stage_create(*, actor, roadmap: Roadmap, title: str) -> RoadmapStage:
    _check_editable(roadmap)
    title = _clean_title(title, limit=300, what="этапа")
    with transaction.atomic(), actor_context(actor_id(actor)):
        position = (roadmap.stages.aggregate(top=Max("position"))["top"] or 0) + 1
        return RoadmapStage.objects.create(roadmap=roadmap, position=position, title=title)


def stage_update(*, actor, stage: RoadmapStage, title: str) -> RoadmapStage:
    _check_editable(stage.roadmap)
    stage.title = _clean_title(title, limit=300, what="этапа")
    with transaction.atomic(), actor_context(actor_id(actor)):
        stage.save(update_fields=["title"])
        return stage


def _renumber(queryset) -> None:
    """Positions 1..n in the current order; two passes keep the unique constraint satisfied."""
    items = list(queryset)
    offset = len(items) + 1000
    for index, item in enumerate(items, start=1):
        type(item).objects.filter(pk=item.pk).update(position=offset + index)
    for index, item in enumerate(items, start=1):
        type(item).objects.filter(pk=item.pk).update(position=index)


def _move(items: list, item, direction: str) -> list:
    if direction not in ("up", "down"):
        raise ValidationError("Неизвестное направление перемещения.")
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items


def stage_delete(*, actor, stage: RoadmapStage) -> None:
    roadmap = stage.roadmap
    _check_editable(roadmap)
    with transaction.atomic(), actor_context(actor_id(actor)):
        stage.delete()
        _renumber(roadmap.stages.order_by("position"))


def stage_move(*, actor, stage: RoadmapStage, direction: str) -> None:
    _check_editable(stage.roadmap)
    with transaction.atomic(), actor_context(actor_id(actor)):
        ordered = _move(list(stage.roadmap.stages.order_by("position")), stage, direction)
        _renumber(ordered)


# --- activities ----------------------------------------------------------------------------------


@dataclass
class ActivityData:
    title: str
    deadline: date | None = None
    deadline_text: str = ""
    responsible_roles: str = ""
    expected_documents: str = ""
    responsible_ids: list[int] = field(default_factory=list)
    status: str = RoadmapActivity.Status.PLANNED
    done_at: date | None = None


def _validate_activity(data: ActivityData, roadmap: Roadmap) -> tuple[ActivityData, list[Staff]]:
    errors: dict[str, str] = {}
    try:
        data.title = _clean_title(data.title, limit=500, what="мероприятия")
    except ValidationError as error:
        errors.update(error.message_dict)
    start, end = academic_year_bounds(roadmap.academic_year)
    if data.deadline is not None and not start <= data.deadline <= end:
        errors["deadline"] = (
            f"Срок должен быть в пределах {roadmap.academic_year_label} учебного года "
            f"({start:%d.%m.%Y} – {end:%d.%m.%Y})."
        )
    if data.deadline is None and not data.deadline_text.strip():
        errors["deadline"] = "Укажите срок: дату или словами (например, «в течение года»)."
    if len(data.deadline_text) > 100:
        errors["deadline_text"] = "Срок словами — не длиннее 100 символов."
    status_errors = _validate_status(data.status, data.done_at)
    errors.update(status_errors)
    ids = set(data.responsible_ids)
    people = list(Staff.objects.filter(pk__in=ids))
    if len(people) != len(ids):
        errors["responsible_ids"] = "Ответственный сотрудник не найден."
    elif any(not person.is_employed for person in people):
        errors["responsible_ids"] = "Ответственным может быть только работающий сотрудник, не уволенный."
    if errors:
        raise ValidationError(errors)
    data.deadline_text = data.deadline_text.strip()
    return data, people


def _validate_status(status: str, done_at: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if status not in RoadmapActivity.Status.values:
        errors["status"] = "Неизвестный статус мероприятия."
    elif status == RoadmapActivity.Status.DONE and done_at is None:
        errors["done_at"] = "Для выполненного мероприятия укажите дату выполнения."
    if done_at is not None and done_at > organization_today():
        errors["done_at"] = "Дата выполнения не может быть в будущем."
    return errors


def activity_create(*, actor, stage: RoadmapStage, data: ActivityData) -> RoadmapActivity:
    _check_editable(stage.roadmap)
    data, people = _validate_activity(data, stage.roadmap)
    with transaction.atomic(), actor_context(actor_id(actor)):
        position = (stage.activities.aggregate(top=Max("position"))["top"] or 0) + 1
        activity = RoadmapActivity.objects.create(
            stage=stage,
            position=position,
            title=data.title,
            deadline=data.deadline,
            deadline_text=data.deadline_text,
            responsible_roles=data.responsible_roles.strip(),
            expected_documents=data.expected_documents.strip(),
            status=data.status,
            done_at=data.done_at,
        )
        activity.responsible.set(people)
        return activity


def activity_update(*, actor, activity: RoadmapActivity, data: ActivityData) -> RoadmapActivity:
    roadmap = activity.stage.roadmap
    data, people = _validate_activity(data, roadmap)
    if roadmap.status == Roadmap.Status.APPROVED and (
        data.title != activity.title
        or data.deadline != activity.deadline
        or data.deadline_text != activity.deadline_text
        or data.expected_documents.strip() != activity.expected_documents
    ):
        raise ValidationError(APPROVED_IS_FIXED)
    with transaction.atomic(), actor_context(actor_id(actor)):
        activity.title = data.title
        activity.deadline = data.deadline
        activity.deadline_text = data.deadline_text
        activity.responsible_roles = data.responsible_roles.strip()
        activity.expected_documents = data.expected_documents.strip()
        activity.status = data.status
        activity.done_at = data.done_at
        activity.save()
        activity.responsible.set(people)
        return activity


def activity_set_status(
    *, actor, activity: RoadmapActivity, status: str, done_at: date | None = None
) -> RoadmapActivity:
    """Records progress: planned, in progress, done (with its date) or cancelled."""
    errors = _validate_status(status, done_at)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        activity.status = status
        activity.done_at = done_at if status == RoadmapActivity.Status.DONE else None
        activity.save(update_fields=["status", "done_at"])
        return activity


def activity_delete(*, actor, activity: RoadmapActivity) -> None:
    stage = activity.stage
    _check_editable(stage.roadmap)
    with transaction.atomic(), actor_context(actor_id(actor)):
        storages = [(item.file.storage, item.file.name) for item in activity.evidence.all() if item.file]
        activity.delete()
        _renumber(stage.activities.order_by("position"))
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in storages])


def activity_move(*, actor, activity: RoadmapActivity, direction: str) -> None:
    _check_editable(activity.stage.roadmap)
    with transaction.atomic(), actor_context(actor_id(actor)):
        _renumber(_move(list(activity.stage.activities.order_by("position")), activity, direction))


# --- evidence ------------------------------------------------------------------------------------


def evidence_add(*, actor, activity: RoadmapActivity, upload, description: str = "") -> ActivityEvidence:
    """Attaches a file that shows the activity was carried out (PDF, DOCX, XLSX, JPEG or PNG)."""
    try:
        validate_upload(upload, allowed=EVIDENCE_FORMATS, field_label="Подтверждающий документ")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if len(description) > 300:
        raise ValidationError({"description": "Описание — не длиннее 300 символов."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        evidence = ActivityEvidence(activity=activity, description=description.strip(), uploaded_by=actor)
        evidence.file.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
        evidence.save()
        return evidence


def evidence_delete(*, actor, evidence: ActivityEvidence) -> None:
    with transaction.atomic(), actor_context(actor_id(actor)):
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))
