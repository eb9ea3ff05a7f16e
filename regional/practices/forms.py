"""Forms of the best-practice pages (no database): the case, a material, a review decision."""

from __future__ import annotations

from django import forms

from institutional.forms.common import BootstrapMixin
from institutional.models import MenteeCategory, PairForm, PairKind
from regional.models import PracticeReview


class CaseForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Название кейса", max_length=300)
    problem = forms.CharField(
        label="Проблема",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Какую профессиональную задачу решала программа — без имён и личных обстоятельств наставляемых.",
    )
    goal = forms.CharField(label="Цель", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    form = forms.ChoiceField(label="Форма наставничества", choices=PairForm.choices)
    kinds = forms.MultipleChoiceField(
        label="Виды наставничества", choices=PairKind.choices, widget=forms.CheckboxSelectMultiple
    )
    mentee_categories = forms.MultipleChoiceField(
        label="Категории наставляемых",
        choices=MenteeCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.CharField(label="Мероприятия", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    results = forms.CharField(
        label="Результаты",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Заполнено планируемыми результатами программы: опишите результаты, достигнутые на самом деле.",
    )
    materials = forms.CharField(
        label="Материалы (описание)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Что приложено и как этим пользоваться; сами файлы прикрепляются ниже.",
    )
    authors = forms.CharField(
        label="Авторы",
        max_length=500,
        required=False,
        help_text="Указывайте в кейсе только тех, кто согласен на публикацию своего имени.",
    )

    @classmethod
    def initial_of(cls, case) -> dict:
        return {name: getattr(case, name) for name in cls.base_fields}


class MaterialForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Название материала", max_length=300, required=False)
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX, JPEG или PNG, до 10 МБ)")


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Решение",
        choices=PracticeReview.Decision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="approve",
    )
    comment = forms.CharField(
        label="Комментарий для организации",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязателен, если кейс возвращается на доработку или отклоняется.",
    )
