"""Test helpers of the banks and consents area: staff rows, scans, signed consents (tenant schema)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from institutional.dates import organization_today
from institutional.models import ConsentKind, Staff
from institutional.services import consents as consent_services

PDF = b"%PDF-1.4\n% test scan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_staff(last_name="Смирнова", *, user=None, hired_days_ago=800, dismissed=False, **extra) -> Staff:
    today = organization_today()
    values = {
        "last_name": last_name,
        "first_name": "Анна",
        "patronymic": "Петровна",
        "position": "учитель математики",
        "hire_date": today - timedelta(days=hired_days_ago),
        "birth_date": date(1990, 5, 17),
        "user": user,
    }
    if dismissed:
        values.update(status=Staff.Status.DISMISSED, dismissal_date=today - timedelta(days=5))
    values.update(extra)
    return Staff.objects.create(**values)


def scan(content: bytes = PDF, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def signed_consent(*, kind=ConsentKind.PERSONAL_DATA, staff=None, mentee_entry=None, actor=None, **extra):
    if kind in (ConsentKind.PERSONAL_DATA, ConsentKind.PARENT_PERSONAL_DATA):
        extra.setdefault("subject_document", "паспорт 1800 123456, выдан ГУ МВД 01.02.2010")
    if kind == ConsentKind.PUBLICATION:
        extra.setdefault("published_fields", ["full_name", "subjects"])
    consent = consent_services.consent_create(actor=actor, kind=kind, staff=staff, mentee_entry=mentee_entry, **extra)
    return consent_services.consent_sign(actor=actor, consent=consent, signed_on=organization_today(), scan=scan())


def use_media_root(settings, path):
    """Point uploads at `path`; the tenant storage caches its root, so the cache is dropped too."""
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(path)
    default_storage.location  # noqa: B018 - forces the lazy storage to exist
    default_storage._wrapped.__dict__.pop("relative_media_root", None)  # see conftest._forget_media_root


class ReusableUpload(io.BytesIO):
    """A file for the test client that can be posted many times (the permission matrix repeats requests)."""

    def __init__(self, content: bytes = PDF, name: str = "scan.pdf"):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)
