"""Sign-in, sign-out, password recovery and switching organizations: on every host."""

from django.urls import path

from tenants import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("organizations/", views.organization_list, name="organizations"),
    path("switch/<int:organization_id>/", views.organization_switch, name="switch"),
    path("handoff/", views.handoff, name="handoff"),
]
