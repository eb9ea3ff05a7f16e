"""The organization's page of the region's monitoring campaign (on the organization's host).

The curator (or the director) reviews the organization's figures as the region will see them,
grouped by indicator, each with a link to the records behind it; recomputes them after correcting
the records; and submits them while the campaign's window is open. The figures are read from the
public projection tables; recomputing and submitting refresh the projection from this schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from analytics import campaigns
from analytics.access import SUBMITTERS
from analytics.models import CampaignSubmission, MonitoringCampaign
from analytics.projection import refresh_organization
from institutional.access import roles_required

# Where the records behind each indicator are kept (names in the `institutional` namespace).
RECORD_PAGES = {
    "K1": ("institutional:regulation", "Положение, дорожная карта, приказы"),
    "K2": ("institutional:staff_list", "Сотрудники"),
    "K3": ("institutional:mentee_list", "Наставляемые"),
    "K4": ("institutional:pair_list", "Пары и группы"),
    "K5": ("institutional:program_list", "Программы"),
    "K6": ("institutional:deadlines", "Сроки"),
    "K7": ("institutional:report_list", "Итоговые отчёты и анкеты"),
    "K8": ("institutional:mentor_list", "Наставники"),
    "K9": ("institutional:regulation", "Положение"),
    "K10": ("practices:list", "Лучшие практики"),
    "K11": ("institutional:roadmap_list", "Дорожная карта"),
    "K12": ("institutional:staff_list", "Сотрудники"),
}


@dataclass
class ShownGroup:
    group: campaigns.FigureGroup
    records_url: str
    records_label: str


def _with_links(figures: dict) -> list[ShownGroup]:
    shown = []
    for group in campaigns.figure_groups(figures):
        name, label = RECORD_PAGES[group.code]
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = ""
        shown.append(ShownGroup(group, url, label))
    return shown


@require_GET
@roles_required(SUBMITTERS)
def monitoring(request):
    context = campaigns.organization_monitoring(request.tenant)
    if context["applies"]:
        submission = context["submission"]
        context["groups"] = _with_links(context["current"])
        context["submitted_groups"] = _with_links(submission.figures) if submission else []
        context["can_submit"] = context["state"] == "open"
        context["submitted"] = submission is not None and submission.status == CampaignSubmission.Status.SUBMITTED
        context["is_closed"] = (
            context["campaign"] is not None and context["campaign"].status == MonitoringCampaign.Status.CLOSED
        )
    return render(request, "institutional/monitoring/page.html", context)


@require_POST
@roles_required(SUBMITTERS)
def monitoring_refresh(request):
    refresh_organization(request.tenant)
    messages.success(request, "Показатели пересчитаны по записям организации.")
    return redirect("institutional:monitoring")


@require_POST
@roles_required(SUBMITTERS)
def monitoring_submit(request):
    try:
        submission = campaigns.submission_submit(
            actor=request.user, organization=request.tenant, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Сведения сданы в кампанию «{submission.campaign.title}». "
            "До окончания приёма их можно уточнить и сдать повторно.",
        )
    return redirect("institutional:monitoring")
