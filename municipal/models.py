"""Public schema only: the municipality's structured mentor base (структурированная база наставников).

The base is the regional bank's rows of the municipality's organizations (`regional.BankMentor`, plus
the municipality's own methodologists, who are mentors of the municipality's own schema) with what
the МОУО adds on top: verification, its own categories and tags. These rows are keyed by the bank
entry's owner and id, so they survive every refresh of the bank projection.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class MentorCategory(models.Model):
    """A category of mentors the municipality keeps (e.g. «Молодые наставники», «Предметники ЕГЭ»)."""

    municipality = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="mentor_categories")
    title = models.CharField("название", max_length=150)
    description = models.CharField("пояснение", max_length=500, blank=True)

    class Meta:
        verbose_name = "категория наставников муниципалитета"
        verbose_name_plural = "категории наставников муниципалитета"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "title"],
                name="mentor_category_unique_title",
                violation_error_message="Такая категория уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MentorVerification(models.Model):
    """What the municipality recorded about one mentor of its base."""

    class Status(models.TextChoices):
        VERIFIED = "verified", "Проверен"
        NEEDS_CHANGES = "needs_changes", "Требует уточнения"

    municipality = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    mentor_entry_id = models.BigIntegerField("запись банка в организации")
    status = models.CharField("статус проверки", max_length=16, choices=Status.choices)
    categories = models.ManyToManyField(MentorCategory, blank=True, related_name="mentors", verbose_name="категории")
    tags = ArrayField(models.CharField(max_length=60), verbose_name="метки муниципалитета", default=list, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    verified_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField("проверен", default=timezone.now)

    class Meta:
        verbose_name = "проверка наставника муниципалитетом"
        verbose_name_plural = "проверки наставников муниципалитетом"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organization", "mentor_entry_id"], name="mentor_verification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.organization_id}/{self.mentor_entry_id}"
