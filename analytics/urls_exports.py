"""Statistical exports: list and start, a job's progress, its file, one organization's workbook."""

from django.urls import path

from analytics import views_exports

urlpatterns = [
    path("exports/", views_exports.export_list, name="export_list"),
    path("exports/<int:job_id>/", views_exports.export_detail, name="export_detail"),
    path("exports/<int:job_id>/download/", views_exports.export_download, name="export_download"),
    path(
        "exports/organization/<int:organization_id>/",
        views_exports.export_organization,
        name="export_organization",
    ),
]
