"""Statistical exports of the monitoring: XLSX workbooks and CSV files of the indicators' inputs.

Public schema only. Rows come from the projections (`analytics.scope` + `analytics.kpi`, flattened
by `analytics.rows.organization_row`) or, for a campaign, from the figures its organizations
submitted (`CampaignSubmission.figures`, the same dicts), so a closed campaign exports exactly as it
was submitted. pandas adds the rows up per municipality and for the whole scope (sums of counts;
shares and means recomputed from the summed numerators and denominators, never averaged), and
openpyxl writes the workbook in write-only mode (a region of thousands of organizations in seconds).

Region-wide exports run in the background: `export_job_start()` records an `ExportJob` and queues
`analytics.build_export` after the commit; `build_export()` computes the rows in chunks, keeping
`processed`/`total` up to date for the progress bar, and stores the file in the job.
"""

from __future__ import annotations

import io
import logging
import math
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analytics.kpi import Mean, Period, Ratio, organization_kpis
from analytics.models import CampaignSubmission, ExportJob, MonitoringCampaign
from analytics.rows import META_COLUMNS, column_label, ordered_columns, organization_row
from analytics.scope import OrganizationRef, is_under, organizations_under
from analytics.snapshots import academic_year_of
from institutional.dates import organization_today
from nastavnik.xlsx import XLSX_CONTENT_TYPE
from tenants.models import Level, Organization, User

logger = logging.getLogger(__name__)

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {ExportJob.Format.XLSX: XLSX_CONTENT_TYPE, ExportJob.Format.CSV: CSV_CONTENT_TYPE}
# Organizations per `organization_kpis` call: the progress bar moves, memory stays flat.
CHUNK_SIZE = 250
MAX_PERIOD_DAYS = 5 * 366
EARLIEST_YEAR = 2000

STATUS_COLUMN = "submission_status"
ORGANIZATIONS_COLUMN = "organizations"
# Columns that are not counts: never summed.
TEXT_COLUMNS = frozenset({*META_COLUMNS, "k1_missing", STATUS_COLUMN})

# Indicators computed from the inputs: key → (label, kind, numerator column, denominator column).
# Kinds: "percent" (half-up to 0.1), "mean" (half-up to 0.01), "sum" (numerator columns added up).
DERIVED_COLUMNS = {
    "k1_percent": (
        "К1: доля организаций, внедряющих систему наставничества, %",
        "percent",
        "k1_implements",
        ORGANIZATIONS_COLUMN,
    ),
    "k2_percent": ("К2: вовлечённость педагогов, %", "percent", "k2_engaged", "k2_staff"),
    "k3_percent": ("К3: молодые специалисты с наставником, %", "percent", "k3_young_mentored", "k3_young"),
    "k4_total": ("К4: всего пар и групп", "sum", ("k4_network", "k4_local"), None),
    "k6_total": ("К6: всего просрочено", "sum", ("k6_appointment", "k6_program", "k6_report", "k6_roadmap"), None),
    "k7_mentor_mean": ("К7: удовлетворённость наставников, средний балл", "mean", "k7_mentor_sum", "k7_mentor_n"),
    "k7_mentee_mean": ("К7: удовлетворённость наставляемых, средний балл", "mean", "k7_mentee_sum", "k7_mentee_n"),
    "k9_percent": (
        "К9: доля организаций с опубликованным разделом, %",
        "percent",
        "k9_published",
        ORGANIZATIONS_COLUMN,
    ),
    "k10_percent": (
        "К10: доля организаций с опубликованной в периоде лучшей практикой, %",
        "percent",
        "k10_has_published",
        ORGANIZATIONS_COLUMN,
    ),
    "k11_done_percent": ("К11: выполнено мероприятий дорожных карт, %", "percent", "k11_done", "k11_activities"),
    "k12_percent": ("К12: закрепление бывших наставляемых, %", "percent", "k12_retained", "k12_former"),
}
# Shares of a set of organizations (meaningless for one organization's row).
TOTALS_ONLY = ("k1_percent", "k9_percent", "k10_percent")
EXTRA_LABELS = {
    STATUS_COLUMN: "Статус сведений",
    ORGANIZATIONS_COLUMN: "Организаций",
    "total_name": "Муниципалитет / итог",
    "k11_activities": "К11: мероприятий всего",
    "k11_done": "К11: выполнено всего",
}

# The cover sheet: every indicator's formula (docs/kpi.md).
FORMULAS = {
    "К1 — организации, внедряющие систему наставничества (цель — 100 %)": (
        "К1 = организации, у которых в периоде выполнены все четыре условия / все организации × 100 %. "
        "Условия: положение о наставничестве утверждено приказом не позднее конца периода; утверждена дорожная "
        "карта на учебный год периода; куратор назначен не позднее конца периода; действует хотя бы одна "
        "утверждённая пара или группа."
    ),
    "К2 — вовлечённость педагогических работников": (
        "К2 = педагоги, работавшие в периоде и бывшие наставником или наставляемым в паре (группе), действовавшей "
        "в периоде / педагоги, работавшие в периоде × 100 %. Каждый педагог учитывается один раз."
    ),
    "К3 — молодые специалисты с наставником": (
        "К3 = молодые специалисты (стаж менее 3 лет), работавшие в периоде и бывшие наставляемыми в паре, "
        "действовавшей в периоде / молодые специалисты, работавшие в периоде × 100 %."
    ),
    "К4 — пары и группы по формам и видам": (
        "Число пар и групп, действовавших в периоде: по формам (у каждой одна форма), по видам (пара с несколькими "
        "видами учитывается в каждом из них), сетевые (наставник из другой организации) и внутри организации."
    ),
    "К5 — программы": (
        "Действует — пары периода с персонализированной программой; выполнено в полном объёме — пары, завершённые "
        "в периоде с выполнением программы; завершено досрочно — по основаниям; продлено — программы, продлённые "
        "по соглашению сторон."
    ),
    "К6 — просрочки": (
        "Наставляемые без наставника сверх срока назначения, программы, не составленные в срок, итоговые отчёты, "
        "не сданные в срок, просроченные мероприятия дорожной карты — на дату последнего пересчёта данных "
        "организации (столбец «Данные на дату»); от периода не зависят."
    ),
    "К7 — удовлетворённость наставников и наставляемых": (
        "К7 = сумма баллов (1–5) итоговых анкет наставников (наставляемых) по парам, завершённым в периоде / "
        "число этих анкет, с точностью до сотых. В итогах — сумма баллов / число анкет, а не среднее средних."
    ),
    "К8 — нагрузка наставников": (
        "Распределение наставников банка по числу наставляемых на дату пересчёта и число наставников сверх "
        "предельной нагрузки по положению (должно быть 0)."
    ),
    "К9 — организации с опубликованным разделом «Наставничество»": (
        "К9 = организации, раздел которых показывает утверждённое положение и дорожную карту учебного года "
        "периода / все организации × 100 %."
    ),
    "К10 — лучшие практики: направлено и опубликовано": (
        "Направлено — кейсы лучших практик организации, впервые направленные на рассмотрение в периоде; "
        "опубликовано — кейсы, опубликованные в региональном банке практик в периоде (даты — по часовому "
        "поясу организации). В итогах — суммы по организациям и доля организаций, у которых в периоде "
        "опубликован хотя бы один кейс, от всех организаций × 100 %."
    ),
    "К11 — выполнение дорожных карт по этапам": (
        "По каждому номеру этапа утверждённых дорожных карт учебных лет периода: мероприятий, выполнено, "
        "просрочено; доля выполнения = выполнено / мероприятий × 100 %."
    ),
    "К12 — закрепление бывших наставляемых": (
        "К12 = бывшие наставляемые, работающие через 365 дней после окончания участия (не уволены или уволены "
        "позже) / бывшие наставляемые, чьё участие в завершённой паре окончилось в день D, где D + 365 дней "
        "приходится на период × 100 %."
    ),
    "Общие правила": (
        "Доли — в процентах с одним знаком после запятой (округление половины вверх). Итоги по муниципалитету и "
        "региону складывают числители и знаменатели, доли итогов пересчитываются из сумм и не усредняются."
    ),
}

# Sheets of breakdowns: title → the row keys (prefixes end with "__") and derived columns shown.
BREAKDOWN_SHEETS = {
    "К4 формы и виды": ["k4_form__", "k4_kind__", "k4_network", "k4_local", "k4_total"],
    "К5 программы": ["k5_active", "k5_completed", "k5_early__", "k5_extended"],
    "К6 просрочки": ["k6_appointment", "k6_program", "k6_report", "k6_roadmap", "k6_total"],
    "К7 удовлетворённость": [
        "k7_mentor_sum",
        "k7_mentor_n",
        "k7_mentor_mean",
        "k7_mentee_sum",
        "k7_mentee_n",
        "k7_mentee_mean",
    ],
    "К8 нагрузка": ["k8_load__", "k8_over_cap"],
    "К11 этапы": ["k11_stage__", "k11_activities", "k11_done", "k11_done_percent"],
}
IDENTITY_COLUMNS = ["short_name", "code", "parent_name"]


class ExportError(Exception):
    """A reason an export cannot be built, in Russian, without personal data."""


def column_title(key: str) -> str:
    """The Russian header of any column of an export."""
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    if key in DERIVED_COLUMNS:
        return DERIVED_COLUMNS[key][0]
    try:
        return column_label(key)
    except KeyError:  # a key a newer row format added: shown as it is
        return key


# --- rows ---------------------------------------------------------------------------------------


def _refs_rows(refs: list[OrganizationRef], period: Period, progress=None) -> list[dict]:
    rows = []
    for start in range(0, len(refs), CHUNK_SIZE):
        chunk = refs[start : start + CHUNK_SIZE]
        with transaction.atomic():
            kpis = organization_kpis([ref.id for ref in chunk], period)
        rows.extend(organization_row(ref, kpis[ref.id]) for ref in chunk)
        if progress is not None:
            progress(len(rows))
    return rows


def scope_rows(scope: Organization, period: Period) -> list[dict]:
    """A row of every indicator's inputs for each organization under the scope, by municipality and name."""
    return _refs_rows(organizations_under(scope), period)


def _submissions(campaign: MonitoringCampaign, scope: Organization | None):
    submissions = CampaignSubmission.objects.filter(campaign=campaign)
    if scope is not None and scope.level == Level.MUNICIPALITY:
        submissions = submissions.filter(parent=scope)
    elif scope is not None and scope.level == Level.ORGANIZATION:
        submissions = submissions.filter(organization=scope)
    return submissions


def campaign_rows(campaign: MonitoringCampaign, *, scope: Organization | None = None) -> list[dict]:
    """The figures the organizations submitted in a campaign, as stored, with the status of each."""
    labels = dict(CampaignSubmission.Status.choices)
    rows = []
    for status, figures in _submissions(campaign, scope).values_list("status", "figures"):
        row = dict(figures)
        row[STATUS_COLUMN] = labels.get(status, status)
        rows.append(row)
    rows.sort(key=lambda row: (str(row.get("parent_name", "")), str(row.get("short_name", ""))))
    return rows


def export_columns(rows: list[dict]) -> list[str]:
    """The columns of the organizations' sheet: identity, submission status, inputs, open-ended breakdowns."""
    keys = [key for key in ordered_columns(rows) if key != STATUS_COLUMN]
    if any(STATUS_COLUMN in row for row in rows):
        keys.insert(len(META_COLUMNS), STATUS_COLUMN)
    return keys


# --- frames -------------------------------------------------------------------------------------


def _count_columns(columns: list[str]) -> list[str]:
    return [key for key in columns if key not in TEXT_COLUMNS]


def _frame(rows: list[dict]) -> tuple[pd.DataFrame, list[str]]:
    """The rows as a frame with every column; counts numeric (a missing count is 0)."""
    columns = export_columns(rows)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for key in columns:
        if key in TEXT_COLUMNS:
            frame[key] = frame[key].astype(object).where(frame[key].notna(), "")
            continue
        try:
            values = pd.to_numeric(frame[key].fillna(0), errors="raise")
        except (TypeError, ValueError) as error:
            raise ExportError(f"в столбце «{column_title(key)}» есть нечисловое значение") from error
        if values.dtype.kind == "f" and (values % 1 == 0).all():
            values = values.astype("int64")  # counts that were missing in some rows
        frame[key] = values
    stages = [key for key in columns if key.startswith("k11_stage__")]
    frame["k11_activities"] = frame[[k for k in stages if k.endswith("__activities")]].sum(axis=1)
    frame["k11_done"] = frame[[k for k in stages if k.endswith("__done")]].sum(axis=1)
    return frame, columns


def _percent(numerator, denominator) -> float | None:
    value = Ratio(int(numerator), int(denominator)).percent
    return None if value is None else float(value)


def _mean(total, count) -> float | None:
    value = Mean(Decimal(str(total)), int(count)).value
    return None if value is None else float(value)


def _add_derived(frame: pd.DataFrame, *, totals: bool) -> None:
    """Shares and means from the inputs of each row (a row may be a sum of organizations)."""
    for key, (_label, kind, numerator, denominator) in DERIVED_COLUMNS.items():
        if key in TOTALS_ONLY and not totals:
            continue
        if kind == "sum":
            frame[key] = frame[list(numerator)].sum(axis=1)
            continue
        compute = _percent if kind == "percent" else _mean
        frame[key] = [compute(n, d) for n, d in zip(frame[numerator], frame[denominator], strict=True)]


def _totals(frame: pd.DataFrame, counts: list[str], total_name: str) -> pd.DataFrame:
    """A row per municipality (parent) and the total of the scope: counts summed, shares recomputed."""
    sums = [*counts, "k11_activities", "k11_done"]
    grouped = frame.assign(**{ORGANIZATIONS_COLUMN: 1}).groupby(["parent_name", "parent_id"], sort=True)
    per_parent = grouped[[ORGANIZATIONS_COLUMN, *sums]].sum().reset_index()
    per_parent["total_name"] = per_parent["parent_name"]
    overall = {"total_name": total_name, "parent_name": "", "parent_id": None, ORGANIZATIONS_COLUMN: len(frame)}
    overall.update({key: frame[key].sum() for key in sums})
    table = pd.concat([per_parent, pd.DataFrame([overall])], ignore_index=True)
    table[sums] = table[sums].fillna(0)
    _add_derived(table, totals=True)
    return table


# --- files --------------------------------------------------------------------------------------


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOTAL_FONT = Font(bold=True)
WIDE_COLUMNS = {"short_name": 40, "parent_name": 28, "total_name": 40, "k1_missing": 50, STATUS_COLUMN: 24}


def _cell_xml(reference: str, value, style: str) -> str:
    """One cell of a sheet's XML (the same markup openpyxl writes in write-only mode); "" for an empty one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return ""
        return f'<c r="{reference}"{style}><v>{value!r}</v></c>'
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text:
        return ""
    # Always a string, never a formula: a value starting with "=" stays text.
    return f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _rows_xml(body: list[list], *, first_row: int, columns: int, style_id: int | None = None) -> str:
    letters = [get_column_letter(index) for index in range(1, columns + 1)]
    style = f' s="{style_id}"' if style_id else ""
    parts = []
    for number, values in enumerate(body, start=first_row):
        cells = "".join(
            _cell_xml(f"{letter}{number}", value, style) for letter, value in zip(letters, values, strict=False)
        )
        parts.append(f'<row r="{number}">{cells}</row>')
    return "".join(parts)


def _write_table(
    workbook: Workbook, title: str, columns: list[str], body: list[list], *, bold_from: int | None = None
) -> tuple[str, str]:
    """A sheet with a bold wrapped header, frozen header row and first column, and fixed column widths.

    openpyxl writes the sheet and its header; the body rows are returned as XML (the worksheet's
    path and its rows) and spliced in by `_splice_rows`: per-cell openpyxl objects would cost seconds
    on a region of thousands of organizations.
    """
    sheet = workbook.create_sheet(title=title[:31])
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDE_COLUMNS.get(key, 16)
    sheet.freeze_panes = "B2"
    header = []
    for key in columns:
        cell = WriteOnlyCell(sheet, value=column_title(key))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    bold = WriteOnlyCell(sheet)
    bold.font = TOTAL_FONT  # registers the style in the workbook
    split = len(body) if bold_from is None else bold_from
    xml = _rows_xml(body[:split], first_row=2, columns=len(columns)) + _rows_xml(
        body[split:], first_row=2 + split, columns=len(columns), style_id=bold.style_id
    )
    return f"xl/worksheets/sheet{len(workbook.worksheets)}.xml", xml


def _splice_rows(content: bytes, bodies: dict[str, str]) -> bytes:
    """Put each sheet's body rows after its header row in the saved workbook."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in bodies:
                marker = b"</sheetData>"
                if marker not in data:
                    raise RuntimeError(f"no sheet data in {item.filename}")
                data = data.replace(marker, bodies[item.filename].encode() + marker, 1)
            target.writestr(item, data)
    return buffer.getvalue()


def _cover(workbook: Workbook, facts: list[tuple[str, str]]) -> None:
    sheet = workbook.create_sheet(title="Титульный лист")
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 120
    wrap = Alignment(wrap_text=True, vertical="top")
    for label, value in facts:
        first = WriteOnlyCell(sheet, value=label)
        first.font = Font(bold=True)
        first.alignment = wrap
        second = WriteOnlyCell(sheet, value=value)
        second.alignment = wrap
        sheet.append([first, second])


def _values(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return frame[columns].astype(object).where(frame[columns].notna(), None).values.tolist()


def workbook_bytes(
    rows: list[dict],
    *,
    title: str,
    scope_name: str,
    period_start: date,
    period_end: date,
    reporting_date: date,
    note: str = "",
) -> bytes:
    """The workbook: cover sheet, organizations, totals per municipality and overall, a sheet per breakdown."""
    frame, columns = _frame(rows)
    counts = _count_columns(columns)
    _add_derived(frame, totals=False)
    total_name = f"Итого: {scope_name}"
    totals = _totals(frame, counts, total_name)

    workbook = Workbook(write_only=True)
    generated = timezone.localtime()
    _cover(
        workbook,
        [
            (title, ""),
            ("Охват", scope_name),
            ("Период", f"с {period_start:%d.%m.%Y} по {period_end:%d.%m.%Y}"),
            ("Отчётная дата", f"{reporting_date:%d.%m.%Y}"),
            ("Сформировано", f"{generated:%d.%m.%Y %H:%M %Z}"),
            ("Организаций", str(len(frame))),
            ("Примечание", note),
            ("", ""),
            ("Формулы показателей", ""),
            *FORMULAS.items(),
        ],
    )

    derived_org = [key for key in DERIVED_COLUMNS if key not in TOTALS_ONLY]
    org_columns = [*columns, *derived_org]
    bodies = dict([_write_table(workbook, "Организации", org_columns, _values(frame, org_columns))])

    total_columns = ["total_name", ORGANIZATIONS_COLUMN, *counts, *DERIVED_COLUMNS]
    path, xml = _write_table(
        workbook, "Итоги", total_columns, _values(totals, total_columns), bold_from=len(totals) - 1
    )
    bodies[path] = xml

    for sheet_title, wanted in BREAKDOWN_SHEETS.items():
        keys = [
            key
            for pattern in wanted
            for key in ([k for k in counts if k.startswith(pattern)] if pattern.endswith("__") else [pattern])
        ]
        body = _values(frame, [*IDENTITY_COLUMNS, *keys])
        blank = [None] * (len(IDENTITY_COLUMNS) + len(keys))
        total_body = [
            [name if name == total_name else f"Итого: {name}", "", parent or "", *values]
            for name, parent, *values in _values(totals, ["total_name", "parent_name", *keys])
        ]
        path, xml = _write_table(
            workbook,
            sheet_title,
            [*IDENTITY_COLUMNS, *keys],
            [*body, blank, *total_body],
            bold_from=len(body) + 1,
        )
        bodies[path] = xml

    buffer = io.BytesIO()
    workbook.save(buffer)
    return _splice_rows(buffer.getvalue(), bodies)


def csv_bytes(rows: list[dict]) -> bytes:
    """The organizations' rows as CSV for Excel in Russian: UTF-8 with BOM, ';' separator, decimal comma."""
    frame, columns = _frame(rows)
    _add_derived(frame, totals=False)
    org_columns = [*columns, *(key for key in DERIVED_COLUMNS if key not in TOTALS_ONLY)]
    text = frame[org_columns].to_csv(sep=";", index=False, header=[column_title(k) for k in org_columns], decimal=",")
    return text.encode("utf-8-sig")


# --- periods and scopes -------------------------------------------------------------------------


def period_check(period_start: date | None, period_end: date | None) -> Period:
    """The period of an export, or a ValidationError saying in Russian what is wrong with it."""
    if period_start is None or period_end is None:
        raise ValidationError("Укажите начало и окончание периода.")
    if period_start > period_end:
        raise ValidationError("Начало периода не может быть позже его окончания.")
    if period_start.year < EARLIEST_YEAR:
        raise ValidationError(f"Период не может начинаться раньше {EARLIEST_YEAR} года.")
    if period_end - period_start > timedelta(days=MAX_PERIOD_DAYS):
        raise ValidationError("Период выгрузки не может быть длиннее пяти лет.")
    return Period(period_start, period_end)


def scope_today(scope: Organization) -> date:
    """Today in the region's time zone."""
    return organization_today(scope.region)


def current_academic_year(scope: Organization) -> int:
    return academic_year_of(scope_today(scope))


def scope_title(scope: Organization) -> str:
    return f"{scope.short_name} ({scope.get_level_display().lower()})"


def export_scopes(host: Organization) -> list[Organization]:
    """What a host may export as a job: itself and, on a region's host, each of its municipalities."""
    from analytics.scope import municipalities_of

    scopes = [host]
    if host.level == Level.REGION:
        scopes.extend(municipalities_of(host))
    return scopes


def access_export_organization(*, host: Organization, organization_id: int) -> Organization:
    """An educational organization under the host, or 404 (missing and outside look the same)."""
    organization = Organization.objects.filter(pk=organization_id, level=Level.ORGANIZATION).first()
    if organization is None or organization.pk == host.pk or not is_under(host, organization.pk):
        raise Http404("Организация не найдена")
    return organization


# --- jobs ---------------------------------------------------------------------------------------


def export_job_start(
    *,
    actor: User | None,
    scope: Organization,
    format: str = ExportJob.Format.XLSX,
    period_start: date,
    period_end: date,
    campaign: MonitoringCampaign | None = None,
) -> ExportJob:
    """Record an export of the scope's organizations (or of a campaign's figures) and queue it after the commit.

    The caller has checked that the actor may see the scope (the host's own scope or below it).
    """
    if format not in ExportJob.Format.values:
        raise ValidationError({"format": "Выберите формат выгрузки: XLSX или CSV."})
    period_check(period_start, period_end)
    if campaign is not None and campaign.region_id != scope.region.pk:
        raise ValidationError({"campaign": "Кампания мониторинга проводится в другом регионе."})
    with transaction.atomic():
        job = ExportJob.objects.create(
            scope=scope,
            requested_by=actor,
            format=format,
            period_start=period_start,
            period_end=period_end,
            campaign=campaign,
        )

        def send():
            from analytics.tasks import build_export as build_export_task

            build_export_task.delay(job.pk)

        transaction.on_commit(send)
    return job


def _file_name(job: ExportJob) -> str:
    if job.campaign_id:
        name = f"Мониторинг наставничества {job.scope.code} кампания {job.campaign.academic_year}-{job.campaign.academic_year + 1}"
    else:
        name = f"Мониторинг наставничества {job.scope.code} {job.period_start:%d.%m.%Y}-{job.period_end:%d.%m.%Y}"
    return f"{name}.{job.format}"


def _campaign_note(campaign: MonitoringCampaign) -> str:
    if campaign.status == MonitoringCampaign.Status.CLOSED and campaign.closed_at:
        closed = timezone.localtime(campaign.closed_at)
        return (
            f"Сведения зафиксированы при закрытии кампании «{campaign.title}» {closed:%d.%m.%Y}: "
            "строки приведены в том виде, в каком организации их сдали (или как они были на момент закрытия)."
        )
    return (
        f"Кампания «{campaign.title}» ещё идёт: в выгрузке сведения, сданные организациями к моменту её формирования."
    )


def _reporting_date(job: ExportJob) -> date:
    if job.campaign_id and job.campaign.closed_at:
        return timezone.localtime(job.campaign.closed_at).date()
    return min(scope_today(job.scope), job.period_end)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str
    content_type: str


def export_file(
    rows: list[dict],
    *,
    file_format: str,
    title: str,
    scope_name: str,
    period_start: date,
    period_end: date,
    reporting_date: date,
    note: str = "",
    file_name: str,
) -> ExportFile:
    if file_format == ExportJob.Format.CSV:
        content = csv_bytes(rows)
    else:
        content = workbook_bytes(
            rows,
            title=title,
            scope_name=scope_name,
            period_start=period_start,
            period_end=period_end,
            reporting_date=reporting_date,
            note=note,
        )
    return ExportFile(content=content, file_name=file_name, content_type=CONTENT_TYPES[file_format])


LIVE_NOTE = (
    "Данные рассчитаны по сведениям платформы; К6 и К8 — на дату последнего пересчёта данных организации "
    "(столбец «Данные на дату»)."
)
TITLE = "Мониторинг системы наставничества педагогических работников"


def organization_export(
    *, organization: Organization, period: Period, file_format: str = ExportJob.Format.XLSX
) -> ExportFile:
    """One organization's export, built at once (no job)."""
    if file_format not in ExportJob.Format.values:
        raise ValidationError({"format": "Выберите формат выгрузки: XLSX или CSV."})
    rows = scope_rows(organization, period)
    return export_file(
        rows,
        file_format=file_format,
        title=TITLE,
        scope_name=organization.short_name,
        period_start=period.start,
        period_end=period.end,
        reporting_date=min(scope_today(organization), period.end),
        note=LIVE_NOTE,
        file_name=(
            f"Мониторинг наставничества {organization.code} {period.start:%d.%m.%Y}-{period.end:%d.%m.%Y}.{file_format}"
        ),
    )


def _job_progress(job_id: int, **values) -> None:
    ExportJob.objects.filter(pk=job_id).update(**values)


FAILED_MESSAGE = "Не удалось сформировать выгрузку из-за внутренней ошибки. Повторите запрос позже; если ошибка повторится, сообщите администратору платформы."


def build_export(job_id: int) -> ExportJob | None:
    """Build the job's file; a done job is left alone. Failures are stored in the job, never raised."""
    job = ExportJob.objects.select_related("scope", "campaign").defer("content").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return job
    _job_progress(job_id, status=ExportJob.Status.RUNNING, processed=0, error="", finished_at=None)
    try:
        if job.campaign_id:
            with transaction.atomic():
                rows = campaign_rows(job.campaign, scope=job.scope)
            note, title = _campaign_note(job.campaign), f"{TITLE}: {job.campaign.title}"
            _job_progress(job_id, total=len(rows) + 1, processed=len(rows))
        else:
            refs = organizations_under(job.scope)
            _job_progress(job_id, total=len(refs) + 1)
            rows = _refs_rows(
                refs,
                Period(job.period_start, job.period_end),
                progress=lambda done: _job_progress(job_id, processed=done),
            )
            note, title = LIVE_NOTE, TITLE
        built = export_file(
            rows,
            file_format=job.format,
            title=title,
            scope_name=scope_title(job.scope),
            period_start=job.period_start,
            period_end=job.period_end,
            reporting_date=_reporting_date(job),
            note=note,
            file_name=_file_name(job),
        )
    except ExportError as error:
        _job_progress(
            job_id,
            status=ExportJob.Status.FAILED,
            error=f"Не удалось сформировать выгрузку: {error}.",
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("export job %s failed", job_id)
        _job_progress(job_id, status=ExportJob.Status.FAILED, error=FAILED_MESSAGE, finished_at=timezone.now())
    else:
        total = len(rows) + 1
        _job_progress(
            job_id,
            status=ExportJob.Status.DONE,
            content=built.content,
            file_name=built.file_name,
            total=total,
            processed=total,
            finished_at=timezone.now(),
        )
    return ExportJob.objects.defer("content").get(pk=job_id)


# --- selectors ----------------------------------------------------------------------------------


def export_job_list(*, host: Organization, limit: int = 20) -> list[ExportJob]:
    """Recent jobs of the host and of the scopes below it, newest first (without their files)."""
    return list(
        ExportJob.objects.filter(Q(scope=host) | Q(scope__parent=host))
        .select_related("scope")
        .defer("content")
        .order_by("-created_at", "-pk")[:limit]
    )


def access_export_job(*, host: Organization, job_id: int) -> ExportJob:
    """A job of the host's scope or below it; 404 for a missing job and for anyone else's alike."""
    job = ExportJob.objects.select_related("scope").defer("content").filter(pk=job_id).first()
    if job is None or not is_under(host, job.scope_id):
        raise Http404("Выгрузка не найдена")
    return job


def export_job_content(job: ExportJob) -> bytes:
    content = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).first()
    return bytes(content or b"")


def job_content_type(job: ExportJob) -> str:
    return CONTENT_TYPES.get(job.format, XLSX_CONTENT_TYPE)
