"""Forms of the municipality's mentor base pages. Input only: `municipal.services` holds the rules.

The methodologist form is read on the municipality's host, whose connection is set to the
municipality's own schema; it reads nothing from there except the regulation's cap on mentees.
"""

from __future__ import annotations

from django import forms

from institutional.consent_texts import PUBLISHED_FIELDS
from institutional.forms.common import DATE_WIDGET, BootstrapMixin
from institutional.models import MentorAchievement, QualificationCategory
from municipal.models import MentorVerification


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class VerificationForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="Результат проверки", choices=MentorVerification.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Примечание",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text="Для «Требует уточнения» — что именно нужно уточнить организации.",
    )
    categories = forms.MultipleChoiceField(
        label="Категории муниципалитета", required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(
        label="Метки муниципалитета", required=False, help_text="Через запятую, каждая не длиннее 60 символов."
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(str(category.pk), category.title) for category in categories]
        self.fields["status"].widget.attrs["class"] = "form-check-input"

    @classmethod
    def initial_from(cls, row) -> dict:
        if row.verification is None:
            return {"status": MentorVerification.Status.VERIFIED}
        return {
            "status": row.verification.status,
            "note": row.verification.note,
            "categories": [str(category.pk) for category in row.categories],
            "tags": ", ".join(row.verification.tags),
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "note": data["note"],
            "category_ids": data["categories"],
            "tags": data["tags"],
        }


class CategoryForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Название", max_length=150)
    description = forms.CharField(label="Пояснение", max_length=500, required=False)


class MethodologistForm(BootstrapMixin, forms.Form):
    """A methodologist of the municipality as a mentor: staff record, signed consents, bank entry.

    Fields are optional here so that the service reports every missing value at once.
    """

    STAFF = (
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "subjects",
        "hire_date",
        "total_experience_years",
        "pedagogical_experience_years",
        "qualification_category",
        "birth_date",
        "snils",
        "personnel_number",
        "email",
        "phone",
    )
    CONSENTS = (
        "subject_document",
        "subject_address",
        "published_fields",
        "signed_on",
        "personal_data_scan",
        "mentoring_duties_scan",
        "publication_scan",
    )
    MENTOR = ("competencies", "achievements", "achievements_details", "tags", "capacity", "visibility")

    last_name = forms.CharField(label="Фамилия", max_length=150, required=False)
    first_name = forms.CharField(label="Имя", max_length=150, required=False)
    patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    position = forms.CharField(label="Должность", max_length=200, initial="методист", required=False)
    subjects = forms.CharField(label="Предметы (направления)", required=False, help_text="Через запятую.")
    hire_date = forms.DateField(label="Дата приёма на работу", widget=DATE_WIDGET, required=False)
    total_experience_years = forms.DecimalField(
        label="Общий стаж, лет", min_value=0, max_value=80, decimal_places=1, initial=0, required=False
    )
    pedagogical_experience_years = forms.DecimalField(
        label="Педагогический стаж, лет", min_value=0, max_value=80, decimal_places=1, initial=0, required=False
    )
    qualification_category = forms.ChoiceField(
        label="Квалификационная категория", choices=QualificationCategory.choices, required=False
    )
    birth_date = forms.DateField(label="Дата рождения", required=False, widget=DATE_WIDGET)
    snils = forms.CharField(label="СНИЛС", max_length=14, required=False, help_text="11 цифр, можно с дефисами.")
    personnel_number = forms.CharField(label="Табельный номер", max_length=32, required=False)
    email = forms.EmailField(
        label="Электронная почта",
        required=False,
        help_text="Если у методиста есть учётная запись в муниципалитете с этой почтой, она будет связана.",
    )
    phone = forms.CharField(label="Телефон", max_length=32, required=False)

    subject_document = forms.CharField(
        label="Документ, удостоверяющий личность (для согласия на обработку персональных данных)",
        max_length=500,
        required=False,
        help_text="Вид, серия, номер, кем и когда выдан.",
    )
    subject_address = forms.CharField(label="Адрес регистрации", max_length=500, required=False)
    published_fields = forms.MultipleChoiceField(
        label="Сведения, которые методист согласен опубликовать",
        choices=list(PUBLISHED_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    signed_on = forms.DateField(
        label="Дата подписания согласий",
        widget=DATE_WIDGET,
        required=False,
        help_text="Согласия оформляются на платформе сейчас, поэтому подписаны они сегодня.",
    )
    personal_data_scan = forms.FileField(
        label="Скан согласия на обработку персональных данных (PDF, JPEG или PNG)", required=False
    )
    mentoring_duties_scan = forms.FileField(
        label="Скан согласия на выполнение обязанностей наставника (PDF, JPEG или PNG)", required=False
    )
    publication_scan = forms.FileField(label="Скан согласия на публикацию сведений (PDF, JPEG или PNG)", required=False)

    competencies = forms.CharField(
        label="Компетенции наставника", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    achievements = forms.MultipleChoiceField(
        label="Достижения", choices=MentorAchievement.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    achievements_details = forms.CharField(
        label="Достижения подробнее", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tags = forms.CharField(label="Метки", required=False, help_text="Через запятую.")
    capacity = forms.IntegerField(label="Наставляемых одновременно, не более", required=False)
    visibility = forms.ChoiceField(
        label="Кто видит запись в банке наставников",
        choices=[("municipality", "Муниципалитет"), ("region", "Весь регион")],
        initial="region",
        required=False,
    )

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].help_text = f"По положению о наставничестве — не более {cap}."
        self.fields["capacity"].initial = cap

    def sections(self):
        """(title, fields) groups for the page."""
        return [
            ("Сотрудник", [self[name] for name in self.STAFF]),
            ("Согласия (подписанные на бумаге)", [self[name] for name in self.CONSENTS]),
            ("Запись в банке наставников", [self[name] for name in self.MENTOR]),
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["subjects"] = split_list(data["subjects"])
        data["tags"] = split_list(data["tags"])
        return data
