"""Public schema only: organizations of every level, their domains, global users and memberships.

Nothing here holds a tenant's mentoring data; those tables live in each organization's schema.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

from nastavnik.audit import AuditEventBase
from tenants.validators import validate_inn, validate_time_zone

code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Код может содержать только строчные латинские буквы, цифры и дефисы между ними.",
)


class Level(models.TextChoices):
    REGION = "region", "Регион"
    MUNICIPALITY = "municipality", "Муниципалитет"
    ORGANIZATION = "organization", "Образовательная организация"


class OrganizationKind(models.TextChoices):
    SCHOOL = "school", "Общеобразовательная организация"
    COLLEGE = "college", "Профессиональная образовательная организация"
    EXTRA_EDUCATION = "extra_education", "Организация дополнительного образования"
    KINDERGARTEN = "kindergarten", "Дошкольная образовательная организация"
    OTHER = "other", "Иная организация"


class Organization(TenantMixin):
    """A tenant of any level: region ⊃ municipality ⊃ organization (школа, колледж, ...)."""

    code = models.CharField(
        "код",
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text="Постоянный код организации на платформе; из него строятся домен и имя схемы.",
    )
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    kind = models.CharField("тип организации", max_length=20, choices=OrganizationKind.choices, blank=True)
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[validate_inn])
    address = models.CharField("адрес", max_length=500, blank=True)
    website = models.URLField("сайт", blank=True)
    time_zone = models.CharField("часовой пояс", max_length=64, validators=[validate_time_zone])
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящая организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField("создана", default=timezone.now)

    # Schemas are created by tenants.provisioning (cloning the template), never on save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["level", "short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.REGION, parent__isnull=True)
                | (~Q(level=Level.REGION) & Q(parent__isnull=False)),
                name="organization_parent_matches_level",
                violation_error_message="У региона нет вышестоящей организации; у остальных она обязательна.",
            ),
            models.CheckConstraint(
                condition=Q(level=Level.ORGANIZATION, kind__gt="") | (~Q(level=Level.ORGANIZATION) & Q(kind="")),
                name="organization_kind_matches_level",
                violation_error_message="Тип указывается только для образовательной организации и для неё обязателен.",
            ),
            models.UniqueConstraint(
                fields=["inn"],
                condition=~Q(inn=""),
                name="organization_inn_unique",
                violation_error_message="Организация с таким ИНН уже зарегистрирована.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def region(self) -> Organization:
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node

    @property
    def primary_domain(self) -> str | None:
        domain = self.get_primary_domain()
        return domain.domain if domain else None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        allowed_parents = (
            {
                Level.REGION: set(),
                Level.MUNICIPALITY: {Level.REGION},
                Level.ORGANIZATION: {Level.REGION, Level.MUNICIPALITY},
            }[Level(self.level)]
            if self.level in Level.values
            else set()
        )
        if self.level == Level.REGION and self.parent_id:
            raise ValidationError({"parent": "У региона не может быть вышестоящей организации."})
        if self.level != Level.REGION and self.parent is None:
            raise ValidationError({"parent": "Укажите вышестоящую организацию."})
        if self.parent is not None and self.parent.level not in allowed_parents:
            raise ValidationError(
                {
                    "parent": f"{self.get_level_display()} не может подчиняться уровню «{self.parent.get_level_display()}»."
                }
            )
        if self.level == Level.ORGANIZATION and not self.kind:
            raise ValidationError({"kind": "Укажите тип образовательной организации."})
        if self.level != Level.ORGANIZATION and self.kind:
            raise ValidationError({"kind": "Тип указывается только для образовательной организации."})


class Domain(DomainMixin):
    class Meta:
        verbose_name = "домен"
        verbose_name_plural = "домены"

    def __str__(self) -> str:
        return self.domain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one account across the region. Signs in with e-mail."""

    email = models.EmailField("электронная почта", unique=True)
    last_name = models.CharField("фамилия", max_length=150)
    first_name = models.CharField("имя", max_length=150)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    is_active = models.BooleanField("активен", default=True)
    is_staff = models.BooleanField("доступ к администрированию платформы", default=False)
    date_joined = models.DateTimeField("зарегистрирован", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name", "patronymic"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def get_short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip()


class Role(models.TextChoices):
    REGIONAL_COORDINATOR = "regional_coordinator", "Региональный координатор"
    REGIONAL_METHODOLOGIST = "regional_methodologist", "Региональный методист"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "Муниципальный координатор"
    DIRECTOR = "director", "Руководитель"
    CURATOR = "curator", "Куратор"
    COUNCIL_MEMBER = "council_member", "Член совета наставников"
    MENTOR = "mentor", "Наставник"
    MENTEE = "mentee", "Наставляемый"
    PSYCHOLOGIST = "psychologist", "Педагог-психолог"
    TEACHER = "teacher", "Педагогический работник"


# Roles that exist only at one level; every other role may be held at any level, since a
# municipality or the regional centre can run mentoring for its own staff.
ROLE_LEVELS: dict[str, set[str]] = {
    Role.REGIONAL_COORDINATOR: {Level.REGION},
    Role.REGIONAL_METHODOLOGIST: {Level.REGION},
    Role.MUNICIPAL_COORDINATOR: {Level.MUNICIPALITY},
}


class Membership(models.Model):
    """A user's role in one organization."""

    user = models.ForeignKey(User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField("назначена", default=timezone.now)

    class Meta:
        verbose_name = "членство"
        verbose_name_plural = "членства"
        ordering = ["organization__short_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="membership_unique_role",
                violation_error_message="У пользователя уже есть эта роль в организации.",
            )
        ]
        indexes = [models.Index(fields=["organization", "user"], name="membership_org_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class LoginThrottle(models.Model):  # noqa: DJ008 - internal bookkeeping, never listed
    """Failed sign-ins per e-mail address (lower-cased), for the lock-out rule."""

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "блокировка входа"
        verbose_name_plural = "блокировки входа"


class HandoffToken(models.Model):  # noqa: DJ008 - internal bookkeeping, never listed
    """A used one-time token that moved a signed-in user to another organization's host."""

    nonce = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now)


class OnboardingJob(models.Model):
    """Bulk onboarding of a region from a validated file; rows are stored validated."""

    class Status(models.TextChoices):
        PENDING = "pending", "В очереди"
        RUNNING = "running", "Выполняется"
        DONE = "done", "Завершено"
        FAILED = "failed", "Ошибка"

    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField("файл", max_length=255)
    rows = models.JSONField("строки", default=list)
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("всего строк", default=0)
    processed = models.PositiveIntegerField("обработано", default=0)
    created_count = models.PositiveIntegerField("создано", default=0)
    updated_count = models.PositiveIntegerField("обновлено", default=0)
    unchanged_count = models.PositiveIntegerField("без изменений", default=0)
    error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "загрузка организаций"
        verbose_name_plural = "загрузки организаций"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class AuditEvent(AuditEventBase):
    """Changes to personal data in public-schema tables, written by a database trigger."""

    class Meta(AuditEventBase.Meta):
        db_table = "audit_event"
