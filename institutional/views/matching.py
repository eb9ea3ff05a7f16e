"""Pages of matching (tenant schema): ranked mentor suggestions and rounds of mutual preference.

Managers (curator, council) act; the director reads. A participant of a round with a staff row
ranks the other side on their own preferences page; managers may enter rankings on their behalf.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import MANAGERS, OVERSEERS, has_any_role, own_staff, roles_required
from institutional.forms.common import apply_errors
from institutional.forms.matching import PreferenceForm, RoundForm
from institutional.models import MatchingRound, MentorEntry
from institutional.selectors import matching as selectors
from institutional.services import matching as services


def _messages(error: ValidationError) -> list[str]:
    return error.messages


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
@roles_required(OVERSEERS)
def suggestions(request):
    mentee_id = _int(request.GET.get("mentee"))
    mentees = selectors.waiting_mentees()
    if mentee_id is not None:
        mentees = mentees.filter(pk=mentee_id)
    rows = selectors.suggestions_for(mentees=mentees, limit=None if mentee_id else 5)
    return render(
        request,
        "institutional/matching/suggestions.html",
        {"rows": rows, "single": mentee_id is not None, "can_manage": has_any_role(request, MANAGERS)},
    )


@require_POST
@roles_required(MANAGERS)
def suggestion_pair(request):
    mentee = selectors.access_waiting_mentee(entry_id=_int(request.POST.get("mentee")) or 0)
    mentor = selectors.active_mentors().filter(pk=_int(request.POST.get("mentor")) or 0).first()
    if mentor is None:
        raise Http404("Наставник не найден.")
    try:
        services.suggestion_pair_create(actor=request.user, mentee=mentee, mentor=mentor)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Создан проект пары: {mentor.staff.short_name} — {mentee.full_name}. Он ждёт утверждения приказом.",
        )
    return redirect("institutional:matching")


@require_GET
def round_list(request):
    is_overseer = has_any_role(request, OVERSEERS)
    rounds = selectors.round_list() if is_overseer else []
    staff = own_staff(request)
    mine = []
    for matching_round in MatchingRound.objects.exclude(status=MatchingRound.Status.SENT):
        for row in selectors.own_preferences(matching_round=matching_round, staff=staff):
            mine.append((matching_round, row))
    if not is_overseer and not mine:
        raise Http404("Вы не участвуете в подборе пар.")
    return render(
        request,
        "institutional/matching/round_list.html",
        {"rounds": rounds, "mine": mine, "form": RoundForm(), "can_manage": has_any_role(request, MANAGERS)},
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def round_add(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching_round = services.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Тур подбора открыт: участники могут указать свои предпочтения.")
            return redirect("institutional:matching_round_detail", round_id=matching_round.pk)
    return render(
        request,
        "institutional/matching/round_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@roles_required(OVERSEERS)
def round_detail(request, round_id):
    matching_round = selectors.access_round(round_id=round_id)
    view = selectors.round_view(matching_round)
    mentor_names = {row.mentor_id: row.mentor.staff.short_name for row in view.mentor_rows}
    mentee_names = {row.mentee_id: row.mentee.full_name for row in view.mentee_rows}
    return render(
        request,
        "institutional/matching/round_detail.html",
        {
            "view": view,
            "round": matching_round,
            "mentee_lists": [(row, [mentor_names.get(i, "?") for i in row.ranked]) for row in view.mentee_rows],
            "mentor_lists": [
                (row, [mentee_names.get(i, "?") for i in row.ranked], view.free_places.get(row.mentor_id, 0))
                for row in view.mentor_rows
            ],
            "can_manage": has_any_role(request, MANAGERS),
            "is_editable": matching_round.status != MatchingRound.Status.SENT,
        },
    )


def _round_action(request, round_id, action, success):
    matching_round = selectors.access_round(round_id=round_id)
    try:
        result = action(matching_round)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success(result))
    return redirect("institutional:matching_round_detail", round_id=matching_round.pk)


@require_POST
@roles_required(MANAGERS)
def round_run(request, round_id):
    return _round_action(
        request,
        round_id,
        lambda r: services.round_run(actor=request.user, matching_round=r),
        lambda proposals: f"Распределение рассчитано: пар — {len(proposals)}.",
    )


@require_POST
@roles_required(MANAGERS)
def proposal_edit(request, round_id):
    mentee_id = _int(request.POST.get("mentee"))
    mentor_id = _int(request.POST.get("mentor"))

    def action(matching_round):
        warnings = services.proposal_set(
            actor=request.user, matching_round=matching_round, mentee_id=mentee_id or 0, mentor_id=mentor_id
        )
        for warning in warnings:
            messages.warning(request, warning)

    return _round_action(request, round_id, action, lambda _: "Распределение изменено.")


@require_POST
@roles_required(MANAGERS)
def round_send(request, round_id):
    groups = [pk for pk in (_int(v) for v in request.POST.getlist("group")) if pk is not None]
    return _round_action(
        request,
        round_id,
        lambda r: services.round_send(actor=request.user, matching_round=r, group_mentor_ids=groups),
        lambda pairs: f"На утверждение отправлено пар и групп: {len(pairs)} (проекты ждут приказа директора).",
    )


@require_http_methods(["GET", "POST"])
def preference_edit(request, round_id, preference_id):
    matching_round = selectors.access_round(round_id=round_id)
    is_manager = has_any_role(request, MANAGERS)
    row = selectors.access_preference(
        request=request, matching_round=matching_round, preference_id=preference_id, may_enter_for_others=is_manager
    )
    candidate_ids = services.candidate_ids(matching_round, row)
    if row.mentee_id:
        entries = {m.pk: m for m in MentorEntry.objects.filter(pk__in=candidate_ids).select_related("staff")}
        candidates = [
            (pk, f"{entries[pk].staff.full_name} — {entries[pk].staff.position}")
            for pk in sorted(candidate_ids, key=lambda pk: entries[pk].staff.full_name)
        ]
        who = row.mentee.full_name
    else:
        from institutional.models import MenteeEntry

        entries = {m.pk: m for m in MenteeEntry.objects.filter(pk__in=candidate_ids).select_related("staff")}
        candidates = [(pk, entries[pk].full_name) for pk in sorted(candidate_ids, key=lambda pk: entries[pk].full_name)]
        who = row.mentor.staff.full_name
    form = PreferenceForm(
        request.POST or None,
        candidates=candidates,
        initial_ranked=list(row.ranked),
        with_note=is_manager and bool(row.mentee_id),
        note=row.support_note,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(
                actor=request.user,
                preference=row,
                ranked=form.ranked(),
                support_note=form.cleaned_data.get("support_note"),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Предпочтения сохранены.")
            if is_manager:
                return redirect("institutional:matching_round_detail", round_id=matching_round.pk)
            return redirect("institutional:matching_round_list")
    return render(
        request,
        "institutional/matching/preference_form.html",
        {
            "form": form,
            "round": matching_round,
            "row": row,
            "who": who,
            "ranks_mentors": bool(row.mentee_id),
            "is_manager": is_manager,
            "is_editable": matching_round.status != MatchingRound.Status.SENT,
        },
        status=400 if request.method == "POST" else 200,
    )
