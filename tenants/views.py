"""Pages of identity and organization: sign-in, switching organizations, home pages, onboarding.

Served on every host; the tenant home page runs in the tenant schema but reads only
public-schema tables (organization, children, memberships).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy

from tenants import selectors, services
from tenants.forms import LoginForm, OnboardingUploadForm
from tenants.models import Membership, OnboardingJob
from tenants.onboarding import onboarding_validate


class LoginView(auth_views.LoginView):
    template_name = "tenants/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        user = form.get_user()
        tenant = getattr(self.request, "tenant", None)
        if tenant is None or selectors.membership_roles(user=user, organization=tenant):
            return super().form_valid(form)
        # Right password on the host of an organization the user does not belong to: nothing here is
        # theirs, so sign them in on one of their own organizations and show the list there.
        membership = selectors.membership_list(user=user).first()
        if membership is None:
            form.add_error(
                None, "У вас пока нет назначений ни в одной организации. Обратитесь к куратору или руководителю."
            )
            return self.form_invalid(form)
        notice = f"Вы не состоите в организации «{tenant.short_name}». Выберите одну из своих."
        token = services.handoff_token_issue(
            user=user, organization=membership.organization, next_path=reverse("accounts:organizations"), notice=notice
        )
        target = _host_url(self.request, membership.organization.primary_domain, reverse("accounts:handoff"))
        return HttpResponseRedirect(f"{target}?token={token}")


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "tenants/password_reset_form.html"
    email_template_name = "tenants/email/password_reset.txt"
    subject_template_name = "tenants/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "tenants/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "tenants/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "tenants/password_reset_complete.html"


def _host_url(request, domain: str, path: str) -> str:
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    host = domain if port in ("", default_port) else f"{domain}:{port}"
    return f"{request.scheme}://{host}{path}"


@login_required
def organization_list(request):
    """The user's organizations, as links that carry the session over to each host."""
    return render(request, "tenants/organizations.html", {"memberships": selectors.membership_list(user=request.user)})


@login_required
def organization_switch(request, organization_id: int):
    membership = (
        Membership.objects.filter(
            user=request.user, organization_id=organization_id, is_active=True, organization__is_active=True
        )
        .select_related("organization")
        .first()
    )
    if membership is None:
        raise Http404("Страница не найдена")
    organization = membership.organization
    domain = organization.primary_domain
    if domain is None:
        raise Http404("Страница не найдена")
    token = services.handoff_token_issue(user=request.user, organization=organization)
    return HttpResponseRedirect(_host_url(request, domain, f"{reverse('accounts:handoff')}?token={token}"))


def handoff(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        raise Http404("Страница не найдена")
    handoff_ = services.handoff_token_redeem(token=request.GET.get("token", ""), organization=tenant)
    if handoff_ is None:
        messages.error(request, "Ссылка для перехода устарела или уже использована. Войдите ещё раз.")
        return redirect("accounts:login")
    login(request, handoff_.user, backend="django.contrib.auth.backends.ModelBackend")
    if handoff_.notice:
        messages.warning(request, handoff_.notice)
    return HttpResponseRedirect(handoff_.next_path)


def tenant_home(request):
    organization = request.tenant
    children = list(selectors.organization_children(organization=organization).order_by("level", "short_name"))
    member_codes = {m.organization.code for m in selectors.membership_list(user=request.user)}
    from institutional.access import OVERSEERS, has_any_role
    from institutional.selectors.overview import setup_overview
    from regional.feed import feed_latest

    setup = setup_overview(organization) if has_any_role(request, OVERSEERS) else None
    return render(
        request,
        "tenants/home.html",
        {
            "organization": organization,
            "children": children,
            "member_codes": member_codes,
            "setup": setup,
            "feed": feed_latest(organization),
        },
    )


def landing(request):
    regions = [
        {"organization": region, "domain": region.primary_domain, "url": _host_url(request, region.primary_domain, "/")}
        for region in selectors.region_list()
        if region.primary_domain
    ]
    return render(request, "tenants/landing.html", {"regions": regions})


@staff_member_required(login_url="accounts:login")
def onboarding_upload(request):
    """Platform administrators upload a region's file; it is checked in full before anything is written."""
    form = OnboardingUploadForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = onboarding_validate(content=upload.read(), filename=upload.name)
        if plan.is_valid:
            from tenants.tasks import onboarding_job_start

            job = onboarding_job_start(actor=request.user, file_name=upload.name, rows=plan.rows)
            return redirect("onboarding_job", job_id=job.pk)
    jobs = OnboardingJob.objects.all()[:10]
    return render(request, "tenants/onboarding_upload.html", {"form": form, "plan": plan, "jobs": jobs})


@staff_member_required(login_url="accounts:login")
def onboarding_job(request, job_id: int):
    job = get_object_or_404(OnboardingJob, pk=job_id)
    template = "tenants/_onboarding_progress.html" if request.htmx else "tenants/onboarding_job.html"
    return render(request, template, {"job": job})
