"""Who may see and do what with best practices (public schema; every tenant host).

`access_case` is the only way a page or an API view gets a case by id: a draft (or a returned or
rejected case) only for its own organization's curator, council and director; a case under review
also for the level reviewing it; a published case for every member of every organization of its
region. Missing and forbidden both answer "not found".
"""

from __future__ import annotations

from django.http import Http404

from institutional.access import OVERSEERS, has_any_role
from regional.models import PracticeCase
from tenants.models import Level, Organization, Role

# The organization's curator, mentors' council and director write its cases.
WRITERS = OVERSEERS
# The municipality's coordinator reviews the cases of its organizations.
MUNICIPAL_REVIEWERS = frozenset({Role.MUNICIPAL_COORDINATOR})
# The region's coordinator and methodologist moderate and publish.
REGIONAL_REVIEWERS = frozenset({Role.REGIONAL_COORDINATOR, Role.REGIONAL_METHODOLOGIST})

Status = PracticeCase.Status


def region_of(organization: Organization) -> Organization:
    """The region an organization of any level belongs to (itself for a region)."""
    return organization.region


def municipality_of(organization: Organization) -> Organization | None:
    """The organization's municipality; None for organizations of regional subordination and the region."""
    if organization.level == Level.MUNICIPALITY:
        return organization
    parent = organization.parent
    if parent is not None and parent.level == Level.MUNICIPALITY:
        return parent
    return None


def can_write(request) -> bool:
    """The curator, council or director on an educational organization's host."""
    return request.tenant.level == Level.ORGANIZATION and has_any_role(request, WRITERS)


def review_level(request) -> str | None:
    """'municipality' or 'region' when the user reviews cases on this host, otherwise None."""
    tenant = request.tenant
    if tenant.level == Level.MUNICIPALITY and has_any_role(request, MUNICIPAL_REVIEWERS):
        return "municipality"
    if tenant.level == Level.REGION and has_any_role(request, REGIONAL_REVIEWERS):
        return "region"
    return None


def may_review(request, case: PracticeCase) -> bool:
    """True when the case waits for the decision of the level the user reviews on this host."""
    level = review_level(request)
    if level == "municipality":
        return case.status == Status.MUNICIPAL_REVIEW and case.municipality_id == request.tenant.pk
    if level == "region":
        return case.status == Status.REGIONAL_REVIEW and case.region_id == request.tenant.pk
    return False


def may_edit(request, case: PracticeCase) -> bool:
    return (
        case.organization_id == request.tenant.pk
        and can_write(request)
        and case.status in (Status.DRAFT, Status.RETURNED)
    )


def sees_reviews(request, case: PracticeCase) -> bool:
    """The review history and its comments stay between the organization and the levels deciding on it."""
    if case.organization_id == request.tenant.pk and can_write(request):
        return True
    level = review_level(request)
    return (level == "municipality" and case.municipality_id == request.tenant.pk) or (
        level == "region" and case.region_id == request.tenant.pk
    )


def is_visible(request, case: PracticeCase) -> bool:
    tenant = request.tenant
    if case.status == Status.PUBLISHED and region_of(tenant).pk == case.region_id:
        return True
    if case.organization_id == tenant.pk and can_write(request):
        return True
    level = review_level(request)
    if level == "municipality" and case.municipality_id == tenant.pk:
        # The municipality follows the cases it sent on to the region.
        return case.status in (Status.MUNICIPAL_REVIEW, Status.REGIONAL_REVIEW)
    if level == "region" and case.region_id == tenant.pk:
        return case.status == Status.REGIONAL_REVIEW
    return False


def access_case(*, request, case_id: int) -> PracticeCase:
    case = (
        PracticeCase.objects.select_related("organization", "municipality", "region", "created_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not is_visible(request, case):
        raise Http404("Кейс не найден.")
    return case
