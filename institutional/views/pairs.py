"""Pages of pairs and groups: list, drafts, approval by order, end, mentor replacement (tenant schema)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, MANAGERS, STAFF_READERS, has_any_role, roles_required
from institutional.forms.common import apply_errors
from institutional.forms.pairs import MentorReplaceForm, PairApproveForm, PairDraftForm, PairEndForm
from institutional.models import Pair, PairForm
from institutional.selectors.pairs import access_pair, pair_list
from institutional.services import pairs as services
from institutional.views.questionnaires import pair_feedback_context


@require_GET
@roles_required(STAFF_READERS)
def pair_list_page(request):
    status, form = request.GET.get("status", ""), request.GET.get("form", "")
    context = {
        "pairs": pair_list(status=status, form=form),
        "statuses": Pair.Status.choices,
        "forms": PairForm.choices,
        "status": status,
        "form_value": form,
        "can_manage": has_any_role(request, MANAGERS),
        "can_approve": has_any_role(request, DIRECTORS),
    }
    return render(request, "institutional/pairs/list.html", context)


def _draft_values(form) -> dict:
    data = form.cleaned_data
    return {
        "mentor": data["mentor"],
        "mentees": list(data["mentees"]),
        "form": data["form"],
        "kinds": data["kinds"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
    }


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def pair_create(request):
    form = PairDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_create(actor=request.user, **_draft_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Проект пары (группы) создан. Утвердить его может руководитель приказом.")
            return redirect("institutional:pair_detail", pair_id=pair.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutional/pairs/edit.html", {"form": form, "pair": None}, status=status)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def pair_edit(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    initial = {
        "mentor": pair.mentor_id,
        "mentees": [p.mentee_id for p in pair.participants.all()],
        "form": pair.form,
        "kinds": pair.kinds,
        "starts_on": pair.starts_on,
        "ends_on": pair.ends_on,
    }
    form = PairDraftForm(request.POST or None, initial=initial, pair=pair)
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_update(actor=request.user, pair=pair, **_draft_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Проект пары (группы) сохранён.")
            return redirect("institutional:pair_detail", pair_id=pair.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutional/pairs/edit.html", {"form": form, "pair": pair}, status=status)


@require_POST
@roles_required(MANAGERS)
def pair_delete(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    try:
        services.pair_delete(actor=request.user, pair=pair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("institutional:pair_detail", pair_id=pair.pk)
    messages.success(request, "Проект пары (группы) удалён.")
    return redirect("institutional:pair_list")


@require_GET
@roles_required(STAFF_READERS)
def pair_detail(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    context = {
        "pair": pair,
        "participants": pair.participants.select_related("mentee__staff"),
        "missing_consents": services.missing_consents(pair) if pair.status == Pair.Status.DRAFT else [],
        "replacements": pair.replacements.select_related("previous_mentor__staff", "new_mentor__staff", "order"),
        "can_manage": has_any_role(request, MANAGERS),
        "can_approve": has_any_role(request, DIRECTORS),
        "end_form": PairEndForm(),
        "replace_form": MentorReplaceForm(),
        "questionnaires": pair_feedback_context(request, pair),
    }
    return render(request, "institutional/pairs/detail.html", context)


@require_http_methods(["GET", "POST"])
@roles_required(DIRECTORS)
def pair_approve(request):
    form = PairApproveForm(request.POST or None, initial={"pairs": request.GET.getlist("pair")})
    if request.method == "POST" and form.is_valid():
        try:
            order = services.pair_approve(
                actor=request.user,
                pairs=list(form.cleaned_data["pairs"]),
                order_number=form.cleaned_data["order_number"],
                order_date=form.cleaned_data["order_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Пары (группы) утверждены приказом № {order.number}.")
            return redirect("institutional:order_detail", order_id=order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutional/pairs/approve.html", {"form": form}, status=status)


@require_POST
@roles_required(MANAGERS)
def pair_end(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    form = PairEndForm(request.POST)
    if form.is_valid():
        try:
            services.pair_end(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Наставничество завершено.")
            return redirect("institutional:pair_detail", pair_id=pair.pk)
    return render(request, "institutional/pairs/form_errors.html", {"form": form, "pair": pair}, status=400)


@require_POST
@roles_required(DIRECTORS)
def pair_replace_mentor(request, pair_id: int):
    pair = access_pair(request=request, pair_id=pair_id)
    form = MentorReplaceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pair_replace_mentor(
                actor=request.user,
                pair=pair,
                replacement=services.Replacement(
                    new_mentor=data["new_mentor"],
                    reason=data["reason"],
                    note=data["note"],
                    order_number=data["order_number"],
                    order_date=data["order_date"],
                ),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Наставник заменён приказом.")
            return redirect("institutional:pair_detail", pair_id=pair.pk)
    return render(request, "institutional/pairs/form_errors.html", {"form": form, "pair": pair}, status=400)
