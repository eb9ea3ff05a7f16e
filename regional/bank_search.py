"""Read path of the unified regional mentor bank: search and cards (public schema table only).

Everything here reads `regional.BankMentor` (and the load ledger `regional.MentorLoad`); no request
ever touches a tenant schema. Reachable from a tenant connection too (search_path tenant, public).

Who sees what (the viewer is the organization whose host is used, of any level):
- rows shown to the region are visible to every organization of the same region;
- rows shown to the municipality are visible to that municipality's host and its organizations;
  for organizations of regional subordination (directly under the region) «their municipality» is
  the group of such organizations together with the region's host;
- nothing of another region, ever.

The search itself is one hand-written statement per page, which also carries the total found, not
an ORM queryset: at 30,000 listed mentors the ORM's compilation of the same query cost more than
running it, and the statement joins the organizations and the load ledger only to the 25 rows of
the page (docs/benchmarks.md, «Regional mentor bank»). `BankSearchResult.page()` gives a Django
`Page`; the result is also a sequence (count, slices, iteration).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import Http404

from regional.models import BankMentor
from tenants.models import Level, Organization, OrganizationKind

# `municipality_id` value that stands for the organizations of regional subordination.
REGIONAL_SUBORDINATION = 0
MAX_QUERY_LENGTH = 200
MAX_EXPERIENCE = Decimal("99.9")
# A page number beyond any real result (a larger one is read as the last page).
MAX_PAGE = 100_000


# --- visibility ---------------------------------------------------------------------------------


def region_id_of(viewer: Organization) -> int:
    if viewer.level == Level.REGION:
        return viewer.pk
    if viewer.level == Level.MUNICIPALITY or viewer.parent.level == Level.REGION:
        return viewer.parent_id
    return viewer.parent.parent_id


def municipality_group_of(viewer: Organization) -> int | None:
    """The municipality whose «municipality» rows the viewer sees; None for regional subordination."""
    if viewer.level == Level.MUNICIPALITY:
        return viewer.pk
    if viewer.level == Level.ORGANIZATION and viewer.parent.level == Level.MUNICIPALITY:
        return viewer.parent_id
    return None


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankFilters:
    query: str = ""
    subject: str = ""
    competency: str = ""
    tag: str = ""
    municipality_id: int | None = None
    organization_kind: str = ""
    min_experience: Decimal | None = None
    has_free_capacity: bool = False

    def as_kwargs(self) -> dict:
        return dict(vars(self))


def _text(params, name: str) -> str:
    value = str(params.get(name, "")).replace("\x00", "")
    return " ".join(value.split())[:MAX_QUERY_LENGTH]


def parse_filters(params) -> BankFilters:
    """Filters from query parameters (a page's or the API's); bad values → ValidationError in Russian.

    Parameters: q, subject, competency, tag, municipality (id; 0 — regional subordination),
    kind (type of organization), experience (minimum pedagogical years), free (1/true).
    """
    errors = {}
    municipality_id = None
    raw = str(params.get("municipality", "")).strip()
    if raw:
        if not raw.isdigit() or len(raw) > 15:
            errors["municipality"] = "Муниципалитет указан неверно: ожидается номер из списка."
        else:
            municipality_id = int(raw)
    kind = str(params.get("kind", "")).strip()
    if kind and kind not in OrganizationKind.values:
        errors["kind"] = "Неизвестный тип организации: выберите тип из списка."
    experience = None
    raw = str(params.get("experience", "")).strip().replace(",", ".")
    if raw:
        try:
            experience = Decimal(raw)
        except InvalidOperation:
            experience = None
        if experience is None or not experience.is_finite():
            errors["experience"] = "Стаж укажите числом лет, например 5 или 2,5."
            experience = None
        elif not Decimal(0) <= experience <= MAX_EXPERIENCE:
            errors["experience"] = "Стаж — от 0 до 99,9 года."
            experience = None
    free = str(params.get("free", "")).strip().lower()
    if free not in ("", "0", "1", "true", "false", "on"):
        errors["free"] = "Отметка «есть свободные места» принимает значения 1 или 0."
    if errors:
        raise ValidationError(errors)
    return BankFilters(
        query=_text(params, "q"),
        subject=_text(params, "subject"),
        competency=_text(params, "competency"),
        tag=_text(params, "tag"),
        municipality_id=municipality_id,
        organization_kind=kind,
        min_experience=experience,
        has_free_capacity=free in ("1", "true", "on"),
    )


def _visibility_sql(viewer: Organization) -> tuple[str, list]:
    group = municipality_group_of(viewer)
    municipal = "b.municipality_id = %s" if group is not None else "b.municipality_id IS NULL"
    sql = f"b.region_id = %s AND (b.visibility = %s OR (b.visibility = %s AND {municipal}))"
    params = [region_id_of(viewer), BankMentor.Visibility.REGION, BankMentor.Visibility.MUNICIPALITY]
    return sql, params + ([group] if group is not None else [])


# Mentees now (here and in network pairs elsewhere) of a row's mentor; no ledger row means none.
_TAKEN_SQL = (
    "COALESCE((SELECT l.local_mentees + l.network_mentees FROM regional_mentorload l"
    " WHERE l.organization_id = b.organization_id AND l.mentor_entry_id = b.mentor_entry_id), 0)"
)
_TSQUERY_SQL = "websearch_to_tsquery('russian', %s)"
# Every column of a row but the full-text vector, which the pages never show.
_COLUMNS = [field for field in BankMentor._meta.concrete_fields if field.name != "search"]


_BY_NAME = "NULLIF(b.full_name, '') ASC NULLS LAST, b.id ASC"


class BankSearchResult:
    """The mentors a search finds: `count()`, slices (one statement each), iteration.

    Each mentor is a `BankMentor` with `taken` (mentees now, in every organization), `free`
    (seats left, never negative), `rank` (relevance, when a text was searched), and its
    `organization` and `municipality` loaded with their names.
    """

    def __init__(self, where: list[str], params: list, *, rank_query: str = ""):
        self._where = " AND ".join(where)
        self._params = params
        self._rank_query = rank_query
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            sql = f"SELECT count(*) FROM regional_bankmentor b WHERE {self._where}"  # noqa: S608 - constants
            with connection.cursor() as cursor:
                cursor.execute(sql, self._params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self._fetch(None, 0))

    def __getitem__(self, key):
        if isinstance(key, int):
            found = self._fetch(1, key) if key >= 0 else []
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop = key.start or 0, key.stop
        if key.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("only forward slices with non-negative bounds")
        if stop is not None and stop <= start:
            return []
        return self._fetch(None if stop is None else stop - start, start)

    def page(self, number: int, per_page: int) -> Page:
        """Page `number` (from 1; past the end: the last one) with the total, in one statement."""
        number = min(max(int(number), 1), MAX_PAGE)
        rows = self._fetch(per_page, (number - 1) * per_page)
        if not rows and number > 1:
            number = max(-(-self.count() // per_page), 1)
            rows = self._fetch(per_page, (number - 1) * per_page)
        elif not rows:
            self._count = 0
        paginator = Paginator(self, per_page)
        paginator.count = self.count()  # known from the page's own statement: no second query
        return Page(rows, number, paginator)

    def _fetch(self, limit: int | None, offset: int) -> list[BankMentor]:
        ranked = bool(self._rank_query)
        rank = f"ts_rank(b.search, {_TSQUERY_SQL})" if ranked else "NULL::real"
        page = ("" if limit is None else f" LIMIT {int(limit)}") + (f" OFFSET {int(offset)}" if offset else "")
        columns = ", ".join(f"b.{field.column}" for field in _COLUMNS)
        # The page is cut first (its rows carry the total found); only they are joined to the ledger
        # and the organizations.
        sql = (
            f"SELECT {columns}, p.rank, {_TAKEN_SQL} AS taken, o.short_name, o.full_name, m.short_name, p.total"  # noqa: S608
            f" FROM (SELECT b.id, {rank} AS rank, count(*) OVER () AS total FROM regional_bankmentor b"
            f" WHERE {self._where} ORDER BY {'rank DESC, ' if ranked else ''}{_BY_NAME}{page}) p"
            " JOIN regional_bankmentor b ON b.id = p.id"
            " JOIN tenants_organization o ON o.id = b.organization_id"
            " LEFT JOIN tenants_organization m ON m.id = b.municipality_id"
            f" ORDER BY {'p.rank DESC, ' if ranked else ''}{_BY_NAME}"
        )
        params = [self._rank_query] if ranked else []
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *self._params])
            rows = cursor.fetchall()
        if rows:
            self._count = rows[0][-1]
        return [_mentor(row) for row in rows]


_ATTNAMES = [field.attname for field in _COLUMNS]
_ORGANIZATION_FIELDS = ["id", "short_name", "full_name"]


def _mentor(row) -> BankMentor:
    """A row of the page as a model instance (positional construction: 25 of them cost nothing)."""
    count = len(_COLUMNS)
    mentor = BankMentor.from_db(None, _ATTNAMES, row[:count])
    rank, taken, organization_short, organization_full, municipality_short, _total = row[count:]
    cached = mentor._state.fields_cache
    cached["organization"] = Organization.from_db(
        None, _ORGANIZATION_FIELDS, (mentor.organization_id, organization_short, organization_full)
    )
    cached["municipality"] = (
        Organization.from_db(None, _ORGANIZATION_FIELDS, (mentor.municipality_id, municipality_short, ""))
        if mentor.municipality_id is not None
        else None
    )
    mentor.rank, mentor.taken = rank, taken
    mentor.free = max(mentor.capacity - taken, 0)
    return mentor


def bank_search(
    *,
    viewer: Organization,
    query: str = "",
    subject: str = "",
    competency: str = "",
    tag: str = "",
    municipality_id: int | None = None,
    organization_kind: str = "",
    min_experience: Decimal | None = None,
    has_free_capacity: bool = False,
    bank_mentor_id: int | None = None,
) -> BankSearchResult:
    """Mentors of the bank visible to `viewer` that match every given filter, with their free seats.

    `query` is full text in Russian with word forms («математика» finds «математике»); the order
    is by relevance when it is given, otherwise by name (unnamed last). `competency` is full text
    over the competencies alone (the A part of the row's vector, see regional.bank); `subject` and
    `tag` are exact values of the row's lists (GIN indexes); `min_experience` is in pedagogical
    years; `has_free_capacity` keeps mentors with capacity left after their current mentees.
    """
    visibility, params = _visibility_sql(viewer)
    where = [visibility]
    if query:
        where.append(f"b.search @@ {_TSQUERY_SQL}")
        params.append(query)
    if competency:
        # The whole vector first (its index narrows the rows), then its competencies part alone.
        where.append(f"b.search @@ {_TSQUERY_SQL} AND ts_filter(b.search, '{{a}}') @@ {_TSQUERY_SQL}")
        params += [competency, competency]
    if subject:
        where.append("b.subjects @> ARRAY[%s]::varchar(100)[]")
        params.append(subject)
    if tag:
        where.append("b.tags @> ARRAY[%s]::varchar(60)[]")
        params.append(tag)
    if municipality_id is not None:
        if municipality_id == REGIONAL_SUBORDINATION:
            where.append("b.municipality_id IS NULL")
        else:
            where.append("b.municipality_id = %s")
            params.append(municipality_id)
    if organization_kind:
        where.append("b.organization_kind = %s")
        params.append(organization_kind)
    if min_experience is not None:
        where.append("b.pedagogical_experience_years >= %s")
        params.append(min_experience)
    if has_free_capacity:
        where.append(f"b.capacity > {_TAKEN_SQL}")
    if bank_mentor_id is not None:
        where.append("b.id = %s")
        params.append(bank_mentor_id)
    return BankSearchResult(where, params, rank_query=query)


def access_bank_mentor(*, viewer: Organization, bank_mentor_id: int) -> BankMentor:
    """A row visible to `viewer`, with its free seats; "not found" for missing and invisible alike."""
    found = bank_search(viewer=viewer, bank_mentor_id=int(bank_mentor_id))[:1]
    if not found:
        raise Http404("Наставник не найден в банке.")
    return found[0]


# --- choices of the search form -------------------------------------------------------------------

# The subjects and tags offered by the form are kept this long (seconds) per group of viewers: they
# take a scan of every visible row, and a new subject may well wait a minute to appear in the list.
CHOICES_SECONDS = 60


def search_choices(viewer: Organization) -> tuple[list[str], list[str]]:
    """(subjects, tags) of the rows visible to the viewer, sorted; one statement, then kept a minute."""
    visibility, params = _visibility_sql(viewer)
    key = "regional.bank.choices:" + ":".join(str(value) for value in params)
    cached = cache.get(key)
    if cached is not None:
        return cached
    sql = (
        f"SELECT DISTINCT 's', unnest(b.subjects) FROM regional_bankmentor b WHERE {visibility}"  # noqa: S608
        f" UNION ALL SELECT DISTINCT 't', unnest(b.tags) FROM regional_bankmentor b WHERE {visibility}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        rows = cursor.fetchall()
    subjects = sorted((value for kind, value in rows if kind == "s"), key=str.casefold)
    tags = sorted((value for kind, value in rows if kind == "t"), key=str.casefold)
    cache.set(key, (subjects, tags), CHOICES_SECONDS)
    return subjects, tags


def municipality_choices(viewer: Organization) -> list[tuple[int, str]]:
    """The municipalities of the viewer's region, then the organizations of regional subordination."""
    region_id = region_id_of(viewer)
    municipalities = Organization.objects.filter(
        parent_id=region_id, level=Level.MUNICIPALITY, is_active=True
    ).order_by("short_name")
    return [
        *((m.pk, m.short_name) for m in municipalities.only("pk", "short_name")),
        (REGIONAL_SUBORDINATION, "Организации регионального подчинения"),
    ]
