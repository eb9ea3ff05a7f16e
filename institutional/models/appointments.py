"""Runs in the tenant schema: the curator and the mentors' council appointed by the director's order,
and the yearly review of the list of teachers who need mentoring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Appointment(models.Model):
    class Role(models.TextChoices):
        CURATOR = "curator", "Куратор"
        COUNCIL_MEMBER = "council_member", "Член совета наставников"

    staff = models.ForeignKey(
        "institutional.Staff", verbose_name="сотрудник", on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices)
    order_number = models.CharField("номер приказа", max_length=50)
    order_date = models.DateField("дата приказа")
    starts_on = models.DateField("с")
    ended_on = models.DateField("по", null=True, blank=True)
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
        verbose_name = "назначение"
        verbose_name_plural = "назначения"
        ordering = ["role", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(role="curator", ended_on__isnull=True),
                name="appointment_one_curator",
                violation_error_message="Куратор уже назначен: сначала завершите его назначение.",
            ),
            models.UniqueConstraint(
                fields=["staff", "role"],
                condition=Q(ended_on__isnull=True),
                name="appointment_no_duplicate",
                violation_error_message="Этот сотрудник уже назначен на эту роль.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="appointment_dates_in_order",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.staff}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class StaffListReview(models.Model):
    """The curator refreshed the list of teachers who need mentoring (at least once a year)."""

    reviewed_on = models.DateField("дата актуализации")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    note = models.TextField("комментарий", blank=True)
    mentees_waiting = models.PositiveIntegerField("наставляемых в ожидании на дату", default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "актуализация списка наставляемых"
        verbose_name_plural = "актуализации списка наставляемых"
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"Актуализация от {self.reviewed_on:%d.%m.%Y}"
