"""News of the public section, for the people who manage it (tenant schema)."""

from __future__ import annotations

from django.http import Http404

from institutional.models import News


def news_list():
    return News.objects.order_by("is_published", "-published_on", "-created_at", "-id")


def access_news(*, news_id: int) -> News:
    """A news item for a manager (the caller checks the role); missing answers "not found"."""
    news = News.objects.filter(pk=news_id).first()
    if news is None:
        raise Http404("Новость не найдена.")
    return news
