"""Runs in the tenant schema: the yearly roadmap (дорожная карта) with stages and activities.

Stages are data, not code: organizations rename, split and add them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Roadmap(models.Model):
    """The roadmap of one academic year (1 September – 31 August)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        APPROVED = "approved", "Утверждена"

    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)", unique=True)
    title = models.CharField("наименование", max_length=300, default="Дорожная карта реализации системы наставничества")
    template_id = models.BigIntegerField("модель (id в общем реестре)", null=True, blank=True)
    template_title = models.CharField("модель", max_length=300, blank=True)
    template_version = models.PositiveIntegerField("версия модели", null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    order_scan = models.FileField("скан подписанного приказа", upload_to="roadmap/orders/", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждена", null=True, blank=True)
    created_at = models.DateTimeField("создана", default=timezone.now)

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(order_number="") & Q(order_date__isnull=False)),
                name="roadmap_approved_has_order",
                violation_error_message="Утверждённая дорожная карта должна иметь номер и дату приказа.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} на {self.academic_year_label} учебный год"

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year}/{self.academic_year + 1}"


class RoadmapStage(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField("порядковый номер")
    title = models.CharField("этап", max_length=300)

    class Meta:
        verbose_name = "этап дорожной карты"
        verbose_name_plural = "этапы дорожной карты"
        ordering = ["roadmap", "position"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "position"], name="roadmap_stage_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class RoadmapActivity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Запланировано"
        IN_PROGRESS = "in_progress", "Выполняется"
        DONE = "done", "Выполнено"
        CANCELLED = "cancelled", "Отменено"

    stage = models.ForeignKey(RoadmapStage, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField("порядковый номер")
    title = models.CharField("мероприятие", max_length=500)
    deadline = models.DateField("срок", null=True, blank=True)
    deadline_text = models.CharField("срок (как в документе)", max_length=100, blank=True)
    responsible = models.ManyToManyField(
        "institutional.Staff", verbose_name="ответственные", blank=True, related_name="roadmap_activities"
    )
    # Who is responsible by position, as model roadmaps name them («Куратор», «Совет наставников»).
    responsible_roles = models.CharField("ответственные (по должности)", max_length=300, blank=True)
    expected_documents = models.CharField("ожидаемые документы / результат", max_length=500, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PLANNED)
    done_at = models.DateField("выполнено", null=True, blank=True)

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"
        ordering = ["stage", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="roadmap_activity_done_has_date",
                violation_error_message="Для выполненного мероприятия укажите дату выполнения.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day) -> bool:
        return (
            self.deadline is not None
            and self.deadline < day
            and self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)
        )


class ActivityEvidence(models.Model):
    """A file that shows an activity was carried out (order, protocol, photo report…)."""

    activity = models.ForeignKey(RoadmapActivity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("файл", upload_to="roadmap/evidence/")
    description = models.CharField("описание", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"

    def __str__(self) -> str:
        return self.description or self.file.name
