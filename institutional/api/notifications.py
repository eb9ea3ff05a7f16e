"""API of the person's notifications (mounted under /api/v1/org/notifications/)."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from institutional.models import Notification
from nastavnik.api.base import TenantAPIView, TenantListAPIView


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created_at", "is_read"]

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class NotificationListView(TenantListAPIView):
    """The signed-in person's notifications in this organization, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.filter(user_id=self.request.user.pk)


class NotificationReadAllView(TenantAPIView):
    @extend_schema(request=None, responses=MarkedReadSerializer, summary="Отметить все уведомления прочитанными")
    def post(self, request):
        count = Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return Response({"marked_read": count})


urlpatterns = [
    path("", NotificationListView.as_view(), name="api-notification-list"),
    path("read/", NotificationReadAllView.as_view(), name="api-notification-read-all"),
]
