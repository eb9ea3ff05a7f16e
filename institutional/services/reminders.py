"""Reminders of deadlines and the daily e-mail digest (tenant schema).

`deadline_reminders_send` turns the organization's open deadlines (selectors.deadlines) into in-app
notifications, in three steps per deadline, each with its own key so it exists once however often
the job runs (the notification's unique (user, key) constraint; rows are inserted with
ignore_conflicts, so even two concurrent runs create each reminder once):

* ``remind:<deadline key>:due`` — from 3 days before the due date through the due date: to those
  responsible (their users), or to the curators when nobody is named;
* ``remind:<deadline key>:overdue`` — once overdue: to those responsible and the curators;
* ``remind:<deadline key>:director`` — overdue for 7 days or more: escalated to the directors.

`digest_send` e-mails each person once a day the notifications of this organization not e-mailed
yet, and marks them after a successful send. Texts name people (they go only to those entitled
inside the organization); logs never do.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import Notification, Staff
from institutional.selectors.deadlines import Deadline, open_deadlines
from nastavnik.audit import actor_context
from tenants.models import Membership, Role, User

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 3
ESCALATION_DAYS = 7
TEXT_LIMIT = 500


def _organization_user_ids(role: str) -> list[int]:
    tenant = getattr(connection, "tenant", None)
    if tenant is None:
        return []
    return sorted(
        Membership.objects.filter(organization_id=tenant.pk, role=role, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def due_text(deadline: Deadline) -> str:
    day = f"{deadline.due_on:%d.%m.%Y}"
    if deadline.days_left == 0:
        return _clip(f"Сегодня, {day}, истекает срок: {deadline.title}.")
    return _clip(f"Напоминание: {deadline.title} — срок до {day} (осталось {deadline.days_left} дн.).")


def overdue_text(deadline: Deadline) -> str:
    return _clip(f"Просрочено: {deadline.title} — срок истёк {deadline.due_on:%d.%m.%Y}.")


def director_text(deadline: Deadline, responsible_names: list[str]) -> str:
    who = ", ".join(responsible_names) if responsible_names else "куратор"
    return _clip(
        f"Просрочено на {deadline.days_overdue} дн.: {deadline.title} — срок истёк {deadline.due_on:%d.%m.%Y}. "
        f"Ответственные: {who}."
    )


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Create the due / overdue / director reminders of every open deadline; returns how many were new."""
    today = today or organization_today()
    deadlines = [d for d in open_deadlines(today=today) if d.days_left <= DUE_SOON_DAYS]
    if not deadlines:
        return 0
    staff_ids = {staff_id for d in deadlines for staff_id in d.responsible_staff_ids}
    staff = {
        row["pk"]: row
        for row in Staff.objects.filter(pk__in=staff_ids).values(
            "pk", "user_id", "last_name", "first_name", "patronymic"
        )
    }
    curators = _organization_user_ids(Role.CURATOR)
    directors = _organization_user_ids(Role.DIRECTOR)

    wanted: dict[tuple[int, str], Notification] = {}

    def add(user_ids, key: str, text: str, url: str) -> None:
        for user_id in user_ids:
            wanted.setdefault((user_id, key), Notification(user_id=user_id, key=key, text=text, url=url))

    for deadline in deadlines:
        people = [staff[i] for i in deadline.responsible_staff_ids if i in staff]
        responsible_users = sorted({p["user_id"] for p in people if p["user_id"] is not None})
        if not deadline.is_overdue:
            add(responsible_users or curators, f"remind:{deadline.key}:due", due_text(deadline), deadline.url)
            continue
        add(
            sorted({*responsible_users, *curators}),
            f"remind:{deadline.key}:overdue",
            overdue_text(deadline),
            deadline.url,
        )
        if deadline.days_overdue >= ESCALATION_DAYS:
            names = [_short_name(p) for p in people]
            add(directors, f"remind:{deadline.key}:director", director_text(deadline, names), deadline.url)

    if not wanted:
        return 0
    with transaction.atomic(), actor_context(None):
        existing = set(
            Notification.objects.filter(
                user_id__in={user_id for user_id, _ in wanted}, key__in={key for _, key in wanted}
            ).values_list("user_id", "key")
        )
        new = [notification for pair, notification in wanted.items() if pair not in existing]
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _short_name(row: dict) -> str:
    initials = "".join(f"{row[part][0]}." for part in ("first_name", "patronymic") if row[part])
    return f"{row['last_name']} {initials}".strip()


# --- the daily digest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    text: str
    link: str
    created_at: object


def _base_url() -> str:
    tenant = getattr(connection, "tenant", None)
    domain = getattr(tenant, "primary_domain", None) if tenant is not None else None
    if not domain:
        return ""
    scheme = getattr(settings, "PLATFORM_URL_SCHEME", "http") or "http"
    port = getattr(settings, "PLATFORM_URL_PORT", "")
    return f"{scheme}://{domain}:{port}" if port else f"{scheme}://{domain}"


def _absolute(base: str, url: str) -> str:
    if not url:
        return f"{base}/" if base else ""
    if url.startswith(("http://", "https://")) or not base:
        return url
    return f"{base}{url}" if url.startswith("/") else f"{base}/{url}"


def _page(name: str, fallback: str) -> str:
    try:
        return reverse(f"institutional:{name}", urlconf="nastavnik.urls_organization")
    except NoReverseMatch:
        return fallback


def _organization_name(tenant) -> str:
    return (getattr(tenant, "short_name", "") or getattr(tenant, "full_name", "") or "").strip()


def digest_subject(day: date, organization_name: str) -> str:
    return f"Наставник: напоминания на {day:%d.%m.%Y} — {organization_name}"


def _recipients(user_ids) -> list[User]:
    """Active users with an e-mail who are still active members of this organization."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None:
        return []
    members = Membership.objects.filter(organization_id=tenant.pk, is_active=True, user_id__in=list(user_ids))
    return list(
        User.objects.filter(pk__in=members.values("user_id"), is_active=True)
        .exclude(email="")
        .exclude(email__isnull=True)
        .order_by("pk")
    )


def _send_to(user: User, *, day: date, organization_name: str, base: str) -> bool:
    """E-mail the user's pending notifications and mark them, all or nothing; True when a letter went out."""
    with transaction.atomic():
        # Locked rows: a concurrent digest skips them instead of e-mailing them twice.
        notifications = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user.pk, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not notifications:
            return False
        items = [DigestItem(n.text, _absolute(base, n.url), n.created_at) for n in notifications]
        context = {
            "user": user,
            "items": items,
            "day": day,
            "organization_name": organization_name,
            "notifications_url": _absolute(base, _page("notification_list", "/org/notifications/")),
            "deadlines_url": _absolute(base, _page("deadlines", "/org/deadlines/")),
        }
        message = EmailMultiAlternatives(
            subject=digest_subject(day, organization_name),
            body=render_to_string("institutional/email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(render_to_string("institutional/email/digest.html", context), "text/html")
        message.send(fail_silently=False)
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return True


def digest_send(*, today: date | None = None) -> int:
    """One e-mail per person with this organization's unread notifications not e-mailed yet; returns letters sent.

    A notification is marked e-mailed only after its letter went out; one failing letter does not stop
    the others (the failed ones go with the next digest).
    """
    tenant = getattr(connection, "tenant", None)
    if tenant is None:
        return 0
    day = today or organization_today()
    # What the person has already read in the platform is not e-mailed again.
    pending_users = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    recipients = _recipients(set(pending_users))
    if not recipients:
        return 0
    organization_name = _organization_name(tenant)
    base = _base_url()
    sent = 0
    failures = defaultdict(int)
    for user in recipients:
        try:
            sent += _send_to(user, day=day, organization_name=organization_name, base=base)
        except Exception as error:  # one person's failing letter must not stop the rest
            failures[type(error).__name__] += 1
    for name, count in failures.items():
        # No addresses or names in logs: only the schema, the error type and how many.
        logger.warning("daily digest: %s letters failed in schema %s (%s)", count, connection.schema_name, name)
    return sent
