from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "regional"
    verbose_name = "Региональный уровень"
