"""Request routing by host, the membership gate for tenant hosts, and the audit actor.

Runs in the public schema first (to find the tenant), then switches the connection to the
tenant's schema for the rest of the request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from nastavnik import audit
from tenants.selectors import membership_roles


class TenantRoutingMiddleware(TenantMainMiddleware):
    """Picks the schema from the host and the URLconf from the organization's level.

    The public host(s) serve the landing page and platform administration; every other host
    must be a known domain of an active organization, or the answer is "not found".
    """

    def process_request(self, request):
        connection.set_schema_to_public()
        hostname = self.hostname_from_request(request)
        # On the public host `request.tenant` stays unset, as django-tenants' own templates expect.
        if hostname in settings.PUBLIC_HOSTS:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return None
        from tenants.models import Domain

        domain = (
            Domain.objects.select_related("tenant", "tenant__parent")
            .filter(domain=hostname, tenant__is_active=True)
            .first()
        )
        if domain is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return render(request, "404.html", {"unknown_host": True}, status=404)
        tenant = domain.tenant
        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        request.urlconf = settings.TENANT_URLCONFS[tenant.level]
        set_urlconf(request.urlconf)
        return None


def is_open_path(path: str) -> bool:
    return path.startswith(settings.TENANT_OPEN_PATH_PREFIXES)


class MembershipRequiredMiddleware:
    """On a tenant host, only members of that organization get past this point.

    Anonymous visitors are sent to the login page (API clients get 401); signed-in users who
    are not members get "not found", exactly as for a page that does not exist, so nothing
    about another organization can be probed. API requests that carry their own credentials
    (a token) are authenticated by DRF, and the API base class applies the same rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.roles = frozenset()
        tenant = getattr(request, "tenant", None)
        if tenant is None or is_open_path(request.path):
            return self.get_response(request)
        is_api = request.path.startswith("/api/")
        if not request.user.is_authenticated:
            if is_api:
                if request.headers.get("Authorization"):
                    return self.get_response(request)
                return JsonResponse(
                    {"detail": "Требуется вход в систему."}, status=401, json_dumps_params={"ensure_ascii": False}
                )
            return redirect_to_login(request.get_full_path())
        roles = membership_roles(user=request.user, organization=tenant)
        if not roles:
            raise Http404("Страница не найдена")
        request.roles = roles
        request.roles_user_id = request.user.pk
        return self.get_response(request)


class AuditActorMiddleware:
    """Attributes database changes made by a request to the signed-in user (see nastavnik.audit)."""

    WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.WRITE_METHODS:
            return self.get_response(request)
        user = getattr(request, "user", None)
        audit.set_actor(user.pk if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            audit.set_actor(None)
