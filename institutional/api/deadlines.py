"""API of the area «deadlines» (mounted under /api/v1/org/deadlines/ by institutional/api/urls.py).

Runs in the tenant schema. The same visibility as the page: overseers see every open deadline,
anyone else only those where they are responsible.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from institutional.selectors import deadlines as selectors
from nastavnik.api.base import TenantAPIView


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    key = serializers.CharField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    days_left = serializers.IntegerField()
    is_overdue = serializers.BooleanField()
    responsible_staff_ids = serializers.ListField(child=serializers.IntegerField())
    pair_id = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class DeadlineListAPI(TenantAPIView):
    @extend_schema(
        summary="Невыполненные действия со сроком (просроченные первыми)", responses=DeadlineSerializer(many=True)
    )
    def get(self, request):
        return Response(DeadlineSerializer(selectors.deadlines_visible(request), many=True).data)


urlpatterns = [
    path("", DeadlineListAPI.as_view(), name="api_deadline_list"),
]
