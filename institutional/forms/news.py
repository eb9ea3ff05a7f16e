"""Forms of the news of the public section."""

from __future__ import annotations

from django import forms

from institutional.forms.common import BootstrapMixin


class NewsForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Заголовок", max_length=300)
    body = forms.CharField(label="Текст", widget=forms.Textarea(attrs={"rows": 8}))
