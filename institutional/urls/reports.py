"""Pages of the area «reports» (mounted under /org/reports/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import annual_report, reports

urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("my/", reports.report_my, name="report_my"),
    path("pair/<int:pair_id>/submit/", reports.report_submit, name="report_submit"),
    path("annual/", annual_report.annual_report, name="annual_report"),
    path("annual/<int:year>/docx/", annual_report.annual_report_docx, name="annual_report_docx"),
    path("<int:report_id>/", reports.report_detail, name="report_detail"),
    path("<int:report_id>/docx/", reports.report_docx, name="report_docx"),
]
