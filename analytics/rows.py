"""One flat row per organization with every indicator's inputs: what exports and campaigns keep.

`organization_row()` turns an `OrganizationKpi` into a JSON-safe dict of plain numbers (numerators
and denominators, never percentages, so that totals are sums); `column_label()` names every key in
Russian. A campaign submission stores exactly this dict, and a frozen export is built from the
stored dicts, so a workbook of a closed campaign shows the figures as they were submitted.
"""

from __future__ import annotations

from analytics.kpi import K6_KINDS, OrganizationKpi
from analytics.scope import OrganizationRef
from institutional.models.pairs import EndReason, PairForm, PairKind

EARLY_REASONS = [reason for reason in EndReason if reason != EndReason.PLAN_COMPLETED]

# Fixed columns in the order they appear, with their Russian names.
META_COLUMNS = {
    "organization_id": "Ид. организации",
    "code": "Код",
    "short_name": "Организация",
    "kind": "Тип организации",
    "parent_id": "Ид. муниципалитета",
    "parent_name": "Муниципалитет",
    "facts_as_of": "Данные на дату",
}
INDICATOR_COLUMNS = {
    "k1_implements": "К1: внедряет систему наставничества (1 — да)",
    "k1_missing": "К1: чего не хватает",
    "k2_engaged": "К2: педагогов-участников (наставники и наставляемые)",
    "k2_staff": "К2: педагогов, работавших в периоде",
    "k3_young_mentored": "К3: молодых специалистов с наставником",
    "k3_young": "К3: молодых специалистов",
    **{f"k4_form__{form.value}": f"К4: форма «{form.label}»" for form in PairForm},
    **{f"k4_kind__{kind.value}": f"К4: вид «{kind.label}»" for kind in PairKind},
    "k4_network": "К4: сетевых пар и групп",
    "k4_local": "К4: пар и групп внутри организации",
    "k5_active": "К5: программ действует в периоде",
    "k5_completed": "К5: программ выполнено в полном объёме",
    **{f"k5_early__{reason.value}": f"К5: завершено досрочно — {reason.label.lower()}" for reason in EARLY_REASONS},
    "k5_extended": "К5: программ продлено",
    **{f"k6_{kind}": f"К6: {label}" for kind, label in K6_KINDS.items()},
    "k7_mentor_sum": "К7: сумма баллов наставников",
    "k7_mentor_n": "К7: анкет наставников",
    "k7_mentee_sum": "К7: сумма баллов наставляемых",
    "k7_mentee_n": "К7: анкет наставляемых",
    "k8_over_cap": "К8: наставников сверх предельной нагрузки",
    "k9_published": "К9: раздел «Наставничество» опубликован (1 — да)",
    "k10_submitted": "К10: кейсов лучших практик направлено на рассмотрение",
    "k10_published": "К10: кейсов опубликовано в банке практик",
    "k10_has_published": "К10: есть кейс, опубликованный в периоде (1 — да)",
    "k12_retained": "К12: бывших наставляемых работают через год",
    "k12_former": "К12: бывших наставляемых (программа окончена год назад)",
}


def organization_row(ref: OrganizationRef, kpi: OrganizationKpi) -> dict:
    """Every input of every indicator of one organization, as plain JSON values."""
    row = {
        "organization_id": ref.id,
        "code": ref.code,
        "short_name": ref.short_name,
        "kind": ref.kind_label,
        "parent_id": ref.parent_id,
        "parent_name": ref.parent_name,
        "facts_as_of": kpi.facts_as_of.isoformat() if kpi.facts_as_of else "",
        "k1_implements": int(kpi.k1_implements),
        "k1_missing": "; ".join(kpi.k1_missing),
        "k2_engaged": kpi.k2_engaged.numerator,
        "k2_staff": kpi.k2_engaged.denominator,
        "k3_young_mentored": kpi.k3_young_with_mentor.numerator,
        "k3_young": kpi.k3_young_with_mentor.denominator,
    }
    row.update({f"k4_form__{form.value}": kpi.k4_by_form.get(form.value, 0) for form in PairForm})
    row.update({f"k4_kind__{kind.value}": kpi.k4_by_kind.get(kind.value, 0) for kind in PairKind})
    row.update(
        {
            "k4_network": kpi.k4_network,
            "k4_local": kpi.k4_local,
            "k5_active": kpi.k5_active,
            "k5_completed": kpi.k5_completed,
        }
    )
    row.update({f"k5_early__{reason.value}": kpi.k5_ended_early.get(reason.value, 0) for reason in EARLY_REASONS})
    row["k5_extended"] = kpi.k5_extended
    row.update({f"k6_{kind}": kpi.k6_overdue.get(kind, 0) for kind in K6_KINDS})
    row.update(
        {
            "k7_mentor_sum": float(kpi.k7_mentors.total),
            "k7_mentor_n": kpi.k7_mentors.count,
            "k7_mentee_sum": float(kpi.k7_mentees.total),
            "k7_mentee_n": kpi.k7_mentees.count,
            "k8_over_cap": kpi.k8_over_cap,
            "k9_published": int(kpi.k9_published),
            "k10_submitted": kpi.k10_submitted,
            "k10_published": kpi.k10_published,
            "k10_has_published": int(kpi.k10_has_published),
            "k12_retained": kpi.k12_retained.numerator,
            "k12_former": kpi.k12_retained.denominator,
        }
    )
    # Open-ended breakdowns: mentors by load, roadmap stages by position.
    for load, count in sorted(kpi.k8_loads.items()):
        row[f"k8_load__{load}"] = count
    for position, (activities, done, overdue) in sorted(kpi.k11_stages.items()):
        row[f"k11_stage__{position}__activities"] = activities
        row[f"k11_stage__{position}__done"] = done
        row[f"k11_stage__{position}__overdue"] = overdue
    return row


def column_label(key: str) -> str:
    """The Russian name of a row key (fixed or open-ended)."""
    if key in META_COLUMNS:
        return META_COLUMNS[key]
    if key in INDICATOR_COLUMNS:
        return INDICATOR_COLUMNS[key]
    if key.startswith("k8_load__"):
        return f"К8: наставников с нагрузкой {key.removeprefix('k8_load__')} чел."
    if key.startswith("k11_stage__"):
        _, position, part = key.split("__")
        part_label = {"activities": "мероприятий", "done": "выполнено", "overdue": "просрочено"}[part]
        return f"К11: этап {position} — {part_label}"
    raise KeyError(key)


def ordered_columns(rows: list[dict]) -> list[str]:
    """Every key present in the rows, fixed columns first, open-ended ones in a stable order."""
    fixed = [*META_COLUMNS, *INDICATOR_COLUMNS]
    extra = {key for row in rows for key in row} - set(fixed)

    def sort_key(key: str):
        parts = key.split("__")
        return (parts[0], *(int(p) if p.isdigit() else p for p in parts[1:]))

    return fixed + sorted(extra, key=sort_key)
