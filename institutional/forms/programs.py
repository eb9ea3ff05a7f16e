"""Forms of personalized programs: the program with its plan, remarks, completion marks, changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms

from institutional.forms.common import BootstrapMixin
from institutional.models import InteractionFormat, MeetingMode, PairForm, PairKind, ProgramChange

PLAN_HELP = (
    "Одно мероприятие в строке: «ДД.ММ.ГГГГ | мероприятие». Например: «15.10.2026 | Посещение урока наставника»."
)


def _parse_day(text: str) -> date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_plan(text: str) -> tuple[list[dict], list[str]]:
    """Plan lines → activities, with a Russian message per bad line."""
    activities, problems = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for separator in ("|", ";", "\t"):
            if separator in line:
                day_text, title = line.split(separator, 1)
                break
        else:
            problems.append(f"Строка {number}: нет разделителя «|» между датой и мероприятием.")
            continue
        day = _parse_day(day_text)
        if day is None:
            problems.append(f"Строка {number}: дата «{day_text.strip()}» не в формате ДД.ММ.ГГГГ.")
            continue
        if not title.strip():
            problems.append(f"Строка {number}: не указано мероприятие.")
            continue
        activities.append({"title": title.strip()[:500], "due_on": day})
    return activities, problems


def plan_text(activities) -> str:
    return "\n".join(f"{a.due_on:%d.%m.%Y} | {a.title}" for a in activities)


class PlanField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6})

    def clean(self, value):
        value = super().clean(value)
        activities, problems = parse_plan(value)
        if problems:
            raise forms.ValidationError(problems)
        if not activities:
            raise forms.ValidationError("Добавьте в план хотя бы одно мероприятие.")
        return activities


class ProgramForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label="Название программы",
        max_length=300,
        help_text="Название публикуется в открытом разделе «Наставничество»: не указывайте в нём имена и личные сведения.",
    )
    request = forms.CharField(label="Запрос наставляемого", widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 2}))
    tasks = forms.CharField(label="Задачи", widget=forms.Textarea(attrs={"rows": 3}))
    interaction_formats = forms.MultipleChoiceField(
        label="Формы взаимодействия", choices=InteractionFormat.choices, widget=forms.CheckboxSelectMultiple
    )
    meeting_mode = forms.ChoiceField(label="Формат встреч", choices=MeetingMode.choices)
    schedule = forms.CharField(label="График встреч", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    intermediate_results = forms.CharField(
        label="Промежуточные результаты", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_results = forms.CharField(label="Планируемые результаты", widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label="Начало", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Окончание", widget=forms.DateInput(attrs={"type": "date"}))
    activities = PlanField(label="План мероприятий", help_text=PLAN_HELP)

    @classmethod
    def initial_from(cls, program) -> dict:
        initial = {name: getattr(program, name) for name in cls.base_fields if name != "activities"}
        initial["starts_on"] = program.starts_on.isoformat()
        initial["ends_on"] = program.ends_on.isoformat()
        initial["activities"] = plan_text(program.activities.order_by("position"))
        return initial

    @classmethod
    def initial_from_template(cls, template, *, starts_on: date, ends_on: date) -> dict:
        """The form filled from a model program: its texts, and its plan placed in the period."""
        content = template.content if isinstance(template.content, dict) else {}
        fields = content.get("fields") if isinstance(content.get("fields"), dict) else {}
        initial = {
            name: fields[name]
            for name in ("title", "goal", "tasks", "schedule", "intermediate_results", "planned_results")
            if isinstance(fields.get(name), str) and fields[name]
        }
        formats = [value for value in fields.get("interaction_formats") or [] if value in InteractionFormat.values]
        if formats:
            initial["interaction_formats"] = formats
        if fields.get("meeting_mode") in MeetingMode.values:
            initial["meeting_mode"] = fields["meeting_mode"]
        days = max((ends_on - starts_on).days, 0)
        lines = []
        for item in content.get("plan") or []:
            if not isinstance(item, dict) or not str(item.get("title") or "").strip():
                continue
            try:
                percent = min(max(int(item.get("percent", 0)), 0), 100)
            except (TypeError, ValueError):
                percent = 0
            due_on = starts_on + timedelta(days=round(days * percent / 100))
            lines.append(f"{due_on:%d.%m.%Y} | {str(item['title']).strip()}")
        if lines:
            initial["activities"] = "\n".join(lines)
        return initial

    def values(self) -> tuple[dict, list[dict]]:
        data = dict(self.cleaned_data)
        return data, data.pop("activities")


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="Замечания наставнику", widget=forms.Textarea(attrs={"rows": 3}))


class ActivityDoneForm(BootstrapMixin, forms.Form):
    done_on = forms.DateField(label="Дата выполнения", widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.CharField(label="Результат", max_length=500, required=False)


class ChangeForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Что изменить", choices=ProgramChange.Kind.choices)
    description = forms.CharField(label="Обоснование", widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(
        label="Новая дата окончания (для продления)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    activities = forms.CharField(
        label="Новый план (для изменения плана)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=PLAN_HELP,
    )
    form = forms.ChoiceField(
        label="Форма наставничества (для изменения формы)", required=False, choices=[("", "—"), *PairForm.choices]
    )
    kinds = forms.MultipleChoiceField(
        label="Виды наставничества (для изменения формы)",
        required=False,
        choices=PairKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ProgramChange.Kind.EXTEND and not cleaned.get("ends_on"):
            self.add_error("ends_on", "Укажите новую дату окончания.")
        if kind == ProgramChange.Kind.PLAN:
            activities, problems = parse_plan(cleaned.get("activities") or "")
            if problems or not activities:
                self.add_error("activities", problems or ["Укажите новый план."])
            cleaned["plan"] = activities
        return cleaned

    def proposed(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        if kind == ProgramChange.Kind.EXTEND:
            return {"ends_on": data["ends_on"]}
        if kind == ProgramChange.Kind.PLAN:
            return {"activities": [{"title": a["title"], "due_on": a["due_on"].isoformat()} for a in data["plan"]]}
        return {"form": data.get("form") or None, "kinds": data.get("kinds") or None}
