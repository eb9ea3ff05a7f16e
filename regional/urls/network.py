"""Pages of the network area (every tenant host; views check the roles they serve)."""

from django.urls import path

from regional.views import network as views

urlpatterns = [
    path("", views.network_list, name="list"),
    # The regional bank's card links here (bank:search → «Запросить наставника»).
    path("request/<int:bank_mentor_id>/", views.request_create, name="request_create"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/cancel/", views.request_cancel, name="cancel"),
    path("<int:request_id>/release/", views.request_release, name="release"),
    path("<int:request_id>/decline/", views.request_decline, name="decline"),
    path("<int:request_id>/accept/", views.request_accept, name="accept"),
    path("<int:request_id>/refuse/", views.request_refuse, name="refuse"),
]
