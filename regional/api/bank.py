"""API of the unified regional mentor bank (mounted under /api/v1/bank/ on every tenant host).

Public tables only (`regional.bank_search`): every member of the host may search; what is visible
is decided by the host's organization. Bad parameters get 400 with a Russian message naming them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from institutional.models import MentorAchievement, QualificationCategory
from nastavnik.api.base import TenantAPIView
from regional import bank_search as selectors
from tenants.models import OrganizationKind

PAGE_SIZE = 25


class BankPagination(PageNumberPagination):
    page_size = PAGE_SIZE


class BankOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    short_name = serializers.CharField()
    full_name = serializers.CharField()


class BankMunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    short_name = serializers.CharField()


class BankAchievementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class BankMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = BankOrganizationSerializer()
    municipality = BankMunicipalitySerializer(allow_null=True, help_text="пусто — региональное подчинение")
    organization_kind = serializers.CharField(help_text="тип организации (пусто для муниципалитета и региона)")
    visibility = serializers.CharField(help_text="municipality — видна муниципалитету, region — всему региону")
    full_name = serializers.CharField(help_text="пусто, если наставник не разрешил публиковать ФИО")
    position = serializers.CharField()
    subjects = serializers.ListField(child=serializers.CharField())
    competencies = serializers.CharField()
    achievements = serializers.SerializerMethodField()
    achievements_details = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    pedagogical_experience_years = serializers.DecimalField(max_digits=4, decimal_places=1)
    qualification_category = serializers.CharField()
    qualification_category_label = serializers.SerializerMethodField()
    capacity = serializers.IntegerField(help_text="наставляемых одновременно, не более")
    taken = serializers.IntegerField(help_text="наставляемых сейчас (во всех организациях)")
    free = serializers.IntegerField(help_text="свободных мест")
    trainings = serializers.IntegerField(help_text="пройдено программ обучения наставников")

    @extend_schema_field(BankAchievementSerializer(many=True))
    def get_achievements(self, mentor) -> list[dict]:
        labels = dict(MentorAchievement.choices)
        return BankAchievementSerializer(
            [{"code": code, "label": labels.get(code, code)} for code in mentor.achievements], many=True
        ).data

    def get_qualification_category_label(self, mentor) -> str:
        return dict(QualificationCategory.choices).get(mentor.qualification_category, "")


class BankMentorPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="найдено наставников")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BankMentorSerializer(many=True)


def _error_response(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Полнотекстовый поиск с учётом словоформ"),
    OpenApiParameter("subject", OpenApiTypes.STR, description="Предмет (точное название)"),
    OpenApiParameter("competency", OpenApiTypes.STR, description="Поиск по компетенциям"),
    OpenApiParameter("tag", OpenApiTypes.STR, description="Метка (точное название)"),
    OpenApiParameter(
        "municipality", OpenApiTypes.INT, description="Муниципалитет (id); 0 — организации регионального подчинения"
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=OrganizationKind.values, description="Тип организации"),
    OpenApiParameter("experience", OpenApiTypes.NUMBER, description="Педагогический стаж не менее, лет"),
    OpenApiParameter("free", OpenApiTypes.BOOL, description="Только со свободными местами"),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description="Номер страницы (по 25 наставников; за последней — последняя)"
    ),
]


class BankMentorListAPI(TenantAPIView):
    @extend_schema(
        summary="Поиск в банке наставников региона",
        operation_id="bank_mentors_list",
        parameters=FILTER_PARAMETERS,
        responses={200: BankMentorPageSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        try:
            filters = selectors.parse_filters(request.query_params)
            page_number = request.query_params.get("page", "1")
            if not str(page_number).isdigit() or len(str(page_number)) > 6 or int(page_number) < 1:
                raise ValidationError({"page": "Номер страницы — целое число от 1 до 999999."})
        except ValidationError as error:
            return _error_response(error)
        result = selectors.bank_search(viewer=request.tenant, **filters.as_kwargs())
        paginator = BankPagination()
        paginator.request, paginator.page = request, result.page(int(page_number), PAGE_SIZE)
        return paginator.get_paginated_response(BankMentorSerializer(paginator.page, many=True).data)


class BankMentorDetailAPI(TenantAPIView):
    @extend_schema(
        summary="Карточка наставника банка региона",
        operation_id="bank_mentors_retrieve",
        responses=BankMentorSerializer,
    )
    def get(self, request, pk: int):
        mentor = selectors.access_bank_mentor(viewer=request.tenant, bank_mentor_id=pk)
        return Response(BankMentorSerializer(mentor).data)


urlpatterns = [
    path("mentors/", BankMentorListAPI.as_view(), name="api-bank-mentor-list"),
    path("mentors/<int:pk>/", BankMentorDetailAPI.as_view(), name="api-bank-mentor-detail"),
]
