"""Forms of matching pages (tenant schema): round creation and a participant's ranking."""

from __future__ import annotations

from django import forms


class RoundForm(forms.Form):
    title = forms.CharField(label="Название тура", max_length=300)
    meeting_on = forms.DateField(
        label="Дата групповой встречи", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PreferenceForm(forms.Form):
    """One select per candidate: the place given to them (1 = best), or empty for «не выбираю»."""

    def __init__(
        self,
        *args,
        candidates: list[tuple[int, str]],
        initial_ranked: list[int],
        with_note: bool,
        note: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        places = [("", "—")] + [(str(i), str(i)) for i in range(1, len(candidates) + 1)]
        self.candidates = candidates
        for entry_id, label in candidates:
            initial = str(initial_ranked.index(entry_id) + 1) if entry_id in initial_ranked else ""
            self.fields[f"place_{entry_id}"] = forms.ChoiceField(
                label=label, choices=places, required=False, initial=initial
            )
        if with_note:
            self.fields["support_note"] = forms.CharField(
                label="Поддержка до назначения наставника (например, педагога-психолога)",
                required=False,
                initial=note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def candidate_fields(self):
        return [self[f"place_{entry_id}"] for entry_id, _ in self.candidates]

    def clean(self):
        cleaned = super().clean()
        places = {}
        for entry_id, label in self.candidates:
            value = cleaned.get(f"place_{entry_id}")
            if not value:
                continue
            if value in places:
                self.add_error(f"place_{entry_id}", f"Место {value} уже отдано: {places[value]}.")
            places[value] = label
        return cleaned

    def ranked(self) -> list[int]:
        chosen = [
            (int(self.cleaned_data[f"place_{entry_id}"]), entry_id)
            for entry_id, _ in self.candidates
            if self.cleaned_data.get(f"place_{entry_id}")
        ]
        return [entry_id for _, entry_id in sorted(chosen)]
