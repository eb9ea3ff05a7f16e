"""Runs in the tenant schema: the mentee bank and the mentor bank (банк наставляемых / наставников)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MenteeCategory(models.TextChoices):
    YOUNG = "young", "Молодой педагог"
    RETURNING = "returning", "Возвращается после длительного перерыва"
    NEW_WORKPLACE = "new_workplace", "Адаптация к новому месту работы"
    GROWTH_SUBJECT = "growth_subject", "Развитие: предметная область"
    GROWTH_UPBRINGING = "growth_upbringing", "Развитие: воспитательная работа"
    GROWTH_EXTRACURRICULAR = "growth_extracurricular", "Развитие: внеурочная деятельность"
    GROWTH_EXTRA_EDUCATION = "growth_extra_education", "Развитие: дополнительное образование"
    GROWTH_PARENTS = "growth_parents", "Развитие: работа с родителями"
    DIGITAL = "digital", "Освоение цифровых (ИТ) навыков"
    BURNOUT = "burnout", "Профессиональное или эмоциональное выгорание"
    OTHER_DIFFICULTIES = "other_difficulties", "Иные признанные затруднения"
    TRAINEE = "trainee", "Стажёр или студент по договору с организацией"


class Visibility(models.TextChoices):
    ORGANIZATION = "organization", "Только моя организация"
    MUNICIPALITY = "municipality", "Муниципалитет"
    REGION = "region", "Весь регион"


class MentorAchievement(models.TextChoices):
    CONTEST_WINNER = "contest_winner", "Победитель или призёр профессиональных конкурсов"
    MATERIALS_AUTHOR = "materials_author", "Автор учебно-методических материалов"
    WEBINARS = "webinars", "Ведёт вебинары и семинары"
    COMMUNITY_LEADER = "community_leader", "Руководит профессиональным сообществом или методобъединением"
    EXPERT = "expert", "Эксперт, член жюри"
    HONORARY = "honorary", "Имеет почётное звание или награду"
    OTHER = "other", "Иное"


class MenteeEntry(models.Model):
    """A teacher (or a trainee/student) who needs or wants a mentor."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Ожидает наставника"
        IN_PAIR = "in_pair", "В наставнической паре"
        LEFT = "left", "Выбыл из банка"

    class LeftReason(models.TextChoices):
        COMPLETED = "completed", "Наставничество завершено"
        DISMISSED = "dismissed", "Увольнение"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Отзыв согласия"
        OTHER = "other", "Иное"

    staff = models.ForeignKey(
        "institutional.Staff",
        verbose_name="сотрудник",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentee_entries",
    )
    # A trainee or student who is not on staff.
    trainee_last_name = models.CharField("фамилия", max_length=150, blank=True)
    trainee_first_name = models.CharField("имя", max_length=150, blank=True)
    trainee_patronymic = models.CharField("отчество", max_length=150, blank=True)
    trainee_birth_date = models.DateField("дата рождения", null=True, blank=True)
    trainee_study_place = models.CharField("место учёбы, группа", max_length=300, blank=True)

    categories = ArrayField(models.CharField(max_length=32, choices=MenteeCategory.choices), verbose_name="категории")
    requests = models.TextField("профессиональные запросы", blank=True)
    difficulties = models.TextField("затруднения", blank=True)
    tags = ArrayField(models.CharField(max_length=60), verbose_name="метки", default=list, blank=True)
    needed_from = models.DateField("наставник нужен с")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.WAITING)
    left_on = models.DateField("выбыл", null=True, blank=True)
    left_reason = models.CharField("причина выбытия", max_length=20, choices=LeftReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("внесён", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "запись банка наставляемых"
        verbose_name_plural = "банк наставляемых"
        ordering = ["status", "needed_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(staff__isnull=False) & Q(trainee_last_name=""))
                | (
                    Q(staff__isnull=True)
                    & ~Q(trainee_last_name="")
                    & ~Q(trainee_first_name="")
                    & Q(trainee_birth_date__isnull=False)
                ),
                name="mentee_entry_staff_or_trainee",
                violation_error_message="Укажите сотрудника или фамилию, имя и дату рождения стажёра (студента).",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=~Q(status="left") & Q(staff__isnull=False),
                name="mentee_entry_one_open_per_staff",
                violation_error_message="Этот сотрудник уже есть в банке наставляемых.",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | (Q(left_on__isnull=False) & ~Q(left_reason="")),
                name="mentee_entry_left_has_reason",
                violation_error_message="Для выбывшего укажите дату и причину выбытия.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_trainee(self) -> bool:
        return self.staff_id is None

    @property
    def full_name(self) -> str:
        if self.staff_id:
            return self.staff.full_name
        return " ".join(p for p in (self.trainee_last_name, self.trainee_first_name, self.trainee_patronymic) if p)

    @property
    def birth_date(self):
        return self.staff.birth_date if self.staff_id else self.trainee_birth_date

    def is_minor_on(self, day) -> bool:
        birth = self.birth_date
        if birth is None:
            return False
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        return age < 18


class MentorEntry(models.Model):
    """A mentor: what they can offer, their capacity and who may see them."""

    staff = models.ForeignKey(
        "institutional.Staff", verbose_name="сотрудник", on_delete=models.PROTECT, related_name="mentor_entries"
    )
    competencies = models.TextField("компетенции")
    subjects = ArrayField(models.CharField(max_length=100), verbose_name="предметы", default=list, blank=True)
    achievements = ArrayField(
        models.CharField(max_length=32, choices=MentorAchievement.choices),
        verbose_name="достижения",
        default=list,
        blank=True,
    )
    achievements_details = models.TextField("достижения подробнее", blank=True)
    tags = ArrayField(models.CharField(max_length=60), verbose_name="метки", default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "наставляемых одновременно, не более", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    visibility = models.CharField(
        "кто видит запись", max_length=16, choices=Visibility.choices, default=Visibility.ORGANIZATION
    )
    is_active = models.BooleanField("в банке", default=True)
    # For an outside (network) mentor: their organization and bank entry there (public ids); the cap
    # of such an entry is enforced against the mentor's load in every organization (regional.MentorLoad).
    home_organization_id = models.BigIntegerField("организация наставника", null=True, blank=True)
    home_entry_id = models.BigIntegerField("запись банка в организации наставника", null=True, blank=True)
    excluded_on = models.DateField("исключён", null=True, blank=True)
    excluded_reason = models.CharField("причина исключения", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("внесён", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "запись банка наставников"
        verbose_name_plural = "банк наставников"
        ordering = ["staff__last_name", "staff__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(is_active=True),
                name="mentor_entry_one_active_per_staff",
                violation_error_message="Этот сотрудник уже есть в банке наставников.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff)


class MentorTraining(models.Model):
    """Training a mentor has taken (courses, schools of mentors…)."""

    mentor = models.ForeignKey(MentorEntry, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField("программа обучения", max_length=300)
    provider = models.CharField("организация", max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField("часов", null=True, blank=True)
    completed_on = models.DateField("дата окончания", null=True, blank=True)
    certificate = models.FileField("удостоверение", upload_to="mentors/trainings/", blank=True)

    class Meta:
        verbose_name = "обучение наставника"
        verbose_name_plural = "обучение наставников"
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.title
