"""Template context shared by every page: the current organization and the user's memberships."""

from analytics.access import can_monitor
from institutional.access import OVERSEERS
from institutional.models import Notification
from tenants.models import Role
from tenants.selectors import membership_list


def platform(request):
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(membership_list(user=user))
    roles = getattr(request, "roles", frozenset())
    unread = 0
    if roles and getattr(request, "tenant", None) is not None:
        unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
    return {
        "current_organization": getattr(request, "tenant", None),
        "current_roles": roles,
        "current_roles_display": sorted(Role(role).label for role in roles),
        "is_overseer": bool(set(roles) & OVERSEERS),
        "can_monitor": can_monitor(request),
        "unread_notifications": unread,
        "user_memberships": memberships,
    }
