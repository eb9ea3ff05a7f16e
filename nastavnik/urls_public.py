"""URLconf of the public host: the landing page, platform administration, onboarding."""

from django.contrib import admin
from django.urls import include, path

from tenants import views

admin.site.site_header = "Наставник — администрирование платформы"
admin.site.site_title = "Наставник"

urlpatterns = [
    path("", views.landing, name="home"),
    path("accounts/", include("tenants.urls_accounts")),
    path("platform/onboarding/", views.onboarding_upload, name="onboarding"),
    path("platform/onboarding/<int:job_id>/", views.onboarding_job, name="onboarding_job"),
    path("admin/", admin.site.urls),
]
