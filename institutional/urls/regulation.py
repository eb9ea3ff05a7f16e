"""Pages of the area «regulation» (mounted under /org/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import regulation as views

urlpatterns = [
    path("", views.regulation, name="regulation"),
    path("from-template/", views.regulation_create_from_template, name="regulation_create_from_template"),
    path("upload/", views.regulation_upload, name="regulation_upload"),
    path("<int:version_id>/edit/", views.regulation_edit, name="regulation_edit"),
    path("<int:version_id>/approve/", views.regulation_approve, name="regulation_approve"),
    path("<int:version_id>/delete/", views.regulation_delete, name="regulation_delete"),
    path("<int:version_id>/download/", views.regulation_download, name="regulation_download"),
    path("<int:version_id>/order-scan/", views.regulation_order_scan, name="regulation_order_scan"),
]
