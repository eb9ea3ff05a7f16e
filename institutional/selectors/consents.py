"""Read path of written consents (tenant schema).

`access_consent` is the only way a view gets a consent by id: the curator, the council and the
director see every consent; anyone else only the consents they gave themselves (their staff row).
Missing and forbidden answer the same "not found".
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from institutional.access import OVERSEERS, has_any_role, own_staff
from institutional.models import Consent


def consent_list(*, kind: str = "", status: str = "") -> QuerySet[Consent]:
    consents = Consent.objects.select_related("staff", "mentee_entry")
    if kind:
        consents = consents.filter(kind=kind)
    if status:
        consents = consents.filter(status=status)
    return consents


def consents_visible(request, *, own_only: bool = False) -> QuerySet[Consent]:
    if not own_only and has_any_role(request, OVERSEERS):
        return consent_list()
    staff = own_staff(request)
    if staff is None:
        return Consent.objects.none()
    return consent_list().filter(staff=staff)


def access_consent(*, request, consent_id: int, own_only: bool = False) -> Consent:
    consent = consents_visible(request, own_only=own_only).filter(pk=consent_id).first()
    if consent is None:
        raise Http404("Согласие не найдено.")
    return consent


def is_own_consent(request, consent: Consent) -> bool:
    staff = own_staff(request)
    return staff is not None and consent.staff_id == staff.pk


def has_signed_consent(*, kind: str, staff=None, mentee_entry=None) -> bool:
    consents = Consent.objects.filter(kind=kind, status=Consent.Status.SIGNED)
    if staff is not None:
        return consents.filter(staff=staff).exists()
    return consents.filter(mentee_entry=mentee_entry).exists()


def has_withdrawn_without_new(*, kind: str, staff) -> bool:
    """The person withdrew this kind of consent and has not signed a new one since."""
    consents = Consent.objects.filter(kind=kind, staff=staff)
    return (
        consents.filter(status=Consent.Status.WITHDRAWN).exists()
        and not consents.filter(status=Consent.Status.SIGNED).exists()
    )
