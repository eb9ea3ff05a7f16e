"""Pages of personalized programs (tenant schema). Thin: access → form → service → redirect.

Who sees a program: its pair (mentor, mentees), the curator, the council and the director; anyone
else gets "not found". The mentor (or a manager on their behalf) drafts and submits; only the
mentee confirms or returns it; changes after confirmation need both sides.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import MANAGERS, OVERSEERS, has_any_role
from institutional.dates import organization_today
from institutional.documents.programs import program_document
from institutional.forms.common import apply_errors
from institutional.forms.meetings import MeetingForm
from institutional.forms.programs import ActivityDoneForm, ChangeForm, ProgramForm, ReturnForm
from institutional.models import Program
from institutional.selectors import meetings as meeting_selectors
from institutional.selectors import programs as selectors
from institutional.services import programs as services
from nastavnik.documents import docx_response
from regional.models import DocumentTemplate
from regional.selectors import newer_version, template_list


def _try(form, action):
    try:
        return action()
    except ValidationError as error:
        if form is not None:
            apply_errors(form, error)
        return error


def _may_draft(request, pair) -> bool:
    return has_any_role(request, MANAGERS) or selectors.pair_side(request.user, pair) == "mentor"


def _require_draft_right(request, pair):
    if not _may_draft(request, pair):
        raise PermissionDenied("Программу составляет наставник пары или куратор.")


def _require_side(request, pair, side=None):
    actual = selectors.pair_side(request.user, pair)
    if actual is None or (side and actual != side):
        raise PermissionDenied("Это действие доступно только участникам пары.")


def _flash(request, result, success: str):
    if isinstance(result, ValidationError):
        for message in result.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_GET
def program_list(request):
    return render(
        request,
        "institutional/programs/list.html",
        {"rows": selectors.programs_for(request), "is_overseer": has_any_role(request, OVERSEERS)},
    )


@require_GET
def pair_detail(request, pair_id: int):
    pair = selectors.access_pair_for_program(request=request, pair_id=pair_id)
    program = Program.objects.filter(pair=pair).first()
    return render(
        request,
        "institutional/programs/pair.html",
        {
            "pair": pair,
            "program": program,
            "mentees": selectors.mentee_names(pair),
            "due_on": program.draft_due_on if program else selectors.draft_due_on(pair),
            "may_draft": _may_draft(request, pair),
            "meetings": meeting_selectors.pair_meetings(pair, with_notes=True),
        },
    )


def _chosen_model(request, template_id):
    """The model program picked to fill the form (None when none or not applicable, with a message)."""
    if not template_id:
        return None
    try:
        return services.program_model(template_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@require_http_methods(["GET", "POST"])
def program_create(request, pair_id: int):
    """A new program; «Заполнить по модели» (?template=<id>) pre-fills the form from a model program."""
    pair = selectors.access_pair_for_program(request=request, pair_id=pair_id)
    _require_draft_right(request, pair)
    source = request.POST if request.method == "POST" else request.GET
    model = _chosen_model(request, source.get("template_id") or source.get("template"))
    initial = {"starts_on": pair.starts_on.isoformat(), "ends_on": pair.ends_on.isoformat()}
    if model is not None and request.method == "GET":
        initial.update(ProgramForm.initial_from_template(model, starts_on=pair.starts_on, ends_on=pair.ends_on))
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, activities = form.values()
        result = _try(
            form,
            lambda: services.program_create(
                actor=request.user,
                pair=pair,
                data=data,
                activities=activities,
                template_id=model.pk if model else None,
            ),
        )
        if isinstance(result, Program):
            messages.success(request, "Программа сохранена как черновик.")
            return redirect("institutional:program_detail", program_id=result.pk)
    return render(
        request,
        "institutional/programs/form.html",
        {
            "form": form,
            "pair": pair,
            "title": "Новая персонализированная программа",
            "models": template_list(kind=DocumentTemplate.Kind.PROGRAM, organization=request.tenant),
            "model": model,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def program_detail(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    pair = program.pair
    side = selectors.pair_side(request.user, pair)
    changes = [(c, selectors.change_status(c)) for c in selectors.program_changes(program)]
    return render(
        request,
        "institutional/programs/detail.html",
        {
            "program": program,
            "pair": pair,
            "mentees": selectors.mentee_names(pair),
            "activities": program.activities.order_by("position"),
            "overdue": selectors.is_overdue(program),
            "side": side,
            "may_draft": _may_draft(request, pair),
            "changes": changes,
            "return_form": ReturnForm(),
            "done_form": ActivityDoneForm(initial={"done_on": organization_today().isoformat()}),
            "meetings": meeting_selectors.pair_meetings(pair, with_notes=True),
            "newer_template": newer_version(program.template_id, program.template_version),
        },
    )


@require_http_methods(["GET", "POST"])
def program_edit(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    _require_draft_right(request, program.pair)
    form = ProgramForm(request.POST or None, initial=ProgramForm.initial_from(program))
    if request.method == "POST" and form.is_valid():
        data, activities = form.values()
        result = _try(
            form, lambda: services.program_update(actor=request.user, program=program, data=data, activities=activities)
        )
        if isinstance(result, Program):
            messages.success(request, "Программа сохранена.")
            return redirect("institutional:program_detail", program_id=program.pk)
    return render(
        request,
        "institutional/programs/form.html",
        {"form": form, "pair": program.pair, "program": program, "title": f"Изменение программы: {program.title}"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def program_submit(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    _require_draft_right(request, program.pair)
    result = _try(None, lambda: services.program_submit(actor=request.user, program=program))
    _flash(request, result, "Программа передана наставляемому на согласование.")
    return redirect("institutional:program_detail", program_id=program.pk)


@require_POST
def program_confirm(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    _require_side(request, program.pair, "mentee")
    result = _try(None, lambda: services.program_confirm(actor=request.user, program=program))
    _flash(request, result, "Программа согласована.")
    return redirect("institutional:program_detail", program_id=program.pk)


@require_POST
def program_return(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    _require_side(request, program.pair, "mentee")
    form = ReturnForm(request.POST)
    comment = form.data.get("comment", "")
    result = _try(None, lambda: services.program_return(actor=request.user, program=program, comment=comment))
    _flash(request, result, "Программа возвращена наставнику с замечаниями.")
    return redirect("institutional:program_detail", program_id=program.pk)


@require_GET
def program_docx(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    document = program_document(program, organization=request.tenant)
    return docx_response(document, f"Программа наставничества {program.pk}.docx")


@require_POST
def activity_done(request, activity_id: int):
    activity = selectors.access_activity(request=request, activity_id=activity_id)
    _require_draft_right(request, activity.program.pair)
    form = ActivityDoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        result = _try(
            None,
            lambda: services.activity_mark_done(
                actor=request.user, activity=activity, done_on=data["done_on"], result=data["result"]
            ),
        )
        _flash(request, result, "Выполнение отмечено.")
    else:
        messages.error(request, "Укажите дату выполнения.")
    return redirect("institutional:program_detail", program_id=activity.program_id)


@require_http_methods(["GET", "POST"])
def change_propose(request, program_id: int):
    program = selectors.access_program(request=request, program_id=program_id)
    _require_side(request, program.pair)
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = _try(
            form,
            lambda: services.program_change_propose(
                actor=request.user,
                program=program,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                proposed=form.proposed(),
            ),
        )
        if not isinstance(result, ValidationError):
            messages.success(request, "Изменение предложено; оно вступит в силу после подтверждения второй стороной.")
            return redirect("institutional:program_detail", program_id=program.pk)
    return render(
        request,
        "institutional/programs/change_form.html",
        {"form": form, "program": program},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def change_confirm(request, change_id: int):
    change = selectors.access_change(request=request, change_id=change_id)
    _require_side(request, change.program.pair)
    result = _try(None, lambda: services.program_change_confirm(actor=request.user, change=change))
    _flash(request, result, "Изменение подтверждено и внесено в программу.")
    return redirect("institutional:program_detail", program_id=change.program_id)


@require_POST
def change_reject(request, change_id: int):
    change = selectors.access_change(request=request, change_id=change_id)
    _require_side(request, change.program.pair)
    result = _try(None, lambda: services.program_change_reject(actor=request.user, change=change))
    _flash(request, result, "Изменение отклонено; программа осталась прежней.")
    return redirect("institutional:program_detail", program_id=change.program_id)


def meeting_form_for(pair, data=None):
    participants = pair.participants.filter(left_on__isnull=True).select_related("mentee__staff").order_by("pk")
    return MeetingForm(data, participants=participants)
