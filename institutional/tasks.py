"""Celery entry points of the institutional app.

`staff_list_review_remind` runs in the schema it was sent from (tenant-schemas-celery) and reminds
the curators of that organization when the list of teachers who need mentoring has not been
refreshed for a year (DOMAIN.md rule 10). `staff_list_review_remind_all` runs in the public schema
and sends the per-organization task into every tenant schema. Both are safe to run twice: a
reminder has a unique key per organization and academic year.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django_tenants.utils import get_public_schema_name

from institutional.dates import academic_year_of, organization_today
from institutional.models import Notification
from institutional.selectors.staff import staff_list_review_status
from nastavnik.tasks import send_to_every_organization
from tenants.models import Membership, Role

REMINDER_TEXT = (
    "Пора актуализировать список педагогов, нуждающихся в наставничестве: положение требует делать это "
    "не реже раза в год. Проверьте банк наставляемых и отметьте актуализацию на странице «Сотрудники»."
)


def _list_url() -> str:
    try:
        return reverse("institutional:staff_list", urlconf="nastavnik.urls_organization")
    except NoReverseMatch:
        return "/org/staff/"


@shared_task(name="institutional.staff_list_review_remind")
def staff_list_review_remind() -> int:
    """Remind each curator of this organization once per academic year when the review is overdue.

    Returns the number of reminders created.
    """
    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == get_public_schema_name():
        return 0
    today = organization_today(tenant)
    if not staff_list_review_status(today=today).is_overdue:
        return 0
    key = f"staff-list-review:{academic_year_of(today)}"
    curators = Membership.objects.filter(organization_id=tenant.pk, role=Role.CURATOR, is_active=True).values_list(
        "user_id", flat=True
    )
    created = 0
    url = _list_url()
    with transaction.atomic():
        for user_id in curators:
            _, was_created = Notification.objects.get_or_create(
                user_id=user_id, key=key, defaults={"text": REMINDER_TEXT, "url": url}
            )
            created += was_created
    return created


@shared_task(name="institutional.staff_list_review_remind_all")
def staff_list_review_remind_all() -> int:
    """Send the reminder task into the schema of every active organization; returns how many."""
    return send_to_every_organization(staff_list_review_remind)
