"""Audit trail of final reports' personal data (see nastavnik.audit)."""

from django.db import migrations

from nastavnik.audit import track_operation


class Migration(migrations.Migration):
    dependencies = [("institutional", "0014_final_reports")]

    operations = [
        track_operation(
            "institutional_finalreport",
            [
                "results",
                "what_worked",
                "difficulties",
                "recommendations",
                "mentor_score",
                "mentor_comment",
            ],
        ),
    ]
