"""The organization's API; each area keeps its routes in institutional/api/<area>.py."""

from django.urls import include, path

urlpatterns = [
    path("staff/", include("institutional.api.staff")),
    path("regulation/", include("institutional.api.regulation")),
    path("roadmap/", include("institutional.api.roadmap")),
    path("banks/", include("institutional.api.banks")),
    path("consents/", include("institutional.api.consents")),
    path("questionnaires/", include("institutional.api.questionnaires")),
    path("notifications/", include("institutional.api.notifications")),
    path("pairs/", include("institutional.api.pairs")),
    path("orders/", include("institutional.api.orders")),
    path("matching/", include("institutional.api.matching")),
    path("programs/", include("institutional.api.programs")),
    path("news/", include("institutional.api.news")),
    path("reports/", include("institutional.api.reports")),
    path("annual-report/", include("institutional.api.annual_report")),
    path("cabinet/", include("institutional.api.cabinets")),
    path("deadlines/", include("institutional.api.deadlines")),
    path("monitoring/", include("institutional.api.monitoring")),
]
