"""Pages of the area «roadmap» (mounted under /org/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import roadmap as views

urlpatterns = [
    path("", views.roadmap_list, name="roadmap_list"),
    path("create/", views.roadmap_create, name="roadmap_create"),
    path("<int:roadmap_id>/", views.roadmap_detail, name="roadmap_detail"),
    path("<int:roadmap_id>/approve/", views.roadmap_approve, name="roadmap_approve"),
    path("<int:roadmap_id>/docx/", views.roadmap_docx, name="roadmap_docx"),
    path("<int:roadmap_id>/order-scan/", views.roadmap_order_scan, name="roadmap_order_scan"),
    path("<int:roadmap_id>/stages/add/", views.stage_create, name="roadmap_stage_create"),
    path("stages/<int:stage_id>/edit/", views.stage_edit, name="roadmap_stage_edit"),
    path("stages/<int:stage_id>/delete/", views.stage_delete, name="roadmap_stage_delete"),
    path("stages/<int:stage_id>/move/", views.stage_move, name="roadmap_stage_move"),
    path("stages/<int:stage_id>/activities/add/", views.activity_create, name="roadmap_activity_create"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="roadmap_activity_edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="roadmap_activity_delete"),
    path("activities/<int:activity_id>/move/", views.activity_move, name="roadmap_activity_move"),
    path("activities/<int:activity_id>/status/", views.activity_status, name="roadmap_activity_status"),
    path("activities/<int:activity_id>/evidence/", views.evidence_upload, name="roadmap_evidence_upload"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="roadmap_evidence_download"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="roadmap_evidence_delete"),
]
