"""Pages of the area «pairs» (mounted under /org/pairs/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import pairs as views

urlpatterns = [
    path("", views.pair_list_page, name="pair_list"),
    path("new/", views.pair_create, name="pair_create"),
    path("approve/", views.pair_approve, name="pair_approve"),
    path("<int:pair_id>/", views.pair_detail, name="pair_detail"),
    path("<int:pair_id>/edit/", views.pair_edit, name="pair_edit"),
    path("<int:pair_id>/delete/", views.pair_delete, name="pair_delete"),
    path("<int:pair_id>/end/", views.pair_end, name="pair_end"),
    path("<int:pair_id>/replace-mentor/", views.pair_replace_mentor, name="pair_replace_mentor"),
]
