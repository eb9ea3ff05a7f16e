"""OpenAPI schema and Swagger UI, on the API base class (members of the host's organization)."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from nastavnik.api.base import TenantAPIMixin


@extend_schema(exclude=True)
class SchemaView(TenantAPIMixin, SpectacularAPIView):
    def get(self, request, *args, **kwargs):
        # Describe the routes of this host's level, not the public URLconf.
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


@extend_schema(exclude=True)
class SwaggerView(TenantAPIMixin, SpectacularSwaggerView):
    pass
