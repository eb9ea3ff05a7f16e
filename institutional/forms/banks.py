"""Forms of the mentee and mentor banks (tenant schema). Input only: the services hold the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from institutional.forms.common import DATE_WIDGET, BootstrapMixin
from institutional.models import MenteeCategory, MenteeEntry, MentorAchievement, Staff, Visibility


def join_list(values) -> str:
    return ", ".join(values or [])


class MenteeCreateForm(BootstrapMixin, forms.Form):
    SUBJECT_CHOICES = [("staff", "Сотрудник организации"), ("trainee", "Стажёр или студент")]

    subject_type = forms.ChoiceField(label="Кто наставляемый", choices=SUBJECT_CHOICES, initial="staff")
    staff = forms.ModelChoiceField(label="Сотрудник", queryset=Staff.objects.none(), required=False)
    trainee_last_name = forms.CharField(label="Фамилия стажёра (студента)", max_length=150, required=False)
    trainee_first_name = forms.CharField(label="Имя", max_length=150, required=False)
    trainee_patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    trainee_birth_date = forms.DateField(label="Дата рождения", required=False, widget=DATE_WIDGET)
    trainee_study_place = forms.CharField(label="Место учёбы, группа", max_length=300, required=False)
    categories = forms.MultipleChoiceField(
        label="Категории", choices=MenteeCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    requests = forms.CharField(
        label="Профессиональные запросы", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    difficulties = forms.CharField(label="Затруднения", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tags = forms.CharField(label="Метки", required=False, help_text="Через запятую.")
    needed_from = forms.DateField(
        label="Наставник нужен с",
        required=False,
        widget=DATE_WIDGET,
        help_text="Если не указать: дата приёма на работу для принятых в течение последнего года, иначе сегодня.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(is_outside=False)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data.pop("subject_type") == "staff":
            if data["staff"] is None:
                raise ValidationError({"staff": "Выберите сотрудника."})
        else:
            data["staff"] = None
        return data


class MenteeEditForm(BootstrapMixin, forms.Form):
    categories = forms.MultipleChoiceField(
        label="Категории", choices=MenteeCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    requests = forms.CharField(
        label="Профессиональные запросы", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    difficulties = forms.CharField(label="Затруднения", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tags = forms.CharField(label="Метки", required=False, help_text="Через запятую.")
    needed_from = forms.DateField(label="Наставник нужен с", widget=DATE_WIDGET)

    @classmethod
    def initial_from(cls, entry: MenteeEntry) -> dict:
        initial = {name: getattr(entry, name) for name in cls.base_fields}
        initial["tags"] = join_list(entry.tags)
        return initial


class MenteeOwnForm(BootstrapMixin, forms.Form):
    requests = forms.CharField(
        label="Мои профессиональные запросы", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    difficulties = forms.CharField(label="Мои затруднения", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tags = forms.CharField(label="Метки", required=False, help_text="Через запятую.")

    @classmethod
    def initial_from(cls, entry: MenteeEntry) -> dict:
        return {"requests": entry.requests, "difficulties": entry.difficulties, "tags": join_list(entry.tags)}


class MenteeStatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="Статус", choices=MenteeEntry.Status.choices)
    left_on = forms.DateField(label="Дата выбытия", required=False, widget=DATE_WIDGET)
    left_reason = forms.ChoiceField(
        label="Причина выбытия", choices=[("", "—"), *MenteeEntry.LeftReason.choices], required=False
    )


class MentorOwnForm(BootstrapMixin, forms.Form):
    competencies = forms.CharField(label="Компетенции", widget=forms.Textarea(attrs={"rows": 3}))
    subjects = forms.CharField(label="Предметы", required=False, help_text="Через запятую.")
    tags = forms.CharField(label="Метки", required=False, help_text="Через запятую.")
    visibility = forms.ChoiceField(
        label="Кто видит запись",
        choices=Visibility.choices,
        help_text="Муниципалитету и региону запись видна только при подписанном согласии на публикацию.",
    )

    @classmethod
    def initial_from(cls, entry) -> dict:
        initial = {name: getattr(entry, name) for name in cls.base_fields}
        initial["subjects"] = join_list(entry.subjects)
        initial["tags"] = join_list(entry.tags)
        return initial


class MentorEditForm(MentorOwnForm):
    achievements = forms.MultipleChoiceField(
        label="Достижения", choices=MentorAchievement.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    achievements_details = forms.CharField(
        label="Достижения подробнее", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    capacity = forms.IntegerField(
        label="Наставляемых одновременно, не более",
        required=False,
        help_text="Если не указать — предел из положения о наставничестве.",
    )


class MentorCreateForm(MentorEditForm):
    staff = forms.ModelChoiceField(label="Сотрудник", queryset=Staff.objects.none())

    field_order = ["staff"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(is_outside=False)
        self.order_fields(
            [
                "staff",
                "competencies",
                "subjects",
                "achievements",
                "achievements_details",
                "tags",
                "capacity",
                "visibility",
            ]
        )


class MentorExcludeForm(BootstrapMixin, forms.Form):
    excluded_on = forms.DateField(label="Дата исключения", widget=DATE_WIDGET)
    excluded_reason = forms.CharField(label="Причина", max_length=200)


class TrainingForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Программа обучения", max_length=300)
    provider = forms.CharField(label="Организация", max_length=300, required=False)
    hours = forms.IntegerField(label="Часов", required=False)
    completed_on = forms.DateField(label="Дата окончания", required=False, widget=DATE_WIDGET)
    certificate = forms.FileField(label="Удостоверение (PDF, JPEG, PNG)", required=False)
