"""Routes every tenant host has, whatever its level. Level URLconfs add their own."""

from django.urls import include, path

from nastavnik.api.schema_views import SchemaView, SwaggerView
from tenants import views

urlpatterns = [
    path("", views.tenant_home, name="home"),
    path("accounts/", include("tenants.urls_accounts")),
    path("org/", include("institutional.urls")),
    path("nastavnichestvo/", include(("institutional.urls.public", "public"))),
    path("api/v1/", include("tenants.api.urls")),
    path("api/v1/org/", include("institutional.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
