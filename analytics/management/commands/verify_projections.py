"""Recompute every organization's projection and report each difference from what is stored."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analytics.projection import refresh_organization, verify_organization
from tenants.models import Organization


class Command(BaseCommand):
    help = "Сверяет проекции показателей с пересчётом по исходным данным каждой организации."

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", default=[], help="код организации (можно несколько раз)")
        parser.add_argument("--fix", action="store_true", help="пересчитать проекции, в которых найдены расхождения")

    def handle(self, *args, **options):
        organizations = Organization.objects.filter(is_active=True).exclude(schema_name="public").order_by("code")
        if options["org"]:
            organizations = organizations.filter(code__in=options["org"])
            missing = set(options["org"]) - set(organizations.values_list("code", flat=True))
            if missing:
                raise CommandError(f"Нет организаций с кодами: {', '.join(sorted(missing))}")
        differing = 0
        for organization in organizations:
            differences = verify_organization(organization)
            if not differences:
                continue
            differing += 1
            self.stdout.write(f"{organization.code}:")
            for line in differences:
                self.stdout.write(f"  {line}")
            if options["fix"]:
                refresh_organization(organization)
                self.stdout.write("  пересчитано")
        total = organizations.count()
        if differing:
            message = f"Расхождения в {differing} из {total} организаций."
            if options["fix"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        self.stdout.write(f"Расхождений нет ({total} организаций).")
