"""Onboard a whole region from a CSV or XLSX file, with a progress bar.

The whole file is validated first; with any error nothing is created and every bad row and
column is listed. Running the same file again changes nothing.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.onboarding import onboarding_apply, onboarding_validate


def progress_bar(done: int, total: int, width: int = 40) -> str:
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


class Command(BaseCommand):
    help = "Подключает регион из файла XLSX или CSV: регион, муниципалитеты, организации и их домены."

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу .xlsx или .csv")
        parser.add_argument("--check", action="store_true", help="только проверить файл, ничего не создавая")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл {path} не найден.")
        plan = onboarding_validate(content=path.read_bytes(), filename=path.name)
        if not plan.is_valid:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Файл не загружен: ошибок — {len(plan.errors)}. Ничего не создано.")
        self.stdout.write(
            f"Файл проверен: будет создано {plan.to_create}, обновлено {plan.to_update}, без изменений {plan.unchanged}."
        )
        if options["check"]:
            return
        interactive = sys.stderr.isatty()

        def report(done, total, result):
            if interactive or done == total or done % 50 == 0:
                self.stderr.write(
                    "\r" + progress_bar(done, total), ending="\n" if done == total or not interactive else ""
                )
                self.stderr.flush()

        result = onboarding_apply(actor=None, rows=plan.rows, progress=report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово: создано {result.created}, обновлено {result.updated}, без изменений {result.unchanged}."
            )
        )
