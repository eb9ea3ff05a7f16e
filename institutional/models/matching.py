"""Runs in the tenant schema: matching by mutual preference (подбор пар по взаимным предпочтениям).

A round is held after a group meeting: the waiting mentees and the active mentors at the moment the
round is opened take part; each ranks the other side (partial lists allowed); the platform proposes
a stable assignment the curator reviews, edits and sends for approval as draft pairs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MatchingRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Сбор предпочтений"
        PROPOSED = "proposed", "Распределение предложено"
        SENT = "sent", "Отправлено на утверждение"

    title = models.CharField("название", max_length=300)
    meeting_on = models.DateField("дата групповой встречи", null=True, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", default=timezone.now)
    sent_at = models.DateTimeField("отправлен на утверждение", null=True, blank=True)

    class Meta:
        verbose_name = "тур подбора пар"
        verbose_name_plural = "туры подбора пар"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MatchPreference(models.Model):
    """One participant of a round (a mentee entry or a mentor entry) and the other side ranked, best first."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="preferences")
    mentee = models.ForeignKey(
        "institutional.MenteeEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        "institutional.MentorEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Entry ids of the other side: mentor entries for a mentee, mentee entries for a mentor.
    ranked = ArrayField(models.PositiveIntegerField(), verbose_name="предпочтения", default=list, blank=True)
    # For a mentee left unmatched: the support they get meanwhile (e.g. the psychologist's).
    support_note = models.TextField("поддержка до назначения наставника", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "предпочтения участника тура"
        verbose_name_plural = "предпочтения участников тура"
        constraints = [
            models.CheckConstraint(
                condition=(Q(mentee__isnull=False) & Q(mentor__isnull=True))
                | (Q(mentee__isnull=True) & Q(mentor__isnull=False)),
                name="match_preference_one_side",
                violation_error_message="Участник тура — либо наставляемый, либо наставник.",
            ),
            models.UniqueConstraint(fields=["round", "mentee"], name="match_preference_mentee_once"),
            models.UniqueConstraint(fields=["round", "mentor"], name="match_preference_mentor_once"),
        ]

    def __str__(self) -> str:
        return str(self.mentee or self.mentor)


class MatchProposal(models.Model):
    """A pair of the proposed assignment: the algorithm's result, then the curator's edits."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey("institutional.MenteeEntry", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("institutional.MentorEntry", on_delete=models.CASCADE, related_name="+")
    is_manual = models.BooleanField("изменено куратором", default=False)
    pair = models.ForeignKey("institutional.Pair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "предлагаемая пара"
        verbose_name_plural = "предлагаемые пары"
        constraints = [models.UniqueConstraint(fields=["round", "mentee"], name="match_proposal_mentee_once")]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.mentee}"
