"""Pages of the model documents (public tables; on every tenant host, each view checks the level).

Every member reads the models that apply to their organization (`regional.selectors`). On a region's
host the regional coordinator and methodologist, on a municipality's host the municipal coordinator
make their own models from the ones above, edit drafts, publish them and start new versions; a model
of another organization, or any editing on an organization's host, is "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regional import selectors
from regional.models import DocumentTemplate
from regional.selectors import TEMPLATE_EDITORS as EDITORS
from regional.selectors import can_edit_templates as can_edit
from regional.services import templates as services
from regional.views.template_editor import content_from_post, editor_rows, preview
from tenants.models import Level

Kind = DocumentTemplate.Kind
# Where an organization makes a document of each kind from a model.
USE_PAGES = {
    Kind.REGULATION: ("institutional:regulation", "Создать проект положения по модели — на странице «Положение»."),
    Kind.ROADMAP: ("institutional:roadmap_list", "Создать дорожную карту по модели — на странице «Дорожная карта»."),
    Kind.PROGRAM: (
        "institutional:program_list",
        "Наставник или куратор заполняет программу пары по модели при её составлении (кнопка «Заполнить по модели»).",
    ),
    Kind.QUESTIONNAIRE: (
        "institutional:questionnaire_create",
        "Создать анкету по модели — на странице «Новая анкета».",
    ),
}


def _require_editor(request) -> None:
    if request.tenant.level not in EDITORS:
        raise Http404("Страница не найдена")
    if not can_edit(request):
        raise PermissionDenied(
            "Модельные документы ведут региональный координатор и методист, в муниципалитете — координатор."
        )


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in Kind.values else Kind.REGULATION


def _source_label(template: DocumentTemplate) -> str:
    if template.publisher_id is None:
        return "Модель проекта"
    if template.publisher.level == Level.MUNICIPALITY:
        return f"Модель муниципалитета ({template.publisher.short_name})"
    return f"Модель региона ({template.publisher.short_name})"


@require_GET
def template_list(request):
    kind = _kind(request)
    organization = request.tenant
    editor = can_edit(request)
    applicable = selectors.template_list(kind=kind, organization=organization)
    own = selectors.own_templates(kind=kind, organization=organization) if editor else []
    for template in applicable:
        template.source_label = _source_label(template)
    context = {
        "kind": kind,
        "kind_label": Kind(kind).label,
        "kinds": Kind.choices,
        "applicable": [t for t in applicable if t.publisher_id != organization.pk] if editor else applicable,
        "own": own,
        "can_edit": editor,
        "is_municipality": organization.level == Level.MUNICIPALITY,
        "is_organization": organization.level == Level.ORGANIZATION,
        "use_page": USE_PAGES[kind],
    }
    return render(request, "regional/templates/list.html", context)


def _detail_page(request, template, *, publish_error="", change_note="", status=200):
    organization = request.tenant
    own = template.publisher_id == organization.pk
    versions = selectors.template_versions(template=template, organization=organization)
    latest_published = next((version for version in versions if version.is_published), None)
    adaptable = (
        can_edit(request)
        and not own
        and template.is_published
        and any(t.pk == template.pk for t in selectors.template_list(kind=template.kind, organization=organization))
    )
    context = {
        "template": template,
        "source_label": _source_label(template),
        "preview": preview(template.kind, template.content),
        "versions": versions,
        "newest": latest_published if latest_published and latest_published.version > template.version else None,
        "is_own": own,
        "can_edit": own and can_edit(request),
        "has_draft": any(not version.is_published for version in versions),
        "adaptable": adaptable,
        "publish_error": publish_error,
        "change_note": change_note,
        "use_page": USE_PAGES[template.kind] if organization.level == Level.ORGANIZATION else None,
    }
    return render(request, "regional/templates/detail.html", context, status=status)


@require_GET
def template_detail(request, template_id: int):
    template = selectors.template_visible(organization=request.tenant, template_id=template_id)
    return _detail_page(request, template)


@require_POST
def template_adapt(request, template_id: int):
    _require_editor(request)
    source = selectors.template_visible(organization=request.tenant, template_id=template_id)
    try:
        template = services.template_adapt(actor=request.user, publisher=request.tenant, source=source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("templates:detail", template_id=source.pk)
    messages.success(request, "Создан черновик вашей модели на основе выбранной. Отредактируйте и опубликуйте его.")
    return redirect("templates:edit", template_id=template.pk)


@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    _require_editor(request)
    template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
    if template.is_published:
        messages.error(request, f"Версия {template.version} опубликована и не меняется: начните новую версию.")
        return redirect("templates:detail", template_id=template.pk)
    title, content, errors = template.title, template.content, {}
    if request.method == "POST":
        title = request.POST.get("title", "")
        content = content_from_post(template.kind, request.POST)
        try:
            services.template_update_draft(
                actor=request.user, publisher=request.tenant, template=template, title=title, content=content
            )
        except ValidationError as error:
            errors = (
                {name: texts[0] for name, texts in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {"": " ".join(error.messages)}
            )
        else:
            messages.success(request, f"Черновик версии {template.version} сохранён.")
            if request.POST.get("then") == "publish":
                return redirect("templates:detail", template_id=template.pk)
            return redirect("templates:edit", template_id=template.pk)
    return render(
        request,
        "regional/templates/edit.html",
        {
            "template": template,
            "title_value": title,
            "title_error": errors.get("title", ""),
            "general_error": errors.get("", "") or errors.get("content", ""),
            "has_errors": bool(errors),
            "editor": editor_rows(template.kind, content, errors),
        },
        status=400 if errors else 200,
    )


@require_POST
def template_publish(request, template_id: int):
    _require_editor(request)
    template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
    change_note = request.POST.get("change_note", "")
    try:
        services.template_publish(
            actor=request.user, publisher=request.tenant, template=template, change_note=change_note
        )
    except ValidationError as error:
        return _detail_page(
            request, template, publish_error=" ".join(error.messages), change_note=change_note, status=400
        )
    messages.success(request, f"Версия {template.version} модели «{template.title}» опубликована.")
    return redirect("templates:detail", template_id=template.pk)


@require_POST
def template_new_version(request, template_id: int):
    _require_editor(request)
    template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
    try:
        draft = services.template_new_version(actor=request.user, publisher=request.tenant, template=template)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("templates:detail", template_id=template.pk)
    messages.success(request, f"Начата версия {draft.version}: это копия последней опубликованной версии.")
    return redirect("templates:edit", template_id=draft.pk)


@require_POST
def template_delete(request, template_id: int):
    _require_editor(request)
    template = selectors.access_own_template(organization=request.tenant, template_id=template_id)
    try:
        services.template_delete_draft(actor=request.user, publisher=request.tenant, template=template)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("templates:detail", template_id=template.pk)
    messages.success(request, f"Черновик версии {template.version} удалён.")
    previous = selectors.latest_version(template.code)
    if previous is not None:
        return redirect("templates:detail", template_id=previous.pk)
    return redirect(f"{reverse('templates:list')}?kind={template.kind}")
