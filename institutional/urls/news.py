"""Pages of the area «news» (mounted under /org/news/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import news as views

urlpatterns = [
    path("", views.news_list_page, name="news_list"),
    path("new/", views.news_create, name="news_create"),
    path("<int:news_id>/edit/", views.news_edit, name="news_edit"),
    path("<int:news_id>/publish/", views.news_publish, name="news_publish"),
    path("<int:news_id>/unpublish/", views.news_unpublish, name="news_unpublish"),
    path("<int:news_id>/delete/", views.news_delete, name="news_delete"),
]
