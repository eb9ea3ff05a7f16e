"""The audit trigger function in each tenant schema; tenant tables with personal data call it."""

from django.db import migrations

from nastavnik.audit import create_function_operation


class Migration(migrations.Migration):
    dependencies = [("institutional", "0001_initial")]

    operations = [create_function_operation()]
