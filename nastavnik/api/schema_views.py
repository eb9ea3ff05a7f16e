"""OpenAPI schema and Swagger UI, on the API base class (members of the host's organization)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from nastavnik.api.base import TenantAPIMixin


class SchemaView(TenantAPIMixin, SpectacularAPIView):
    def get(self, request, *args, **kwargs):
        # Describe the routes of this host's level, not the public URLconf.
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


class SwaggerView(TenantAPIMixin, SpectacularSwaggerView):
    pass
