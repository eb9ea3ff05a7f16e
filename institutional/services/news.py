"""News of the public section: create, edit, publish, unpublish, delete (tenant schema)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from institutional.dates import organization_today
from institutional.models import News
from nastavnik.audit import actor_context, actor_id


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Укажите заголовок новости."
    elif len(title) > 300:
        errors["title"] = "Заголовок — не длиннее 300 символов."
    if not body:
        errors["body"] = "Напишите текст новости."
    if errors:
        raise ValidationError(errors)
    return title, body


def news_create(*, actor, title: str, body: str) -> News:
    """A draft; it reaches the public page only when published."""
    title, body = _clean(title, body)
    with transaction.atomic(), actor_context(actor_id(actor)):
        return News.objects.create(title=title, body=body, created_by=actor)


def news_update(*, actor, news: News, title: str, body: str) -> News:
    title, body = _clean(title, body)
    with transaction.atomic(), actor_context(actor_id(actor)):
        news.title, news.body = title, body
        news.save(update_fields=["title", "body", "updated_at"])
    return news


def news_publish(*, actor, news: News, published_on: date | None = None) -> News:
    published_on = published_on or organization_today()
    if published_on > organization_today():
        raise ValidationError({"published_on": "Дата публикации не может быть в будущем."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        news.is_published, news.published_on = True, published_on
        news.save(update_fields=["is_published", "published_on", "updated_at"])
    return news


def news_unpublish(*, actor, news: News) -> News:
    with transaction.atomic(), actor_context(actor_id(actor)):
        news.is_published = False
        news.save(update_fields=["is_published", "updated_at"])
    return news


def news_delete(*, actor, news: News) -> None:
    with transaction.atomic(), actor_context(actor_id(actor)):
        news.delete()
