"""The organization's public section «Наставничество» (no login; mounted at /nastavnichestvo/)."""

from django.urls import path

from institutional.views import public as views

urlpatterns = [
    path("", views.index, name="index"),
    path("widget/", views.widget, name="widget"),
    path("feed.json", views.feed, name="feed"),
    path("regulation/<int:version_id>/", views.regulation_document, name="regulation_document"),
]
