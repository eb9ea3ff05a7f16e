"""Read path of the regulation: the version in force and the rules it sets (tenant schema)."""

from __future__ import annotations

from dataclasses import dataclass

from institutional.models import RegulationVersion


@dataclass(frozen=True)
class Rules:
    """The parameters that drive the platform's checks. Defaults are the regional model's."""

    mentees_per_mentor_max: int = 3
    appointment_days: int = 30
    mentoring_min_months: int = 1
    mentoring_max_months: int = 12
    program_min_months: int = 3
    program_max_months: int = 12
    program_draft_days: int = 10
    report_days: int = 10


RULE_FIELDS = tuple(Rules.__dataclass_fields__)


def regulation_in_force() -> RegulationVersion | None:
    return RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).first()


def rules_in_force() -> Rules:
    """The rules of the approved regulation, or the regional defaults while none is approved."""
    version = regulation_in_force()
    if version is None:
        return Rules()
    return Rules(**{name: getattr(version, name) for name in RULE_FIELDS})
