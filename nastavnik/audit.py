"""Trigger-based audit trail of personal data, recorded by PostgreSQL itself.

Every schema (public and each tenant) has its own `audit_event` table and its own copy of
the `audit_row_change()` trigger function. The function writes into the `audit_event`
table of the schema the changed table lives in (TG_TABLE_SCHEMA), so a change to a public
table made while a tenant's search_path is active still lands in the public trail.

Who made the change comes from the session setting `nastavnik.actor_id`, set for each
request by `nastavnik.middleware.AuditActorMiddleware` and by `actor_context()` in tasks
and commands. Values are stored in the database only; nothing here is ever logged.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, migrations, models

ACTOR_SETTING = "nastavnik.actor_id"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) ELSE '{}'::jsonb END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) ELSE '{}'::jsonb END;
    changes jsonb := '{}'::jsonb;
    column_name text;
    actor text := nullif(current_setting('nastavnik.actor_id', true), '');
BEGIN
    FOREACH column_name IN ARRAY TG_ARGV LOOP
        IF (old_row -> column_name) IS DISTINCT FROM (new_row -> column_name) THEN
            changes := changes || jsonb_build_object(
                column_name, jsonb_build_array(old_row -> column_name, new_row -> column_name));
        END IF;
    END LOOP;
    IF changes = '{}'::jsonb THEN
        RETURN NULL;
    END IF;
    EXECUTE format(
        'INSERT INTO %I.audit_event (occurred_at, table_name, row_id, action, actor_id, changes)'
        ' VALUES (now(), $1, $2, $3, $4, $5)', TG_TABLE_SCHEMA)
    USING TG_TABLE_NAME,
          coalesce(new_row ->> 'id', old_row ->> 'id'),
          left(TG_OP, 1),
          actor::bigint,
          changes;
    RETURN NULL;
END;
$$;
"""


class AuditEventBase(models.Model):
    class Action(models.TextChoices):
        INSERT = "I", "Создание"
        UPDATE = "U", "Изменение"
        DELETE = "D", "Удаление"

    occurred_at = models.DateTimeField("когда", db_index=True)
    table_name = models.CharField("таблица", max_length=63)
    row_id = models.CharField("запись", max_length=64)
    action = models.CharField("действие", max_length=1, choices=Action.choices)
    actor_id = models.BigIntegerField("кто (id пользователя)", null=True, blank=True)
    changes = models.JSONField("изменения: поле → [было, стало]")

    class Meta:
        abstract = True
        ordering = ["-occurred_at", "-id"]
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений персональных данных"
        indexes = [models.Index(fields=["table_name", "row_id"], name="%(app_label)s_audit_row_idx")]


def create_function_operation() -> migrations.RunSQL:
    return migrations.RunSQL(FUNCTION_SQL, reverse_sql="DROP FUNCTION IF EXISTS audit_row_change();")


def track_operation(table: str, columns: list[str]) -> migrations.RunSQL:
    """Migration operation that audits changes of `columns` of `table` (insert, update, delete)."""
    trigger = f"{table}_audit"
    arguments = ", ".join(f"'{column}'" for column in columns)
    return migrations.RunSQL(
        f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}";'
        f'CREATE TRIGGER "{trigger}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION audit_row_change({arguments});",
        reverse_sql=f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}";',
    )


def actor_id(actor) -> int | None:
    """The id to record for `actor` (a user or None for the platform itself)."""
    return actor.pk if actor is not None else None


def set_actor(actor_id: int | None) -> None:
    """Attribute changes on this connection to `actor_id` until changed again (session level)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [ACTOR_SETTING, str(actor_id or "")])


@contextmanager
def actor_context(actor_id: int | None):
    """Attribute the changes made inside the block to `actor_id`.

    The setting is local to the surrounding transaction (PostgreSQL resets it at commit or
    rollback), so the block must run inside `transaction.atomic()`; a failing write is never
    masked by an attempt to reset the setting on an aborted transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("actor_context() must be used inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [ACTOR_SETTING, str(actor_id or "")])
    yield
    # Every write service passes here: the organization's published counts follow the commit.
    from analytics.projection import mark_dirty

    mark_dirty()
