"""Pages of the area «banks» (mounted under /org/banks/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import banks, me

urlpatterns = [
    path("mentees/", banks.mentee_list, name="mentee_list"),
    path("mentees/add/", banks.mentee_add, name="mentee_add"),
    path("mentees/<int:entry_id>/", banks.mentee_detail, name="mentee_detail"),
    path("mentees/<int:entry_id>/edit/", banks.mentee_edit, name="mentee_edit"),
    path("mentees/<int:entry_id>/status/", banks.mentee_status, name="mentee_status"),
    path("mentors/", banks.mentor_list, name="mentor_list"),
    path("mentors/add/", banks.mentor_add, name="mentor_add"),
    path("mentors/<int:entry_id>/", banks.mentor_detail, name="mentor_detail"),
    path("mentors/<int:entry_id>/edit/", banks.mentor_edit, name="mentor_edit"),
    path("mentors/<int:entry_id>/exclude/", banks.mentor_exclude, name="mentor_exclude"),
    path("mentors/<int:entry_id>/trainings/add/", banks.training_add, name="mentor_training_add"),
    path("trainings/<int:training_id>/remove/", banks.training_remove, name="mentor_training_remove"),
    path("trainings/<int:training_id>/certificate/", banks.training_certificate, name="mentor_training_certificate"),
    path("me/", me.me, name="me"),
    path("me/mentee/<int:entry_id>/", me.me_mentee_edit, name="me_mentee_edit"),
    path("me/mentor/<int:entry_id>/", me.me_mentor_edit, name="me_mentor_edit"),
]
