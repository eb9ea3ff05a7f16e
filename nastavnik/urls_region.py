"""URLconf of a region's host (regional authority and its ЦНППМ)."""

from django.urls import include, path

from nastavnik.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [
    *tenant_urlpatterns,
    path("monitoring/", include("analytics.urls")),
    path("api/v1/monitoring/", include("analytics.api.urls")),
]
