"""URLconf of a municipality's host (МОУО)."""

from nastavnik.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [*tenant_urlpatterns]
