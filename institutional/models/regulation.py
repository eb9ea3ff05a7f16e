"""Runs in the tenant schema: the organization's regulation on mentoring (Положение), in versions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


def regulation_upload_path(instance, filename: str) -> str:
    return f"regulation/{instance.number}/{filename}"


class RegulationVersion(models.Model):
    """One version of the regulation; it takes effect when the director approves it by order.

    The structured parameters drive the platform's rules (caps, deadlines, durations).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        APPROVED = "approved", "Утверждено, действует"
        SUPERSEDED = "superseded", "Утратило силу"

    class Source(models.TextChoices):
        TEMPLATE = "template", "По модели региона"
        UPLOAD = "upload", "Собственный документ организации"

    number = models.PositiveIntegerField("номер версии")
    title = models.CharField(
        "наименование", max_length=300, default="Положение о системе наставничества педагогических работников"
    )
    source = models.CharField("основа", max_length=16, choices=Source.choices)
    template_id = models.BigIntegerField("модель (id в общем реестре)", null=True, blank=True)
    template_title = models.CharField("модель", max_length=300, blank=True)
    template_version = models.PositiveIntegerField("версия модели", null=True, blank=True)
    body = models.TextField("текст", blank=True)
    document = models.FileField("файл документа (DOCX или PDF)", upload_to=regulation_upload_path, blank=True)

    mentees_per_mentor_max = models.PositiveSmallIntegerField(
        "наставляемых у одного наставника, не более",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    appointment_days = models.PositiveSmallIntegerField(
        "дней на назначение наставника после приёма",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    mentoring_min_months = models.PositiveSmallIntegerField(
        "срок наставничества, мес., от", default=1, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    mentoring_max_months = models.PositiveSmallIntegerField(
        "срок наставничества, мес., до", default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    program_min_months = models.PositiveSmallIntegerField(
        "срок программы, мес., от", default=3, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    program_max_months = models.PositiveSmallIntegerField(
        "срок программы, мес., до", default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    program_draft_days = models.PositiveSmallIntegerField(
        "дней на составление программы", default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    report_days = models.PositiveSmallIntegerField(
        "дней на отчёты после окончания", default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    order_scan = models.FileField("скан подписанного приказа", upload_to="regulation/orders/", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждено", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("создано", default=timezone.now)

    class Meta:
        verbose_name = "версия положения"
        verbose_name_plural = "версии положения"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="regulation_number_unique"),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="approved"),
                name="regulation_one_in_force",
                violation_error_message="Действующей может быть только одна версия положения.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(order_number="") & Q(order_date__isnull=False)),
                name="regulation_approved_has_order",
                violation_error_message="Утверждённая версия должна иметь номер и дату приказа.",
            ),
            models.CheckConstraint(
                condition=Q(mentoring_min_months__lte=models.F("mentoring_max_months"))
                & Q(program_min_months__lte=models.F("program_max_months")),
                name="regulation_min_not_above_max",
                violation_error_message="Минимальный срок не может быть больше максимального.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.number})"
