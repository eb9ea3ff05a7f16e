"""Pages of written consents (tenant schema): prepare, print (DOCX), record signing, withdraw.

The curator, the council and the director see every consent; anyone may open, print and withdraw
their own. Signed scans are served only through `consent_scan`, after the same access check.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import MANAGERS, OVERSEERS, has_any_role, roles_required
from institutional.dates import organization_today
from institutional.documents.consents import consent_document, consent_filename
from institutional.forms.consents import ConsentCreateForm, ConsentSignForm, ConsentWithdrawForm
from institutional.models import Consent, ConsentKind
from institutional.selectors.consents import access_consent, consent_list, is_own_consent
from institutional.services import consents as services
from institutional.views.banks import _try
from nastavnik.documents import docx_response


@require_GET
@roles_required(OVERSEERS)
def consent_list_page(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    kind = kind if kind in ConsentKind.values else ""
    status = status if status in Consent.Status.values else ""
    return render(
        request,
        "institutional/consents/list.html",
        {
            "consents": consent_list(kind=kind, status=status),
            "kind": kind,
            "status": status,
            "kinds": ConsentKind.choices,
            "statuses": Consent.Status.choices,
            "can_manage": has_any_role(request, MANAGERS),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def consent_add(request):
    initial = {}
    if request.GET.get("staff"):
        initial["subject"] = f"staff:{request.GET['staff']}"
    if request.GET.get("mentee"):
        initial["subject"] = f"mentee:{request.GET['mentee']}"
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = ConsentCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        consent = _try(
            form, lambda: services.consent_create(actor=request.user, organization=request.tenant, **form.values())
        )
        if consent is not None:
            messages.success(request, "Согласие подготовлено. Распечатайте его, дайте подписать и приложите скан.")
            return redirect("institutional:consent_detail", consent_id=consent.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutional/consents/form.html", {"form": form}, status=status)


def _detail(request, consent, *, sign_form=None, withdraw_form=None, status=200):
    can_manage = has_any_role(request, MANAGERS)
    return render(
        request,
        "institutional/consents/detail.html",
        {
            "consent": consent,
            "can_manage": can_manage,
            "can_withdraw": consent.status == Consent.Status.SIGNED
            and (can_manage or is_own_consent(request, consent)),
            "sign_form": sign_form or ConsentSignForm(initial={"signed_on": organization_today()}),
            "withdraw_form": withdraw_form or ConsentWithdrawForm(initial={"withdrawn_on": organization_today()}),
        },
        status=status,
    )


@require_GET
def consent_detail(request, consent_id: int):
    return _detail(request, access_consent(request=request, consent_id=consent_id))


@require_GET
def consent_docx(request, consent_id: int):
    consent = access_consent(request=request, consent_id=consent_id)
    return docx_response(consent_document(consent), consent_filename(consent))


@require_GET
def consent_scan(request, consent_id: int):
    consent = access_consent(request=request, consent_id=consent_id)
    if not consent.signed_scan:
        raise Http404("Скан не приложен.")
    return FileResponse(
        consent.signed_scan.open("rb"), as_attachment=True, filename=consent.signed_scan.name.rsplit("/", 1)[-1]
    )


@require_POST
@roles_required(MANAGERS)
def consent_sign(request, consent_id: int):
    consent = access_consent(request=request, consent_id=consent_id)
    form = ConsentSignForm(request.POST, request.FILES)
    if form.is_valid() and _try(
        form,
        lambda: services.consent_sign(
            actor=request.user,
            consent=consent,
            signed_on=form.cleaned_data["signed_on"],
            scan=form.cleaned_data["signed_scan"],
        ),
    ):
        messages.success(request, "Подписание согласия записано.")
        return redirect("institutional:consent_detail", consent_id=consent.pk)
    return _detail(request, consent, sign_form=form, status=400)


@require_POST
def consent_withdraw(request, consent_id: int):
    """The curator or the council record a withdrawal; a person may withdraw their own consent."""
    consent = access_consent(request=request, consent_id=consent_id)
    if not (has_any_role(request, MANAGERS) or is_own_consent(request, consent)):
        raise Http404("Согласие не найдено.")
    form = ConsentWithdrawForm(request.POST)
    result = None
    if form.is_valid():
        result = _try(
            form,
            lambda: services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                organization=request.tenant,
            ),
        )
    if result is None:
        return _detail(request, consent, withdraw_form=form, status=400)
    text = "Согласие отозвано."
    if result.changes:
        text += " " + "; ".join(result.changes).capitalize() + "."
    messages.success(request, text)
    if request.POST.get("next") == "me":
        return redirect("institutional:me")
    return redirect("institutional:consent_detail", consent_id=consent.pk)
