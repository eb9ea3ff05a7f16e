"""Recompute the projection of every organization (or the given ones) now, with progress."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from analytics.projection import refresh_organization
from tenants.models import Organization


class Command(BaseCommand):
    help = "Пересчитывает проекции показателей организаций по исходным данным."

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", default=[], help="код организации (можно несколько раз)")

    def handle(self, *args, **options):
        organizations = Organization.objects.filter(is_active=True).exclude(schema_name="public").order_by("code")
        if options["org"]:
            organizations = organizations.filter(code__in=options["org"])
        total = organizations.count()
        for number, organization in enumerate(organizations.iterator(), start=1):
            refresh_organization(organization)
            if number % 50 == 0 or number == total:
                self.stdout.write(f"{number} из {total}")
