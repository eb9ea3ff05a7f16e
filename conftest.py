"""Test setup shared by every suite: tenants are created once per test run.

pytest-django creates the test database and migrates the public schema; this file then
migrates the template schema and provisions a small world through the real services (a region,
a municipality, two schools, users with memberships). Each test then runs in a transaction
that is rolled back, so the world is never rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

PASSWORD = "Correct-Horse-42"  # noqa: S105 - test accounts only


@dataclass
class World:
    region: object
    municipality: object
    school_a: object
    school_b: object
    curator_a: object
    director_a: object
    council_a: object
    teacher_a: object
    psychologist_a: object
    teacher_b: object
    coordinator: object
    municipal: object
    outsider: object
    admin: object

    def host(self, organization) -> str:
        return organization.primary_domain


def _build_world():
    from tenants import services
    from tenants.models import Level, OrganizationKind, Role, User

    def org(code, level, parent="", kind=""):
        return services.organization_provision(
            actor=None,
            data=services.OrganizationData(
                code=code,
                level=level,
                parent_code=parent,
                kind=kind,
                full_name=f"Тестовая организация {code}",
                short_name=code,
                time_zone="Europe/Volgograd" if level == Level.REGION else "",
            ),
        )

    region = org("t-region", Level.REGION)
    municipality = org("t-mun", Level.MUNICIPALITY, "t-region")
    school_a = org("t-school-a", Level.ORGANIZATION, "t-mun", OrganizationKind.SCHOOL)
    school_b = org("t-school-b", Level.ORGANIZATION, "t-mun", OrganizationKind.SCHOOL)

    def user(local, last, role=None, organization=None, **extra):
        account = User.objects.create_user(
            email=f"{local}@test.test",
            password=PASSWORD,
            last_name=last,
            first_name="Мария",
            patronymic="Ивановна",
            **extra,
        )
        if role:
            services.membership_grant(actor=None, user=account, organization=organization, role=role)
        return account

    return World(
        region=region,
        municipality=municipality,
        school_a=school_a,
        school_b=school_b,
        curator_a=user("curator-a", "Кураторова", Role.CURATOR, school_a),
        director_a=user("director-a", "Директорова", Role.DIRECTOR, school_a),
        council_a=user("council-a", "Советова", Role.COUNCIL_MEMBER, school_a),
        teacher_a=user("teacher-a", "Педагогова", Role.TEACHER, school_a),
        psychologist_a=user("psychologist-a", "Психологова", Role.PSYCHOLOGIST, school_a),
        teacher_b=user("teacher-b", "Учителева", Role.TEACHER, school_b),
        coordinator=user("coordinator", "Координаторова", Role.REGIONAL_COORDINATOR, region),
        municipal=user("municipal", "Муниципалова", Role.MUNICIPAL_COORDINATOR, municipality),
        outsider=user("outsider", "Посторонняя"),
        admin=user("admin", "Админова", is_staff=True, is_superuser=True),
    )


_WORLD: World | None = None


def pytest_configure(config):
    from django.conf import settings

    # Real password hashing costs about a second per sign-in; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads made by tests go to a throw-away folder (set before any storage caches its root).
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="nastavnik-test-media-")
    # Tasks the tests send after a commit (projection refreshes) go to a throw-away queue, never to
    # the broker of `make run` on the same machine; tests/test_celery.py runs its own worker.
    import uuid

    from nastavnik.celery import app as celery_app

    celery_app.conf.task_default_queue = f"test-discard-{uuid.uuid4().hex[:8]}"
    if not settings.REDIS_URL:
        broker = tempfile.mkdtemp(prefix="nastavnik-test-broker-")
        celery_app.conf.broker_transport_options = {
            "data_folder_in": broker,
            "data_folder_out": broker,
            "processed_folder": broker,
            "control_folder": broker,
            "store_processed": False,
        }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _WORLD
    from tenants.provisioning import template_ensure

    with django_db_blocker.unblock():
        template_ensure()
        _WORLD = _build_world()
        connection.set_schema_to_public()
    yield


@pytest.fixture
def world(db) -> World:
    """The session's world, re-read from the database so no test sees another's in-memory edits."""
    connection.set_schema_to_public()
    fresh = {}
    for name, value in vars(_WORLD).items():
        fresh[name] = type(value).objects.get(pk=value.pk)
    return World(**fresh)


def _forget_media_root():
    """django-tenants' storage caches its root; drop the cache when MEDIA_ROOT changes."""
    from django.core.files.storage import default_storage

    default_storage.location  # noqa: B018 - makes the lazy storage exist
    default_storage._wrapped.__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test uploads into its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _forget_media_root()
    yield
    _forget_media_root()


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    yield
    if hasattr(connection, "set_schema_to_public"):
        connection.set_schema_to_public()


@pytest.fixture
def in_school_a(world):
    """Run the test body in school A's schema (where its mentoring data lives)."""
    connection.set_tenant(world.school_a)
    yield world.school_a
    connection.set_schema_to_public()


@pytest.fixture
def client_on():
    """client_on(host, user=None) → a Django test client for that host, signed in as `user`."""

    def make(host: str, user=None) -> Client:
        client = Client(HTTP_HOST=host)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
