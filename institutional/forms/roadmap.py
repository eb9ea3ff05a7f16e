"""Forms of the roadmap pages (tenant schema). They only read input; services decide."""

from __future__ import annotations

from django import forms

from institutional.dates import academic_year_label
from institutional.models import RoadmapActivity
from institutional.selectors.roadmap import responsible_choices

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
PREVIOUS = "previous"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Введите дату."},
    )


class RoadmapCreateForm(forms.Form):
    academic_year = forms.TypedChoiceField(
        label="Учебный год", coerce=int, error_messages={"required": "Выберите учебный год."}
    )
    source = forms.ChoiceField(label="Основа", error_messages={"required": "Выберите основу."})

    def __init__(self, *args, years=(), templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = [(year, academic_year_label(year)) for year in years]
        self.fields["source"].choices = [
            *((f"template:{t.pk}", f"{t.title} (версия {t.version})") for t in templates),
            (PREVIOUS, "Копия дорожной карты прошлого учебного года"),
        ]


class StageForm(forms.Form):
    title = forms.CharField(
        label="Наименование этапа", max_length=300, error_messages={"required": "Укажите наименование этапа."}
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "выше"), ("down", "ниже")])


class ActivityForm(forms.Form):
    title = forms.CharField(
        label="Мероприятие",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Укажите наименование мероприятия."},
    )
    deadline = _date_field("Срок (дата)")
    deadline_text = forms.CharField(label="Срок словами (если нет точной даты)", max_length=100, required=False)
    responsible = forms.ModelMultipleChoiceField(
        label="Ответственные сотрудники",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        error_messages={"invalid_choice": "Сотрудник не найден или уволен."},
    )
    responsible_roles = forms.CharField(label="Ответственные по должности", max_length=300, required=False)
    expected_documents = forms.CharField(label="Ожидаемый результат / документы", max_length=500, required=False)
    status = forms.ChoiceField(label="Статус", choices=RoadmapActivity.Status.choices)
    done_at = _date_field("Дата выполнения")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Статус", choices=RoadmapActivity.Status.choices)
    done_at = _date_field("Дата выполнения")


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX, JPEG или PNG)", error_messages={"required": "Выберите файл."})
    description = forms.CharField(label="Описание", max_length=300, required=False)
