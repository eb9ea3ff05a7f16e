"""Monitoring pages of a region's and a municipality's host; names live in the `monitoring` namespace."""

from analytics.urls_campaigns import urlpatterns as campaign_urlpatterns
from analytics.urls_dashboard import urlpatterns as dashboard_urlpatterns
from analytics.urls_exports import urlpatterns as export_urlpatterns

app_name = "monitoring"

urlpatterns = [*dashboard_urlpatterns, *export_urlpatterns, *campaign_urlpatterns]
