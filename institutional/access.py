"""Who may do what inside an organization: the one place for role checks of institutional pages.

Runs in the tenant schema. The membership gate (nastavnik.middleware) has already let only
members through and put their roles on `request.roles`.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from tenants.models import Role

# The curator and the mentors' council run the system day to day.
MANAGERS = frozenset({Role.CURATOR, Role.COUNCIL_MEMBER})
# The director approves documents and orders (and sees what the managers see).
DIRECTORS = frozenset({Role.DIRECTOR})
OVERSEERS = MANAGERS | DIRECTORS
# Those who may see people's records in this organization (not only their own).
STAFF_READERS = OVERSEERS | {Role.PSYCHOLOGIST}


def has_any_role(request, roles) -> bool:
    return bool(set(getattr(request, "roles", ())) & set(roles))


def roles_required(*role_sets):
    """Page decorator: members holding none of the roles get 403 with a Russian explanation."""
    allowed = frozenset().union(*role_sets)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request, allowed):
                raise PermissionDenied("Недостаточно прав для этого действия.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def own_staff(request):
    """The staff record of the signed-in user in this organization, or None."""
    from institutional.models import Staff

    if not request.user.is_authenticated:
        return None
    return Staff.objects.filter(user_id=request.user.pk).first()
