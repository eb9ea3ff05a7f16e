"""Write path for the public schema: provisioning organizations, users, memberships, sign-in rules.

Every function here is the only place that writes its entity. They take keyword arguments,
validate first and raise django.core.exceptions.ValidationError with a Russian message that
names the problem; writes happen in one transaction.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from nastavnik.audit import actor_context
from tenants import provisioning
from tenants.models import (
    ROLE_LEVELS,
    Domain,
    HandoffToken,
    Level,
    LoginThrottle,
    Membership,
    Organization,
    Role,
    User,
)

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)

# Fields of an organization that a re-run of the onboarding file may update.
ORGANIZATION_FIELDS = ("level", "kind", "full_name", "short_name", "inn", "address", "website", "time_zone")


@dataclass(frozen=True)
class OrganizationData:
    code: str
    level: str
    full_name: str
    short_name: str
    parent_code: str = ""
    kind: str = ""
    inn: str = ""
    address: str = ""
    website: str = ""
    time_zone: str = ""
    domain: str = ""


def default_domain(code: str) -> str:
    return f"{code}.{settings.BASE_DOMAIN}"


def validate_hostname(domain: str) -> None:
    if not HOSTNAME_RE.match(domain):
        raise ValidationError(
            "Домен «%(domain)s» записан неверно: допустимы строчные латинские буквы, цифры, дефисы и точки.",
            params={"domain": domain},
            code="domain_invalid",
        )
    if domain in settings.PUBLIC_HOSTS:
        raise ValidationError(
            "Домен «%(domain)s» занят самой платформой.", params={"domain": domain}, code="domain_public"
        )


def _build(data: OrganizationData, parent: Organization | None) -> Organization:
    organization = Organization(
        code=data.code,
        schema_name=provisioning.schema_name_for(data.code),
        level=data.level,
        kind=data.kind,
        full_name=data.full_name,
        short_name=data.short_name,
        inn=data.inn,
        address=data.address,
        website=data.website,
        time_zone=data.time_zone or (parent.region.time_zone if parent else ""),
        parent=parent,
    )
    return organization


def organization_validate(*, data: OrganizationData, parent: Organization | None) -> Organization:
    """Validate a new organization without writing anything; returns the unsaved instance."""
    organization = _build(data, parent)
    if data.parent_code and parent is None:
        raise ValidationError(
            {"parent": f"Вышестоящая организация с кодом «{data.parent_code}» не найдена."}, code="unknown_parent"
        )
    if not organization.time_zone:
        raise ValidationError({"time_zone": "Укажите часовой пояс региона, например Europe/Volgograd."})
    organization.full_clean(exclude=["schema_name"])
    domain = data.domain or default_domain(data.code)
    validate_hostname(domain)
    taken = Domain.objects.filter(domain=domain).select_related("tenant").first()
    if taken is not None:
        raise ValidationError(
            {"domain": f"Домен «{domain}» уже занят организацией «{taken.tenant.short_name}»."}, code="domain_taken"
        )
    return organization


def organization_provision(*, actor: User | None, data: OrganizationData) -> Organization:
    """Create an organization of any level: its row, its domain and its schema (a template clone)."""
    parent = Organization.objects.filter(code=data.parent_code).first() if data.parent_code else None
    organization = organization_validate(data=data, parent=parent)
    connection.set_schema_to_public()
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        organization.save()
        Domain.objects.create(domain=data.domain or default_domain(data.code), tenant=organization, is_primary=True)
        provisioning.schema_clone(organization.schema_name)
    _project(organization)
    return organization


def _project(organization: Organization) -> None:
    """Ask for the new organization's first projection (its empty facts row), as every write does."""
    from django_tenants.utils import schema_context

    from analytics.projection import mark_dirty

    with schema_context(organization.schema_name):
        mark_dirty()


def organization_update(*, actor: User | None, organization: Organization, data: OrganizationData) -> bool:
    """Update the descriptive fields of an existing organization; returns whether anything changed.

    The code, the level's place in the hierarchy and the schema stay as they are.
    """
    changed = False
    for field in ORGANIZATION_FIELDS:
        value = getattr(data, field)
        if field == "time_zone" and not value:
            continue
        if getattr(organization, field) != value:
            setattr(organization, field, value)
            changed = True
    if not changed:
        return False
    organization.full_clean(exclude=["schema_name", "parent"])
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        organization.save()
    return True


def user_create(
    *,
    actor: User | None,
    email: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    password: str | None = None,
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": f"Пользователь с адресом {email} уже зарегистрирован."}, code="email_taken")
    user = User(email=email, last_name=last_name.strip(), first_name=first_name.strip(), patronymic=patronymic.strip())
    user.full_clean(exclude=["password"])
    user.set_password(password)
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        user.save()
    return user


def membership_grant(*, actor: User | None, user: User, organization: Organization, role: str) -> Membership:
    """Give `user` the `role` in `organization` (idempotent; reactivates a revoked membership)."""
    if role not in Role.values:
        raise ValidationError({"role": f"Неизвестная роль «{role}»."}, code="role_unknown")
    levels = ROLE_LEVELS.get(role)
    if levels and organization.level not in levels:
        raise ValidationError(
            {"role": f"Роль «{Role(role).label}» не назначается на уровне «{organization.get_level_display()}»."},
            code="role_level",
        )
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
    return membership


def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    with transaction.atomic(), actor_context(actor.pk if actor else None):
        membership.is_active = False
        membership.save(update_fields=["is_active"])


# --- sign-in lock-out -------------------------------------------------------------------


def _normalize(email: str) -> str:
    return (email or "").strip().lower()[:254]


def login_locked_until(*, email: str):
    """When the lock on `email` ends, or None if sign-in is allowed."""
    throttle = LoginThrottle.objects.filter(email=_normalize(email)).first()
    if throttle and throttle.locked_until and throttle.locked_until > timezone.now():
        return throttle.locked_until
    return None


def login_failure_record(*, email: str) -> None:
    """Count a failed sign-in; the LOGIN_FAILURE_LIMIT-th failure in the window locks the address."""
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(email=_normalize(email))
        if now - throttle.window_started_at > window:
            throttle.failures = 0
            throttle.window_started_at = now
        throttle.failures += 1
        if throttle.failures >= settings.LOGIN_FAILURE_LIMIT:
            throttle.locked_until = now + window
            throttle.failures = 0
            throttle.window_started_at = now
        throttle.save()


def login_success_record(*, email: str) -> None:
    LoginThrottle.objects.filter(email=_normalize(email)).delete()


# --- moving between organizations' hosts -------------------------------------------------

HANDOFF_SALT = "nastavnik.handoff"


def handoff_token_issue(*, user: User, organization: Organization, next_path: str = "/", notice: str = "") -> str:
    """A short-lived signed token that signs `user` in on `organization`'s host, then opens
    `next_path` there (a path on that host only) and shows `notice`, if any."""
    if not next_path.startswith("/") or next_path.startswith("//"):
        next_path = "/"
    payload = {"u": user.pk, "o": organization.pk, "n": secrets.token_urlsafe(24), "p": next_path, "m": notice}
    return signing.dumps(payload, salt=HANDOFF_SALT)


@dataclass(frozen=True)
class Handoff:
    user: User
    next_path: str
    notice: str


def handoff_token_redeem(*, token: str, organization: Organization) -> Handoff | None:
    """Who a valid, unused token for this organization was issued to, and where they go; else None."""
    try:
        payload = signing.loads(token, salt=HANDOFF_SALT, max_age=settings.HANDOFF_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if payload.get("o") != organization.pk:
        return None
    try:
        with transaction.atomic():
            HandoffToken.objects.create(nonce=payload["n"])
    except IntegrityError:
        return None  # already used
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or not Membership.objects.filter(user=user, organization=organization, is_active=True).exists():
        return None
    return Handoff(user=user, next_path=payload.get("p") or "/", notice=payload.get("m") or "")


def level_label(level: str) -> str:
    return Level(level).label
