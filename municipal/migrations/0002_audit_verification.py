"""The municipality's verdicts on mentors (status, note, tags, categories) go into the public audit trail."""

from django.db import migrations

from nastavnik.audit import track_operation


class Migration(migrations.Migration):
    dependencies = [
        ("municipal", "0001_initial"),
        ("tenants", "0002_audit_triggers"),
    ]

    operations = [
        track_operation("municipal_mentorverification", ["status", "note", "tags", "verified_by_id"]),
        track_operation("municipal_mentorverification_categories", ["mentorverification_id", "mentorcategory_id"]),
        track_operation("municipal_mentorcategory", ["title", "description"]),
    ]
