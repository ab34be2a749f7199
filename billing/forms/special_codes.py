"""Forms of the special-billing rate codes (docs/special_rate_codes.md)."""

from __future__ import annotations

from django import forms

from billing.models import SpecialRateCode
from mesa_cs.lib.forms import NoCardNumbers


class SpecialCodeForm(NoCardNumbers, forms.Form):
    no_card_fields = ("name", "reason")

    code = forms.CharField(
        label="Code",
        max_length=12,
        help_text="What bills show, e.g. SW-HOA1: letters, digits, dots or hyphens",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "text-uppercase"}),
    )
    name = forms.CharField(
        label="Name", max_length=100, help_text="e.g. Desert Vista HOA barrel contract"
    )
    based_on = forms.ChoiceField(label="Start from", help_text="Its current prices are copied")
    kind = forms.ChoiceField(label="Situation", choices=SpecialRateCode.Kind.choices)
    effective = forms.DateField(
        label="Effective date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first service day the code prices",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The contract, agreement or decision behind the code",
    )

    def __init__(self, *args, bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].choices = [(s.code, f"{s.code} {s.name}") for s in bases]


class AccountLookupForm(forms.Form):
    account = forms.RegexField(
        label="Account number",
        regex=r"^\d{10}$",
        error_messages={"invalid": "An account number is 10 digits."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
