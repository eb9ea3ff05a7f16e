"""Dates in the organization's own time zone, and academic years (1 September – 31 August)."""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.db import connection
from django.utils import timezone


def organization_today(organization=None) -> date:
    """Today in the organization's time zone (the current tenant's by default)."""
    organization = organization or getattr(connection, "tenant", None)
    zone = getattr(organization, "time_zone", "") or "Europe/Moscow"
    return timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()


def academic_year_of(day: date) -> int:
    """The year an academic year starts in: 1 September 2026 – 31 August 2027 is 2026."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"
