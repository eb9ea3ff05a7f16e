"""Pages of the feed area (every tenant host; views check the level and roles)."""

from django.urls import path

from regional.views import feed as views

urlpatterns = [
    path("", views.feed_list, name="list"),
]
