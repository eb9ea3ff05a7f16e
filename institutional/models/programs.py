"""Runs in the tenant schema: personalized mentoring programs, their plan, agreed changes, and meetings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class InteractionFormat(models.TextChoices):
    CONSULTATION = "consultation", "Консультации"
    MASTER_CLASS = "master_class", "Мастер-классы"
    TRAINING = "training", "Тренинги"
    ONLINE_MEETING = "online_meeting", "Онлайн-встречи"
    LESSON_VISIT = "lesson_visit", "Взаимопосещение занятий"
    PROJECT = "project", "Совместная проектная работа"
    OTHER = "other", "Иное"


class MeetingMode(models.TextChoices):
    ONLINE = "online", "Дистанционно"
    IN_PERSON = "in_person", "Очно"
    MIXED = "mixed", "Смешанный формат"


class Program(models.Model):
    """The personalized mentoring program (персонализированная программа) of a pair or group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Составляется наставником"
        SUBMITTED = "submitted", "Передана наставляемому на согласование"
        CONFIRMED = "confirmed", "Согласована, выполняется"
        COMPLETED = "completed", "Завершена"

    pair = models.OneToOneField("institutional.Pair", on_delete=models.CASCADE, related_name="program")
    title = models.CharField("название", max_length=300)
    request = models.TextField("запрос наставляемого")
    goal = models.TextField("цель")
    tasks = models.TextField("задачи")
    is_group = models.BooleanField("групповая", default=False)
    interaction_formats = ArrayField(
        models.CharField(max_length=20, choices=InteractionFormat.choices),
        verbose_name="формы взаимодействия",
        default=list,
    )
    meeting_mode = models.CharField(
        "формат встреч", max_length=16, choices=MeetingMode.choices, default=MeetingMode.MIXED
    )
    schedule = models.TextField("график встреч", blank=True)
    intermediate_results = models.TextField("промежуточные результаты", blank=True)
    planned_results = models.TextField("планируемые результаты")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The model program it was filled from (regional.DocumentTemplate), if any.
    template_id = models.BigIntegerField("модель (id в общем реестре)", null=True, blank=True)
    template_version = models.PositiveIntegerField("версия модели", null=True, blank=True)
    draft_due_on = models.DateField("составить до")
    submitted_at = models.DateTimeField("передана на согласование", null=True, blank=True)
    confirmed_at = models.DateTimeField("согласована наставляемым", null=True, blank=True)
    mentee_comment = models.TextField("замечания наставляемого", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "персонализированная программа наставничества"
        verbose_name_plural = "персонализированные программы наставничества"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="program_dates_in_order",
                violation_error_message="Окончание программы должно быть позже начала.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def interaction_format_labels(self) -> list[str]:
        labels = dict(InteractionFormat.choices)
        return [labels.get(code, code) for code in self.interaction_formats]


class ProgramActivity(models.Model):
    """A line of the program's plan: an activity with its date and completion mark."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField("порядковый номер")
    title = models.CharField("мероприятие", max_length=500)
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнено", null=True, blank=True)
    result = models.CharField("результат", max_length=500, blank=True)

    class Meta:
        verbose_name = "мероприятие программы"
        verbose_name_plural = "план мероприятий программы"
        ordering = ["program", "position"]
        constraints = [models.UniqueConstraint(fields=["program", "position"], name="program_activity_position_unique")]

    def __str__(self) -> str:
        return self.title


class ProgramChange(models.Model):
    """An extension, or a change of the plan or form, that applies only when both sides confirm."""

    class Kind(models.TextChoices):
        EXTEND = "extend", "Продление срока"
        PLAN = "plan", "Изменение плана"
        FORM = "form", "Изменение формы или вида"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("вид изменения", max_length=16, choices=Kind.choices)
    description = models.TextField("обоснование")
    proposed = models.JSONField("предлагаемые значения", default=dict)
    previous = models.JSONField("прежние значения", default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "изменение программы"
        verbose_name_plural = "история изменений программы"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.program}"


class Meeting(models.Model):
    """A logged meeting or interaction of a pair or group; its duration feeds the mentor's hours."""

    class Kind(models.TextChoices):
        ORGANIZATIONAL = "organizational", "Организационная"
        TRIAL = "trial", "Пробная"
        PLANNING = "planning", "Планирование работы"
        REGULAR = "regular", "Рабочая встреча"
        FINAL = "final", "Итоговая"
        OTHER = "other", "Иное взаимодействие"

    pair = models.ForeignKey("institutional.Pair", on_delete=models.CASCADE, related_name="meetings")
    # Who mentored at this meeting: after a replacement the earlier meetings stay the earlier mentor's
    # hours. Filled by the service from the pair's mentor on the meeting's date.
    mentor = models.ForeignKey(
        "institutional.MentorEntry",
        verbose_name="наставник",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField("дата")
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин")
    mode = models.CharField("формат", max_length=16, choices=MeetingMode.choices)
    kind = models.CharField("вид встречи", max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    topic = models.CharField("тема", max_length=300)
    # Private to the pair, the curator and the director.
    notes = models.TextField("заметки", blank=True)
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
        verbose_name = "встреча"
        verbose_name_plural = "встречи"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=600),
                name="meeting_duration_sensible",
                violation_error_message="Продолжительность встречи — от 5 минут до 10 часов.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y}: {self.topic}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey("institutional.PairMentee", on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField("присутствовал", default=True)

    class Meta:
        verbose_name = "посещение встречи"
        verbose_name_plural = "посещаемость встреч"
        constraints = [models.UniqueConstraint(fields=["meeting", "participant"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.participant}: {'да' if self.attended else 'нет'}"
