"""Pages of the area «monitoring» (mounted under /org/monitoring/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import monitoring

urlpatterns = [
    path("", monitoring.monitoring, name="monitoring"),
    path("refresh/", monitoring.monitoring_refresh, name="monitoring_refresh"),
    path("submit/", monitoring.monitoring_submit, name="monitoring_submit"),
]
