"""News of the public section: managers write and publish; only published news is public."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from institutional.dates import organization_today
from institutional.models import News
from institutional.services import news as services
from tests.permissions import check_matrix

MANAGERS = ("curator", "council_member")


def _state():
    return list(News.objects.order_by("id").values_list("id", "title", "body", "is_published", "published_on"))


@pytest.fixture
def news_id(world):
    connection.set_tenant(world.school_a)
    news = services.news_create(actor=None, title="Заседание совета наставников", body="Повестка дня.")
    connection.set_schema_to_public()
    return news.pk


def test_a_news_item_is_a_draft_until_published_and_can_be_unpublished(in_school_a, world, client_on):
    news = services.news_create(actor=world.curator_a, title=" Школа молодого педагога ", body="Встреча в пятницу.")
    assert news.title == "Школа молодого педагога" and not news.is_published
    client = client_on(world.host(world.school_a))
    assert "Школа молодого педагога" not in client.get("/nastavnichestvo/").content.decode()
    services.news_publish(actor=world.curator_a, news=news)
    assert news.published_on == organization_today()
    assert "Школа молодого педагога" in client.get("/nastavnichestvo/").content.decode()
    services.news_unpublish(actor=world.curator_a, news=news)
    assert "Школа молодого педагога" not in client.get("/nastavnichestvo/feed.json").content.decode()


def test_empty_title_or_body_is_refused_and_nothing_is_written(in_school_a):
    with pytest.raises(ValidationError) as error:
        services.news_create(actor=None, title="  ", body="")
    assert set(error.value.message_dict) == {"title", "body"}
    assert News.objects.count() == 0


def test_the_database_refuses_a_published_news_item_without_a_date(in_school_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        News.objects.create(title="т", body="т", is_published=True)


def test_the_form_shows_field_errors(world, client_on):
    response = client_on(world.host(world.school_a), world.curator_a).post("/org/news/new/", {"title": "", "body": ""})
    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()


def test_pages_permission_matrix(world, client_on, news_id):
    check_matrix(world, client_on, "get", "/org/news/", allowed=(*MANAGERS, "director"))
    check_matrix(world, client_on, "get", "/org/news/new/", allowed=MANAGERS)
    check_matrix(world, client_on, "get", f"/org/news/{news_id}/edit/", allowed=MANAGERS)
    check_matrix(
        world, client_on, "post", "/org/news/new/", allowed=MANAGERS, data={"title": "Т", "body": "Б"}, state=_state
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/news/{news_id}/edit/",
        allowed=MANAGERS,
        data={"title": "Новый заголовок", "body": "Б"},
        state=_state,
    )
    check_matrix(world, client_on, "post", f"/org/news/{news_id}/publish/", allowed=MANAGERS, state=_state)
    check_matrix(world, client_on, "post", f"/org/news/{news_id}/unpublish/", allowed=MANAGERS, state=_state)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/news/{news_id}/delete/",
        allowed=("curator",),
        roles=("curator", "director", "teacher", "psychologist"),
        state=_state,
    )
    connection.set_tenant(world.school_a)
    assert not News.objects.filter(pk=news_id).exists()


def test_api_permission_matrix(world, client_on, news_id):
    base = "/api/v1/org/news/"
    check_matrix(world, client_on, "get", base, allowed=MANAGERS)
    check_matrix(world, client_on, "get", f"{base}{news_id}/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "post",
        base,
        allowed=MANAGERS,
        data={"title": "Т", "body": "Б"},
        content_type="application/json",
        state=_state,
    )
    check_matrix(
        world,
        client_on,
        "put",
        f"{base}{news_id}/",
        allowed=MANAGERS,
        data={"title": "Из API", "body": "Б"},
        content_type="application/json",
        state=_state,
    )
    check_matrix(world, client_on, "post", f"{base}{news_id}/publish/", allowed=MANAGERS, state=_state)
    check_matrix(world, client_on, "post", f"{base}{news_id}/unpublish/", allowed=MANAGERS, state=_state)
    check_matrix(
        world,
        client_on,
        "delete",
        f"{base}{news_id}/",
        allowed=("curator",),
        roles=("curator", "director", "teacher", "psychologist"),
        state=_state,
    )


def test_the_api_publishes_and_refuses_empty_text(world, client_on, news_id):
    client = client_on(world.host(world.school_a), world.curator_a)
    response = client.post(f"/api/v1/org/news/{news_id}/publish/")
    assert response.status_code == 200 and response.json()["is_published"]
    response = client.post("/api/v1/org/news/", {"title": " ", "body": "x"}, content_type="application/json")
    assert response.status_code == 400
    connection.set_tenant(world.school_a)
    assert News.objects.count() == 1


def test_the_director_reads_the_news_list_without_edit_actions(world, client_on, news_id):
    page = client_on(world.host(world.school_a), world.director_a).get("/org/news/").content.decode()
    assert 'data-testid="news-list"' in page
    assert "Добавить новость" not in page and "Удалить" not in page
