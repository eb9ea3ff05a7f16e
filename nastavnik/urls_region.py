"""URLconf of a region's host (regional authority and its ЦНППМ)."""

from nastavnik.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [*tenant_urlpatterns]
