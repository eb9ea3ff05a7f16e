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


def regulation_version_list():
    """Every version, newest first (the history of the regulation)."""
    return RegulationVersion.objects.order_by("-number")


def access_regulation_version(*, version_id: int) -> RegulationVersion:
    """A version by id for those who may see the regulation (the caller checks the role).

    Missing and forbidden answer the same "not found".
    """
    from django.http import Http404

    version = RegulationVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404("Версия положения не найдена.")
    return version


def regulation_sections(version: RegulationVersion) -> list[dict]:
    """The version's sections [{heading, paragraphs}] with the parameters written into the text.

    The body keeps headings on lines starting with "# " and one paragraph per line, with
    placeholders such as {appointment_days} that always show the version's current parameters.
    """
    values = {name: getattr(version, name) for name in RULE_FIELDS}
    sections: list[dict] = []
    for raw_line in version.body.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("# "):
            sections.append({"heading": line[2:].strip(), "paragraphs": []})
            continue
        if not sections:
            sections.append({"heading": "", "paragraphs": []})
        sections[-1]["paragraphs"].append(_fill(line, values))
    return sections


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _fill(text: str, values: dict) -> str:
    try:
        return text.format_map(_KeepUnknown(values))
    except (ValueError, IndexError):
        return text
