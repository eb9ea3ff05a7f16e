"""Write path of the model documents a region or a municipality publishes (public schema only).

A region makes its own model from one of the project's (a municipality from the region's or the
project's): a copy under the publisher's own code, version 1, `based_on` the source. A draft
(`is_published=False`) is edited with content checked per kind, then published; a later version
starts as a copy of the latest and needs a note of what changed when it is published. Organizations
below see only published versions (`regional.selectors`).

Every service validates before it writes and writes in one transaction; messages are Russian and
name the field (the keys are the paths of the content: `sections[2].heading`, `plan[0].percent`…,
which are also the names of the inputs of the editing pages).
"""

from __future__ import annotations

import copy
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from institutional.models import InteractionFormat, MeetingMode, QuestionnaireKind, RegulationVersion
from institutional.selectors.regulation import RULE_FIELDS
from institutional.services.questionnaires import QuestionData, question_definition_clean
from institutional.services.regulation import validate_parameters
from regional.models import DocumentTemplate
from regional.selectors import latest_version, template_list
from tenants.models import Level, Organization

Kind = DocumentTemplate.Kind
PUBLISHER_LEVELS = (Level.REGION, Level.MUNICIPALITY)

TITLE_MAX = 300
SECTIONS_MAX, PARAGRAPH_MAX = 60, 5000
STAGES_MAX, ACTIVITIES_MAX = 30, 50
PLAN_MAX, QUESTIONS_MAX = 100, 100
PROGRAM_TEXT_FIELDS = ("goal", "tasks", "schedule", "intermediate_results", "planned_results")
PROGRAM_REQUIRED = {
    "goal": "Укажите цель программы.",
    "tasks": "Перечислите задачи программы.",
    "planned_results": "Опишите планируемые результаты.",
}
PARAMETER_LABELS = {name: str(RegulationVersion._meta.get_field(name).verbose_name) for name in RULE_FIELDS}
DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")
DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


# --- content rules, per kind -------------------------------------------------------------------------


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def _items(value) -> list:
    return value if isinstance(value, list) else []


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _paragraphs(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [_text(line) for line in _items(value) if _text(line)]


def _clean_regulation(content: dict, errors: dict) -> dict:
    raw_parameters = _mapping(content.get("parameters"))
    parameters: dict = {}
    try:
        parameters = validate_parameters(raw_parameters)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[f"parameters.{name}"] = messages[0]
    sections = []
    for index, raw in enumerate(_items(content.get("sections"))):
        raw = _mapping(raw)
        heading = _text(raw.get("heading"))
        paragraphs = _paragraphs(raw.get("paragraphs", raw.get("text")))
        if not heading and not paragraphs:
            continue
        key = f"sections[{index}]"
        if not heading:
            errors[f"{key}.heading"] = "Укажите заголовок раздела."
        elif len(heading) > TITLE_MAX:
            errors[f"{key}.heading"] = f"Заголовок раздела длиннее {TITLE_MAX} символов."
        if not paragraphs:
            errors[f"{key}.text"] = f"Раздел «{heading[:60]}» пуст: напишите его текст."
        elif any(paragraph.startswith("#") for paragraph in paragraphs):
            errors[f"{key}.text"] = "Абзац не может начинаться со знака «#»."
        elif any(len(paragraph) > PARAGRAPH_MAX for paragraph in paragraphs):
            errors[f"{key}.text"] = f"Абзац длиннее {PARAGRAPH_MAX} символов: разделите его."
        sections.append({"heading": heading, "paragraphs": paragraphs})
    if not sections:
        errors["sections"] = "В положении нет ни одного раздела."
    elif len(sections) > SECTIONS_MAX:
        errors["sections"] = f"Разделов не может быть больше {SECTIONS_MAX}."
    return {"parameters": parameters, "sections": sections}


def parse_deadline(value) -> tuple[object, str]:
    """A roadmap deadline: {"month", "day"} from «ДД.ММ» or a dict, otherwise the text; and an error."""
    if isinstance(value, dict):
        try:
            day, month = int(value.get("day", 1)), int(value["month"])
        except (KeyError, TypeError, ValueError):
            return None, "Срок указан неверно: нужны число и месяц."
    else:
        text = _text(value)
        if not text:
            return None, "Укажите срок: дату в виде ДД.ММ или текст, например «в течение учебного года»."
        match = DAY_MONTH.match(text)
        if match is None:
            if len(text) > 100:
                return None, "Срок длиннее 100 символов."
            return text, ""
        day, month = int(match.group(1)), int(match.group(2))
    if month not in DAYS_IN_MONTH:
        return None, "Месяц срока должен быть от 01 до 12."
    if not 1 <= day <= DAYS_IN_MONTH[month]:
        return None, f"В этом месяце нет {day}-го числа."
    return {"month": month, "day": day}, ""


def deadline_text(value) -> str:
    """How a model's deadline is written in the editing form."""
    if isinstance(value, dict) and "month" in value:
        return f"{int(value.get('day', 1)):02d}.{int(value['month']):02d}"
    return _text(value)


def _clean_roadmap(content: dict, errors: dict) -> dict:
    stages = []
    for index, raw in enumerate(_items(content.get("stages"))):
        raw = _mapping(raw)
        key = f"stages[{index}]"
        title = _text(raw.get("title"))
        activities = []
        for position, item in enumerate(_items(raw.get("activities"))):
            item = _mapping(item)
            item_key = f"{key}.activities[{position}]"
            values = {name: _text(item.get(name)) for name in ("title", "responsible_role", "expected_documents")}
            deadline_raw = item.get("deadline")
            if not any(values.values()) and not _text(deadline_text(deadline_raw)):
                continue
            if not values["title"]:
                errors[f"{item_key}.title"] = "Укажите наименование мероприятия."
            elif len(values["title"]) > 500:
                errors[f"{item_key}.title"] = "Наименование мероприятия длиннее 500 символов."
            deadline, problem = parse_deadline(deadline_raw)
            if problem:
                errors[f"{item_key}.deadline"] = problem
            responsible = values["responsible_role"]
            if len(responsible) > 300:
                errors[f"{item_key}.responsible_role"] = "Ответственные: не длиннее 300 символов."
            documents = values["expected_documents"]
            if len(documents) > 500:
                errors[f"{item_key}.expected_documents"] = "Документы: не длиннее 500 символов."
            activities.append(
                {
                    "title": values["title"],
                    "deadline": deadline,
                    "responsible_role": responsible,
                    "expected_documents": documents,
                }
            )
        if not title and not activities:
            continue
        if not title:
            errors[f"{key}.title"] = "Укажите наименование этапа."
        elif len(title) > TITLE_MAX:
            errors[f"{key}.title"] = f"Наименование этапа длиннее {TITLE_MAX} символов."
        if not activities:
            errors[f"{key}.activities"] = f"В этапе «{title[:60]}» нет ни одного мероприятия."
        elif len(activities) > ACTIVITIES_MAX:
            errors[f"{key}.activities"] = f"В этапе не может быть больше {ACTIVITIES_MAX} мероприятий."
        stages.append({"title": title, "activities": activities})
    if not stages:
        errors["stages"] = "В дорожной карте нет ни одного этапа."
    elif len(stages) > STAGES_MAX:
        errors["stages"] = f"Этапов не может быть больше {STAGES_MAX}."
    return {"stages": stages}


def _clean_program(content: dict, errors: dict) -> dict:
    raw = _mapping(content.get("fields"))
    fields = {"title": _text(raw.get("title"))}
    if len(fields["title"]) > TITLE_MAX:
        errors["fields.title"] = f"Название программы длиннее {TITLE_MAX} символов."
    for name in PROGRAM_TEXT_FIELDS:
        fields[name] = _text(raw.get(name))
        if name in PROGRAM_REQUIRED and not fields[name]:
            errors[f"fields.{name}"] = PROGRAM_REQUIRED[name]
        elif len(fields[name]) > PARAGRAPH_MAX:
            errors[f"fields.{name}"] = f"Текст длиннее {PARAGRAPH_MAX} символов."
    formats = raw.get("interaction_formats") or []
    if not isinstance(formats, list):
        formats = [formats]
    formats = list(dict.fromkeys(_text(value) for value in formats if _text(value)))
    if not formats:
        errors["fields.interaction_formats"] = "Выберите хотя бы одну форму взаимодействия."
    elif any(value not in InteractionFormat.values for value in formats):
        errors["fields.interaction_formats"] = "Неизвестная форма взаимодействия."
    fields["interaction_formats"] = formats
    mode = _text(raw.get("meeting_mode")) or MeetingMode.MIXED
    if mode not in MeetingMode.values:
        errors["fields.meeting_mode"] = "Неизвестный формат встреч."
    fields["meeting_mode"] = mode
    plan = []
    for index, item in enumerate(_items(content.get("plan"))):
        item = _mapping(item)
        title, percent_text = _text(item.get("title")), _text(item.get("percent"))
        if not title and not percent_text:
            continue
        key = f"plan[{index}]"
        if not title:
            errors[f"{key}.title"] = "Укажите мероприятие."
        elif len(title) > 500:
            errors[f"{key}.title"] = "Мероприятие длиннее 500 символов."
        try:
            percent = int(percent_text)
        except ValueError:
            errors[f"{key}.percent"] = "Срок — целое число от 0 (начало программы) до 100 (её окончание)."
            percent = 0
        else:
            if not 0 <= percent <= 100:
                errors[f"{key}.percent"] = "Срок — от 0 (начало программы) до 100 (её окончание)."
        plan.append({"title": title, "percent": percent})
    if not plan:
        errors["plan"] = "Добавьте в план хотя бы одно мероприятие."
    elif len(plan) > PLAN_MAX:
        errors["plan"] = f"Мероприятий в плане не может быть больше {PLAN_MAX}."
    plan.sort(key=lambda item: item["percent"])
    return {"fields": fields, "plan": plan}


def _clean_questionnaire(content: dict, errors: dict) -> dict:
    kind = _text(content.get("questionnaire_kind")) or QuestionnaireKind.OTHER
    if kind not in QuestionnaireKind.values:
        errors["questionnaire_kind"] = "Неизвестный вид анкеты."
    description = _text(content.get("description"))
    if len(description) > PARAGRAPH_MAX:
        errors["description"] = f"Пояснение длиннее {PARAGRAPH_MAX} символов."
    questions = []
    for index, raw in enumerate(_items(content.get("questions"))):
        raw = _mapping(raw)
        options = raw.get("options")
        if isinstance(options, str):
            options = options.splitlines()
        options = [_text(option) for option in _items(options) if _text(option)]
        text = _text(raw.get("text"))
        if not text and not options:
            continue
        data = QuestionData(
            text=text,
            type=_text(raw.get("type")),
            is_required=bool(raw.get("is_required", False)),
            options=options,
            scale_min=raw.get("scale_min", 1),
            scale_max=raw.get("scale_max", 5),
            scale_min_label=_text(raw.get("scale_min_label")),
            scale_max_label=_text(raw.get("scale_max_label")),
        )
        try:
            clean = question_definition_clean(data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"questions[{index}].{name}"] = messages[0]
            continue
        questions.append(vars(clean))
    if not questions:
        errors["questions"] = "Добавьте в анкету хотя бы один вопрос."
    elif len(questions) > QUESTIONS_MAX:
        errors["questions"] = f"Вопросов не может быть больше {QUESTIONS_MAX}."
    return {"questionnaire_kind": kind, "description": description, "questions": questions}


CLEANERS = {
    Kind.REGULATION: _clean_regulation,
    Kind.ROADMAP: _clean_roadmap,
    Kind.PROGRAM: _clean_program,
    Kind.QUESTIONNAIRE: _clean_questionnaire,
}


def content_clean(kind: str, content) -> dict:
    """The content of a model of `kind` as it will be stored, or ValidationError keyed by path."""
    if kind not in CLEANERS:
        raise ValidationError({"kind": "Неизвестный вид модельного документа."})
    if not isinstance(content, dict):
        raise ValidationError({"content": "Содержание модели должно быть объектом."})
    errors: dict[str, str] = {}
    cleaned = CLEANERS[kind](content, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_title(title) -> str:
    title = _text(title)
    if not title:
        raise ValidationError({"title": "Укажите название модели."})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Название модели длиннее {TITLE_MAX} символов."})
    return title


# --- services ---------------------------------------------------------------------------------------


def _check_publisher(publisher) -> None:
    if getattr(publisher, "level", None) not in PUBLISHER_LEVELS:
        raise ValidationError("Модельные документы публикуют регион и муниципалитеты.")


def _check_own_draft(template: DocumentTemplate, publisher) -> None:
    if template.publisher_id != publisher.pk:
        raise ValidationError("Изменять можно только модели своей организации.")
    if template.is_published:
        raise ValidationError(f"Версия {template.version} уже опубликована и не меняется: начните новую версию модели.")


def _next_code(publisher, kind: str) -> str:
    prefix = f"{publisher.code}-{kind}-"
    numbers = [
        int(code[len(prefix) :])
        for code in DocumentTemplate.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def template_adapt(*, actor, publisher: Organization, source: DocumentTemplate) -> DocumentTemplate:
    """The publisher's own model (a draft, version 1) copied from a published model above it."""
    _check_publisher(publisher)
    applicable = {template.pk for template in template_list(kind=source.kind, organization=publisher)}
    if source.pk not in applicable or source.publisher_id == publisher.pk:
        raise ValidationError(
            "Свою модель можно создать на основе опубликованной модели проекта"
            + (" или региона." if publisher.level == Level.MUNICIPALITY else ".")
        )
    with transaction.atomic():
        # The publisher's row orders two copies made at the same moment (each gets its own code).
        Organization.objects.select_for_update().filter(pk=publisher.pk).first()
        return DocumentTemplate.objects.create(
            kind=source.kind,
            code=_next_code(publisher, source.kind),
            version=1,
            title=source.title,
            publisher=publisher,
            content=copy.deepcopy(source.content),
            is_published=False,
            based_on=source,
        )


def template_update_draft(*, actor, publisher, template: DocumentTemplate, title, content) -> DocumentTemplate:
    """Saves the title and the content of the publisher's draft (the content checked per kind)."""
    _check_own_draft(template, publisher)
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        content = content_clean(template.kind, content)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        if locked.is_published:
            raise ValidationError(f"Версия {locked.version} уже опубликована и не меняется.")
        template.title = title
        template.content = content
        template.save(update_fields=["title", "content"])
        return template


def template_publish(*, actor, publisher, template: DocumentTemplate, change_note: str = "") -> DocumentTemplate:
    """Publishes the draft for the organizations below; from version 2 a change note is required."""
    _check_own_draft(template, publisher)
    change_note = _text(change_note)
    if template.version >= 2 and not change_note:
        raise ValidationError({"change_note": "Опишите, что изменено в этой версии: это увидят организации."})
    if len(change_note) > PARAGRAPH_MAX:
        raise ValidationError({"change_note": f"Описание изменений длиннее {PARAGRAPH_MAX} символов."})
    content_clean(template.kind, template.content)
    with transaction.atomic():
        locked = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        if locked.is_published:
            raise ValidationError(f"Версия {locked.version} уже опубликована.")
        template.is_published = True
        template.published_at = timezone.now()
        template.change_note = change_note
        template.save(update_fields=["is_published", "published_at", "change_note"])
        return template


def template_new_version(*, actor, publisher, template: DocumentTemplate) -> DocumentTemplate:
    """A draft of the next version: a copy of the latest published one."""
    if template.publisher_id != publisher.pk:
        raise ValidationError("Новую версию можно начать только у модели своей организации.")
    with transaction.atomic():
        latest = latest_version(template.code)
        if not latest.is_published:
            raise ValidationError(
                f"Черновик версии {latest.version} уже начат: опубликуйте или удалите его, прежде чем начинать новую."
            )
        try:
            with transaction.atomic():
                return DocumentTemplate.objects.create(
                    kind=latest.kind,
                    code=latest.code,
                    version=latest.version + 1,
                    title=latest.title,
                    publisher=publisher,
                    content=copy.deepcopy(latest.content),
                    is_published=False,
                    based_on=latest.based_on,
                )
        except IntegrityError as error:
            raise ValidationError("Новая версия этой модели уже начата.") from error


def template_delete_draft(*, actor, publisher, template: DocumentTemplate) -> None:
    """Deletes an unpublished draft (nobody below has seen it)."""
    _check_own_draft(template, publisher)
    with transaction.atomic():
        DocumentTemplate.objects.filter(pk=template.pk, is_published=False).delete()
