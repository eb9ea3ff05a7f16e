"""Which educational organizations a region, a municipality or an organization answers for (public schema).

A region's organizations are those under its municipalities and those of regional subordination
(a ЦНППМ, a regional college); a municipality's are its own children; an organization answers for
itself. Only active organizations of the "organization" level count in the indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from analytics.kpi import OrganizationKpi, Period, organization_kpis
from tenants.models import Level, Organization, OrganizationKind


@dataclass(frozen=True)
class OrganizationRef:
    """What the regional and municipal pages show of an organization besides its numbers."""

    id: int
    code: str
    short_name: str
    full_name: str
    kind: str
    kind_label: str
    # The municipality, or the region itself for regional subordination.
    parent_id: int
    parent_name: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationRef:
        parent = organization.parent
        return cls(
            id=organization.pk,
            code=organization.code,
            short_name=organization.short_name,
            full_name=organization.full_name,
            kind=organization.kind,
            kind_label=organization.get_kind_display(),
            parent_id=organization.parent_id,
            parent_name=parent.short_name if parent else "",
        )


def _organizations(scope: Organization):
    """The active educational organizations the scope answers for (a queryset)."""
    queryset = Organization.objects.filter(level=Level.ORGANIZATION, is_active=True)
    if scope.level == Level.REGION:
        return queryset.filter(Q(parent=scope) | Q(parent__parent=scope))
    if scope.level == Level.MUNICIPALITY:
        return queryset.filter(parent=scope)
    return queryset.filter(pk=scope.pk)


def organization_refs(queryset) -> list[OrganizationRef]:
    """The organizations of a queryset as the pages name them, by parent, name and id."""
    kind_labels = dict(OrganizationKind.choices)
    refs = [
        OrganizationRef(
            id=pk,
            code=code,
            short_name=short_name,
            full_name=full_name,
            kind=kind,
            kind_label=kind_labels.get(kind, ""),
            parent_id=parent_id,
            parent_name=parent_name or "",
        )
        for pk, code, short_name, full_name, kind, parent_id, parent_name in queryset.values_list(
            "pk", "code", "short_name", "full_name", "kind", "parent_id", "parent__short_name"
        )
    ]
    return sorted(refs, key=lambda ref: (ref.parent_name, ref.short_name, ref.id))


def organizations_under(scope: Organization) -> list[OrganizationRef]:
    """The active educational organizations the scope answers for, by parent, name and id."""
    return organization_refs(_organizations(scope))


def scope_members(scope: Organization):
    """The scope's organizations for `analytics.kpi.scope_rollups`: (id, parent id, parent name, name),
    grouped by parent — a municipality, or the region itself for regional subordination."""
    return _organizations(scope).values_list("pk", "parent_id", "parent__short_name", "short_name").order_by()


def regional_subordination(region: Organization) -> list[OrganizationRef]:
    """The region's own active educational organizations (not under a municipality), by name."""
    return organization_refs(Organization.objects.filter(level=Level.ORGANIZATION, is_active=True, parent=region))


def municipalities_of(region: Organization) -> list[Organization]:
    """The region's active municipalities, by name."""
    return list(
        Organization.objects.filter(level=Level.MUNICIPALITY, parent=region, is_active=True).order_by("short_name")
    )


def municipality_names(region: Organization) -> dict[int, str]:
    """The region's active municipalities, id → name, by name (`municipalities_of` without the models)."""
    return dict(
        Organization.objects.filter(level=Level.MUNICIPALITY, parent=region, is_active=True)
        .order_by("short_name")
        .values_list("pk", "short_name")
    )


def scope_kpis(scope: Organization, period: Period) -> tuple[list[OrganizationRef], dict[int, OrganizationKpi]]:
    """The organizations of the scope and every indicator's inputs for each (a fixed number of queries)."""
    refs = organizations_under(scope)
    return refs, organization_kpis([ref.id for ref in refs], period)


def is_under(scope: Organization, organization_id: int) -> bool:
    """Whether an organization (any level) is the scope itself or below it."""
    if organization_id == scope.pk:
        return True
    return Organization.objects.filter(Q(pk=organization_id) & (Q(parent=scope) | Q(parent__parent=scope))).exists()
