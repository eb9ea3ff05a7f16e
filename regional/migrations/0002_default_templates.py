"""Seeds the project's model regulation and model roadmap (public schema only)."""

from django.db import migrations


def seed(apps, schema_editor):
    from regional.templates_content import DEFAULT_TEMPLATES

    DocumentTemplate = apps.get_model("regional", "DocumentTemplate")
    for template in DEFAULT_TEMPLATES:
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
    from regional.templates_content import DEFAULT_TEMPLATES

    DocumentTemplate = apps.get_model("regional", "DocumentTemplate")
    for template in DEFAULT_TEMPLATES:
        DocumentTemplate.objects.filter(code=template["code"], version=template["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("regional", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
