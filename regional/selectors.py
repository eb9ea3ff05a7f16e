"""Read path of the region's published model documents (public schema tables).

Reachable from a tenant connection too (search_path tenant,public), so organizations read the
templates published for them through these functions.
"""

from __future__ import annotations

from django.http import Http404

from regional.models import DocumentTemplate


def template_list(*, kind: str) -> list[DocumentTemplate]:
    """Published templates of a kind, only the latest version of each code."""
    templates = DocumentTemplate.objects.filter(kind=kind, is_published=True).order_by("code", "-version")
    latest: dict[str, DocumentTemplate] = {}
    for template in templates:
        latest.setdefault(template.code, template)
    return sorted(latest.values(), key=lambda template: template.title)


def template_get(*, kind: str, template_id: int) -> DocumentTemplate:
    """A published template of the kind; "not found" for anything else."""
    template = DocumentTemplate.objects.filter(kind=kind, is_published=True, pk=template_id).first()
    if template is None:
        raise Http404("Модельный документ не найден.")
    return template
