"""Pages of the unified regional mentor bank: search and a mentor's card (public tables only).

On every tenant host (region, municipality, organization): every signed-in member of the host may
search (the membership gate has already let only members through); what they see is decided by
the host's organization (`regional.bank_search`). Thin: parameters → selector → template.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from institutional.models import MentorAchievement, QualificationCategory
from regional import bank_search as selectors
from regional.models import BankMentor
from tenants.models import Level, OrganizationKind

PAGE_SIZE = 25
FILTER_NAMES = ("q", "subject", "competency", "tag", "municipality", "kind", "experience", "free")


def years_label(years: Decimal | None) -> str:
    """«1 год», «3 года», «27 лет», «2,5 года»."""
    if years is None:
        return ""
    if years != years.to_integral_value():
        return f"{str(years.normalize()).replace('.', ',')} года"
    number = int(years)
    if number % 10 == 1 and number % 100 != 11:
        word = "год"
    elif number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        word = "года"
    else:
        word = "лет"
    return f"{number} {word}"


def mentor_card(mentor: BankMentor, viewer) -> dict:
    """What a page shows of a row, with labels (no queries: the organization is joined in)."""
    achievements = dict(MentorAchievement.choices)
    return {
        "mentor": mentor,
        "achievements": [achievements.get(code, code) for code in mentor.achievements],
        "category": dict(QualificationCategory.choices).get(mentor.qualification_category, ""),
        "organization_kind": dict(OrganizationKind.choices).get(mentor.organization_kind, ""),
        "experience": years_label(mentor.pedagogical_experience_years),
        "is_own": mentor.organization_id == viewer.pk,
        "can_request": viewer.level == Level.ORGANIZATION and mentor.organization_id != viewer.pk,
    }


@require_GET
def search(request):
    viewer = request.tenant
    errors: dict[str, list[str]] = {}
    page = None
    try:
        filters = selectors.parse_filters(request.GET)
    except ValidationError as error:
        errors = error.message_dict
    else:
        raw = request.GET.get("page", "")
        number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
        page = selectors.bank_search(viewer=viewer, **filters.as_kwargs()).page(number, PAGE_SIZE)
    values = {name: request.GET.get(name, "").strip() for name in FILTER_NAMES}
    query = request.GET.copy()
    query.pop("page", None)
    subjects, tags = selectors.search_choices(viewer)
    context = {
        "page": page,
        "cards": [mentor_card(mentor, viewer) for mentor in page] if page is not None else [],
        "errors": [text for texts in errors.values() for text in texts],
        "error_fields": set(errors),
        "values": values,
        "has_filters": any(values.values()),
        "querystring": query.urlencode(),
        "subjects": subjects,
        "tags": tags,
        "municipalities": selectors.municipality_choices(viewer),
        "kinds": OrganizationKind.choices,
        "viewer_level": viewer.level,
    }
    return render(request, "regional/bank/search.html", context, status=400 if errors else 200)


@require_GET
def detail(request, pk: int):
    viewer = request.tenant
    mentor = selectors.access_bank_mentor(viewer=viewer, bank_mentor_id=pk)
    return render(request, "regional/bank/detail.html", mentor_card(mentor, viewer))
