"""Pages of the news of the public section «Наставничество» (managers only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import MANAGERS, OVERSEERS, has_any_role, roles_required
from institutional.forms.common import apply_errors
from institutional.forms.news import NewsForm
from institutional.selectors.news import access_news, news_list
from institutional.services import news as services


@require_GET
@roles_required(OVERSEERS)
def news_list_page(request):
    """Managers edit the news; the director reads the list."""
    return render(
        request, "institutional/news/list.html", {"news": news_list(), "can_manage": has_any_role(request, MANAGERS)}
    )


def _edit(request, *, news=None):
    initial = {"title": news.title, "body": news.body} if news else None
    form = NewsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if news is None:
                    services.news_create(actor=request.user, **form.cleaned_data)
                    messages.success(request, "Новость сохранена как черновик. Опубликуйте её, когда будет готова.")
                else:
                    services.news_update(actor=request.user, news=news, **form.cleaned_data)
                    messages.success(request, "Новость сохранена.")
                return redirect("institutional:news_list")
            except ValidationError as error:
                apply_errors(form, error)
        status = 400
    return render(request, "institutional/news/form.html", {"form": form, "news": news}, status=status)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def news_create(request):
    return _edit(request)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def news_edit(request, news_id: int):
    return _edit(request, news=access_news(news_id=news_id))


@require_POST
@roles_required(MANAGERS)
def news_publish(request, news_id: int):
    services.news_publish(actor=request.user, news=access_news(news_id=news_id))
    messages.success(request, "Новость опубликована в разделе «Наставничество».")
    return redirect("institutional:news_list")


@require_POST
@roles_required(MANAGERS)
def news_unpublish(request, news_id: int):
    services.news_unpublish(actor=request.user, news=access_news(news_id=news_id))
    messages.success(request, "Новость снята с публикации.")
    return redirect("institutional:news_list")


@require_POST
@roles_required(MANAGERS)
def news_delete(request, news_id: int):
    services.news_delete(actor=request.user, news=access_news(news_id=news_id))
    messages.success(request, "Новость удалена.")
    return redirect("institutional:news_list")
