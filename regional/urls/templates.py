"""Pages of the model documents (every tenant host; views check the level and roles)."""

from django.urls import path

from regional.views import templates as views

urlpatterns = [
    path("", views.template_list, name="list"),
    path("<int:template_id>/", views.template_detail, name="detail"),
    path("<int:template_id>/adapt/", views.template_adapt, name="adapt"),
    path("<int:template_id>/edit/", views.template_edit, name="edit"),
    path("<int:template_id>/publish/", views.template_publish, name="publish"),
    path("<int:template_id>/new-version/", views.template_new_version, name="new_version"),
    path("<int:template_id>/delete/", views.template_delete, name="delete"),
]
