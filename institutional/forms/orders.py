"""Forms of the order register pages."""

from __future__ import annotations

from django import forms

from institutional.forms.pairs import DATE


class OrderScanForm(forms.Form):
    scan = forms.FileField(label="Скан подписанного приказа (PDF, JPEG, PNG)")


class EncouragementForm(forms.Form):
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = forms.DateField(label="Дата приказа", widget=DATE)
    title = forms.CharField(label="Заголовок", max_length=500, required=False)
    grounds = forms.CharField(label="За что (основание поощрения)", max_length=500, required=False)
    persons = forms.CharField(
        label="Поощряемые (по одному на строку: ФИО, должность)", widget=forms.Textarea(attrs={"rows": 5})
    )
