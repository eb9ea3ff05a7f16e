"""Pages of the contests area (every tenant host; views check the level and roles)."""

from django.urls import path

from regional.views import contests as views

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_create, name="create"),
    path("<int:contest_id>/", views.contest_detail, name="detail"),
    path("<int:contest_id>/edit/", views.contest_edit, name="edit"),
    path("<int:contest_id>/jurors/", views.juror_add, name="juror_add"),
    path("<int:contest_id>/jurors/<int:user_id>/remove/", views.juror_remove, name="juror_remove"),
    path("<int:contest_id>/stage/<slug:action>/", views.contest_stage, name="stage"),
    path("<int:contest_id>/nominate/", views.nominate, name="nominate"),
    path(
        "<int:contest_id>/nominations/<int:nomination_id>/withdraw/",
        views.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("<int:contest_id>/jury/", views.jury, name="jury"),
    path("<int:contest_id>/jury/<int:nomination_id>/", views.score, name="score"),
    path("<int:contest_id>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:contest_id>/encouragement/", views.encouragement_order, name="encouragement"),
]
