"""Read path of the model documents (public schema tables): which models apply to whom.

Reachable from a tenant connection too (search_path tenant,public), so organizations read the
models published for them through these functions. Three levels publish: the project itself
(`publisher` empty), a region and a municipality. An educational organization uses the project's
models, its region's and its own municipality's (an organization of regional subordination: the
project's and the region's); a municipality uses the project's, its region's and its own; a region
the project's and its own. Drafts are seen only by their publisher.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from regional.models import DocumentTemplate
from tenants.models import Level, Role

NOT_FOUND = "Модельный документ не найден."
# Who keeps the models of a region (on its host) and of a municipality (on its host).
TEMPLATE_EDITORS = {
    Level.REGION: frozenset({Role.REGIONAL_COORDINATOR, Role.REGIONAL_METHODOLOGIST}),
    Level.MUNICIPALITY: frozenset({Role.MUNICIPAL_COORDINATOR}),
}


def can_edit_templates(request) -> bool:
    """The signed-in member keeps the models of the host's region or municipality."""
    tenant = getattr(request, "tenant", None)
    roles = set(getattr(request, "roles", ()))
    return tenant is not None and bool(roles & TEMPLATE_EDITORS.get(tenant.level, frozenset()))


def publishers_for(organization) -> list[int | None]:
    """Ids of the organizations whose models apply to `organization` (None = the project's own)."""
    level = getattr(organization, "level", None)
    if level == Level.REGION:
        return [None, organization.pk]
    if level == Level.MUNICIPALITY:
        return [None, organization.parent_id, organization.pk]
    if level == Level.ORGANIZATION:
        parent = organization.parent
        if parent.level == Level.MUNICIPALITY:
            return [None, parent.parent_id, parent.pk]
        return [None, parent.pk]
    return [None]


def _publisher_filter(publishers: list[int | None]) -> Q:
    ids = [pk for pk in publishers if pk is not None]
    condition = Q(publisher__isnull=True)
    if ids:
        condition |= Q(publisher_id__in=ids)
    return condition


def _specificity(template: DocumentTemplate) -> int:
    """Municipality's models first, then the region's, then the project's."""
    if template.publisher_id is None:
        return 2
    return 0 if template.publisher.level == Level.MUNICIPALITY else 1


def template_list(*, kind: str, organization) -> list[DocumentTemplate]:
    """The latest published version of each model of a kind that applies to `organization`.

    The most local first (the municipality's variants, then the region's, then the project's), each
    group by title. `organization=None` means no organization: the project's own models only.
    """
    templates = (
        DocumentTemplate.objects.filter(_publisher_filter(publishers_for(organization)), kind=kind, is_published=True)
        .select_related("publisher")
        .order_by("code", "-version")
        .distinct("code")
    )
    return sorted(templates, key=lambda template: (_specificity(template), template.title, template.code))


def template_get(*, kind: str, template_id, organization) -> DocumentTemplate:
    """A published model of the kind that applies to `organization`; "not found" for anything else.

    Any published version is accepted (an organization may still create from the version it read).
    """
    try:
        template_id = int(template_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    template = (
        DocumentTemplate.objects.filter(
            _publisher_filter(publishers_for(organization)), kind=kind, is_published=True, pk=template_id
        )
        .select_related("publisher")
        .first()
    )
    if template is None:
        raise Http404(NOT_FOUND)
    return template


def newer_version(template_id, version) -> DocumentTemplate | None:
    """The latest published version of the same model newer than `version`, or None (one query).

    `version` may be unknown (documents made before versions were recorded): then the version of
    the row `template_id` itself is the one compared against.
    """
    if template_id is None:
        return None
    source = DocumentTemplate.objects.filter(pk=template_id)
    baseline = version if version is not None else Subquery(source.values("version")[:1])
    return (
        DocumentTemplate.objects.filter(
            code=Subquery(source.values("code")[:1]), is_published=True, version__gt=baseline
        )
        .order_by("-version")
        .first()
    )


def template_visible(*, organization, template_id) -> DocumentTemplate:
    """A model `organization` may read: any version of its own (drafts too), a published version of
    a model that applies to it. "Not found" for anything else, missing or not."""
    try:
        template_id = int(template_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    condition = Q(is_published=True) & _publisher_filter(publishers_for(organization))
    if getattr(organization, "level", None) in (Level.REGION, Level.MUNICIPALITY):
        condition |= Q(publisher_id=organization.pk)
    template = (
        DocumentTemplate.objects.filter(condition, pk=template_id).select_related("publisher", "based_on").first()
    )
    if template is None:
        raise Http404(NOT_FOUND)
    return template


def access_own_template(*, organization, template_id) -> DocumentTemplate:
    """A model published (or drafted) by `organization` itself — the only ones it may change."""
    try:
        template_id = int(template_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    if getattr(organization, "level", None) not in (Level.REGION, Level.MUNICIPALITY):
        raise Http404(NOT_FOUND)
    template = (
        DocumentTemplate.objects.filter(publisher_id=organization.pk, pk=template_id)
        .select_related("publisher", "based_on")
        .first()
    )
    if template is None:
        raise Http404(NOT_FOUND)
    return template


def template_versions(*, template: DocumentTemplate, organization) -> list[DocumentTemplate]:
    """Every version of the model's code `organization` may see, newest first (drafts: own only)."""
    versions = DocumentTemplate.objects.filter(code=template.code).order_by("-version")
    if template.publisher_id is None or template.publisher_id != getattr(organization, "pk", None):
        versions = versions.filter(is_published=True)
    return list(versions)


def own_templates(*, kind: str, organization) -> list[DocumentTemplate]:
    """The models `organization` publishes (the latest version of each code, draft or not), by title.

    Each row carries `published_version`: its latest published version, if any.
    """
    if getattr(organization, "level", None) not in (Level.REGION, Level.MUNICIPALITY):
        return []
    latest_published = DocumentTemplate.objects.filter(code=OuterRef("code"), is_published=True).order_by("-version")
    rows = (
        DocumentTemplate.objects.filter(kind=kind, publisher_id=organization.pk)
        .select_related("based_on", "based_on__publisher")
        .annotate(published_version_number=Coalesce(Subquery(latest_published.values("version")[:1]), 0))
        .order_by("code", "-version")
        .distinct("code")
    )
    return sorted(rows, key=lambda template: (template.title, template.code))


def latest_version(code: str) -> DocumentTemplate | None:
    """The newest row of a model's code, draft or published."""
    return DocumentTemplate.objects.filter(code=code).order_by("-version").first()
