"""Forms of the staff registry, appointments and the import (tenant schema). Input only: the services
hold the rules."""

from __future__ import annotations

from django import forms

from institutional.models import Appointment, QualificationCategory, Staff
from institutional.staff_import import COLUMNS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffForm(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя", max_length=150)
    patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    personnel_number = forms.CharField(label="Табельный номер", max_length=32, required=False)
    snils = forms.CharField(
        label="СНИЛС", max_length=14, required=False, help_text="11 цифр, можно с дефисами и пробелом."
    )
    birth_date = forms.DateField(label="Дата рождения", required=False, widget=DATE_WIDGET)
    position = forms.CharField(label="Должность", max_length=200)
    subjects = forms.CharField(label="Предметы", required=False, help_text="Через запятую.")
    hire_date = forms.DateField(label="Дата приёма на работу", widget=DATE_WIDGET)
    total_experience_years = forms.DecimalField(
        label="Общий стаж, лет", min_value=0, max_value=80, decimal_places=1, initial=0
    )
    pedagogical_experience_years = forms.DecimalField(
        label="Педагогический стаж, лет", min_value=0, max_value=80, decimal_places=1, initial=0
    )
    qualification_category = forms.ChoiceField(
        label="Квалификационная категория", choices=QualificationCategory.choices
    )
    email = forms.EmailField(label="Электронная почта", required=False)
    phone = forms.CharField(label="Телефон", max_length=32, required=False)
    user = forms.TypedChoiceField(
        label="Учётная запись на платформе",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Участник этой организации. При создании связывается автоматически по совпадению электронной почты.",
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "— не связана —")] + [
            (user.pk, f"{user.get_full_name()} ({user.email})") for user in members
        ]

    @classmethod
    def initial_from(cls, staff: Staff) -> dict:
        initial = {name: getattr(staff, name) for name in cls.base_fields if name not in ("subjects", "user")}
        initial["subjects"] = ", ".join(staff.subjects)
        initial["user"] = staff.user_id or ""
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["subjects"] = [part.strip() for part in data["subjects"].replace(";", ",").split(",") if part.strip()]
        user_id = data.pop("user")
        data["user_id"] = user_id
        return data


class DismissForm(forms.Form):
    dismissal_date = forms.DateField(label="Дата увольнения", widget=DATE_WIDGET)


class ReviewForm(forms.Form):
    note = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл XLSX или CSV",
        help_text="Выгрузка из кадровой программы: одна строка — один сотрудник, в первой строке — заголовки столбцов.",
    )


class ImportMappingForm(forms.Form):
    """One choice per known field: which column of the file holds it (or none)."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— не загружать —")] + [
            (str(index), header or f"(столбец {index + 1})") for index, header in enumerate(headers)
        ]
        for column in COLUMNS:
            self.fields[column.key] = forms.ChoiceField(label=column.title, choices=choices, required=False)

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value not in ("", None)}


class AppointmentForm(forms.Form):
    # Any id is accepted here so that the service, not the form, names why a person cannot be appointed.
    staff = forms.IntegerField(label="Сотрудник", widget=forms.Select)
    role = forms.ChoiceField(label="Роль", choices=Appointment.Role.choices)
    order_number = forms.CharField(label="Номер приказа", max_length=50, required=False)
    order_date = forms.DateField(label="Дата приказа", required=False, widget=DATE_WIDGET)
    starts_on = forms.DateField(label="Дата начала", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [("", "— выберите —")] + [
            (staff.pk, f"{staff.full_name}, {staff.position}") for staff in staff_choices
        ]


class AppointmentEndForm(forms.Form):
    ended_on = forms.DateField(label="Дата окончания", widget=DATE_WIDGET)
