"""Read path of a municipality's structured mentor base (public schema only).

The base is the regional bank's published rows (`regional.BankMentor`, written by the projection)
of the municipality's organizations and of the municipality itself (its own methodologists), with
what the municipality recorded on top (`MentorVerification`, `MentorCategory`). Nothing here reads
a tenant schema: every page and export of the base is a fixed number of queries over public tables,
whatever the number of organizations and mentors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Lower
from django.http import Http404
from django.utils import timezone

from institutional.models import MentorAchievement, QualificationCategory
from municipal.models import MentorCategory, MentorVerification
from regional.models import BankMentor
from tenants.models import Level, Organization

UNVERIFIED = "unverified"
STATUS_LABELS = {
    MentorVerification.Status.VERIFIED: MentorVerification.Status.VERIFIED.label,
    MentorVerification.Status.NEEDS_CHANGES: MentorVerification.Status.NEEDS_CHANGES.label,
    UNVERIFIED: "Не проверен",
}
STATUS_BADGES = {
    MentorVerification.Status.VERIFIED: "text-bg-success",
    MentorVerification.Status.NEEDS_CHANGES: "text-bg-warning",
    UNVERIFIED: "text-bg-secondary",
}
STATUS_FILTER_VALUES = frozenset(STATUS_LABELS)
ACHIEVEMENT_LABELS = dict(MentorAchievement.choices)
QUALIFICATION_LABELS = dict(QualificationCategory.choices)
SEPARATOR = "|"


def _joined(field: str):
    """An array column as one lower-case string `|a|b|`, so one element can be matched exactly."""
    text = Func(F(field), Value(SEPARATOR), function="array_to_string", output_field=TextField())
    return Concat(Value(SEPARATOR), Lower(text), Value(SEPARATOR), output_field=TextField())


def _clean_text(value) -> str:
    return " ".join(str(value or "").split())


def district_mentors(municipality: Organization) -> QuerySet[BankMentor]:
    """The bank rows of the municipality's district: its organizations' mentors and its own methodologists."""
    return BankMentor.objects.filter(Q(municipality=municipality) | Q(organization=municipality))


def _verification_of_row(municipality: Organization) -> QuerySet[MentorVerification]:
    return MentorVerification.objects.filter(
        municipality=municipality,
        organization_id=OuterRef("organization_id"),
        mentor_entry_id=OuterRef("mentor_entry_id"),
    )


def _with_status(mentors: QuerySet[BankMentor], municipality: Organization) -> QuerySet[BankMentor]:
    return mentors.annotate(
        verification_status=Subquery(_verification_of_row(municipality).values("status")[:1]),
    )


@dataclass(frozen=True)
class BaseFilters:
    """The filters of the base as typed by a person; anything unknown or malformed is dropped."""

    q: str = ""
    organization_id: int | None = None
    category_id: int | None = None
    tag: str = ""
    status: str = ""
    subject: str = ""

    @classmethod
    def from_query(cls, params) -> BaseFilters:
        def number(name):
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 19 else None

        status = str(params.get("status") or "")
        return cls(
            q=_clean_text(params.get("q"))[:200],
            organization_id=number("organization"),
            category_id=number("category"),
            tag=_clean_text(params.get("tag"))[:60],
            status=status if status in STATUS_FILTER_VALUES else "",
            subject=_clean_text(params.get("subject"))[:100],
        )

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.organization_id or self.category_id or self.tag or self.status or self.subject)

    def as_kwargs(self) -> dict:
        return {
            "q": self.q,
            "organization_id": self.organization_id,
            "category_id": self.category_id,
            "tag": self.tag,
            "status": self.status,
            "subject": self.subject,
        }


def base_queryset(
    *,
    municipality: Organization,
    q: str = "",
    organization_id: int | None = None,
    category_id: int | None = None,
    tag: str = "",
    status: str = "",
    subject: str = "",
) -> QuerySet[BankMentor]:
    """The district's bank rows matching the filters, each with `verification_status` (None: not checked).

    `q` matches every word in the published name, position, competencies, achievements, subjects,
    tags or organization's name; `tag` is one tag of the bank entry or of the municipality; `subject`
    one subject; `status` is a verification status or "unverified".
    """
    mentors = _with_status(district_mentors(municipality), municipality).select_related("organization")
    verifications = _verification_of_row(municipality)
    if organization_id:
        mentors = mentors.filter(organization_id=organization_id)
    if category_id:
        mentors = mentors.filter(Exists(verifications.filter(categories=category_id)))
    if status == UNVERIFIED:
        mentors = mentors.filter(verification_status__isnull=True)
    elif status:
        mentors = mentors.filter(verification_status=status)
    tag = _clean_text(tag).lower()
    if tag:
        mentors = mentors.annotate(tags_joined=_joined("tags")).filter(
            Q(tags_joined__contains=f"{SEPARATOR}{tag}{SEPARATOR}") | Exists(verifications.filter(tags__contains=[tag]))
        )
    subject = _clean_text(subject).lower()
    if subject:
        mentors = mentors.annotate(subjects_joined=_joined("subjects")).filter(
            subjects_joined__contains=f"{SEPARATOR}{subject}{SEPARATOR}"
        )
    words = _clean_text(q).split()
    if words:
        mentors = mentors.annotate(subjects_text=_joined("subjects"), tags_text=_joined("tags"))
        for word in words:
            mentors = mentors.filter(
                Q(full_name__icontains=word)
                | Q(position__icontains=word)
                | Q(competencies__icontains=word)
                | Q(achievements_details__icontains=word)
                | Q(subjects_text__icontains=word)
                | Q(tags_text__icontains=word)
                | Q(organization__short_name__icontains=word)
            )
    # Rows whose name is not published go last; then by name, organization, id (stable pages).
    return mentors.annotate(
        unnamed=Case(When(full_name="", then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("unnamed", "full_name", "organization__short_name", "id")


@dataclass
class BaseRow:
    """One mentor of the base: the published bank row and the municipality's verification (or None)."""

    mentor: BankMentor
    verification: MentorVerification | None

    @property
    def status(self) -> str:
        return self.verification.status if self.verification else UNVERIFIED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def categories(self) -> list[MentorCategory]:
        return list(self.verification.categories.all()) if self.verification else []

    @property
    def municipal_tags(self) -> list[str]:
        return list(self.verification.tags) if self.verification else []

    @property
    def display_name(self) -> str:
        return self.mentor.full_name or f"Наставник № {self.mentor.mentor_entry_id} (ФИО не опубликовано)"

    @property
    def qualification_label(self) -> str:
        return QUALIFICATION_LABELS.get(self.mentor.qualification_category, self.mentor.qualification_category)

    @property
    def achievement_labels(self) -> list[str]:
        return [ACHIEVEMENT_LABELS.get(code, code) for code in self.mentor.achievements]


def base_rows(mentors, *, municipality: Organization) -> list[BaseRow]:
    """Attach the municipality's verifications to bank rows: two queries, whatever the number of rows."""
    mentors = list(mentors)
    if not mentors:
        return []
    verifications = (
        MentorVerification.objects.filter(
            municipality=municipality,
            organization_id__in={mentor.organization_id for mentor in mentors},
            mentor_entry_id__in={mentor.mentor_entry_id for mentor in mentors},
        )
        .select_related("verified_by")
        .prefetch_related("categories")
    )
    by_key = {(item.organization_id, item.mentor_entry_id): item for item in verifications}
    return [BaseRow(mentor, by_key.get((mentor.organization_id, mentor.mentor_entry_id))) for mentor in mentors]


def base_list(
    *,
    municipality: Organization,
    q: str = "",
    organization_id: int | None = None,
    category_id: int | None = None,
    tag: str = "",
    status: str = "",
    subject: str = "",
) -> list[BaseRow]:
    """The whole (filtered) base with verifications: three queries in all."""
    mentors = base_queryset(
        municipality=municipality,
        q=q,
        organization_id=organization_id,
        category_id=category_id,
        tag=tag,
        status=status,
        subject=subject,
    )
    return base_rows(mentors, municipality=municipality)


@dataclass(frozen=True)
class StatusCounts:
    total: int
    verified: int
    needs_changes: int
    unverified: int

    def items(self) -> list[tuple[str, str, str, int]]:
        """(status, label, badge class, count) in the order the page shows them."""
        return [
            (status, STATUS_LABELS[status], STATUS_BADGES[status], getattr(self, status))
            for status in (MentorVerification.Status.VERIFIED, MentorVerification.Status.NEEDS_CHANGES, UNVERIFIED)
        ]


def status_counts(*, municipality: Organization) -> StatusCounts:
    """How many mentors of the whole base have each verification status (one query)."""
    counts = {
        row["verification_status"]: row["n"]
        for row in _with_status(district_mentors(municipality), municipality)
        .order_by()
        .values("verification_status")
        .annotate(n=Count("id"))
    }
    verified = counts.get(MentorVerification.Status.VERIFIED, 0)
    needs_changes = counts.get(MentorVerification.Status.NEEDS_CHANGES, 0)
    unverified = counts.get(None, 0)
    return StatusCounts(verified + needs_changes + unverified, verified, needs_changes, unverified)


def access_base_mentor(*, municipality: Organization, mentor_id) -> BankMentor:
    """A bank row of the municipality's base; "not found" for a missing row and for another district's."""
    try:
        mentor_id = int(mentor_id)
    except (TypeError, ValueError):
        raise Http404("Наставник не найден.") from None
    mentor = district_mentors(municipality).select_related("organization").filter(pk=mentor_id).first()
    if mentor is None:
        raise Http404("Наставник не найден.")
    return mentor


def base_row_get(*, municipality: Organization, mentor: BankMentor) -> BaseRow:
    return base_rows([mentor], municipality=municipality)[0]


def mentor_load(mentor: BankMentor):
    """The mentor's live load across the region (`regional.MentorLoad`), or None when none is recorded."""
    from regional.models import MentorLoad

    return MentorLoad.objects.filter(
        organization_id=mentor.organization_id, mentor_entry_id=mentor.mentor_entry_id
    ).first()


@dataclass(frozen=True)
class DistrictOrganization:
    id: int
    name: str


def district_organizations(*, municipality: Organization) -> list[DistrictOrganization]:
    """The organizations whose mentors the base can hold, for the filter: the municipality itself first."""
    organizations = Organization.objects.filter(
        Q(pk=municipality.pk) | Q(parent=municipality, level=Level.ORGANIZATION, is_active=True)
    ).values_list("pk", "short_name")
    own = [
        DistrictOrganization(pk, f"{name} (методисты муниципалитета)")
        for pk, name in organizations
        if pk == municipality.pk
    ]
    others = sorted(
        (DistrictOrganization(pk, name) for pk, name in organizations if pk != municipality.pk),
        key=lambda item: item.name,
    )
    return own + others


def category_list(*, municipality: Organization) -> list[MentorCategory]:
    """The municipality's categories by title, each with `mentor_count` (one query)."""
    return list(
        MentorCategory.objects.filter(municipality=municipality)
        .annotate(mentor_count=Count("mentors"))
        .order_by("title", "id")
    )


def access_category(*, municipality: Organization, category_id) -> MentorCategory:
    """A category of this municipality; "not found" for a missing one and for another municipality's."""
    try:
        category_id = int(category_id)
    except (TypeError, ValueError):
        raise Http404("Категория не найдена.") from None
    category = MentorCategory.objects.filter(municipality=municipality, pk=category_id).first()
    if category is None:
        raise Http404("Категория не найдена.")
    return category


# --- export ------------------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "Организация",
    "ФИО",
    "Должность",
    "Предметы",
    "Компетенции",
    "Достижения",
    "Достижения подробнее",
    "Метки организации",
    "Педагогический стаж, лет",
    "Квалификационная категория",
    "Наставляемых одновременно, не более",
    "Пройдено программ обучения",
    "Кто видит",
    "Статус проверки",
    "Категории муниципалитета",
    "Метки муниципалитета",
    "Примечание",
    "Проверен",
    "Кем проверен",
)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def export_row(row: BaseRow) -> list:
    mentor, verification = row.mentor, row.verification
    return [
        mentor.organization.short_name,
        mentor.full_name,
        mentor.position,
        list(mentor.subjects),
        mentor.competencies,
        row.achievement_labels,
        mentor.achievements_details,
        list(mentor.tags),
        float(mentor.pedagogical_experience_years),
        row.qualification_label,
        mentor.capacity,
        mentor.trainings,
        mentor.get_visibility_display(),
        row.status_label,
        [category.title for category in row.categories],
        row.municipal_tags,
        verification.note if verification else "",
        _local(verification.verified_at) if verification else None,
        verification.verified_by.get_full_name() if verification and verification.verified_by else "",
    ]


def base_export_sheet(rows: list[BaseRow]) -> tuple[str, tuple[str, ...], list[list]]:
    """The sheet of the export: one row per mentor, in the order of the list."""
    return ("База наставников", EXPORT_HEADERS, [export_row(row) for row in rows])
