"""Database-recorded audit trail of personal data in the public schema (see nastavnik.audit)."""

from django.db import migrations

from nastavnik.audit import create_function_operation, track_operation


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [
        create_function_operation(),
        track_operation("tenants_user", ["email", "last_name", "first_name", "patronymic", "is_active"]),
        track_operation("tenants_membership", ["user_id", "organization_id", "role", "is_active"]),
    ]
