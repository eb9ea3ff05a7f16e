"""Pages of the practices area (every tenant host; views check the level and roles)."""

from django.urls import path

from regional.views import practices as views

urlpatterns = [
    path("", views.practice_list, name="list"),
    path("ours/", views.organization_cases, name="mine"),
    path("ours/programs/<int:program_id>/start/", views.case_start, name="start"),
    path("review/", views.review_queue, name="queue"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/submit/", views.case_submit, name="submit"),
    path("<int:case_id>/review/", views.case_review, name="review"),
    path("<int:case_id>/materials/", views.material_add, name="material_add"),
    path("<int:case_id>/materials/<int:material_id>/", views.material_download, name="material"),
    path("<int:case_id>/materials/<int:material_id>/delete/", views.material_delete, name="material_delete"),
]
