"""Bulk onboarding of a region from a file: region, municipalities, organizations, domains.

Runs in the public schema. Two phases: `onboarding_validate` reads and checks the whole file
against itself and the database and writes nothing; `onboarding_apply` creates or updates the
organizations in hierarchy order, each in its own transaction, and reports progress. Applying
the same file again changes nothing, so an interrupted run is finished by running it again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import close_old_connections, connection

from nastavnik.spreadsheets import SpreadsheetError, map_columns, normalize_header, read_table
from tenants import services
from tenants.models import Level, Organization, OrganizationKind, code_validator
from tenants.validators import validate_inn, validate_time_zone

COLUMNS = {
    "code": "Код",
    "level": "Уровень",
    "parent_code": "Код вышестоящей",
    "kind": "Тип",
    "full_name": "Полное наименование",
    "short_name": "Краткое наименование",
    "inn": "ИНН",
    "address": "Адрес",
    "website": "Сайт",
    "time_zone": "Часовой пояс",
    "domain": "Домен",
}
REQUIRED = {"code", "level", "full_name", "short_name"}

LEVEL_WORDS = {
    "регион": Level.REGION,
    "субъект": Level.REGION,
    "муниципалитет": Level.MUNICIPALITY,
    "муниципальное образование": Level.MUNICIPALITY,
    "моуо": Level.MUNICIPALITY,
    "организация": Level.ORGANIZATION,
    "образовательная организация": Level.ORGANIZATION,
    "оо": Level.ORGANIZATION,
}
KIND_WORDS = {
    "школа": OrganizationKind.SCHOOL,
    "общеобразовательная организация": OrganizationKind.SCHOOL,
    "колледж": OrganizationKind.COLLEGE,
    "техникум": OrganizationKind.COLLEGE,
    "спо": OrganizationKind.COLLEGE,
    "профессиональная образовательная организация": OrganizationKind.COLLEGE,
    "дополнительное образование": OrganizationKind.EXTRA_EDUCATION,
    "центр дополнительного образования": OrganizationKind.EXTRA_EDUCATION,
    "организация дополнительного образования": OrganizationKind.EXTRA_EDUCATION,
    "до": OrganizationKind.EXTRA_EDUCATION,
    "детский сад": OrganizationKind.KINDERGARTEN,
    "дошкольная образовательная организация": OrganizationKind.KINDERGARTEN,
    "доо": OrganizationKind.KINDERGARTEN,
    "иная": OrganizationKind.OTHER,
    "иная организация": OrganizationKind.OTHER,
    "другое": OrganizationKind.OTHER,
}
for _choice in Level:
    LEVEL_WORDS[_choice.value] = _choice
    LEVEL_WORDS[normalize_header(_choice.label)] = _choice
for _choice in OrganizationKind:
    KIND_WORDS[_choice.value] = _choice
    KIND_WORDS[normalize_header(_choice.label)] = _choice

LEVEL_ORDER = {Level.REGION: 0, Level.MUNICIPALITY: 1, Level.ORGANIZATION: 2}
ALLOWED_PARENTS = {
    Level.REGION: set(),
    Level.MUNICIPALITY: {Level.REGION},
    Level.ORGANIZATION: {Level.REGION, Level.MUNICIPALITY},
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"строка {self.line}" if self.line else "файл"
        if self.column:
            where += f", столбец «{self.column}»"
        return f"{where}: {self.message}"


@dataclass
class OnboardingPlan:
    rows: list[dict] = field(default_factory=list)  # validated rows in hierarchy order
    errors: list[RowError] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _row_data(row: dict) -> services.OrganizationData:
    fields = {f.name for f in dataclasses.fields(services.OrganizationData)}
    return services.OrganizationData(**{k: v for k, v in row.items() if k in fields})


def _differs(organization: Organization, data: services.OrganizationData) -> bool:
    for name in services.ORGANIZATION_FIELDS:
        value = getattr(data, name)
        if name == "time_zone" and not value:
            continue
        if getattr(organization, name) != value:
            return True
    return False


def onboarding_validate(*, content: bytes, filename: str) -> OnboardingPlan:
    """Check the whole file; nothing is written whatever the outcome."""
    plan = OnboardingPlan()
    try:
        table = read_table(content, filename)
        mapping = map_columns(table.headers, COLUMNS, REQUIRED)
    except SpreadsheetError as error:
        plan.errors.append(RowError(0, "", str(error)))
        return plan
    if not table.rows:
        plan.errors.append(RowError(0, "", "В файле нет ни одной строки с организацией."))
        return plan

    def error(line: int, key: str, message: str) -> None:
        plan.errors.append(RowError(line, COLUMNS.get(key, ""), message))

    rows: list[dict] = []
    for line, cells in table.rows:
        row = {key: (cells[index] if index < len(cells) else "").strip() for key, index in mapping.items()}
        for key in COLUMNS:
            row.setdefault(key, "")
        row["line"] = line
        row["code"] = row["code"].lower()
        row["domain"] = row["domain"].lower()
        rows.append(row)

    existing = {
        org.code: org
        for org in Organization.objects.filter(code__in=[r["code"] for r in rows]).select_related("parent")
    }
    seen_codes: dict[str, int] = {}
    seen_inns: dict[str, int] = {}
    seen_domains: dict[str, int] = {}
    for row in rows:
        line = row["line"]
        code = row["code"]
        if not code:
            error(line, "code", "не указан код организации.")
        else:
            try:
                code_validator(code)
            except ValidationError as exc:
                error(line, "code", exc.messages[0])
            if code in seen_codes:
                error(line, "code", f"код «{code}» уже встречается в строке {seen_codes[code]}.")
            seen_codes.setdefault(code, line)

        level = LEVEL_WORDS.get(normalize_header(row["level"]))
        if level is None:
            error(
                line, "level", f"неизвестный уровень «{row['level']}»; допустимы: регион, муниципалитет, организация."
            )
        row["level"] = level.value if level else ""

        kind_text = normalize_header(row["kind"])
        if level == Level.ORGANIZATION:
            kind = KIND_WORDS.get(kind_text)
            if kind is None:
                error(
                    line,
                    "kind",
                    f"неизвестный тип «{row['kind']}»; допустимы: школа, колледж, "
                    "центр дополнительного образования, детский сад, иная."
                    if row["kind"]
                    else "укажите тип организации.",
                )
            row["kind"] = kind.value if kind else ""
        elif kind_text:
            error(line, "kind", "тип указывается только для образовательной организации.")
        else:
            row["kind"] = ""

        for key, limit in (("full_name", 500), ("short_name", 200), ("address", 500)):
            if key in REQUIRED and not row[key]:
                error(line, key, "поле не заполнено.")
            elif len(row[key]) > limit:
                error(line, key, f"слишком длинное значение (больше {limit} символов).")

        if row["inn"]:
            try:
                validate_inn(row["inn"])
            except ValidationError as exc:
                error(line, "inn", exc.messages[0])
            if row["inn"] in seen_inns:
                error(line, "inn", f"ИНН {row['inn']} уже указан в строке {seen_inns[row['inn']]}.")
            seen_inns.setdefault(row["inn"], line)
            owner = Organization.objects.filter(inn=row["inn"]).exclude(code=code).first()
            if owner is not None:
                error(line, "inn", f"ИНН {row['inn']} уже принадлежит организации «{owner.short_name}».")

        if row["website"]:
            if "://" not in row["website"]:
                row["website"] = "https://" + row["website"]
            try:
                URLValidator(schemes=["http", "https"])(row["website"])
            except ValidationError:
                error(line, "website", f"адрес сайта «{row['website']}» записан неверно.")

        if row["time_zone"]:
            try:
                validate_time_zone(row["time_zone"])
            except ValidationError as exc:
                error(line, "time_zone", exc.messages[0])
        elif level == Level.REGION and code not in existing:
            error(line, "time_zone", "для региона укажите часовой пояс, например Europe/Volgograd.")

        domain = row["domain"] or (services.default_domain(code) if code else "")
        row["domain"] = domain
        if domain:
            try:
                services.validate_hostname(domain)
            except ValidationError as exc:
                error(line, "domain", exc.messages[0])
            if domain in seen_domains:
                error(line, "domain", f"домен «{domain}» уже указан в строке {seen_domains[domain]}.")
            seen_domains.setdefault(domain, line)

    by_code = {row["code"]: row for row in rows if row["code"]}
    from tenants.models import Domain

    taken_domains = {
        d.domain: d.tenant for d in Domain.objects.filter(domain__in=list(seen_domains)).select_related("tenant")
    }
    for row in rows:
        line, code, level = row["line"], row["code"], row["level"]
        parent_code = row["parent_code"].lower()
        row["parent_code"] = parent_code
        parent_level = None
        if level == Level.REGION:
            if parent_code:
                error(line, "parent_code", "у региона не может быть вышестоящей организации.")
        elif level:
            if not parent_code:
                error(line, "parent_code", "укажите код вышестоящей организации.")
            elif parent_code == code:
                error(line, "parent_code", "организация не может подчиняться сама себе.")
            elif parent_code in by_code:
                parent_level = by_code[parent_code]["level"]
            else:
                parent = Organization.objects.filter(code=parent_code).first()
                if parent is None:
                    error(
                        line,
                        "parent_code",
                        f"вышестоящая организация с кодом «{parent_code}» не найдена ни в файле, ни на платформе.",
                    )
                else:
                    parent_level = parent.level
            if parent_level and parent_level not in ALLOWED_PARENTS[Level(level)]:
                error(
                    line,
                    "parent_code",
                    f"{Level(level).label.lower()} не может подчиняться уровню «{Level(parent_level).label}».",
                )

        current = existing.get(code)
        owner = taken_domains.get(row["domain"])
        if owner is not None and (current is None or owner.pk != current.pk):
            error(line, "domain", f"домен «{row['domain']}» уже занят организацией «{owner.short_name}».")
        if current is not None:
            if level and current.level != level:
                error(
                    line,
                    "level",
                    f"организация «{code}» уже зарегистрирована с уровнем «{current.get_level_display()}»; уровень не меняется.",
                )
            current_parent = current.parent.code if current.parent else ""
            if current_parent != parent_code:
                error(
                    line,
                    "parent_code",
                    f"организация «{code}» уже подчинена «{current_parent or '—'}»; перенос через файл не выполняется.",
                )
            if not owner and current.primary_domain != row["domain"] and row["domain"] != services.default_domain(code):
                error(
                    line,
                    "domain",
                    f"у организации «{code}» уже есть домен «{current.primary_domain}»; смена домена через файл не выполняется.",
                )

    if plan.errors:
        return plan
    rows.sort(key=lambda r: (LEVEL_ORDER[Level(r["level"])], r["line"]))
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            plan.to_create += 1
            row["action"] = "create"
        elif _differs(current, _row_data(row)):
            plan.to_update += 1
            row["action"] = "update"
        else:
            plan.unchanged += 1
            row["action"] = "unchanged"
        plan.rows.append(row)
    return plan


@dataclass
class OnboardingResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def onboarding_apply(
    *,
    actor,
    rows: list[dict],
    progress: Callable[[int, int, OnboardingResult], None] | None = None,
    recycle_every: int = 25,
) -> OnboardingResult:
    """Create or update each validated row in order. Safe to run again after an interruption."""
    result = OnboardingResult()
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        data = _row_data(row)
        connection.set_schema_to_public()
        current = Organization.objects.filter(code=data.code).first()
        if current is None:
            services.organization_provision(actor=actor, data=data)
            result.created += 1
        elif services.organization_update(actor=actor, organization=current, data=data):
            result.updated += 1
        else:
            result.unchanged += 1
        if progress is not None:
            progress(index, total, result)
        if index % recycle_every == 0:
            # A long-lived connection gets slower at creating schemas: start a fresh one.
            close_old_connections()
            connection.close()
    return result
