"""Audit trail of personal data kept in the tenant schema (see nastavnik.audit)."""

from django.db import migrations

from nastavnik.audit import track_operation


class Migration(migrations.Migration):
    dependencies = [("institutional", "0004_organization_setup")]

    operations = [
        track_operation(
            "institutional_staff",
            [
                "last_name",
                "first_name",
                "patronymic",
                "birth_date",
                "snils",
                "personnel_number",
                "position",
                "hire_date",
                "status",
                "dismissal_date",
                "email",
                "phone",
                "user_id",
            ],
        ),
        track_operation(
            "institutional_menteeentry",
            [
                "staff_id",
                "trainee_last_name",
                "trainee_first_name",
                "trainee_patronymic",
                "trainee_birth_date",
                "categories",
                "requests",
                "difficulties",
                "status",
                "left_reason",
            ],
        ),
        track_operation(
            "institutional_mentorentry", ["staff_id", "competencies", "visibility", "is_active", "capacity"]
        ),
        track_operation(
            "institutional_consent",
            [
                "kind",
                "subject_full_name",
                "subject_document",
                "subject_address",
                "representative_full_name",
                "representative_document",
                "status",
                "signed_on",
                "withdrawn_on",
            ],
        ),
    ]
