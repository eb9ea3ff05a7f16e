"""Dashboard pages of the monitoring namespace: the host's overview, a municipality, an organization's card."""

from django.urls import path

from analytics import views_dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("m/<int:municipality_id>/", views.municipality_dashboard, name="municipality"),
    path("o/<int:organization_id>/", views.organization_detail, name="organization"),
]
