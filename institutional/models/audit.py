"""Runs in the tenant schema: the audit trail and django-guardian grants of this organization.

The audit trail of personal data held in this schema lives here too (see nastavnik.audit).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from guardian.models import GroupObjectPermissionAbstract, UserObjectPermissionAbstract

from nastavnik.audit import AuditEventBase


class AuditEvent(AuditEventBase):
    """Changes to personal data in this organization's tables, written by a database trigger."""

    class Meta(AuditEventBase.Meta):
        db_table = "audit_event"


class UserObjectPermission(UserObjectPermissionAbstract):
    """django-guardian's per-object grant to a user, kept in this organization's schema.

    The references to public tables (user, permission, content type) carry no database
    constraint: each foreign key from a tenant table into a public table adds triggers to the
    public table for every schema, so with thousands of organizations every update of a user
    row and every new schema would get slower (measured in docs/benchmarks.md).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_object_grants"
    )
    permission = models.ForeignKey(
        Permission, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_user_grants"
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_user_grants"
    )

    class Meta(UserObjectPermissionAbstract.Meta):
        abstract = False
        verbose_name = "право пользователя на объект"
        verbose_name_plural = "права пользователей на объекты"


class GroupObjectPermission(GroupObjectPermissionAbstract):
    """django-guardian's per-object grant to a group, in this schema (see UserObjectPermission)."""

    group = models.ForeignKey(
        Group, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_object_grants"
    )
    permission = models.ForeignKey(
        Permission, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_group_grants"
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tenant_group_grants"
    )

    class Meta(GroupObjectPermissionAbstract.Meta):
        abstract = False
        verbose_name = "право группы на объект"
        verbose_name_plural = "права групп на объекты"
