"""Decisions about people in the open mentoring go into the public audit trail: network requests (who
released the mentor, the mentor's answer), nominations (status and place) and event attendance."""

from django.db import migrations

from nastavnik.audit import track_operation


class Migration(migrations.Migration):
    dependencies = [
        ("regional", "0004_program_questionnaire_templates"),
        ("tenants", "0002_audit_triggers"),
    ]

    operations = [
        track_operation(
            "regional_networkrequest",
            ["status", "director_decided_by_id", "director_comment", "mentor_comment", "pair_id"],
        ),
        # Status and place only: a nominee's name leaves the public tables when the consent is withdrawn,
        # and must not stay behind in the trail.
        track_operation("regional_nomination", ["status", "total_score", "place"]),
        track_operation("regional_eventregistration", ["user_id", "registered_by_id", "attended"]),
    ]
