"""Who may work with a municipality's structured mentor base: the one place for these checks.

The base lives on a municipality's host only and is kept by its municipal coordinator (МОУО).
On a region's or an organization's host the pages and the API do not exist (404); a member of the
municipality without the coordinator's role gets 403. Non-members never get here: the membership
gate (nastavnik.middleware) and the API base class answer "not found" for them.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from institutional.access import has_any_role
from tenants.models import Level, Role

BASE_KEEPERS = frozenset({Role.MUNICIPAL_COORDINATOR})
FORBIDDEN_MESSAGE = "База наставников муниципалитета доступна муниципальному координатору."


def is_municipal_host(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.level == Level.MUNICIPALITY


def can_keep_base(request) -> bool:
    return is_municipal_host(request) and has_any_role(request, BASE_KEEPERS)


def check_base_access(request) -> None:
    """Raise Http404 off a municipality's host and PermissionDenied for a member without the role."""
    if not is_municipal_host(request):
        raise Http404("Страница не найдена")
    if not has_any_role(request, BASE_KEEPERS):
        raise PermissionDenied(FORBIDDEN_MESSAGE)


def base_keeper_required(view):
    """Page decorator: the municipal coordinator of this municipality, on its own host."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        check_base_access(request)
        return view(request, *args, **kwargs)

    return wrapped
