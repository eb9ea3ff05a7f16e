"""Pages of the mentee bank and the mentor bank (tenant schema). Thin: form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import MANAGERS, STAFF_READERS, has_any_role, roles_required
from institutional.dates import organization_today
from institutional.forms.banks import (
    MenteeCreateForm,
    MenteeEditForm,
    MenteeStatusForm,
    MentorCreateForm,
    MentorEditForm,
    MentorExcludeForm,
    TrainingForm,
)
from institutional.forms.common import apply_errors
from institutional.models import ConsentKind, MenteeCategory, MenteeEntry, MentorAchievement
from institutional.selectors import banks as selectors
from institutional.selectors.consents import has_signed_consent
from institutional.selectors.regulation import rules_in_force
from institutional.services import banks as services


def _try(form, action):
    """Run a service; on a rule violation put its messages on the form and return None."""
    try:
        return action()
    except ValidationError as error:
        apply_errors(form, error)
        return None


# --- mentee bank -----------------------------------------------------------------------------------


@require_GET
@roles_required(STAFF_READERS)
def mentee_list(request):
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    status = status if status in MenteeEntry.Status.values else ""
    category = category if category in MenteeCategory.values else ""
    rows = selectors.mentee_rows(selectors.mentee_entry_list(status=status, category=category))
    return render(
        request,
        "institutional/banks/mentee_list.html",
        {
            "rows": rows,
            "status": status,
            "category": category,
            "statuses": MenteeEntry.Status.choices,
            "categories": MenteeCategory.choices,
            "can_manage": has_any_role(request, MANAGERS),
            "appointment_days": rules_in_force().appointment_days,
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def mentee_add(request):
    form = MenteeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = _try(form, lambda: services.mentee_entry_create(actor=request.user, **form.values()))
        if entry is not None:
            messages.success(request, f"{entry.full_name} внесён(а) в банк наставляемых.")
            return redirect("institutional:mentee_detail", entry_id=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentee_form.html",
        {"form": form, "title": "Новая запись в банке наставляемых"},
        status=status,
    )


@require_GET
def mentee_detail(request, entry_id: int):
    entry = selectors.access_mentee_entry(request=request, entry_id=entry_id)
    row = selectors.mentee_rows([entry])[0]
    can_manage = has_any_role(request, MANAGERS)
    return render(
        request,
        "institutional/banks/mentee_detail.html",
        {
            "row": row,
            "entry": entry,
            "can_manage": can_manage,
            "status_form": MenteeStatusForm(initial={"status": entry.status, "left_on": organization_today()}),
            "consents": entry.consents.all() if entry.is_trainee else entry.staff.consents.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def mentee_edit(request, entry_id: int):
    entry = selectors.access_mentee_entry(request=request, entry_id=entry_id)
    form = MenteeEditForm(request.POST or None, initial=MenteeEditForm.initial_from(entry))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, lambda: services.mentee_entry_update(actor=request.user, entry=entry, data=form.cleaned_data))
    ):
        messages.success(request, "Запись сохранена.")
        return redirect("institutional:mentee_detail", entry_id=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentee_form.html",
        {"form": form, "entry": entry, "title": f"Изменение записи: {entry.full_name}"},
        status=status,
    )


@require_POST
@roles_required(MANAGERS)
def mentee_status(request, entry_id: int):
    entry = selectors.access_mentee_entry(request=request, entry_id=entry_id)
    form = MenteeStatusForm(request.POST)
    if form.is_valid() and _try(
        form, lambda: services.mentee_entry_set_status(actor=request.user, entry=entry, **form.cleaned_data)
    ):
        messages.success(request, f"Статус изменён: {entry.get_status_display()}.")
    else:
        for error in [*form.non_field_errors(), *(e for errors in form.errors.values() for e in errors)]:
            messages.error(request, error)
    return redirect("institutional:mentee_detail", entry_id=entry.pk)


# --- mentor bank -----------------------------------------------------------------------------------


@require_GET
@roles_required(STAFF_READERS)
def mentor_list(request):
    include_excluded = request.GET.get("all") == "1"
    entries = list(selectors.mentor_entry_list(include_excluded=include_excluded))
    loads = selectors.mentor_loads([entry.pk for entry in entries])
    rows = [{"entry": entry, "load": loads.get(entry.pk, 0)} for entry in entries]
    return render(
        request,
        "institutional/banks/mentor_list.html",
        {"rows": rows, "include_excluded": include_excluded, "can_manage": has_any_role(request, MANAGERS)},
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def mentor_add(request):
    form = MentorCreateForm(request.POST or None, initial={"capacity": rules_in_force().mentees_per_mentor_max})
    if request.method == "POST" and form.is_valid():
        entry = _try(form, lambda: services.mentor_entry_create(actor=request.user, **form.cleaned_data))
        if entry is not None:
            messages.success(request, f"{entry.staff.full_name} внесён(а) в банк наставников.")
            return redirect("institutional:mentor_detail", entry_id=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentor_form.html",
        {"form": form, "title": "Новая запись в банке наставников"},
        status=status,
    )


@require_GET
def mentor_detail(request, entry_id: int):
    entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
    return render(
        request,
        "institutional/banks/mentor_detail.html",
        {
            "entry": entry,
            "load": selectors.mentor_load(entry),
            "achievement_labels": [
                MentorAchievement(a).label for a in entry.achievements if a in MentorAchievement.values
            ],
            "trainings": entry.trainings.all(),
            "can_manage": has_any_role(request, MANAGERS),
            "exclude_form": MentorExcludeForm(initial={"excluded_on": organization_today()}),
            "training_form": TrainingForm(),
            "has_publication_consent": has_signed_consent(kind=ConsentKind.PUBLICATION, staff=entry.staff),
            "has_duties_consent": has_signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=entry.staff),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def mentor_edit(request, entry_id: int):
    entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
    form = MentorEditForm(request.POST or None, initial=MentorEditForm.initial_from(entry))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, lambda: services.mentor_entry_update(actor=request.user, entry=entry, data=form.cleaned_data))
    ):
        messages.success(request, "Запись сохранена.")
        return redirect("institutional:mentor_detail", entry_id=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentor_form.html",
        {"form": form, "entry": entry, "title": f"Изменение записи: {entry.staff.full_name}"},
        status=status,
    )


@require_POST
@roles_required(MANAGERS)
def mentor_exclude(request, entry_id: int):
    entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
    form = MentorExcludeForm(request.POST)
    if form.is_valid() and _try(
        form,
        lambda: services.mentor_entry_exclude(
            actor=request.user,
            entry=entry,
            excluded_on=form.cleaned_data["excluded_on"],
            reason=form.cleaned_data["excluded_reason"],
        ),
    ):
        messages.success(request, "Наставник исключён из банка.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("institutional:mentor_detail", entry_id=entry.pk)


@require_POST
@roles_required(MANAGERS)
def training_add(request, entry_id: int):
    entry = selectors.access_mentor_entry(request=request, entry_id=entry_id)
    form = TrainingForm(request.POST, request.FILES)
    if form.is_valid() and _try(
        form, lambda: services.mentor_training_add(actor=request.user, mentor=entry, **form.cleaned_data)
    ):
        messages.success(request, "Обучение добавлено.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("institutional:mentor_detail", entry_id=entry.pk)


@require_POST
@roles_required(MANAGERS)
def training_remove(request, training_id: int):
    training = selectors.access_mentor_training(request=request, training_id=training_id)
    entry_id = training.mentor_id
    services.mentor_training_remove(actor=request.user, training=training)
    messages.success(request, "Запись об обучении удалена.")
    return redirect("institutional:mentor_detail", entry_id=entry_id)


@require_GET
def training_certificate(request, training_id: int):
    training = selectors.access_mentor_training(request=request, training_id=training_id)
    if not training.certificate:
        raise Http404("Файл не найден.")
    return FileResponse(
        training.certificate.open("rb"), as_attachment=True, filename=training.certificate.name.rsplit("/", 1)[-1]
    )
