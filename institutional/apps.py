from django.apps import AppConfig


class InstitutionalConfig(AppConfig):
    name = "institutional"
    verbose_name = "Наставничество в организации"
