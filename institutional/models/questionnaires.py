"""Runs in the tenant schema: questionnaires (a small engine), their runs, responses and answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class QuestionnaireKind(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", "Анализ профессиональных затруднений наставляемого"
    MENTOR_HELPFULNESS = "mentor_helpfulness", "Чем я могу быть полезен как наставник"
    PREFERENCES = "preferences", "Предпочтения после общей встречи"
    INTERMEDIATE = "intermediate", "Промежуточная обратная связь"
    FINAL_SATISFACTION = "final_satisfaction", "Итоговая удовлетворённость"
    OTHER = "other", "Другая анкета"


class Questionnaire(models.Model):
    """An editable questionnaire; the seeded ones are copies of the project's templates."""

    kind = models.CharField("вид", max_length=32, choices=QuestionnaireKind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("пояснение для отвечающих", blank=True)
    template_code = models.CharField("код исходного шаблона", max_length=60, blank=True)
    # The model questionnaire published by the region or municipality it was created from, if any.
    template_id = models.BigIntegerField("модель (id в общем реестре)", null=True, blank=True)
    template_version = models.PositiveIntegerField("версия модели", null=True, blank=True)
    is_archived = models.BooleanField("в архиве", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        SCALE = "scale", "Шкала"
        SINGLE = "single", "Один вариант"
        MULTIPLE = "multiple", "Несколько вариантов"
        TEXT = "text", "Свободный ответ"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("порядковый номер")
    text = models.CharField("вопрос", max_length=500)
    type = models.CharField("тип", max_length=16, choices=Type.choices)
    is_required = models.BooleanField("обязательный", default=True)
    options = models.JSONField("варианты ответа", default=list, blank=True)
    scale_min = models.SmallIntegerField("шкала от", default=1)
    scale_max = models.SmallIntegerField("шкала до", default=5)
    scale_min_label = models.CharField("подпись минимума", max_length=100, blank=True)
    scale_max_label = models.CharField("подпись максимума", max_length=100, blank=True)

    class Meta:
        verbose_name = "вопрос"
        verbose_name_plural = "вопросы"
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_unique"),
            models.CheckConstraint(condition=Q(scale_min__lt=models.F("scale_max")), name="question_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.text


class QuestionnaireRun(models.Model):
    """One time the questionnaire is given to a group of people."""

    class Audience(models.TextChoices):
        MENTEES = "mentees", "Наставляемые из банка"
        MENTORS = "mentors", "Наставники из банка"
        ALL_STAFF = "all_staff", "Все педагогические работники"
        PAIR = "pair", "Участники наставнической пары (группы)"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="runs")
    title = models.CharField("название опроса", max_length=300)
    audience = models.CharField("кого опрашиваем", max_length=16, choices=Audience.choices)
    opens_on = models.DateField("начало")
    closes_on = models.DateField("окончание")
    # For audience PAIR: the pair (group) whose mentor and mentees answer — an intermediate feedback
    # point the curator set, or the final satisfaction questionnaire given when the pair ends.
    pair = models.ForeignKey(
        "institutional.Pair",
        verbose_name="наставническая пара (группа)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaire_runs",
    )
    # Set when a manager closes the run before `closes_on`; a closed run takes no more answers.
    closed_at = models.DateTimeField("закрыт досрочно", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "опрос"
        verbose_name_plural = "опросы"
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="run_dates_in_order",
                violation_error_message="Окончание опроса не может быть раньше начала.",
            ),
            models.CheckConstraint(
                condition=Q(audience="pair", pair__isnull=False) | (~Q(audience="pair") & Q(pair__isnull=True)),
                name="run_pair_matches_audience",
                violation_error_message="Опрос участников пары должен быть привязан к паре (группе).",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on


class Response(models.Model):
    class Role(models.TextChoices):
        MENTOR = "mentor", "Наставник"
        MENTEE = "mentee", "Наставляемый"

    run = models.ForeignKey(QuestionnaireRun, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        "institutional.Staff", on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    # For a pair's run: in which role the respondent answered (satisfaction is reported per role).
    role = models.CharField("роль в паре", max_length=8, choices=Role.choices, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "ответ на анкету"
        verbose_name_plural = "ответы на анкеты"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "respondent"],
                name="response_one_per_person",
                violation_error_message="Вы уже ответили на эту анкету.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.respondent}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # scale: int; single: str; multiple: [str]; text: str
    value = models.JSONField("ответ")

    class Meta:
        verbose_name = "ответ на вопрос"
        verbose_name_plural = "ответы на вопросы"
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        return str(self.value)
