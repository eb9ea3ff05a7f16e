"""Test helpers of the municipal base: published bank rows and scans (public schema).

The bank rows (`regional.BankMentor`) are the input of the municipal base. They are written by the
regional bank projection, which another area builds; these tests create the rows directly with the
ORM, exactly as the projection would leave them, so the base is tested on its own.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile

from regional.models import BankMentor

PDF = b"%PDF-1.4\n% test scan\n"
_entry_ids = count(9001)


def bank_mentor(organization, *, municipality=None, **values) -> BankMentor:
    """A published row of `organization`'s mentor (its municipality: the organization's parent)."""
    if municipality is None:
        municipality = organization.parent if organization.level == "organization" else None
    entry_id = next(_entry_ids)
    defaults = {
        "organization": organization,
        "municipality": municipality,
        "region": organization.region,
        "organization_kind": organization.kind,
        "mentor_entry_id": entry_id,
        "staff_id": entry_id,
        "visibility": BankMentor.Visibility.MUNICIPALITY,
        "full_name": "Иванова Мария Петровна",
        "position": "учитель математики",
        "subjects": ["математика"],
        "competencies": "Подготовка к ОГЭ",
        "tags": ["ОГЭ"],
        "pedagogical_experience_years": Decimal("12.5"),
        "qualification_category": "highest",
        "capacity": 3,
    }
    defaults.update(values)
    return BankMentor.objects.create(**defaults)


def scan(content: bytes = PDF, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
