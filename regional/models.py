"""Public schema only: what the region and municipalities publish for the organizations below them.

Model documents (templates), the unified mentor bank, network mentoring requests and the cross-region
load ledger, best practices, contests and events. Personal data appears here only where the person
consented to publish it (the bank, nominations) — never anything about a mentee beyond category and topic.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DocumentTemplate(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", "Положение о системе наставничества"
        ROADMAP = "roadmap", "Дорожная карта"
        PROGRAM = "program", "Персонализированная программа наставничества"
        QUESTIONNAIRE = "questionnaire", "Анкета"

    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    code = models.CharField("код", max_length=60, help_text="постоянный код модели; версии одной модели имеют один код")
    version = models.PositiveIntegerField("версия", default=1)
    title = models.CharField("название", max_length=300)
    # The organization (region or municipality) that published it; empty for the project's defaults.
    publisher = models.ForeignKey(
        "tenants.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="published_templates"
    )
    # Structured content: parameters and sections (regulation), stages and activities (roadmap)…
    content = models.JSONField("содержание", default=dict)
    is_published = models.BooleanField("опубликована", default=True)
    published_at = models.DateTimeField("опубликована", default=timezone.now)
    # A municipality's variant names the regional (or project) model it adapts.
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="variants", verbose_name="основа"
    )
    change_note = models.TextField("что изменено в этой версии", blank=True)

    class Meta:
        verbose_name = "модельный документ"
        verbose_name_plural = "модельные документы"
        ordering = ["kind", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="template_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})"

    @property
    def is_project_default(self) -> bool:
        return self.publisher_id is None


# --- the unified mentor bank (published rows) ------------------------------------------------------


class BankMentor(models.Model):
    """A mentor of an organization (or a municipality's own methodologist) listed in the regional bank.

    Written only by `analytics.projection` (the same per-organization function as the facts): a row
    exists while the mentor's bank entry is active, its visibility is the municipality or the region,
    the person is employed and their publication consent is signed; the personal fields hold only
    what that consent lists (empty otherwise). A withdrawn consent deletes the row in the same
    transaction (`regional.bank.unpublish_person`).
    """

    class Visibility(models.TextChoices):
        MUNICIPALITY = "municipality", "Муниципалитет"
        REGION = "region", "Весь регион"

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="bank_mentors")
    # The organization's municipality (empty for organizations of regional subordination) and region,
    # kept on the row so that filters and visibility need no join up the tree.
    municipality = models.ForeignKey(
        "tenants.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    organization_kind = models.CharField("тип организации", max_length=20, blank=True)
    mentor_entry_id = models.BigIntegerField("номер записи банка в организации")
    staff_id = models.BigIntegerField("номер сотрудника в организации")
    visibility = models.CharField("кто видит", max_length=16, choices=Visibility.choices)
    # Published with consent (each empty unless the consent lists it).
    full_name = models.CharField("ФИО", max_length=300, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)
    subjects = ArrayField(models.CharField(max_length=100), verbose_name="предметы", default=list, blank=True)
    competencies = models.TextField("компетенции", blank=True)
    achievements = ArrayField(models.CharField(max_length=32), verbose_name="достижения", default=list, blank=True)
    achievements_details = models.TextField("достижения подробнее", blank=True)
    # Not personal: what the bank entry says about mentoring itself.
    tags = ArrayField(models.CharField(max_length=60), verbose_name="метки", default=list, blank=True)
    pedagogical_experience_years = models.DecimalField("педагогический стаж, лет", max_digits=4, decimal_places=1)
    qualification_category = models.CharField("квалификационная категория", max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField("наставляемых одновременно, не более")
    trainings = models.PositiveSmallIntegerField("пройдено программ обучения", default=0)
    search = SearchVectorField("поисковый индекс", null=True)
    published_at = models.DateTimeField("опубликована", default=timezone.now)

    class Meta:
        verbose_name = "наставник регионального банка"
        verbose_name_plural = "региональный банк наставников"
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "mentor_entry_id"], name="bank_mentor_unique_entry"),
        ]
        indexes = [
            GinIndex(fields=["search"], name="bank_mentor_search"),
            GinIndex(fields=["subjects"], name="bank_mentor_subjects"),
            GinIndex(fields=["tags"], name="bank_mentor_tags"),
            models.Index(fields=["region", "visibility"], name="bank_mentor_region"),
            models.Index(fields=["municipality"], name="bank_mentor_municipality"),
        ]

    def __str__(self) -> str:
        return self.full_name or f"Наставник № {self.mentor_entry_id}"


class MentorLoad(models.Model):
    """The live load of one mentor across the region: the ledger the cap is enforced against.

    Maintained by database triggers (institutional migration 0018): the mentor's own organization
    writes `capacity` and `local_mentees` whenever its pairs change, and a network pair in another
    organization writes its `NetworkSeat` and recomputes `network_mentees` — both under a lock on
    this row, so concurrent approvals in different organizations are serialized.
    """

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    mentor_entry_id = models.BigIntegerField("номер записи банка в организации")
    capacity = models.PositiveSmallIntegerField("предел", default=0)
    local_mentees = models.PositiveIntegerField("наставляемых в своей организации", default=0)
    network_mentees = models.PositiveIntegerField("наставляемых в других организациях", default=0)

    class Meta:
        verbose_name = "нагрузка наставника"
        verbose_name_plural = "нагрузка наставников"
        constraints = [
            models.UniqueConstraint(fields=["organization", "mentor_entry_id"], name="mentor_load_unique_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.mentor_entry_id}: {self.total} из {self.capacity}"

    @property
    def total(self) -> int:
        return self.local_mentees + self.network_mentees

    @property
    def free(self) -> int:
        return max(self.capacity - self.total, 0)


class NetworkSeat(models.Model):
    """Mentees of one network pair, counted against the outside mentor's cap (written by a trigger)."""

    mentee_organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    pair_id = models.BigIntegerField("пара в организации наставляемого")
    mentor_organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    mentor_entry_id = models.BigIntegerField("запись банка наставника в его организации")
    mentees = models.PositiveSmallIntegerField("наставляемых сейчас", default=0)

    class Meta:
        verbose_name = "место в сетевой паре"
        verbose_name_plural = "места в сетевых парах"
        constraints = [
            models.UniqueConstraint(fields=["mentee_organization", "pair_id"], name="network_seat_unique_pair"),
        ]
        indexes = [models.Index(fields=["mentor_organization", "mentor_entry_id"], name="network_seat_mentor")]

    def __str__(self) -> str:
        return f"{self.mentee_organization_id}/{self.pair_id}: {self.mentees}"


class NetworkRequest(models.Model):
    """A curator's request for a mentor of another organization from the bank (сетевое наставничество).

    Carries nothing about the mentee beyond their category and the topic: the mentee's name and record
    stay in their organization (`mentee_entry_id` means nothing outside it).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Ожидает решения руководителя организации наставника"
        RELEASED = "released", "Руководитель отпустил наставника, ожидает согласия наставника"
        ACCEPTED = "accepted", "Наставник согласился, пара создана в организации наставляемого"
        DECLINED_BY_DIRECTOR = "declined_by_director", "Руководитель организации наставника отказал"
        DECLINED_BY_MENTOR = "declined_by_mentor", "Наставник отказался"
        CANCELLED = "cancelled", "Отозван организацией наставляемого"
        ENDED = "ended", "Сетевая пара завершена"

    mentee_organization = models.ForeignKey(
        "tenants.Organization", on_delete=models.CASCADE, related_name="network_requests_sent"
    )
    mentee_entry_id = models.BigIntegerField("запись банка наставляемых в организации")
    mentee_categories = ArrayField(models.CharField(max_length=32), verbose_name="категории наставляемого")
    topic = models.CharField("тема наставничества", max_length=300)
    mentor_organization = models.ForeignKey(
        "tenants.Organization", on_delete=models.CASCADE, related_name="network_requests_received"
    )
    mentor_entry_id = models.BigIntegerField("запись банка наставника в его организации")
    mentor_user = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="network_requests"
    )
    status = models.CharField("статус", max_length=24, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("запрос отправлен", default=timezone.now)
    director_decided_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    director_decided_at = models.DateTimeField("решение руководителя", null=True, blank=True)
    director_comment = models.CharField("комментарий руководителя", max_length=500, blank=True)
    mentor_decided_at = models.DateTimeField("решение наставника", null=True, blank=True)
    mentor_comment = models.CharField("комментарий наставника", max_length=500, blank=True)
    pair_id = models.BigIntegerField("пара в организации наставляемого", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "запрос сетевого наставника"
        verbose_name_plural = "запросы сетевых наставников"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee_organization", "mentee_entry_id", "mentor_organization", "mentor_entry_id"],
                condition=Q(status__in=["requested", "released"]),
                name="network_request_one_open",
                violation_error_message="Запрос этому наставнику для этого наставляемого уже отправлен.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_status_display()})"


# --- best practices --------------------------------------------------------------------------------


class PracticeCase(models.Model):
    """A best practice (кейс) written by an organization from a completed program.

    Vetted upward: the municipality reviews it (skipped for organizations of regional subordination),
    the region moderates it; a published case is in the regional bank of practices for everyone.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        MUNICIPAL_REVIEW = "municipal_review", "На рассмотрении муниципалитета"
        REGIONAL_REVIEW = "regional_review", "На модерации в регионе"
        RETURNED = "returned", "Возвращён на доработку"
        PUBLISHED = "published", "Опубликован"
        REJECTED = "rejected", "Отклонён"

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="practice_cases")
    municipality = models.ForeignKey(
        "tenants.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    # The completed program it was written from (ids inside the organization's schema).
    pair_id = models.BigIntegerField("пара в организации")
    program_id = models.BigIntegerField("программа в организации")
    title = models.CharField("название", max_length=300)
    problem = models.TextField("проблема")
    goal = models.TextField("цель")
    form = models.CharField("форма наставничества", max_length=32)
    kinds = ArrayField(models.CharField(max_length=20), verbose_name="виды наставничества")
    mentee_categories = ArrayField(
        models.CharField(max_length=32), verbose_name="категории наставляемых", default=list, blank=True
    )
    activities = models.TextField("мероприятия")
    results = models.TextField("результаты")
    materials = models.TextField("материалы", blank=True)
    authors = models.CharField("авторы", max_length=500, blank=True)
    status = models.CharField("статус", max_length=20, choices=Status.choices, default=Status.DRAFT)
    search = SearchVectorField("поисковый индекс", null=True)
    created_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("создан", default=timezone.now)
    submitted_at = models.DateTimeField("направлен", null=True, blank=True)
    published_at = models.DateTimeField("опубликован", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "кейс лучшей практики"
        verbose_name_plural = "банк лучших практик"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program_id"],
                condition=~Q(status="rejected"),
                name="practice_case_one_per_program",
                violation_error_message="По этой программе кейс уже написан.",
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="practice_case_search"),
            models.Index(fields=["region", "status"], name="practice_case_region"),
        ]

    def __str__(self) -> str:
        return self.title


class PracticeMaterial(models.Model):
    case = models.ForeignKey(PracticeCase, on_delete=models.CASCADE, related_name="files")
    title = models.CharField("название", max_length=300)
    file = models.FileField("файл", upload_to="practices/")

    class Meta:
        verbose_name = "материал кейса"
        verbose_name_plural = "материалы кейсов"

    def __str__(self) -> str:
        return self.title


class PracticeReview(models.Model):
    """A decision on a case at one level, with the reviewer's comment."""

    class Stage(models.TextChoices):
        MUNICIPALITY = "municipality", "Муниципалитет"
        REGION = "region", "Регион"

    class Decision(models.TextChoices):
        APPROVE = "approve", "Одобрить"
        RETURN = "return", "Вернуть на доработку"
        REJECT = "reject", "Отклонить"

    case = models.ForeignKey(PracticeCase, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField("уровень", max_length=16, choices=Stage.choices)
    decision = models.CharField("решение", max_length=16, choices=Decision.choices)
    comment = models.TextField("комментарий", blank=True)
    reviewer = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("дата решения", default=timezone.now)

    class Meta:
        verbose_name = "рассмотрение кейса"
        verbose_name_plural = "рассмотрения кейсов"
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_decision_display()}"


# --- contests and recognition ------------------------------------------------------------------------


class Contest(models.Model):
    class Kind(models.TextChoices):
        MENTOR_OF_YEAR = "mentor_of_year", "Наставник года"
        BEST_PAIR = "best_pair", "Лучшая пара"
        HONORARY_BADGE = "honorary_badge", "Нагрудный знак «Почётный наставник»"
        OTHER = "other", "Иной конкурс"

    class Status(models.TextChoices):
        DRAFT = "draft", "Подготовка"
        NOMINATION = "nomination", "Приём выдвижений"
        JUDGING = "judging", "Работа жюри"
        RESULTS = "results", "Итоги опубликованы"

    region = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="contests")
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("положение о конкурсе (кратко)", blank=True)
    nominations_from = models.DateField("выдвижение с")
    nominations_until = models.DateField("выдвижение по")
    # [{"code": "c1", "title": "…", "max": 10}, …]; every score is an integer 0…max.
    criteria = models.JSONField("критерии оценки", default=list)
    winners = models.PositiveSmallIntegerField("призовых мест", default=3)
    status = models.CharField("этап", max_length=16, choices=Status.choices, default=Status.DRAFT)
    results_published_at = models.DateTimeField("итоги опубликованы", null=True, blank=True)
    created_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "конкурс"
        verbose_name_plural = "конкурсы"
        ordering = ["-nominations_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_until__gte=models.F("nominations_from")),
                name="contest_dates_in_order",
                violation_error_message="Окончание выдвижения не может быть раньше начала.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ContestJuror(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey("tenants.User", on_delete=models.CASCADE, related_name="juries")

    class Meta:
        verbose_name = "член жюри"
        verbose_name_plural = "жюри"
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contest_juror_unique")]

    def __str__(self) -> str:
        return str(self.user)


class Nomination(models.Model):
    """An organization's nominee: a mentor (or a pair) with the consented name and the justification."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Выдвинут"
        WITHDRAWN = "withdrawn", "Отозван"

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="nominations")
    municipality = models.ForeignKey(
        "tenants.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The nominated mentor inside the organization (and the pair for «Лучшая пара»).
    staff_id = models.BigIntegerField("сотрудник в организации")
    pair_id = models.BigIntegerField("пара в организации", null=True, blank=True)
    nominee_name = models.CharField("номинант", max_length=300)
    nominee_position = models.CharField("должность", max_length=200, blank=True)
    justification = models.TextField("представление")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    total_score = models.DecimalField("итоговый балл", max_digits=7, decimal_places=2, null=True, blank=True)
    place = models.PositiveSmallIntegerField("место", null=True, blank=True)
    submitted_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("выдвинут", default=timezone.now)

    class Meta:
        verbose_name = "выдвижение"
        verbose_name_plural = "выдвижения"
        ordering = ["place", "-total_score", "nominee_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "organization", "staff_id"],
                condition=Q(status="submitted"),
                name="nomination_unique_nominee",
                violation_error_message="Этот человек уже выдвинут на конкурс от организации.",
            ),
        ]

    def __str__(self) -> str:
        return self.nominee_name


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey("tenants.User", on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField("критерий", max_length=20)
    value = models.PositiveSmallIntegerField("балл")
    scored_at = models.DateTimeField("оценено", default=timezone.now)

    class Meta:
        verbose_name = "оценка"
        verbose_name_plural = "оценки"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "juror", "criterion"], name="score_unique_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


# --- events ----------------------------------------------------------------------------------------


class Event(models.Model):
    """A webinar, conference or training of the region or a municipality for the organizations below."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", "Вебинар"
        CONFERENCE = "conference", "Конференция"
        TRAINING = "training", "Обучение (курсы, тренинг)"
        SEMINAR = "seminar", "Семинар, практикум"
        OTHER = "other", "Иное мероприятие"

    class Format(models.TextChoices):
        ONLINE = "online", "Дистанционно"
        OFFLINE = "offline", "Очно"
        MIXED = "mixed", "Смешанный формат"

    publisher = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    format = models.CharField("формат", max_length=16, choices=Format.choices, default=Format.ONLINE)
    place = models.CharField("место проведения или ссылка", max_length=500, blank=True)
    capacity = models.PositiveIntegerField("мест", null=True, blank=True)
    registration_until = models.DateTimeField("регистрация до", null=True, blank=True)
    is_cancelled = models.BooleanField("отменено", default=False)
    created_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("создано", default=timezone.now)

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_dates_in_order",
                violation_error_message="Окончание мероприятия должно быть позже начала.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey("tenants.User", on_delete=models.CASCADE, related_name="event_registrations")
    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    registered_by = models.ForeignKey("tenants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField("зарегистрирован", default=timezone.now)
    attended = models.BooleanField("присутствовал", null=True, blank=True)

    class Meta:
        verbose_name = "регистрация на мероприятие"
        verbose_name_plural = "регистрации на мероприятия"
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="event_registration_unique",
                violation_error_message="Участник уже зарегистрирован на это мероприятие.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"
