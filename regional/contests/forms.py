"""Forms of the contest pages (no database access except the nominee choices, read by the caller)."""

from __future__ import annotations

from django import forms

from institutional.forms.common import DATE_WIDGET, BootstrapMixin
from regional.contests.services import MAX_PRIZE_PLACES, MAX_SCORE
from regional.models import Contest

CRITERIA_ROWS = 8


class ContestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Вид конкурса", choices=Contest.Kind.choices)
    title = forms.CharField(label="Название", max_length=300)
    description = forms.CharField(
        label="Положение о конкурсе (кратко): цели, кто может участвовать, что представить",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    nominations_from = forms.DateField(label="Выдвижение с", widget=DATE_WIDGET)
    nominations_until = forms.DateField(label="Выдвижение по (включительно)", widget=DATE_WIDGET)
    winners = forms.IntegerField(
        label="Призовых мест (для нагрудного знака — сколько человек его удостаиваются)",
        min_value=1,
        max_value=MAX_PRIZE_PLACES,
        initial=3,
    )

    def __init__(self, *args, contest: Contest | None = None, **kwargs):
        if contest is not None and not args and "data" not in kwargs:
            initial = {
                "kind": contest.kind,
                "title": contest.title,
                "description": contest.description,
                "nominations_from": contest.nominations_from,
                "nominations_until": contest.nominations_until,
                "winners": contest.winners,
            }
            for number, criterion in enumerate(contest.criteria, start=1):
                initial[f"criterion_title_{number}"] = criterion["title"]
                initial[f"criterion_max_{number}"] = criterion["max"]
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for number in range(1, CRITERIA_ROWS + 1):
            self.fields[f"criterion_title_{number}"] = forms.CharField(
                label=f"Критерий {number}",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": f"Критерий {number}"}),
            )
            self.fields[f"criterion_max_{number}"] = forms.CharField(
                label=f"Максимальный балл критерия {number}",
                required=False,
                widget=forms.NumberInput(
                    attrs={"min": 1, "max": MAX_SCORE, "aria-label": f"Максимальный балл критерия {number}"}
                ),
            )
        # The mixin styled the declared fields; the criteria rows are added after it ran.
        for number in range(1, CRITERIA_ROWS + 1):
            for name in (f"criterion_title_{number}", f"criterion_max_{number}"):
                self.fields[name].widget.attrs.setdefault("class", "form-control")

    def main_fields(self):
        return [
            self[name] for name in ("kind", "title", "description", "nominations_from", "nominations_until", "winners")
        ]

    def criteria_rows(self):
        return [
            (number, self[f"criterion_title_{number}"], self[f"criterion_max_{number}"])
            for number in range(1, CRITERIA_ROWS + 1)
        ]

    def criteria(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"title": data.get(f"criterion_title_{number}", ""), "max": data.get(f"criterion_max_{number}", "")}
            for number in range(1, CRITERIA_ROWS + 1)
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data.get("description", ""),
            "nominations_from": data["nominations_from"],
            "nominations_until": data["nominations_until"],
            "winners": data["winners"],
            "criteria": self.criteria(),
        }


class JurorForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label="Электронная почта члена жюри", max_length=254)


def _choices(candidates) -> list[tuple[str, str]]:
    choices = [("", "— выберите —")]
    for candidate in candidates:
        note = "" if candidate.has_name_consent else " — нет согласия на публикацию ФИО"
        choices.append((str(candidate.id), candidate.label + note))
    return choices


class NominationForm(BootstrapMixin, forms.Form):
    justification = forms.CharField(
        label="Представление: за что выдвигается (результаты наставничества, достижения наставляемых, опыт)",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="Текст увидят жюри и регион. Не указывайте сведения о наставляемых: "
        "о них публикуется только категория.",
    )

    def __init__(self, *args, contest: Contest, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_pair = contest.kind == Contest.Kind.BEST_PAIR
        name, label = ("pair", "Наставническая пара (группа)") if self.is_pair else ("mentor", "Наставник")
        field = forms.TypedChoiceField(label=label, choices=_choices(candidates), coerce=int)
        field.widget.attrs["class"] = "form-select"
        self.fields = {name: field, **self.fields}

    def nominee(self) -> dict:
        data = self.cleaned_data
        if self.is_pair:
            return {"pair_id": data["pair"]}
        return {"mentor_entry_id": data["mentor"]}


class ScoreForm(forms.Form):
    """One field per criterion, named by its code; the service checks the scale (0…max)."""

    def __init__(self, *args, contest: Contest, scores: dict | None = None, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        for criterion in contest.criteria:
            self.fields[criterion["code"]] = forms.CharField(
                label=f"{criterion['title']} (0–{criterion['max']})",
                required=False,
                initial=(scores or {}).get(criterion["code"]),
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": criterion["max"], "class": "form-control form-control-sm"}
                ),
            )

    def values(self) -> dict:
        return {code: self.cleaned_data.get(code) for code in self.fields}


class EncouragementOrderForm(BootstrapMixin, forms.Form):
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = forms.DateField(label="Дата приказа", widget=DATE_WIDGET)
