"""The one permission every tenant API view starts from: membership of the host's organization."""

from rest_framework.permissions import BasePermission

from tenants.selectors import membership_roles


class IsTenantMember(BasePermission):
    """Allows members of the organization the request's host belongs to; caches their roles."""

    def has_permission(self, request, view) -> bool:
        tenant = getattr(request, "tenant", None)
        if tenant is None or not request.user or not request.user.is_authenticated:
            return False
        django_request = request._request
        if getattr(django_request, "roles_user_id", None) == request.user.pk and django_request.roles:
            return True  # the middleware already checked this same user
        roles = membership_roles(user=request.user, organization=tenant)
        django_request.roles = roles
        django_request.roles_user_id = request.user.pk
        return bool(roles)


class HasRole(BasePermission):
    """Allows members holding one of `view.allowed_roles` (after IsTenantMember)."""

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "allowed_roles", None)
        if not allowed:
            return True
        return bool(set(getattr(request._request, "roles", ())) & set(allowed))
