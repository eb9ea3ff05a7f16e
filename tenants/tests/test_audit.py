"""The audit trail of personal data is written by PostgreSQL triggers: who, when, old and new."""

from django.db import connection
from django_tenants.utils import schema_context
from guardian.shortcuts import assign_perm, get_perms

from institutional.models import AuditEvent as TenantAuditEvent
from institutional.models import UserObjectPermission
from tenants import services
from tenants.models import AuditEvent, User


def test_a_change_of_name_through_a_request_records_the_actor_and_both_values(world, client_on):
    """A platform administrator edits a user in the admin; the trigger records the change."""
    admin = client_on("localhost", world.admin)
    user = world.teacher_b
    data = {
        "email": user.email,
        "last_name": "Новикова",
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    response = admin.post(f"/admin/tenants/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(table_name="tenants_user", row_id=str(user.pk), action="U").latest("id")
    assert event.actor_id == world.admin.pk
    assert event.changes == {"last_name": ["Учителева", "Новикова"]}
    assert event.occurred_at is not None


def test_changes_made_by_services_are_attributed_to_their_actor(world):
    user = services.user_create(actor=world.admin, email="new@test.test", last_name="Ли", first_name="Ан")

    event = AuditEvent.objects.get(table_name="tenants_user", row_id=str(user.pk), action="I")
    assert event.actor_id == world.admin.pk
    assert event.changes["email"] == [None, "new@test.test"]
    assert "password" not in event.changes


def test_fields_that_are_not_personal_data_do_not_fill_the_trail(world):
    before = AuditEvent.objects.count()
    User.objects.filter(pk=world.outsider.pk).update(last_login="2026-11-01T10:00:00Z")
    assert AuditEvent.objects.count() == before


def test_deleting_a_user_keeps_the_old_values(world):
    user = services.user_create(actor=None, email="gone@test.test", last_name="Уходящая", first_name="Ива")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tenants_user WHERE id = %s", [user.pk])
    event = AuditEvent.objects.get(table_name="tenants_user", row_id=str(user.pk), action="D")
    assert event.changes["last_name"] == ["Уходящая", None]


def test_every_tenant_schema_has_its_own_trail_and_trigger_function(world):
    for organization in (world.school_a, world.school_b, world.region):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND p.proname = 'audit_row_change'",
                [organization.schema_name],
            )
            assert cursor.fetchone()[0] == 1
        with schema_context(organization.schema_name):
            assert TenantAuditEvent.objects.count() == 0


def test_guardian_object_permissions_work_inside_a_tenant_schema_and_stay_there(world):
    with schema_context(world.school_a.schema_name):
        event = TenantAuditEvent.objects.create(
            occurred_at="2026-11-01T10:00:00Z", table_name="x", row_id="1", action="U", changes={}
        )
        assign_perm("institutional.view_auditevent", world.curator_a, event)
        user = User.objects.get(pk=world.curator_a.pk)
        assert user.has_perm("institutional.view_auditevent", event)
        assert "view_auditevent" in get_perms(user, event)
    with schema_context(world.school_b.schema_name):
        assert not UserObjectPermission.objects.exists()
    assert UserObjectPermission.objects.using("default").model._meta.db_table == "institutional_userobjectpermission"
