"""Runs in the tenant schema: mentoring pairs and groups, the director's orders, mentor replacements.

A pair has one mentor and one mentee; a group has two or more mentees. The cap of mentees per
mentor is enforced by a database trigger (migration 0009), so it holds even when several
approvals for one mentor arrive at the same moment.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PairForm(models.TextChoices):
    """Форма наставничества (by roles)."""

    TEACHER_TEACHER = "teacher_teacher", "Педагог – педагог"
    DIRECTOR_TEACHER = "director_teacher", "Руководитель образовательной организации – педагог"
    EMPLOYER_STUDENT = "employer_student", "Работодатель – студент"
    LECTURER_YOUNG_TEACHER = "lecturer_young_teacher", "Преподаватель вуза (колледжа) – молодой педагог"
    PARTNER_TEACHER = "partner_teacher", "Социальный партнёр – педагог"
    TEACHER_STUDENT = "teacher_student", "Педагог – обучающийся"
    STUDENT_STUDENT = "student_student", "Обучающийся – обучающийся"
    OTHER = "other", "Иная форма"


class PairKind(models.TextChoices):
    """Вид наставничества (by mode)."""

    VIRTUAL = "virtual", "Виртуальное (дистанционное)"
    GROUP = "group", "Групповое"
    SHORT_TERM = "short_term", "Краткосрочное (целеполагающее)"
    REVERSE = "reverse", "Реверсивное"
    SITUATIONAL = "situational", "Ситуационное"
    SPEED = "speed", "Скоростное"
    TRADITIONAL = "traditional", "Традиционное (один на один)"


class EndReason(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", "Программа выполнена в полном объёме"
    MENTOR_INITIATIVE = "mentor_initiative", "Досрочно по инициативе наставника"
    MENTEE_INITIATIVE = "mentee_initiative", "Досрочно по инициативе наставляемого"
    MUTUAL = "mutual", "Досрочно по взаимному решению"
    NOT_CARRIED_OUT = "not_carried_out", "Досрочно по решению куратора: программа не выполняется"


class ReplacementReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", "Прекращение трудового договора с наставником"
    TRANSFER = "transfer", "Перевод наставника или наставляемого на другую должность или в другое подразделение"
    REQUEST = "request", "Просьба наставника или наставляемого"
    DUTIES_FAILED = "duties_failed", "Неисполнение наставником своих обязанностей"
    OTHER_CIRCUMSTANCES = "other_circumstances", "Иные обстоятельства, препятствующие наставничеству"


class Order(models.Model):
    """A numbered order (приказ) of the director, kept in the organization's register."""

    class Kind(models.TextChoices):
        PAIRS_APPROVAL = "pairs_approval", "Об утверждении наставнических пар (групп)"
        MENTOR_REPLACEMENT = "mentor_replacement", "О замене наставника"
        REGULATION_APPROVAL = "regulation_approval", "Об утверждении положения о системе наставничества"
        ROADMAP_APPROVAL = "roadmap_approval", "Об утверждении дорожной карты"
        CURATOR_APPOINTMENT = "curator_appointment", "О назначении куратора"
        ENCOURAGEMENT = "encouragement", "О поощрении участников наставнической деятельности"
        OTHER = "other", "Иной приказ"

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        SIGNED = "signed", "Подписан"

    number = models.CharField("номер", max_length=50)
    date = models.DateField("дата")
    kind = models.CharField("вид", max_length=32, choices=Kind.choices)
    title = models.CharField("заголовок", max_length=500)
    # What the order decides, as data the DOCX is built from (pairs, replacement, persons…).
    content = models.JSONField("содержание", default=dict, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    signed_scan = models.FileField("скан подписанного приказа", upload_to="orders/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "date"],
                name="order_number_unique_per_date",
                violation_error_message="Приказ с таким номером и датой уже есть в реестре.",
            )
        ]

    def __str__(self) -> str:
        return f"Приказ № {self.number} от {self.date:%d.%m.%Y}"


class Pair(models.Model):
    """A mentoring pair (one mentee) or group (two or more mentees)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        APPROVED = "approved", "Утверждена приказом"
        ACTIVE = "active", "Действует"
        COMPLETED = "completed", "Завершена"
        ENDED_EARLY = "ended_early", "Завершена досрочно"

    mentor = models.ForeignKey(
        "institutional.MentorEntry", verbose_name="наставник", on_delete=models.PROTECT, related_name="pairs"
    )
    form = models.CharField("форма наставничества", max_length=32, choices=PairForm.choices)
    kinds = ArrayField(models.CharField(max_length=20, choices=PairKind.choices), verbose_name="виды наставничества")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    order = models.ForeignKey(
        Order,
        verbose_name="приказ об утверждении",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairs",
    )
    approved_at = models.DateTimeField("утверждена", null=True, blank=True)
    ended_on = models.DateField("фактически завершена", null=True, blank=True)
    end_reason = models.CharField("основание завершения", max_length=32, choices=EndReason.choices, blank=True)
    end_note = models.TextField("пояснение", blank=True)
    # A mentor from another organization of the region (open mentoring, a later issue).
    is_network = models.BooleanField("сетевая", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "наставническая пара (группа)"
        verbose_name_plural = "наставнические пары и группы"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="pair_dates_in_order",
                violation_error_message="Окончание наставничества должно быть позже начала.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(order__isnull=False),
                name="pair_approved_has_order",
                violation_error_message="Утверждённая пара должна иметь приказ.",
            ),
            models.CheckConstraint(
                condition=(~Q(status="completed") & ~Q(status="ended_early"))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="pair_ended_has_reason",
                violation_error_message="Для завершённой пары укажите дату и основание завершения.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} — {', '.join(str(p.mentee) for p in self.participants.all())}"


class PairMentee(models.Model):
    """A mentee in a pair or group."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="participants")
    mentee = models.ForeignKey(
        "institutional.MenteeEntry",
        verbose_name="наставляемый",
        on_delete=models.PROTECT,
        related_name="pair_memberships",
    )
    joined_on = models.DateField("с")
    left_on = models.DateField("по", null=True, blank=True)

    class Meta:
        verbose_name = "участник пары (группы)"
        verbose_name_plural = "участники пар (групп)"
        constraints = [models.UniqueConstraint(fields=["pair", "mentee"], name="pair_mentee_unique")]

    def __str__(self) -> str:
        return str(self.mentee)


class MentorReplacement(models.Model):
    """A mentor replaced by order, only for one of the reasons the regulation lists."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="replacements")
    previous_mentor = models.ForeignKey(
        "institutional.MentorEntry", on_delete=models.PROTECT, related_name="replaced_in"
    )
    new_mentor = models.ForeignKey("institutional.MentorEntry", on_delete=models.PROTECT, related_name="replacing_in")
    reason = models.CharField("основание", max_length=32, choices=ReplacementReason.choices)
    note = models.TextField("пояснение", blank=True)
    replaced_on = models.DateField("дата замены")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="replacements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "замена наставника"
        verbose_name_plural = "замены наставников"
        ordering = ["-replaced_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(previous_mentor=models.F("new_mentor")),
                name="replacement_changes_mentor",
                violation_error_message="Новый наставник должен отличаться от прежнего.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous_mentor} → {self.new_mentor}"
