"""Pages of the regulation (Положение): versions, drafts, approval, downloads (tenant schema)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS, has_any_role, roles_required
from institutional.documents.regulation import regulation_docx_response
from institutional.forms.common import apply_errors
from institutional.forms.regulation import OrderForm, ParametersForm, TemplateChoiceForm, UploadForm
from institutional.models import RegulationVersion
from institutional.selectors.regulation import (
    RULE_FIELDS,
    access_regulation_version,
    regulation_in_force,
    regulation_version_list,
)
from institutional.services import regulation as services
from nastavnik.uploads import stored_file_response
from regional.models import DocumentTemplate
from regional.selectors import newer_version, template_list


def _page(request, *, template_form=None, upload_form=None, status=200):
    templates = template_list(kind=DocumentTemplate.Kind.REGULATION, organization=request.tenant)
    # The newest version made from a model: once a draft is made from the new model, the notice goes.
    from_model = RegulationVersion.objects.filter(template_id__isnull=False).order_by("-number").first()
    context = {
        "newer_template": newer_version(from_model.template_id, from_model.template_version) if from_model else None,
        "in_force": regulation_in_force(),
        "versions": regulation_version_list(),
        "template_form": template_form or TemplateChoiceForm(templates=templates),
        "upload_form": upload_form or UploadForm(),
        "can_manage": has_any_role(request, MANAGERS),
        "can_approve": has_any_role(request, DIRECTORS),
        "rule_fields": RULE_FIELDS,
    }
    return render(request, "institutional/regulation/page.html", context, status=status)


@require_GET
@roles_required(OVERSEERS)
def regulation(request):
    return _page(request)


@require_POST
@roles_required(MANAGERS)
def regulation_create_from_template(request):
    form = TemplateChoiceForm(
        request.POST, templates=template_list(kind=DocumentTemplate.Kind.REGULATION, organization=request.tenant)
    )
    if form.is_valid():
        version = services.regulation_create_from_template(
            actor=request.user, template_id=form.cleaned_data["template"]
        )
        messages.success(request, f"Создан проект положения, версия {version.number}. Проверьте параметры.")
        return redirect("institutional:regulation_edit", version_id=version.pk)
    return _page(request, template_form=form, status=400)


@require_POST
@roles_required(MANAGERS)
def regulation_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.regulation_create_from_upload(
                actor=request.user, document=form.cleaned_data["document"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form.add_error("document", error.messages)
        else:
            messages.success(
                request, f"Документ загружен как проект положения, версия {version.number}. Укажите его параметры."
            )
            return redirect("institutional:regulation_edit", version_id=version.pk)
    return _page(request, upload_form=form, status=400)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def regulation_edit(request, version_id: int):
    version = access_regulation_version(version_id=version_id)
    if version.status != RegulationVersion.Status.DRAFT:
        messages.error(request, "Изменять можно только проект положения; утверждённые версии не меняются.")
        return redirect("institutional:regulation")
    initial = {"title": version.title, **{name: getattr(version, name) for name in RULE_FIELDS}}
    form = ParametersForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        title = data.pop("title")
        try:
            services.regulation_update_parameters(actor=request.user, version=version, parameters=data, title=title)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Параметры проекта сохранены.")
            return redirect("institutional:regulation")
    return render(
        request,
        "institutional/regulation/edit.html",
        {"version": version, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@roles_required(DIRECTORS)
def regulation_approve(request, version_id: int):
    version = access_regulation_version(version_id=version_id)
    if version.status != RegulationVersion.Status.DRAFT:
        messages.error(request, "Утвердить можно только проект положения.")
        return redirect("institutional:regulation")
    form = OrderForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        order = services.Order(
            number=form.cleaned_data["order_number"],
            day=form.cleaned_data["order_date"],
            scan=form.cleaned_data["order_scan"],
        )
        try:
            services.regulation_approve(actor=request.user, version=version, order=order)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Положение (версия {version.number}) утверждено и вступило в действие.")
            return redirect("institutional:regulation")
    return render(
        request,
        "institutional/regulation/approve.html",
        {"version": version, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@roles_required(MANAGERS)
def regulation_delete(request, version_id: int):
    version = access_regulation_version(version_id=version_id)
    try:
        services.regulation_delete(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Проект положения (версия {version.number}) удалён.")
    return redirect("institutional:regulation")


@require_GET
@roles_required(OVERSEERS)
def regulation_download(request, version_id: int):
    """The uploaded document, or the generated DOCX of a version made from a model."""
    version = access_regulation_version(version_id=version_id)
    if version.source == RegulationVersion.Source.UPLOAD:
        return stored_file_response(version.document)
    return regulation_docx_response(version)


@require_GET
@roles_required(OVERSEERS)
def regulation_order_scan(request, version_id: int):
    version = access_regulation_version(version_id=version_id)
    return stored_file_response(version.order_scan)
