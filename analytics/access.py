"""Who may see the region's and municipality's monitoring: the one place for these role checks.

Monitoring pages live on a region's or a municipality's host and read only the public projection
tables. A member without a monitoring role gets 403; on any other level the pages do not exist (404).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from institutional.access import has_any_role
from tenants.models import Level, Role

# Those who watch the indicators of the organizations below their own.
MONITORS = frozenset({Role.REGIONAL_COORDINATOR, Role.REGIONAL_METHODOLOGIST, Role.MUNICIPAL_COORDINATOR})
# Those who open and close the region's monitoring campaign.
CAMPAIGN_MANAGERS = frozenset({Role.REGIONAL_COORDINATOR})
# Those who review and submit an organization's figures in a campaign.
SUBMITTERS = frozenset({Role.CURATOR, Role.DIRECTOR})
MONITORING_LEVELS = frozenset({Level.REGION, Level.MUNICIPALITY})


def can_monitor(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.level in MONITORING_LEVELS and has_any_role(request, MONITORS)


def monitoring_required(roles=MONITORS):
    """Page decorator: region/municipality hosts only; members without one of `roles` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.tenant.level not in MONITORING_LEVELS:
                raise Http404("Страница не найдена")
            if not has_any_role(request, roles):
                raise PermissionDenied("Мониторинг доступен региональным и муниципальным координаторам.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
