"""Migrate everything: the public schema, the tenant template, then every organization's schema."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.provisioning import template_ensure


class Command(BaseCommand):
    help = "Применяет миграции к общей схеме, к шаблону схемы организации и ко всем организациям."

    def add_arguments(self, parser):
        parser.add_argument("--executor", default="standard", choices=["standard", "multiprocessing"])

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template_ensure(verbosity=verbosity)
        call_command(
            "migrate_schemas", tenant=True, interactive=False, verbosity=verbosity, executor=options["executor"]
        )
