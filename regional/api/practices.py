"""API of the practices area (every tenant host; views check the level and roles).

Mounted under /api/v1/practices/. Public tables only, except creating a case, which reads the
completed program in the organization's own schema (the host's).

- GET  ``                  the regional bank (published cases of the host's region) with `q` (Russian
                           morphology) and the filters; `scope=ours` — the organization's own cases
                           (curator, council, director); `scope=review` — the cases waiting for the
                           decision of the host's municipality or region (its coordinators)
- POST ``                  a draft case from a completed program (`program_id`)
- GET/PATCH `<id>/`        the case with its materials and review history / change a draft or returned case
- POST `<id>/submit/`      send it up for review
- POST `<id>/review/`      the decision of the municipality or the region (`decision`, `comment`)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from institutional.models import MenteeCategory, PairForm, PairKind
from nastavnik.api.base import TenantAPIView, TenantGenericAPIView, raise_as_api_error
from regional.models import PracticeCase, PracticeReview
from regional.practices import selectors, services
from regional.practices.access import (
    access_case,
    can_write,
    may_edit,
    may_review,
    region_of,
    review_level,
    sees_reviews,
)
from tenants.models import Level


class PracticeMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PracticeReviewSerializer(serializers.Serializer):
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    decision = serializers.CharField()
    decision_label = serializers.CharField(source="get_decision_display")
    comment = serializers.CharField()
    reviewer = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField()

    def get_reviewer(self, review) -> str:
        return review.reviewer.get_short_name() if review.reviewer_id else ""


class PracticeCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.short_name")
    organization_kind = serializers.CharField(source="organization.kind")
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    municipality_name = serializers.CharField(source="place_label")
    problem = serializers.CharField()
    goal = serializers.CharField()
    form = serializers.CharField()
    form_label = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    kind_labels = serializers.ListField(child=serializers.CharField())
    mentee_categories = serializers.ListField(child=serializers.CharField())
    category_labels = serializers.ListField(child=serializers.CharField())
    activities = serializers.CharField()
    results = serializers.CharField()
    materials = serializers.CharField()
    authors = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class PracticeCaseDetailSerializer(PracticeCaseSerializer):
    files = PracticeMaterialSerializer(many=True)
    reviews = PracticeReviewSerializer(many=True)
    may_edit = serializers.BooleanField()
    may_review = serializers.BooleanField()


class PracticeCreateInput(serializers.Serializer):
    program_id = serializers.IntegerField(help_text="Завершённая программа организации")


class PracticeUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    problem = serializers.CharField(required=False, allow_blank=True)
    goal = serializers.CharField(required=False, allow_blank=True)
    form = serializers.ChoiceField(choices=PairForm.choices, required=False)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=PairKind.choices), required=False)
    mentee_categories = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Коды категорий наставляемых из банка наставляемых"
    )
    activities = serializers.CharField(required=False, allow_blank=True)
    results = serializers.CharField(required=False, allow_blank=True)
    materials = serializers.CharField(required=False, allow_blank=True)
    authors = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PracticeReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=PracticeReview.Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _detail(request, case: PracticeCase) -> dict:
    data = PracticeCaseSerializer(selectors.describe(case)).data
    data["files"] = PracticeMaterialSerializer(case.files.order_by("pk"), many=True).data
    # The review comments stay between the organization and the levels that decide on the case.
    reviews = selectors.case_reviews(case) if sees_reviews(request, case) else []
    data["reviews"] = PracticeReviewSerializer(reviews, many=True).data
    data["may_edit"] = may_edit(request, case)
    data["may_review"] = may_review(request, case)
    return data


def _require_writer(request) -> None:
    if request.tenant.level != Level.ORGANIZATION:
        raise NotFound("Не найдено.")
    if not can_write(request):
        raise PermissionDenied("Кейсы организации пишут куратор, члены совета наставников и руководитель.")


BANK_PARAMETERS = [
    OpenApiParameter(
        "scope",
        OpenApiTypes.STR,
        enum=["bank", "ours", "review"],
        description="bank — банк региона (по умолчанию); ours — кейсы своей организации; review — ожидают решения",
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Поиск с учётом морфологии русского языка"),
    OpenApiParameter("form", OpenApiTypes.STR, enum=PairForm.values),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=PairKind.values),
    OpenApiParameter("category", OpenApiTypes.STR, enum=MenteeCategory.values),
    OpenApiParameter("municipality", OpenApiTypes.STR, description="id муниципалитета или regional"),
    OpenApiParameter("organization_kind", OpenApiTypes.STR),
]


class PracticeListAPI(TenantGenericAPIView):
    serializer_class = PracticeCaseSerializer

    def get_queryset(self):
        request = self.request
        scope = request.query_params.get("scope", "bank")
        if scope == "ours":
            _require_writer(request)
            return selectors.organization_cases(request.tenant)
        if scope == "review":
            if review_level(request) is None:
                raise PermissionDenied("Кейсы на рассмотрении видят муниципальные и региональные координаторы.")
            return selectors.review_queue(request.tenant)
        region = region_of(request.tenant)
        return selectors.bank_cases(
            region=region, filters=selectors.BankFilters.from_query(request.query_params, region=region)
        )

    @extend_schema(
        summary="Банк лучших практик региона (поиск и фильтры), свои кейсы или кейсы на рассмотрении",
        parameters=BANK_PARAMETERS,
        responses=PracticeCaseSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PracticeCaseSerializer(selectors.describe_all(page), many=True).data)

    @extend_schema(
        summary="Написать кейс по завершённой программе (куратор, совет наставников, руководитель)",
        request=PracticeCreateInput,
        responses={201: PracticeCaseDetailSerializer},
    )
    def post(self, request):
        _require_writer(request)
        data = PracticeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_start(actor=request.user, program_id=data.validated_data["program_id"])
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, case), status=status.HTTP_201_CREATED)


class PracticeDetailAPI(TenantAPIView):
    @extend_schema(summary="Кейс с материалами и историей рассмотрения", responses=PracticeCaseDetailSerializer)
    def get(self, request, case_id: int):
        return Response(_detail(request, access_case(request=request, case_id=case_id)))

    @extend_schema(
        summary="Изменить черновик или возвращённый кейс",
        request=PracticeUpdateInput,
        responses=PracticeCaseDetailSerializer,
    )
    def patch(self, request, case_id: int):
        case = access_case(request=request, case_id=case_id)
        if not may_edit(request, case):
            raise PermissionDenied(
                f"Кейс «{case.title}» {case.get_status_display().lower()}: изменять его здесь нельзя."
            )
        data = PracticeUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_update(actor=request.user, case=case, data=dict(data.validated_data))
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, access_case(request=request, case_id=case.pk)))


class PracticeSubmitAPI(TenantAPIView):
    @extend_schema(summary="Направить кейс на рассмотрение", request=None, responses=PracticeCaseDetailSerializer)
    def post(self, request, case_id: int):
        case = access_case(request=request, case_id=case_id)
        _require_writer(request)
        if case.organization_id != request.tenant.pk:
            raise NotFound("Не найдено.")
        try:
            case = services.case_submit(actor=request.user, case=case)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(_detail(request, access_case(request=request, case_id=case.pk)))


class PracticeReviewAPI(TenantAPIView):
    @extend_schema(
        summary="Решение муниципалитета или региона: одобрить, вернуть на доработку, отклонить",
        request=PracticeReviewInput,
        responses=PracticeCaseDetailSerializer,
    )
    def post(self, request, case_id: int):
        case = access_case(request=request, case_id=case_id)
        if review_level(request) is None:
            raise PermissionDenied("Кейсы рассматривают муниципальные и региональные координаторы.")
        data = PracticeReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.case_review(actor=request.user, case=case, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        case.refresh_from_db()
        return Response(_detail(request, case))


urlpatterns = [
    path("", PracticeListAPI.as_view(), name="api_practice_list"),
    path("<int:case_id>/", PracticeDetailAPI.as_view(), name="api_practice_detail"),
    path("<int:case_id>/submit/", PracticeSubmitAPI.as_view(), name="api_practice_submit"),
    path("<int:case_id>/review/", PracticeReviewAPI.as_view(), name="api_practice_review"),
]
