"""Pages of network mentoring (/network/ on every tenant host; each view checks the roles it serves).

One page with a section per role: «Мои запросы» for the curator, the council and the director of a
mentee's organization; «Входящие запросы» for the director of a mentor's organization; «Предложения
мне» for a mentor whose director released them. Public rows plus, from the schema of the host's own
organization only, the names of its own people.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.forms.common import BootstrapMixin, apply_errors
from regional import network as selectors
from regional.models import NetworkRequest
from regional.services import network as services
from tenants.models import Role


class RequestForm(BootstrapMixin, forms.Form):
    mentee = forms.TypedChoiceField(label="Наставляемый", coerce=int, empty_value=None)
    topic = forms.CharField(
        label="Тема наставничества",
        max_length=services.TOPIC_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Её увидят руководитель организации наставника и сам наставник — вместе с категориями "
        "наставляемого; имя и запросы наставляемого останутся в вашей организации.",
    )

    def __init__(self, *args, mentees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = [("", "— выберите —")] + [
            (entry.pk, f"{entry.full_name} — {', '.join(selectors.category_labels(entry.categories))}")
            for entry in mentees
        ]


class DecisionForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="Комментарий", max_length=services.COMMENT_MAX, required=False)


def _bank_url() -> str:
    try:
        return reverse("bank:search")
    except NoReverseMatch:
        return ""


@require_GET
def network_list(request):
    may_request = selectors.may_request(request)
    may_decide = selectors.may_decide_for_organization(request)
    offers = selectors.cards(selectors.offers(request.user), side="mentor")
    context = {
        "may_request": may_request,
        "may_decide": may_decide,
        "sent": selectors.cards(selectors.sent_requests(request.tenant), side="mentee_side") if may_request else [],
        "incoming": (
            selectors.cards(selectors.incoming_requests(request.tenant), side="mentor_side") if may_decide else []
        ),
        "offers": offers,
        "shows_offers": bool(offers) or Role.MENTOR in request.roles,
        "bank_url": _bank_url(),
        "decision_form": DecisionForm(),
    }
    return render(request, "regional/network/list.html", context)


@require_http_methods(["GET", "POST"])
def request_create(request, bank_mentor_id: int):
    if not selectors.may_request(request):
        raise PermissionDenied(
            "Запросить наставника другой организации может куратор, совет наставников или руководитель."
        )
    mentor = selectors.access_bank_mentor(organization=request.tenant, bank_mentor_id=bank_mentor_id)
    places = selectors.mentor_places(
        organization_id=mentor.organization_id, mentor_entry_id=mentor.mentor_entry_id, default_capacity=mentor.capacity
    )
    mentees = list(selectors.waiting_mentees())
    form = RequestForm(request.POST or None, mentees=mentees)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.network_request_create(
                actor=request.user,
                organization=request.tenant,
                bank_mentor_id=mentor.pk,
                mentee_entry_id=form.cleaned_data["mentee"],
                topic=form.cleaned_data["topic"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Запрос отправлен в «{mentor.organization.short_name}»: решение примет руководитель организации наставника.",
            )
            return redirect("network:detail", request_id=created.pk)
    context = {
        "mentor": mentor,
        "places": places,
        "is_own": mentor.organization_id == request.tenant.pk,
        "form": form,
        "has_mentees": bool(mentees),
        "bank_url": _bank_url(),
    }
    return render(request, "regional/network/request.html", context, status=400 if form.errors else 200)


@require_GET
def request_detail(request, request_id: int):
    found = selectors.access_network_request(request=request, request_id=request_id)
    sides = selectors.viewer_sides(request, found)
    side = next(s for s in ("mentee_side", "mentor_side", "mentor") if s in sides)
    card = selectors.cards([found], side=side)[0]
    context = {
        "card": card,
        "sides": sides,
        "may_cancel": "mentee_side" in sides and card.is_open,
        "may_release": "mentor_side" in sides and found.status == NetworkRequest.Status.REQUESTED,
        "may_answer": "mentor" in sides and found.status == NetworkRequest.Status.RELEASED,
        "decision_form": DecisionForm(),
    }
    return render(request, "regional/network/detail.html", context)


def _decide(request, request_id: int, action, success: str):
    found = selectors.access_network_request(request=request, request_id=request_id)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("network:detail", request_id=found.pk)
    try:
        if action is services.network_request_cancel:
            action(actor=request.user, network_request=found)
        else:
            action(actor=request.user, network_request=found, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("network:detail", request_id=found.pk)


@require_POST
def request_release(request, request_id: int):
    return _decide(
        request,
        request_id,
        services.network_request_release,
        "Наставник отпущен: запрос передан ему, решение за ним.",
    )


@require_POST
def request_decline(request, request_id: int):
    return _decide(request, request_id, services.network_request_decline_by_director, "Запрос отклонён.")


@require_POST
def request_accept(request, request_id: int):
    return _decide(
        request,
        request_id,
        services.network_request_accept,
        "Вы согласились. В организации наставляемого создан проект сетевой пары; "
        "её утвердит приказом руководитель той организации.",
    )


@require_POST
def request_refuse(request, request_id: int):
    return _decide(request, request_id, services.network_request_decline_by_mentor, "Вы отказались от запроса.")


@require_POST
def request_cancel(request, request_id: int):
    return _decide(request, request_id, services.network_request_cancel, "Запрос отозван.")
