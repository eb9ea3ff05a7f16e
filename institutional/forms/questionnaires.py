"""Forms of the questionnaire pages: they parse input; the rules live in the services."""

from __future__ import annotations

from django import forms

from institutional.models import Pair, Question, Questionnaire, QuestionnaireKind, QuestionnaireRun
from institutional.selectors.questionnaires import feedback_questionnaires
from institutional.services.questionnaires import FEEDBACK_OPEN_DAYS, QuestionData

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300, widget=forms.TextInput(attrs=_TEXT))
    description = forms.CharField(
        label="Пояснение для отвечающих", required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )


class QuestionnaireCreateForm(QuestionnaireForm):
    kind = forms.ChoiceField(
        label="Вид анкеты",
        choices=QuestionnaireKind.choices,
        initial=QuestionnaireKind.OTHER,
        widget=forms.Select(attrs=_SELECT),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label="Вопрос", max_length=500, widget=forms.TextInput(attrs=_TEXT))
    type = forms.ChoiceField(label="Тип", choices=Question.Type.choices, widget=forms.Select(attrs=_SELECT))
    is_required = forms.BooleanField(label="Обязательный вопрос", required=False, initial=True)
    options = forms.CharField(
        label="Варианты ответа (каждый с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 5}),
        help_text="Для вопросов с выбором: не меньше двух разных вариантов.",
    )
    scale_min = forms.IntegerField(label="Шкала от", initial=1, required=False, widget=forms.NumberInput(attrs=_TEXT))
    scale_max = forms.IntegerField(label="Шкала до", initial=5, required=False, widget=forms.NumberInput(attrs=_TEXT))
    scale_min_label = forms.CharField(
        label="Подпись минимума", max_length=100, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    scale_max_label = forms.CharField(
        label="Подпись максимума", max_length=100, required=False, widget=forms.TextInput(attrs=_TEXT)
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "text": question.text,
            "type": question.type,
            "is_required": question.is_required,
            "options": "\n".join(question.options),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
        }

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            text=data["text"],
            type=data["type"],
            is_required=data["is_required"],
            options=(data.get("options") or "").splitlines(),
            scale_min=data["scale_min"] if data.get("scale_min") is not None else 1,
            scale_max=data["scale_max"] if data.get("scale_max") is not None else 5,
            scale_min_label=data.get("scale_min_label") or "",
            scale_max_label=data.get("scale_max_label") or "",
        )


class RunForm(forms.Form):
    title = forms.CharField(label="Название опроса", max_length=300, widget=forms.TextInput(attrs=_TEXT))
    # A pair's run is set from the pair's page or the feedback form, not here.
    audience = forms.ChoiceField(
        label="Кого опрашиваем",
        choices=[item for item in QuestionnaireRun.Audience.choices if item[0] != QuestionnaireRun.Audience.PAIR],
        widget=forms.Select(attrs=_SELECT),
    )
    opens_on = forms.DateField(
        label="Начало", widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label="Окончание", widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "Окончание опроса не может быть раньше начала.")
        return data


class FeedbackPointForm(forms.Form):
    """An intermediate feedback point of one pair; the rules (dates, duplicates, archive) are the service's."""

    questionnaire = forms.ModelChoiceField(
        label="Анкета", queryset=Questionnaire.objects.all(), widget=forms.Select(attrs=_SELECT)
    )
    point_on = forms.DateField(
        label="Дата обратной связи", widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d")
    )
    open_days = forms.IntegerField(
        label="Сколько дней опрос открыт",
        initial=FEEDBACK_OPEN_DAYS,
        widget=forms.NumberInput(attrs={**_TEXT, "min": 1, "max": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the suitable questionnaires; any other id reaches the service, which says why not.
        suitable = list(feedback_questionnaires())
        self.fields["questionnaire"].choices = [("", "— выберите анкету —")] + [(q.pk, q.title) for q in suitable]
        intermediate = next((q for q in suitable if q.kind == QuestionnaireKind.INTERMEDIATE), None)
        if intermediate is not None and not self.is_bound:
            self.initial.setdefault("questionnaire", intermediate.pk)


class FeedbackPointsForm(FeedbackPointForm):
    """The same point for several approved or active pairs at once."""

    pairs = forms.ModelMultipleChoiceField(
        label="Пары (группы)", queryset=Pair.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    field_order = ["pairs", "questionnaire", "point_on", "open_days"]

    def __init__(self, *args, open_pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_pairs = list(open_pairs)


def answers_from_post(questions, post) -> dict[int, object]:
    """Raw answers from a submitted answering form: field `q<id>`; checkboxes give lists."""
    answers = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.type == Question.Type.MULTIPLE:
            answers[question.pk] = post.getlist(name)
        else:
            answers[question.pk] = post.get(name, "")
    return answers


def answer_widgets(questions, values=None, errors=None) -> list[dict]:
    """What the answering template needs per question: its choices, what is ticked, its error."""
    values = values or {}
    errors = errors or {}
    items = []
    for question in questions:
        value = values.get(question.pk)
        chosen = (
            {str(item) for item in value}
            if isinstance(value, list)
            else ({str(value)} if value not in (None, "") else set())
        )
        if question.type == Question.Type.SCALE:
            choices = []
            for point in range(question.scale_min, question.scale_max + 1):
                label = str(point)
                if point == question.scale_min and question.scale_min_label:
                    label = f"{point} — {question.scale_min_label}"
                elif point == question.scale_max and question.scale_max_label:
                    label = f"{point} — {question.scale_max_label}"
                choices.append({"value": str(point), "label": label, "checked": str(point) in chosen})
        else:
            choices = [{"value": option, "label": option, "checked": option in chosen} for option in question.options]
        items.append(
            {
                "question": question,
                "name": f"q{question.pk}",
                "choices": choices,
                "text": value if isinstance(value, str) else "",
                "error": errors.get(question.pk, ""),
            }
        )
    return items
