"""Runs in the tenant schema: an organization's own mentoring data.

The audit trail of personal data held in this schema lives here too (see nastavnik.audit).
"""

from nastavnik.audit import AuditEventBase


class AuditEvent(AuditEventBase):
    """Changes to personal data in this organization's tables, written by a database trigger."""

    class Meta(AuditEventBase.Meta):
        db_table = "audit_event"
