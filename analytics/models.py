"""Public schema: the read model — what each organization publishes upward, as counts and opaque ids.

Every table here is a projection of one organization's raw tenant tables, recomputed as a whole by
`analytics.projection.refresh_organization` (idempotent) after the commit of a write and by a periodic
reconciliation. Nothing here is personal data: people appear only as the id of their row inside their
organization's schema (`staff_id`), which means nothing outside it, and no names, requests, notes or
answers ever reach these tables. Regional and municipal pages read only these tables.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class OrganizationFacts(models.Model):
    """One row per organization: the state of its mentoring system as of `as_of`."""

    organization = models.OneToOneField(
        "tenants.Organization", primary_key=True, on_delete=models.CASCADE, related_name="facts"
    )
    as_of = models.DateField("на дату")
    computed_at = models.DateTimeField("рассчитано", default=timezone.now)
    regulation_approved_on = models.DateField("положение утверждено (дата приказа)", null=True, blank=True)
    curator_since = models.DateField("куратор назначен с", null=True, blank=True)
    roadmap_years = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name="учебные годы с утверждённой дорожной картой", default=list
    )
    staff_employed = models.PositiveIntegerField("работает педагогов", default=0)
    mentors_in_bank = models.PositiveIntegerField("наставников в банке", default=0)
    mentees_waiting = models.PositiveIntegerField("ожидают наставника", default=0)
    # K6 as of `as_of` (see analytics/kpi.py).
    overdue_appointments = models.PositiveIntegerField("просрочено назначение наставника", default=0)
    overdue_programs = models.PositiveIntegerField("программы не составлены в срок", default=0)
    overdue_reports = models.PositiveIntegerField("итоговые отчёты не сданы в срок", default=0)
    overdue_roadmap_activities = models.PositiveIntegerField("мероприятия дорожной карты просрочены", default=0)
    # K8: mentors of the bank by the number of mentees they have now ({"0": 3, "1": 5, …}).
    mentor_loads = models.JSONField("загрузка наставников", default=dict)
    mentors_over_cap = models.PositiveIntegerField("наставников сверх предельной нагрузки", default=0)
    mentor_cap = models.PositiveSmallIntegerField("предельная нагрузка по положению", default=3)

    class Meta:
        verbose_name = "показатели организации"
        verbose_name_plural = "показатели организаций"

    def __str__(self) -> str:
        return f"{self.organization_id} на {self.as_of:%d.%m.%Y}"


class StaffFact(models.Model):
    """A pedagogical worker of an organization, without anything that identifies the person."""

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    staff_id = models.BigIntegerField("номер записи в организации")
    hired_on = models.DateField("принят")
    dismissed_on = models.DateField("уволен", null=True, blank=True)
    is_young_specialist = models.BooleanField("молодой специалист", default=False)

    class Meta:
        verbose_name = "факт: педагог"
        verbose_name_plural = "факты: педагоги"
        constraints = [models.UniqueConstraint(fields=["organization", "staff_id"], name="staff_fact_unique")]
        indexes = [models.Index(fields=["organization", "hired_on"])]

    def __str__(self) -> str:
        return f"{self.organization_id}/педагог {self.staff_id}"


class PairFact(models.Model):
    """A mentoring pair or group of an organization (never a draft)."""

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    pair_id = models.BigIntegerField("номер пары в организации")
    form = models.CharField("форма", max_length=32)
    kinds = ArrayField(models.CharField(max_length=20), verbose_name="виды", default=list)
    is_network = models.BooleanField("сетевая", default=False)
    status = models.CharField("статус", max_length=16)
    approved_on = models.DateField("дата приказа об утверждении")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание по плану")
    ended_on = models.DateField("фактически завершена", null=True, blank=True)
    end_reason = models.CharField("основание завершения", max_length=32, blank=True)
    mentee_count = models.PositiveSmallIntegerField("наставляемых")
    program_status = models.CharField("статус программы", max_length=16, blank=True)
    program_extended = models.BooleanField("программа продлевалась", default=False)

    class Meta:
        verbose_name = "факт: пара (группа)"
        verbose_name_plural = "факты: пары и группы"
        constraints = [models.UniqueConstraint(fields=["organization", "pair_id"], name="pair_fact_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id}/пара {self.pair_id}"


class ParticipationFact(models.Model):
    """Who took part in a pair, in which role and when (a replaced mentor keeps the days they led)."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Наставник"
        MENTEE = "mentee", "Наставляемый"

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    pair_id = models.BigIntegerField("номер пары в организации")
    # None for a trainee who is not on the staff (a student under contract).
    staff_id = models.BigIntegerField("номер записи педагога", null=True, blank=True)
    role = models.CharField("роль", max_length=8, choices=Role.choices)
    from_date = models.DateField("с")
    to_date = models.DateField("по")

    class Meta:
        verbose_name = "факт: участие в паре"
        verbose_name_plural = "факты: участие в парах"
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.organization_id}/пара {self.pair_id}: {self.role} {self.staff_id}"


class SatisfactionFact(models.Model):
    """One final satisfaction questionnaire answer, reduced to its score (analytics/kpi.py, K7)."""

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    pair_id = models.BigIntegerField("номер пары в организации")
    role = models.CharField("роль", max_length=8, choices=ParticipationFact.Role.choices)
    score = models.DecimalField("балл (1–5)", max_digits=4, decimal_places=2)
    pair_ended_on = models.DateField("пара завершена")

    class Meta:
        verbose_name = "факт: удовлетворённость"
        verbose_name_plural = "факты: удовлетворённость"

    def __str__(self) -> str:
        return f"{self.organization_id}/пара {self.pair_id}: {self.role} {self.score}"


class RoadmapStageFact(models.Model):
    """A stage of an approved roadmap with its activities counted (K11)."""

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    position = models.PositiveSmallIntegerField("номер этапа")
    title = models.CharField("этап", max_length=300)
    activities = models.PositiveIntegerField("мероприятий", default=0)
    done = models.PositiveIntegerField("выполнено", default=0)
    overdue = models.PositiveIntegerField("просрочено", default=0)

    class Meta:
        verbose_name = "факт: этап дорожной карты"
        verbose_name_plural = "факты: этапы дорожных карт"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "academic_year", "position"], name="roadmap_stage_fact_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.academic_year}: {self.position}. {self.title}"


class KpiSnapshot(models.Model):
    """The headline indicators of an organization of any level on one day: the points of a trend.

    Taken daily for the region, each municipality and each educational organization
    (`analytics.snapshots`); `values` holds numerators and denominators, never percentages alone.
    """

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    taken_on = models.DateField("дата")
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    values = models.JSONField("показатели", default=dict)

    class Meta:
        verbose_name = "снимок показателей"
        verbose_name_plural = "снимки показателей"
        ordering = ["organization_id", "taken_on"]
        constraints = [models.UniqueConstraint(fields=["organization", "taken_on"], name="kpi_snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} на {self.taken_on:%d.%m.%Y}"


class MonitoringCampaign(models.Model):
    """The region's annual monitoring: a window in which every organization reviews and submits its figures."""

    class Status(models.TextChoices):
        OPEN = "open", "Идёт"
        CLOSED = "closed", "Завершена"

    region = models.ForeignKey(
        "tenants.Organization", verbose_name="регион", on_delete=models.CASCADE, related_name="monitoring_campaigns"
    )
    title = models.CharField("название", max_length=300)
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    opens_on = models.DateField("начало приёма")
    closes_on = models.DateField("окончание приёма")
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey("tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("создана", default=timezone.now)
    closed_at = models.DateTimeField("закрыта", null=True, blank=True)
    closed_by = models.ForeignKey("tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "мониторинговая кампания"
        verbose_name_plural = "мониторинговые кампании"
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_window_ordered",
                violation_error_message="Окончание приёма не может быть раньше его начала.",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(status="open"),
                name="campaign_one_open_per_region",
                violation_error_message="В регионе уже идёт мониторинговая кампания.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignSubmission(models.Model):
    """An organization's figures in a campaign: as its curator submitted them, or as they were at closing."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Сдано"
        MISSING = "missing", "Не сдано (зафиксировано при закрытии)"

    campaign = models.ForeignKey(MonitoringCampaign, on_delete=models.CASCADE, related_name="submissions")
    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    # The municipality (or the region for regional subordination) at the time of the submission.
    parent = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("состояние", max_length=10, choices=Status.choices)
    # analytics.rows.organization_row() of the organization at that moment (JSON-safe values).
    figures = models.JSONField("показатели", default=dict)
    comment = models.TextField("комментарий куратора", blank=True)
    submitted_at = models.DateTimeField("сдано", default=timezone.now)
    submitted_by = models.ForeignKey("tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "сведения организации в мониторинге"
        verbose_name_plural = "сведения организаций в мониторинге"
        ordering = ["campaign_id", "organization_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="campaign_submission_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.organization_id}: {self.status}"


class ExportJob(models.Model):
    """A statistical export built in the background (region-wide ones), kept for download."""

    class Status(models.TextChoices):
        PENDING = "pending", "В очереди"
        RUNNING = "running", "Выполняется"
        DONE = "done", "Готово"
        FAILED = "failed", "Ошибка"

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    # Whose data: the region, a municipality or an organization (the export covers what is under it).
    scope = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey("tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    format = models.CharField("формат", max_length=4, choices=Format.choices, default=Format.XLSX)
    period_start = models.DateField("период с")
    period_end = models.DateField("период по")
    # Set for the frozen export of a closed campaign (figures exactly as submitted).
    campaign = models.ForeignKey(MonitoringCampaign, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("всего шагов", default=0)
    processed = models.PositiveIntegerField("выполнено шагов", default=0)
    file_name = models.CharField("имя файла", max_length=200, blank=True)
    content = models.BinaryField("файл", null=True, blank=True)
    error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    class Meta:
        verbose_name = "выгрузка"
        verbose_name_plural = "выгрузки"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or f"выгрузка {self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class OrganizationYearKpi(models.Model):
    """Every indicator's inputs of one organization for one academic year, as of its last recomputation.

    Written by `analytics.projection.store_facts` in the same transaction as the facts it is computed
    from (the current and the previous academic year), by the same formulas
    (`analytics.kpi.compute_organization_kpis`), so it is never out of step with them; the dashboards
    of a whole region read these rows instead of aggregating every fact table on each request.
    """

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    # analytics.kpi.FORMULAS_VERSION when computed: rows of older formulas are recomputed, never read.
    formulas_version = models.PositiveSmallIntegerField("версия формул")
    values = models.JSONField("показатели")

    class Meta:
        verbose_name = "показатели организации за учебный год"
        verbose_name_plural = "показатели организаций за учебный год"
        constraints = [
            models.UniqueConstraint(fields=["organization", "academic_year"], name="organization_year_kpi_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.academic_year}"
