from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.models import Meter
from accounts.services.field import CLERK_KINDS
from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.forms import NoCardNumbers

DATE = forms.DateInput(attrs={"type": "date"})


class FieldOrderForm(NoCardNumbers, forms.Form):
    """Field work a clerk orders on one of the account's open services."""

    no_card_fields = ("notes",)

    key = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Work", choices=[(k.value, k.label) for k in CLERK_KINDS])
    agreement = forms.TypedChoiceField(label="Service", coerce=int)
    scheduled_on = forms.DateField(label="Date", widget=DATE)
    same_day = forms.BooleanField(label="Same-day or after-hours", required=False)
    notes = forms.CharField(
        label="Notes for the crew",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the customer reported, gate codes, dogs, a phone number to call first.",
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = {sa.pk: sa for sa in agreements}
        self.fields["agreement"].choices = [
            (sa.pk, f"{sa.get_utility_display()} at {sa.premise.address_line}") for sa in agreements
        ]
        self.fields["scheduled_on"].initial = timezone.localdate() + timedelta(days=1)

    def clean_agreement(self):
        return self.agreements[self.cleaned_data["agreement"]]


class CancelActivityForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Why cancel", max_length=200)


class CompleteActivityForm(NoCardNumbers, forms.Form):
    no_card_fields = ("outcome", "notes")

    completed_on = forms.DateField(
        label="Done on", widget=forms.DateInput(attrs={"type": "date"}), validators=[not_in_future]
    )
    register = forms.DecimalField(
        label="Register read", required=False, decimal_places=2, min_value=0
    )
    new_meter = forms.CharField(label="New meter number (exchange)", required=False, max_length=20)
    new_register = forms.DecimalField(
        label="New meter register (exchange)", required=False, min_value=0
    )
    meter_error_percent = forms.DecimalField(
        label="Meter test error (%)",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="0 if accurate; positive if the meter runs fast, negative if slow",
    )
    outcome = forms.CharField(
        label="Result (meter test, investigation)", required=False, max_length=120
    )
    notes = forms.CharField(
        label="Crew notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_new_meter(self):
        number = self.cleaned_data["new_meter"].strip().upper()
        if not number:
            return None
        meter = Meter.objects.filter(number=number).first()
        if meter is None:
            raise forms.ValidationError(f"No meter {number} in stock.")
        return meter
