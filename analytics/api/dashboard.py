"""Monitoring dashboard API of a region's and a municipality's host (mounted under /api/v1/monitoring/).

Public schema only: the same builders as the pages (analytics/dashboard.py), so the API and
the pages show the same numbers. Regional and municipal coordinators and regional methodologists
only; on any other level the endpoints do not exist (404).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from analytics import dashboard
from analytics.access import MONITORING_LEVELS, MONITORS
from analytics.scope import is_under
from institutional.dates import organization_today
from nastavnik.api.base import TenantAPIView


class MonitoringDashboardRatioSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="Доля в процентах до десятых; null без знаменателя.")


class MonitoringDashboardMeanSerializer(serializers.Serializer):
    total = serializers.FloatField()
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True, help_text="Средний балл (1–5) до сотых; null без анкет.")


class MonitoringDashboardPairsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    network = serializers.IntegerField()
    local = serializers.IntegerField()
    by_form = serializers.DictField(child=serializers.IntegerField(), help_text="Код формы → пар и групп.")
    by_kind = serializers.DictField(child=serializers.IntegerField(), help_text="Код вида → пар и групп.")


class MonitoringDashboardProgramsSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    completed = serializers.IntegerField()
    ended_early = serializers.IntegerField()
    ended_early_by_reason = serializers.DictField(child=serializers.IntegerField())
    extended = serializers.IntegerField()


class MonitoringDashboardOverdueSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_kind = serializers.DictField(
        child=serializers.IntegerField(), help_text="appointment, program, report, roadmap → просрочено."
    )


class MonitoringDashboardSatisfactionSerializer(serializers.Serializer):
    mentors = MonitoringDashboardMeanSerializer()
    mentees = MonitoringDashboardMeanSerializer()


class MonitoringDashboardLoadSerializer(serializers.Serializer):
    over_cap = serializers.IntegerField()
    loads = serializers.DictField(
        child=serializers.IntegerField(), help_text="Наставляемых у наставника → наставников."
    )


class MonitoringDashboardStageSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField(required=False)
    activities = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class MonitoringDashboardRoadmapSerializer(MonitoringDashboardRatioSerializer):
    overdue = serializers.IntegerField()
    stages = MonitoringDashboardStageSerializer(many=True)


class MonitoringDashboardPracticesSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(
        help_text="Кейсов лучших практик впервые направлено на рассмотрение в периоде."
    )
    published = serializers.IntegerField(help_text="Кейсов опубликовано в банке практик в периоде.")
    with_published = MonitoringDashboardRatioSerializer(
        help_text="Организации, у которых в периоде опубликован хотя бы один кейс, из всех организаций."
    )


class MonitoringDashboardIndicatorsSerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    k1 = MonitoringDashboardRatioSerializer()
    k1_missing = serializers.ListField(child=serializers.CharField())
    k2 = MonitoringDashboardRatioSerializer()
    k3 = MonitoringDashboardRatioSerializer()
    k4 = MonitoringDashboardPairsSerializer()
    k5 = MonitoringDashboardProgramsSerializer()
    k6 = MonitoringDashboardOverdueSerializer()
    k7 = MonitoringDashboardSatisfactionSerializer()
    k8 = MonitoringDashboardLoadSerializer()
    k9 = MonitoringDashboardRatioSerializer()
    k10 = MonitoringDashboardPracticesSerializer()
    k11 = MonitoringDashboardRoadmapSerializer()
    k12 = MonitoringDashboardRatioSerializer()


class MonitoringDashboardPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    academic_year = serializers.IntegerField(
        allow_null=True, help_text="Год начала учебного года; null — произвольный."
    )


class MonitoringDashboardScopeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    short_name = serializers.CharField()
    level = serializers.CharField()


class MonitoringDashboardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["municipality", "regional", "organization"])
    name = serializers.CharField()
    indicators = MonitoringDashboardIndicatorsSerializer()


class MonitoringDashboardKpiSerializer(serializers.Serializer):
    scope = MonitoringDashboardScopeSerializer()
    period = MonitoringDashboardPeriodSerializer()
    indicators = MonitoringDashboardIndicatorsSerializer()
    rows = MonitoringDashboardRowSerializer(many=True)


class MonitoringDashboardOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    parent_id = serializers.IntegerField()
    parent_name = serializers.CharField()
    facts_as_of = serializers.DateField(allow_null=True)
    indicators = MonitoringDashboardIndicatorsSerializer()
    lagging_reasons = serializers.ListField(child=serializers.CharField())


class MonitoringDashboardFactsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    regulation_approved_on = serializers.DateField(allow_null=True)
    curator_since = serializers.DateField(allow_null=True)
    roadmap_years = serializers.ListField(child=serializers.IntegerField())
    staff_employed = serializers.IntegerField()
    mentors_in_bank = serializers.IntegerField()
    mentees_waiting = serializers.IntegerField()
    mentor_loads = serializers.DictField(child=serializers.IntegerField())
    mentors_over_cap = serializers.IntegerField()
    mentor_cap = serializers.IntegerField()


class MonitoringDashboardTrendPointSerializer(serializers.Serializer):
    taken_on = serializers.DateField()
    academic_year = serializers.IntegerField()
    values = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Доли в процентах, средние баллы, количества."
    )
    raw = serializers.JSONField(help_text="Как хранится: [числитель, знаменатель], [сумма, число] или количество.")


class MonitoringDashboardCardSerializer(MonitoringDashboardOrganizationSerializer):
    period = MonitoringDashboardPeriodSerializer()
    facts = MonitoringDashboardFactsSerializer(allow_null=True)
    trend = MonitoringDashboardTrendPointSerializer(many=True)


MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Учебный год (год начала); по умолчанию текущий."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Начало произвольного периода (вместе с to)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Окончание произвольного периода (вместе с from)."),
]


def _trend_points(snapshots) -> list[dict]:
    return [
        {
            "taken_on": snapshot.taken_on,
            "academic_year": snapshot.academic_year,
            "values": dashboard.snapshot_values(snapshot),
            "raw": snapshot.values,
        }
        for snapshot in snapshots
    ]


class MonitoringDashboardAPIView(TenantAPIView):
    """Monitors of a region's or a municipality's host; the period comes from ?year= or ?from=&to=."""

    allowed_roles = MONITORS

    def initial(self, request, *args, **kwargs):
        if getattr(request, "tenant", None) is None or request.tenant.level not in MONITORING_LEVELS:
            raise exceptions.NotFound("Не найдено.")
        super().initial(request, *args, **kwargs)

    def period_choice(self) -> dashboard.PeriodChoice:
        choice = dashboard.period_from_params(self.request.query_params, organization_today(self.request.tenant))
        if choice.error:
            raise exceptions.ValidationError(
                {"period": [choice.error.removesuffix(dashboard.DEFAULT_PERIOD_NOTE).strip()]}
            )
        return choice

    @staticmethod
    def period_data(choice: dashboard.PeriodChoice) -> dict:
        return {"start": choice.period.start, "end": choice.period.end, "academic_year": choice.academic_year}


class MonitoringDashboardKpiAPI(MonitoringDashboardAPIView):
    @extend_schema(
        summary="Показатели К1–К12 региона или муниципалитета и строки по муниципалитетам (организациям)",
        parameters=PERIOD_PARAMETERS,
        responses=MonitoringDashboardKpiSerializer,
    )
    def get(self, request):
        choice = self.period_choice()
        overview = dashboard.scope_overview(request.tenant, choice.period, every_organization=False, lagging_limit=0)
        data = {
            "scope": {"id": request.tenant.pk, "short_name": request.tenant.short_name, "level": request.tenant.level},
            "period": self.period_data(choice),
            "indicators": overview["indicators"],
            "rows": overview["rows"],
        }
        return Response(MonitoringDashboardKpiSerializer(data).data)


LIST_PARAMETERS = [
    OpenApiParameter(
        "lagging", OpenApiTypes.BOOL, description="Только отстающие организации (true/1); по умолчанию все."
    ),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Сколько организаций пропустить с начала списка."),
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description=f"Сколько организаций вернуть (1–{MAX_LIMIT}); по умолчанию все."
    ),
]
TOTAL_HEADER = "X-Total-Count"


def _count(params, name: str, *, low: int, high: int) -> int | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise exceptions.ValidationError(
            {name: [f"Значение «{text[:20]}» указано неверно: нужно целое число от {low} до {high}."]}
        )
    return int(text)


class MonitoringDashboardOrganizationListAPI(MonitoringDashboardAPIView):
    @extend_schema(
        summary="Организации региона или муниципалитета с показателями и причинами отставания (постранично)",
        description=(
            "Организации в порядке дашборда (муниципалитет, название). С offset и limit — одна страница; "
            f"всего организаций (отстающих, с lagging=true) — в заголовке {TOTAL_HEADER}."
        ),
        parameters=[
            *PERIOD_PARAMETERS,
            *LIST_PARAMETERS,
            OpenApiParameter(
                TOTAL_HEADER,
                OpenApiTypes.INT,
                location=OpenApiParameter.HEADER,
                response=True,
                description="Всего организаций в списке (без учёта offset и limit).",
            ),
        ],
        responses=MonitoringDashboardOrganizationSerializer(many=True),
    )
    def get(self, request):
        choice = self.period_choice()
        params = request.query_params
        lagging_text = (params.get("lagging") or "").strip().lower()
        if lagging_text not in ("", "true", "1", "false", "0"):
            raise exceptions.ValidationError(
                {"lagging": [f"Значение «{lagging_text[:20]}» указано неверно: true или false."]}
            )
        offset = _count(params, "offset", low=0, high=MAX_OFFSET) or 0
        limit = _count(params, "limit", low=1, high=MAX_LIMIT)
        entries, total = dashboard.scope_organizations(
            request.tenant, choice.period, lagging_only=lagging_text in ("true", "1"), offset=offset, limit=limit
        )
        response = Response(MonitoringDashboardOrganizationSerializer(entries, many=True).data)
        response[TOTAL_HEADER] = str(total)
        return response


class MonitoringDashboardOrganizationAPI(MonitoringDashboardAPIView):
    @extend_schema(
        summary="Карточка организации: количества, даты и показатели за период",
        parameters=PERIOD_PARAMETERS,
        responses=MonitoringDashboardCardSerializer,
    )
    def get(self, request, organization_id: int):
        try:
            ref = dashboard.organization_in_scope(request.tenant, organization_id)
        except Http404 as error:
            raise exceptions.NotFound("Организация не найдена.") from error
        choice = self.period_choice()
        card = dashboard.organization_card(ref, choice.period)
        in_period, _ = dashboard.snapshots_of(ref.id, choice.period)
        card["period"] = self.period_data(choice)
        card["trend"] = _trend_points(in_period)
        return Response(MonitoringDashboardCardSerializer(card).data)


class MonitoringDashboardTrendAPI(MonitoringDashboardAPIView):
    @extend_schema(
        summary="Ежедневные снимки показателей за период (региона, муниципалитета или организации)",
        parameters=[
            OpenApiParameter(
                "organization",
                OpenApiTypes.INT,
                description="Муниципалитет или организация в пределах хоста; по умолчанию сам хост.",
            ),
            *PERIOD_PARAMETERS,
        ],
        responses=MonitoringDashboardTrendPointSerializer(many=True),
    )
    def get(self, request):
        host = request.tenant
        text = (request.query_params.get("organization") or "").strip()
        if not text:
            organization_id = host.pk
        elif not (text.isascii() and text.isdigit()):
            raise exceptions.ValidationError({"organization": [f"Номер организации «{text[:20]}» указан неверно."]})
        else:
            organization_id = int(text)
        if not is_under(host, organization_id):
            raise exceptions.NotFound("Организация не найдена.")
        choice = self.period_choice()
        in_period, _ = dashboard.snapshots_of(organization_id, choice.period)
        return Response(MonitoringDashboardTrendPointSerializer(_trend_points(in_period), many=True).data)


urlpatterns = [
    path("kpi/", MonitoringDashboardKpiAPI.as_view(), name="api_monitoring_kpi"),
    path("organizations/", MonitoringDashboardOrganizationListAPI.as_view(), name="api_monitoring_organization_list"),
    path(
        "organizations/<int:organization_id>/",
        MonitoringDashboardOrganizationAPI.as_view(),
        name="api_monitoring_organization",
    ),
    path("trend/", MonitoringDashboardTrendAPI.as_view(), name="api_monitoring_trend"),
]
