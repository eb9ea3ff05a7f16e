"""Monitoring campaign pages (mounted under /monitoring/ in the `monitoring` namespace)."""

from django.urls import path

from analytics import views_campaigns

urlpatterns = [
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/open/", views_campaigns.campaign_open, name="campaign_open"),
    path("campaigns/<int:campaign_id>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/close/", views_campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:campaign_id>/export/", views_campaigns.campaign_export, name="campaign_export"),
]
