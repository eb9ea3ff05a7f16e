"""Audit trail of the personal data added with pairs, programs, meetings and matching (see nastavnik.audit)."""

from django.db import migrations

from nastavnik.audit import track_operation


class Migration(migrations.Migration):
    dependencies = [("institutional", "0011_matching")]

    operations = [
        track_operation(
            "institutional_pair", ["mentor_id", "status", "starts_on", "ends_on", "ended_on", "end_reason", "end_note"]
        ),
        track_operation("institutional_pairmentee", ["pair_id", "mentee_id", "joined_on", "left_on"]),
        track_operation(
            "institutional_program", ["request", "goal", "tasks", "status", "mentee_comment", "starts_on", "ends_on"]
        ),
        track_operation("institutional_meeting", ["held_on", "duration_minutes", "topic", "notes"]),
        track_operation("institutional_matchpreference", ["ranked", "support_note"]),
    ]
