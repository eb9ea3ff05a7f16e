"""API of the public-schema objects, served on every tenant host."""

from django.contrib.auth import authenticate
from django.utils import formats, timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from nastavnik.api.base import TenantAPIView, TenantListAPIView
from tenants import selectors, services
from tenants.api.serializers import (
    CurrentUserSerializer,
    OrganizationBriefSerializer,
    OrganizationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class CurrentUserView(TenantAPIView):
    @extend_schema(responses=CurrentUserSerializer, summary="Текущий пользователь и его членства")
    def get(self, request):
        context = {"memberships": selectors.membership_list(user=request.user), "roles_here": request._request.roles}
        return Response(CurrentUserSerializer(request.user, context=context).data)


class CurrentOrganizationView(TenantAPIView):
    @extend_schema(responses=OrganizationSerializer, summary="Текущая организация")
    def get(self, request):
        return Response(OrganizationSerializer(request.tenant).data)


class OrganizationChildrenView(TenantListAPIView):
    """Municipalities and organizations under the current region, or organizations under the
    current municipality; empty for an organization."""

    serializer_class = OrganizationBriefSerializer

    def get_queryset(self):
        return (
            selectors.organization_children(organization=self.request.tenant)
            .prefetch_related("domains")
            .order_by("level", "short_name")
        )


class TokenObtainView(TenantAPIView):
    """Exchange e-mail and password for an API token (the same lock-out as the sign-in page)."""

    dangerously_allow_anonymous = True
    authentication_classes = []

    def get_authenticate_header(self, request):
        return "Token"  # a failed sign-in is 401, not 403

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer, summary="Получить токен API")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        locked_until = services.login_locked_until(email=email)
        if locked_until:
            local = formats.time_format(timezone.localtime(locked_until), "H:i")
            raise exceptions.Throttled(detail=f"Слишком много неудачных попыток входа. Попробуйте после {local}.")
        user = authenticate(request._request, email=email, password=serializer.validated_data["password"])
        if user is None:
            services.login_failure_record(email=email)
            raise exceptions.AuthenticationFailed("Неверная электронная почта или пароль.")
        services.login_success_record(email=email)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)
