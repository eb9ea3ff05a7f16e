"""Read path for the public schema: organizations, memberships, users."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.models import Level, Membership, Organization, User


def membership_roles(*, user: User, organization: Organization) -> frozenset[str]:
    """The active roles `user` holds in `organization` (empty when not a member)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        Membership.objects.filter(user=user, organization=organization, is_active=True).values_list("role", flat=True)
    )


def membership_list(*, user: User) -> QuerySet[Membership]:
    """Every active membership of `user` in an active organization, for the switcher."""
    return (
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .prefetch_related("organization__domains")
        .order_by("organization__level", "organization__short_name", "role")
    )


def organization_children(*, organization: Organization) -> QuerySet[Organization]:
    """What an organization oversees: a region its municipalities and organizations
    (direct and through municipalities), a municipality its organizations."""
    base = Organization.objects.filter(is_active=True).select_related("parent")
    if organization.level == Level.REGION:
        return base.filter(parent=organization) | base.filter(parent__parent=organization)
    if organization.level == Level.MUNICIPALITY:
        return base.filter(parent=organization)
    return base.none()


def region_list() -> QuerySet[Organization]:
    return Organization.objects.filter(level=Level.REGION, is_active=True).prefetch_related("domains")


def organization_get_by_code(code: str) -> Organization | None:
    return Organization.objects.filter(code=code).first()
