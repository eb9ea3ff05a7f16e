"""Form of a logged meeting of a pair or group (with attendance for a group)."""

from __future__ import annotations

from django import forms

from institutional.forms.common import BootstrapMixin
from institutional.models import Meeting, MeetingMode


class MeetingForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label="Дата", widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(label="Продолжительность, минут", min_value=5, max_value=600)
    mode = forms.ChoiceField(label="Формат", choices=MeetingMode.choices)
    kind = forms.ChoiceField(label="Вид встречи", choices=Meeting.Kind.choices, initial=Meeting.Kind.REGULAR)
    topic = forms.CharField(label="Тема", max_length=300)
    notes = forms.CharField(
        label="Заметки (видят только участники пары, куратор и директор)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        if len(self.participants) > 1:
            for participant in self.participants:
                self.fields[f"attended_{participant.pk}"] = forms.BooleanField(
                    label=f"Присутствовал(а): {participant.mentee.full_name}", required=False, initial=True
                )

    def values(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in ("held_on", "duration_minutes", "mode", "kind", "topic", "notes")
        }
        if len(self.participants) > 1:
            data["attendance"] = {p.pk: bool(self.cleaned_data.get(f"attended_{p.pk}")) for p in self.participants}
        return data
