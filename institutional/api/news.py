"""API of the area «news» (mounted under /api/v1/org/news/ by institutional/api/urls.py); managers only."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from institutional.access import MANAGERS
from institutional.models import News
from institutional.selectors.news import access_news, news_list
from institutional.services import news as services
from nastavnik.api.base import TenantAPIView, raise_as_api_error


class NewsSerializer(serializers.ModelSerializer):
    class Meta:
        model = News
        fields = ["id", "title", "body", "is_published", "published_on", "created_at"]
        read_only_fields = ["id", "is_published", "published_on", "created_at"]


class NewsListView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Новости раздела «Наставничество»", responses=NewsSerializer(many=True))
    def get(self, request):
        return Response(NewsSerializer(news_list(), many=True).data)

    @extend_schema(summary="Создать новость (черновик)", request=NewsSerializer, responses={201: NewsSerializer})
    def post(self, request):
        serializer = NewsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            news = services.news_create(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(NewsSerializer(news).data, status=status.HTTP_201_CREATED)


class NewsDetailView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Новость", responses=NewsSerializer)
    def get(self, request, news_id: int):
        return Response(NewsSerializer(access_news(news_id=news_id)).data)

    @extend_schema(summary="Изменить новость", request=NewsSerializer, responses=NewsSerializer)
    def put(self, request, news_id: int):
        news = access_news(news_id=news_id)
        serializer = NewsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            news = services.news_update(actor=request.user, news=news, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(NewsSerializer(news).data)

    @extend_schema(summary="Удалить новость", responses={204: None})
    def delete(self, request, news_id: int):
        services.news_delete(actor=request.user, news=access_news(news_id=news_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class NewsPublishView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Опубликовать новость", request=None, responses=NewsSerializer)
    def post(self, request, news_id: int):
        news = services.news_publish(actor=request.user, news=access_news(news_id=news_id))
        return Response(NewsSerializer(news).data)


class NewsUnpublishView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Снять новость с публикации", request=None, responses=NewsSerializer)
    def post(self, request, news_id: int):
        news = services.news_unpublish(actor=request.user, news=access_news(news_id=news_id))
        return Response(NewsSerializer(news).data)


urlpatterns = [
    path("", NewsListView.as_view(), name="api_news_list"),
    path("<int:news_id>/", NewsDetailView.as_view(), name="api_news_detail"),
    path("<int:news_id>/publish/", NewsPublishView.as_view(), name="api_news_publish"),
    path("<int:news_id>/unpublish/", NewsUnpublishView.as_view(), name="api_news_unpublish"),
]
