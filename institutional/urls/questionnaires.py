"""Pages of the area «questionnaires» (mounted under /org/questionnaires/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import questionnaires as views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("new/", views.questionnaire_create, name="questionnaire_create"),
    path("my/", views.my_questionnaires, name="my_questionnaires"),
    path("my/<int:run_id>/", views.questionnaire_answer, name="questionnaire_answer"),
    path("feedback/", views.feedback_points, name="questionnaire_feedback_points"),
    path("pairs/<int:pair_id>/feedback/new/", views.pair_point_create, name="pair_feedback_point_create"),
    path("<int:questionnaire_id>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("<int:questionnaire_id>/duplicate/", views.questionnaire_duplicate, name="questionnaire_duplicate"),
    path("<int:questionnaire_id>/archive/", views.questionnaire_archive, name="questionnaire_archive"),
    path("<int:questionnaire_id>/questions/new/", views.question_add, name="question_add"),
    path("<int:questionnaire_id>/runs/new/", views.run_create, name="run_create"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("runs/<int:run_id>/", views.run_results, name="run_results"),
    path("runs/<int:run_id>/results.xlsx", views.run_results_xlsx, name="run_results_xlsx"),
    path("runs/<int:run_id>/close/", views.run_close, name="run_close"),
]
