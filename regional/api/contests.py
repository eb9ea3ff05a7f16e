"""API of the contests area (every tenant host; views check the level and roles).

Mounted under /api/v1/contests/. Public schema tables; the order of encouragement is written in the
organization's schema on its own host. Every member of a host of the region reads the announced
contests and the published results; the regional coordinator (region's host) creates, edits,
appoints the jury and moves the stages; an organization's director or curator nominates and makes
the order of encouragement; a juror reads the nominations and their own scores and scores.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from nastavnik.api.base import TenantAPIView, raise_as_api_error
from regional.contests import access, encouragement, selectors, services
from regional.models import Contest, Nomination

# --- serializers ------------------------------------------------------------------------------------------


class ContestCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    max = serializers.IntegerField()


class ContestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    description = serializers.CharField()
    nominations_from = serializers.DateField()
    nominations_until = serializers.DateField()
    criteria = ContestCriterionSerializer(many=True)
    winners = serializers.IntegerField(
        help_text="Призовых мест (для нагрудного знака — сколько человек его удостаиваются)"
    )
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    results_published_at = serializers.DateTimeField(allow_null=True)


class ContestListItemSerializer(ContestSerializer):
    submitted_count = serializers.IntegerField(help_text="Выдвижений (без отозванных)")


class ContestCriterionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    max = serializers.IntegerField(help_text="Максимальный балл, от 1 до 100")


class ContestInput(serializers.Serializer):
    kind = serializers.CharField(help_text="mentor_of_year, best_pair, honorary_badge или other")
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    nominations_from = serializers.DateField()
    nominations_until = serializers.DateField()
    criteria = ContestCriterionInput(many=True)
    winners = serializers.IntegerField()


class ContestJurorSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")


class ContestJurorInput(serializers.Serializer):
    email = serializers.EmailField()


class ContestNominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.short_name")
    nominee_name = serializers.CharField()
    nominee_position = serializers.CharField()
    justification = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()


class ContestNominationInput(serializers.Serializer):
    mentor_entry_id = serializers.IntegerField(required=False, help_text="Запись банка наставников организации")
    pair_id = serializers.IntegerField(required=False, help_text="Пара (группа) организации — для «Лучшей пары»")
    justification = serializers.CharField(max_length=5000)


class ContestScoresSerializer(serializers.Serializer):
    nomination_id = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="Код критерия → балл")
    is_complete = serializers.BooleanField()


class ContestScoresInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="Код критерия → целый балл от 0 до максимума"
    )


class ContestJuryRowSerializer(serializers.Serializer):
    nomination = ContestNominationSerializer()
    scores = serializers.DictField(child=serializers.IntegerField())
    is_complete = serializers.BooleanField()


class ContestResultSerializer(serializers.Serializer):
    place = serializers.IntegerField(allow_null=True, help_text="Место (пусто — участник без призового места)")
    nominee_name = serializers.CharField(source="nomination.nominee_name")
    nominee_position = serializers.CharField(source="nomination.nominee_position")
    organization = serializers.CharField(source="nomination.organization.short_name")
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class ContestDetailSerializer(serializers.Serializer):
    contest = ContestSerializer()
    nominations = ContestNominationSerializer(many=True)
    results = ContestResultSerializer(many=True)


class ContestEncouragementInput(serializers.Serializer):
    order_number = serializers.CharField(max_length=50)
    order_date = serializers.DateField()


class ContestEncouragementOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField()
    status = serializers.CharField()


# --- helpers ----------------------------------------------------------------------------------------------


def _require_manager(request) -> None:
    if not access.can_manage(request):
        raise PermissionDenied("Конкурсами региона управляет региональный координатор (на хосте региона).")


def _require_nominator(request) -> None:
    if not access.can_nominate(request):
        raise PermissionDenied("Выдвигает участников руководитель или куратор организации (на её хосте).")


def _contest(request, contest_id: int) -> Contest:
    return selectors.access_contest(request, contest_id=contest_id)


def _detail(request, contest: Contest) -> dict:
    return ContestDetailSerializer(
        {
            "contest": contest,
            "nominations": selectors.nominations_visible(request, contest),
            "results": selectors.result_rows(contest),
        }
    ).data


# --- views ------------------------------------------------------------------------------------------------


class ContestListAPI(TenantAPIView):
    @extend_schema(summary="Конкурсы региона", responses=ContestListItemSerializer(many=True))
    def get(self, request):
        return Response(ContestListItemSerializer(selectors.contest_list(request), many=True).data)

    @extend_schema(
        summary="Создать конкурс (региональный координатор)",
        request=ContestInput,
        responses={201: ContestSerializer},
    )
    def post(self, request):
        _require_manager(request)
        data = ContestInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            contest = services.contest_create(actor=request.user, region=request.tenant, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestSerializer(contest).data, status=status.HTTP_201_CREATED)


class ContestDetailAPI(TenantAPIView):
    @extend_schema(
        summary="Конкурс: условия, видимые выдвижения, итоги (после публикации)", responses=ContestDetailSerializer
    )
    def get(self, request, contest_id: int):
        return Response(_detail(request, _contest(request, contest_id)))

    @extend_schema(
        summary="Изменить условия конкурса на этапе подготовки", request=ContestInput, responses=ContestSerializer
    )
    def put(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        _require_manager(request)
        data = ContestInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            contest = services.contest_update(actor=request.user, contest=contest, **data.validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestSerializer(contest).data)


STAGES = {
    "announce": services.contest_announce,
    "close": services.contest_close_nominations,
    "publish": services.contest_publish_results,
}


class ContestStageAPI(TenantAPIView):
    @extend_schema(
        summary="Перевести конкурс на следующий этап: announce — объявить, close — закрыть приём выдвижений, "
        "publish — опубликовать итоги",
        request=None,
        responses=ContestSerializer,
    )
    def post(self, request, contest_id: int, action: str):
        contest = _contest(request, contest_id)
        _require_manager(request)
        if action not in STAGES:
            raise NotFound("Не найдено.")
        try:
            contest = STAGES[action](actor=request.user, contest=contest)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestSerializer(contest).data)


class ContestJurorListAPI(TenantAPIView):
    @extend_schema(summary="Жюри конкурса (регион)", responses=ContestJurorSerializer(many=True))
    def get(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        if not access.is_region_staff(request):
            raise PermissionDenied("Состав жюри виден региону.")
        return Response(ContestJurorSerializer(selectors.jurors(contest), many=True).data)

    @extend_schema(
        summary="Включить пользователя в жюри (по электронной почте)",
        request=ContestJurorInput,
        responses={201: ContestJurorSerializer},
    )
    def post(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        _require_manager(request)
        data = ContestJurorInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            juror = services.juror_add(actor=request.user, contest=contest, email=data.validated_data["email"])
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestJurorSerializer(juror).data, status=status.HTTP_201_CREATED)


class ContestJurorAPI(TenantAPIView):
    @extend_schema(summary="Исключить из жюри (его оценки удаляются)", request=None, responses={204: None})
    def delete(self, request, contest_id: int, user_id: int):
        contest = _contest(request, contest_id)
        _require_manager(request)
        try:
            services.juror_remove(actor=request.user, contest=contest, user_id=user_id)
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContestNominationListAPI(TenantAPIView):
    @extend_schema(summary="Выдвижения, видимые на этом хосте", responses=ContestNominationSerializer(many=True))
    def get(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        return Response(ContestNominationSerializer(selectors.nominations_visible(request, contest), many=True).data)

    @extend_schema(
        summary="Выдвинуть наставника (для «Лучшей пары» — пару) своей организации",
        request=ContestNominationInput,
        responses={201: ContestNominationSerializer},
    )
    def post(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        _require_nominator(request)
        data = ContestNominationInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            nomination = services.nomination_submit(
                actor=request.user, organization=request.tenant, contest=contest, **data.validated_data
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestNominationSerializer(nomination).data, status=status.HTTP_201_CREATED)


class ContestNominationWithdrawAPI(TenantAPIView):
    @extend_schema(summary="Отозвать выдвижение своей организации", request=None, responses=ContestNominationSerializer)
    def post(self, request, contest_id: int, nomination_id: int):
        contest = _contest(request, contest_id)
        _require_nominator(request)
        nomination = selectors.own_nomination(request, contest, nomination_id=nomination_id)
        try:
            nomination = services.nomination_withdraw(
                actor=request.user, organization=request.tenant, nomination=nomination
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestNominationSerializer(nomination).data)


def _require_juror(request, contest: Contest) -> None:
    if not selectors.is_juror(contest, request.user):
        raise PermissionDenied("Оценивают выдвижения только члены жюри конкурса.")


def _own_scores(contest: Contest, user, nomination: Nomination) -> dict:
    row = next((row for row in selectors.jury_rows(contest, user) if row.nomination.pk == nomination.pk), None)
    scores = row.scores if row else {}
    return {"nomination_id": nomination.pk, "scores": scores, "is_complete": bool(row and row.is_complete)}


class ContestJuryAPI(TenantAPIView):
    @extend_schema(
        summary="Страница жюри: выдвижения и только свои оценки", responses=ContestJuryRowSerializer(many=True)
    )
    def get(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        _require_juror(request, contest)
        rows = selectors.jury_rows(contest, request.user)
        return Response(
            ContestJuryRowSerializer(
                [{"nomination": row.nomination, "scores": row.scores, "is_complete": row.is_complete} for row in rows],
                many=True,
            ).data
        )


class ContestScoresAPI(TenantAPIView):
    @extend_schema(summary="Свои оценки выдвижения", responses=ContestScoresSerializer)
    def get(self, request, contest_id: int, nomination_id: int):
        contest = _contest(request, contest_id)
        _require_juror(request, contest)
        nomination = selectors.access_nomination(contest, nomination_id=nomination_id)
        return Response(ContestScoresSerializer(_own_scores(contest, request.user, nomination)).data)

    @extend_schema(
        summary="Оценить выдвижение по всем критериям (повторно — заменить оценки)",
        request=ContestScoresInput,
        responses=ContestScoresSerializer,
    )
    def post(self, request, contest_id: int, nomination_id: int):
        contest = _contest(request, contest_id)
        _require_juror(request, contest)
        nomination = selectors.access_nomination(contest, nomination_id=nomination_id)
        data = ContestScoresInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.scores_submit(actor=request.user, nomination=nomination, values=data.validated_data["scores"])
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestScoresSerializer(_own_scores(contest, request.user, nomination)).data)


class ContestResultsAPI(TenantAPIView):
    @extend_schema(summary="Итоги конкурса (после публикации)", responses=ContestResultSerializer(many=True))
    def get(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        if contest.status != Contest.Status.RESULTS:
            raise NotFound("Итоги конкурса ещё не опубликованы.")
        return Response(ContestResultSerializer(selectors.result_rows(contest), many=True).data)


class ContestEncouragementOrderAPI(TenantAPIView):
    @extend_schema(
        summary="Сформировать проект приказа о поощрении победителей и участников от организации",
        request=ContestEncouragementInput,
        responses={201: ContestEncouragementOrderSerializer},
    )
    def post(self, request, contest_id: int):
        contest = _contest(request, contest_id)
        _require_nominator(request)
        data = ContestEncouragementInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            order = encouragement.contest_encouragement_order_create(
                actor=request.user,
                organization=request.tenant,
                contest=contest,
                number=data.validated_data["order_number"],
                day=data.validated_data["order_date"],
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)
        return Response(ContestEncouragementOrderSerializer(order).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", ContestListAPI.as_view(), name="api_contest_list"),
    path("<int:contest_id>/", ContestDetailAPI.as_view(), name="api_contest_detail"),
    path("<int:contest_id>/stage/<slug:action>/", ContestStageAPI.as_view(), name="api_contest_stage"),
    path("<int:contest_id>/jurors/", ContestJurorListAPI.as_view(), name="api_contest_jurors"),
    path("<int:contest_id>/jurors/<int:user_id>/", ContestJurorAPI.as_view(), name="api_contest_juror"),
    path("<int:contest_id>/nominations/", ContestNominationListAPI.as_view(), name="api_contest_nominations"),
    path(
        "<int:contest_id>/nominations/<int:nomination_id>/withdraw/",
        ContestNominationWithdrawAPI.as_view(),
        name="api_contest_nomination_withdraw",
    ),
    path("<int:contest_id>/jury/", ContestJuryAPI.as_view(), name="api_contest_jury"),
    path(
        "<int:contest_id>/nominations/<int:nomination_id>/scores/",
        ContestScoresAPI.as_view(),
        name="api_contest_scores",
    ),
    path("<int:contest_id>/results/", ContestResultsAPI.as_view(), name="api_contest_results"),
    path(
        "<int:contest_id>/encouragement-order/",
        ContestEncouragementOrderAPI.as_view(),
        name="api_contest_encouragement_order",
    ),
]
