from django.urls import path

from tenants.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("me/", views.CurrentUserView.as_view(), name="api-me"),
    path("organization/", views.CurrentOrganizationView.as_view(), name="api-organization"),
    path("organization/children/", views.OrganizationChildrenView.as_view(), name="api-organization-children"),
]
