"""Seeds the project's model personalized programs and model questionnaires (public schema only)."""

from django.db import migrations


def seed(apps, schema_editor):
    from regional.templates_content import PROGRAM_AND_QUESTIONNAIRE_TEMPLATES

    DocumentTemplate = apps.get_model("regional", "DocumentTemplate")
    for template in PROGRAM_AND_QUESTIONNAIRE_TEMPLATES:
        DocumentTemplate.objects.update_or_create(
            code=template["code"],
            version=template["version"],
            defaults={
                "kind": template["kind"],
                "title": template["title"],
                "content": template["content"],
                "is_published": True,
                "publisher": None,
            },
        )


def unseed(apps, schema_editor):
    from regional.templates_content import PROGRAM_AND_QUESTIONNAIRE_TEMPLATES

    DocumentTemplate = apps.get_model("regional", "DocumentTemplate")
    for template in PROGRAM_AND_QUESTIONNAIRE_TEMPLATES:
        DocumentTemplate.objects.filter(code=template["code"], version=template["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("regional", "0003_open_mentoring")]

    operations = [migrations.RunPython(seed, unseed)]
