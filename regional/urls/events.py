"""Pages of the events area (every tenant host; views check the level and roles)."""

from django.urls import path

from regional.views import events as views

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/cancel/", views.event_cancel, name="cancel"),
    path("<int:event_id>/register/", views.event_register, name="register"),
    path("<int:event_id>/unregister/", views.event_unregister, name="unregister"),
    path("<int:event_id>/attendance/", views.event_attendance, name="attendance"),
    path("<int:event_id>/participants.xlsx", views.event_participants_xlsx, name="participants_xlsx"),
]
