"""Template context shared by every page: the current organization and the user's memberships."""

from institutional.access import OVERSEERS
from tenants.models import Role
from tenants.selectors import membership_list


def platform(request):
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(membership_list(user=user))
    roles = getattr(request, "roles", frozenset())
    return {
        "current_organization": getattr(request, "tenant", None),
        "current_roles": roles,
        "current_roles_display": sorted(Role(role).label for role in roles),
        "is_overseer": bool(set(roles) & OVERSEERS),
        "user_memberships": memberships,
    }
