"""Write path of the questionnaire engine: questionnaires, questions, runs and responses.

Runs in the tenant schema. Every function validates first and writes inside one transaction,
so a refused change leaves nothing half-written. Messages are Russian: they reach the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS as NON_FIELD
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from institutional.dates import organization_today
from institutional.models import (
    Answer,
    Pair,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireRun,
    Response,
)
from institutional.questionnaire_templates import ROLE_IN_PAIR
from institutional.selectors.questionnaires import (
    FEEDBACK_KINDS,
    final_satisfaction_questionnaire,
    pair_role,
    questionnaire_has_responses,
    staff_in_audience,
)
from institutional.selectors.regulation import rules_in_force
from nastavnik.audit import actor_context, actor_id
from regional.models import DocumentTemplate
from regional.selectors import template_get

OPTIONS_MAX = 30
OPTION_MAX_LENGTH = 200
SCALE_LOWEST, SCALE_HIGHEST = -10, 10
SCALE_POINTS_MAX = 11
TEXT_ANSWER_MAX_LENGTH = 5000


# Questionnaires ------------------------------------------------------------------------------


def questionnaire_create(
    *, actor, title: str, description: str = "", kind: str = QuestionnaireKind.OTHER
) -> Questionnaire:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Укажите название анкеты."})
    if kind not in QuestionnaireKind.values:
        raise ValidationError({"kind": "Неизвестный вид анкеты."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        return Questionnaire.objects.create(kind=kind, title=title, description=(description or "").strip())


def questionnaire_create_from_template(*, actor, template_id) -> Questionnaire:
    """A questionnaire with the questions of a published model that applies to this organization.

    Records the model's id and version, so the questionnaire's page can tell about a newer version.
    """
    template = template_get(
        kind=DocumentTemplate.Kind.QUESTIONNAIRE, template_id=template_id, organization=connection.tenant
    )
    content = template.content if isinstance(template.content, dict) else {}
    kind = content.get("questionnaire_kind") or QuestionnaireKind.OTHER
    if kind not in QuestionnaireKind.values:
        kind = QuestionnaireKind.OTHER
    questions = []
    for number, raw in enumerate(content.get("questions") or [], start=1):
        fields = {
            name: raw[name] for name in QuestionData.__dataclass_fields__ if isinstance(raw, dict) and name in raw
        }
        try:
            questions.append(_clean_question(QuestionData(**{"text": "", "type": "", **fields})))
        except ValidationError as error:
            raise ValidationError(f"Вопрос № {number} модели: {' '.join(error.messages)}") from error
    if not questions:
        raise ValidationError("В модели анкеты нет ни одного вопроса.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        questionnaire = Questionnaire.objects.create(
            kind=kind,
            title=template.title[:300],
            description=str(content.get("description") or "").strip(),
            template_id=template.pk,
            template_version=template.version,
        )
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, position=position, **vars(question))
            for position, question in enumerate(questions, start=1)
        )
    return questionnaire


def questionnaire_update(*, actor, questionnaire: Questionnaire, title: str, description: str) -> Questionnaire:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Укажите название анкеты."})
    with transaction.atomic(), actor_context(actor_id(actor)):
        questionnaire.title = title
        questionnaire.description = (description or "").strip()
        questionnaire.save(update_fields=["title", "description"])
    return questionnaire


def questionnaire_duplicate(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """A new, unarchived copy with all questions; runs and responses stay with the original."""
    with transaction.atomic(), actor_context(actor_id(actor)):
        copy = Questionnaire.objects.create(
            kind=questionnaire.kind,
            title=f"{questionnaire.title} (копия)"[:300],
            description=questionnaire.description,
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=copy,
                position=question.position,
                text=question.text,
                type=question.type,
                is_required=question.is_required,
                options=list(question.options),
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                scale_min_label=question.scale_min_label,
                scale_max_label=question.scale_max_label,
            )
            for question in questionnaire.questions.order_by("position")
        )
    return copy


def questionnaire_set_archived(*, actor, questionnaire: Questionnaire, is_archived: bool) -> Questionnaire:
    with transaction.atomic(), actor_context(actor_id(actor)):
        questionnaire.is_archived = is_archived
        questionnaire.save(update_fields=["is_archived"])
    return questionnaire


# Questions -----------------------------------------------------------------------------------


@dataclass
class QuestionData:
    text: str
    type: str
    is_required: bool = True
    options: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""


def _clean_question(data: QuestionData) -> QuestionData:
    """The definition as it will be stored, or ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    text = (data.text or "").strip()
    if not text:
        errors["text"] = "Введите текст вопроса."
    elif len(text) > 500:
        errors["text"] = "Текст вопроса длиннее 500 символов."
    if data.type not in Question.Type.values:
        errors["type"] = "Выберите тип вопроса: шкала, один вариант, несколько вариантов или свободный ответ."
    options: list[str] = []
    scale_min, scale_max = 1, 5
    min_label = max_label = ""
    if data.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        seen = set()
        for option in data.options or []:
            option = str(option).strip()
            if not option:
                continue
            if option.casefold() in seen:
                errors["options"] = f"Вариант «{option[:60]}» повторяется."
                break
            if len(option) > OPTION_MAX_LENGTH:
                errors["options"] = f"Вариант ответа длиннее {OPTION_MAX_LENGTH} символов."
                break
            seen.add(option.casefold())
            options.append(option)
        if "options" not in errors and len(options) < 2:
            errors["options"] = "Для вопроса с выбором нужны хотя бы два разных варианта ответа."
        elif "options" not in errors and len(options) > OPTIONS_MAX:
            errors["options"] = f"Вариантов ответа не может быть больше {OPTIONS_MAX}."
    elif data.type == Question.Type.SCALE:
        try:
            scale_min, scale_max = int(data.scale_min), int(data.scale_max)
        except (TypeError, ValueError):
            errors["scale_min"] = "Границы шкалы должны быть целыми числами."
        else:
            if not SCALE_LOWEST <= scale_min <= SCALE_HIGHEST or not SCALE_LOWEST <= scale_max <= SCALE_HIGHEST:
                errors["scale_min"] = f"Границы шкалы должны быть от {SCALE_LOWEST} до {SCALE_HIGHEST}."
            elif scale_min >= scale_max:
                errors["scale_max"] = "Верхняя граница шкалы должна быть больше нижней."
            elif scale_max - scale_min + 1 > SCALE_POINTS_MAX:
                errors["scale_max"] = f"На шкале может быть не больше {SCALE_POINTS_MAX} делений."
        min_label = (data.scale_min_label or "").strip()[:100]
        max_label = (data.scale_max_label or "").strip()[:100]
    if errors:
        raise ValidationError(errors)
    return QuestionData(
        text=text,
        type=data.type,
        is_required=bool(data.is_required),
        options=options,
        scale_min=scale_min,
        scale_max=scale_max,
        scale_min_label=min_label,
        scale_max_label=max_label,
    )


def question_definition_clean(data: QuestionData) -> QuestionData:
    """The rules of a question's definition, for questions kept outside a questionnaire
    (the model questionnaires a region publishes, `regional.services.templates`)."""
    return _clean_question(data)


def question_create(*, actor, questionnaire: Questionnaire, data: QuestionData) -> Question:
    clean = _clean_question(data)
    with transaction.atomic(), actor_context(actor_id(actor)):
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        last = questionnaire.questions.aggregate(last=Max("position"))["last"] or 0
        return Question.objects.create(questionnaire=questionnaire, position=last + 1, **vars(clean))


def question_update(*, actor, question: Question, data: QuestionData) -> Question:
    """Wording may always change; once anyone has answered, the structure may not.

    Answers store the chosen option texts and scale values, so after the first response the
    type, the scale bounds and the existing options stay as they are (new options may be added).
    """
    clean = _clean_question(data)
    if questionnaire_has_responses(questionnaire=question.questionnaire):
        if clean.type != question.type:
            raise ValidationError({"type": "На анкету уже отвечали: тип вопроса изменить нельзя."})
        if clean.type == Question.Type.SCALE and (clean.scale_min, clean.scale_max) != (
            question.scale_min,
            question.scale_max,
        ):
            raise ValidationError({"scale_min": "На анкету уже отвечали: границы шкалы изменить нельзя."})
        missing = [option for option in question.options if option not in clean.options]
        if missing:
            raise ValidationError(
                {"options": f"На анкету уже отвечали: вариант «{missing[0][:60]}» нельзя удалить или переименовать."}
            )
    with transaction.atomic(), actor_context(actor_id(actor)):
        for name, value in vars(clean).items():
            setattr(question, name, value)
        question.save()
    return question


def question_delete(*, actor, question: Question) -> None:
    questionnaire = question.questionnaire
    if questionnaire_has_responses(questionnaire=questionnaire):
        raise ValidationError("На анкету уже отвечали: вопросы удалять нельзя, можно только изменить их текст.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        position = question.position
        question.delete()
        # Close the gap one row at a time, in order, so (questionnaire, position) stays unique.
        for later in questionnaire.questions.filter(position__gt=position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position"])


def question_move(*, actor, question: Question, direction: str) -> Question:
    """Swap the question with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValidationError("Неизвестное направление перемещения.")
    siblings = question.questionnaire.questions
    neighbour = (
        siblings.filter(position__lt=question.position).order_by("-position").first()
        if direction == "up"
        else siblings.filter(position__gt=question.position).order_by("position").first()
    )
    if neighbour is None:
        return question
    with transaction.atomic(), actor_context(actor_id(actor)):
        mine, theirs = question.position, neighbour.position
        spare = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
        question.position = spare
        question.save(update_fields=["position"])
        neighbour.position = mine
        neighbour.save(update_fields=["position"])
        question.position = theirs
        question.save(update_fields=["position"])
    return question


# Runs ----------------------------------------------------------------------------------------


def run_create(
    *, actor, questionnaire: Questionnaire, title: str, audience: str, opens_on: date, closes_on: date
) -> QuestionnaireRun:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Укажите название опроса."
    if audience == QuestionnaireRun.Audience.PAIR:
        errors["audience"] = (
            "Опрос участников пары (группы) назначается со страницы пары или в разделе «Промежуточная обратная связь»."
        )
    elif audience not in QuestionnaireRun.Audience.values:
        errors["audience"] = "Выберите, кого опрашиваем."
    if opens_on is None:
        errors["opens_on"] = "Укажите дату начала."
    if closes_on is None:
        errors["closes_on"] = "Укажите дату окончания."
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = "Окончание опроса не может быть раньше начала."
    if errors:
        raise ValidationError(errors)
    if questionnaire.is_archived:
        raise ValidationError("Анкета в архиве: верните её из архива, чтобы провести опрос.")
    if not questionnaire.questions.exists():
        raise ValidationError("В анкете нет ни одного вопроса.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        return QuestionnaireRun.objects.create(
            questionnaire=questionnaire,
            title=title[:300],
            audience=audience,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        )


def run_close(*, actor, run: QuestionnaireRun) -> QuestionnaireRun:
    """Stop taking answers now; the answers already given stay."""
    if run.closed_at is not None:
        raise ValidationError("Опрос уже закрыт.")
    today = organization_today()
    if run.closes_on < today:
        raise ValidationError("Опрос уже завершился.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        run.closed_at = timezone.now()
        run.closes_on = max(run.opens_on, today)
        run.save(update_fields=["closed_at", "closes_on"])
    return run


# Runs of a pair ------------------------------------------------------------------------------

FEEDBACK_OPEN_DAYS = 14
FEEDBACK_OPEN_DAYS_MAX = 60
PAIR_OPEN_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)
FINAL_SATISFACTION_TITLE = "Итоговая удовлетворённость участием в программе наставничества"


def feedback_title(point_on: date) -> str:
    return f"Промежуточная обратная связь — {point_on:%d.%m.%Y}"


def _pair_label(pair: Pair) -> str:
    return f"Пара (группа) № {pair.pk}"


def _check_feedback_questionnaire(questionnaire: Questionnaire | None) -> str:
    if questionnaire is None:
        return "Выберите анкету."
    if questionnaire.kind not in FEEDBACK_KINDS:
        return (
            "Для промежуточной обратной связи подходит анкета вида «Промежуточная обратная связь» или «Другая анкета»."
        )
    if questionnaire.is_archived:
        return "Анкета в архиве: верните её из архива, чтобы назначить обратную связь."
    if not questionnaire.questions.exists():
        return "В анкете нет ни одного вопроса."
    return ""


def _check_feedback_point(pair: Pair, point_on: date) -> tuple[str, str]:
    """Why `pair` cannot get a feedback point on `point_on`: (field, message), or ("", "")."""
    label = _pair_label(pair)
    if pair.status not in PAIR_OPEN_STATUSES:
        return "pair", f"{label}: обратную связь можно назначить только утверждённой или действующей паре (группе)."
    if not pair.starts_on <= point_on <= pair.ends_on:
        return "point_on", (
            f"{label}: дата обратной связи должна быть в пределах срока наставничества "
            f"(с {pair.starts_on:%d.%m.%Y} по {pair.ends_on:%d.%m.%Y})."
        )
    duplicate = (
        QuestionnaireRun.objects.filter(pair=pair, opens_on=point_on)
        .exclude(questionnaire__kind=QuestionnaireKind.FINAL_SATISFACTION)
        .exists()
    )
    if duplicate:
        return "point_on", f"{label}: точка обратной связи на {point_on:%d.%m.%Y} уже назначена."
    return "", ""


def _feedback_points_create(*, actor, pairs, questionnaire, point_on, open_days, single: bool):
    errors: dict[str, list[str] | str] = {}
    pairs = list(pairs or [])
    if not pairs:
        errors["pairs"] = "Выберите хотя бы одну пару (группу)."
    elif len({pair.pk for pair in pairs}) != len(pairs):
        errors["pairs"] = "Одна и та же пара (группа) выбрана дважды."
    message = _check_feedback_questionnaire(questionnaire)
    if message:
        errors["questionnaire"] = message
    if point_on is None:
        errors["point_on"] = "Укажите дату обратной связи."
    elif point_on < organization_today():
        errors["point_on"] = "Дата обратной связи не может быть в прошлом."
    try:
        open_days = int(open_days)
    except (TypeError, ValueError):
        errors["open_days"] = "Укажите, сколько дней опрос будет открыт, целым числом."
    else:
        if not 1 <= open_days <= FEEDBACK_OPEN_DAYS_MAX:
            errors["open_days"] = f"Опрос может быть открыт от 1 до {FEEDBACK_OPEN_DAYS_MAX} дней."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), actor_context(actor_id(actor)):
        # Lock the pairs: two curators adding the same point at once get one run, not two.
        locked = {pair.pk: pair for pair in Pair.objects.select_for_update().filter(pk__in=[p.pk for p in pairs])}
        problems: dict[str, list[str]] = {}
        for pair in pairs:
            current = locked.get(pair.pk)
            if current is None:
                key, problem = "pair", f"{_pair_label(pair)} не найдена."
            else:
                key, problem = _check_feedback_point(current, point_on)
            if problem:
                # One pair: the message goes to its field; several: all under «pairs».
                field_name = (NON_FIELD if key == "pair" else key) if single else "pairs"
                problems.setdefault(field_name, []).append(problem)
        if problems:
            raise ValidationError(problems)
        return [
            QuestionnaireRun.objects.create(
                questionnaire=questionnaire,
                title=feedback_title(point_on),
                audience=QuestionnaireRun.Audience.PAIR,
                pair=locked[pair.pk],
                opens_on=point_on,
                closes_on=point_on + timedelta(days=open_days - 1),
                created_by=actor,
            )
            for pair in pairs
        ]


def pair_feedback_points_create(
    *, actor, pairs, questionnaire: Questionnaire | None, point_on: date | None, open_days=FEEDBACK_OPEN_DAYS
) -> list[QuestionnaireRun]:
    """Intermediate feedback points for several pairs: one run with audience "pair" each, all or nothing.

    A run opens on `point_on` (within the pair's period, not in the past) and stays open
    `open_days` days including that day; one point per pair and date.
    """
    return _feedback_points_create(
        actor=actor, pairs=pairs, questionnaire=questionnaire, point_on=point_on, open_days=open_days, single=False
    )


def pair_feedback_point_create(
    *, actor, pair: Pair, questionnaire: Questionnaire | None, point_on: date | None, open_days=FEEDBACK_OPEN_DAYS
) -> QuestionnaireRun:
    """One intermediate feedback point of one pair (the rules of pair_feedback_points_create)."""
    (run,) = _feedback_points_create(
        actor=actor, pairs=[pair], questionnaire=questionnaire, point_on=point_on, open_days=open_days, single=True
    )
    return run


def pair_satisfaction_run_create(*, actor, pair: Pair) -> QuestionnaireRun | None:
    """The final satisfaction questionnaire of an ended pair; called by pairs.pair_end.

    Idempotent: a pair has at most one such run. Opens on the end date and stays open for the
    regulation's report days (counted from today when the end was recorded late). Skipped when the
    organization has no final satisfaction questionnaire in use.
    """
    if pair.ended_on is None:
        raise ValidationError("Итоговая анкета проводится после завершения наставничества.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        Pair.objects.select_for_update().filter(pk=pair.pk).first()
        existing = QuestionnaireRun.objects.filter(
            pair=pair, questionnaire__kind=QuestionnaireKind.FINAL_SATISFACTION
        ).first()
        if existing is not None:
            return existing
        questionnaire = final_satisfaction_questionnaire()
        if questionnaire is None:
            return None
        days = timedelta(days=rules_in_force().report_days)
        return QuestionnaireRun.objects.create(
            questionnaire=questionnaire,
            title=FINAL_SATISFACTION_TITLE,
            audience=QuestionnaireRun.Audience.PAIR,
            pair=pair,
            opens_on=pair.ended_on,
            closes_on=max(pair.ended_on, organization_today()) + days,
            created_by=actor,
        )


# Responses -----------------------------------------------------------------------------------


class ResponseRejected(ValidationError):
    """The whole response is refused (run closed, not in the audience, answered already)."""


class AnswersInvalid(ValidationError):
    """Some answers are wrong; `question_errors` maps question id → Russian message."""

    def __init__(self, question_errors: dict[int, str]):
        self.question_errors = question_errors
        super().__init__("Проверьте ответы: некоторые из них не заполнены или заполнены неверно.")


def _is_empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, (list, tuple)) and not value)
    )


def answer_clean(question: Question, value):
    """The value to store for one answer (None when left empty), or ValueError with a message."""
    if isinstance(value, (list, tuple)) and question.type != Question.Type.MULTIPLE:
        value = [item for item in value if not _is_empty(item)]
        if len(value) > 1:
            raise ValueError("Выберите один вариант.")
        value = value[0] if value else None
    if _is_empty(value):
        if question.is_required:
            if question.type == Question.Type.MULTIPLE:
                raise ValueError("Отметьте хотя бы один вариант — вопрос обязательный.")
            raise ValueError("Ответьте на этот вопрос — он обязательный.")
        return None
    if question.type == Question.Type.SCALE:
        if isinstance(value, bool):
            raise ValueError("Выберите значение на шкале.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("Выберите значение на шкале.") from None
        if not question.scale_min <= number <= question.scale_max:
            raise ValueError(f"Выберите значение от {question.scale_min} до {question.scale_max}.")
        return number
    if question.type == Question.Type.SINGLE:
        if not isinstance(value, str) or value.strip() not in question.options:
            raise ValueError("Выберите один из предложенных вариантов.")
        return value.strip()
    if question.type == Question.Type.MULTIPLE:
        items = value if isinstance(value, (list, tuple)) else [value]
        chosen = []
        for item in items:
            if _is_empty(item):
                continue
            if not isinstance(item, str) or item.strip() not in question.options:
                raise ValueError("Выберите варианты из предложенных.")
            if item.strip() not in chosen:
                chosen.append(item.strip())
        if not chosen:
            if question.is_required:
                raise ValueError("Отметьте хотя бы один вариант — вопрос обязательный.")
            return None
        # Keep the questionnaire's order, not the order the boxes were ticked in.
        return [option for option in question.options if option in chosen]
    if not isinstance(value, str):
        raise ValueError("Ответ должен быть текстом.")
    text = value.strip()
    if len(text) > TEXT_ANSWER_MAX_LENGTH:
        raise ValueError(f"Ответ длиннее {TEXT_ANSWER_MAX_LENGTH} символов.")
    return text


def role_question_of(questions) -> Question | None:
    """The question «your role in the pair» (single choice of exactly «Наставник» / «Наставляемый»)."""
    for question in questions:
        if question.type == Question.Type.SINGLE and sorted(question.options) == sorted(ROLE_IN_PAIR):
            return question
    return None


def role_answer(role: str) -> str:
    """The option of the role question that matches a pair role."""
    return ROLE_IN_PAIR[0] if role == Response.Role.MENTOR else ROLE_IN_PAIR[1]


def response_submit(*, actor, run: QuestionnaireRun, respondent, answers: dict) -> Response:
    """Record `respondent`'s answers to `run`; `answers` maps question id → raw value.

    Refused as a whole (ResponseRejected) outside the run's dates, outside its audience or on a
    second answer; refused per question (AnswersInvalid) when an answer is missing or wrong.
    A pair's run takes answers only from its mentor and mentees and stores the role; its
    question «your role» is filled from the pair when left empty and must match it.
    """
    today = organization_today()
    if respondent is None:
        raise ResponseRejected("Ваша учётная запись не связана с карточкой сотрудника организации.")
    role = pair_role(pair=run.pair, staff=respondent) if run.pair_id else ""
    if run.pair_id and (not role or not respondent.is_employed):
        raise ResponseRejected("На эту анкету отвечают только наставник и наставляемые этой пары (группы).")
    if not staff_in_audience(staff=respondent, audience=run.audience, pair=run.pair):
        raise ResponseRejected("Этот опрос проводится не для вас.")
    if run.closed_at is not None or today > run.closes_on:
        raise ResponseRejected("Опрос закрыт: ответы больше не принимаются.")
    if today < run.opens_on:
        raise ResponseRejected(f"Опрос ещё не начался: ответы принимаются с {run.opens_on:%d.%m.%Y}.")
    if Response.objects.filter(run=run, respondent=respondent).exists():
        raise ResponseRejected("Вы уже ответили на эту анкету. Повторный ответ не принимается.")

    questions = list(run.questionnaire.questions.order_by("position"))
    known = {question.pk for question in questions}
    raw = {}
    for key, value in (answers or {}).items():
        try:
            raw[int(key)] = value
        except (TypeError, ValueError):
            raise ResponseRejected("В ответе есть вопрос, которого нет в анкете.") from None
    if set(raw) - known:
        raise ResponseRejected("В ответе есть вопрос, которого нет в анкете.")
    role_question = role_question_of(questions) if role else None
    if role_question is not None and _is_empty(raw.get(role_question.pk)):
        raw[role_question.pk] = role_answer(role)
    clean, errors = {}, {}
    for question in questions:
        try:
            value = answer_clean(question, raw.get(question.pk))
        except ValueError as error:
            errors[question.pk] = str(error)
        else:
            if value is not None:
                clean[question.pk] = value
    if (
        role_question is not None
        and role_question.pk not in errors
        and clean.get(role_question.pk) != role_answer(role)
    ):
        errors[role_question.pk] = f"В этой паре (группе) ваша роль — «{role_answer(role)}»."
    if errors:
        raise AnswersInvalid(errors)

    try:
        with transaction.atomic(), actor_context(actor_id(actor)):
            response = Response.objects.create(run=run, respondent=respondent, role=role)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=question_id, value=value) for question_id, value in clean.items()
            )
    except IntegrityError:
        # Two submissions at once: the database constraint lets only the first through.
        raise ResponseRejected("Вы уже ответили на эту анкету. Повторный ответ не принимается.") from None
    return response
