"""Runs in the tenant schema: final reports after a pair (group) ends.

The mentor reports on the program with recommendations; each mentee reports on the process and
evaluates the mentor. Both are due within the regulation's report_days after the pair ended.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FinalReport(models.Model):
    class AuthorRole(models.TextChoices):
        MENTOR = "mentor", "Отчёт наставника"
        MENTEE = "mentee", "Отчёт наставляемого"

    pair = models.ForeignKey("institutional.Pair", on_delete=models.PROTECT, related_name="final_reports")
    author_role = models.CharField("автор", max_length=8, choices=AuthorRole.choices)
    author = models.ForeignKey(
        "institutional.Staff", verbose_name="составитель", on_delete=models.PROTECT, related_name="final_reports"
    )
    # Only for a mentee's report: whose report it is (one per mentee in a group).
    mentee = models.ForeignKey(
        "institutional.MenteeEntry",
        verbose_name="наставляемый",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="final_reports",
    )
    results = models.TextField("достигнутые результаты")
    what_worked = models.TextField("что оказалось полезным", blank=True)
    difficulties = models.TextField("трудности", blank=True)
    recommendations = models.TextField("рекомендации", blank=True)
    mentor_score = models.PositiveSmallIntegerField(
        "оценка работы наставника",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    mentor_comment = models.TextField("комментарий к оценке", blank=True)
    submitted_at = models.DateTimeField("подан", default=timezone.now)

    class Meta:
        verbose_name = "итоговый отчёт"
        verbose_name_plural = "итоговые отчёты"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(author_role="mentor"),
                name="final_report_one_mentor_report",
                violation_error_message="Отчёт наставника по этой паре уже подан.",
            ),
            models.UniqueConstraint(
                fields=["pair", "mentee"],
                condition=Q(author_role="mentee"),
                name="final_report_one_per_mentee",
                violation_error_message="Отчёт наставляемого по этой паре уже подан.",
            ),
            models.CheckConstraint(
                condition=Q(author_role="mentor", mentee__isnull=True)
                | Q(author_role="mentee", mentee__isnull=False, mentor_score__gte=1, mentor_score__lte=5),
                name="final_report_role_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_author_role_display()} по паре № {self.pair_id}"


class AnnualReport(models.Model):
    """The curator's annual analytical report: figures come from the data, the analysis from the curator."""

    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)", unique=True)
    conclusions = models.TextField("выводы", blank=True)
    proposals = models.TextField("предложения на следующий учебный год", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "аналитический отчёт куратора"
        verbose_name_plural = "аналитические отчёты куратора"
        ordering = ["-academic_year"]

    def __str__(self) -> str:
        return f"Аналитический отчёт за {self.academic_year}/{self.academic_year + 1} учебный год"
