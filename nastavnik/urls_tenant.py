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
    # Open mentoring across the region (regional/ and municipal/): every level's host has these
    # pages; each view checks the level and the roles it serves.
    path("bank/", include(("regional.urls.bank", "bank"))),
    path("network/", include(("regional.urls.network", "network"))),
    path("practices/", include(("regional.urls.practices", "practices"))),
    path("contests/", include(("regional.urls.contests", "contests"))),
    path("events/", include(("regional.urls.events", "events"))),
    path("templates/", include(("regional.urls.templates", "templates"))),
    path("feed/", include(("regional.urls.feed", "feed"))),
    path("base/", include(("municipal.urls", "municipal"))),
    path("api/v1/bank/", include("regional.api.bank")),
    path("api/v1/network/", include("regional.api.network")),
    path("api/v1/practices/", include("regional.api.practices")),
    path("api/v1/contests/", include("regional.api.contests")),
    path("api/v1/events/", include("regional.api.events")),
    path("api/v1/templates/", include("regional.api.templates")),
    path("api/v1/base/", include("municipal.api")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
