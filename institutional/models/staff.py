"""Runs in the tenant schema: the registry of the organization's pedagogical workers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenants.validators import validate_snils

# A young specialist (молодой специалист) here: less than this many years of pedagogical experience.
YOUNG_SPECIALIST_MAX_YEARS = Decimal("3")


class QualificationCategory(models.TextChoices):
    NONE = "none", "Без категории"
    CONFORMITY = "conformity", "Соответствие занимаемой должности"
    FIRST = "first", "Первая"
    HIGHEST = "highest", "Высшая"
    METHODIST = "methodist", "Педагог-методист"
    MENTOR = "mentor", "Педагог-наставник"


class Staff(models.Model):
    """A pedagogical worker (педагогический работник) of this organization."""

    class Status(models.TextChoices):
        EMPLOYED = "employed", "Работает"
        DISMISSED = "dismissed", "Уволен"

    personnel_number = models.CharField("табельный номер", max_length=32, blank=True)
    snils = models.CharField("СНИЛС", max_length=11, blank=True, validators=[validate_snils])
    last_name = models.CharField("фамилия", max_length=150)
    first_name = models.CharField("имя", max_length=150)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    position = models.CharField("должность", max_length=200)
    subjects = ArrayField(models.CharField(max_length=100), verbose_name="предметы", default=list, blank=True)
    hire_date = models.DateField("дата приёма на работу")
    total_experience_years = models.DecimalField("общий стаж, лет", max_digits=4, decimal_places=1, default=0)
    pedagogical_experience_years = models.DecimalField(
        "педагогический стаж, лет", max_digits=4, decimal_places=1, default=0
    )
    qualification_category = models.CharField(
        "квалификационная категория",
        max_length=20,
        choices=QualificationCategory.choices,
        default=QualificationCategory.NONE,
    )
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.EMPLOYED)
    dismissal_date = models.DateField("дата увольнения", null=True, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=32, blank=True)
    # A mentor of another organization of the region working here in a network pair: not this
    # organization's employee (excluded from its staff counts and lists), sees only their pairs.
    is_outside = models.BooleanField("сетевой наставник из другой организации", default=False)
    home_organization_name = models.CharField("основное место работы", max_length=500, blank=True)
    # The person's platform account (public schema); no database constraint across schemas.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="staff_records",
    )
    created_at = models.DateTimeField("добавлен", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "педагогический работник"
        verbose_name_plural = "педагогические работники"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                fields=["personnel_number"],
                condition=~Q(personnel_number=""),
                name="staff_personnel_number_unique",
                violation_error_message="Сотрудник с таким табельным номером уже есть.",
            ),
            models.UniqueConstraint(
                fields=["snils"],
                condition=~Q(snils=""),
                name="staff_snils_unique",
                violation_error_message="Сотрудник с таким СНИЛС уже есть.",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False),
                name="staff_user_unique",
                violation_error_message="Эта учётная запись уже связана с другим сотрудником.",
            ),
            models.CheckConstraint(
                condition=Q(status="employed", dismissal_date__isnull=True)
                | Q(status="dismissed", dismissal_date__isnull=False),
                name="staff_dismissal_date_matches_status",
                violation_error_message="Дата увольнения указывается только для уволенного сотрудника и для него обязательна.",
            ),
            models.CheckConstraint(
                condition=Q(pedagogical_experience_years__lte=models.F("total_experience_years")),
                name="staff_pedagogical_within_total",
                violation_error_message="Педагогический стаж не может быть больше общего.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip()

    @property
    def is_employed(self) -> bool:
        return self.status == self.Status.EMPLOYED

    @property
    def is_young_specialist(self) -> bool:
        """Derived from experience: under three years of pedagogical work."""
        return self.pedagogical_experience_years < YOUNG_SPECIALIST_MAX_YEARS

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
