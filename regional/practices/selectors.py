"""Read path of best practices (public schema; any tenant host reads them through its search path).

The regional bank lists the published cases of one region with full-text search in Russian
(`websearch_to_tsquery('russian', …)` against the stored vector, so «наставника» finds «наставник»)
and filters by form, kind, mentee category, municipality and organization kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from institutional.models import MenteeCategory, PairForm, PairKind
from regional.models import PracticeCase, PracticeReview
from tenants.models import Level, Organization, OrganizationKind

Status = PracticeCase.Status
# The value of the municipality filter that stands for organizations of regional subordination.
REGIONAL_SUBORDINATION = "regional"
FORM_LABELS = dict(PairForm.choices)
KIND_LABELS = dict(PairKind.choices)
CATEGORY_LABELS = dict(MenteeCategory.choices)


@dataclass(frozen=True)
class BankFilters:
    q: str = ""
    form: str = ""
    kind: str = ""
    category: str = ""
    municipality: str = ""
    organization_kind: str = ""

    @classmethod
    def from_query(cls, params, *, region: Organization) -> BankFilters:
        """Filters from a query string; values that are not among the choices are ignored."""

        def pick(name: str, allowed) -> str:
            value = str(params.get(name, "") or "").strip()
            return value if value in allowed else ""

        municipalities = {str(pk) for pk in municipalities_of(region).values_list("pk", flat=True)}
        return cls(
            q=str(params.get("q", "") or "").strip()[:200],
            form=pick("form", PairForm.values),
            kind=pick("kind", PairKind.values),
            category=pick("category", MenteeCategory.values),
            municipality=pick("municipality", municipalities | {REGIONAL_SUBORDINATION}),
            organization_kind=pick("organization_kind", OrganizationKind.values),
        )

    @property
    def is_empty(self) -> bool:
        return not any(vars(self).values())


def municipalities_of(region: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(parent=region, level=Level.MUNICIPALITY, is_active=True).order_by("short_name")


def bank_cases(*, region: Organization, filters: BankFilters | None = None) -> QuerySet[PracticeCase]:
    """Published cases of the region: the best matches first when searching, otherwise the newest."""
    filters = filters or BankFilters()
    cases = PracticeCase.objects.filter(region=region, status=Status.PUBLISHED).select_related(
        "organization", "municipality"
    )
    if filters.form:
        cases = cases.filter(form=filters.form)
    if filters.kind:
        cases = cases.filter(kinds__contains=[filters.kind])
    if filters.category:
        cases = cases.filter(mentee_categories__contains=[filters.category])
    if filters.municipality == REGIONAL_SUBORDINATION:
        cases = cases.filter(municipality__isnull=True)
    elif filters.municipality:
        cases = cases.filter(municipality_id=int(filters.municipality))
    if filters.organization_kind:
        cases = cases.filter(organization__kind=filters.organization_kind)
    if filters.q:
        query = SearchQuery(filters.q, config="russian", search_type="websearch")
        return (
            cases.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "-published_at", "-pk")
        )
    return cases.order_by("-published_at", "-pk")


def bank_choices(region: Organization) -> dict:
    """What the bank's filters offer."""
    return {
        "forms": PairForm.choices,
        "kinds": PairKind.choices,
        "categories": MenteeCategory.choices,
        "municipalities": [(str(m.pk), m.short_name) for m in municipalities_of(region)]
        + [(REGIONAL_SUBORDINATION, "Организации регионального подчинения")],
        "organization_kinds": OrganizationKind.choices,
    }


def organization_cases(organization: Organization) -> QuerySet[PracticeCase]:
    """Every case of the organization, whatever its status, the latest first."""
    return (
        PracticeCase.objects.filter(organization=organization)
        .select_related("organization", "municipality")
        .order_by("-updated_at", "-pk")
    )


def live_program_ids(organization: Organization) -> set[int]:
    """Programs that already have a case that was not rejected."""
    return set(
        PracticeCase.objects.filter(organization=organization)
        .exclude(status=Status.REJECTED)
        .values_list("program_id", flat=True)
    )


def review_queue(tenant: Organization) -> QuerySet[PracticeCase]:
    """Cases waiting for the decision of this municipality or region, the longest waiting first."""
    cases = PracticeCase.objects.select_related("organization", "municipality")
    if tenant.level == Level.MUNICIPALITY:
        cases = cases.filter(status=Status.MUNICIPAL_REVIEW, municipality=tenant)
    elif tenant.level == Level.REGION:
        cases = cases.filter(status=Status.REGIONAL_REVIEW, region=tenant)
    else:
        return PracticeCase.objects.none()
    return cases.order_by("submitted_at", "pk")


def forwarded_cases(municipality: Organization) -> QuerySet[PracticeCase]:
    """Cases the municipality approved that now wait for the region."""
    return (
        PracticeCase.objects.filter(status=Status.REGIONAL_REVIEW, municipality=municipality)
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )


def case_reviews(case: PracticeCase) -> list[PracticeReview]:
    return list(case.reviews.select_related("reviewer").order_by("decided_at", "pk"))


def describe(case: PracticeCase) -> PracticeCase:
    """Readable labels on the case for pages (form, kinds, categories, where it comes from)."""
    case.form_label = FORM_LABELS.get(case.form, case.form)
    case.kind_labels = [KIND_LABELS.get(kind, kind) for kind in case.kinds]
    case.category_labels = [CATEGORY_LABELS.get(category, category) for category in case.mentee_categories]
    case.place_label = case.municipality.short_name if case.municipality_id else "Организация регионального подчинения"
    return case


def describe_all(cases) -> list[PracticeCase]:
    return [describe(case) for case in cases]
