"""Who may do what with contests: the one place for these role checks (no database access).

Contest pages and API views are mounted on every tenant host; the host's level and the member's
roles there decide what they see and may do.
"""

from __future__ import annotations

from institutional.access import OVERSEERS, has_any_role
from tenants.models import Level, Role

# The regional coordinator runs contests: creates, edits, appoints the jury, moves the stages.
CONTEST_MANAGERS = frozenset({Role.REGIONAL_COORDINATOR})
# The region's staff see every nomination of every contest of the region.
REGION_STAFF = frozenset({Role.REGIONAL_COORDINATOR, Role.REGIONAL_METHODOLOGIST})
# In an organization the director or the curator nominates and asks for the order of encouragement.
NOMINATORS = frozenset({Role.DIRECTOR, Role.CURATOR})
# In an organization these see its nominations (the council helps prepare them).
ORGANIZATION_READERS = OVERSEERS


def level_of(request) -> str:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "level", "")


def can_manage(request) -> bool:
    return level_of(request) == Level.REGION and has_any_role(request, CONTEST_MANAGERS)


def is_region_staff(request) -> bool:
    return level_of(request) == Level.REGION and has_any_role(request, REGION_STAFF)


def can_nominate(request) -> bool:
    return level_of(request) == Level.ORGANIZATION and has_any_role(request, NOMINATORS)


def sees_organization_nominations(request) -> bool:
    return level_of(request) == Level.ORGANIZATION and has_any_role(request, ORGANIZATION_READERS)


def sees_municipality_nominations(request) -> bool:
    return level_of(request) == Level.MUNICIPALITY and has_any_role(request, {Role.MUNICIPAL_COORDINATOR})
