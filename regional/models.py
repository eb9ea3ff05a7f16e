"""Public schema only: what the region publishes for every organization below it.

Model documents (templates) written by the project or by the region and published downward;
an organization creates its own documents from them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DocumentTemplate(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", "Положение о системе наставничества"
        ROADMAP = "roadmap", "Дорожная карта"
        PROGRAM = "program", "Персонализированная программа наставничества"
        QUESTIONNAIRE = "questionnaire", "Анкета"

    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    code = models.CharField("код", max_length=60, help_text="постоянный код модели; версии одной модели имеют один код")
    version = models.PositiveIntegerField("версия", default=1)
    title = models.CharField("название", max_length=300)
    # The organization (region or municipality) that published it; empty for the project's defaults.
    publisher = models.ForeignKey(
        "tenants.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="published_templates"
    )
    # Structured content: parameters and sections (regulation), stages and activities (roadmap)…
    content = models.JSONField("содержание", default=dict)
    is_published = models.BooleanField("опубликована", default=True)
    published_at = models.DateTimeField("опубликована", default=timezone.now)

    class Meta:
        verbose_name = "модельный документ"
        verbose_name_plural = "модельные документы"
        ordering = ["kind", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="template_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})"
