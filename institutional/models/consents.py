"""Runs in the tenant schema: written consents of mentors and mentees (personal data, mentoring
duties, a parent's consent for a minor, publication in the bank and on the public page).

A consent keeps a snapshot of everything the signed paper said (operator, purpose, data, actions,
term, how to withdraw), so the record stays true when the organization's details change later.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ConsentKind(models.TextChoices):
    PERSONAL_DATA = "personal_data", "Согласие на обработку персональных данных"
    MENTORING_DUTIES = "mentoring_duties", "Согласие на выполнение обязанностей наставника"
    PARENT_PERSONAL_DATA = (
        "parent_personal_data",
        "Согласие родителя (законного представителя) на обработку персональных данных",
    )
    PUBLICATION = "publication", "Согласие на публикацию сведений в банке наставников и на сайте"


class Consent(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Подготовлено, не подписано"
        SIGNED = "signed", "Подписано"
        WITHDRAWN = "withdrawn", "Отозвано"

    kind = models.CharField("вид согласия", max_length=32, choices=ConsentKind.choices)
    staff = models.ForeignKey(
        "institutional.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    mentee_entry = models.ForeignKey(
        "institutional.MenteeEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
        help_text="для стажёра или студента, который не является сотрудником",
    )
    subject_full_name = models.CharField("субъект персональных данных", max_length=300)
    subject_document = models.CharField(
        "документ, удостоверяющий личность (вид, серия, номер, кем и когда выдан)", max_length=500, blank=True
    )
    subject_address = models.CharField("адрес субъекта", max_length=500, blank=True)
    representative_full_name = models.CharField("законный представитель", max_length=300, blank=True)
    representative_document = models.CharField("документ законного представителя", max_length=500, blank=True)
    representative_basis = models.CharField("основание полномочий представителя", max_length=300, blank=True)

    operator_name = models.CharField("оператор", max_length=500)
    operator_address = models.CharField("адрес оператора", max_length=500, blank=True)
    operator_inn = models.CharField("ИНН оператора", max_length=12, blank=True)
    purpose = models.TextField("цель обработки")
    data_list = models.TextField("перечень персональных данных")
    actions = models.TextField("перечень действий с данными")
    term = models.CharField("срок действия согласия", max_length=300)
    withdrawal_procedure = models.TextField("порядок отзыва")
    published_fields = ArrayField(
        models.CharField(max_length=40), verbose_name="публикуемые сведения", default=list, blank=True
    )

    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField("дата подписания", null=True, blank=True)
    signed_scan = models.FileField("скан подписанного согласия", upload_to="consents/", blank=True)
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
    withdrawal_note = models.CharField("основание отзыва", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("создано", default=timezone.now)

    class Meta:
        verbose_name = "согласие"
        verbose_name_plural = "согласия"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(staff__isnull=False) & Q(mentee_entry__isnull=True))
                | (Q(staff__isnull=True) & Q(mentee_entry__isnull=False)),
                name="consent_one_subject",
                violation_error_message="Согласие даёт либо сотрудник, либо стажёр (студент) из банка наставляемых.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="consent_signed_has_date",
                violation_error_message="Для подписанного согласия укажите дату подписания.",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="consent_withdrawn_has_date",
                violation_error_message="Для отозванного согласия укажите дату отзыва.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="parent_personal_data") | ~Q(representative_full_name=""),
                name="consent_parent_named",
                violation_error_message="В согласии родителя укажите законного представителя.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_full_name}"

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.SIGNED
