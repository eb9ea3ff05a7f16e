"""What the monitoring dashboards show, built from the public schema (shared by pages and API).

The indicators K1–K12 of the organizations under a region or a municipality (analytics/kpi.py), the
daily snapshots as trends (analytics/snapshots.py), the rows of the table and heat map by municipality
or by organization, the lagging organizations with their reasons (a page of them), and an
organization's card of counts. Only the projection tables, the bank of practices (K10) and
tenants.Organization are read, with a fixed number of queries however many organizations the region
has; the region's page has PostgreSQL add up the organizations per municipality
(`analytics.kpi.scope_rollups`). The pages (analytics/views_dashboard.py) and the API
(analytics/api/dashboard.py) both call these builders, so a page and its endpoint show the same numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.http import Http404

from analytics.kpi import (
    AggregateKpi,
    Mean,
    OrganizationKpi,
    Period,
    Ratio,
    lagging,
    organization_kpis,
    rollup,
    rollup_aggregates,
    scope_rollups,
)
from analytics.models import KpiSnapshot, OrganizationFacts, RoadmapStageFact
from analytics.rows import EARLY_REASONS, K6_KINDS
from analytics.scope import (
    OrganizationRef,
    municipality_names,
    organization_refs,
    organizations_under,
    scope_kpis,
    scope_members,
)
from analytics.snapshots import HEADLINE_LABELS, academic_year_of, mean, percent, trend
from institutional.models.pairs import PairForm, PairKind
from tenants.models import Level, Organization

FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside are typing errors, not periods
DEFAULT_PERIOD_NOTE = "Показаны данные за текущий учебный год."
RATIO_KEYS = frozenset({"k1", "k2", "k3", "k9", "k10", "k11", "k12"})
MEAN_KEYS = frozenset({"k7_mentors", "k7_mentees"})
REGIONAL_ROW = "regional"
REGIONAL_ROW_NAME = "Региональное подчинение"
LAGGING_PAGE = 50  # lagging organizations a page lists before «показать все»
# Every code of a breakdown with 0, so that each one is present in the figures.
NO_FORMS = {form.value: 0 for form in PairForm}
NO_KINDS = {kind.value: 0 for kind in PairKind}
NO_EARLY_REASONS = {reason.value: 0 for reason in EARLY_REASONS}


# --- period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodChoice:
    """The period a page shows and how the period form and the links keep it."""

    period: Period
    academic_year: int | None  # None for a custom range
    error: str = ""
    is_default: bool = False

    @property
    def is_custom(self) -> bool:
        return self.academic_year is None

    @property
    def query(self) -> str:
        """The query string that selects this period again (empty for the default)."""
        if self.is_default:
            return ""
        if self.is_custom:
            return f"from={self.period.start.isoformat()}&to={self.period.end.isoformat()}"
        return f"year={self.academic_year}"

    @property
    def label(self) -> str:
        if self.is_custom:
            return f"с {self.period.start:%d.%m.%Y} по {self.period.end:%d.%m.%Y}"
        return f"{self.academic_year}/{self.academic_year + 1} учебный год"


def _parse_day(text: str) -> date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def period_from_params(params, today: date) -> PeriodChoice:
    """The period of `?year=` or `?from=&to=`; on bad input the current academic year and a Russian message."""
    default_year = academic_year_of(today)
    default = Period.academic_year(default_year)

    def failed(message: str) -> PeriodChoice:
        return PeriodChoice(default, default_year, error=f"{message} {DEFAULT_PERIOD_NOTE}", is_default=True)

    start_text, end_text = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if start_text or end_text:
        if not (start_text and end_text):
            return failed("Для произвольного периода укажите обе даты: «с» и «по».")
        days = []
        for text, what in ((start_text, "начала"), (end_text, "окончания")):
            day = _parse_day(text)
            if day is None:
                return failed(
                    f"Дата {what} периода «{text[:20]}» указана неверно: нужна существующая дата "
                    "в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
                )
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                return failed(
                    f"Дата {what} периода «{text[:20]}» вне допустимого диапазона ({FIRST_YEAR}–{LAST_YEAR} гг.)."
                )
            days.append(day)
        if days[0] > days[1]:
            return failed("Дата начала периода позже даты его окончания.")
        return PeriodChoice(Period(days[0], days[1]), None)
    year_text = (params.get("year") or "").strip()
    if year_text:
        if not (year_text.isascii() and year_text.isdigit()) or not FIRST_YEAR <= int(year_text) <= LAST_YEAR:
            return failed(
                f"Учебный год «{year_text[:20]}» указан неверно: нужен год его начала, например {default_year}."
            )
        return PeriodChoice(Period.academic_year(int(year_text)), int(year_text))
    return PeriodChoice(default, default_year, is_default=True)


# --- indicators as plain values (the same for the page and the API) -----------------------


def _number(value) -> float | None:
    return None if value is None else float(value)


def _ratio(ratio: Ratio) -> dict:
    return {"numerator": ratio.numerator, "denominator": ratio.denominator, "percent": _number(ratio.percent)}


def _mean(value: Mean) -> dict:
    return {"total": float(value.total), "count": value.count, "mean": _number(value.value)}


def indicators(kpi: OrganizationKpi | AggregateKpi) -> dict:
    """Every indicator of an organization or of a roll-up, as JSON-safe values (percents to one decimal)."""
    if isinstance(kpi, OrganizationKpi):
        organizations, k1, k9 = 1, Ratio(int(kpi.k1_implements), 1), Ratio(int(kpi.k9_published), 1)
        k10 = Ratio(int(kpi.k10_has_published), 1)
        k1_missing = list(kpi.k1_missing)
    else:
        organizations, k1, k9, k1_missing = kpi.organizations, kpi.k1_implementing, kpi.k9_published, []
        k10 = kpi.k10_with_published
    stages = [
        {"position": position, "activities": values[0], "done": values[1], "overdue": values[2]}
        for position, values in sorted(kpi.k11_stages.items())
    ]
    activities = sum(stage["activities"] for stage in stages)
    done = sum(stage["done"] for stage in stages)
    return {
        "organizations": organizations,
        "k1": _ratio(k1),
        "k1_missing": k1_missing,
        "k2": _ratio(kpi.k2_engaged),
        "k3": _ratio(kpi.k3_young_with_mentor),
        "k4": {
            "total": kpi.k4_network + kpi.k4_local,
            "network": kpi.k4_network,
            "local": kpi.k4_local,
            "by_form": {**NO_FORMS, **kpi.k4_by_form},
            "by_kind": {**NO_KINDS, **kpi.k4_by_kind},
        },
        "k5": {
            "active": kpi.k5_active,
            "completed": kpi.k5_completed,
            "ended_early": sum(kpi.k5_ended_early.values()),
            "ended_early_by_reason": {**NO_EARLY_REASONS, **kpi.k5_ended_early},
            "extended": kpi.k5_extended,
        },
        "k6": {"total": kpi.k6_total, "by_kind": {kind: kpi.k6_overdue.get(kind, 0) for kind in K6_KINDS}},
        "k7": {"mentors": _mean(kpi.k7_mentors), "mentees": _mean(kpi.k7_mentees)},
        "k8": {
            "over_cap": kpi.k8_over_cap,
            "loads": {str(load): count for load, count in sorted(kpi.k8_loads.items())},
        },
        "k9": _ratio(k9),
        "k10": {"submitted": kpi.k10_submitted, "published": kpi.k10_published, "with_published": _ratio(k10)},
        "k11": {**_ratio(Ratio(done, activities)), "overdue": sum(s["overdue"] for s in stages), "stages": stages},
        "k12": _ratio(kpi.k12_retained),
    }


# --- display: numbers, bands, tiles, table cells --------------------------------------------


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def format_mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _percent_band(value: float | None) -> str:
    if value is None:
        return "none"
    return "good" if value >= 80 else "warn" if value >= 50 else "bad"


def _k1_band(ratio: dict) -> str:
    """K1's target is every organization: only 100 % is the norm."""
    if not ratio["denominator"]:
        return "none"
    if ratio["numerator"] == ratio["denominator"]:
        return "good"
    return "warn" if ratio["percent"] >= 80 else "bad"


def _zero_band(value: int) -> str:
    return "good" if value == 0 else "bad"


def _mean_band(values: list[float | None]) -> str:
    known = [value for value in values if value is not None]
    if not known:
        return "none"
    lowest = min(known)
    return "good" if lowest >= 4 else "warn" if lowest >= 3 else "bad"


def table_columns(rows_are_organizations: bool) -> list[tuple[str, str, str]]:
    """(key, short header, full name) of each column of the table and the heat map."""
    columns = [
        ("k1", "К1", "К1 — внедряет систему наставничества" if rows_are_organizations else "К1 — доля внедряющих, %"),
        ("k2", "К2, %", "К2 — вовлечённость педагогов, %"),
        ("k3", "К3, %", "К3 — молодые специалисты с наставником, %"),
        ("k4", "К4", "К4 — пар и групп действует"),
        ("k5", "К5", "К5 — программ выполнено в полном объёме"),
        ("k6", "К6", "К6 — просрочено"),
        ("k7", "К7", "К7 — удовлетворённость наставников / наставляемых (1–5)"),
        ("k8", "К8", "К8 — наставников сверх предельной нагрузки"),
        ("k9", "К9", "К9 — раздел «Наставничество» опубликован" if rows_are_organizations else "К9 — доля, %"),
        ("k10", "К10", "К10 — лучших практик опубликовано / направлено на рассмотрение"),
        ("k11", "К11, %", "К11 — выполнение дорожных карт, %"),
        ("k12", "К12, %", "К12 — закрепление бывших наставляемых, %"),
    ]
    if rows_are_organizations:
        return columns
    return [("organizations", "Орг.", "Организаций"), *columns]


def table_cells(values: dict, rows_are_organizations: bool) -> list[dict]:
    """The row of the table and of the heat map: text and colour band of each column."""

    def yes_no(ratio: dict, band) -> dict:
        if not rows_are_organizations:
            return {"text": format_percent(ratio["percent"]), "band": band(ratio)}
        return {"text": "да" if ratio["numerator"] else "нет", "band": "good" if ratio["numerator"] else "bad"}

    k7 = [values["k7"]["mentors"]["mean"], values["k7"]["mentees"]["mean"]]
    cells = {
        "organizations": {"text": str(values["organizations"]), "band": "neutral"},
        "k1": yes_no(values["k1"], _k1_band),
        "k4": {"text": str(values["k4"]["total"]), "band": "neutral"},
        "k5": {"text": str(values["k5"]["completed"]), "band": "neutral"},
        "k6": {"text": str(values["k6"]["total"]), "band": _zero_band(values["k6"]["total"])},
        "k7": {"text": f"{format_mean(k7[0])} / {format_mean(k7[1])}", "band": _mean_band(k7)},
        "k8": {"text": str(values["k8"]["over_cap"]), "band": _zero_band(values["k8"]["over_cap"])},
        "k9": yes_no(values["k9"], lambda ratio: _percent_band(ratio["percent"])),
        "k10": {"text": f"{values['k10']['published']} / {values['k10']['submitted']}", "band": "neutral"},
    }
    for key in ("k2", "k3", "k11", "k12"):
        cells[key] = {"text": format_percent(values[key]["percent"]), "band": _percent_band(values[key]["percent"])}
    if not values["organizations"]:  # an empty row has nothing to judge
        for key in cells:
            cells[key]["band"] = "none"
    return [{"key": key, **cells[key]} for key, _short, _label in table_columns(rows_are_organizations)]


def tiles(values: dict, k2_change: float | None) -> list[dict]:
    """The K1…K12 tiles: value, target, status colour and the trend line each one draws."""

    def tile(key, title, value, *, target="не установлено", status="neutral", note="", spark=None):
        return {
            "key": key,
            "code": key.upper().replace("K", "К"),
            "title": title,
            "value": value,
            "target": target,
            "status": status,
            "note": note,
            "spark": spark,
        }

    k1 = values["k1"]
    if k2_change is None:
        k2_status, k2_note = "none", "изменение с начала учебного года: нет данных"
    else:
        k2_status = "good" if k2_change > 0 else "warn" if k2_change == 0 else "bad"
        sign = "+" if k2_change > 0 else "−" if k2_change < 0 else "±"
        k2_note = f"с начала учебного года: {sign}{abs(k2_change):.1f}".replace(".", ",") + " п. п."
    k4, k5, k6 = values["k4"], values["k5"], values["k6"]
    k7 = values["k7"]
    k10, k11 = values["k10"], values["k11"]
    return [
        tile(
            "k1",
            "Организации, внедряющие систему наставничества",
            format_percent(k1["percent"]),
            target="100 %",
            status=_k1_band(k1),
            note=f"{k1['numerator']} из {k1['denominator']}",
            spark="k1",
        ),
        tile(
            "k2",
            "Вовлечённость педагогов в наставничество",
            format_percent(values["k2"]["percent"]),
            target="рост",
            status=k2_status,
            note=k2_note,
            spark="k2",
        ),
        tile(
            "k3",
            "Молодые специалисты с наставником",
            format_percent(values["k3"]["percent"]),
            note=f"{values['k3']['numerator']} из {values['k3']['denominator']}",
            spark="k3",
        ),
        tile(
            "k4",
            "Пар и групп действует",
            str(k4["total"]),
            note=f"сетевых {k4['network']}, внутри организаций {k4['local']}",
            spark="k4",
        ),
        tile(
            "k5",
            "Программ выполнено в полном объёме",
            str(k5["completed"]),
            note=f"действует {k5['active']}, досрочно завершено {k5['ended_early']}, продлено {k5['extended']}",
            spark="k5_completed",
        ),
        tile(
            "k6",
            "Просрочено",
            str(k6["total"]),
            target="0",
            status=_zero_band(k6["total"]),
            note="; ".join(
                f"{label}: {k6['by_kind'][kind]}" for kind, label in K6_KINDS.items() if k6["by_kind"][kind]
            ),
            spark="k6",
        ),
        tile(
            "k7",
            "Удовлетворённость наставников / наставляемых",
            f"{format_mean(k7['mentors']['mean'])} / {format_mean(k7['mentees']['mean'])}",
            note=f"анкет: {k7['mentors']['count']} / {k7['mentees']['count']}; шкала 1–5",
            spark="k7_mentors",
        ),
        tile(
            "k8",
            "Наставников сверх предельной нагрузки",
            str(values["k8"]["over_cap"]),
            target="0",
            status=_zero_band(values["k8"]["over_cap"]),
            spark="k8_over_cap",
        ),
        tile(
            "k9",
            "Опубликован раздел «Наставничество»",
            format_percent(values["k9"]["percent"]),
            note=f"{values['k9']['numerator']} из {values['k9']['denominator']}",
            spark="k9",
        ),
        tile(
            "k10",
            "Лучшие практики: опубликовано в банке практик",
            str(k10["published"]),
            note=(
                f"направлено на рассмотрение {k10['submitted']}; организаций с опубликованной практикой "
                f"{k10['with_published']['numerator']} из {k10['with_published']['denominator']}"
            ),
            spark="k10_published",
        ),
        tile(
            "k11",
            "Выполнение дорожных карт",
            format_percent(k11["percent"]),
            note=f"выполнено {k11['numerator']} из {k11['denominator']}, просрочено {k11['overdue']}",
            spark="k11",
        ),
        tile(
            "k12",
            "Закрепление бывших наставляемых",
            format_percent(values["k12"]["percent"]),
            note=f"{values['k12']['numerator']} из {values['k12']['denominator']}",
            spark="k12",
        ),
    ]


# --- trends -------------------------------------------------------------------------------


def snapshot_values(snapshot: KpiSnapshot) -> dict:
    """A snapshot's headline values as numbers: percents, means and counts (None when unknown)."""
    result = {}
    for key in HEADLINE_LABELS:
        raw = snapshot.values.get(key)
        if key in RATIO_KEYS:
            result[key] = percent(raw)
        elif key in MEAN_KEYS:
            result[key] = mean(raw)
        else:
            result[key] = raw if isinstance(raw, int | float) else None
    return result


def snapshots_of(organization_id: int, period: Period) -> tuple[list[KpiSnapshot], list[KpiSnapshot]]:
    """(snapshots within the period, all from the start of the period's first academic year) in one query."""
    year_start = Period.academic_year(academic_year_of(period.start)).start
    every = trend(organization_id, since=min(year_start, period.start))
    return [s for s in every if period.start <= s.taken_on <= period.end], every


def k2_change(current: dict, since_year_start: list[KpiSnapshot], period: Period) -> float | None:
    """K2 now minus K2 of the first snapshot of the period's academic year, in percentage points.

    None without such a snapshot or without staff on either side. Computed from the numerators
    and denominators, not from rounded percents.
    """
    year = academic_year_of(period.start)
    first = next((s for s in since_year_start if s.academic_year == year), None)
    baseline = first.values.get("k2") if first else None
    if not baseline or not baseline[1] or not current["denominator"]:
        return None
    change = Decimal(100) * (
        Decimal(current["numerator"]) / Decimal(current["denominator"]) - Decimal(baseline[0]) / Decimal(baseline[1])
    )
    return float(change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def trend_chart(snapshots: list[KpiSnapshot]) -> dict:
    """What monitoring.js draws: dates and one series per headline indicator."""
    points = [snapshot_values(snapshot) for snapshot in snapshots]
    return {
        "labels": [f"{snapshot.taken_on:%d.%m.%Y}" for snapshot in snapshots],
        "series": [
            {
                "key": key,
                "label": label,
                "unit": "%" if key in RATIO_KEYS else "",
                "values": [point[key] for point in points],
            }
            for key, label in HEADLINE_LABELS.items()
        ],
    }


# --- scopes ------------------------------------------------------------------------------


def municipality_in_scope(host: Organization, municipality_id: int) -> Organization:
    """The municipality a host may show: its own on a municipality host, any of the region's on a region host."""
    if host.level == Level.MUNICIPALITY:
        if municipality_id != host.pk:
            raise Http404("Муниципалитет не найден")
        return host
    municipality = Organization.objects.filter(pk=municipality_id, level=Level.MUNICIPALITY, parent=host).first()
    if municipality is None:
        raise Http404("Муниципалитет не найден")
    return municipality


def organization_in_scope(host: Organization, organization_id: int) -> OrganizationRef:
    """An active educational organization under the host; 404 for anything else."""
    queryset = Organization.objects.filter(pk=organization_id, level=Level.ORGANIZATION, is_active=True).select_related(
        "parent"
    )
    if host.level == Level.REGION:
        queryset = queryset.filter(Q(parent=host) | Q(parent__parent=host))
    elif host.level == Level.MUNICIPALITY:
        queryset = queryset.filter(parent=host)
    else:
        queryset = queryset.none()
    organization = queryset.first()
    if organization is None:
        raise Http404("Организация не найдена")
    return OrganizationRef.of(organization)


def organization_entry(
    ref: OrganizationRef, kpi: OrganizationKpi, reasons: list[str], *, with_indicators: bool = True
) -> dict:
    return {
        "id": ref.id,
        "code": ref.code,
        "short_name": ref.short_name,
        "kind": ref.kind,
        "kind_label": ref.kind_label,
        "parent_id": ref.parent_id,
        "parent_name": ref.parent_name,
        "facts_as_of": kpi.facts_as_of,
        "indicators": indicators(kpi) if with_indicators else None,
        "lagging_reasons": reasons,
    }


def _ref_entry(ref: OrganizationRef) -> dict:
    return {
        "id": ref.id,
        "code": ref.code,
        "short_name": ref.short_name,
        "kind": ref.kind,
        "kind_label": ref.kind_label,
        "parent_id": ref.parent_id,
        "parent_name": ref.parent_name,
    }


def _region_rows(
    region: Organization, parts: dict[int, AggregateKpi], known_names: dict[int, str] | None
) -> list[dict]:
    """The region's table: a row per municipality (by name), then «Региональное подчинение».

    `parts` holds the roll-up of each group of organizations. A municipality closed while its
    organizations still work keeps its row (named from `known_names`, or read), so the rows add up to
    the total.
    """
    names = municipality_names(region)
    closed = [pk for pk in parts if pk not in names and pk != region.pk]
    if closed:
        if known_names is None:
            known_names = dict(Organization.objects.filter(pk__in=closed).values_list("pk", "short_name"))
        names.update({pk: name for name, pk in sorted((known_names.get(pk, ""), pk) for pk in closed)})
    rows = [
        {"id": pk, "kind": "municipality", "name": name, "indicators": indicators(parts.get(pk) or AggregateKpi())}
        for pk, name in names.items()
    ]
    rows.append(
        {
            "id": region.pk,
            "kind": REGIONAL_ROW,
            "name": REGIONAL_ROW_NAME,
            "indicators": indicators(parts.get(region.pk) or AggregateKpi()),
        }
    )
    return rows


def _region_overview(region: Organization, period: Period, *, lagging_offset: int, lagging_limit: int | None) -> dict:
    """The region's page: roll-ups per municipality summed in SQL, only the listed organizations read."""
    summary = scope_rollups(scope_members(region), period, lagging_offset=lagging_offset, lagging_limit=lagging_limit)
    page_ids = [kpi.organization_id for kpi, _reasons in summary.lagging]
    # The lagging organizations of the page and the region's own organizations, in one query.
    refs = organization_refs(
        Organization.objects.filter(level=Level.ORGANIZATION, is_active=True).filter(
            Q(pk__in=page_ids) | Q(parent=region)
        )
    )
    by_id = {ref.id: ref for ref in refs}
    rows = _region_rows(region, summary.groups, None)
    return {
        "indicators": indicators(rollup_aggregates(summary.groups.values())),
        "rows": rows,
        "organizations": [],
        "lagging": [
            organization_entry(by_id[kpi.organization_id], kpi, reasons, with_indicators=False)
            for kpi, reasons in summary.lagging
            if kpi.organization_id in by_id
        ],
        "lagging_total": summary.lagging_total,
        "regional": [_ref_entry(ref) for ref in refs if ref.parent_id == region.pk],
    }


def scope_overview(
    scope: Organization,
    period: Period,
    *,
    every_organization: bool = True,
    lagging_offset: int = 0,
    lagging_limit: int | None = None,
) -> dict:
    """A region's or a municipality's indicators, its table rows and its organizations (fixed queries).

    Returns `indicators` (the scope's total), `rows` (a region's: its municipalities plus «Региональное
    подчинение»; a municipality's: its organizations), `organizations` (each with its indicators and
    reasons to lag; for a region only with `every_organization`), `lagging` (the lagging organizations
    from `lagging_offset`, at most `lagging_limit`, with their reasons), `lagging_total` and `regional`
    (a region's own organizations). The region's page (`every_organization=False`) never reads an
    organization's indicators one by one: PostgreSQL adds them up per municipality.
    """
    if scope.level == Level.REGION and not every_organization:
        return _region_overview(scope, period, lagging_offset=lagging_offset, lagging_limit=lagging_limit)
    refs, kpis = scope_kpis(scope, period)
    reasons = lagging(kpis)
    organizations = [organization_entry(ref, kpis[ref.id], reasons.get(ref.id, [])) for ref in refs]
    lagging_entries = [entry for entry in organizations if entry["lagging_reasons"]]
    end = None if lagging_limit is None else lagging_offset + lagging_limit
    if scope.level == Level.REGION:
        by_parent: dict[int, list[OrganizationKpi]] = defaultdict(list)
        for ref in refs:
            by_parent[ref.parent_id].append(kpis[ref.id])
        parts = {pk: rollup(items) for pk, items in by_parent.items()}
        rows = _region_rows(scope, parts, {ref.parent_id: ref.parent_name for ref in refs})
        total = rollup_aggregates(parts.values())
        regional = [_ref_entry(ref) for ref in refs if ref.parent_id == scope.pk]
    else:
        rows = [
            {"id": entry["id"], "kind": "organization", "name": entry["short_name"], "indicators": entry["indicators"]}
            for entry in organizations
        ]
        total = rollup(kpis.values())
        regional = []
    return {
        "indicators": indicators(total),
        "rows": rows,
        "organizations": organizations,
        "lagging": lagging_entries[lagging_offset:end],
        "lagging_total": len(lagging_entries),
        "regional": regional,
    }


def scope_organizations(
    scope: Organization, period: Period, *, lagging_only: bool = False, offset: int = 0, limit: int | None = None
) -> tuple[list[dict], int]:
    """A page of the scope's organizations (or of its lagging ones), each with its indicators and
    reasons to lag, in the dashboards' order; and how many there are in all.

    Only the organizations of the page are read one by one, so a region's API can be paged through
    without building 2,500 entries per request.
    """
    end = None if limit is None else offset + limit
    if lagging_only:
        summary = scope_rollups(scope_members(scope), period, lagging_offset=offset, lagging_limit=limit)
        ids, total = [kpi.organization_id for kpi, _reasons in summary.lagging], summary.lagging_total
        page = organization_refs(Organization.objects.filter(pk__in=ids))
    else:
        refs = organizations_under(scope)
        page, total = refs[offset:end], len(refs)
    kpis = organization_kpis([ref.id for ref in page], period)
    reasons = lagging(kpis)
    return [organization_entry(ref, kpis[ref.id], reasons.get(ref.id, [])) for ref in page], total


def organization_card(ref: OrganizationRef, period: Period) -> dict:
    """Everything the card of one organization shows: counts, dates and codes only."""
    kpi = organization_kpis([ref.id], period)[ref.id]
    facts = OrganizationFacts.objects.filter(organization_id=ref.id).first()
    titles = {
        row["position"]: row["title"]
        for row in RoadmapStageFact.objects.filter(organization_id=ref.id, academic_year__in=period.academic_years)
        .order_by("academic_year")
        .values("position", "title")
    }
    entry = organization_entry(ref, kpi, lagging({ref.id: kpi}).get(ref.id, []))
    for stage in entry["indicators"]["k11"]["stages"]:
        stage["title"] = titles.get(stage["position"], "")
    entry["facts"] = (
        None
        if facts is None
        else {
            "as_of": facts.as_of,
            "regulation_approved_on": facts.regulation_approved_on,
            "curator_since": facts.curator_since,
            "roadmap_years": sorted(facts.roadmap_years),
            "staff_employed": facts.staff_employed,
            "mentors_in_bank": facts.mentors_in_bank,
            "mentees_waiting": facts.mentees_waiting,
            "mentor_loads": {str(load): count for load, count in sorted(kpi.k8_loads.items())},
            "mentors_over_cap": facts.mentors_over_cap,
            "mentor_cap": facts.mentor_cap,
        }
    )
    return entry
