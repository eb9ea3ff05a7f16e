"""The feed page «Лента региона» (every tenant host; any member; public schema tables only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regional.feed import feed_for

PAGE_SIZE = 20


@require_GET
def feed_list(request):
    page = Paginator(feed_for(request.tenant), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regional/feed/list.html", {"page": page, "items": list(page.object_list)})
