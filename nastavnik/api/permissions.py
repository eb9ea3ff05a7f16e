"""The one permission every tenant API view starts from: membership of the host's organization."""

from rest_framework.permissions import BasePermission

from tenants.selectors import membership_roles


class IsTenantMember(BasePermission):
    """Allows members of the organization the request's host belongs to; caches their roles."""

    def has_permission(self, request, view) -> bool:
        tenant = getattr(request, "tenant", None)
        if tenant is None or not request.user or not request.user.is_authenticated:
            return False
        roles = membership_roles(user=request.user, organization=tenant)
        request._request.roles = roles
        return bool(roles)


class HasRole(BasePermission):
    """Allows members holding one of `view.allowed_roles` (after IsTenantMember)."""

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "allowed_roles", None)
        if not allowed:
            return True
        return bool(set(getattr(request._request, "roles", ())) & set(allowed))
