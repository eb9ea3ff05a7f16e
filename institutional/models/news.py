"""Runs in the tenant schema: news of the organization's public section «Наставничество»."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class News(models.Model):
    """A news item; only published ones appear on the public page, the widget and the feed."""

    title = models.CharField("заголовок", max_length=300)
    body = models.TextField("текст")
    published_on = models.DateField("дата публикации", null=True, blank=True)
    is_published = models.BooleanField("опубликована", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("создана", default=timezone.now)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "новость"
        verbose_name_plural = "новости"
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_on__isnull=False),
                name="news_published_has_date",
                violation_error_message="У опубликованной новости должна быть дата публикации.",
            )
        ]

    def __str__(self) -> str:
        return self.title
