"""Architecture rules that keep tenancy and access checks in one place."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from rest_framework.views import APIView

from nastavnik.api.base import TenantAPIMixin
from tests.urlwalk import iter_routes

BASE_DIR = Path(settings.BASE_DIR)


def _local_app_labels():
    return {config.label for config in apps.get_app_configs() if Path(config.path).resolve().is_relative_to(BASE_DIR)}


def _label(app_path):
    return apps.get_app_config(app_path.split(".")[-1]).label


def test_every_local_app_with_models_is_in_exactly_one_tenancy_set():
    shared = {_label(app) for app in settings.SHARED_APPS}
    tenant = {_label(app) for app in settings.TENANT_APPS}
    for label in _local_app_labels():
        if not list(apps.get_app_config(label).get_models()):
            continue
        assert (label in shared) != (label in tenant), f"{label} must be in exactly one of SHARED_APPS / TENANT_APPS"


def test_no_public_model_has_a_foreign_key_into_a_tenant_schema():
    tenant = {_label(app) for app in settings.TENANT_APPS} - {_label(app) for app in settings.SHARED_APPS}
    for model in apps.get_models():
        if model._meta.app_label in tenant:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                assert field.related_model._meta.app_label not in tenant, (
                    f"{model._meta.label}.{field.name} points into a tenant schema"
                )


def test_tenant_tables_have_no_database_constraint_into_public_tables():
    """Each such constraint adds triggers on the public table for every schema (docs/benchmarks.md)."""
    shared = {_label(app) for app in settings.SHARED_APPS}
    tenant = {_label(app) for app in settings.TENANT_APPS} - shared
    for model in apps.get_models():
        if model._meta.app_label not in tenant:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.app_label not in tenant:
                assert not field.db_constraint, f"{model._meta.label}.{field.name} needs db_constraint=False"


def _api_views():
    urlconfs = [settings.PUBLIC_SCHEMA_URLCONF, *settings.TENANT_URLCONFS.values()]
    for urlconf in urlconfs:
        for route in iter_routes(urlconf):
            view_class = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
            if isinstance(view_class, type) and issubclass(view_class, APIView):
                yield urlconf, route, view_class


def test_every_api_view_is_on_the_tenant_base_class():
    found = list(_api_views())
    assert found, "the walk must find the API views"
    for urlconf, route, view_class in found:
        assert issubclass(view_class, TenantAPIMixin), f"{view_class.__name__} at {route.path} ({urlconf})"


def test_anonymous_api_access_is_limited_to_signing_in():
    escapes = {view_class.__name__ for _, _, view_class in _api_views() if view_class.dangerously_allow_anonymous}
    assert escapes == {"TokenObtainView"}


def test_api_views_cannot_drop_the_membership_check_by_overriding_permission_classes():
    from nastavnik.api.permissions import IsTenantMember

    class Sloppy(TenantAPIMixin, APIView):
        permission_classes = []

    assert any(isinstance(p, IsTenantMember) for p in Sloppy().get_permissions())


def test_the_project_package_is_not_named_platform():
    assert not (BASE_DIR / "platform").exists(), "a top-level `platform` package shadows the standard library"


def test_the_openapi_schema_of_every_level_builds_without_warnings(tmp_path):
    from django.core.management import call_command

    for urlconf in settings.TENANT_URLCONFS.values():
        call_command("spectacular", "--fail-on-warn", "--urlconf", urlconf, "--file", str(tmp_path / "schema.yaml"))
