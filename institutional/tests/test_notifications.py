"""Reminders reach people: each sees only their own notifications, on the page, in the top bar and in the API."""

from django.db import connection

from institutional.models import Notification


def _notify(world, user, text):
    connection.set_tenant(world.school_a)
    try:
        return Notification.objects.create(user_id=user.pk, text=text, key=text)
    finally:
        connection.set_schema_to_public()


def test_a_person_sees_their_own_notifications_with_an_unread_count(world, client_on):
    _notify(world, world.curator_a, "Пора актуализировать список")
    _notify(world, world.teacher_a, "Чужое уведомление")
    client = client_on(world.host(world.school_a), world.curator_a)

    page = client.get("/org/notifications/").content.decode()
    home = client.get("/").content.decode()

    assert "Пора актуализировать список" in page
    assert "Чужое уведомление" not in page
    assert 'data-testid="notifications-link"' in home and "text-bg-warning" in home


def test_marking_read_touches_only_ones_own(world, client_on):
    mine = _notify(world, world.curator_a, "Моё")
    theirs = _notify(world, world.teacher_a, "Не моё")

    response = client_on(world.host(world.school_a), world.curator_a).post("/org/notifications/read/")

    assert response.status_code == 302
    connection.set_tenant(world.school_a)
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    connection.set_schema_to_public()


def test_the_api_lists_and_marks_only_ones_own(world, client_on):
    _notify(world, world.curator_a, "Моё")
    _notify(world, world.teacher_a, "Не моё")
    client = client_on(world.host(world.school_a), world.curator_a)

    listed = client.get("/api/v1/org/notifications/").json()["results"]
    marked = client.post("/api/v1/org/notifications/read/").json()

    assert [item["text"] for item in listed] == ["Моё"]
    assert marked == {"marked_read": 1}


def test_notifications_are_for_members_only(world, client_on):
    host = world.host(world.school_a)
    assert client_on(host).get("/org/notifications/").status_code == 302
    assert client_on(host, world.teacher_b).get("/org/notifications/").status_code == 404
    assert client_on(host).get("/api/v1/org/notifications/").status_code == 401
