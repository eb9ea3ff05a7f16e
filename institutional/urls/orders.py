"""Pages of the area «orders» (mounted under /org/orders/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import orders as views

urlpatterns = [
    path("", views.order_list_page, name="order_list"),
    path("encouragement/", views.order_encouragement_create, name="order_encouragement_create"),
    path("<int:order_id>/", views.order_detail, name="order_detail"),
    path("<int:order_id>/docx/", views.order_docx, name="order_docx"),
    path("<int:order_id>/scan/", views.order_scan, name="order_scan"),
    path("<int:order_id>/scan/upload/", views.order_scan_upload, name="order_scan_upload"),
    path("draft/regulation/<int:version_id>/", views.order_draft_regulation, name="order_draft_regulation"),
    path("draft/roadmap/<int:roadmap_id>/", views.order_draft_roadmap, name="order_draft_roadmap"),
    path("draft/appointment/", views.order_draft_appointment, name="order_draft_appointment"),
]
