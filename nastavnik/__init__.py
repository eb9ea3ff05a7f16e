"""The Django project package (named `nastavnik`, since a top-level `platform` would shadow the stdlib)."""

from nastavnik.celery import app as celery_app

__all__ = ["celery_app"]
