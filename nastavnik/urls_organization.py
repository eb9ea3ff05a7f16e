"""URLconf of an organization's host (school, college, centre of extra education, kindergarten)."""

from nastavnik.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [*tenant_urlpatterns]
