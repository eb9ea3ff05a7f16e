"""Monitoring campaign pages of a region's and a municipality's host (public tables only).

The region's coordinator opens and closes campaigns; every monitor watches completion per
municipality; a municipality sees its region's campaigns with its own organizations only.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from analytics import campaigns
from analytics.access import CAMPAIGN_MANAGERS, monitoring_required
from analytics.models import MonitoringCampaign
from institutional.access import has_any_role
from institutional.dates import academic_year_label, academic_year_of, organization_today
from institutional.forms.common import DATE_WIDGET, BootstrapMixin, apply_errors
from tenants.models import Level


class CampaignOpenForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    academic_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    opens_on = forms.DateField(label="Начало приёма сведений", widget=DATE_WIDGET)
    closes_on = forms.DateField(label="Окончание приёма сведений", widget=DATE_WIDGET)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        current = academic_year_of(today)
        self.fields["academic_year"].choices = [
            (year, academic_year_label(year)) for year in range(current + 1, current - 3, -1)
        ]
        self.initial.setdefault("academic_year", current)
        self.initial.setdefault("title", f"Мониторинг системы наставничества за {academic_year_label(current)} год")
        self.initial.setdefault("opens_on", today)
        self.initial.setdefault("closes_on", today + timedelta(days=14))


def _can_manage(request) -> bool:
    return request.tenant.level == Level.REGION and has_any_role(request, CAMPAIGN_MANAGERS)


def _list_page(request, *, form=None, status=200):
    can_manage = _can_manage(request)
    context = {
        "campaigns": campaigns.campaign_list(request.tenant),
        "can_manage": can_manage,
        "running": campaigns.open_campaign(campaigns.region_of(request.tenant)),
        "is_region": request.tenant.level == Level.REGION,
    }
    if can_manage:
        context["form"] = form or CampaignOpenForm(today=organization_today(request.tenant))
    return render(request, "analytics/campaigns/list.html", context, status=status)


@require_http_methods(["GET"])
@monitoring_required()
def campaign_list(request):
    return _list_page(request)


@require_POST
@monitoring_required(CAMPAIGN_MANAGERS)
def campaign_open(request):
    if request.tenant.level != Level.REGION:
        raise Http404("Страница не найдена")
    form = CampaignOpenForm(request.POST, today=organization_today(request.tenant))
    if form.is_valid():
        try:
            campaign = campaigns.campaign_open(actor=request.user, region=request.tenant, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Кампания «{campaign.title}» открыта.")
            return redirect("monitoring:campaign_detail", campaign_id=campaign.pk)
    return _list_page(request, form=form, status=400)


@require_http_methods(["GET"])
@monitoring_required()
def campaign_detail(request, campaign_id: int):
    scope = request.tenant
    campaign = campaigns.campaign_get(scope=scope, campaign_id=campaign_id)
    return render(
        request,
        "analytics/campaigns/detail.html",
        {
            "campaign": campaign,
            "year_label": campaigns.year_label(campaign),
            "progress": campaigns.campaign_progress(campaign, scope),
            "pending": campaigns.pending_organizations(campaign, scope),
            "is_closed": campaign.status == MonitoringCampaign.Status.CLOSED,
            "can_manage": _can_manage(request),
            "is_region": scope.level == Level.REGION,
        },
    )


@require_POST
@monitoring_required(CAMPAIGN_MANAGERS)
def campaign_close(request, campaign_id: int):
    if request.tenant.level != Level.REGION:
        raise Http404("Страница не найдена")
    campaign = campaigns.campaign_get(scope=request.tenant, campaign_id=campaign_id)
    try:
        campaign = campaigns.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Кампания «{campaign.title}» завершена; сведения зафиксированы и больше не изменятся."
        )
    return redirect("monitoring:campaign_detail", campaign_id=campaign.pk)


@require_POST
@monitoring_required()
def campaign_export(request, campaign_id: int):
    campaign = campaigns.campaign_get(scope=request.tenant, campaign_id=campaign_id)
    try:
        job = campaigns.campaign_export(actor=request.user, campaign=campaign, scope=request.tenant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("monitoring:campaign_detail", campaign_id=campaign.pk)
    return redirect(reverse("monitoring:export_detail", kwargs={"job_id": job.pk}))
