"""Forms of the pairs pages (input only; the services validate the rules)."""

from __future__ import annotations

from django import forms

from institutional.models import EndReason, MenteeEntry, MentorEntry, Pair, PairForm, PairKind, ReplacementReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PairDraftForm(forms.Form):
    mentor = forms.ModelChoiceField(label="Наставник", queryset=MentorEntry.objects.none())
    mentees = forms.ModelMultipleChoiceField(label="Наставляемый (наставляемые)", queryset=MenteeEntry.objects.none())
    form = forms.ChoiceField(label="Форма наставничества", choices=PairForm.choices)
    kinds = forms.MultipleChoiceField(label="Вид (виды)", choices=PairKind.choices, widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label="Начало", widget=DATE)
    ends_on = forms.DateField(label="Окончание", widget=DATE)

    def __init__(self, *args, pair: Pair | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # This organization's mentors; a network draft keeps its mentor of another organization.
        mentors = MentorEntry.objects.filter(is_active=True, home_organization_id__isnull=True)
        if pair is not None and pair.is_network:
            mentors = mentors | MentorEntry.objects.filter(pk=pair.mentor_id)
        self.fields["mentor"].queryset = mentors.select_related("staff")
        mentees = MenteeEntry.objects.filter(status=MenteeEntry.Status.WAITING)
        if pair is not None:
            mentees = mentees | MenteeEntry.objects.filter(pair_memberships__pair=pair)
        self.fields["mentees"].queryset = mentees.select_related("staff").distinct()


class PairApproveForm(forms.Form):
    pairs = forms.ModelMultipleChoiceField(
        label="Пары (группы)", queryset=Pair.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = forms.DateField(label="Дата приказа", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairs"].queryset = Pair.objects.filter(status=Pair.Status.DRAFT).select_related("mentor__staff")


class PairEndForm(forms.Form):
    reason = forms.ChoiceField(label="Основание", choices=EndReason.choices)
    ended_on = forms.DateField(label="Дата завершения", widget=DATE)
    note = forms.CharField(label="Пояснение", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MentorReplaceForm(forms.Form):
    new_mentor = forms.ModelChoiceField(label="Новый наставник", queryset=MentorEntry.objects.none())
    reason = forms.ChoiceField(label="Основание замены", choices=ReplacementReason.choices)
    note = forms.CharField(label="Пояснение", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = forms.DateField(label="Дата приказа", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_mentor"].queryset = MentorEntry.objects.filter(
            is_active=True, home_organization_id__isnull=True
        ).select_related("staff")
