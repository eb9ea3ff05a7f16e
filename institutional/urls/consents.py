"""Pages of the area «consents» (mounted under /org/consents/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import consents

urlpatterns = [
    path("", consents.consent_list_page, name="consent_list"),
    path("add/", consents.consent_add, name="consent_add"),
    path("<int:consent_id>/", consents.consent_detail, name="consent_detail"),
    path("<int:consent_id>/docx/", consents.consent_docx, name="consent_docx"),
    path("<int:consent_id>/scan/", consents.consent_scan, name="consent_scan"),
    path("<int:consent_id>/sign/", consents.consent_sign, name="consent_sign"),
    path("<int:consent_id>/withdraw/", consents.consent_withdraw, name="consent_withdraw"),
]
