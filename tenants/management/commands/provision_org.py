"""Create one organization of any level by cloning the tenant template schema."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nastavnik.spreadsheets import normalize_header
from tenants import services
from tenants.models import Level
from tenants.onboarding import KIND_WORDS, LEVEL_WORDS


class Command(BaseCommand):
    help = "Создаёт организацию (регион, муниципалитет или образовательную организацию) и её схему."

    def add_arguments(self, parser):
        parser.add_argument("code", help="постоянный код: строчные латинские буквы, цифры, дефисы")
        parser.add_argument("--level", required=True, help="регион | муниципалитет | организация")
        parser.add_argument("--name", required=True, help="полное наименование")
        parser.add_argument("--short-name", required=True, help="краткое наименование")
        parser.add_argument("--parent", default="", help="код вышестоящей организации")
        parser.add_argument(
            "--kind", default="", help="школа | колледж | центр дополнительного образования | детский сад | иная"
        )
        parser.add_argument("--inn", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--website", default="")
        parser.add_argument("--time-zone", default="", help="например Europe/Volgograd; по умолчанию — как у региона")
        parser.add_argument("--domain", default="", help="по умолчанию <код>.<базовый домен>")

    def handle(self, *args, **options):
        level = LEVEL_WORDS.get(normalize_header(options["level"]))
        if level is None:
            raise CommandError(
                f"Неизвестный уровень «{options['level']}»: допустимы регион, муниципалитет, организация."
            )
        kind = ""
        if options["kind"]:
            kind_choice = KIND_WORDS.get(normalize_header(options["kind"]))
            if kind_choice is None:
                raise CommandError(f"Неизвестный тип организации «{options['kind']}».")
            kind = kind_choice.value
        data = services.OrganizationData(
            code=options["code"].lower(),
            level=level.value,
            full_name=options["name"],
            short_name=options["short_name"],
            parent_code=options["parent"].lower(),
            kind=kind,
            inn=options["inn"],
            address=options["address"],
            website=options["website"],
            time_zone=options["time_zone"],
            domain=options["domain"].lower(),
        )
        try:
            organization = services.organization_provision(actor=None, data=data)
        except ValidationError as error:
            raise CommandError("Организация не создана: " + "; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Создана организация «{organization.short_name}» ({Level(organization.level).label.lower()}), "
                f"домен {organization.primary_domain}, схема {organization.schema_name}."
            )
        )
