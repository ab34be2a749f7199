from decimal import Decimal

from django import forms
from django.utils import timezone

from credit.models import Bankruptcy
from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.forms import NoCardNumbers

DATE = {"type": "date"}


class BankruptcyForm(NoCardNumbers, forms.Form):
    no_card_fields = ("case_number", "court")

    case_number = forms.CharField(label="Case number", max_length=40)
    chapter = forms.TypedChoiceField(
        label="Chapter", choices=Bankruptcy.Chapter.choices, coerce=int
    )
    court = forms.CharField(
        label="Court", max_length=120, initial=Bankruptcy._meta.get_field("court").default
    )
    petition_on = forms.DateField(
        label="Petition date",
        widget=forms.DateInput(attrs=DATE),
        validators=[not_in_future],
        help_text="What was owed at the end of this day is frozen for the claim.",
    )


class CaseCloseForm(forms.Form):
    on = forms.DateField(
        label="Date of the court's order",
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate,
        validators=[not_in_future],
    )


class WriteOffForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    amount = forms.DecimalField(
        label="Amount to write off", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label="Why it cannot be collected", max_length=200)


class RecoveryForm(NoCardNumbers, forms.Form):
    no_card_fields = ("description",)

    amount = forms.DecimalField(
        label="Amount received", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    on = forms.DateField(
        label="Received on",
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate,
        validators=[not_in_future],
    )
    description = forms.CharField(label="Received from", max_length=150)


class RejectForm(NoCardNumbers, forms.Form):
    no_card_fields = ("why",)

    why = forms.CharField(label="Reason for rejecting", max_length=200, required=False)


class AgencyFileForm(forms.Form):
    day = forms.DateField(
        label="Placement date", widget=forms.DateInput(attrs=DATE), initial=timezone.localdate
    )
