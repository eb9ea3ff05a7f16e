"""Pieces every institutional form and page shares (no database)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields in one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def apply_errors(form, error: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: next to the field it names (a service field
    may be renamed on the form through `aliases`), otherwise on the whole form."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            name = (aliases or {}).get(name, name)
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)
