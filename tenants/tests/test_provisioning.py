"""Provisioning organizations: schema cloned from the template, validation before any write."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import provisioning, services
from tenants.models import Domain, Level, Organization, OrganizationKind
from tenants.validators import inn_check_digits


def _catalog(schema: str) -> dict:
    """Everything that defines a schema's structure, with the schema name taken out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        columns = cursor.fetchall()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1", [schema])
        indexes = [(name, definition.replace(schema, "S")) for name, definition in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %s ORDER BY 1",
            [schema],
        )
        constraints = [(name, definition.replace(schema, "S")) for name, definition in cursor.fetchall()]
        cursor.execute(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal ORDER BY 1",
            [schema],
        )
        triggers = [(name, definition.replace(schema, "S")) for name, definition in cursor.fetchall()]
        cursor.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s ORDER BY 1",
            [schema],
        )
        functions = cursor.fetchall()
        cursor.execute(
            f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name'  # noqa: S608 - schema from the test
        )
        migrations = cursor.fetchall()
    return {
        "columns": [tuple(str(v).replace(schema, "S") for v in row) for row in columns],
        "indexes": indexes,
        "constraints": constraints,
        "triggers": triggers,
        "functions": functions,
        "migrations": migrations,
    }


def _data(code, level=Level.ORGANIZATION, parent="t-mun", kind=OrganizationKind.SCHOOL, **extra):
    return services.OrganizationData(
        code=code, level=level, parent_code=parent, kind=kind, full_name=f"Школа {code}", short_name=code, **extra
    )


def test_a_provisioned_schema_is_structurally_identical_to_the_template(world):
    organization = services.organization_provision(actor=None, data=_data("clone-check"))

    assert schema_exists(organization.schema_name)
    template = _catalog(provisioning.template_schema_name())
    clone = _catalog(organization.schema_name)
    assert template["columns"], "the template has tables"
    assert clone == template


def test_provisioning_creates_the_row_the_domain_and_inherits_the_region_time_zone(world):
    organization = services.organization_provision(actor=None, data=_data("new-school"))

    assert organization.domains.get().domain == "new-school.localhost"
    assert organization.time_zone == world.region.time_zone == "Europe/Volgograd"
    assert organization.schema_name == "org_new_school"


def test_a_region_time_zone_is_kept_when_given(world):
    organization = services.organization_provision(actor=None, data=_data("school-tz", time_zone="Asia/Yekaterinburg"))
    assert organization.time_zone == "Asia/Yekaterinburg"


def _state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        (schemas,) = cursor.fetchone()
    return Organization.objects.count(), Domain.objects.count(), schemas


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_data("orphan", parent="no-such-parent"), "«no-such-parent» не найдена"),
        (_data("dup-domain", domain="t-school-a.localhost"), "уже занят организацией"),
        (_data("bad-inn", inn="7707083894"), "контрольных цифр"),
        (_data("t-school-a"), "Код"),
        (_data("Bad Code"), "строчные латинские"),
        (_data("no-kind", kind=""), "тип"),
        (_data("region-parent", level=Level.REGION, kind=""), "У региона не может быть"),
        (_data("mun-under-mun", level=Level.MUNICIPALITY, kind=""), "не может подчиняться"),
        (_data("bad-tz", time_zone="Mars/Olympus"), "Неизвестный часовой пояс"),
        (_data("bad-host", domain="школа.localhost"), "записан неверно"),
        (_data("public-host", domain="localhost"), "занят самой платформой"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(world, data, fragment):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.organization_provision(actor=None, data=data)

    assert any(fragment.lower() in message.lower() for message in error.value.messages), error.value.messages
    assert _state() == before


def test_a_second_organization_with_the_same_inn_is_refused(world):
    inn = "344405454" + inn_check_digits("344405454")
    services.organization_provision(actor=None, data=_data("first-inn", inn=inn))

    with pytest.raises(ValidationError, match="ИНН"):
        services.organization_provision(actor=None, data=_data("second-inn", inn=inn))


def test_a_failed_clone_leaves_no_row_and_no_schema(world, monkeypatch):
    before = _state()

    def broken_clone(schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
            cursor.execute("SELECT 1/0")

    monkeypatch.setattr(provisioning, "schema_clone", broken_clone)
    with pytest.raises(Exception, match="division by zero"):
        services.organization_provision(actor=None, data=_data("half-made"))

    assert _state() == before
    assert not Organization.objects.filter(code="half-made").exists()


def test_without_a_usable_pg_dump_the_stock_clone_still_provisions_a_complete_schema(world, monkeypatch):
    monkeypatch.setattr(provisioning, "_pg_dump_candidates", lambda: ["/nonexistent/pg_dump"])
    monkeypatch.setattr(provisioning, "_ddl_cache", {})
    organization = services.organization_provision(actor=None, data=_data("fallback-clone"))

    template = _catalog(provisioning.template_schema_name())
    clone = _catalog(organization.schema_name)
    assert clone["columns"] == template["columns"]
    assert clone["migrations"] == template["migrations"]
