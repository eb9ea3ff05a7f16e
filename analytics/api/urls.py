"""Monitoring API of a region's and a municipality's host (projections only)."""

from analytics.api.campaigns import urlpatterns as campaign_urlpatterns
from analytics.api.dashboard import urlpatterns as dashboard_urlpatterns
from analytics.api.exports import urlpatterns as export_urlpatterns

urlpatterns = [*dashboard_urlpatterns, *export_urlpatterns, *campaign_urlpatterns]
