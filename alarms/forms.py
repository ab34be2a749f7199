"""The Alarm Unit's forms. Free text goes through the one card-number check
(NoCardNumbers)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings

from accounts.models import Account
from accounts.models.customers import Language
from alarms.models import AlarmCompany, Appeal
from alarms.rules import fees
from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator

DATE = forms.DateInput(attrs={"type": "date"})
FUNCTION_CHOICES = [(name, name.title()) for name in fees.FUNCTIONS]


class PermitForm(NoCardNumbers, forms.Form):
    no_card_fields = ("holder_name", "address", "responder_1_name", "responder_2_name")

    holder_name = forms.CharField(label="Permit holder", max_length=200)
    business = forms.BooleanField(
        label="The holder is a business", required=False, help_text="Its name is kept as given."
    )
    customer_class = forms.ChoiceField(
        label="Premise", choices=Account.CustomerClass.choices, initial="residential"
    )
    address = forms.CharField(
        label="Premise address", max_length=120, help_text="e.g. 1425 E University Dr"
    )
    zip_code = forms.RegexField(
        label="ZIP code", regex=r"^852\d\d$", error_messages={"invalid": "A Mesa ZIP code, 852xx."}
    )
    functions = forms.MultipleChoiceField(
        label="Alarm functions",
        choices=FUNCTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="$10.00 each. Panic for a residence, robbery for a business.",
    )
    alarm_company = forms.ModelChoiceField(
        label="Alarm company", queryset=AlarmCompany.objects.filter(active=True), required=False
    )
    issued_on = forms.DateField(label="Issue date", widget=DATE, validators=[not_in_future])
    phone = forms.CharField(label="Phone", max_length=14, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    preferred_language = forms.ChoiceField(
        label="Letters in", choices=Language.choices[:2], initial="en"
    )
    account = forms.CharField(
        label="Existing alarm account number",
        max_length=10,
        required=False,
        help_text="Leave blank for a new holder.",
    )
    responder_1_name = forms.CharField(label="First responder", max_length=120, required=False)
    responder_1_phone = forms.CharField(
        label="First responder's phone", max_length=14, required=False
    )
    responder_2_name = forms.CharField(label="Second responder", max_length=120, required=False)
    responder_2_phone = forms.CharField(
        label="Second responder's phone", max_length=14, required=False
    )

    def clean_account(self):
        number = self.cleaned_data["account"].strip()
        if not number:
            return None
        account = Account.objects.filter(number=number, kind=Account.Kind.ALARM).first()
        if account is None:
            raise forms.ValidationError(f"{number} is not an alarm account.")
        return account


class PermitChangeForm(NoCardNumbers, forms.Form):
    no_card_fields = ("responder_1_name", "responder_2_name")

    alarm_company = forms.ModelChoiceField(
        label="Alarm company", queryset=AlarmCompany.objects.filter(active=True), required=False
    )
    responder_1_name = PermitForm.base_fields["responder_1_name"]
    responder_1_phone = PermitForm.base_fields["responder_1_phone"]
    responder_2_name = PermitForm.base_fields["responder_2_name"]
    responder_2_phone = PermitForm.base_fields["responder_2_phone"]

    def responders(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data["responder_1_name"], data["responder_1_phone"]),
            (data["responder_2_name"], data["responder_2_phone"]),
        ]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        validators=[import_file_validator],
        help_text=import_file_help("UTF-8 CSV with the header row."),
    )


class ResearchForm(NoCardNumbers, forms.Form):
    no_card_fields = ("holder_name", "mailing_address")

    permit = forms.CharField(
        label="Permit number", max_length=9, required=False, help_text="e.g. AP-000042"
    )
    holder_name = forms.CharField(label="Or the responsible party", max_length=200, required=False)
    business = forms.BooleanField(label="A business", required=False)
    mailing_address = forms.CharField(label="Their mailing address", max_length=120, required=False)
    zip_code = forms.RegexField(label="ZIP code", regex=r"^\d{5}$", required=False)


class AppealForm(NoCardNumbers, forms.Form):
    no_card_fields = ("grounds",)

    filed_on = forms.DateField(label="Filed on", widget=DATE, validators=[not_in_future])
    grounds = forms.CharField(
        label="Grounds for the appeal", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleForm(NoCardNumbers, forms.Form):
    no_card_fields = ("place",)

    hearing_on = forms.DateField(label="Hearing date", widget=DATE)
    hearing_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label="Place",
        max_length=120,
        required=False,
        help_text=f"Blank: {settings.ALARM_HEARING_PLACE}",
    )


class DecisionForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    outcome = forms.ChoiceField(label="Decision", choices=Appeal.Outcome.choices)
    amount_upheld = forms.DecimalField(
        label="Amount that stands (reduced)",
        required=False,
        min_value=Decimal("0.00"),
        max_digits=12,
        decimal_places=2,
        help_text="Only for a reduction. The no-permit assessment cannot be waived.",
    )
    reason = forms.CharField(
        label="Reason", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReinstateForm(NoCardNumbers, forms.Form):
    no_card_fields = ("note",)

    note = forms.CharField(label="Note", max_length=200, required=False)


class CompanyForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("name", "contact_name", "address")

    class Meta:
        model = AlarmCompany
        fields = ["name", "license_number", "contact_name", "phone", "email", "address", "active"]
