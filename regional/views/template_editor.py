"""The structured editor and the preview of model documents (no database; used by the pages).

`content_from_post` turns the inputs of an editing page into a content of the kind, keeping every
row where it was typed (blank rows included), so the service's error keys — `sections[2].heading`,
`stages[0].activities[3].deadline`… — are exactly the names of the inputs they belong to.
`editor_rows` does the opposite for the page: rows with their input names, values and errors,
plus a few blank rows to add new ones. `preview` prepares a content for reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from institutional.models import InteractionFormat, MeetingMode, Question, QuestionnaireKind
from institutional.selectors.regulation import RULE_FIELDS
from regional.models import DocumentTemplate
from regional.services.templates import PARAMETER_LABELS, PROGRAM_TEXT_FIELDS, deadline_text

Kind = DocumentTemplate.Kind
# Inputs beyond this index are ignored: a page never has that many rows, and a forged name such as
# `sections[99999999].heading` must not make the server build a list that long.
ROWS_MAX = 200
INDEXED = re.compile(r"^(?P<list>\w+)\[(?P<index>\d{1,3})\]\.(?P<rest>.+)$")
PROGRAM_FIELD_LABELS = {
    "title": "Название программы (можно изменить при заполнении)",
    "goal": "Цель",
    "tasks": "Задачи",
    "schedule": "График встреч",
    "intermediate_results": "Промежуточные результаты",
    "planned_results": "Планируемые результаты",
}
QUESTION_FIELDS = (
    "text",
    "type",
    "is_required",
    "options",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
)
MONTHS_GENITIVE = {
    1: "января",
    2: "февраля",
    3: "марта",
    4: "апреля",
    5: "мая",
    6: "июня",
    7: "июля",
    8: "августа",
    9: "сентября",
    10: "октября",
    11: "ноября",
    12: "декабря",
}


# --- from the page's inputs to a content ------------------------------------------------------------


def _indexed(post, prefix: str) -> list[dict]:
    """Inputs named `prefix[i].rest` → a list of {rest: value} with index i (gaps as empty rows)."""
    rows: dict[int, dict] = {}
    for name in post:
        match = INDEXED.match(name)
        if match is None or match.group("list") != prefix:
            continue
        index = int(match.group("index"))
        if index >= ROWS_MAX:
            continue
        rest = match.group("rest")
        values = post.getlist(name)
        rows.setdefault(index, {})[rest] = values if len(values) > 1 else (values[0] if values else "")
    return [rows.get(index, {}) for index in range(max(rows, default=-1) + 1)]


def _nested(row: dict, prefix: str) -> list[dict]:
    """Within one row: keys `prefix[j].rest` → a list of {rest: value} with index j."""
    rows: dict[int, dict] = {}
    for name, value in row.items():
        match = INDEXED.match(name)
        if match is None or match.group("list") != prefix:
            continue
        index = int(match.group("index"))
        if index < ROWS_MAX:
            rows.setdefault(index, {})[match.group("rest")] = value
    return [rows.get(index, {}) for index in range(max(rows, default=-1) + 1)]


def _one(value) -> str:
    return value[-1] if isinstance(value, list) else (value or "")


def content_from_post(kind: str, post) -> dict:
    if kind == Kind.REGULATION:
        return {
            "parameters": {name: post.get(f"parameters.{name}", "") for name in RULE_FIELDS},
            "sections": [
                {"heading": _one(row.get("heading")), "paragraphs": _one(row.get("text")).splitlines()}
                for row in _indexed(post, "sections")
            ],
        }
    if kind == Kind.ROADMAP:
        stages = []
        for row in _indexed(post, "stages"):
            activities = [
                {name: _one(item.get(name)) for name in ("title", "deadline", "responsible_role", "expected_documents")}
                for item in _nested(row, "activities")
            ]
            stages.append({"title": _one(row.get("title")), "activities": activities})
        return {"stages": stages}
    if kind == Kind.PROGRAM:
        fields = {name: post.get(f"fields.{name}", "") for name in ("title", *PROGRAM_TEXT_FIELDS)}
        fields["interaction_formats"] = post.getlist("fields.interaction_formats")
        fields["meeting_mode"] = post.get("fields.meeting_mode", "")
        plan = [
            {"title": _one(row.get("title")), "percent": _one(row.get("percent"))} for row in _indexed(post, "plan")
        ]
        return {"fields": fields, "plan": plan}
    if kind == Kind.QUESTIONNAIRE:
        questions = []
        for row in _indexed(post, "questions"):
            question = {name: _one(row.get(name)) for name in QUESTION_FIELDS}
            question["is_required"] = bool(row.get("is_required"))
            question["options"] = _one(row.get("options")).splitlines()
            questions.append(question)
        return {
            "questionnaire_kind": post.get("questionnaire_kind", ""),
            "description": post.get("description", ""),
            "questions": questions,
        }
    return {}


# --- from a content to the page's rows -------------------------------------------------------------


@dataclass
class Input:
    name: str
    value: object = ""
    error: str = ""


@dataclass
class Row:
    index: int
    inputs: dict[str, Input] = field(default_factory=dict)
    children: list[Row] = field(default_factory=list)
    error: str = ""
    is_blank: bool = False


def _input(errors: dict, name: str, value) -> Input:
    return Input(name=name, value="" if value is None else value, error=errors.get(name, ""))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _text_lines(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    return "" if value is None else str(value)


def editor_rows(kind: str, content, errors: dict | None = None) -> dict:
    """Everything the editing page of `kind` renders: inputs with names, values and errors."""
    errors = errors or {}
    content = _dict(content)
    if kind == Kind.REGULATION:
        parameters = _dict(content.get("parameters"))
        sections = _list(content.get("sections"))
        rows = [
            Row(
                index=index,
                inputs={
                    "heading": _input(errors, f"sections[{index}].heading", _dict(section).get("heading")),
                    "text": _input(
                        errors,
                        f"sections[{index}].text",
                        _text_lines(_dict(section).get("paragraphs", _dict(section).get("text"))),
                    ),
                },
                is_blank=index >= len(sections),
            )
            for index, section in enumerate([*sections, {}, {}])
        ]
        return {
            "parameters": [
                (PARAMETER_LABELS[name], _input(errors, f"parameters.{name}", parameters.get(name)))
                for name in RULE_FIELDS
            ],
            "sections": rows,
            "sections_error": errors.get("sections", ""),
        }
    if kind == Kind.ROADMAP:
        stages = _list(content.get("stages"))
        rows = []
        for index, stage in enumerate([*stages, {"activities": [{}]}]):
            stage = _dict(stage)
            key = f"stages[{index}]"
            activities = _list(stage.get("activities"))
            children = []
            for position, activity in enumerate([*activities, {}, {}]):
                activity = _dict(activity)
                item_key = f"{key}.activities[{position}]"
                children.append(
                    Row(
                        index=position,
                        inputs={
                            "title": _input(errors, f"{item_key}.title", activity.get("title")),
                            "deadline": _input(errors, f"{item_key}.deadline", deadline_text(activity.get("deadline"))),
                            "responsible_role": _input(
                                errors, f"{item_key}.responsible_role", activity.get("responsible_role")
                            ),
                            "expected_documents": _input(
                                errors, f"{item_key}.expected_documents", activity.get("expected_documents")
                            ),
                        },
                        is_blank=position >= len(activities),
                    )
                )
            rows.append(
                Row(
                    index=index,
                    inputs={"title": _input(errors, f"{key}.title", stage.get("title"))},
                    children=children,
                    error=errors.get(f"{key}.activities", ""),
                    is_blank=index >= len(stages),
                )
            )
        return {"stages": rows, "stages_error": errors.get("stages", "")}
    if kind == Kind.PROGRAM:
        fields = _dict(content.get("fields"))
        plan = _list(content.get("plan"))
        chosen = fields.get("interaction_formats") or []
        return {
            "texts": [
                (PROGRAM_FIELD_LABELS[name], _input(errors, f"fields.{name}", fields.get(name)))
                for name in ("title", *PROGRAM_TEXT_FIELDS)
            ],
            "formats": [(value, label, value in chosen) for value, label in InteractionFormat.choices],
            "formats_input": _input(errors, "fields.interaction_formats", chosen),
            "modes": MeetingMode.choices,
            "mode_input": _input(errors, "fields.meeting_mode", fields.get("meeting_mode") or MeetingMode.MIXED),
            "plan": [
                Row(
                    index=index,
                    inputs={
                        "title": _input(errors, f"plan[{index}].title", _dict(item).get("title")),
                        "percent": _input(errors, f"plan[{index}].percent", _dict(item).get("percent")),
                    },
                    is_blank=index >= len(plan),
                )
                for index, item in enumerate([*plan, {}, {}, {}])
            ],
            "plan_error": errors.get("plan", ""),
        }
    if kind == Kind.QUESTIONNAIRE:
        questions = _list(content.get("questions"))
        rows = []
        for index, question in enumerate([*questions, {}, {}]):
            question = _dict(question)
            key = f"questions[{index}]"
            blank = index >= len(questions)
            inputs = {
                name: _input(errors, f"{key}.{name}", question.get(name))
                for name in ("text", "scale_min_label", "scale_max_label")
            }
            inputs["type"] = _input(errors, f"{key}.type", question.get("type") or Question.Type.SINGLE)
            inputs["is_required"] = _input(errors, f"{key}.is_required", bool(question.get("is_required", True)))
            inputs["options"] = _input(errors, f"{key}.options", _text_lines(question.get("options")))
            inputs["scale_min"] = _input(errors, f"{key}.scale_min", question.get("scale_min", 1 if blank else ""))
            inputs["scale_max"] = _input(errors, f"{key}.scale_max", question.get("scale_max", 5 if blank else ""))
            rows.append(Row(index=index, inputs=inputs, is_blank=blank))
        return {
            "kind_input": _input(
                errors, "questionnaire_kind", content.get("questionnaire_kind") or QuestionnaireKind.OTHER
            ),
            "kinds": QuestionnaireKind.choices,
            "description": _input(errors, "description", content.get("description")),
            "questions": rows,
            "questions_error": errors.get("questions", ""),
            "types": Question.Type.choices,
        }
    return {}


# --- reading ----------------------------------------------------------------------------------------


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _fill(text: str, values: dict) -> str:
    try:
        return str(text).format_map(_KeepUnknown(values))
    except (ValueError, IndexError, AttributeError):
        return str(text)


def deadline_label(value) -> str:
    if isinstance(value, dict) and "month" in value:
        try:
            return f"до {int(value.get('day', 1))} {MONTHS_GENITIVE[int(value['month'])]}"
        except (KeyError, TypeError, ValueError):
            return ""
    return "" if value is None else str(value)


def percent_label(value) -> str:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        return ""
    if percent <= 0:
        return "в начале программы"
    if percent >= 100:
        return "в конце программы"
    return f"после {percent} % срока программы"


def preview(kind: str, content) -> dict:
    """A content of `kind` prepared for reading: labels instead of codes, parameters in the text."""
    content = _dict(content)
    if kind == Kind.REGULATION:
        parameters = _dict(content.get("parameters"))
        return {
            "parameters": [(PARAMETER_LABELS[name], parameters.get(name, "")) for name in RULE_FIELDS],
            "sections": [
                {
                    "heading": _dict(section).get("heading", ""),
                    "paragraphs": [_fill(p, parameters) for p in _list(_dict(section).get("paragraphs"))],
                }
                for section in _list(content.get("sections"))
            ],
        }
    if kind == Kind.ROADMAP:
        return {
            "stages": [
                {
                    "title": _dict(stage).get("title", ""),
                    "activities": [
                        {**_dict(activity), "deadline_label": deadline_label(_dict(activity).get("deadline"))}
                        for activity in _list(_dict(stage).get("activities"))
                    ],
                }
                for stage in _list(content.get("stages"))
            ]
        }
    if kind == Kind.PROGRAM:
        fields = _dict(content.get("fields"))
        formats = dict(InteractionFormat.choices)
        return {
            "texts": [
                (label.split(" (")[0], fields.get(name, ""))
                for name, label in PROGRAM_FIELD_LABELS.items()
                if fields.get(name)
            ],
            "formats": [formats.get(value, value) for value in _list(fields.get("interaction_formats"))],
            "mode": dict(MeetingMode.choices).get(fields.get("meeting_mode"), ""),
            "plan": [
                {"title": _dict(item).get("title", ""), "when": percent_label(_dict(item).get("percent"))}
                for item in _list(content.get("plan"))
            ],
        }
    if kind == Kind.QUESTIONNAIRE:
        types = dict(Question.Type.choices)
        return {
            "kind": dict(QuestionnaireKind.choices).get(content.get("questionnaire_kind"), ""),
            "description": content.get("description", ""),
            "questions": [
                {**_dict(question), "type_label": types.get(_dict(question).get("type"), "")}
                for question in _list(content.get("questions"))
            ],
        }
    return {}
