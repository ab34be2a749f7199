"""Forms of the arrangement, assistance and call-log pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from accounts.models import ProgramEnrolment
from accounts.services.enrolments import ASSISTANCE_PROGRAMS
from credit.models import CollectorCall, Pledge
from mesa_cs.lib.forms import NoCardNumbers

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 12, "decimal_places": 2}


class ArrangementForm(NoCardNumbers, forms.Form):
    no_card_fields = ("override_reason",)

    amount = forms.DecimalField(
        label="Amount to arrange",
        required=False,
        min_value=Decimal("0.01"),
        **MONEY,
        help_text="Leave blank to arrange the past due.",
    )
    down_payment = forms.DecimalField(
        label="Down payment (due today)", min_value=Decimal("0.00"), **MONEY
    )
    months = forms.TypedChoiceField(label="Monthly installments", coerce=int)
    override_reason = forms.CharField(
        label="Why allow it?",
        required=False,
        max_length=200,
        help_text="Only when the account is not eligible: the arrangement then waits for "
        "a supervisor's approval in the approvals inbox.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (n, f"{n} month{'s' if n > 1 else ''}")
            for n in range(1, settings.ARRANGEMENT_MAX_MONTHS + 1)
        ]


class ArrangementCancelForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Why is it cancelled?", max_length=200)


class PledgeForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reference",)

    agency = forms.ChoiceField(label="Agency", choices=Pledge.Agency.choices)
    amount = forms.DecimalField(label="Amount pledged", min_value=Decimal("0.01"), **MONEY)
    expires_on = forms.DateField(label="Pledge expires on", widget=DATE)
    reference = forms.CharField(label="Agency reference", required=False, max_length=40)


class PledgePaidForm(forms.Form):
    payment_amount = forms.DecimalField(
        label="Amount the agency paid", min_value=Decimal("0.01"), **MONEY
    )


class CallForm(NoCardNumbers, forms.Form):
    no_card_fields = ("notes", "override_reason")

    outcome = forms.ChoiceField(label="Outcome", choices=CollectorCall.Outcome.choices)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    called_at = forms.DateTimeField(
        label="Called at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave blank for now.",
    )
    override_reason = forms.CharField(
        label="Why make this call anyway?", required=False, max_length=200
    )


class EnrolmentForm(NoCardNumbers, forms.Form):
    no_card_fields = ("verified_by",)

    program = forms.ChoiceField(
        label="Program",
        choices=[(p.value, p.label) for p in ProgramEnrolment.Program if p in ASSISTANCE_PROGRAMS],
    )
    starts_on = forms.DateField(label="Eligible from", widget=DATE)
    verified_by = forms.CharField(
        label="Eligibility verified by",
        max_length=100,
        help_text="Who checked the income (or age) documents.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("starts_on", timezone.localdate())


class EnrolmentEndForm(forms.Form):
    ends_on = forms.DateField(label="Last day covered", widget=DATE)
