"""Forms of the regulation pages (tenant schema). They only read input; services decide."""

from __future__ import annotations

from django import forms

from institutional.models import RegulationVersion
from institutional.selectors.regulation import RULE_FIELDS
from institutional.services.regulation import PARAMETER_RANGES

REQUIRED = "Обязательное поле."


class TemplateChoiceForm(forms.Form):
    template = forms.TypedChoiceField(
        label="Модель региона", coerce=int, error_messages={"required": "Выберите модель."}
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, f"{t.title} (версия {t.version})") for t in templates]


class UploadForm(forms.Form):
    title = forms.CharField(
        label="Наименование",
        max_length=300,
        required=False,
        help_text="Если не указано — «Положение о системе наставничества педагогических работников».",
    )
    document = forms.FileField(label="Файл положения (DOCX или PDF)", error_messages={"required": "Выберите файл."})


class ParametersForm(forms.Form):
    title = forms.CharField(label="Наименование", max_length=300, error_messages={"required": REQUIRED})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            low, high = PARAMETER_RANGES[name]
            self.fields[name] = forms.IntegerField(
                label=RegulationVersion._meta.get_field(name).verbose_name.capitalize(),
                min_value=low,
                max_value=high,
                error_messages={
                    "required": REQUIRED,
                    "invalid": "Введите целое число.",
                    "min_value": f"Не меньше {low}.",
                    "max_value": f"Не больше {high}.",
                },
            )


class OrderForm(forms.Form):
    """The approving order: number and date are required, the signed scan is optional."""

    order_number = forms.CharField(label="Номер приказа", max_length=50, required=False)
    order_date = forms.DateField(
        label="Дата приказа",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": "Введите дату."},
    )
    order_scan = forms.FileField(label="Скан подписанного приказа (PDF, JPEG или PNG)", required=False)
