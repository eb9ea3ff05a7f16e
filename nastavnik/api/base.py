"""Base classes for every tenant API view.

They always authenticate (session or token) and always check membership of the current
organization, whatever a subclass sets in `permission_classes`. A non-member gets 404, the
same answer as for a missing object, so ids cannot be probed across organizations.
The only way out is `dangerously_allow_anonymous = True`, reserved for signing in; the
architecture tests list every view that uses it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, generics, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.views import APIView

from nastavnik import audit
from nastavnik.api.permissions import HasRole, IsTenantMember


class TenantAPIMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    # Extra checks a view adds; membership is always applied before them.
    permission_classes: list = []
    allowed_roles: frozenset[str] | None = None
    dangerously_allow_anonymous = False

    def get_permissions(self):
        if self.dangerously_allow_anonymous:
            return [permission() for permission in self.permission_classes]
        return [IsTenantMember(), HasRole(), *(permission() for permission in self.permission_classes)]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated("Требуется вход в систему.")
        raise exceptions.NotFound("Не найдено.")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.user.is_authenticated:
            # Token-authenticated writes: the middleware could not know the user yet.
            audit.set_actor(request.user.pk)


class TenantAPIView(TenantAPIMixin, APIView):
    pass


class TenantGenericAPIView(TenantAPIMixin, generics.GenericAPIView):
    pass


class TenantListAPIView(TenantAPIMixin, generics.ListAPIView):
    pass


class TenantRetrieveAPIView(TenantAPIMixin, generics.RetrieveAPIView):
    pass


class TenantViewSet(TenantAPIMixin, viewsets.GenericViewSet):
    pass


class TenantModelViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    pass


def raise_as_api_error(error: DjangoValidationError):
    """A service's Django ValidationError, as DRF's 400 with the same Russian messages (per field when named)."""
    if hasattr(error, "error_dict"):
        raise exceptions.ValidationError(error.message_dict) from error
    raise exceptions.ValidationError({"detail": error.messages}) from error
