"""The teacher's own cabinet (tenant schema): their pairs as a mentor or a mentee, their bank entries
and their consents, nobody else's.

Every object here is fetched with `own_only=True`, so another person's id is "not found" even for
the curator (who manages others' records on the bank pages instead).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from institutional.access import own_staff
from institutional.forms.banks import MenteeOwnForm, MentorOwnForm
from institutional.forms.consents import ConsentWithdrawForm
from institutional.models import ConsentKind, MenteeEntry, MentorEntry
from institutional.selectors import banks as selectors
from institutional.selectors.cabinets import cabinet_for
from institutional.selectors.consents import consents_visible, has_signed_consent
from institutional.selectors.matching import matching_invitations
from institutional.services import banks as services
from institutional.views.banks import _try


@require_GET
def me(request):
    staff = own_staff(request)
    context = {"staff": staff}
    if staff is not None:
        context.update(
            mentee_rows=selectors.mentee_rows(MenteeEntry.objects.filter(staff=staff).select_related("staff")),
            mentor_entries=MentorEntry.objects.filter(staff=staff).prefetch_related("trainings"),
            consents=consents_visible(request, own_only=True),
            has_publication_consent=has_signed_consent(kind=ConsentKind.PUBLICATION, staff=staff),
            withdraw_form=ConsentWithdrawForm(),
            cabinet=cabinet_for(staff, request=request),
            matching_invitations=matching_invitations(staff),
        )
    return render(request, "institutional/me.html", context)


@require_http_methods(["GET", "POST"])
def me_mentee_edit(request, entry_id: int):
    entry = selectors.access_mentee_entry(request=request, entry_id=entry_id, own_only=True)
    form = MenteeOwnForm(request.POST or None, initial=MenteeOwnForm.initial_from(entry))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            lambda: services.mentee_entry_update(actor=request.user, entry=entry, data=form.cleaned_data, own=True),
        )
    ):
        messages.success(request, "Ваши запросы и затруднения сохранены.")
        return redirect("institutional:me")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentee_form.html",
        {"form": form, "entry": entry, "title": "Мои запросы наставнику", "back": "institutional:me"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def me_mentor_edit(request, entry_id: int):
    entry = selectors.access_mentor_entry(request=request, entry_id=entry_id, own_only=True)
    form = MentorOwnForm(request.POST or None, initial=MentorOwnForm.initial_from(entry))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            lambda: services.mentor_entry_update(actor=request.user, entry=entry, data=form.cleaned_data, own=True),
        )
    ):
        messages.success(request, "Ваша запись в банке наставников сохранена.")
        return redirect("institutional:me")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutional/banks/mentor_form.html",
        {"form": form, "entry": entry, "title": "Моя запись в банке наставников", "back": "institutional:me"},
        status=status,
    )
