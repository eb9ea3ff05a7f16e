"""Pages of the area «programs» (mounted under /org/programs/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import meetings, programs

urlpatterns = [
    path("", programs.program_list, name="program_list"),
    path("pair/<int:pair_id>/", programs.pair_detail, name="program_pair"),
    path("pair/<int:pair_id>/new/", programs.program_create, name="program_create"),
    path("pair/<int:pair_id>/meetings/new/", meetings.meeting_add, name="meeting_add"),
    path("<int:program_id>/", programs.program_detail, name="program_detail"),
    path("<int:program_id>/edit/", programs.program_edit, name="program_edit"),
    path("<int:program_id>/submit/", programs.program_submit, name="program_submit"),
    path("<int:program_id>/confirm/", programs.program_confirm, name="program_confirm"),
    path("<int:program_id>/return/", programs.program_return, name="program_return"),
    path("<int:program_id>/docx/", programs.program_docx, name="program_docx"),
    path("<int:program_id>/changes/new/", programs.change_propose, name="program_change_propose"),
    path("changes/<int:change_id>/confirm/", programs.change_confirm, name="program_change_confirm"),
    path("changes/<int:change_id>/reject/", programs.change_reject, name="program_change_reject"),
    path("activities/<int:activity_id>/done/", programs.activity_done, name="program_activity_done"),
    path("hours/", meetings.hours, name="program_hours"),
    path("hours/xlsx/", meetings.hours_xlsx, name="program_hours_xlsx"),
]
