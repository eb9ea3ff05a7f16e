"""Seeds the project's five questionnaires (institutional.questionnaire_templates).

Runs in every tenant schema migrated this way — in practice the template schema, whose rows are
cloned into each new organization. Idempotent by `template_code`: an organization that already
has a questionnaire with that code (possibly edited) keeps it untouched.
"""

from django.db import migrations


def seed_questionnaires(apps, schema_editor):
    from institutional.questionnaire_templates import TEMPLATES

    Questionnaire = apps.get_model("institutional", "Questionnaire")
    Question = apps.get_model("institutional", "Question")
    for template in TEMPLATES:
        if Questionnaire.objects.filter(template_code=template["template_code"]).exists():
            continue
        questionnaire = Questionnaire.objects.create(
            kind=template["kind"],
            title=template["title"],
            description=template["description"],
            template_code=template["template_code"],
        )
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, position=position, **question)
            for position, question in enumerate(template["questions"], start=1)
        )


def remove_unused_questionnaires(apps, schema_editor):
    from institutional.questionnaire_templates import TEMPLATES

    Questionnaire = apps.get_model("institutional", "Questionnaire")
    codes = [template["template_code"] for template in TEMPLATES]
    Questionnaire.objects.filter(template_code__in=codes, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("institutional", "0006_questionnaires_run_closed_at")]

    operations = [migrations.RunPython(seed_questionnaires, remove_unused_questionnaires)]
