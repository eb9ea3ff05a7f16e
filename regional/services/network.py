"""Write path of network mentoring (сетевое наставничество): a mentor of another organization from the bank.

Runs from any tenant host. The request is a public row (`regional.NetworkRequest`); the checks in the
mentor's organization (their bank entry, employment, consents) and the writes in the mentee's
organization (the outside staff record and bank entry, the draft pair, the mentor's membership) run
in those organizations' schemas on the same connection, inside the same transaction
(`django_tenants.utils.tenant_context`), so a failure leaves nothing anywhere.

The flow: the mentee's organization requests (`network_request_create`) → the director of the
mentor's organization releases or declines → the mentor accepts (a draft network pair appears in
the mentee's organization, approved later by its director's order like any pair) or declines. When
the pair ends or its mentor is replaced, `network_pair_closed` marks the request ended. Nothing
about the mentee beyond their categories and the topic ever leaves the mentee's schema.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from institutional.models import ConsentKind, MenteeEntry, MentorEntry, Staff, Visibility
from institutional.selectors.consents import has_signed_consent
from institutional.selectors.regulation import rules_in_force
from institutional.services.pairs import pair_create
from nastavnik.audit import actor_context, actor_id
from regional.models import BankMentor, NetworkRequest
from regional.network import OPEN_STATUSES, access_bank_mentor, mentor_places
from tenants.models import Membership, Organization, Role, User
from tenants.services import membership_grant

TOPIC_MAX = 300
COMMENT_MAX = 500
# The draft network pair: a mentor of another organization works at a distance, for half a year.
NETWORK_FORM = "teacher_teacher"
NETWORK_KINDS = ["virtual"]
NETWORK_MONTHS = 6

DIRECTOR_ONLY = "Решение принимает руководитель организации наставника."
MENTOR_ONLY = "Ответить на запрос может только сам наставник."
REQUESTER_ONLY = "Запросить наставника другой организации может куратор, член совета наставников или руководитель."
DUPLICATE = "Запрос этому наставнику для этого наставляемого уже отправлен."
REQUESTER_ROLES = (Role.CURATOR, Role.COUNCIL_MEMBER, Role.DIRECTOR)


def _has_role(user, organization_id: int, roles) -> bool:
    return Membership.objects.filter(
        user_id=getattr(user, "pk", None), organization_id=organization_id, role__in=list(roles), is_active=True
    ).exists()


def _no_places_message(places) -> str:
    return f"У наставника нет свободных мест: занято {places.taken} из {places.capacity}."


def _check_places(*, organization_id: int, mentor_entry_id: int, default_capacity: int) -> None:
    places = mentor_places(
        organization_id=organization_id, mentor_entry_id=mentor_entry_id, default_capacity=default_capacity
    )
    if places.free <= 0:
        raise ValidationError(_no_places_message(places))


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"Комментарий — не длиннее {COMMENT_MAX} символов."})
    return comment


def _locked(network_request: NetworkRequest) -> NetworkRequest:
    """The request re-read under a row lock (two decisions on one request never both pass)."""
    return (
        NetworkRequest.objects.select_for_update(of=("self",))
        .select_related("mentee_organization", "mentor_organization", "mentor_user")
        .get(pk=network_request.pk)
    )


def _check_status(found: NetworkRequest, expected) -> None:
    if found.status != expected:
        raise ValidationError(f"Сейчас запрос в состоянии «{found.get_status_display()}»: это решение принять нельзя.")


def refresh_after_commit(organization_id: int) -> None:
    """After the commit, recompute what `organization_id` publishes (its projection), as every write of
    the current organization does (`analytics.projection.mark_dirty`, sent into that schema)."""
    from analytics.projection import mark_dirty

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    with tenant_context(organization):
        mark_dirty()


# --- 1. the mentee's organization asks ---------------------------------------------------------------


def _home_mentor_user(mentor_organization: Organization, mentor_entry_id: int):
    """The platform account of the mentor behind a bank entry, read in the mentor's schema."""
    with tenant_context(mentor_organization):
        entry = (
            MentorEntry.objects.filter(pk=mentor_entry_id, home_organization_id__isnull=True)
            .select_related("staff")
            .first()
        )
        if entry is None or not entry.is_active:
            raise ValidationError("Наставник больше не состоит в банке наставников своей организации.")
        user_id = entry.staff.user_id
    if user_id is None:
        raise ValidationError(
            "У наставника нет учётной записи на платформе, ответить на запрос он не сможет. "
            "Обратитесь в его организацию."
        )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError("Учётная запись наставника отключена, ответить на запрос он не сможет.")
    return user


def _check_not_own_staff(user) -> None:
    """In the current (mentee's) schema: the mentor is not also an employee of this organization."""
    if Staff.objects.filter(user_id=user.pk, is_outside=False).exists():
        raise ValidationError(
            "Этот наставник работает и в вашей организации: закрепите его через свой банк наставников."
        )


def network_request_create(
    *, actor, organization: Organization, bank_mentor_id: int, mentee_entry_id: int | None, topic: str
) -> NetworkRequest:
    """A request of `organization` (the current schema) for a mentor of another organization.

    Stores only the mentee's categories and the topic (and the mentee entry's id, which means nothing
    outside this organization). Refused, with nothing written, for a mentor of the same organization
    or one the organization does not see in the bank, a mentor without a free place, a request
    already open, a mentee who is not waiting for a mentor.
    """
    if not _has_role(actor, organization.pk, REQUESTER_ROLES):
        raise ValidationError(REQUESTER_ONLY)
    try:
        mentor = access_bank_mentor(organization=organization, bank_mentor_id=bank_mentor_id)
    except Http404 as error:
        raise ValidationError("Этого наставника нет в банке, доступном вашей организации.") from error
    if mentor.organization_id == organization.pk:
        raise ValidationError("Это наставник вашей организации: закрепите его через свой банк наставников.")
    errors = {}
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = "Сформулируйте тему наставничества."
    elif len(topic) > TOPIC_MAX:
        errors["topic"] = f"Тема — не длиннее {TOPIC_MAX} символов."
    mentee = MenteeEntry.objects.select_related("staff").filter(pk=mentee_entry_id).first() if mentee_entry_id else None
    if mentee is None:
        errors["mentee"] = "Выберите наставляемого из банка наставляемых вашей организации."
    elif mentee.status != MenteeEntry.Status.WAITING:
        errors["mentee"] = f"{mentee.full_name}: {mentee.get_status_display().lower()}, а не ожидает наставника."
    if errors:
        raise ValidationError(errors)
    if NetworkRequest.objects.filter(
        mentee_organization=organization,
        mentee_entry_id=mentee.pk,
        mentor_organization_id=mentor.organization_id,
        mentor_entry_id=mentor.mentor_entry_id,
        status__in=OPEN_STATUSES,
    ).exists():
        raise ValidationError(DUPLICATE)
    _check_places(
        organization_id=mentor.organization_id,
        mentor_entry_id=mentor.mentor_entry_id,
        default_capacity=mentor.capacity,
    )
    mentor_user = _home_mentor_user(mentor.organization, mentor.mentor_entry_id)
    _check_not_own_staff(mentor_user)
    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            return NetworkRequest.objects.create(
                mentee_organization=organization,
                mentee_entry_id=mentee.pk,
                mentee_categories=list(mentee.categories),
                topic=topic,
                mentor_organization_id=mentor.organization_id,
                mentor_entry_id=mentor.mentor_entry_id,
                mentor_user=mentor_user,
                requested_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(DUPLICATE) from error


def network_request_cancel(*, actor, network_request: NetworkRequest) -> NetworkRequest:
    """The mentee's organization withdraws a request the mentor has not answered yet."""
    if not _has_role(actor, network_request.mentee_organization_id, REQUESTER_ROLES):
        raise ValidationError(
            "Отозвать запрос может куратор, член совета наставников или руководитель организации наставляемого."
        )
    with transaction.atomic(), actor_context(actor_id(actor)):
        found = _locked(network_request)
        if found.status not in OPEN_STATUSES:
            raise ValidationError(f"Запрос уже в состоянии «{found.get_status_display()}»: отозвать его нельзя.")
        found.status = NetworkRequest.Status.CANCELLED
        found.save(update_fields=["status", "updated_at"])
    return found


# --- 2. the director of the mentor's organization -------------------------------------------------------


def _release_problems(found: NetworkRequest) -> list[str]:
    """In the mentor's schema: still in the bank, employed, both consents signed."""
    with tenant_context(found.mentor_organization):
        entry = (
            MentorEntry.objects.filter(pk=found.mentor_entry_id, home_organization_id__isnull=True)
            .select_related("staff")
            .first()
        )
        if entry is None or not entry.is_active:
            return ["наставник исключён из банка наставников"]
        staff = entry.staff
        if not staff.is_employed:
            return [f"{staff.short_name} не работает в организации"]
        missing = [
            label
            for kind, label in (
                (ConsentKind.PERSONAL_DATA, "согласия на обработку персональных данных"),
                (ConsentKind.MENTORING_DUTIES, "согласия на выполнение обязанностей наставника"),
            )
            if not has_signed_consent(kind=kind, staff=staff)
        ]
        if missing:
            return [f"у наставника {staff.short_name} нет подписанного " + " и ".join(missing)]
    return []


def _director_decides(*, actor, network_request: NetworkRequest, comment: str, status: str, check=None):
    comment = _clean_comment(comment)
    if not _has_role(actor, network_request.mentor_organization_id, (Role.DIRECTOR,)):
        raise ValidationError(DIRECTOR_ONLY)
    _check_status(network_request, NetworkRequest.Status.REQUESTED)
    if check is not None:
        check(network_request)
    with transaction.atomic(), actor_context(actor_id(actor)):
        found = _locked(network_request)
        _check_status(found, NetworkRequest.Status.REQUESTED)
        found.status = status
        found.director_decided_by, found.director_decided_at, found.director_comment = actor, timezone.now(), comment
        found.save(
            update_fields=["status", "director_decided_by", "director_decided_at", "director_comment", "updated_at"]
        )
    return found


def _check_releasable(network_request: NetworkRequest) -> None:
    problems = _release_problems(network_request)
    if problems:
        raise ValidationError("Отпустить наставника нельзя: " + "; ".join(problems) + ".")


def network_request_release(*, actor, network_request: NetworkRequest, comment: str = "") -> NetworkRequest:
    """The mentor's director lets the mentor take the mentee (the mentor decides next)."""
    return _director_decides(
        actor=actor,
        network_request=network_request,
        comment=comment,
        status=NetworkRequest.Status.RELEASED,
        check=_check_releasable,
    )


def network_request_decline_by_director(*, actor, network_request: NetworkRequest, comment: str = "") -> NetworkRequest:
    return _director_decides(
        actor=actor,
        network_request=network_request,
        comment=comment,
        status=NetworkRequest.Status.DECLINED_BY_DIRECTOR,
    )


# --- 3. the mentor ---------------------------------------------------------------------------------------


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _outside_staff(*, user, mentor_organization: Organization, position: str):
    """In the mentee's schema: the mentor's outside staff record (created once, reused after)."""

    staff = Staff.objects.filter(user_id=user.pk).first()
    if staff is not None:
        if not staff.is_outside:
            raise ValidationError(
                "Этот наставник работает и в организации наставляемого: его закрепляют через её банк наставников."
            )
        staff.last_name, staff.first_name, staff.patronymic = user.last_name, user.first_name, user.patronymic
        staff.position = position or staff.position
        staff.home_organization_name = mentor_organization.full_name[:500]
        staff.save(
            update_fields=["last_name", "first_name", "patronymic", "position", "home_organization_name", "updated_at"]
        )
        return staff
    return Staff.objects.create(
        last_name=user.last_name,
        first_name=user.first_name,
        patronymic=user.patronymic,
        position=(position or "педагогический работник")[:200],
        hire_date=organization_today(),
        is_outside=True,
        home_organization_name=mentor_organization.full_name[:500],
        user_id=user.pk,
    )


def _outside_entry(*, staff, found: NetworkRequest, home):
    """In the mentee's schema: the outside bank entry pointing at the mentor's entry at home."""
    entry = MentorEntry.objects.filter(staff=staff, is_active=True).first()
    if entry is None:
        return MentorEntry.objects.create(
            staff=staff,
            competencies=home["competencies"] or "Наставник другой организации (сетевое наставничество)",
            subjects=home["subjects"],
            capacity=home["capacity"],
            visibility=Visibility.ORGANIZATION,
            home_organization_id=found.mentor_organization_id,
            home_entry_id=found.mentor_entry_id,
        )
    entry.home_organization_id, entry.home_entry_id = found.mentor_organization_id, found.mentor_entry_id
    entry.capacity = home["capacity"]
    entry.save(update_fields=["home_organization_id", "home_entry_id", "capacity", "updated_at"])
    return entry


def _home_profile(found: NetworkRequest) -> dict:
    """What the outside entry copies from the mentor's own bank entry (read in the mentor's schema)."""
    with tenant_context(found.mentor_organization):
        entry = (
            MentorEntry.objects.filter(pk=found.mentor_entry_id, home_organization_id__isnull=True)
            .select_related("staff")
            .first()
        )
        if entry is None or not entry.is_active:
            raise ValidationError("Наставник больше не состоит в банке наставников своей организации.")
        return {
            "competencies": entry.competencies,
            "subjects": list(entry.subjects or entry.staff.subjects or []),
            "capacity": entry.capacity,
            "position": entry.staff.position,
        }


def _period(today: date) -> tuple[date, date]:
    rules = rules_in_force()
    months = min(max(NETWORK_MONTHS, rules.mentoring_min_months), rules.mentoring_max_months)
    starts_on = next_working_day(today)
    return starts_on, starts_on + relativedelta(months=months)


def network_request_accept(*, actor, network_request: NetworkRequest, comment: str = "") -> NetworkRequest:
    """The mentor agrees: a draft network pair in the mentee's organization, all in one transaction.

    In the mentee's schema: the mentor's outside staff record and bank entry (created or reused), a
    draft pair with the mentee (teacher–teacher, virtual, from the next working day for half a year —
    editable as any draft) and the mentor's membership there; the request is then accepted. The
    mentee's director approves the pair by order (the cap across organizations is enforced then).
    """
    comment = _clean_comment(comment)
    if network_request.mentor_user_id is None or network_request.mentor_user_id != getattr(actor, "pk", None):
        raise ValidationError(MENTOR_ONLY)
    _check_status(network_request, NetworkRequest.Status.RELEASED)
    try:
        return _accept(actor=actor, network_request=network_request, comment=comment)
    except IntegrityError as error:  # the same mentor accepting two requests of one school at once
        raise ValidationError("Не удалось принять запрос из-за одновременного изменения. Повторите попытку.") from error


def _accept(*, actor, network_request: NetworkRequest, comment: str) -> NetworkRequest:
    with transaction.atomic(), actor_context(actor_id(actor)):
        found = _locked(network_request)
        _check_status(found, NetworkRequest.Status.RELEASED)
        bank = BankMentor.objects.filter(
            organization_id=found.mentor_organization_id, mentor_entry_id=found.mentor_entry_id
        ).first()
        home = _home_profile(found)
        _check_places(
            organization_id=found.mentor_organization_id,
            mentor_entry_id=found.mentor_entry_id,
            default_capacity=bank.capacity if bank else home["capacity"],
        )
        with tenant_context(found.mentee_organization):
            mentee = MenteeEntry.objects.select_related("staff").filter(pk=found.mentee_entry_id).first()
            if mentee is None or mentee.status != MenteeEntry.Status.WAITING:
                raise ValidationError(
                    "Наставляемый больше не ожидает наставника: организация наставляемого уже решила вопрос иначе."
                )
            staff = _outside_staff(user=actor, mentor_organization=found.mentor_organization, position=home["position"])
            entry = _outside_entry(staff=staff, found=found, home=home)
            starts_on, ends_on = _period(organization_today())
            pair = pair_create(
                actor=actor,
                mentor=entry,
                mentees=[mentee],
                form=NETWORK_FORM,
                kinds=NETWORK_KINDS,
                starts_on=starts_on,
                ends_on=ends_on,
                is_network=True,
            )
        membership_grant(actor=actor, user=actor, organization=found.mentee_organization, role=Role.MENTOR)
        found.status = NetworkRequest.Status.ACCEPTED
        found.mentor_decided_at, found.mentor_comment, found.pair_id = timezone.now(), comment, pair.pk
        found.save(update_fields=["status", "mentor_decided_at", "mentor_comment", "pair_id", "updated_at"])
    return found


def network_request_decline_by_mentor(*, actor, network_request: NetworkRequest, comment: str = "") -> NetworkRequest:
    comment = _clean_comment(comment)
    if network_request.mentor_user_id is None or network_request.mentor_user_id != getattr(actor, "pk", None):
        raise ValidationError(MENTOR_ONLY)
    _check_status(network_request, NetworkRequest.Status.RELEASED)
    with transaction.atomic(), actor_context(actor_id(actor)):
        found = _locked(network_request)
        _check_status(found, NetworkRequest.Status.RELEASED)
        found.status = NetworkRequest.Status.DECLINED_BY_MENTOR
        found.mentor_decided_at, found.mentor_comment = timezone.now(), comment
        found.save(update_fields=["status", "mentor_decided_at", "mentor_comment", "updated_at"])
    return found


# --- the end of a network pair (called by institutional.services.pairs, mentee's schema) -------------------


def network_pair_closed(*, pair_id: int, home_organization_id: int | None, cancelled: bool = False) -> None:
    """A network pair of the current organization ended, lost its outside mentor or was deleted as a draft.

    In the caller's transaction: the request becomes ended (cancelled for a draft that never started),
    and both organizations' projections are refreshed after the commit (the seat itself is dropped
    by the capacity trigger).
    """
    organization = Organization.objects.filter(schema_name=connection.schema_name).first()
    if organization is None:
        return
    status = NetworkRequest.Status.CANCELLED if cancelled else NetworkRequest.Status.ENDED
    NetworkRequest.objects.filter(
        mentee_organization=organization, pair_id=pair_id, status=NetworkRequest.Status.ACCEPTED
    ).update(status=status, updated_at=timezone.now())
    from analytics.projection import mark_dirty

    mark_dirty()
    if home_organization_id:
        refresh_after_commit(home_organization_id)
