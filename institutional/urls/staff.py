"""Pages of the area «staff» (mounted under /org/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import staff as views

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.staff_create, name="staff_create"),
    path("<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:staff_id>/dismiss/", views.staff_dismiss, name="staff_dismiss"),
    path("export/", views.staff_export, name="staff_export"),
    path("import/", views.staff_import, name="staff_import"),
    path("import/preview/", views.staff_import_preview, name="staff_import_preview"),
    path("import/confirm/", views.staff_import_confirm, name="staff_import_confirm"),
    path("review/", views.staff_list_review, name="staff_list_review"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:appointment_id>/end/", views.appointment_end, name="appointment_end"),
]
