"""Read path of the staff registry, appointments and the yearly review (tenant schema)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404

from institutional.access import STAFF_READERS, has_any_role
from institutional.dates import organization_today
from institutional.models import Appointment, Staff, StaffListReview
from institutional.models.staff import YOUNG_SPECIALIST_MAX_YEARS
from tenants.models import Membership, User

REVIEW_INTERVAL_DAYS = 365


def our_staff() -> QuerySet[Staff]:
    """This organization's pedagogical workers: not the mentors of other organizations working here
    in network pairs (`Staff.is_outside`), who belong to their own organization's registry."""
    return Staff.objects.filter(is_outside=False)


def staff_list(*, search: str = "", status: str = "", young: bool = False) -> QuerySet[Staff]:
    staff = our_staff()
    for word in search.split():
        staff = staff.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(personnel_number=word)
            | Q(position__icontains=word)
        )
    if status in Staff.Status.values:
        staff = staff.filter(status=status)
    if young:
        staff = staff.filter(pedagogical_experience_years__lt=YOUNG_SPECIALIST_MAX_YEARS)
    return staff


EXPORT_HEADERS = (
    "Табельный номер",
    "СНИЛС",
    "ФИО",
    "Должность",
    "Предметы",
    "Дата приёма",
    "Стаж общий",
    "Стаж педагогический",
    "Категория",
    "Молодой специалист",
    "Статус",
    "Дата увольнения",
    "Дата рождения",
    "Телефон",
    "E-mail",
)


def staff_export_sheet(*, search: str = "", status: str = "", young: bool = False):
    """(sheet title, headers, rows) of the registry for nastavnik.xlsx."""
    rows = (
        (
            staff.personnel_number,
            staff.snils,
            staff.full_name,
            staff.position,
            staff.subjects,
            staff.hire_date,
            float(staff.total_experience_years),
            float(staff.pedagogical_experience_years),
            staff.get_qualification_category_display(),
            staff.is_young_specialist,
            staff.get_status_display(),
            staff.dismissal_date,
            staff.birth_date,
            staff.phone,
            staff.email,
        )
        for staff in staff_list(search=search, status=status, young=young)
    )
    return ("Сотрудники", EXPORT_HEADERS, rows)


def access_staff(*, request, staff_id: int) -> Staff:
    """The staff record a page may show: any for the readers of the registry, otherwise one's own.

    Missing and forbidden records both raise Http404. The record of a mentor of another organization
    (network pair) is not in the registry: only that person sees it.
    """
    staff = Staff.objects.filter(pk=staff_id).first()
    if staff is None:
        raise Http404("Сотрудник не найден.")
    if request.user.is_authenticated and staff.user_id == request.user.pk:
        return staff
    if has_any_role(request, STAFF_READERS) and not staff.is_outside:
        return staff
    raise Http404("Сотрудник не найден.")


def staff_user(staff: Staff) -> User | None:
    return User.objects.filter(pk=staff.user_id).first() if staff.user_id else None


def organization_member_users() -> QuerySet[User]:
    """Users holding an active role in the current organization, for linking to a staff record."""
    ids = Membership.objects.filter(organization=connection.tenant, is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "email")


def users_by_id(ids) -> dict[int, User]:
    return {user.pk: user for user in User.objects.filter(pk__in=[i for i in ids if i])}


# --- yearly review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewStatus:
    last: StaffListReview | None
    today: date

    @property
    def days_since(self) -> int | None:
        return (self.today - self.last.reviewed_on).days if self.last else None

    @property
    def is_overdue(self) -> bool:
        return self.last is None or self.days_since > REVIEW_INTERVAL_DAYS


def staff_list_review_status(*, today: date | None = None) -> ReviewStatus:
    return ReviewStatus(last=StaffListReview.objects.first(), today=today or organization_today())


def staff_list_review_list(limit: int = 10) -> list[StaffListReview]:
    return list(StaffListReview.objects.all()[:limit])


# --- appointments -------------------------------------------------------------------------------


def appointment_list(*, current_only: bool = False) -> QuerySet[Appointment]:
    appointments = Appointment.objects.select_related("staff")
    if current_only:
        appointments = appointments.filter(ended_on__isnull=True)
    return appointments.order_by(F("ended_on").desc(nulls_first=True), "role", "-starts_on")


def access_appointment(*, request, appointment_id: int) -> Appointment:
    appointment = Appointment.objects.select_related("staff").filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404("Назначение не найдено.")
    return appointment


def employed_staff() -> QuerySet[Staff]:
    return our_staff().filter(status=Staff.Status.EMPLOYED)
