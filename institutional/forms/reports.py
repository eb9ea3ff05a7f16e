"""Forms of final reports: the mentor's (recommendations required) and the mentee's (score required)."""

from __future__ import annotations

from django import forms

from institutional.forms.common import BootstrapMixin

SCORES = [("", "— выберите —"), *((str(n), str(n)) for n in range(1, 6))]


class MentorReportForm(BootstrapMixin, forms.Form):
    results = forms.CharField(label="Достигнутые результаты", widget=forms.Textarea(attrs={"rows": 3}))
    what_worked = forms.CharField(
        label="Что оказалось наиболее полезным", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    difficulties = forms.CharField(label="Трудности", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recommendations = forms.CharField(
        label="Рекомендации наставляемому и куратору", widget=forms.Textarea(attrs={"rows": 3})
    )


class MenteeReportForm(BootstrapMixin, forms.Form):
    results = forms.CharField(label="Чего удалось достичь", widget=forms.Textarea(attrs={"rows": 3}))
    what_worked = forms.CharField(
        label="Что оказалось наиболее полезным", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    difficulties = forms.CharField(
        label="С какими трудностями столкнулись", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    mentor_score = forms.TypedChoiceField(
        label="Оценка работы наставника (1 — низкая, 5 — высокая)", choices=SCORES, coerce=int
    )
    mentor_comment = forms.CharField(
        label="Комментарий к оценке", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recommendations = forms.CharField(
        label="Предложения по организации наставничества", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def form_for(role: str):
    return MentorReportForm if role == "mentor" else MenteeReportForm
