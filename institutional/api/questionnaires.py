"""API of the area «questionnaires» (mounted under /api/v1/org/questionnaires/ by institutional/api/urls.py).

Runs in the tenant schema. Reading questionnaires, runs and results is for the curator, the
council and the director; answering is for any member whose staff record is in a run's audience,
validated by the same service as the web form.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response as APIResponse

from institutional.access import MANAGERS, OVERSEERS, STAFF_READERS, own_staff
from institutional.models import Pair, Question, Questionnaire, QuestionnaireRun
from institutional.selectors import questionnaires as selectors
from institutional.selectors.pairs import access_pair
from institutional.services import questionnaires as services
from nastavnik.api.base import TenantAPIView
from nastavnik.xlsx import xlsx_response

# Serializers ---------------------------------------------------------------------------------


class QuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "text",
            "type",
            "is_required",
            "options",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        ]


class RunOutput(serializers.ModelSerializer):
    questionnaire = serializers.IntegerField(source="questionnaire_id")
    pair = serializers.IntegerField(source="pair_id", allow_null=True, read_only=True)
    status = serializers.SerializerMethodField()
    response_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = QuestionnaireRun
        fields = [
            "id",
            "questionnaire",
            "title",
            "audience",
            "pair",
            "opens_on",
            "closes_on",
            "closed_at",
            "status",
            "response_count",
        ]

    def get_status(self, run) -> str:
        return selectors.run_status(run)


class QuestionnaireOutput(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True)
    runs = RunOutput(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "template_code",
            "template_id",
            "template_version",
            "is_archived",
            "question_count",
            "runs",
        ]


class QuestionnaireDetailOutput(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "template_code",
            "template_id",
            "template_version",
            "is_archived",
            "questions",
        ]

    def get_questions(self, questionnaire) -> list[dict]:
        return QuestionOutput(questionnaire.questions.order_by("position"), many=True).data


class MyRunOutput(serializers.Serializer):
    run = RunOutput()
    questionnaire = QuestionnaireDetailOutput(source="run.questionnaire")
    is_open = serializers.BooleanField()
    answered_at = serializers.DateTimeField(source="response.submitted_at", allow_null=True, default=None)


class AnswerInput(serializers.Serializer):
    question = serializers.IntegerField()
    value = serializers.JSONField(allow_null=True)


class ResponseInput(serializers.Serializer):
    answers = AnswerInput(many=True)


class ResponseCreated(serializers.Serializer):
    id = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


class SummaryOutput(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    type = serializers.CharField(source="question.type")
    answered = serializers.IntegerField()
    counts = serializers.SerializerMethodField()
    mean = serializers.FloatField(allow_null=True)

    def get_counts(self, item) -> list[dict]:
        return [{"value": value, "count": count} for value, count in item.counts]


class ResultRowOutput(serializers.Serializer):
    respondent = serializers.CharField()
    role = serializers.CharField(help_text="Роль в паре (для опросов участников пары), иначе пусто")
    submitted_at = serializers.DateTimeField()
    answers = serializers.ListField(source="values", child=serializers.JSONField(allow_null=True))


class ResultsOutput(serializers.Serializer):
    run = RunOutput()
    questions = QuestionOutput(many=True)
    rows = ResultRowOutput(many=True)
    summaries = SummaryOutput(many=True)


class FeedbackPointInput(serializers.Serializer):
    questionnaire = serializers.IntegerField(min_value=1)
    point_on = serializers.DateField()
    open_days = serializers.IntegerField(default=14, help_text="Сколько дней опрос открыт, включая день начала")


class FeedbackPointsInput(FeedbackPointInput):
    pairs = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)


class AnsweredOutput(serializers.Serializer):
    name = serializers.CharField()
    answered = serializers.BooleanField()


class PairRunOutput(serializers.Serializer):
    run = RunOutput()
    questionnaire_title = serializers.CharField(source="run.questionnaire.title")
    is_final = serializers.BooleanField()
    status = serializers.CharField()
    mentor = serializers.SerializerMethodField()
    mentees = serializers.SerializerMethodField()

    @extend_schema_field(AnsweredOutput)
    def get_mentor(self, row) -> dict:
        return {"name": row.mentor[0], "answered": row.mentor[1]}

    @extend_schema_field(AnsweredOutput(many=True))
    def get_mentees(self, row) -> list[dict]:
        return [{"name": name, "answered": answered} for name, answered in row.mentees]


def _raise_api_error(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        raise ValidationError(error.message_dict) from error
    raise ValidationError({"detail": error.messages}) from error


def _point_values(data) -> dict:
    """The service's arguments; an unknown questionnaire is refused like any other wrong input."""
    questionnaire = Questionnaire.objects.filter(pk=data["questionnaire"]).first()
    if questionnaire is None:
        raise ValidationError({"questionnaire": ["Анкета не найдена."]})
    return {"questionnaire": questionnaire, "point_on": data["point_on"], "open_days": data["open_days"]}


# Views ---------------------------------------------------------------------------------------


class QuestionnaireListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Анкеты организации и их опросы", responses=QuestionnaireOutput(many=True))
    def get(self, request):
        return APIResponse(QuestionnaireOutput(selectors.questionnaire_list(), many=True).data)


class QuestionnaireFromTemplateInput(serializers.Serializer):
    template_id = serializers.IntegerField(help_text="модельная анкета проекта, региона или муниципалитета")


class QuestionnaireFromTemplateView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Создать анкету по модели (с её вопросами)",
        request=QuestionnaireFromTemplateInput,
        responses={201: QuestionnaireDetailOutput},
    )
    def post(self, request):
        data = QuestionnaireFromTemplateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            questionnaire = services.questionnaire_create_from_template(
                actor=request.user, template_id=data.validated_data["template_id"]
            )
        except DjangoValidationError as error:
            _raise_api_error(error)
        return APIResponse(QuestionnaireDetailOutput(questionnaire).data, status=status.HTTP_201_CREATED)


class QuestionnaireDetailView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Анкета с вопросами", responses=QuestionnaireDetailOutput)
    def get(self, request, questionnaire_id: int):
        questionnaire = selectors.access_questionnaire(request=request, questionnaire_id=questionnaire_id)
        return APIResponse(QuestionnaireDetailOutput(questionnaire).data)


class RunListView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Опросы (проведения анкет)", responses=RunOutput(many=True))
    def get(self, request):
        return APIResponse(RunOutput(selectors.run_list(), many=True).data)


class RunResultsView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(summary="Результаты опроса: ответы и сводка по вопросам", responses=ResultsOutput)
    def get(self, request, run_id: int):
        run = selectors.access_run(request=request, run_id=run_id)
        return APIResponse(ResultsOutput(selectors.run_results(run=run)).data)


class RunResultsXlsxView(TenantAPIView):
    allowed_roles = OVERSEERS

    @extend_schema(
        summary="Результаты опроса в XLSX",
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                description="XLSX"
            )
        },
    )
    def get(self, request, run_id: int):
        run = selectors.access_run(request=request, run_id=run_id)
        return xlsx_response(
            f"Результаты опроса {run.pk}.xlsx", selectors.run_results_sheets(selectors.run_results(run=run))
        )


class MyRunsView(TenantAPIView):
    @extend_schema(
        summary="Мои анкеты: открытые для меня опросы и те, на которые я ответил", responses=MyRunOutput(many=True)
    )
    def get(self, request):
        staff = own_staff(request)
        items = selectors.my_runs(staff=staff) if staff is not None else []
        return APIResponse(MyRunOutput(items, many=True).data)


class ResponseSubmitView(TenantAPIView):
    @extend_schema(
        summary="Отправить ответ на анкету (один раз за опрос)",
        request=ResponseInput,
        responses={201: ResponseCreated, 400: OpenApiResponse(description="Ответ отклонён; answers: вопрос → ошибка")},
    )
    def post(self, request, run_id: int):
        run, staff = selectors.access_run_for_respondent(request=request, run_id=run_id)
        payload = ResponseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        answers = {item["question"]: item["value"] for item in payload.validated_data["answers"]}
        try:
            response = services.response_submit(actor=request.user, run=run, respondent=staff, answers=answers)
        except services.AnswersInvalid as error:
            errors = {str(question_id): message for question_id, message in error.question_errors.items()}
            return APIResponse({"detail": error.message, "answers": errors}, status=status.HTTP_400_BAD_REQUEST)
        except services.ResponseRejected as error:
            return APIResponse({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        return APIResponse(ResponseCreated(response).data, status=status.HTTP_201_CREATED)


class PairRunsView(TenantAPIView):
    allowed_roles = STAFF_READERS

    @extend_schema(
        summary="Анкеты пары (группы): точки обратной связи, итоговая анкета и кто ответил",
        responses=PairRunOutput(many=True),
    )
    def get(self, request, pair_id: int):
        pair = access_pair(request=request, pair_id=pair_id)
        return APIResponse(PairRunOutput(selectors.pair_runs(pair=pair), many=True).data)


class PairPointCreateView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Назначить паре (группе) промежуточную обратную связь",
        operation_id="questionnaires_pair_feedback_point_create",
        request=FeedbackPointInput,
        responses={201: RunOutput},
    )
    def post(self, request, pair_id: int):
        pair = access_pair(request=request, pair_id=pair_id)
        payload = FeedbackPointInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            run = services.pair_feedback_point_create(
                actor=request.user, pair=pair, **_point_values(payload.validated_data)
            )
        except DjangoValidationError as error:
            _raise_api_error(error)
        return APIResponse(RunOutput(run).data, status=status.HTTP_201_CREATED)


class PairPointsCreateView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(
        summary="Назначить промежуточную обратную связь нескольким парам (всё или ничего)",
        operation_id="questionnaires_pairs_feedback_points_create",
        request=FeedbackPointsInput,
        responses={201: RunOutput(many=True)},
    )
    def post(self, request):
        payload = FeedbackPointsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(payload.validated_data["pairs"]))
        pairs = list(Pair.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {pair.pk for pair in pairs})
        if missing:
            raise ValidationError({"pairs": [f"Пара (группа) № {pk} не найдена." for pk in missing]})
        pairs.sort(key=lambda pair: ids.index(pair.pk))
        try:
            runs = services.pair_feedback_points_create(
                actor=request.user, pairs=pairs, **_point_values(payload.validated_data)
            )
        except DjangoValidationError as error:
            _raise_api_error(error)
        return APIResponse(RunOutput(runs, many=True).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", QuestionnaireListView.as_view(), name="api-questionnaire-list"),
    path("from-template/", QuestionnaireFromTemplateView.as_view(), name="api-questionnaire-from-template"),
    path("<int:questionnaire_id>/", QuestionnaireDetailView.as_view(), name="api-questionnaire-detail"),
    path("my/", MyRunsView.as_view(), name="api-questionnaire-my"),
    path("runs/", RunListView.as_view(), name="api-questionnaire-run-list"),
    path("runs/<int:run_id>/results/", RunResultsView.as_view(), name="api-questionnaire-run-results"),
    path("runs/<int:run_id>/results.xlsx", RunResultsXlsxView.as_view(), name="api-questionnaire-run-results-xlsx"),
    path("runs/<int:run_id>/responses/", ResponseSubmitView.as_view(), name="api-questionnaire-response-submit"),
    path("pairs/points/", PairPointsCreateView.as_view(), name="api-questionnaire-pair-points-create"),
    path("pairs/<int:pair_id>/runs/", PairRunsView.as_view(), name="api-questionnaire-pair-runs"),
    path("pairs/<int:pair_id>/points/", PairPointCreateView.as_view(), name="api-questionnaire-pair-point-create"),
]
