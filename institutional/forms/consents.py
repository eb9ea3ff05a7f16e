"""Forms of written consents (tenant schema). Input only: the services hold the rules."""

from __future__ import annotations

from django import forms

from institutional.consent_texts import PUBLISHED_FIELDS
from institutional.forms.common import DATE_WIDGET, BootstrapMixin
from institutional.models import ConsentKind, MenteeEntry, Staff


def subject_choices() -> list[tuple[str, str]]:
    staff = [
        (f"staff:{s.pk}", f"{s.full_name} — {s.position}")
        for s in Staff.objects.filter(status=Staff.Status.EMPLOYED, is_outside=False)
    ]
    trainees = [
        (f"mentee:{e.pk}", f"{e.full_name} — стажёр (студент)")
        for e in MenteeEntry.objects.filter(staff__isnull=True).exclude(status=MenteeEntry.Status.LEFT)
    ]
    return [("", "— выберите —"), *staff, *trainees]


class ConsentCreateForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Вид согласия", choices=ConsentKind.choices)
    subject = forms.ChoiceField(label="Кто даёт согласие")
    subject_document = forms.CharField(
        label="Документ, удостоверяющий личность",
        max_length=500,
        required=False,
        help_text="Вид, серия, номер, кем и когда выдан.",
    )
    subject_address = forms.CharField(label="Адрес регистрации", max_length=500, required=False)
    representative_full_name = forms.CharField(
        label="Родитель (законный представитель): ФИО", max_length=300, required=False
    )
    representative_document = forms.CharField(label="Документ представителя", max_length=500, required=False)
    representative_basis = forms.CharField(
        label="Основание полномочий представителя",
        max_length=300,
        required=False,
        help_text="Например: свидетельство о рождении, серия, номер.",
    )
    published_fields = forms.MultipleChoiceField(
        label="Публикуемые сведения (для согласия на публикацию)",
        choices=list(PUBLISHED_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        kind_of_subject, _, pk = data.pop("subject").partition(":")
        if kind_of_subject == "staff":
            data["staff"] = Staff.objects.get(pk=int(pk))
        else:
            data["mentee_entry"] = MenteeEntry.objects.get(pk=int(pk))
        return data


class ConsentSignForm(BootstrapMixin, forms.Form):
    signed_on = forms.DateField(label="Дата подписания", widget=DATE_WIDGET)
    signed_scan = forms.FileField(label="Скан подписанного согласия (PDF, JPEG или PNG)", required=False)


class ConsentWithdrawForm(BootstrapMixin, forms.Form):
    withdrawn_on = forms.DateField(label="Дата отзыва", widget=DATE_WIDGET)
    note = forms.CharField(label="Основание (заявление, его дата)", max_length=300, required=False)
