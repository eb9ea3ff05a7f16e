"""The organization's own mentoring pages, on every tenant host (all levels run mentoring).

Each area keeps its routes in its own module; names live in the `institutional` namespace.
"""

from django.urls import include, path

app_name = "institutional"

urlpatterns = [
    path("staff/", include("institutional.urls.staff")),
    path("regulation/", include("institutional.urls.regulation")),
    path("roadmap/", include("institutional.urls.roadmap")),
    path("banks/", include("institutional.urls.banks")),
    path("consents/", include("institutional.urls.consents")),
    path("questionnaires/", include("institutional.urls.questionnaires")),
    path("notifications/", include("institutional.urls.notifications")),
    path("pairs/", include("institutional.urls.pairs")),
    path("orders/", include("institutional.urls.orders")),
    path("matching/", include("institutional.urls.matching")),
    path("programs/", include("institutional.urls.programs")),
    path("news/", include("institutional.urls.news")),
    path("reports/", include("institutional.urls.reports")),
    path("cabinet/", include("institutional.urls.cabinets")),
    path("deadlines/", include("institutional.urls.deadlines")),
    path("monitoring/", include("institutional.urls.monitoring")),
]
