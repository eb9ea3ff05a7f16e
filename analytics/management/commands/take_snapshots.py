"""Take today's snapshot of every region's indicators (the daily beat task does the same), or backfill."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics.snapshots import take_snapshots
from tenants.models import Level, Organization


class Command(BaseCommand):
    help = "Сохраняет снимок показателей регионов за сегодня (точку графиков динамики)."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="код региона (по умолчанию все регионы)")
        parser.add_argument(
            "--backfill-days",
            type=int,
            default=0,
            help="восстановить снимки за столько прошедших дней по датам записей (К6 и К8 — на сегодня)",
        )

    def handle(self, *args, **options):
        if options["backfill_days"] < 0 or options["backfill_days"] > 366:
            raise CommandError("--backfill-days должно быть от 0 до 366.")
        regions = Organization.objects.filter(level=Level.REGION, is_active=True)
        if options["region"]:
            regions = regions.filter(code=options["region"])
            if not regions.exists():
                raise CommandError(f"Регион с кодом «{options['region']}» не найден.")
        today = timezone.localdate()
        for region in regions:
            for back in range(options["backfill_days"], 0, -1):
                take_snapshots(region, on=today - timedelta(days=back), as_recorded=True)
            count = take_snapshots(region, on=today)
            self.stdout.write(f"{region.short_name}: снимок на {today:%d.%m.%Y} ({count} организаций и итогов).")
