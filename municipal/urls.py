"""Pages of the municipality's structured mentor base (a municipality's host only; namespace `municipal`)."""

from django.urls import path

from municipal import views

urlpatterns = [
    path("", views.base, name="base"),
    path("<int:pk>/", views.mentor, name="mentor"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:category_id>/", views.category_rename, name="category_rename"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
    path("methodologists/add/", views.methodologist_add, name="methodologist_add"),
    path("export.xlsx", views.export, name="export"),
]
