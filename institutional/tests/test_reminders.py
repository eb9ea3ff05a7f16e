"""Reminders of deadlines (3 days before, overdue, escalation) and the daily e-mail digest."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from institutional import reminder_tasks
from institutional.dates import organization_today
from institutional.models import MenteeEntry, Notification, Staff
from institutional.services import reminders as services
from institutional.tests.programs_factories import approved_pair
from institutional.tests.test_deadlines import waiting_mentee
from tenants.models import Membership, User


def keys_of(user) -> set[str]:
    return set(Notification.objects.filter(user_id=user.pk).values_list("key", flat=True))


@pytest.fixture
def program_due_today(world, in_school_a):
    """teacher_a's pair whose program is due today (approved 10 days ago, 10 draft days)."""
    pair = approved_pair(mentor_user=world.teacher_a, starts_days_ago=10)
    # The pair's mentee stays «waiting» in this ORM-made pair; keep only the program deadline.
    MenteeEntry.objects.update(status=MenteeEntry.Status.IN_PAIR)
    return pair


def test_due_reminder_three_days_before_to_the_responsible_only(world, program_due_today):
    pair = program_due_today
    today = organization_today()
    key = f"remind:program:pair:{pair.pk}:due"
    assert services.deadline_reminders_send(today=today - timedelta(days=4)) == 0
    assert services.deadline_reminders_send(today=today - timedelta(days=3)) == 1
    assert keys_of(world.teacher_a) == {key}
    assert keys_of(world.curator_a) == set() and keys_of(world.director_a) == set()
    notification = Notification.objects.get(key=key)
    assert notification.text.startswith("Напоминание: Составить и согласовать персонализированную программу пары")
    assert f"срок до {today:%d.%m.%Y} (осталось 3 дн.)" in notification.text
    assert notification.url == f"/org/programs/pair/{pair.pk}/"


def test_due_reminder_on_the_due_date_when_created_later(world, program_due_today):
    assert services.deadline_reminders_send() == 1
    notification = Notification.objects.get(user_id=world.teacher_a.pk)
    assert notification.text.startswith(f"Сегодня, {organization_today():%d.%m.%Y}, истекает срок:")


def test_overdue_goes_to_the_responsible_and_the_curator_then_escalates(world, program_due_today):
    pair = program_due_today
    today = organization_today()
    base = f"remind:program:pair:{pair.pk}"

    assert services.deadline_reminders_send(today=today) == 1
    assert services.deadline_reminders_send(today=today + timedelta(days=1)) == 2
    assert keys_of(world.teacher_a) == {f"{base}:due", f"{base}:overdue"}
    assert keys_of(world.curator_a) == {f"{base}:overdue"}
    assert keys_of(world.director_a) == set()
    overdue = Notification.objects.get(user_id=world.curator_a.pk)
    assert overdue.text.startswith("Просрочено: Составить и согласовать персонализированную программу пары")
    assert overdue.text.endswith(f"срок истёк {today:%d.%m.%Y}.")

    assert services.deadline_reminders_send(today=today + timedelta(days=6)) == 0
    assert keys_of(world.director_a) == set()
    assert services.deadline_reminders_send(today=today + timedelta(days=7)) == 1
    assert keys_of(world.director_a) == {f"{base}:director"}
    escalation = Notification.objects.get(user_id=world.director_a.pk)
    assert escalation.text.startswith("Просрочено на 7 дн.:")
    assert "Ответственные: Опытнова А.П." in escalation.text
    # The council member is not in the chain.
    assert keys_of(world.council_a) == set()


def test_each_reminder_exists_once_when_run_again(world, program_due_today):
    later = organization_today() + timedelta(days=10)
    first = services.deadline_reminders_send(today=later)
    assert first == 3  # overdue to the mentor and the curator, escalation to the director
    assert services.deadline_reminders_send(today=later) == 0
    assert services.deadline_reminders_send(today=later + timedelta(days=1)) == 0
    assert Notification.objects.count() == 3


def test_concurrent_duplicates_are_ignored(world, program_due_today):
    """A row created by a concurrent run between the check and the insert is not duplicated."""
    pair = program_due_today
    Notification.objects.create(user_id=world.teacher_a.pk, key=f"remind:program:pair:{pair.pk}:due", text="x")
    nothing = Notification.objects.none()
    with mock.patch.object(Notification.objects, "filter", return_value=nothing):
        services.deadline_reminders_send()
    assert Notification.objects.filter(user_id=world.teacher_a.pk).count() == 1


def test_nobody_responsible_goes_to_the_curator(world, in_school_a):
    entry = waiting_mentee(needed_days_ago=30)
    assert services.deadline_reminders_send() == 1
    assert keys_of(world.curator_a) == {f"remind:appointment:mentee:{entry.pk}:due"}
    assert Notification.objects.get().text.startswith(f"Сегодня, {organization_today():%d.%m.%Y}, истекает срок:")
    assert "Назначить наставника: Ефимов К.О." in Notification.objects.get().text


def test_responsible_without_an_account_falls_back_to_the_curator(world, program_due_today):
    Staff.objects.filter(user_id=world.teacher_a.pk).update(user=None)
    assert services.deadline_reminders_send() == 1
    assert keys_of(world.curator_a) == {f"remind:program:pair:{program_due_today.pk}:due"}


def test_inactive_curator_membership_gets_nothing(world, in_school_a):
    waiting_mentee(needed_days_ago=31)
    Membership.objects.filter(user=world.curator_a).update(is_active=False)
    services.deadline_reminders_send()
    assert keys_of(world.curator_a) == set()


def test_tasks_do_nothing_in_the_public_schema(world):
    connection.set_schema_to_public()
    assert reminder_tasks.deadline_reminders.apply().get() == 0
    assert reminder_tasks.daily_digest.apply().get() == 0


def test_the_task_runs_in_the_tenant(world, program_due_today):
    assert reminder_tasks.deadline_reminders.apply().get() == 1
    assert reminder_tasks.deadline_reminders.apply().get() == 0


# --- the daily digest ------------------------------------------------------------------------------


def notify(user, text, url="/org/deadlines/", key=""):
    return Notification.objects.create(user_id=user.pk, text=text, url=url, key=key)


def test_digest_one_letter_per_person_with_everything_then_nothing(world, in_school_a, settings):
    settings.PLATFORM_URL_SCHEME = "https"
    first = notify(world.teacher_a, "Первое напоминание", "/org/programs/")
    second = notify(world.teacher_a, "Второе напоминание", "/org/reports/my/")
    notify(world.curator_a, "Напоминание куратору")
    today = organization_today()

    assert services.digest_send() == 2
    assert len(mail.outbox) == 2
    letters = {message.to[0]: message for message in mail.outbox}
    teacher = letters[world.teacher_a.email]
    assert teacher.subject == f"Наставник: напоминания на {today:%d.%m.%Y} — {world.school_a.short_name}"
    host = f"https://{world.school_a.primary_domain}"
    for text, url in (("Первое напоминание", "/org/programs/"), ("Второе напоминание", "/org/reports/my/")):
        assert text in teacher.body and f"{host}{url}" in teacher.body
    html, content_type = teacher.alternatives[0]
    assert content_type == "text/html"
    assert f'<a href="{host}/org/programs/">Первое напоминание</a>' in html
    assert "Напоминание куратору" not in teacher.body
    assert "Напоминание куратору" in letters[world.curator_a.email].body
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.emailed_at is not None and second.emailed_at is not None

    assert services.digest_send() == 0
    assert len(mail.outbox) == 2
    notify(world.teacher_a, "Третье напоминание")
    assert services.digest_send() == 1
    assert "Третье напоминание" in mail.outbox[2].body and "Первое напоминание" not in mail.outbox[2].body


def test_no_letter_without_an_e_mail_or_for_inactive_or_former_members(world, in_school_a):
    for user in (world.teacher_a, world.curator_a, world.director_a):
        notify(user, "Напоминание")
    User.objects.filter(pk=world.teacher_a.pk).update(email="")
    User.objects.filter(pk=world.curator_a.pk).update(is_active=False)
    Membership.objects.filter(user=world.director_a).update(is_active=False)
    assert services.digest_send() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_a_failing_letter_does_not_stop_the_others_and_is_retried(world, in_school_a, caplog):
    failing, fine = notify(world.teacher_a, "Не дошло"), notify(world.curator_a, "Дошло")
    real_send = services.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if world.teacher_a.email in message.to:
            raise OSError("smtp down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(services.EmailMultiAlternatives, "send", send):
        assert services.digest_send() == 1
    assert [m.to for m in mail.outbox] == [[world.curator_a.email]]
    failing.refresh_from_db()
    fine.refresh_from_db()
    assert failing.emailed_at is None and fine.emailed_at is not None
    # Logs carry neither addresses nor names.
    assert world.teacher_a.email not in caplog.text and "Педагогова" not in caplog.text

    assert services.digest_send() == 1
    assert "Не дошло" in mail.outbox[1].body


def test_digest_is_per_organization(world, client_on):
    connection.set_tenant(world.school_b)
    notify(world.teacher_b, "Школа Б")
    connection.set_tenant(world.school_a)
    notify(world.teacher_a, "Школа А")
    assert services.digest_send() == 1
    assert [m.to for m in mail.outbox] == [[world.teacher_a.email]]
    assert "Школа Б" not in mail.outbox[0].body
    connection.set_tenant(world.school_b)
    assert services.digest_send() == 1
    assert mail.outbox[1].to == [world.teacher_b.email] and world.school_b.short_name in mail.outbox[1].subject


# --- schedule and e-mail settings --------------------------------------------------------------------


def test_beat_runs_reminders_then_the_digest(settings):
    reminders = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    digest = settings.CELERY_BEAT_SCHEDULE["daily-digest"]
    assert reminders["task"] == reminder_tasks.deadline_reminders_all.name
    assert digest["task"] == reminder_tasks.daily_digest_all.name
    assert (reminders["schedule"].hour, reminders["schedule"].minute) == ({6}, {30})
    assert (digest["schedule"].hour, digest["schedule"].minute) == ({7}, {30})


def _email_settings(tmp_path, **env):
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_EMAIL"))}
    clean.update(env, NASTAVNIK_DATA_DIR=str(tmp_path))
    code = (
        "import json, nastavnik.settings as s; print(json.dumps({n: str(getattr(s, n)) for n in "
        "('EMAIL_BACKEND', 'EMAIL_FILE_PATH', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_an_smtp_host_letters_go_to_files(tmp_path):
    loaded = _email_settings(tmp_path)
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert loaded["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    loaded = _email_settings(tmp_path, EMAIL_HOST="smtp.example.ru", EMAIL_PORT="465", EMAIL_USE_TLS="false")
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"], loaded["EMAIL_USE_TLS"]) == ("smtp.example.ru", "465", "False")


def test_links_in_letters_carry_the_port_when_one_is_set(world, in_school_a, settings):
    from institutional.services.reminders import _base_url

    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_URL_PORT = "http", "8000"
    assert _base_url() == f"http://{world.school_a.primary_domain}:8000"
    settings.PLATFORM_URL_PORT = ""
    assert _base_url() == f"http://{world.school_a.primary_domain}"


def test_digest_leaves_out_what_was_read_in_the_platform(world, in_school_a):
    from django.core import mail
    from django.utils import timezone

    from institutional.models import Notification
    from institutional.services.reminders import digest_send

    Notification.objects.create(user_id=world.curator_a.pk, text="Прочитано в платформе", read_at=timezone.now())
    Notification.objects.create(user_id=world.curator_a.pk, text="Ещё не прочитано")
    assert digest_send() == 1
    (letter,) = mail.outbox
    assert "Ещё не прочитано" in letter.body and "Прочитано в платформе" not in letter.body
