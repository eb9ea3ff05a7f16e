"""The person's notifications (mounted under /org/notifications/)."""

from django.urls import path

from institutional.views import notifications as views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notification_read_all, name="notification_read_all"),
]
