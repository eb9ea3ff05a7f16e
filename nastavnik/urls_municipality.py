"""URLconf of a municipality's host (МОУО)."""

from django.urls import include, path

from nastavnik.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [
    *tenant_urlpatterns,
    path("monitoring/", include("analytics.urls")),
    path("api/v1/monitoring/", include("analytics.api.urls")),
]
