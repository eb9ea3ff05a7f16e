"""Pages of the roadmap (дорожная карта): years, stages, activities, evidence, approval, DOCX (tenant schema)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS, has_any_role, roles_required
from institutional.dates import organization_today
from institutional.documents.roadmap import roadmap_docx_response
from institutional.forms.common import apply_errors
from institutional.forms.regulation import OrderForm
from institutional.forms.roadmap import (
    PREVIOUS,
    ActivityForm,
    EvidenceForm,
    MoveForm,
    RoadmapCreateForm,
    StageForm,
    StatusForm,
)
from institutional.models import Roadmap
from institutional.selectors import roadmap as selectors
from institutional.services import roadmap as services
from institutional.services.regulation import Order
from nastavnik.uploads import stored_file_response
from regional.models import DocumentTemplate
from regional.selectors import newer_version, template_list


def _message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _to_detail(roadmap_id: int):
    return redirect("institutional:roadmap_detail", roadmap_id=roadmap_id)


def _create_form(request, data=None):
    return RoadmapCreateForm(
        data,
        years=selectors.creatable_years(),
        templates=template_list(kind=DocumentTemplate.Kind.ROADMAP, organization=request.tenant),
    )


@require_GET
@roles_required(OVERSEERS)
def roadmap_list(request):
    return _list_page(request, _create_form(request))


def _list_page(request, form, status=200):
    context = {"roadmaps": selectors.roadmap_list(), "form": form, "can_manage": has_any_role(request, MANAGERS)}
    return render(request, "institutional/roadmap/list.html", context, status=status)


@require_POST
@roles_required(MANAGERS)
def roadmap_create(request):
    form = _create_form(request, request.POST)
    if form.is_valid():
        year, source = form.cleaned_data["academic_year"], form.cleaned_data["source"]
        try:
            if source == PREVIOUS:
                roadmap = services.roadmap_copy_previous(actor=request.user, academic_year=year)
            else:
                template_id = int(source.split(":", 1)[1])
                roadmap = services.roadmap_create_from_template(
                    actor=request.user, academic_year=year, template_id=template_id
                )
        except ValidationError as error:
            apply_errors(form, error, aliases={"responsible_ids": "responsible"})
        else:
            messages.success(request, f"Создана дорожная карта на {roadmap.academic_year_label} учебный год.")
            return _to_detail(roadmap.pk)
    return _list_page(request, form, status=400)


@require_GET
@roles_required(OVERSEERS)
def roadmap_detail(request, roadmap_id: int):
    roadmap = selectors.access_roadmap(roadmap_id=roadmap_id)
    today = organization_today()
    stages = selectors.roadmap_stages(roadmap=roadmap, today=today)
    overdue = sum(1 for stage in stages for activity in stage.activities.all() if activity.is_overdue)
    context = {
        "roadmap": roadmap,
        "stages": stages,
        "overdue_count": overdue,
        "today": today,
        "can_manage": has_any_role(request, MANAGERS),
        "can_approve": has_any_role(request, DIRECTORS),
        "is_editable": roadmap.status == Roadmap.Status.DRAFT,
        "stage_form": StageForm(),
        "status_choices": services.RoadmapActivity.Status.choices,
        "newer_template": newer_version(roadmap.template_id, roadmap.template_version),
    }
    return render(request, "institutional/roadmap/detail.html", context)


@require_http_methods(["GET", "POST"])
@roles_required(DIRECTORS)
def roadmap_approve(request, roadmap_id: int):
    roadmap = selectors.access_roadmap(roadmap_id=roadmap_id)
    form = OrderForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        order = Order(
            form.cleaned_data["order_number"], form.cleaned_data["order_date"], form.cleaned_data["order_scan"]
        )
        try:
            services.roadmap_approve(actor=request.user, roadmap=roadmap, order=order)
        except ValidationError as error:
            apply_errors(form, error, aliases={"responsible_ids": "responsible"})
        else:
            messages.success(request, f"Дорожная карта на {roadmap.academic_year_label} учебный год утверждена.")
            return _to_detail(roadmap.pk)
    return render(
        request,
        "institutional/roadmap/approve.html",
        {"roadmap": roadmap, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@roles_required(OVERSEERS)
def roadmap_docx(request, roadmap_id: int):
    return roadmap_docx_response(selectors.access_roadmap(roadmap_id=roadmap_id))


@require_GET
@roles_required(OVERSEERS)
def roadmap_order_scan(request, roadmap_id: int):
    return stored_file_response(selectors.access_roadmap(roadmap_id=roadmap_id).order_scan)


# --- stages --------------------------------------------------------------------------------------


@require_POST
@roles_required(MANAGERS)
def stage_create(request, roadmap_id: int):
    roadmap = selectors.access_roadmap(roadmap_id=roadmap_id)
    try:
        services.stage_create(actor=request.user, roadmap=roadmap, title=request.POST.get("title", ""))
    except ValidationError as error:
        _message(request, error)
    return _to_detail(roadmap.pk)


@require_POST
@roles_required(MANAGERS)
def stage_edit(request, stage_id: int):
    stage = selectors.access_stage(stage_id=stage_id)
    try:
        services.stage_update(actor=request.user, stage=stage, title=request.POST.get("title", ""))
    except ValidationError as error:
        _message(request, error)
    return _to_detail(stage.roadmap_id)


@require_POST
@roles_required(MANAGERS)
def stage_delete(request, stage_id: int):
    stage = selectors.access_stage(stage_id=stage_id)
    try:
        services.stage_delete(actor=request.user, stage=stage)
    except ValidationError as error:
        _message(request, error)
    return _to_detail(stage.roadmap_id)


@require_POST
@roles_required(MANAGERS)
def stage_move(request, stage_id: int):
    stage = selectors.access_stage(stage_id=stage_id)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Неизвестное направление перемещения.")
        services.stage_move(actor=request.user, stage=stage, direction=form.cleaned_data["direction"])
    except ValidationError as error:
        _message(request, error)
    return _to_detail(stage.roadmap_id)


# --- activities ----------------------------------------------------------------------------------


def _activity_data(form) -> services.ActivityData:
    data = form.cleaned_data
    return services.ActivityData(
        title=data["title"],
        deadline=data["deadline"],
        deadline_text=data["deadline_text"],
        responsible_roles=data["responsible_roles"],
        expected_documents=data["expected_documents"],
        responsible_ids=[person.pk for person in data["responsible"]],
        status=data["status"],
        done_at=data["done_at"],
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def activity_create(request, stage_id: int):
    stage = selectors.access_stage(stage_id=stage_id)
    form = ActivityForm(request.POST if request.method == "POST" else None, initial={"status": "planned"})
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, stage=stage, data=_activity_data(form))
        except ValidationError as error:
            apply_errors(form, error, aliases={"responsible_ids": "responsible"})
        else:
            messages.success(request, "Мероприятие добавлено.")
            return _to_detail(stage.roadmap_id)
    return render(
        request,
        "institutional/roadmap/activity_form.html",
        {"form": form, "stage": stage, "roadmap": stage.roadmap, "activity": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def activity_edit(request, activity_id: int):
    activity = selectors.access_activity(activity_id=activity_id)
    initial = {
        "title": activity.title,
        "deadline": activity.deadline,
        "deadline_text": activity.deadline_text,
        "responsible": list(activity.responsible.all()),
        "responsible_roles": activity.responsible_roles,
        "expected_documents": activity.expected_documents,
        "status": activity.status,
        "done_at": activity.done_at,
    }
    form = ActivityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=_activity_data(form))
        except ValidationError as error:
            apply_errors(form, error, aliases={"responsible_ids": "responsible"})
        else:
            messages.success(request, "Мероприятие сохранено.")
            return _to_detail(activity.stage.roadmap_id)
    return render(
        request,
        "institutional/roadmap/activity_form.html",
        {"form": form, "stage": activity.stage, "roadmap": activity.stage.roadmap, "activity": activity},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@roles_required(MANAGERS)
def activity_delete(request, activity_id: int):
    activity = selectors.access_activity(activity_id=activity_id)
    try:
        services.activity_delete(actor=request.user, activity=activity)
    except ValidationError as error:
        _message(request, error)
    return _to_detail(activity.stage.roadmap_id)


@require_POST
@roles_required(MANAGERS)
def activity_move(request, activity_id: int):
    activity = selectors.access_activity(activity_id=activity_id)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Неизвестное направление перемещения.")
        services.activity_move(actor=request.user, activity=activity, direction=form.cleaned_data["direction"])
    except ValidationError as error:
        _message(request, error)
    return _to_detail(activity.stage.roadmap_id)


@require_POST
@roles_required(MANAGERS)
def activity_status(request, activity_id: int):
    activity = selectors.access_activity(activity_id=activity_id)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([text for texts in form.errors.values() for text in texts])
        services.activity_set_status(
            actor=request.user,
            activity=activity,
            status=form.cleaned_data["status"],
            done_at=form.cleaned_data["done_at"],
        )
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, "Статус мероприятия сохранён.")
    return _to_detail(activity.stage.roadmap_id)


@require_POST
@roles_required(MANAGERS)
def evidence_upload(request, activity_id: int):
    activity = selectors.access_activity(activity_id=activity_id)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([text for texts in form.errors.values() for text in texts])
        services.evidence_add(
            actor=request.user,
            activity=activity,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, "Подтверждающий документ прикреплён.")
    return _to_detail(activity.stage.roadmap_id)


@require_GET
@roles_required(OVERSEERS)
def evidence_download(request, evidence_id: int):
    return stored_file_response(selectors.access_evidence(evidence_id=evidence_id).file)


@require_POST
@roles_required(MANAGERS)
def evidence_delete(request, evidence_id: int):
    evidence = selectors.access_evidence(evidence_id=evidence_id)
    roadmap_id = evidence.activity.stage.roadmap_id
    services.evidence_delete(actor=request.user, evidence=evidence)
    return _to_detail(roadmap_id)
