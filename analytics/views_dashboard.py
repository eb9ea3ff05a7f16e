"""Monitoring dashboards of a region's and a municipality's host (public schema only).

The pages render what analytics/dashboard.py builds from the projections: KPI tiles with trends, the
table and heat map by municipality or organization, the lagging organizations, an organization's card.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from analytics.access import monitoring_required
from analytics.dashboard import (
    LAGGING_PAGE,
    PeriodChoice,
    format_mean,
    format_percent,
    k2_change,
    municipality_in_scope,
    organization_card,
    organization_in_scope,
    period_from_params,
    scope_overview,
    snapshots_of,
    table_cells,
    table_columns,
    tiles,
    trend_chart,
)
from analytics.rows import K6_KINDS
from analytics.scope import OrganizationRef
from analytics.snapshots import academic_year_of
from institutional.dates import organization_today
from institutional.models.pairs import EndReason, PairForm, PairKind
from tenants.models import Level, Organization

# --- pages --------------------------------------------------------------------------------


def _choice(request) -> PeriodChoice:
    return period_from_params(request.GET, organization_today(request.tenant))


def _year_options(choice: PeriodChoice, today: date) -> list[tuple[int, str]]:
    current = academic_year_of(today)
    years = set(range(current - 4, current + 1))
    if choice.academic_year is not None:
        years.add(choice.academic_year)
    return [(year, f"{year}/{year + 1}") for year in sorted(years, reverse=True)]


def _with_query(url: str, choice: PeriodChoice) -> str:
    return f"{url}?{choice.query}" if choice.query else url


def _base_context(request, choice: PeriodChoice) -> dict:
    return {
        "choice": choice,
        "year_options": _year_options(choice, organization_today(request.tenant)),
    }


def _breadcrumbs(request, choice: PeriodChoice, *, municipality=None, organization: OrganizationRef | None = None):
    host = request.tenant
    crumbs = [{"name": host.short_name, "url": _with_query(reverse("monitoring:dashboard"), choice)}]
    if host.level == Level.REGION:
        if municipality is not None:
            crumbs.append(
                {
                    "name": municipality.short_name,
                    "url": _with_query(reverse("monitoring:municipality", args=[municipality.pk]), choice),
                }
            )
        elif organization is not None and organization.parent_id != host.pk:
            crumbs.append(
                {
                    "name": organization.parent_name,
                    "url": _with_query(reverse("monitoring:municipality", args=[organization.parent_id]), choice),
                }
            )
    if organization is not None:
        crumbs.append({"name": organization.short_name, "url": ""})
    crumbs[-1]["url"] = ""
    return crumbs


def _scope_page(request, scope: Organization, choice: PeriodChoice, crumbs):
    every_lagging = request.GET.get("lagging") == "all"
    overview = scope_overview(
        scope, choice.period, every_organization=False, lagging_limit=None if every_lagging else LAGGING_PAGE
    )
    in_period, since_year_start = snapshots_of(scope.pk, choice.period)
    rows_are_organizations = scope.level != Level.REGION
    rows = []
    for row in overview["rows"]:
        if row["kind"] == "organization":
            url = reverse("monitoring:organization", args=[row["id"]])
        elif row["kind"] == "municipality":
            url = reverse("monitoring:municipality", args=[row["id"]])
        else:
            url = ""
        rows.append(
            {
                **row,
                "url": _with_query(url, choice) if url else "",
                "cells": table_cells(row["indicators"], rows_are_organizations),
            }
        )
    lagging_entries = [
        {**entry, "url": _with_query(reverse("monitoring:organization", args=[entry["id"]]), choice)}
        for entry in overview["lagging"]
    ]
    regional = [
        {**entry, "url": _with_query(reverse("monitoring:organization", args=[entry["id"]]), choice)}
        for entry in overview["regional"]
    ]
    page_query = "&".join(filter(None, [choice.query, "lagging=all"]))
    values = overview["indicators"]
    return render(
        request,
        "analytics/dashboard/scope.html",
        {
            **_base_context(request, choice),
            "scope": scope,
            "is_region": scope.level == Level.REGION,
            "breadcrumbs": crumbs,
            "tiles": tiles(values, k2_change(values["k2"], since_year_start, choice.period)),
            "columns": table_columns(rows_are_organizations),
            "rows": rows,
            "rows_are_organizations": rows_are_organizations,
            "regional_organizations": regional,
            "lagging": lagging_entries,
            "lagging_total": overview["lagging_total"],
            "lagging_all_url": f"{request.path}?{page_query}#lagging",
            "lagging_first_url": f"{_with_query(request.path, choice)}#lagging",
            "every_lagging": every_lagging,
            "lagging_page": LAGGING_PAGE,
            "trend": trend_chart(in_period),
        },
    )


@require_GET
@monitoring_required()
def dashboard(request):
    choice = _choice(request)
    return _scope_page(request, request.tenant, choice, _breadcrumbs(request, choice))


@require_GET
@monitoring_required()
def municipality_dashboard(request, municipality_id: int):
    municipality = municipality_in_scope(request.tenant, municipality_id)
    choice = _choice(request)
    crumbs = _breadcrumbs(request, choice, municipality=municipality if municipality != request.tenant else None)
    return _scope_page(request, municipality, choice, crumbs)


def _labelled(counts: dict, labels: dict) -> list[tuple[str, int]]:
    return [(labels.get(code, code), count) for code, count in counts.items() if count]


@require_GET
@monitoring_required()
def organization_detail(request, organization_id: int):
    ref = organization_in_scope(request.tenant, organization_id)
    choice = _choice(request)
    card = organization_card(ref, choice.period)
    in_period, _ = snapshots_of(ref.id, choice.period)
    values = card["indicators"]
    return render(
        request,
        "analytics/dashboard/organization.html",
        {
            **_base_context(request, choice),
            "breadcrumbs": _breadcrumbs(request, choice, organization=ref),
            "card": card,
            "values": values,
            "k2_text": format_percent(values["k2"]["percent"]),
            "k3_text": format_percent(values["k3"]["percent"]),
            "k11_text": format_percent(values["k11"]["percent"]),
            "k12_text": format_percent(values["k12"]["percent"]),
            "k7_mentors_text": format_mean(values["k7"]["mentors"]["mean"]),
            "k7_mentees_text": format_mean(values["k7"]["mentees"]["mean"]),
            "by_form": _labelled(values["k4"]["by_form"], dict(PairForm.choices)),
            "by_kind": _labelled(values["k4"]["by_kind"], dict(PairKind.choices)),
            "early": _labelled(values["k5"]["ended_early_by_reason"], dict(EndReason.choices)),
            "overdue": [(label, values["k6"]["by_kind"][kind]) for kind, label in K6_KINDS.items()],
            "trend": trend_chart(in_period),
        },
    )
